#!/usr/bin/env bash
# Coverage-guided fuzzing of one target (or all) with afl-fuzz and SharpFuzz, for a given time.
#   tests/ConvAsMatrix.Fuzz/fuzz.sh TARGET|all SECONDS [OUTDIR]
# Publishes the fuzz project once into OUTDIR/bin, instruments the project's assemblies and System.CommandLine
# there (SharpFuzz.CommandLine, the local dotnet tool of .config/dotnet-tools.json), then runs afl-fuzz on each
# target from its committed corpus (corpus/TARGET) with its dictionary (dict/TARGET.dict): -t 1000 (a hang is an
# input taking over 1 s), one core, no affinity (the machine may be shared). Prints one line per target:
#   TARGET: E executions in S s (R/s), P paths, C crashes, H hangs
# and exits 1 if any target found a crash or a hang (the inputs are in OUTDIR/TARGET/default/{crashes,hangs}).
# FUZZ_EXECS=N also stops each target after about N executions (afl-fuzz -E), whichever comes first.
# Reproduce one: dotnet tests/ConvAsMatrix.Fuzz/bin/Release/net10.0/ConvAsMatrix.Fuzz.dll TARGET FILE (a plain,
# uninstrumented build: the instrumented one in OUTDIR/bin runs only under afl-fuzz).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 2 ]; then echo "usage: $0 TARGET|all SECONDS [OUTDIR]" >&2; exit 2; fi
which=$1; seconds=$2; out=${3:-$root/artifacts/fuzz}
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

bin=$out/bin
rm -rf "$bin"
mkdir -p "$out"
(cd "$root" && dotnet tool restore >/dev/null)
dotnet publish "$here/ConvAsMatrix.Fuzz.csproj" -c Release -o "$bin" --nologo -v q >/dev/null
for dll in ConvAsMatrix.dll ConvAsMatrix.Onnx.dll convmat.dll System.CommandLine.dll; do
  (cd "$root" && dotnet tool run sharpfuzz "$bin/$dll" >/dev/null)
done

if [ "$which" = all ]; then targets=$(dotnet "$bin/ConvAsMatrix.Fuzz.dll" --list); else targets=$which; fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_QUIET=1 \
       AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=0
# A reader that tries to allocate gigabytes fails fast with OutOfMemoryException (a crash to afl-fuzz)
# instead of taking the machine's memory: the .NET heap of the target is capped at 1 GiB.
export DOTNET_GCHeapHardLimit=0x40000000
status=0
for target in $targets; do
  findings=$out/$target
  rm -rf "$findings"
  dict=(); limits=()
  [ -f "$here/dict/$target.dict" ] && dict=(-x "$here/dict/$target.dict")
  [ -n "${FUZZ_EXECS:-}" ] && limits+=(-E "$FUZZ_EXECS")
  afl-fuzz -i "$here/corpus/$target" -o "$findings" -t 1000 -m none -V "$seconds" "${dict[@]}" "${limits[@]}" \
    -- dotnet "$bin/ConvAsMatrix.Fuzz.dll" "$target" >"$findings.log" 2>&1 || { echo "$target: afl-fuzz failed, see $findings.log" >&2; tail -5 "$findings.log" >&2; status=1; continue; }
  stats=$findings/default/fuzzer_stats
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(get saved_crashes); hangs=$(get saved_hangs)
  echo "$target: $(get execs_done) executions in $(( $(get last_update) - $(get start_time) )) s ($(get execs_per_sec)/s), $(get corpus_count) paths, $crashes crashes, $hangs hangs"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then status=1; fi
done
exit $status
