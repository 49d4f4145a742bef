#!/usr/bin/python3
"""Table of the weight gradient (issue 17) against PyTorch, one thread, from the rounds of run-wgrad.sh.

Reads RUN_DIR/round*/bdn/results/*-report-full.json (WeightGradientBenchmarks and PeakLoopBenchmark),
RUN_DIR/round*/torch.json (pytorch_bench.py --ops wgrad) and RUN_DIR/workloads.json (nominal flops per sample), and
prints a markdown table on stdout: per workload, dtype and batch, our median time and PyTorch's (medians over the
rounds), ours/PyTorch as the median of the rounds' ratios (each round's two sides measured one after the other) with
its range, our rate in GFLOP/s and as a share of the peak loop of the same path and dtype from the same
BenchmarkDotNet run, and the target of issue 17 (at most 1.0x PyTorch's time).

Usage: wgrad_table.py RUN_DIR
"""
import glob
import json
import os
import statistics
import sys

from make_table import fmt_s, load_bdn
from paths_table import bdn_peaks, bdn_time, best_path

TARGET = 1.0


def main():
    run = sys.argv[1]
    flops = {w["workload"]: w["flops"] for w in json.load(open(os.path.join(run, "workloads.json")))}
    rounds = []
    for d in sorted(glob.glob(os.path.join(run, "round*"))):
        bdn = load_bdn(os.path.join(d, "bdn", "results"))
        torch_path = os.path.join(d, "torch.json")
        torch = {(r["workload"], r["batch"], r["dtype"]): r["seconds"]
                 for r in (json.load(open(torch_path)) if os.path.exists(torch_path) else []) if r["op"] == "wgrad" and r["threads"] == 1}
        rounds.append((bdn, torch))
    cases = sorted({(w, b, dt) for _, t in rounds for (w, b, dt) in t}, key=lambda c: (c[0], c[2] != "float64", c[1]))
    paths = [best_path(bdn_peaks(bdn)) for bdn, _ in rounds]
    print(f"{len(rounds)} rounds; kernel path {', '.join(sorted(set(p for p in paths if p)))}")
    print()
    print("| workload | dtype | batch | ours (median) | PyTorch (median) | ours/PyTorch, median of rounds | range | GFLOP/s | share of peak | target | met |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---|:---:|")
    met = total = 0
    for workload, batch, dtype in cases:
        ours, theirs, ratios, shares = [], [], [], []
        for (bdn, torch), path in zip(rounds, paths):
            one = bdn_time(bdn, "WeightGradientBenchmarks", "Gradient", Batch=batch, Dtype=dtype, Workload=workload)
            t = torch.get((workload, batch, dtype))
            if one is not None:
                ours.append(one)
                peak = bdn_peaks(bdn).get((path, dtype))
                if peak:
                    shares.append(flops[workload] * batch / one / 1e9 / peak)
            if t is not None:
                theirs.append(t)
            if one is not None and t is not None:
                ratios.append(one / t)
        if not ours and not theirs:
            continue
        mine = statistics.median(ours) if ours else None
        ratio = statistics.median(ratios) if ratios else None
        rate = flops[workload] * batch / mine / 1e9 if mine else None
        ok = "" if ratio is None else ("yes" if ratio <= TARGET else "**no**")
        if ok:
            total += 1
            met += ok == "yes"
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else "–"
        print(f"| {workload} | {dtype} | {batch} | {fmt_s(mine)} | {fmt_s(statistics.median(theirs) if theirs else None)} | "
              f"{'–' if ratio is None else f'{ratio:.2f}x'} | {spread} | {'–' if rate is None else f'{rate:.1f}'} | "
              f"{'–' if not shares else f'{statistics.median(shares):.0%}'} | <= {TARGET}x | {ok} |")
    print()
    print(f"{met} of {total} targets met.")


if __name__ == "__main__":
    main()
