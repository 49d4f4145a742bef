#!/usr/bin/python3
"""The weight gradient against PyTorch on one thread, both sides timed case by case in turn (seconds apart).

On a shared machine the load changes within minutes, so a ratio of two timings taken minutes apart (run-wgrad.sh's
BenchmarkDotNet and PyTorch halves) can be off by 2x either way. Here one long-lived C# process
(ConvAsMatrix.Benchmarks.dll wgrad-serve, WeightGradientServer.cs) and this process (torch imported after
OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 are set; torch.set_num_threads(1)) time the same case one after the
other, the side going first alternating, for ROUNDS rounds over every case; the peak loop of the C# path is timed at
the start of every round. Prints a markdown table: per case the medians over the rounds of both times, ours/PyTorch
as the median of the rounds' wall-time ratios with its range, the same from CPU times (each process's own CPU
seconds per call: what it got of a core, less disturbed by waiting), our GFLOP/s (wall) and its share of the median
peak. JSON of every measurement goes to --json.

Usage: /usr/bin/python3 wgrad_interleaved.py [--rounds 3] [--workload W2,W3,W5,W6] [--batch 1,16]
                                             [--dtype float64,float32] [--repeats 5] [--json FILE]
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from pytorch_bench import WORKLOADS, median_seconds, weight_gradient  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workload", default="W2,W3,W5,W6")
    parser.add_argument("--batch", default="1,16")
    parser.add_argument("--dtype", default="float64,float32")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args()
    import torch
    torch.set_num_threads(1)
    here = os.path.dirname(os.path.abspath(__file__))
    dll = os.path.join(here, "bin", "Release", "net10.0", "ConvAsMatrix.Benchmarks.dll")
    server = subprocess.Popen(["dotnet", dll, "wgrad-serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(line):
        server.stdin.write(line + "\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    cases = [(w, dt, int(b)) for w in args.workload.split(",") for dt in args.dtype.split(",") for b in args.batch.split(",")]
    tensors = {}
    rows = []
    for r in range(args.rounds):
        peaks = {dt: ask(f"peak {dt}")["gflops"] for dt in args.dtype.split(",")}
        for i, (name, dtype_name, batch) in enumerate(cases):
            if (name, dtype_name, batch) not in tensors:
                tensors.clear()  # one case's tensors at a time (W6 at batch 16: 200 MB each)
                dtype = {"float64": torch.float64, "float32": torch.float32}[dtype_name]
                rank, in_shape, w_shape, stride, padding = WORKLOADS[name]
                torch.manual_seed(0)
                weight = torch.rand(w_shape, dtype=dtype) * 2 - 1
                x = torch.rand((batch,) + in_shape, dtype=dtype) * 2 - 1
                with torch.no_grad():
                    y = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d, 3: torch.nn.functional.conv3d}[rank](x, weight, stride=stride, padding=padding)
                g = torch.rand((y if name != "W2" else x).shape, dtype=dtype) * 2 - 1
                tensors[(name, dtype_name, batch)] = weight_gradient(torch, name, x, y, g, weight)
            call = tensors[(name, dtype_name, batch)]
            row = {"round": r, "workload": name, "dtype": dtype_name, "batch": batch, "peak": peaks[dtype_name]}
            for side in (("torch", "ours") if (r + i) % 2 else ("ours", "torch")):
                if side == "ours":
                    m = ask(f"{name} {dtype_name} {batch} {args.repeats}")
                    row.update(ours=m["seconds"], ours_cpu=m["cpu_seconds"], isa=m["isa"], flops=m["flops"])
                else:
                    row["torch"], row["torch_cpu"] = median_seconds(call, args.repeats)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    server.stdin.close()
    server.wait()
    if args.json:
        json.dump(rows, open(args.json, "w"))
    table(rows)


def table(rows):
    def fmt(s):
        return f"{s:.2f} s" if s >= 1 else f"{s * 1e3:.1f} ms" if s >= 1e-3 else f"{s * 1e6:.0f} µs"

    peaks = ", ".join(f"{dt} {statistics.median(r['peak'] for r in rows if r['dtype'] == dt):.1f}" for dt in sorted({r["dtype"] for r in rows}, reverse=True))
    print(f"{max(r['round'] for r in rows) + 1} rounds; kernel path {', '.join(sorted({r['isa'] for r in rows}))}; "
          f"peak loop {peaks} GFLOP/s (medians of the rounds)")
    print()
    print("| workload | dtype | batch | ours | PyTorch | ours/PyTorch (wall) | range | ours/PyTorch (CPU) | range | GFLOP/s | share of peak | met (≤ 1.0×) |")
    print("|---|---|---:|---:|---:|---:|---|---:|---|---:|---:|:---:|")
    met = total = 0
    keys = sorted({(r["workload"], r["dtype"], r["batch"]) for r in rows}, key=lambda k: (k[0], k[1] != "float64", k[2]))
    for key in keys:
        rs = [r for r in rows if (r["workload"], r["dtype"], r["batch"]) == key]
        wall = [r["ours"] / r["torch"] for r in rs]
        cpu = [r["ours_cpu"] / r["torch_cpu"] for r in rs]
        ours = statistics.median(r["ours"] for r in rs)
        rate = rs[0]["flops"] / ours / 1e9
        ratio = statistics.median(wall)
        total += 1
        met += ratio <= 1.0
        print(f"| {key[0]} | {key[1]} | {key[2]} | {fmt(ours)} | {fmt(statistics.median(r['torch'] for r in rs))} | {ratio:.2f}x | "
              f"{min(wall):.2f}–{max(wall):.2f} | {statistics.median(cpu):.2f}x | {min(cpu):.2f}–{max(cpu):.2f} | {rate:.1f} | "
              f"{rate / statistics.median(r['peak'] for r in rs):.0%} | {'yes' if ratio <= 1.0 else '**no**'} |")
    print()
    print(f"{met} of {total} met (median wall-time ratio).")


if __name__ == "__main__":
    main()
