#!/usr/bin/python3
"""Golden files for the convmat command-line tests, computed by PyTorch.

Run by hand with Debian's python (torch 1.13, numpy):  /usr/bin/python3 tests/cli-fixtures/make_fixtures.py
It rewrites the .npy files and cases.json in this folder; CI only reads them.

Each case of cases.json is one convmat command line (with {dir} standing for this folder and {out} for the
output file), and the .npy file torch.nn.functional computed for the same arguments. Asymmetric padding and
padding modes other than zeros are computed as PyTorch users do: F.pad, then an unpadded convolution.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from numpy.lib import format as npformat

from npy_fixtures import randn, saver

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(20261124)
cases = []


save = saver(HERE)


def small_ints(*shape, dtype=torch.float64):
    # Integers in [-4, 4]: every product and sum is exact in float64, so the comparison can be exact too.
    return torch.randint(-4, 5, shape).to(dtype)


def case(name, command, args, x, w, b, expected, exact=False):
    entry = {"name": name, "command": command, "exact": exact,
             "input": save(name + "_x", x), "weight": save(name + "_w", w),
             "expected": save(name + "_expected", expected), "args": args,
             "dtype": "float32" if expected.dtype == torch.float32 else "float64"}
    if b is not None:
        entry["bias"] = save(name + "_b", b)
    cases.append(entry)


def torch_pad_list(pairs):
    """[(before, after) per spatial dim, first dim first] -> F.pad's (last dim first) flat list."""
    flat = []
    for before, after in reversed(pairs):
        flat += [before, after]
    return flat


# ---- conv: zeros padding, stride, dilation, groups, bias; 1-D, 2-D, 3-D ----
x, w, b = randn(2, 3, 5, 5), randn(4, 3, 3, 3), randn(4)
case("conv2d_pad1_bias", "conv", ["--padding", "1"], x, w, b, F.conv2d(x, w, b, padding=1))

x, w = randn(1, 2, 7, 6), randn(3, 2, 2, 3)
case("conv2d_stride_dilation", "conv", ["--stride", "2,1", "--dilation", "1,2", "--padding", "1,2"], x, w, None,
     F.conv2d(x, w, stride=(2, 1), dilation=(1, 2), padding=(1, 2)))

x, w, b = randn(2, 4, 5, 5), randn(6, 2, 3, 3), randn(6)
case("conv2d_groups", "conv", ["--groups", "2", "--stride", "2"], x, w, b, F.conv2d(x, w, b, stride=2, groups=2))

x, w = small_ints(1, 2, 6, 5), small_ints(2, 2, 3, 2)
case("conv2d_same_exact", "conv", ["--padding", "same", "--dilation", "2"], x, w, None,
     F.conv2d(x, w, padding="same", dilation=2), exact=True)

x, w = randn(1, 1, 6, 6), randn(2, 1, 3, 3)
case("conv2d_valid", "conv", ["--padding", "valid"], x, w, None, F.conv2d(x, w, padding="valid"))

pairs = [(1, 2), (0, 1)]
x, w, b = randn(1, 2, 5, 6), randn(3, 2, 3, 3), randn(3)
case("conv2d_asymmetric", "conv", ["--padding", "1:2,0:1"], x, w, b, F.conv2d(F.pad(x, torch_pad_list(pairs)), w, b))

for mode in ["reflect", "replicate", "circular"]:
    x, w, b = randn(2, 2, 5, 6), randn(3, 2, 3, 3), randn(3)
    padded = F.pad(x, torch_pad_list([(1, 1), (2, 2)]), mode=mode)
    case(f"conv2d_{mode}", "conv", ["--padding", "1,2", "--padding-mode", mode, "--stride", "1,2"], x, w, b,
         F.conv2d(padded, w, b, stride=(1, 2)))
    # The same through nn.Conv2d's own padding_mode, to pin that the two spellings agree.
    layer = torch.nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode, stride=(1, 2), dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
        assert torch.allclose(layer(x), F.conv2d(padded, w, b, stride=(1, 2)))

x, w, b = randn(2, 2, 9), randn(3, 2, 3), randn(3)
case("conv1d_stride_dilation", "conv", ["--stride", "2", "--dilation", "2", "--padding", "2"], x, w, b,
     F.conv1d(x, w, b, stride=2, dilation=2, padding=2))

x, w = randn(1, 2, 9), randn(2, 1, 4)
case("conv1d_groups_reflect", "conv", ["--groups", "2", "--padding", "3:1", "--padding-mode", "reflect"], x, w, None,
     F.conv1d(F.pad(x, [3, 1], mode="reflect"), w, groups=2))

