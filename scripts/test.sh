#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this):
#   1. installs what the tests need (scripts/install-test-deps.sh),
#   2. builds with our warnings as errors,
#   3. checks the app catalog data and the formatting,
#   4. produces real Squid access logs (scripts/interop/squid-logs.sh),
#   5. runs every test suite (unit, golden, property/fuzz, CLI end-to-end, real-data interop).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-test-deps.sh

export CANOPY_WERROR=1
echo "== build (our warnings are errors)"
work=$(mktemp -d)
if ! swift build --build-tests >"$work/build.log" 2>&1; then
    grep -v "which are unhandled" "$work/build.log" | tail -60
    echo "build failed"
    exit 1
fi
grep -E "error|warning: " "$work/build.log" | grep -v -e "which are unhandled" -e "^warning: '[a-z-]*': found" || true

echo "== app catalog data"
python3 scripts/catalog/check_catalog.py

echo "== format (swift format lint)"
swift format lint --strict --recursive Sources Tests Benchmarks Package.swift

echo "== real Squid access logs"
trap 'scripts/interop/squid-logs.sh stop "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/interop/squid-logs.sh run "$work"
export CANOPY_SQUID_LOGS="$work/logs"

echo "== tests"
export CANOPY_BINARY="$root/.build/debug/canopy"
swift test --skip-build >"$work/test-output.txt" 2>&1 || true
if ! grep -qE "^✔ Test run with [0-9]+ tests? in [0-9]+ suites? passed" "$work/test-output.txt"; then
    grep -E -A8 "^✘" "$work/test-output.txt" | head -300
    tail -5 "$work/test-output.txt"
    echo "tests failed"
    exit 1
fi
grep -E "^✔ Test run with" "$work/test-output.txt" | tail -1
