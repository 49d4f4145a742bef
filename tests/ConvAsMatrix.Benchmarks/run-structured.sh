#!/bin/sh
# The structured kernels (issue 8) against PyTorch, from ONE run: BenchmarkDotNet's StructuredBenchmarks and
# PeakLoopBenchmark (C#, W1-W6, batch 1 and 16, 1 and 2 threads, conv and tconv, float64) and pytorch_bench.py on the
# same workloads; prints the table of structured_table.py and leaves everything in RUN_DIR. Every kernel path, float32,
# and ONNX Runtime: run-paths.sh.
# Run it on a quiet machine (`uptime` 1-minute load below ~0.5): about 25 minutes on 2 cores (PyTorch's W6 at batch 16
# is most of it). CONVMAT_BENCH_WORKLOADS=W2,W3 limits the workloads on both sides.
# Usage: tests/ConvAsMatrix.Benchmarks/run-structured.sh [RUN_DIR]   (default: a fresh directory under /tmp)
kind=structured
. "$(dirname "$0")/run-prelude.sh"
workloads=${CONVMAT_BENCH_WORKLOADS:-W1,W2,W3,W4,W5,W6}

dotnet build "$here/ConvAsMatrix.Benchmarks.csproj" -c Release -v q -nologo
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" > "$run/machine.txt"
dotnet "$bench" info > "$run/workloads.json"
CONVMAT_BENCH_WORKLOADS=$workloads CONVMAT_BENCH_DTYPES=float64 dotnet "$bench" --filter '*StructuredBenchmarks*' '*PeakLoopBenchmark*' --artifacts "$run/bdn" > "$run/bdn.log" 2>&1
/usr/bin/python3 "$here/pytorch_bench.py" --workload "$workloads" --batch 1,16 --threads 1,2 > "$run/torch.json" 2> "$run/torch.log"
echo "load after the run:  $(cut -d' ' -f1-3 /proc/loadavg)" >> "$run/machine.txt"
cat "$run/machine.txt"
(cd "$here" && /usr/bin/python3 structured_table.py "$run") | tee "$run/structured.md"
