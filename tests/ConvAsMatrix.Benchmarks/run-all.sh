#!/bin/sh
# Regenerates the table of BENCHMARKS.md from ONE run on this machine: the BenchmarkDotNet suite (C# side:
# compile, apply, direct loops, MathNet, bandwidth) and pytorch_bench.py (PyTorch side), then make_table.py.
# Run it on a quiet machine (`uptime` 1-minute load below ~0.5); it takes about 20-30 minutes on 2 cores.
# Usage: tests/ConvAsMatrix.Benchmarks/run-all.sh [RUN_DIR]   (default: a fresh directory under /tmp)
# CONVMAT_BENCH_WORKLOADS=W1,W3 limits the workloads (both sides); CONVMAT_BENCH_SMOKE=1 runs every benchmark
# once to check the pipeline and writes the tables into RUN_DIR instead of the repository.
kind=bench
. "$(dirname "$0")/run-prelude.sh"

dotnet build "$here/ConvAsMatrix.Benchmarks.csproj" -c Release -v q -nologo
{
    echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, L3 $(lscpu | sed -n 's/^L3 cache: *//p')"
    echo "memory:  $(free -g | awk '/^Mem:/ {print $2}') GiB; OS $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
    echo ".NET:    $(dotnet --version) SDK; BenchmarkDotNet 0.15.8; MathNet.Numerics 5.0.0"
    echo "PyTorch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
    echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$run/machine.txt"

dotnet "$bench" info > "$run/workloads.json"
# The classes make_table.py reads (the structured V, float32 and ONNX Runtime are run-structured.sh's and run-paths.sh's).
dotnet "$bench" --filter '*ApplyBenchmarks*' '*CompileBenchmarks*' '*TripletBenchmarks*' '*BaselineBenchmarks*' '*BandwidthBenchmarks*' \
  --artifacts "$run/bdn" > "$run/bdn.log" 2>&1
torch_args="--workload ${CONVMAT_BENCH_WORKLOADS:-W1,W2,W3,W4}"
[ "${CONVMAT_BENCH_SMOKE:-0}" = 1 ] && torch_args="$torch_args --repeats 1"
/usr/bin/python3 "$here/pytorch_bench.py" $torch_args > "$run/torch.json" 2> "$run/torch.log"
echo "load after the run:  $(cut -d' ' -f1-3 /proc/loadavg)" >> "$run/machine.txt"

dotnet "$bench" scaling > "$run/scaling.md"

benchmarks_md="$repo/BENCHMARKS.md" perf_md="$repo/docs/performance.md"
if [ "${CONVMAT_BENCH_SMOKE:-0}" = 1 ]; then
    cp "$benchmarks_md" "$run/BENCHMARKS.md"; cp "$perf_md" "$run/perf.md"
    benchmarks_md="$run/BENCHMARKS.md" perf_md="$run/perf.md"
fi
/usr/bin/python3 "$here/make_table.py" "$run" "$benchmarks_md"
# The cost-model table of the README section goes between its own markers.
/usr/bin/python3 - "$run/scaling.md" "$perf_md" <<'PY'
import sys
table, path = open(sys.argv[1]).read().strip(), sys.argv[2]
text = open(path).read()
begin, end = text.index("<!-- scaling:begin -->"), text.index("<!-- scaling:end -->")
open(path, "w").write(text[:begin] + "<!-- scaling:begin -->\n" + table + "\n" + text[end:])
PY
echo "$benchmarks_md and $perf_md: tables regenerated from $run"
