#!/usr/bin/python3
"""Two experiments behind docs/solvers.md, "What the upper ends gain, layer by layer" (issue 21): why the 224² ResNet-18
layers on 28², 14² and 7² maps keep intervals wider than 0.1 %.

  twisted LAYER [R]   The circular bound over shifted ("twisted") grids: V's rows are a subset of the θ-circulant on the
                      padded grid N = n + 2, whose singular values are the symbol's at (2πj + θ)/N. Evaluates
                      σ_max(P(ω)) on an N·R-point grid per dimension once, then the maximum over each of the R² shifts
                      θ = 2π(a, b)/R; prints θ = 0 (the bound convmat uses), the best shift, and the widths against
                      ARPACK's σ_max (tests/onnx/check_norms_arpack.py, 224²). R = 4 took 4–7 minutes here.
  exact-cost          Flops of a Cholesky factorisation of τ²I − VᵀV in a geometric nested-dissection order (two-line
                      separators, the 5 × 5 site coupling of a 3 × 3 kernel's Gram, c × c dense blocks) and in the band
                      order, for the 224² stages' map sizes and channel counts.

Weights: make_resnet18_plain.py's (torch.manual_seed(0)), with the eval BatchNorm folded as the exporter does.
Usage: /usr/bin/python3 tests/onnx/norm_bound_experiments.py twisted layer4.0.conv2 4
       /usr/bin/python3 tests/onnx/norm_bound_experiments.py exact-cost
"""
import os, sys, math, numpy as np

ARPACK_224 = {'layer2.0.conv2': 2.861347754403, 'layer2.1.conv1': 2.904281806396, 'layer2.1.conv2': 2.808810850445,
              'layer3.0.conv2': 2.852699579862, 'layer3.1.conv1': 2.824678274230, 'layer3.1.conv2': 2.827010876405,
              'layer4.0.conv2': 2.766338724165, 'layer4.1.conv1': 2.764778907184, 'layer4.1.conv2': 2.753251469097}
MAP_224 = {'layer2': 28, 'layer3': 14, 'layer4': 7}


def twisted(name, R):
    import torch
    exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make_resnet18_plain.py')).read().split('if __name__ !=')[0], globals())
    torch.manual_seed(0)
    model = ResNet18().eval()
    w = (dict(model.named_modules())[name].weight.detach().double() / math.sqrt(1 + 1e-5)).numpy()
    n = MAP_224[name[:6]]
    N, k = n + 2, w.shape[2]
    M = N * R
    phase = np.exp(2j * np.pi * np.arange(M)[:, None] * np.arange(k)[None, :] / M)
    p = np.einsum('ak,bl,oikl->abio', phase, phase, w.astype(complex), optimize=True).reshape(M * M, w.shape[1], w.shape[0])
    sigma = torch.linalg.matrix_norm(torch.from_numpy(p), ord=2).numpy().reshape(M, M)
    truth = ARPACK_224[name]
    shifts = sorted((sigma[a::R, b::R].max(), a / R, b / R) for a in range(R) for b in range(R))
    at0 = sigma[::R, ::R].max()
    best, ta, tb = shifts[0]
    print(f'{name}: ARPACK {truth:.6f}; continuous sup >= {sigma.max():.6f}')
    print(f'  theta = 0:             {at0:.6f}  width {(at0 - truth) / at0:.2%}')
    print(f'  best of {R * R} shifts ({ta}, {tb}) x 2pi/N: {best:.6f}  width {(best - truth) / best:.2%}')


def exact_cost():
    def order(n):
        out = []
        def rec(r0, r1, c0, c1):
            h, w = r1 - r0, c1 - c0
            if h <= 0 or w <= 0: return
            if h <= 4 and w <= 4:
                out.extend((r, c) for r in range(r0, r1) for c in range(c0, c1)); return
            if h >= w:
                m = (r0 + r1) // 2 - 1
                rec(r0, m, c0, c1); rec(m + 2, r1, c0, c1)
                out.extend((r, c) for r in range(m, m + 2) for c in range(c0, c1))
            else:
                m = (c0 + c1) // 2 - 1
                rec(r0, r1, c0, m); rec(r0, r1, m + 2, c1)
                out.extend((r, c) for r in range(r0, r1) for c in range(m, m + 2))
        rec(0, n, 0, n)
        return out
    total = 0
    for n, c, layers in [(28, 128, 3), (14, 256, 3), (7, 512, 3)]:
        sites = order(n)
        at = {s: i for i, s in enumerate(sites)}
        adj = [set() for _ in sites]
        for (r, q), i in at.items():
            for dr in range(-2, 3):
                for dq in range(-2, 3):
                    j = at.get((r + dr, q + dq))
                    if j is not None and j != i: adj[i].add(j)
        flops, front = 0.0, 0
        for i in range(len(sites)):            # eliminate site i: its later neighbours become a clique (fill)
            later = [j for j in adj[i] if j > i]
            m = len(later)
            front = max(front, (m + 1) * c)
            flops += c ** 3 / 3 + m * c ** 3 + m * m * c ** 3
            for j in later: adj[j].update(x for x in later if x != j)
        band = n * n * c * ((2 * n + 2) * c) ** 2
        total += layers * flops
        print(f'{n}x{n}, {c} channels: {n * n * c} unknowns; nested dissection {flops:.2e} flops (largest front {front}); band {band:.2e}')
    print(f'the nine stride-1 224² layers wider than 0.1 % (3 each at 28², 14², 7²): {total:.2e} flops, the two strided ones not counted')


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'twisted':
        twisted(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 4)
    elif len(sys.argv) == 2 and sys.argv[1] == 'exact-cost':
        exact_cost()
    else:
        sys.exit(__doc__)