x, w, b = randn(1, 2, 4, 5, 4), randn(2, 2, 2, 3, 2), randn(2)
case("conv3d_stride_pad", "conv", ["--stride", "1,2,1", "--padding", "1"], x, w, b,
     F.conv3d(x, w, b, stride=(1, 2, 1), padding=1))

x, w = randn(1, 1, 4, 4, 5), randn(1, 1, 2, 2, 3)
case("conv3d_circular", "conv", ["--padding", "1,0,2", "--padding-mode", "circular"], x, w, None,
     F.conv3d(F.pad(x, torch_pad_list([(1, 1), (0, 0), (2, 2)]), mode="circular"), w))

x, w, b = randn(2, 3, 6, 6, dtype=torch.float32), randn(2, 3, 3, 3, dtype=torch.float32), randn(2, dtype=torch.float32)
case("conv2d_float32", "conv", ["--padding", "1", "--stride", "2"], x, w, b, F.conv2d(x, w, b, padding=1, stride=2))

# ---- tconv: stride, padding, output_padding, dilation, groups, bias; 1-D, 2-D, 3-D ----
y, w, b = randn(2, 3, 4, 4), randn(3, 2, 3, 3), randn(2)
case("tconv2d_stride_outpad", "tconv", ["--stride", "2", "--padding", "1", "--output-padding", "1"], y, w, b,
     F.conv_transpose2d(y, w, b, stride=2, padding=1, output_padding=1))

y, w, b = randn(1, 4, 3, 5), randn(4, 3, 2, 3), randn(6)
case("tconv2d_groups", "tconv", ["--groups", "2", "--stride", "2,1", "--dilation", "1,2"], y, w, b,
     F.conv_transpose2d(y, w, b, stride=(2, 1), dilation=(1, 2), groups=2))

y, w = small_ints(1, 2, 2, 2), small_ints(2, 1, 2, 2)
case("tconv2d_exact", "tconv", ["--stride", "2"], y, w, None, F.conv_transpose2d(y, w, stride=2), exact=True)

y, w, b = randn(2, 2, 6), randn(2, 3, 3), randn(3)
case("tconv1d_dilation", "tconv", ["--dilation", "2", "--padding", "1", "--stride", "3", "--output-padding", "2"], y, w, b,
     F.conv_transpose1d(y, w, b, dilation=2, padding=1, stride=3, output_padding=2))

y, w = randn(1, 2, 2, 3, 2), randn(2, 1, 2, 2, 3)
case("tconv3d_stride", "tconv", ["--stride", "2,1,2", "--padding", "0,1,1"], y, w, None,
     F.conv_transpose3d(y, w, stride=(2, 1, 2), padding=(0, 1, 1)))

y, w, b = randn(1, 2, 3, 3, dtype=torch.float32), randn(2, 2, 3, 3, dtype=torch.float32), randn(2, dtype=torch.float32)
case("tconv2d_float32", "tconv", ["--stride", "2", "--padding", "1"], y, w, b, F.conv_transpose2d(y, w, b, stride=2, padding=1))

# ---- compile: V as the Jacobian of the convolution with respect to its input (torch.autograd) ----
def jacobian_case(name, x_shape, w, args, fn):
    v = torch.autograd.functional.jacobian(fn, torch.zeros(x_shape, dtype=torch.float64))
    rows = int(np.prod(fn(torch.zeros(x_shape, dtype=torch.float64)).shape))
    return {"name": name, "weight": save(name + "_w", w), "input_shape": ",".join(str(s) for s in x_shape[1:]),
            "args": args, "expected": save(name + "_V", v.reshape(rows, -1))}


compile_cases = []
w = randn(2, 2, 2, 3)
compile_cases.append(jacobian_case("compile2d_stride_pad", (1, 2, 4, 5), w, ["--stride", "2,1", "--padding", "1"],
                                   lambda x: F.conv2d(x, w, stride=(2, 1), padding=1)))
w = randn(2, 1, 3)
compile_cases.append(jacobian_case("compile1d_reflect_groups", (1, 2, 6), w, ["--groups", "2", "--padding", "2:1", "--padding-mode", "reflect"],
                                   lambda x: F.conv1d(F.pad(x, [2, 1], mode="reflect"), w, groups=2)))

# ---- the .npy format variants numpy writes (versions 2.0 and 3.0; and what the reader must refuse) ----
sample = np.arange(12, dtype="<f8").reshape(3, 4) / 8
for version in [(1, 0), (2, 0), (3, 0)]:
    with open(os.path.join(HERE, f"format_v{version[0]}.npy"), "wb") as f:
        npformat.write_array(f, sample, version=version)
