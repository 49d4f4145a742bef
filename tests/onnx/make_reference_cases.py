#!/usr/bin/python3
"""Writes ONNX's own Conv/ConvTranspose reference test cases (python3-onnx 1.12,
onnx/backend/test/case/node/conv.py and convtranspose.py, the expected outputs written by hand there) as
small fixtures: NAME.onnx with the weight and bias as initializers, NAME.x.npy the input, NAME.y.npy the
expected output. The C# tests run each through ONNX Runtime and through V (tests/ConvAsMatrix.Tests/Onnx).

Usage: /usr/bin/python3 tests/onnx/make_reference_cases.py tests/onnx-fixtures/reference
"""
import os
import sys

import numpy as np
import onnx
import onnx.backend.test.case.node as node_cases
from onnx import helper, numpy_helper


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: make_reference_cases.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    written = []

    def expect(node, inputs, outputs, name, **kwargs):
        if name in written:  # importing the case modules may already have run them once
            return
        x, *params = inputs
        names = [n for n in node.input if n]
        opset = onnx.defs.get_schema(node.op_type).since_version
        graph = helper.make_graph(
            [node], name,
            inputs=[helper.make_tensor_value_info(names[0], onnx.TensorProto.FLOAT, x.shape)],
            outputs=[helper.make_tensor_value_info(node.output[0], onnx.TensorProto.FLOAT, outputs[0].shape)],
            initializer=[numpy_helper.from_array(p.astype(np.float32), n) for n, p in zip(names[1:], params)])
        model = helper.make_model(graph, producer_name="backend-test", opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 7  # what python3-onnx 1.12 writes for these opsets; ONNX Runtime 1.31 reads it
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out, name + ".onnx"))
        np.save(os.path.join(out, name + ".x.npy"), x.astype(np.float32))
        np.save(os.path.join(out, name + ".y.npy"), outputs[0].astype(np.float32))
        written.append(name)

    node_cases.expect = expect
    from onnx.backend.test.case.node import conv, convtranspose
    conv.expect = expect
    convtranspose.expect = expect
    for cls in (conv.Conv, convtranspose.ConvTranspose):
        for attr in sorted(dir(cls)):
            if attr.startswith("export"):
                getattr(cls, attr)()
    print(f"{len(written)} cases: {' '.join(written)}")


if __name__ == "__main__":
    main()
