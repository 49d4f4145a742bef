#!/usr/bin/python3
"""ONNX's own Conv and ConvTranspose backend test cases, as .npy files and onnx_cases.json.

Run by hand with Debian's python3-onnx (1.12):  /usr/bin/python3 tests/cli-fixtures/make_onnx_cases.py
ONNX 1.12 has no reference implementation; its backend test cases (onnx/backend/test/case/node/conv.py and
convtranspose.py) carry hand-written expected outputs, which every runtime is tested against. This script runs
their export_* functions with `expect` replaced by a recorder, and writes each node's attributes, inputs and
expected output into onnx-backend/. CI only reads them.
"""
import json
import os

import numpy as np
import onnx
import onnx.backend.test.case.node.conv as conv_cases
import onnx.backend.test.case.node.convtranspose as convtranspose_cases

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx-backend")
os.makedirs(HERE, exist_ok=True)
cases = []


def record(node, inputs, outputs, name, **kwargs):
    attributes = {}
    for a in node.attribute:
        value = onnx.helper.get_attribute_value(a)
        attributes[a.name] = value.decode() if isinstance(value, bytes) else (list(value) if isinstance(value, (list, tuple)) or hasattr(value, "__iter__") else value)
    entry = {"name": name, "op": node.op_type, "attributes": attributes}
    for role, array in zip(["x", "w", "b"], inputs):
        path = f"{name}_{role}.npy"
        np.save(os.path.join(HERE, path), array.astype(np.float64))
        entry[role] = path
    entry["y"] = f"{name}_y.npy"
    np.save(os.path.join(HERE, entry["y"]), outputs[0].astype(np.float64))
    cases.append(entry)


for module, cls in [(conv_cases, conv_cases.Conv), (convtranspose_cases, convtranspose_cases.ConvTranspose)]:
    module.expect = record
    for attr in sorted(dir(cls)):
        if attr.startswith("export"):
            getattr(cls, attr)()

with open(os.path.join(HERE, "onnx_cases.json"), "w") as f:
    json.dump({"onnx": onnx.__version__, "source": "onnx/backend/test/case/node/{conv,convtranspose}.py", "cases": cases}, f, indent=1)
print(f"{len(cases)} ONNX backend cases: {', '.join(c['name'] for c in cases)}")
