#!/usr/bin/env bash
# The structured V's SIMD kernels on every path this machine can run (docs/kernel-paths.md).
#
# 1. The kernel tests (xunit trait Category=Kernel) again under each of .NET's knobs, each run with
#    CONVMAT_EXPECT_KERNEL_PATH set to the path that knob must give (expected from /proc/cpuinfo's flags), so that a
#    knob that silently stops working fails KernelPathTests:
#      DOTNET_EnableAVX512=0      avx2+fma on a CPU with avx2 and fma (the default path on one without AVX-512)
#      DOTNET_EnableAVX2=0        vector128 (x64 has no FMA without AVX2)
#      DOTNET_EnableHWIntrinsic=0 scalar
# 2. ARM64 under qemu-user (x64 hosts): tests/ConvAsMatrix.KernelCheck published self-contained for linux-arm64, run
#    expecting vector128+fma, and with DOTNET_EnableHWIntrinsic=0 expecting scalar; and the arm64 `convmat bench
#    --workload tiny --json` must run and report isa vector128+fma on every structured row.
#
# Needs the test project built in Release (`dotnet test ConvAsMatrix.sln -c Release` builds it; built here if missing).
# Installs qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross with apt when missing. Prints each run's counts
# and time, and ends with one line "N passed, N failed" (the total); exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

total_passed=0 total_failed=0
# count NAME PASSED FAILED SECONDS: one run's line, added to the total.
count() {
  echo "kernel-paths: $1: $2 passed, $3 failed ($4 s)"
  total_passed=$((total_passed + $2)) total_failed=$((total_failed + $3))
}

# xunit RUN-NAME EXPECTED-PATH [VAR=VALUE ...]: the Kernel-trait tests with CONVMAT_EXPECT_KERNEL_PATH and the knobs given.
test_dll=tests/ConvAsMatrix.Tests/bin/Release/net10.0/ConvAsMatrix.Tests.dll
xunit() {
  local name=$1 expect=$2 log start status p f
  shift 2
  log=$(mktemp) start=$SECONDS
  env "$@" CONVMAT_EXPECT_KERNEL_PATH="$expect" dotnet test "$test_dll" --filter "Category=Kernel" >"$log" 2>&1
  status=$?
  # "Passed!  - Failed:     0, Passed:   354, Skipped: ..." (or "Failed!  - ...").
  read -r p f < <(awk '/(Passed|Failed)! +- Failed: / { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f = $(i+1); if ($i == "Passed:") p = $(i+1) } }
                       END { print p + 0, f + 0 }' "$log")
  if [ "$status" -ne 0 ] || [ "$f" -ne 0 ] || [ "$p" -eq 0 ]; then
    grep -E "^\s+(Failed |Error Message|Assert|[a-z0-9+]+/(16|32): )|error|CONVMAT_EXPECT" "$log" | head -40 | sed 's/^/  | /'
    [ "$f" -eq 0 ] && f=1   # a crash or a run with no test is a failure
  fi
  rm -f "$log"
  count "$name (expect $expect)" "$p" "$f" $((SECONDS - start))
}

# arm64 RUN-NAME [VAR=VALUE ...] -- COMMAND...: an ARM64 program under qemu-user with those variables; its own closing
# "N passed, N failed" line is counted.
arm64() {
  local name=$1 log start status p f vars=()
  shift
  while [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  log=$(mktemp) start=$SECONDS
  env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu DOTNET_EnableWriteXorExecute=0 "${vars[@]}" timeout 1200 qemu-aarch64-static "$@" >"$log" 2>&1
  status=$?
  sed 's/^/  | /' "$log"
  read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, f + 0 }' "$log")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  rm -f "$log"
  count "$name" "$p" "$f" $((SECONDS - start))
}

arch=$(uname -m)
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { [[ "$flags" == *" $1 "* ]]; }

if [ ! -f "$test_dll" ]; then
  echo "kernel-paths: building tests/ConvAsMatrix.Tests (Release)"
  dotnet build tests/ConvAsMatrix.Tests -c Release -v q -nologo >/dev/null 2>&1 || { echo "kernel-paths: the test project does not build"; }
fi

case "$arch" in
  x86_64)
    if has avx2 && has fma; then without512=avx2+fma; elif has avx2; then without512=avx2; else without512=vector128; fi
    xunit "DOTNET_EnableAVX512=0" "$without512" DOTNET_EnableAVX512=0
    xunit "DOTNET_EnableAVX2=0" vector128 DOTNET_EnableAVX2=0
    xunit "DOTNET_EnableHWIntrinsic=0" scalar DOTNET_EnableHWIntrinsic=0
    ;;
  aarch64)
    # Natively on ARM64: xunit runs here, no qemu needed.
    xunit "arm64" vector128+fma
    xunit "arm64 DOTNET_EnableHWIntrinsic=0" scalar DOTNET_EnableHWIntrinsic=0
    ;;
  *)
    echo "kernel-paths: no knob runs on $arch"
    ;;
