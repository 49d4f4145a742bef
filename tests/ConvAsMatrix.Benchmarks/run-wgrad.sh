#!/bin/sh
# The weight gradient (issue 17) against PyTorch on one thread, from interleaved rounds: each round runs
# BenchmarkDotNet's WeightGradientBenchmarks and PeakLoopBenchmark (W2, W3, W5, W6, batch 1 and 16, float64 and
# float32) and pytorch_bench.py --ops wgrad --threads 1 on the same workloads (torch.nn.grad.conv2d_weight; W2:
# autograd's weight gradient of conv_transpose2d; OPENBLAS_NUM_THREADS=1 set before torch loads, and
# torch.set_num_threads(1)), the side that goes first alternating from round to round, so that a change in the
# machine's load falls on both. Prints wgrad_table.py's table: per case the median over rounds of ours/PyTorch and its
# range, and the share of the same path's peak loop measured in the same BenchmarkDotNet run.
# ROUNDS (default 3) sets the rounds, CONVMAT_BENCH_WORKLOADS the workloads; about 10 minutes a round on 2 cores.
# Usage: tests/ConvAsMatrix.Benchmarks/run-wgrad.sh [RUN_DIR]   (default: a fresh directory under /tmp)
kind=wgrad
. "$(dirname "$0")/run-prelude.sh"
workloads=${CONVMAT_BENCH_WORKLOADS:-W2,W3,W5,W6}
rounds=${ROUNDS:-3}

dotnet build "$here/ConvAsMatrix.Benchmarks.csproj" -c Release -v q -nologo
{ lscpu | grep -m1 'Model name' | sed 's/  */ /g'; echo "rounds: $rounds, workloads: $workloads"; } > "$run/machine.txt"
dotnet "$bench" info > "$run/workloads.json"
ours() {
  CONVMAT_BENCH_WORKLOADS=$workloads dotnet "$bench" --filter '*WeightGradientBenchmarks*' '*PeakLoopBenchmark*' \
    --artifacts "$1/bdn" > "$1/bdn.log" 2>&1
}
torch() {
  /usr/bin/python3 "$here/pytorch_bench.py" --workload "$workloads" --batch 1,16 --threads 1 --dtype float64,float32 \
    --ops wgrad --repeats 5 > "$1/torch.json" 2> "$1/torch.log"
}
r=1
while [ "$r" -le "$rounds" ]; do
  dir="$run/round$r"
  mkdir -p "$dir"
  echo "round $r: load before $(cut -d' ' -f1-3 /proc/loadavg), started $(date -u +%H:%M:%S)" >> "$run/machine.txt"
  if [ $((r % 2)) -eq 1 ]; then ours "$dir"; torch "$dir"; else torch "$dir"; ours "$dir"; fi
  echo "round $r: load after  $(cut -d' ' -f1-3 /proc/loadavg), ended $(date -u +%H:%M:%S)" >> "$run/machine.txt"
  r=$((r + 1))
done
cat "$run/machine.txt"
(cd "$here" && /usr/bin/python3 wgrad_table.py "$run") | tee "$run/wgrad.md"
