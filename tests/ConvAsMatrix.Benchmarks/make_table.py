#!/usr/bin/python3
"""Builds the table of BENCHMARKS.md from one run: BenchmarkDotNet's JSON (C# side), pytorch_bench.py's JSON
and the workload sizes (ConvAsMatrix.Benchmarks.dll info). Replaces the text between the markers
<!-- table:begin --> and <!-- table:end --> in BENCHMARKS.md; run by run-all.sh.

Usage: make_table.py RUN_DIR BENCHMARKS.md
RUN_DIR holds bdn/results/*-report-full.json, torch.json, workloads.json, machine.txt.
"""
import glob
import json
import os
import sys


def load_bdn(results):
    """{(class, method, params-dict-as-tuple): (median seconds, allocated bytes)}"""
    out = {}
    for path in glob.glob(os.path.join(results, "*-report-full.json")):
        for b in json.load(open(path))["Benchmarks"]:
            params = tuple(sorted(p.split("=", 1) for p in b["Parameters"].split("&") if p)) if b["Parameters"] else ()
            stats = b.get("Statistics") or {}
            if "Median" not in stats:
                continue
            out[(b["Type"], b["Method"], tuple(map(tuple, params)))] = (stats["Median"] / 1e9, b["Memory"]["BytesAllocatedPerOperation"])
    return out


