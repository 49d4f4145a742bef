#!/usr/bin/env bash
# The packages as a user gets them. Packs ConvAsMatrix.sln into a temporary folder (the feed), checks what each package
# carries, installs convmat from the feed with `dotnet tool install --tool-path` and runs it, then builds tests/Consumer
# outside the repository against ConvAsMatrix, ConvAsMatrix.Onnx and ConvAsMatrix.SuiteSparse from the feed and runs
# the READMEs' examples in it. One line per check, "PASS name: ..." or "FAIL name: ...", then "N passed, N failed";
# exits 1 if a check failed. Run by ./test.sh after `dotnet test` (the build is then up to date); KEEP=1 keeps the folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "working in $work" || trap 'rm -rf "$work"' EXIT
feed=$work/feed
ids=(ConvAsMatrix ConvAsMatrix.Onnx ConvAsMatrix.SuiteSparse convmat)
model=$root/tests/onnx-fixtures/reference/test_conv_with_strides_and_asymmetric_padding

passed=0; failed=0; begin=$(date +%s)
check() {   # check NAME OK SEEN: one check's line
  if [ "$2" = 0 ]; then echo "PASS $1: $3"; passed=$((passed + 1)); else echo "FAIL $1: $3"; failed=$((failed + 1)); fi
}
finish() { echo "(packaging checks: $(seconds "$begin") s)"; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
seconds() { echo $(( $(date +%s) - $1 )); }

# 1. Pack: the four packages and their symbol packages, no warning.
start=$(date +%s)
version=$(dotnet msbuild "$root/src/ConvAsMatrix/ConvAsMatrix.csproj" -getProperty:Version 2>&1)
dotnet pack "$root/ConvAsMatrix.sln" -c Release -o "$feed" -tl:off -clp:Summary >"$work/pack.log" 2>&1
status=$?
warnings=$(awk '/^ +[0-9]+ Warning\(s\)$/ { n = $1 } END { print n == "" ? "?" : n }' "$work/pack.log")
expected=$(for id in "${ids[@]}"; do echo "$id.$version.nupkg"; echo "$id.$version.snupkg"; done | sort)
made=$(ls "$feed" 2>/dev/null | sort)
[ "$status" -eq 0 ] && [ "$warnings" = 0 ] && [ "$made" = "$expected" ]
check pack $? "dotnet pack exit $status, $warnings warnings, $(echo "$made" | grep -c .) files (4 packages and 4 symbol packages of $version expected), $(seconds "$start") s"
[ "$status" -eq 0 ] || { grep -E 'error|warning' "$work/pack.log" | sort -u | head -20; finish; }

# 2. What each package carries: metadata, its README, XML docs (libraries), and symbols whose SourceLink points at the
#    repository and commit the package names.
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null)
for id in "${ids[@]}"; do
  nupkg=$feed/$id.$version.nupkg
  nuspec=$(unzip -p "$nupkg" "$id.nuspec" 2>/dev/null | tr -d '\r')
  field() { sed -n "s|.*<$1[^>]*>\(.*\)</$1>.*|\1|p" <<<"$nuspec" | head -1; }
  repo=$(sed -n 's|.*<repository type="git" url="\([^"]*\)".* commit="\([0-9a-f]*\)".*|\1 \2|p' <<<"$nuspec")
  files=$(unzip -Z1 "$nupkg" 2>/dev/null)
  missing=()
  grep -q '<license type="expression">' <<<"$nuspec" || missing+=(license)
  for f in authors description tags readme; do [ -n "$(field $f)" ] || missing+=("$f"); done
  [ "$(field readme)" = README.md ] && grep -qx README.md <<<"$files" || missing+=(README.md)
  [ "${repo#* }" = "$commit" ] || missing+=("repository commit $commit")
  if [ "$id" = convmat ]; then dll=tools/net10.0/any/convmat; else dll=lib/net10.0/$id; grep -qx "$dll.xml" <<<"$files" || missing+=(XML docs); fi
  grep -qx "$dll.dll" <<<"$files" || missing+=("$dll.dll")
  link=https://raw.githubusercontent.com/${repo#https://github.com/}; link=${link%% *}/$commit/
  unzip -p "$feed/$id.$version.snupkg" "$dll.pdb" >"$work/pdb" 2>/dev/null
  grep -aqF "$link" "$work/pdb" || missing+=("SourceLink to $link in $dll.pdb")
  [ ${#missing[@]} -eq 0 ]
  check "package $id" $? "$( [ ${#missing[@]} -eq 0 ] && echo "license $(field license), readme, repository ${repo%% *} at ${commit:0:12}, symbols with SourceLink" || echo "missing: ${missing[*]}")"
done

# The tool and the consumer restore into a NuGet cache of this run's own, so that what they install is what was just
# packed, never an older build of the same version in ~/.nuget/packages. Every other package of that cache is offered as
# a fallback folder (NuGet takes a package from there before any source), so the dependencies need no download.
global=${NUGET_PACKAGES:-$HOME/.nuget/packages}
export NUGET_PACKAGES=$work/nuget
mkdir -p "$work/fallback" "$NUGET_PACKAGES"
for dir in "$global"/*/; do
  name=$(basename "$dir")
  case $name in convasmatrix|convasmatrix.*|convmat) ;; *) ln -s "${dir%/}" "$work/fallback/$name" ;; esac
done

# 3. The tool, installed from the feed alone, as a user would.
start=$(date +%s)
tool=$work/tool
out=$(dotnet tool install convmat --tool-path "$tool" --source "$feed" --version "$version" 2>&1)
check tool-install $? "$(tail -1 <<<"$out"), $(seconds "$start") s"
out=$("$tool/convmat" 2>&1); status=$?
[ "$status" -eq 0 ] && grep -q 'Y == corr2d(X, K) *true' <<<"$out" && grep -q 'Z == trans_conv(Y, K) *true' <<<"$out"
check tool-demo $? "convmat exit $status; $(grep -c ' true$' <<<"$out") of 2 checks true"
"$tool/convmat" conv --input "$work/missing.npy" --weight "$model.x.npy" --out "$work/y.npy" >"$work/out.txt" 2>"$work/err.txt"
status=$?
[ "$status" -eq 2 ] && [ "$(wc -l <"$work/err.txt")" -eq 1 ] && [ ! -s "$work/out.txt" ] && [ ! -e "$work/y.npy" ]
check tool-bad-input $? "exit $status, stderr: $(head -1 "$work/err.txt")"
out=$("$tool/convmat" onnx verify "$model.onnx" --input "$model.x.npy" 2>&1); status=$?
check tool-onnx $status "convmat onnx verify exit $status: $(tail -1 <<<"$out")"

# 4. A user's project, outside the repository, on the packages of the feed.
start=$(date +%s)
consumer=$work/consumer
mkdir -p "$consumer" && cp "$root"/tests/Consumer/*.cs "$root"/tests/Consumer/Consumer.csproj "$consumer/"
dotnet build "$consumer" -c Release -tl:off -clp:Summary -p:ConvAsMatrixVersion="$version" \
  -p:RestoreAdditionalProjectSources="$feed" -p:RestoreFallbackFolders="$work/fallback" >"$work/consumer.log" 2>&1
status=$?
check consumer-build $status "dotnet build exit $status, $(awk '/^ +[0-9]+ Warning\(s\)$/ { print $1 " warnings" }' "$work/consumer.log"), $(seconds "$start") s"
[ "$status" -eq 0 ] || { grep -E 'error' "$work/consumer.log" | sort -u | head -10; finish; }
bin=$consumer/bin/Release/net10.0
# The assemblies it runs are the packed ones, byte for byte (deterministic builds; no stale cache).
same=0
for id in ConvAsMatrix ConvAsMatrix.Onnx ConvAsMatrix.SuiteSparse; do
  cmp -s "$bin/$id.dll" <(unzip -p "$feed/$id.$version.nupkg" "lib/net10.0/$id.dll") && same=$((same + 1))
done
[ "$same" -eq 3 ]
check consumer-assemblies $? "$same of 3 ConvAsMatrix assemblies in its output are the packed ones, byte for byte"
[ -e "$bin/runtimes/linux-x64/native/libonnxruntime.so" ]
check consumer-onnxruntime-native $? "ONNX Runtime's native library in its output, from the Microsoft.ML.OnnxRuntime dependency"
start=$(date +%s)
out=$(dotnet "$bin/Consumer.dll" "$model.onnx" "$model.x.npy" 2>&1); status=$?
echo "$out" | grep -v -E '^(PASS|FAIL) ' | sed 's/^/  /'
while read -r verdict rest; do
  [ "$verdict" = PASS ]; check "consumer ${rest%%:*}" $? "${rest#*: }"
done < <(grep -E '^(PASS|FAIL) ' <<<"$out")
reported=$(grep -c -E '^(PASS|FAIL) ' <<<"$out")
[ "$reported" -eq 3 ] || check consumer-run 1 "exit $status after $reported of its 3 checks: $(tail -1 <<<"$out")"
echo "(consumer run: $(seconds "$start") s)"
finish
