#!/usr/bin/env bash
# The Cloud Discovery benchmark (not a test): release build, generated logs in 8 formats, Canopy on one core and on
# all cores, GoAccess and mawk on the same files, ratios printed as a Markdown table for docs/benchmarks.md.
# Usage: scripts/bench.sh [LINES...]   (default: 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v goaccess >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq goaccess >/dev/null; }
command -v mawk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq mawk >/dev/null; }
scratch=.build-release
swift build -c release --scratch-path "$scratch" --product canopy
swift build -c release --scratch-path "$scratch" --product canopy-bench
lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(1000000 10000000)
mkdir -p bench-out
"$scratch/release/canopy-bench" run --canopy "$scratch/release/canopy" --dir bench-out --lines "${lines[@]}" \
    --catalog Sources/canopy/Resources/catalog
