#!/usr/bin/python3
"""Outputs PyTorch made with each common convolution mistake, for `convmat check`'s diagnosis.

Run by hand with Debian's python (torch 1.13):  /usr/bin/python3 tests/cli-fixtures/make_check_fixtures.py
It rewrites check/ and check/check_cases.json; CI only reads them. Each case is a `convmat check` command line
(args, with the arrays) and the verdict it must end with: `agree`, `disagree: IDENTIFIER` or `disagree: unexplained`.
Every mistaken output is computed by torch.nn.functional with the mistake made the way code makes it.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from npy_fixtures import randn, saver

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check")
os.makedirs(HERE, exist_ok=True)
torch.manual_seed(20261201)
cases = []


save = saver(HERE)


def case(name, op, args, x, w, b, y, verdict):
    entry = {"name": name, "op": op, "args": args, "verdict": verdict,
             "input": save(name + "_x", x), "weight": save(name + "_w", w), "output": save(name + "_y", y)}
    if b is not None:
        entry["bias"] = save(name + "_b", b)
    cases.append(entry)


# ---- agree: PyTorch's own outputs, float64 and float32 (rounded by PyTorch in float32) ----
x, w, b = randn(2, 3, 7, 6), randn(4, 3, 3, 3), randn(4)
case("agree_conv2d", "conv", ["--padding", "1", "--stride", "2"], x, w, b, F.conv2d(x, w, b, padding=1, stride=2), "agree")
x, w, b = randn(1, 16, 9, 9, dtype=torch.float32), randn(8, 16, 3, 3, dtype=torch.float32), randn(8, dtype=torch.float32)
case("agree_conv2d_float32", "conv", ["--padding", "1"], x, w, b, F.conv2d(x, w, b, padding=1), "agree")
y, w, b = randn(2, 4, 3, 4), randn(4, 3, 3, 3), randn(3)
case("agree_tconv2d_outpad", "tconv", ["--stride", "2", "--padding", "1", "--output-padding", "1"], y, w, b,
     F.conv_transpose2d(y, w, b, stride=2, padding=1, output_padding=1), "agree")
x, w = randn(3, 10), randn(2, 3, 3)
case("agree_conv1d_unbatched", "conv", ["--dilation", "2"], x, w, None, F.conv1d(x, w, dilation=2), "agree")

# ---- one mistake each ----
x, w, b = randn(1, 2, 6, 7), randn(3, 2, 3, 3), randn(3)
case("flipped_kernel_conv2d", "conv", ["--padding", "1"], x, w, b, F.conv2d(x, w.flip(-1, -2), b, padding=1), "disagree: flipped-kernel")
y, w = randn(1, 2, 4, 5, dtype=torch.float32), randn(2, 3, 2, 3, dtype=torch.float32)
case("flipped_kernel_tconv2d_float32", "tconv", ["--stride", "2"], y, w, None, F.conv_transpose2d(y, w.flip(-1, -2), stride=2),
     "disagree: flipped-kernel")

x, w, b = randn(2, 3, 6, 6), randn(3, 3, 3, 3), randn(3)
case("swapped_channels_conv2d", "conv", ["--padding", "1"], x, w, b, F.conv2d(x, w.transpose(0, 1), b, padding=1), "disagree: swapped-channels")
y, w = randn(1, 4, 5), randn(4, 4, 3)
case("swapped_channels_tconv1d", "tconv", ["--stride", "2"], y, w, None, F.conv_transpose1d(y, w.transpose(0, 1), stride=2),
     "disagree: swapped-channels")

# ONNX SAME_UPPER expected (even kernel: total 3, pads (1, 2)); the engine padded SAME_LOWER (2, 1).
x, w = randn(1, 2, 8, 8), randn(2, 2, 4, 4)
case("padding_shifted_same_lower", "conv", ["--auto-pad", "same-upper"], x, w, None, F.conv2d(F.pad(x, [2, 1, 2, 1]), w), "disagree: padding-shifted")
x, w = randn(1, 1, 9), randn(2, 1, 3)
case("padding_shifted_swapped_pads", "conv", ["--padding", "2:0"], x, w, None, F.conv1d(F.pad(x, [0, 2]), w), "disagree: padding-shifted")

y, w, b = randn(1, 2, 3, 3), randn(2, 2, 3, 3), randn(2)
case("output_padding_wrong_side", "tconv", ["--stride", "2", "--padding", "1", "--output-padding", "1"], y, w, b,
     F.pad(F.conv_transpose2d(y, w, b, stride=2, padding=1), [1, 0, 1, 0]), "disagree: output-padding-wrong-side")

x, w = randn(1, 2, 9, 9), randn(2, 2, 3, 3)
case("stride_dilation_swapped", "conv", ["--stride", "2,1", "--dilation", "1,2"], x, w, None, F.conv2d(x, w, stride=(1, 2), dilation=(2, 1)),
     "disagree: stride-dilation-swapped")

x, w, b = randn(1, 4, 5, 5), randn(6, 2, 3, 3), randn(6)
first_group_everywhere = x[:, :2].repeat(1, 2, 1, 1)
case("groups_ignored", "conv", ["--groups", "2", "--padding", "1"], x, w, b, F.conv2d(first_group_everywhere, w, b, padding=1, groups=2),
     "disagree: groups-ignored")

x, w = randn(1, 1, 6, 6), randn(2, 1, 3, 3)
case("transposed_spatial", "conv", [], x, w, None, F.conv2d(x, w.transpose(-1, -2)), "disagree: transposed-spatial")

x, w, b = randn(2, 2, 5), randn(3, 2, 2), randn(3)
case("bias_missing", "conv", [], x, w, b, F.conv1d(x, w), "disagree: bias-missing")
case("bias_twice", "conv", [], x, w, b, F.conv1d(x, w, b) + b.reshape(1, 3, 1), "disagree: bias-twice")

x, w = randn(1, 2, 7, 7), randn(2, 2, 3, 3)
case("no_padding", "conv", ["--padding", "1"], x, w, None, F.conv2d(x, w), "disagree: no-padding")

x, w, b = randn(2, 3, 4, 5), randn(4, 3, 3, 3), randn(4)
right = F.conv2d(x, w, b, padding=1)
case("channels_last", "conv", ["--padding", "1"], x, w, b, right.permute(0, 2, 3, 1).contiguous().reshape(right.shape), "disagree: channels-last")

# ---- unexplained: one element wrong; and an output of a shape nothing makes ----
x, w = randn(1, 3, 6, 6), randn(2, 3, 3, 3)
wrong = F.conv2d(x, w, padding=1).clone()
wrong[0, 1, 2, 4] += 0.5
case("unexplained_one_element", "conv", ["--padding", "1"], x, w, None, wrong, "disagree: unexplained")
case("unexplained_shape", "conv", ["--padding", "1"], x, w, None, randn(1, 2, 5, 5), "disagree: unexplained")

with open(os.path.join(HERE, "check_cases.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"{len(cases)} check cases")
