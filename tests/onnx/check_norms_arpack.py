#!/usr/bin/python3
"""Independent check of `convmat onnx norm --json` on make_resnet18_plain.py's model: ARPACK (scipy svds) on each V,
given by torch's conv2d / conv_transpose2d in float64 with the weights rounded to float32 as the .onnx stores them
(the exporter folds the eval BatchNorm in float32). Prints each interval and whether ARPACK's σ_max lies inside.

Usage: /usr/bin/python3 tests/onnx/check_norms_arpack.py SIZE OUT.json [name,name...]
"""
import os, sys, json, math, numpy as np, torch, torch.nn.functional as F
from scipy.sparse.linalg import svds, LinearOperator
size, js = int(sys.argv[1]), sys.argv[2]
only = sys.argv[3].split(',') if len(sys.argv) > 3 else None
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make_resnet18_plain.py')).read().split('if __name__ !=')[0])
torch.manual_seed(0)
m = ResNet18().eval()
d = json.load(open(js))
res = {l['name']: l for l in d['layers']}
x = torch.zeros(1, 3, size, size)
shapes = {}
def hook(name):
    def f(mod, inp, out): shapes[name] = inp[0].shape
    return f
for name, mod in m.named_modules():
    if isinstance(mod, torch.nn.Conv2d): mod.register_forward_hook(hook(name))
with torch.no_grad(): m(x)
worst = 0
for name, mod in m.named_modules():
    if not isinstance(mod, torch.nn.Conv2d): continue
    parts = name.split('.')
    key = ''.join('/' + (parts[k - 1] + '.' + parts[k] if parts[k].isdigit() else parts[k]) for k in range(len(parts))) + '/Conv'
    if key not in res: print('?', name, key); continue
    onnx = [key]
    l = res[onnx[0]]
    if only and not any(o in name for o in only): continue
    # The exporter folds the eval BatchNorm in float32: w·(γ/√(var + eps)) rounded to float32, as the .onnx stores it.
    w = (mod.weight.detach() * (torch.ones(1) / torch.sqrt(torch.ones(1) + 1e-5))).double()
    s = shapes[name]; inshape = (1, s[1], s[2], s[3])
    y0 = F.conv2d(torch.zeros(inshape, dtype=torch.float64), w, stride=mod.stride, padding=mod.padding)
    rows, cols = y0.numel(), int(np.prod(inshape))
    def mv(v): return F.conv2d(torch.from_numpy(np.ascontiguousarray(v.reshape(inshape))), w, stride=mod.stride, padding=mod.padding).numpy().ravel()
    def rmv(u):
        out = F.conv_transpose2d(torch.from_numpy(np.ascontiguousarray(u.reshape(y0.shape))), w, stride=mod.stride, padding=mod.padding,
                                 output_padding=[inshape[2 + i] - ((y0.shape[2 + i] - 1) * mod.stride[i] - 2 * mod.padding[i] + mod.kernel_size[i]) for i in range(2)])
        return out.numpy().ravel()
    A = LinearOperator((rows, cols), matvec=mv, rmatvec=rmv, dtype=np.float64)
    sigma = svds(A, k=1, tol=1e-12, return_singular_vectors=False, random_state=0)[0]
    inside = l['lower'] <= sigma * (1 + 1e-12) and sigma <= l['upper'] * (1 + 1e-12)
    worst = max(worst, abs(sigma - l['value']) / sigma)
    print(f"{name:28s} ARPACK {sigma:.12f}  interval [{l['lower']:.12f}, {l['upper']:.12f}]  {'inside' if inside else 'OUTSIDE'}  |value-ARPACK|/ARPACK {abs(sigma-l['value'])/sigma:.1e}", flush=True)
print('largest relative difference of the value from ARPACK', worst)