np.save(os.path.join(HERE, "format_f4_scalar.npy"), np.array(2.5, dtype="<f4"))
np.save(os.path.join(HERE, "format_empty.npy"), np.zeros((0, 3), dtype="<f8"))
np.save(os.path.join(HERE, "reject_fortran.npy"), np.asfortranarray(sample))
np.save(os.path.join(HERE, "reject_bigendian.npy"), sample.astype(">f8"))
np.save(os.path.join(HERE, "reject_int64.npy"), np.arange(6, dtype="<i8"))

# ---- issue 9: PyTorch's output_size, unbatched input, ONNX's auto_pad and output_shape (appended last, so the
# random draws of every case above are unchanged) ----
def tconv_module(w, b, stride, padding, dilation=1, groups=1):
    layer = torch.nn.ConvTranspose2d if w.dim() == 4 else (torch.nn.ConvTranspose1d if w.dim() == 3 else torch.nn.ConvTranspose3d)
    m = layer(w.shape[0], w.shape[1] * groups, tuple(w.shape[2:]), stride=stride, padding=padding, dilation=dilation,
              groups=groups, bias=b is not None, dtype=w.dtype)
    with torch.no_grad():
        m.weight.copy_(w)
        if b is not None:
            m.bias.copy_(b)
    return m


# PyTorch's ConvTranspose.forward(input, output_size=...): output_padding chosen, padding kept.
y, w, b = randn(2, 2, 4, 3), randn(2, 3, 3, 3), randn(3)
case("tconv2d_output_size", "tconv", ["--stride", "3,2", "--padding", "1", "--output-size", "11,6"], y, w, b,
     tconv_module(w, b, (3, 2), 1)(y, output_size=[11, 6]))
y, w = randn(1, 2, 5), randn(2, 2, 3)
case("tconv1d_output_size_dilation", "tconv", ["--stride", "2", "--dilation", "3", "--output-size", "16"], y, w, None,
     tconv_module(w, None, 2, 0, dilation=3)(y, output_size=[16]))
y, w, b = randn(1, 4, 2, 3, 2), randn(4, 1, 2, 2, 3), randn(2)
case("tconv3d_output_size_groups", "tconv", ["--stride", "2", "--groups", "2", "--output-size", "5,7,5"], y, w, b,
     tconv_module(w, b, 2, 0, groups=2)(y, output_size=[5, 7, 5]))

# Unbatched (C, *spatial) input gives unbatched output.
x, w, b = randn(3, 5, 6), randn(2, 3, 3, 3), randn(2)
case("conv2d_unbatched", "conv", ["--padding", "1", "--stride", "2"], x, w, b, F.conv2d(x, w, b, padding=1, stride=2))
x, w = randn(2, 8), randn(4, 1, 3)
case("conv1d_unbatched_groups", "conv", ["--groups", "2", "--dilation", "2"], x, w, None, F.conv1d(x, w, groups=2, dilation=2))
y, w, b = randn(2, 3, 3), randn(2, 3, 2, 2), randn(3)
case("tconv2d_unbatched", "tconv", ["--stride", "2", "--padding", "1"], y, w, b, F.conv_transpose2d(y, w, b, stride=2, padding=1))
y, w = randn(2, 2, 3, 2), randn(2, 1, 2, 2, 2)
case("tconv3d_unbatched_output_size", "tconv", ["--stride", "2", "--output-size", "5,7,4"], y, w, None,
     tconv_module(w, None, 2, 0)(y, output_size=[5, 7, 4]))


# ONNX's auto_pad and output_shape, with the pads of the ONNX spec's formulas (floor division, as ONNX's reference
# implementation computes them in Python), applied as PyTorch users would: F.pad then an unpadded conv; for
# ConvTranspose the natural full output cropped (positive pads) or zero-extended (negative pads) by F.pad.
def onnx_split(total, upper):
    half = total // 2
    return (half, total - half) if upper else (total - half, half)


