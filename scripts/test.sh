#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this):
#   1. installs what the tests need (scripts/install-test-deps.sh),
#   2. builds with our warnings as errors,
#   3. checks the app catalog data and the formatting,
#   4. produces real Squid access logs (scripts/interop/squid-logs.sh) and starts a throw-away PostgreSQL cluster
#      (scripts/store/postgres-cluster.sh) for the store conformance suite,
#   5. runs every test suite (unit, golden, property/fuzz, CLI end-to-end, real-data interop, both stores),
#      then stops Squid and PostgreSQL.
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
pgdir=$(mktemp -u /tmp/canopy-pg.XXXXXX)
cleanup() {
    scripts/interop/squid-logs.sh stop "$work" >/dev/null 2>&1 || true
    scripts/store/postgres-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$work" "$pgdir"
}
trap cleanup EXIT
scripts/interop/squid-logs.sh run "$work"
export CANOPY_SQUID_LOGS="$work/logs"

echo "== PostgreSQL (throw-away cluster on 127.0.0.1)"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scripts/store/postgres-cluster.sh start "$pgdir" "$pgport"
export CANOPY_TEST_POSTGRES_PORT="$pgport"

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
