#!/usr/bin/env bash
# Runs one of FormVision's libFuzzer targets (Fuzz/Package.swift) for a while, with the address
# sanitizer, on a corpus seeded from the repository's own files.
#
#   scripts/fuzz.sh TARGET [SECONDS]   # TARGET: FuzzImageDecode, FuzzTemplateJSON, FuzzWeightsFile, FuzzReader, FuzzStation
#   scripts/fuzz.sh all [SECONDS]      # each in turn
#   FUZZ_SEED=1 scripts/fuzz.sh all 60 # CI's short pass: a fixed seed, so a failure can be rerun
#
# The growing corpus lives in .build-fuzz/corpus/TARGET (not committed); a crash is written to
# .build-fuzz/crashes/ and the script exits non-zero. Every crash found becomes a regression test
# with its input committed under Tests/Fixtures/fuzz/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: scripts/fuzz.sh TARGET|all [SECONDS]}
seconds=${2:-60}
scratch="$repo/.build-fuzz"

if [ "$target" = all ]; then
  for t in FuzzImageDecode FuzzTemplateJSON FuzzWeightsFile FuzzReader FuzzStation; do "$0" "$t" "$seconds"; done
  exit 0
fi

# Swift code with libFuzzer's coverage and ASan; the C shim with coverage and ASan too.
swift build -c release --package-path "$repo/Fuzz" --scratch-path "$scratch/build" --product "$target" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
  -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address >&2
binary="$scratch/build/release/$target"

corpus="$scratch/corpus/$target"
mkdir -p "$corpus" "$scratch/crashes"
seed() { for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$corpus/" || true; done; }
case "$target" in
  FuzzImageDecode) seed "$repo"/Tests/Fixtures/images/*.jpg "$repo"/Tests/Fixtures/images/*.png ;;
  FuzzTemplateJSON) seed "$repo"/docs/*.json
    for id in c-hasil-kwk-2 c-hasil-kwk-p2-3; do (cd "$repo" && swift run -q formvision template show "$id") > "$corpus/$id.json" 2>/dev/null || true; done ;;
  FuzzWeightsFile) seed "$repo/Sources/FormVision/Resources/digit-network.fvdn" ;;
  FuzzReader) seed $(ls "$repo"/SampleForms/photos/*.jpg | head -n 4) "$repo"/Tests/Fixtures/fuzz/reader-*.jpg ;;
  FuzzStation) seed "$repo/SampleForms/stations.jsonl" "$repo"/Tests/Fixtures/manifests/*.jsonl ;;
esac

# -rss_limit_mb: the reader must stay bounded; -max_len: the largest seed plus room.
max_len=$(find "$corpus" -type f -printf '%s\n' | sort -n | tail -n 1)
"$binary" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=$(( ${max_len:-4096} + 4096 )) \
  -artifact_prefix="$scratch/crashes/$target-" -print_final_stats=1 ${FUZZ_SEED:+-seed="$FUZZ_SEED"} 2>&1 | tail -n 25
