#!/usr/bin/env bash
# Reproduces the geometry figures in the README: generates 300 labelled photos per level
# (scan, phone, hard, bent, bent-heldout; seeds 7001-7005) into a folder outside git, and
# measures them with `formvision eval-geometry`. Takes about 40 minutes on 2 cores (the bent
# levels render slowly).
#
#   scripts/evaluate-geometry.sh [OUT_DIR] [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.formvision-data/corpora}
count=${2:-300}
./scripts/setup.sh
swift build -c release -Xswiftc -target-cpu -Xswiftc haswell
tool=.build/release/formvision
seed=7001
for level in scan phone hard bent bent-heldout; do
  if [ ! -s "$out/$level/manifest.json" ]; then
    "$tool" synth --count "$count" --seed "$seed" --level "$level" --out "$out/$level"
  fi
  seed=$((seed + 1))
done
for level in scan phone hard bent bent-heldout; do
  "$tool" eval-geometry "$out/$level" 2>/dev/null
done
