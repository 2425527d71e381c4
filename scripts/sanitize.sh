#!/usr/bin/env bash
# Runs tests under a sanitizer, the C and C++ shim included (SwiftPM passes -fsanitize to clang).
#
#   scripts/sanitize.sh address   [FILTER]   # ASan: out-of-bounds, use-after-free, leaks in the shim
#   scripts/sanitize.sh undefined [FILTER]   # UBSan on the C/C++ shim: overflow, misaligned access, bad shifts
#   scripts/sanitize.sh thread    [FILTER]   # TSan; FILTER defaults to the shared-reader test
#
# Without FILTER the address and undefined runs take the whole suite (slow: about three times
# the plain run). Each uses its own build folder, .build-SANITIZER.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
sanitizer=${1:?usage: scripts/sanitize.sh address|undefined|thread [FILTER]}
filter=${2:-}
case "$sanitizer" in
  address|undefined) ;;
  thread) filter=${filter:-ConcurrentReadingTests} ;;
  *) echo "sanitize: unknown sanitizer $sanitizer" >&2; exit 64 ;;
esac
args=(--package-path "$repo" --scratch-path "$repo/.build-$sanitizer")
if [ "$sanitizer" = undefined ]; then
  # swiftc has no -sanitize=undefined on Linux, and Swift's own arithmetic already traps on
  # overflow in a debug build: UBSan goes on the C and C++ shim, and its runtime into the link.
  args+=(-Xcc -fsanitize=undefined -Xcxx -fsanitize=undefined -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined)
else
  args+=(--sanitize="$sanitizer")
fi
[ -n "$filter" ] && args+=(--filter "$filter")
# A report must fail the run, not scroll past.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
swift test "${args[@]}"
