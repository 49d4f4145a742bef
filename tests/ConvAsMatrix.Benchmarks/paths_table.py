#!/usr/bin/python3
"""Tables of the structured V on every kernel path, against PyTorch and ONNX Runtime, from one run of run-paths.sh.

Reads RUN_DIR:
  bench-<knob>-<dtype>.json   `convmat bench --json --threads 1` under one DOTNET_Enable* knob (rows carry isa, dtype,
                              gflops, peakFraction: the path's peak loop of the same process = gflops / peakFraction)
  bdn/results/*-report-full.json   BenchmarkDotNet: StructuredBenchmarks (Dtype float64/float32), OnnxRuntimeBenchmarks
                              (float32, one thread), PeakLoopBenchmark (every supported path, 1.92 GFLOP per call)
  torch.json                  pytorch_bench.py --threads 1 --dtype float64,float32
  workloads.json              ConvAsMatrix.Benchmarks.dll info (nominal flops per sample)
  machine.txt                 printed first
and prints markdown on stdout:
  1. every path x dtype x workload x batch x op of `convmat bench`: median time, GFLOP/s, share of that path's peak loop,
     ours/PyTorch and ours/ORT (time ratios: below 1 means ours is faster; ORT is float32 only, W2 W3 W5 W6);
  2. the BenchmarkDotNet run (default path, one thread): ours, ONNX Runtime and PyTorch side by side per dtype.

Usage: paths_table.py RUN_DIR
"""
import glob
import json
import os
import sys

from make_table import fmt_s, load_bdn

WIDTH = {"avx512": 512, "avx2": 256, "vector128": 128, "scalar": 0}
KNOB_ORDER = ["default", "noavx512", "noavx2", "scalar"]
PEAK_FLOPS_PER_CALL = 2 * 960_000_000  # PeakLoop.MultiplyAddsPerCall, 2 flops each


def width(path):
    """Vector bits of a KernelPath name: avx2+fma -> 256."""
    return WIDTH[path.split("+")[0]]


def bdn_peaks(bdn):
    """{(path, dtype): GFLOP/s} of PeakLoopBenchmark."""
    peaks = {}
    for (kind, _method, params), (seconds, _) in bdn.items():
        if kind.endswith("PeakLoopBenchmark"):
            p = dict(params)
            peaks[(p["Path"], p["Dtype"])] = PEAK_FLOPS_PER_CALL / seconds / 1e9
    return peaks


def best_path(peaks):
    """The widest path the BenchmarkDotNet process ran: KernelPath.Best there."""
    paths = {path for path, _ in peaks}
    return max(paths, key=width) if paths else None


def bdn_time(bdn, kind, method, **params):
    key = (f"ConvAsMatrix.Benchmarks.{kind}", method, tuple(sorted((k, str(v)) for k, v in params.items())))
    hit = bdn.get(key) or bdn.get((kind,) + key[1:])
    return hit[0] if hit else None


def pct(x):
    return "–" if x is None else f"{x:.0%}"


def num(x, digits=1):
    return "–" if x is None else f"{x:.{digits}f}"


def times(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    run = sys.argv[1]
    bdn = load_bdn(os.path.join(run, "bdn", "results"))
    torch = {(r["workload"], r["batch"], r["op"], r.get("dtype", "float64")): r["seconds"]
             for r in json.load(open(os.path.join(run, "torch.json"))) if r["threads"] == 1}
    flops = {w["workload"]: w["flops"] for w in json.load(open(os.path.join(run, "workloads.json")))}
    peaks = bdn_peaks(bdn)

    def ort(workload, batch, op):
        return bdn_time(bdn, "OnnxRuntimeBenchmarks", {"conv": "Conv", "tconv": "TConv"}[op], Batch=batch, Workload=workload)

    machine = os.path.join(run, "machine.txt")
    if os.path.exists(machine):
        print("```")
        print(open(machine).read().rstrip())
        print("```")
        print()

    rows = []
    for path in glob.glob(os.path.join(run, "bench-*.json")):
        knob = os.path.basename(path)[len("bench-"):].rsplit("-", 1)[0]
        rows += [dict(r, knob=knob) for r in json.load(open(path)) if r["op"] != "compile"]
    rows.sort(key=lambda r: (KNOB_ORDER.index(r["knob"]) if r["knob"] in KNOB_ORDER else 99, r["dtype"],
                             r["workload"], r["batch"], r["op"]))

    print("### Peak loops (one thread, GFLOP/s)")
    print()
    print("| source | path | float64 | float32 |")
    print("|---|---|---:|---:|")
    seen = {}
    for r in rows:
        if r.get("gflops") and r.get("peakFraction"):
            seen.setdefault((r["knob"], r["isa"]), {})[r["dtype"]] = r["gflops"] / r["peakFraction"] / r["threads"]
    for (knob, isa), by_dtype in seen.items():
        print(f"| convmat bench ({knob}) | {isa} | {num(by_dtype.get('float64'))} | {num(by_dtype.get('float32'))} |")
    for path in sorted({p for p, _ in peaks}, key=width, reverse=True):
        print(f"| BenchmarkDotNet (default) | {path} | {num(peaks.get((path, 'float64')))} | {num(peaks.get((path, 'float32')))} |")
    print()

    print("### Every path: `convmat bench --threads 1` under each knob")
    print()
    print("Time ratios: below 1 means ours takes less time. ORT: ONNX Runtime (MLAS), float32 only, from the"
          " BenchmarkDotNet run of the same script; PyTorch from pytorch_bench.py, one thread.")
    print()
    print("| path | dtype | workload | batch | op | ours | GFLOP/s | % of path's peak | PyTorch | ours/PyTorch | ORT | ours/ORT |")
    print("|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        w, b, op, dtype = r["workload"], r["batch"], r["op"], r["dtype"]
        t = torch.get((w, b, op, dtype))
        o = ort(w, b, op) if dtype == "float32" else None
        print(f"| {r['isa'] or r['form']} | {dtype} | {w} | {b} | {op} | {fmt_s(r['seconds'])} | {num(r.get('gflops'))} | "
              f"{pct(r.get('peakFraction'))} | {fmt_s(t)} | {times(r['seconds'], t)} | {fmt_s(o)} | {times(r['seconds'], o)} |")
    print()

    best = best_path(peaks)
    print(f"### BenchmarkDotNet, one thread, path {best or '?'}: ours against ONNX Runtime and PyTorch")
    print()
    print("| dtype | workload | batch | op | ours | GFLOP/s | % of peak | ORT | ORT GFLOP/s | ours/ORT | PyTorch | PyTorch GFLOP/s | ours/PyTorch |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for dtype in ("float32", "float64"):
        peak = peaks.get((best, dtype))
        for w in sorted(flops):
            for b in (1, 16):
                for op, method in (("conv", "Conv"), ("tconv", "TConv")):
                    ours = bdn_time(bdn, "StructuredBenchmarks", method, Batch=b, Dtype=dtype, Threads=1, Workload=w)
                    o = ort(w, b, op) if dtype == "float32" else None
                    t = torch.get((w, b, op, dtype))
                    if ours is None and o is None:
                        continue
                    f = flops[w] * b / 1e9

                    def rate(s):
                        return None if s is None else f / s
                    print(f"| {dtype} | {w} | {b} | {op} | {fmt_s(ours)} | {num(rate(ours))} | "
                          f"{pct(None if rate(ours) is None or not peak else rate(ours) / peak)} | {fmt_s(o)} | {num(rate(o))} | "
                          f"{times(ours, o)} | {fmt_s(t)} | {num(rate(t))} | {times(ours, t)} |")


if __name__ == "__main__":
    main()