def fmt_s(seconds):
    if seconds is None:
        return "–"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def main():
    run, md = sys.argv[1], sys.argv[2]
    bdn = load_bdn(os.path.join(run, "bdn", "results"))
    torch = {(r["workload"], r["batch"], r["threads"], r["op"]): r["seconds"] for r in json.load(open(os.path.join(run, "torch.json")))}
    sizes = {w["workload"]: w for w in json.load(open(os.path.join(run, "workloads.json")))}

    def get(cls, method, **params):
        key = (cls, method, tuple(sorted((k, str(v)) for k, v in params.items())))
        return bdn.get(key, (None, None))

    bandwidth = {}
    for threads in (1, 2):
        copy = get("BandwidthBenchmarks", "Copy", Threads=threads)[0]
        triad = get("BandwidthBenchmarks", "Triad", Threads=threads)[0]
        length = 1 << 25
        rates = [r for r in (copy and 16 * length / copy, triad and 24 * length / triad) if r]
        bandwidth[threads] = max(rates) if rates else None

    lines = []
    lines.append("| workload | batch | op | ours 1 thread | ours 2 threads | direct loops | MathNet | PyTorch 1 thread | PyTorch 2 threads | target | measured | met |")
    lines.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|:---:|")
    verdicts = []

    def row(w, batch, op, ours1, ours2, direct, mathnet, t1, t2, targets):
        for i, (target, measured, ok) in enumerate(targets or [("", "", None)]):
            if measured == "–" and ok is not None:
                ok, mark = None, "not run"
            else:
                mark = "" if ok is None else ("yes" if ok else "**no**")
            if ok is not None:
                verdicts.append((w, batch, op, target, measured, ok))
            if i == 0:
                lines.append(f"| {w} | {batch} | {op} | {fmt_s(ours1)} | {fmt_s(ours2)} | {fmt_s(direct)} | {fmt_s(mathnet)} | {fmt_s(t1)} | {fmt_s(t2)} | {target} | {measured} | {mark} |")
            else:
                lines.append(f"| | | | | | | | | | {target} | {measured} | {mark} |")

    for w in ("W1", "W2", "W3", "W4"):
        s = sizes[w]
        nnz, rows, cols = s["nnz"], s["rows"], s["columns"]
        v_bytes = nnz * 12 + (rows + 1) * 4
        c1, alloc1 = get("CompileBenchmarks", "CompileOneThread", Workload=w)
        c2, alloc2 = get("CompileBenchmarks", "CompileAllThreads", Workload=w)
        trip = get("TripletBenchmarks", "Triplets", Workload=w)[0]
        best = min(x for x in (c1, c2) if x is not None) if (c1 or c2) else None
        speed = ratio(trip, best)
        extra = None if alloc2 is None else alloc2 - v_bytes
        targets = [
            ("compile ≥ 20× faster than triplets+OfIndexed", f"{speed:.0f}×" if speed else "–", speed is not None and speed >= 20),
            ("compile allocates ≤ V + O(rows)",
             f"V = {v_bytes / 2**20:.1f} MiB; allocated V + {extra / 2**10:.0f} KiB ({extra / rows:.2f} B/row)" if extra is not None else "–",
             extra is not None and extra <= 64 * (rows + 1) + 65536),
        ]
        row(w, 1, "compile V", c1, c2, None, trip, None, None, targets)
        for batch in (1, 16):
            conv1 = get("ApplyBenchmarks", "Conv", Workload=w, Batch=batch, Threads=1)[0]
            conv2 = get("ApplyBenchmarks", "Conv", Workload=w, Batch=batch, Threads=2)[0]
            tc1 = get("ApplyBenchmarks", "TConv", Workload=w, Batch=batch, Threads=1)[0]
            tc2 = get("ApplyBenchmarks", "TConv", Workload=w, Batch=batch, Threads=2)[0]
            dconv = get("BaselineBenchmarks", "DirectConv", Workload=w, Batch=batch)[0]
            dtconv = get("BaselineBenchmarks", "DirectTConv", Workload=w, Batch=batch)[0]
            mconv = get("BaselineBenchmarks", "MathNetMultiply", Workload=w, Batch=batch)[0]
            mtconv = get("BaselineBenchmarks", "MathNetTransposeMultiply", Workload=w, Batch=batch)[0]
            tconv_t = {t: torch.get((w, batch, t, "tconv")) for t in (1, 2)}
            conv_t = {t: torch.get((w, batch, t, "conv")) for t in (1, 2)}
            # Bytes a product must move: V's values and indices once, its pointers, every sample's input and output.
            conv_bytes = nnz * 12 + (rows + 1) * 4 + batch * (rows + cols) * 8
            tconv_bytes = nnz * 12 + (cols + 1) * 4 + batch * (rows + cols) * 8
            best_conv = min(x for x in (conv1, conv2) if x) if (conv1 or conv2) else None
            best_tconv = min(x for x in (tc1, tc2) if x) if (tc1 or tc2) else None
            bw = bandwidth.get(2)
            conv_frac = ratio(conv_bytes / best_conv, bw) if best_conv and bw else None
            tconv_frac = ratio(tconv_bytes / best_tconv, bw) if best_tconv and bw else None
            conv_targets = [("(informative) share of the bandwidth bound", f"{conv_frac:.0%}" if conv_frac else "–", None)]
            row(w, batch, "conv V·x" if batch == 1 else "conv V·X", conv1, conv2, dconv, mconv, conv_t[1], conv_t[2], conv_targets)
            tconv_targets = []
            if batch == 1:
                vs_mathnet = ratio(mtconv, best_tconv)
                tconv_targets.append(("Vᵀ·y ≥ 5× faster than MathNet TransposeThisAndMultiply", f"{vs_mathnet:.1f}×" if vs_mathnet else "–", vs_mathnet is not None and vs_mathnet >= 5))
                tconv_targets.append(("Vᵀ·y ≥ 50% of the bandwidth bound", f"{tconv_frac:.0%} ({tconv_bytes / best_tconv / 1e9:.1f} of {bw / 1e9:.1f} GB/s)" if tconv_frac else "–", tconv_frac is not None and tconv_frac >= 0.5))
            limit = {"W1": 0.5, "W2": 2.0, "W3": 2.0}.get(w)
            for t, ours in ((1, tc1), (2, tc2)):
                r = ratio(ours, tconv_t[t])
                text = f"{r:.2f}× torch's time" if r else "–"
                if batch == 16 and limit is not None:
                    goal = "≥ 2× faster than" if limit < 1 else "within 2× of"
                    tconv_targets.append((f"Vᵀ·Y {goal} PyTorch conv_transpose, {t} thread{'s' if t > 1 else ''}", text, r is not None and r <= limit))
                else:
                    tconv_targets.append((f"(reported) vs PyTorch conv_transpose, {t} thread{'s' if t > 1 else ''}", text, None))
            row(w, batch, "tconv Vᵀ·y" if batch == 1 else "tconv Vᵀ·Y", tc1, tc2, dtconv, mtconv, tconv_t[1], tconv_t[2], tconv_targets)

    met = sum(1 for v in verdicts if v[5])
    machine = open(os.path.join(run, "machine.txt")).read().strip()
    block = ["<!-- table:begin -->",
             f"Generated by `tests/ConvAsMatrix.Benchmarks/run-all.sh` from one run. {met} of {len(verdicts)} targets met.",
             "", "```", machine, "```", "",
             f"Memory bandwidth measured in the same run (best of copy and triad): {bandwidth[1] and bandwidth[1] / 1e9:.1f} GB/s on 1 thread, "
             f"{bandwidth[2] and bandwidth[2] / 1e9:.1f} GB/s on 2 threads. Times are BenchmarkDotNet medians (C#) and medians of 15 calls (PyTorch), float64.",
             "", *lines, "<!-- table:end -->"]
    text = open(md).read() if os.path.exists(md) else "<!-- table:begin -->\n<!-- table:end -->\n"
    begin, end = text.index("<!-- table:begin -->"), text.index("<!-- table:end -->") + len("<!-- table:end -->")
    open(md, "w").write(text[:begin] + "\n".join(block) + text[end:])
    for v in verdicts:
        print(("met   " if v[5] else "MISSED") + f" {v[0]} batch {v[1]} {v[2]}: {v[3]}: {v[4]}", file=sys.stderr)


if __name__ == "__main__":
    main()