def onnx_conv(x, w, b, auto_pad, stride, dilation):
    pairs = []
    for n, k, s, d in zip(x.shape[2:], w.shape[2:], stride, dilation):
        out = -(-n // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - n)
        pairs.append(onnx_split(total, auto_pad == "same-upper") if auto_pad != "valid" else (0, 0))
    conv = {3: F.conv1d, 4: F.conv2d, 5: F.conv3d}[x.dim()]
    return conv(F.pad(x, torch_pad_list(pairs)), w, b, stride=stride, dilation=dilation)


def onnx_tconv(y, w, b, stride, dilation, upper, output_shape=None, output_padding=None):
    rank = y.dim() - 2
    output_padding = output_padding or [0] * rank
    tconv = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[rank]
    full = tconv(y, w, stride=stride, dilation=dilation, output_padding=output_padding)
    pairs = []
    for i in range(rank):
        target = output_shape[i] if output_shape else y.shape[2 + i] * stride[i]
        total = stride[i] * (y.shape[2 + i] - 1) + output_padding[i] + (w.shape[2 + i] - 1) * dilation[i] + 1 - target
        pairs.append(onnx_split(total, upper))
    out = F.pad(full, [-p for p in torch_pad_list(pairs)])
    return out if b is None else out + b.reshape(1, -1, *([1] * rank))


x, w, b = randn(1, 2, 7, 8), randn(3, 2, 4, 3), randn(3)
case("conv2d_autopad_same_upper_stride2", "conv", ["--auto-pad", "same-upper", "--stride", "2"], x, w, b,
     onnx_conv(x, w, b, "same-upper", (2, 2), (1, 1)))
x, w = randn(2, 1, 9, 6), randn(2, 1, 2, 3)
case("conv2d_autopad_same_lower_stride3_dilation", "conv", ["--auto-pad", "same-lower", "--stride", "3,2", "--dilation", "2,1"], x, w, None,
     onnx_conv(x, w, None, "same-lower", (3, 2), (2, 1)))
x, w = randn(1, 2, 10), randn(2, 2, 4)
case("conv1d_autopad_same_upper_stride4", "conv", ["--auto-pad", "same-upper", "--stride", "4"], x, w, None,
     onnx_conv(x, w, None, "same-upper", (4,), (1,)))
x, w = randn(1, 1, 4, 5, 6), randn(1, 1, 2, 3, 2)
case("conv3d_autopad_same_lower", "conv", ["--auto-pad", "same-lower", "--stride", "2,1,3"], x, w, None,
     onnx_conv(x, w, None, "same-lower", (2, 1, 3), (1, 1, 1)))
x, w = randn(1, 2, 7, 7), randn(1, 2, 3, 3)
case("conv2d_autopad_valid", "conv", ["--auto-pad", "valid", "--stride", "2"], x, w, None, onnx_conv(x, w, None, "valid", (2, 2), (1, 1)))

y, w, b = randn(1, 2, 3, 4), randn(2, 2, 3, 4), randn(2)
case("tconv2d_autopad_same_upper", "tconv", ["--auto-pad", "same-upper", "--stride", "2"], y, w, b, onnx_tconv(y, w, b, (2, 2), (1, 1), True))
y, w = randn(1, 1, 4, 3), randn(1, 2, 3, 2)
case("tconv2d_autopad_same_lower_dilation", "tconv", ["--auto-pad", "same-lower", "--stride", "2,3", "--dilation", "2,1"], y, w, None,
     onnx_tconv(y, w, None, (2, 3), (2, 1), False))
# stride beyond the kernel extent: total padding negative (-2 and -1), so the output gains zero-fed positions.
y, w = randn(1, 1, 4), randn(1, 1, 2)
case("tconv1d_autopad_same_lower_negative", "tconv", ["--auto-pad", "same-lower", "--stride", "4"], y, w, None, onnx_tconv(y, w, None, (4,), (1,), False))
y, w = randn(1, 2, 3), randn(2, 1, 1)
case("tconv1d_autopad_same_upper_negative", "tconv", ["--auto-pad", "same-upper", "--stride", "2"], y, w, None, onnx_tconv(y, w, None, (2,), (1,), True))
y, w, b = randn(1, 2, 3, 3), randn(2, 1, 3, 3), randn(1)
case("tconv2d_output_shape_smaller", "tconv", ["--stride", "2", "--output-shape", "5,6"], y, w, b,
     onnx_tconv(y, w, b, (2, 2), (1, 1), False, output_shape=[5, 6]))
y, w = randn(1, 1, 3, 2), randn(1, 1, 2, 3)
case("tconv2d_output_shape_larger", "tconv", ["--stride", "3,2", "--output-shape", "11,9"], y, w, None,
     onnx_tconv(y, w, None, (3, 2), (1, 1), False, output_shape=[11, 9]))
y, w = randn(1, 1, 4), randn(1, 1, 3)
case("tconv1d_output_shape_same_upper_outpad", "tconv", ["--stride", "3", "--auto-pad", "same-upper", "--output-padding", "2", "--output-shape", "10"], y, w, None,
     onnx_tconv(y, w, None, (3,), (1,), True, output_shape=[10], output_padding=[2]))

with open(os.path.join(HERE, "cases.json"), "w") as f:
    json.dump({"torch": torch.__version__, "numpy": np.__version__, "cases": cases, "compile": compile_cases}, f, indent=1)
print(f"{len(cases)} conv/tconv cases, {len(compile_cases)} compile cases")
