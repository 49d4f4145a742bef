# Sourced by run-all.sh, run-structured.sh and run-paths.sh after they set kind=...: strict mode, and
#   here   this folder;  repo  the repository;  bench  the benchmark program (built by the caller);
#   run    RUN_DIR: the script's first argument, or a fresh /tmp/convmat-$kind-XXXXXX.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
run=${1:-$(mktemp -d "/tmp/convmat-$kind-XXXXXX")}
mkdir -p "$run"
bench="$here/bin/Release/net10.0/ConvAsMatrix.Benchmarks.dll"
