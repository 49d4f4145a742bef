#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs every test, and ends with one line
# "N passed, N failed" (exit 0 only when something ran and nothing failed). CI runs exactly this (.ci/run).
#   ./test.sh
# 1. apt: the Debian/Ubuntu packages below, in one step, only those missing (silent when all are there);
# 2. dotnet test ConvAsMatrix.sln -c Release: every test assembly;
# 3. tests/kernel-paths.sh, where it exists: the kernel tests again under other SIMD paths and on ARM64 (qemu);
# 4. tests/packaging/check.sh: packs, installs convmat and builds a user's project from the packages (one test a check);
# 5. tests/ConvAsMatrix.Fuzz/fuzz.sh all 10: every fuzz target 10 s under afl-fuzz (one test a target).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0; status=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
finish() {
  echo "$passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet not found: ConvAsMatrix needs the .NET 10 SDK" >&2
  add 0 1; finish
fi

# What the tests need beyond the .NET SDK, and why (README.md, "Packages, and why each is here"):
packages=(
  libsuitesparse-dev                  # CHOLMOD, SPQR, UMFPACK, CXSparse for ConvAsMatrix.SuiteSparse's direct solvers
  libopenblas0-pthread                # the BLAS CHOLMOD and SPQR load: Debian's reference BLAS was 7-75x slower
  python3-scipy python3-numpy         # SciPy reads V back (Matrix Market, BSR) and runs lsqr against LSQR
  python3-petsc4py openmpi-bin        # the 2-rank PETSc KSPLSQR run of V's PETSc export
  chromium fonts-droid-fallback       # headless Chromium renders the proofs' site (CJK glyphs for the lecture's quotes)
  afl++                               # the fuzz run (step 5)
  e2fsprogs                           # chattr: a directory even root cannot write (CLI output-path tests)
  unzip                               # the package checks read the .nupkg files
  qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross   # the ARM64 kernel tests of tests/kernel-paths.sh
)
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "not a Debian/Ubuntu system: install the equivalents of ${missing[*]} (README.md), or the tests that use them fail" >&2
  else
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "installing ${missing[*]} (apt)"
    "${sudo[@]}" apt-get update -qq >/dev/null 2>&1
    # (waits up to 10 minutes for another apt or dpkg to finish instead of failing at once)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null 2>&1 \
      || echo "warning: apt-get could not install all of ${missing[*]}; the tests that need them will fail" >&2
  fi
fi

# Runs a script that ends with its own "N passed, N failed" line and adds its counts (a failure when it prints none);
# that line is shown with the script's name after it, so that only the last line of this one is a total.
counted() {
  local log; log=$(mktemp)
  "$@" 2>&1 | tee "$log" | sed -E "s|^([0-9]+ passed, [0-9]+ failed)\$|\1 ($*)|"
  local code=${PIPESTATUS[0]} p f
  read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, (p == "" ? 1 : f + 0) }' "$log")
  rm -f "$log"
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  add "$p" "$f"
  [ "$code" -eq 0 ] || status=1
}

# 2. Every test assembly: "Passed!  - Failed:     0, Passed:  2198, Skipped:     0, Total:  2198, Duration: ..." each.
log=$(mktemp)
# A hung test fails after 10 minutes (no dump) instead of holding the run until CI's limit.
dotnet test ConvAsMatrix.sln -c Release --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
read -r p f < <(awk '
  /(Passed|Failed)! +- Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
  }
  END { print p + 0, f + 0 }' "$log")
rm -f "$log"
if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # a build error runs no test
add "$p" "$f"; [ "$code" -eq 0 ] || status=1

# 3. The kernel tests on the other SIMD paths and ARM64, with the build above.
[ -f tests/kernel-paths.sh ] && counted bash tests/kernel-paths.sh

# 4. The packages, the tool and a user's project.
counted bash tests/packaging/check.sh

# 5. Short fuzz run: each target is one test, passed with no crash and no hang, failed otherwise (or when afl-fuzz
#    cannot run). Findings are kept.
fuzzlog=$(mktemp); fuzzdir=$(mktemp -d)
tests/ConvAsMatrix.Fuzz/fuzz.sh all 10 "$fuzzdir" 2>&1 | tee "$fuzzlog"
code=${PIPESTATUS[0]}
read -r p f < <(awk '
  / executions in .* crashes, .* hangs$/ { if ($(NF-3) == 0 && $(NF-1) == 0) p++; else f++ }
  /afl-fuzz failed/ { f++ }
  END { print p + 0, f + 0 }' "$fuzzlog")
rm -f "$fuzzlog"
if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
if [ "$f" -eq 0 ]; then rm -rf "$fuzzdir"; else echo "fuzz findings (crash and hang inputs) kept in $fuzzdir"; fi
add "$p" "$f"; [ "$code" -eq 0 ] || status=1

finish
