#!/usr/bin/python3
"""Writes a ResNet-18 with random weights (torch.manual_seed(0)) as ONNX, for `convmat onnx verify`.

Usage: /usr/bin/python3 tests/onnx/make_resnet18.py OUT.onnx [--external]
Needs Debian's python3-torch and python3-torchvision. The model is ~45 MB, so it is built, not committed.
--external stores the weights in OUT.onnx.data beside it (ONNX external data), through python3-onnx.
"""
import sys

import torch
import torchvision


def main() -> None:
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--external"):
        sys.exit("usage: make_resnet18.py OUT.onnx [--external]")
    out = sys.argv[1]
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    # Eval mode: the exporter folds each BatchNorm into the Conv before it, so every Conv has a bias.
    torch.onnx.export(model, x, out, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    if len(sys.argv) == 3:
        import os
        import onnx
        m = onnx.load(out)
        onnx.save_model(m, out, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=os.path.basename(out) + ".data", size_threshold=1024)
    print(out)


if __name__ == "__main__":
    main()
