#!/usr/bin/python3
"""Writes the .npy files of every dtype, byte order and element order that NumPy itself saves, for the reader's tests.

Run by hand (CI reads the committed files):  /usr/bin/python3 tests/cli-fixtures/npy/make_npy_fixtures.py

Each array has shape (2, 3, 4) and the values of `values(dtype)` below, which the C# test (NpyDtypeTests) writes out
again independently: element 0 is the type's minimum and element 23 its maximum, so every byte of the widest values is
exercised. File names: <dtype>_<C|F>_<little|big>.npy (one-byte types have no byte order: <dtype>_<C|F>.npy).
The unsupported_*.npy files hold dtypes the reader must refuse by name.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float16", "float32", "float64"]


def values(name):
    i = np.arange(24)
    if name == "bool":
        return (i % 3 == 0).reshape(2, 3, 4)
    dt = np.dtype(name)
    if dt.kind == "f":
        v = ((i - 12) / 4).astype(dt)  # quarters: exact in float16 too
        v[0], v[23] = np.finfo(dt).min, np.finfo(dt).max
    else:
        v = (i - 12 if dt.kind == "i" else i).astype(dt)
        v[0], v[23] = np.iinfo(dt).min, np.iinfo(dt).max
    return v.reshape(2, 3, 4)


for name in TYPES:
    a = values(name)
    orders = [("little", "<"), ("big", ">")] if a.dtype.itemsize > 1 else [(None, None)]
    for suffix, char in orders:
        typed = a if char is None else a.astype(a.dtype.newbyteorder(char))
        for layout in ("C", "F"):
            arr = np.ascontiguousarray(typed) if layout == "C" else np.asfortranarray(typed)
            stem = f"{name}_{layout}" + ("" if suffix is None else f"_{suffix}")
            np.save(os.path.join(HERE, stem + ".npy"), arr)

np.save(os.path.join(HERE, "unsupported_complex128.npy"), np.arange(4, dtype="<c16"))
np.save(os.path.join(HERE, "unsupported_unicode.npy"), np.array(["ab", "c"], dtype="<U2"))
np.save(os.path.join(HERE, "unsupported_structured.npy"), np.zeros(3, dtype=[("a", "<i4"), ("b", "<f8")]))
print(len(os.listdir(HERE)) - 1, "files")
