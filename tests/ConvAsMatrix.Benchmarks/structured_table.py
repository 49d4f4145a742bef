#!/usr/bin/python3
"""Table of the structured (blocked SIMD) kernels against PyTorch, from one run of run-structured.sh.

Reads RUN_DIR/bdn/results/*-report-full.json (StructuredBenchmarks and PeakLoopBenchmark), RUN_DIR/torch.json
(pytorch_bench.py) and RUN_DIR/workloads.json (ConvAsMatrix.Benchmarks.dll info: nominal flops per sample), and
prints a markdown table on stdout: times on 1 and 2 threads, PyTorch's, the ratio ours/PyTorch on one thread, the
one-thread rate in GFLOP/s and as a share of the peak loop of the same path measured in the same run (float64), and the target of issue 8
(one thread: W2, W3, W5, W6 at most 0.7x PyTorch's time; W1 at most 0.1x).

Usage: structured_table.py RUN_DIR
"""
import json
import os
import sys

from make_table import fmt_s, load_bdn
from paths_table import bdn_peaks, best_path

TARGET = {"W1": 0.1, "W2": 0.7, "W3": 0.7, "W5": 0.7, "W6": 0.7}


def main():
    run = sys.argv[1]
    bdn = load_bdn(os.path.join(run, "bdn", "results"))
    torch = {(r["workload"], r["batch"], r["threads"], r["op"]): r["seconds"]
             for r in json.load(open(os.path.join(run, "torch.json"))) if r.get("dtype", "float64") == "float64"}
    flops = {w["workload"]: w["flops"] for w in json.load(open(os.path.join(run, "workloads.json")))}

    def ours(workload, batch, threads, method):
        key = ("StructuredBenchmarks", method, tuple(sorted((("Batch", str(batch)), ("Dtype", "float64"), ("Threads", str(threads)), ("Workload", workload)))))
        return bdn.get(key, (None, None))[0]

    peaks = bdn_peaks(bdn)
    path = best_path(peaks)
    peak = peaks.get((path, "float64"))
    print(f"Peak loop of the kernels' path ({path}), same run: {peak:.1f} GFLOP/s (one thread, float64)" if peak else "Peak loop: not measured")
    print()
    print("| workload | batch | op | ours 1 thread | ours 2 threads | PyTorch 1 thread | PyTorch 2 threads | ours/PyTorch (1 thread) | GFLOP/s (1 thread) | share of peak | target | met |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|:---:|")
    met = total = 0
    for workload in sorted(flops):
        for batch in (1, 16):
            for op, method in (("conv", "Conv"), ("tconv", "TConv")):
                one, two = ours(workload, batch, 1, method), ours(workload, batch, 2, method)
                t1, t2 = torch.get((workload, batch, 1, op)), torch.get((workload, batch, 2, op))
                if one is None and t1 is None:
                    continue
                rate = flops[workload] * batch / one / 1e9 if one else None
                ratio = one / t1 if one and t1 else None
                target = TARGET.get(workload)
                ok = "" if target is None or ratio is None else ("yes" if ratio <= target else "**no**")
                if ok:
                    total += 1
                    met += ok == "yes"
                print(f"| {workload} | {batch} | {op} | {fmt_s(one)} | {fmt_s(two)} | {fmt_s(t1)} | {fmt_s(t2)} | "
                      f"{'–' if ratio is None else f'{ratio:.2f}x'} | {'–' if rate is None else f'{rate:.1f}'} | "
                      f"{'–' if rate is None or peak is None else f'{rate / peak:.0%}'} | {'–' if target is None else f'<= {target}x'} | {ok} |")
    print()
    print(f"{met} of {total} targets met.")


if __name__ == "__main__":
    main()
