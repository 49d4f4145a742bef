#!/bin/sh
# The structured V on every kernel path, float64 and float32, against PyTorch and ONNX Runtime, from ONE run:
#   1. `convmat bench --json --threads 1` (W1-W6, batch 1 and 16) under each of the runtime's knobs:
#        default, DOTNET_EnableAVX512=0 (avx2+fma), DOTNET_EnableAVX2=0 (vector128), and DOTNET_EnableHWIntrinsic=0
#        (scalar: W6 batch 1 only, else it takes too long); a knob whose path equals one already run is skipped
#        (on a CPU without AVX-512, DOTNET_EnableAVX512=0 is the default path);
#   2. BenchmarkDotNet on the default path, one thread: StructuredBenchmarks (float64, float32), OnnxRuntimeBenchmarks
#        (ONNX Runtime float32, 1 thread) and PeakLoopBenchmark (every supported path), W2 W3 W5 W6;
#   3. pytorch_bench.py, one thread, float64 and float32, W1-W6;
# then prints paths_table.py's tables (path x workload x op x batch: GFLOP/s, % of that path's peak loop, ours/PyTorch,
# ours/ORT) and leaves everything in RUN_DIR. Run it on a quiet machine (`uptime` 1-minute load below ~0.5).
# Duration: 9 minutes on a quiet 2-core Zen 3 with CONVMAT_PATHS_REPEATS=7 CONVMAT_PATHS_NARROW_REPEATS=5 (22 on the same
# machine while other builds ran).
# CONVMAT_PATHS_KNOBS limits the knobs (e.g. "default noavx2"); CONVMAT_PATHS_REPEATS sets bench's repeats on the
# widest paths (5), CONVMAT_PATHS_NARROW_REPEATS on vector128 and scalar (3: their W6 batch 16 call takes 15-30 s).
# CONVMAT_PATHS_QUICK=1: a check that the whole pipeline runs, in about 2 minutes (W3 batch 1 only, BenchmarkDotNet's
# one-call dry job, 3 PyTorch calls): numbers meaningless.
# Usage: tests/ConvAsMatrix.Benchmarks/run-paths.sh [RUN_DIR]   (default: a fresh directory under /tmp)
kind=paths
. "$(dirname "$0")/run-prelude.sh"
convmat="$repo/src/ConvAsMatrix.Cli/bin/Release/net10.0/convmat.dll"
knobs=${CONVMAT_PATHS_KNOBS:-default noavx512 noavx2 scalar}
repeats=${CONVMAT_PATHS_REPEATS:-5}
narrow_repeats=${CONVMAT_PATHS_NARROW_REPEATS:-3}
all="--workload all --batch 1,16"; bdn_workloads=W2,W3,W5,W6; torch_scope="--workload W1,W2,W3,W4,W5,W6 --batch 1,16 --repeats 7"
if [ "${CONVMAT_PATHS_QUICK:-0}" = 1 ]; then
  all="--workload W3 --batch 1"; bdn_workloads=W3; torch_scope="--workload W3 --batch 1 --repeats 3"; repeats=1; narrow_repeats=1
  export CONVMAT_BENCH_SMOKE=1
fi
started=$(date +%s)

dotnet build "$repo/src/ConvAsMatrix.Cli/ConvAsMatrix.Cli.csproj" -c Release -v q -nologo
dotnet build "$here/ConvAsMatrix.Benchmarks.csproj" -c Release -v q -nologo
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, family $(lscpu | sed -n 's/^CPU family: *//p') model $(lscpu | sed -n 's/^Model: *//p'), avx512f: $(grep -q avx512f /proc/cpuinfo && echo yes || echo no)"
  echo ".NET:    $(dotnet --version) SDK"
  echo "PyTorch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing)"
  echo "OpenBLAS: $(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: *//p'); OPENBLAS_CORETYPE='${OPENBLAS_CORETYPE:-}' OPENBLAS_L2_SIZE='${OPENBLAS_L2_SIZE:-}' (unset for PyTorch)"
  echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$run/machine.txt"
dotnet "$bench" info > "$run/workloads.json"

# 1. convmat bench under each knob.
done_paths=""
for knob in $knobs; do
  case $knob in
    default)  env_knob="" ; scope="$all --repeats $repeats" ;;
    noavx512) env_knob="DOTNET_EnableAVX512=0" ; scope="$all --repeats $repeats" ;;
    noavx2)   env_knob="DOTNET_EnableAVX2=0" ; scope="$all --repeats $narrow_repeats" ;;
    scalar)   env_knob="DOTNET_EnableHWIntrinsic=0" ; scope="--workload W6 --batch 1 --repeats $narrow_repeats" ;;
    *) echo "unknown knob '$knob' (default, noavx512, noavx2, scalar)" >&2; exit 2 ;;
  esac
  path=$(env $env_knob dotnet "$convmat" bench --workload tiny --batch 1 --repeats 1 --threads 1 --json \
    | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["isa"])')
  case " $done_paths " in
    *" $path "*) echo "$knob: path $path already measured, skipped"; continue ;;
  esac
  done_paths="$done_paths $path"
  for dtype in float64 float32; do
    echo "$knob ($path) $dtype: convmat bench $scope"
    # shellcheck disable=SC2086  # $env_knob and $scope are word lists
    env $env_knob dotnet "$convmat" bench $scope --threads 1 --dtype "$dtype" --json > "$run/bench-$knob-$dtype.json"
  done
done

# 2. BenchmarkDotNet: ours float64/float32, ONNX Runtime float32, peak loops; default path, one thread.
echo "BenchmarkDotNet: StructuredBenchmarks, OnnxRuntimeBenchmarks, PeakLoopBenchmark"
CONVMAT_BENCH_WORKLOADS=$bdn_workloads CONVMAT_BENCH_ORT_WORKLOADS=$bdn_workloads CONVMAT_BENCH_THREADS=1 CONVMAT_BENCH_DTYPES=float64,float32 \
  dotnet "$bench" --filter '*StructuredBenchmarks*' '*OnnxRuntimeBenchmarks*' '*PeakLoopBenchmark*' --artifacts "$run/bdn" > "$run/bdn.log" 2>&1

# 3. PyTorch, one thread (OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 set before torch loads, in a child process).
echo "PyTorch: pytorch_bench.py"
# shellcheck disable=SC2086  # $torch_scope is a word list
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/pytorch_bench.py" $torch_scope --threads 1 \
  --dtype float64,float32 > "$run/torch.json" 2> "$run/torch.log"

echo "load after the run:  $(cut -d' ' -f1-3 /proc/loadavg); $(( ($(date +%s) - started) / 60 )) min" >> "$run/machine.txt"
(cd "$here" && /usr/bin/python3 paths_table.py "$run") | tee "$run/paths.md"
echo "everything is in $run"
