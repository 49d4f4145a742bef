#!/usr/bin/python3
"""Writes the golden cases ConvAsMatrix is checked against, computed by real PyTorch.

Run by hand, never by CI (CI reads the committed JSON files):

    /usr/bin/python3 tests/golden/generate.py

Needs Debian's python3-torch (1.13). Output, next to this script:
    conv.json            conv{1,2,3}d: V·x, and autograd's gradients of (y·g).sum() for every padding mode:
                         input Vᵀ·g, weight U(x)ᵀ·g, bias Σ g
    conv_transpose.json  conv_transpose{1,2,3}d: Vᵀ·y, and autograd's gradients: input V·g, weight, bias

Every case is one JSON object on its own line; tensors are flattened row-major (reshape(-1)) and
doubles are written with Python's repr (shortest round-trip form), so C# parses them back exactly.

Semantics reproduced:
  * conv with symmetric padding, 'same' or 'valid': nn.Conv{1,2,3}d with padding_mode (PyTorch's own code path).
  * conv with asymmetric padding: F.pad(x, pads, mode) then F.conv{1,2,3}d with padding 0.
  * conv_transpose with symmetric padding: F.conv_transpose{1,2,3}d.
  * conv_transpose with asymmetric padding (ONNX pads): conv_transpose with padding 0, then crop
    `before` elements at the start and `after` at the end of every dimension.
"""
import json
import os
import random
import warnings

import torch
import torch.nn.functional as F

SEED = 20261124
MODES = ["zeros", "reflect", "replicate", "circular"]
CONV = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}
FCONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
FTCONV = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}

rng = random.Random(SEED)
gen = torch.Generator().manual_seed(SEED)