esac

if [ "$arch" = x86_64 ]; then
  start=$SECONDS
  if ! command -v qemu-aarch64-static >/dev/null 2>&1 || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] \
     || [ ! -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ]; then
    echo "kernel-paths: installing qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross (apt)"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross >/dev/null 2>&1 \
      || echo "kernel-paths: could not install the qemu packages" >&2
  fi
  if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
    count "ARM64 (qemu-aarch64-static missing)" 0 1 $((SECONDS - start))
  else
    # Self-contained linux-arm64 publishes (incremental: quick when up to date).
    kernelcheck=tests/ConvAsMatrix.KernelCheck/bin/Release/net10.0/linux-arm64/publish
    convmat=src/ConvAsMatrix.Cli/bin/Release/net10.0/linux-arm64/publish
    publish_log=$(mktemp)
    if dotnet publish tests/ConvAsMatrix.KernelCheck -c Release -r linux-arm64 --self-contained -p:InvariantGlobalization=true -o "$kernelcheck" >"$publish_log" 2>&1 \
       && dotnet publish src/ConvAsMatrix.Cli -c Release -r linux-arm64 --self-contained -p:InvariantGlobalization=true -o "$convmat" >>"$publish_log" 2>&1; then
      count "ARM64 publish (KernelCheck, convmat)" 1 0 $((SECONDS - start))
      arm64 "ARM64 qemu (expect vector128+fma)" -- "$kernelcheck/ConvAsMatrix.KernelCheck" --expect vector128+fma
      arm64 "ARM64 qemu DOTNET_EnableHWIntrinsic=0 (expect scalar)" DOTNET_EnableHWIntrinsic=0 -- \
        "$kernelcheck/ConvAsMatrix.KernelCheck" --expect scalar --cases 100 --emulated 3
      # convmat bench on ARM64: runs, prints its JSON, and every structured row's isa is vector128+fma.
      start=$SECONDS
      bench=$(env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu DOTNET_EnableWriteXorExecute=0 timeout 600 \
        qemu-aarch64-static "$convmat/convmat" bench --workload tiny --json 2>&1)
      status=$?
      echo "$bench" | sed 's/^/  | /'
      verdict=$(printf '%s' "$bench" | python3 -c '
import json, sys
rows = json.loads(sys.stdin.read())
assert isinstance(rows, list) and rows, "no measurements"
isa = {r.get("isa") for r in rows if r.get("form") == "structured"}
print("isa " + ",".join(sorted(map(str, isa))))
sys.exit(0 if isa == {"vector128+fma"} else 1)' 2>&1)
      vstatus=$?
      echo "  | convmat bench: $verdict"
      if [ "$status" -eq 0 ] && [ "$vstatus" -eq 0 ]; then count "ARM64 convmat bench --workload tiny" 1 0 $((SECONDS - start))
      else count "ARM64 convmat bench --workload tiny" 0 1 $((SECONDS - start)); fi
    else
      tail -20 "$publish_log" | sed 's/^/  | /'
      count "ARM64 publish (KernelCheck, convmat)" 0 1 $((SECONDS - start))
    fi
    rm -f "$publish_log"
  fi
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ] && [ "$total_passed" -gt 0 ]
