#!/usr/bin/python3
"""Writes quantized.json: ONNX ConvInteger / QLinearConv cases computed with NumPy int64 arithmetic, independent of
ConvAsMatrix (plain loops over output elements and taps), for the exact-integer goldens of the quantized convolutions.

Run by hand, never by CI:  /usr/bin/python3 tests/golden/quantized.py

Semantics (ONNX ConvInteger, QLinearConv; requantization as ONNX Runtime's MLAS does it):
  acc[n, m, o] = sum over c < C/group, taps t of (xpad[n, g*C/group + c, o*s + t*d] - x_zp) * (w[m, c, t] - w_zp[m]) + B[m]
  where xpad pads x with x_zp (so x - x_zp with zeros);
  y = clip(rint(float32(acc) * M[m]) + y_zp, type range), M[m] = float32(x_scale) * float32(w_scale[m]) / float32(y_scale)
  in float32, rint rounding half to even.
"""
import itertools
import json
import os
import random

import numpy as np

SEED = 20261206
rng = random.Random(SEED)
TYPES = {"uint8": (np.uint8, 0, 255), "int8": (np.int8, -128, 127)}


def accumulate(x, w, xzp, wzp, bias, stride, pads, dil, group):
    n, cin = x.shape[:2]
    cout = w.shape[0]
    rank = x.ndim - 2
    k = w.shape[2:]
    xs = x.astype(np.int64) - xzp
    padded = np.pad(xs, [(0, 0), (0, 0)] + [(b, a) for b, a in pads])  # zeros in x - x_zp
    out = [(padded.shape[2 + d] - dil[d] * (k[d] - 1) - 1) // stride[d] + 1 for d in range(rank)]
    cig, cog = cin // group, cout // group
    wz = w.astype(np.int64) - np.asarray(wzp, dtype=np.int64).reshape(-1, *([1] * (w.ndim - 1)))
    acc = np.zeros((n, cout, *out), dtype=np.int64)
    for b in range(n):
        for m in range(cout):
            g = m // cog
            for o in itertools.product(*[range(v) for v in out]):
                total = int(bias[m]) if bias is not None else 0
                for c in range(cig):
                    for t in itertools.product(*[range(v) for v in k]):
                        p = tuple(o[d] * stride[d] + t[d] * dil[d] for d in range(rank))
                        total += int(padded[(b, g * cig + c) + p]) * int(wz[(m, c) + t])
                acc[(b, m) + o] = total
    return acc


def case(rank, xtype, wtype, per_channel, with_bias, adversarial=False):
    xt, xlo, xhi = TYPES[xtype]
    wt, wlo, whi = TYPES[wtype]
    group = rng.choice([1, 1, 2])
    cin, cout = group * rng.randint(1, 3), group * rng.randint(1, 3)
    batch = rng.randint(1, 2)
    k = [rng.randint(1, 3) for _ in range(rank)]
    stride = [rng.choice([1, 1, 2]) for _ in range(rank)]
    dil = [rng.choice([1, 1, 2]) for _ in range(rank)]
    pads = [(rng.randint(0, 2), rng.randint(0, 2)) for _ in range(rank)]
    low = [max(1, dil[d] * (k[d] - 1) + 1 - pads[d][0] - pads[d][1]) for d in range(rank)]
    n = [rng.randint(low[d], max(low[d], {1: 9, 2: 6, 3: 4}[rank])) for d in range(rank)]
    if adversarial:
        # Every pair of adjacent products is 255 * 127 (or -128 * -128): a u8s8 kernel that adds two products into an
        # int16 (vpmaddubsw) saturates at 32767, while the exact sum is 64770.
        x = np.full((batch, cin, *n), xhi, dtype=xt)
        w = np.full((cout, cin // group, *k), whi, dtype=wt)
        xzp, wzp = xlo if xlo < 0 else 0, [0] * (cout if per_channel else 1)
    else:
        x = np.array([rng.randint(xlo, xhi) for _ in range(batch * cin * int(np.prod(n)))], dtype=xt).reshape(batch, cin, *n)
        w = np.array([rng.randint(wlo, whi) for _ in range(cout * (cin // group) * int(np.prod(k)))], dtype=wt).reshape(cout, cin // group, *k)
        xzp = rng.randint(xlo, xhi)
        wzp = [rng.randint(wlo, whi) for _ in range(cout if per_channel else 1)]
    bias = [rng.randint(-5000, 5000) for _ in range(cout)] if with_bias else None
    acc = accumulate(x, w, xzp, wzp if per_channel else wzp * cout, bias, stride, pads, dil, group)
    ytype = rng.choice(["uint8", "int8"])
    yt, ylo, yhi = TYPES[ytype]
    x_scale = np.float32(rng.choice([0.02, 0.05, 0.1, 0.5]))
    w_scale = [np.float32(rng.choice([0.01, 0.03, 0.2])) for _ in range(cout if per_channel else 1)]
    y_scale = np.float32(rng.choice([0.5, 1.0, 2.0, 8.0]))
    yzp = rng.randint(ylo, yhi)
    mult = np.array([np.float32(x_scale * (w_scale[m] if per_channel else w_scale[0])) / y_scale for m in range(cout)], dtype=np.float32)
    scaled = acc.astype(np.float32) * mult.reshape(1, -1, *([1] * rank))
    y = np.clip(np.rint(scaled).astype(np.float64) + yzp, ylo, yhi).astype(np.int64)
    return {
        "rank": rank, "x_type": xtype, "w_type": wtype, "y_type": ytype, "adversarial": adversarial,
        "x_shape": list(x.shape), "w_shape": list(w.shape), "x": x.astype(np.int64).reshape(-1).tolist(), "w": w.astype(np.int64).reshape(-1).tolist(),
        "x_zero_point": xzp, "w_zero_point": wzp, "bias": bias, "stride": stride, "pads": [list(p) for p in pads], "dilation": dil, "group": group,
        "x_scale": float(x_scale), "w_scale": [float(v) for v in w_scale], "y_scale": float(y_scale), "y_zero_point": yzp,
        "multipliers": [float(v) for v in mult], "accumulation_shape": list(acc.shape), "accumulation": acc.reshape(-1).tolist(), "y": y.reshape(-1).tolist(),
    }


def main():
    cases = []
    for rank in (1, 2, 3):
        for xtype in TYPES:
            for wtype in TYPES:
                for per_channel in (False, True):
                    for with_bias in (False, True):
                        cases.append(case(rank, xtype, wtype, per_channel, with_bias))
        cases.append(case(rank, "uint8", "int8", False, False, adversarial=True))
    for i, c in enumerate(cases):
        c["id"] = f"q{c['rank']}d-{i:03d}-{c['x_type']}-{c['w_type']}-{'channel' if len(c['w_zero_point']) > 1 else 'tensor'}" + ("-adversarial" if c["adversarial"] else "")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "quantized.json"), "w") as f:
        f.write('{"generator": "tests/golden/quantized.py", "numpy": "%s", "seed": %d, "cases": [\n' % (np.__version__, SEED))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
