#!/usr/bin/python3
"""ResNet-18 exactly as torchvision builds it (module names, construction order, kaiming fan_out init; with
torch.manual_seed(0) the same weights as make_resnet18.py), without torchvision, exported with a FIXED input size.

Usage: /usr/bin/python3 tests/onnx/make_resnet18_plain.py OUT.onnx SIZE     (SIZE 64 or 224 in docs/onnx.md)
Then: convmat onnx norm OUT.onnx --json > OUT.json; check_norms_arpack.py SIZE OUT.json checks every interval.
"""
import sys, torch, torch.nn as nn
class Block(nn.Module):
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.bn1 = nn.BatchNorm2d(cout); s.relu = nn.ReLU(inplace=True)
        s.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.bn2 = nn.BatchNorm2d(cout)
        s.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) if stride != 1 or cin != cout else None
    def forward(s, x):
        i = x if s.downsample is None else s.downsample(x)
        return s.relu(s.bn2(s.conv2(s.relu(s.bn1(s.conv1(x))))) + i)
class ResNet18(nn.Module):
    def __init__(s):
        super().__init__()
        s.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False); s.bn1 = nn.BatchNorm2d(64); s.relu = nn.ReLU(inplace=True)
        s.maxpool = nn.MaxPool2d(3, 2, 1)
        s.layer1 = nn.Sequential(Block(64, 64, 1), Block(64, 64, 1))
        s.layer2 = nn.Sequential(Block(64, 128, 2), Block(128, 128, 1))
        s.layer3 = nn.Sequential(Block(128, 256, 2), Block(256, 256, 1))
        s.layer4 = nn.Sequential(Block(256, 512, 2), Block(512, 512, 1))
        s.avgpool = nn.AdaptiveAvgPool2d(1); s.fc = nn.Linear(512, 1000)
        for m in s.modules():
            if isinstance(m, nn.Conv2d): nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    def forward(s, x):
        x = s.maxpool(s.relu(s.bn1(s.conv1(x))))
        x = s.layer4(s.layer3(s.layer2(s.layer1(x))))
        return s.fc(torch.flatten(s.avgpool(x), 1))
if __name__ != "__main__":
    raise SystemExit  # imported for the model only
out, size = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
m = ResNet18().eval()
torch.onnx.export(m, torch.randn(1, 3, size, size), out, opset_version=13, input_names=["input"], output_names=["logits"])
print(out)