def rand(*shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def sizes(rank):
    """Spatial input sizes and kernel sizes small enough to keep the files at a few MB."""
    hi = {1: 12, 2: 8, 3: 5}[rank]
    khi = {1: 5, 2: 4, 3: 3}[rank]
    return hi, khi


def conv_case(rank, mode, style):
    hi, khi = sizes(rank)
    for _ in range(1000):
        groups = rng.choice([1, 1, 2, 3])
        cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
        batch = rng.randint(1, 2)
        k = [rng.randint(1, khi) for _ in range(rank)]
        dil = [rng.choice([1, 1, 2, 3]) for _ in range(rank)]
        stride = [1] * rank if style == "same" else [rng.choice([1, 1, 2, 3]) for _ in range(rank)]
        n = [rng.randint(2, hi) for _ in range(rank)]
        if style == "symmetric":
            p = [rng.randint(0, 3) for _ in range(rank)]
            pads = [(v, v) for v in p]
        elif style == "asymmetric":
            pads = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(rank)]
            if all(b == a for b, a in pads):
                continue
        elif style == "same":
            pads = [(d * (kk - 1) // 2, d * (kk - 1) - d * (kk - 1) // 2) for d, kk in zip(dil, k)]
        else:  # valid
            pads = [(0, 0)] * rank
        out = [(nn + b + a - d * (kk - 1) - 1) // s + 1 for nn, (b, a), d, kk, s in zip(n, pads, dil, k, stride)]
        if min(out) < 1:
            continue
        if mode == "reflect" and any(max(b, a) >= nn for (b, a), nn in zip(pads, n)):
            continue
        if mode == "circular" and any(max(b, a) > nn for (b, a), nn in zip(pads, n)):
            continue
        break
    else:
        raise RuntimeError(f"no valid conv case for rank {rank}, {mode}, {style}")

    x = rand(batch, cin, *n).requires_grad_(True)
    w = rand(cout, cin // groups, *k).requires_grad_(True)
    bias = rand(cout).requires_grad_(True) if rng.random() < 0.5 else None
    params = (w, bias)  # the leaves autograd differentiates: F's own tensors, or the module's parameters
    if style == "asymmetric":
        pad_arg = [v for b, a in reversed(pads) for v in (b, a)]  # F.pad: last dimension first
        xp = F.pad(x, pad_arg, mode="constant" if mode == "zeros" else mode)
        y = FCONV[rank](xp, w, bias, stride=stride, padding=0, dilation=dil, groups=groups)
        padding = [[b, a] for b, a in pads]
    else:
        padding = style if style in ("same", "valid") else [b for b, _ in pads]
        m = CONV[rank](cin, cout, k, stride=stride, padding=padding if isinstance(padding, str) else tuple(padding),
                       dilation=dil, groups=groups, bias=bias is not None, padding_mode=mode).double()
        with torch.no_grad():
            m.weight.copy_(w)
            if bias is not None:
                m.bias.copy_(bias)
        params = (m.weight, m.bias)
        y = m(x)
        if not isinstance(padding, str):
            padding = [[b, b] for b in padding]
    assert list(y.shape[2:]) == out, (y.shape, out)
    g = rand(*y.shape)
    gx, gw, gb = gradients(y, x, params, g)
    return {
        "kind": "conv", "rank": rank, "padding_mode": mode, "padding_style": style,
        "input_shape": list(x.shape), "weight_shape": list(w.shape), "stride": stride, "padding": padding,
        "dilation": dil, "groups": groups, "bias": None if bias is None else flat(bias),
        "input": flat(x), "weight": flat(w), "output_shape": list(y.shape), "output": flat(y),
        "grad_output": flat(g), "grad_input": flat(gx), "grad_weight": flat(gw), "grad_bias": None if gb is None else flat(gb),
    }


def tconv_case(rank, style, op_style):
    hi, khi = sizes(rank)
    hi = max(2, hi // 2 + 1)
    for _ in range(1000):
        groups = rng.choice([1, 1, 2, 3])
        cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
        batch = rng.randint(1, 2)
        k = [rng.randint(1, khi) for _ in range(rank)]
        m = [rng.randint(1, hi) for _ in range(rank)]
        if op_style == "zero":
            stride = [rng.choice([1, 2, 3]) for _ in range(rank)]
            dil = [rng.choice([1, 1, 2]) for _ in range(rank)]
            op = [0] * rank
        elif op_style == "below_stride":
            stride = [rng.choice([2, 3]) for _ in range(rank)]
            dil = [rng.choice([1, 1, 2]) for _ in range(rank)]
            op = [rng.randint(0, s - 1) for s in stride]
            if max(op) == 0:
                continue
        else:  # at_least_stride: output_padding >= stride, allowed because dilation > stride
            stride = [rng.choice([1, 2]) for _ in range(rank)]
            dil = [s + rng.randint(1, 2) for s in stride]
            op = [rng.randint(s, d - 1) for s, d in zip(stride, dil)]
        if style == "symmetric":
            p = [rng.randint(0, 3) for _ in range(rank)]
            pads = [(v, v) for v in p]
        elif style == "asymmetric":
            pads = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(rank)]
            if all(b == a for b, a in pads):
                continue
        else:  # valid
            pads = [(0, 0)] * rank
        out = [(mm - 1) * s - b - a + d * (kk - 1) + o + 1 for mm, s, (b, a), d, kk, o in zip(m, stride, pads, dil, k, op)]
        if min(out) < 1:
            continue
        break
    else:
        raise RuntimeError(f"no valid conv_transpose case for rank {rank}, {style}, {op_style}")

    x = rand(batch, cin, *m).requires_grad_(True)
    w = rand(cin, cout // groups, *k).requires_grad_(True)
    bias = rand(cout).requires_grad_(True) if rng.random() < 0.5 else None
    if style == "asymmetric":
        full = FTCONV[rank](x, w, bias, stride=stride, padding=0, output_padding=op, groups=groups, dilation=dil)
        index = tuple([slice(None), slice(None)] + [slice(b, full.shape[2 + d] - a) for d, (b, a) in enumerate(pads)])
        y = full[index]
        padding = [[b, a] for b, a in pads]
    else:
        y = FTCONV[rank](x, w, bias, stride=stride, padding=[b for b, _ in pads], output_padding=op, groups=groups, dilation=dil)
        padding = "valid" if style == "valid" else [[b, b] for b, _ in pads]
    assert list(y.shape[2:]) == out, (y.shape, out)
    g = rand(*y.shape)
    gx, gw, gb = gradients(y, x, (w, bias), g)
    return {
        "kind": "conv_transpose", "rank": rank, "padding_mode": "zeros", "padding_style": style, "output_padding_style": op_style,
        "input_shape": list(x.shape), "weight_shape": list(w.shape), "stride": stride, "padding": padding,
        "output_padding": op, "dilation": dil, "groups": groups, "bias": None if bias is None else flat(bias),
        "input": flat(x), "weight": flat(w), "output_shape": list(y.shape), "output": flat(y),
        "grad_output": flat(g), "grad_input": flat(gx), "grad_weight": flat(gw), "grad_bias": None if gb is None else flat(gb),
    }


def gradients(y, x, params, g):
    """autograd's gradients of (y·g).sum() with respect to the input, the weight and (when there is one) the bias."""
    w, bias = params
    leaves = [x, w] + ([bias] if bias is not None else [])
    grads = torch.autograd.grad((y * g).sum(), leaves)
    return grads[0], grads[1], grads[2] if bias is not None else None


def write(path, cases):
    with open(path, "w") as f:
        f.write('{"generator": "tests/golden/generate.py", "torch": "%s", "seed": %d, "cases": [\n' % (torch.__version__, SEED))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")


def main():
    warnings.filterwarnings("ignore", message="Using padding='same'")  # PyTorch's own performance note
    here = os.path.dirname(os.path.abspath(__file__))
    conv = []
    for rank in (1, 2, 3):
        for mode in MODES:
            for style in ("symmetric", "asymmetric", "same", "valid"):
                for _ in range(5 if rank < 3 else 3):
                    conv.append(conv_case(rank, mode, style))
    tconv = []
    for rank in (1, 2, 3):
        for style in ("symmetric", "asymmetric", "valid"):
            for op_style in ("zero", "below_stride", "at_least_stride"):
                for _ in range(5 if rank < 3 else 4):
                    tconv.append(tconv_case(rank, style, op_style))
    for i, c in enumerate(conv):
        c["id"] = f"conv{c['rank']}d-{i:03d}-{c['padding_mode']}-{c['padding_style']}"
    for i, c in enumerate(tconv):
        c["id"] = f"conv_transpose{c['rank']}d-{i:03d}-{c['padding_style']}-op_{c['output_padding_style']}"
    write(os.path.join(here, "conv.json"), conv)
    write(os.path.join(here, "conv_transpose.json"), tconv)
    print(f"{len(conv)} conv cases, {len(tconv)} conv_transpose cases")


if __name__ == "__main__":
    main()
