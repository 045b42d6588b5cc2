#!/usr/bin/env bash
# The continuous-discovery ingest benchmark (not a test): a real rsyslog relay (imfile → omfwd, TCP, octet-counted
# RFC 5424) sends a generated Squid log to `canopy serve` (release build, one TCP data source, embedded SQLite), and
# the clock stops when the last line was received and parsed (its data source's last_received_at), and again when
# the store accounts for every line (data_sources.lines = lines sent). The peer: the same
# rsyslog sender into a second rsyslogd that only writes what it receives to a file (imtcp → omfile). Prints both
# rates and their ratio, and checks lines = records + ignored + rejected.
# Usage: scripts/bench-collector.sh [LINES]   (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
lines=${1:-2000000}
[ -x /usr/sbin/rsyslogd ] || { apt-get update -qq && apt-get install -y -qq --no-install-recommends rsyslog >/dev/null; pkill -x rsyslogd || true; }
command -v sqlite3 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
scratch=.build-release
swift build -c release --scratch-path "$scratch" --product canopy >/dev/null
swift build -c release --scratch-path "$scratch" --product canopy-bench >/dev/null
canopy="$root/$scratch/release/canopy"
work=$(mktemp -d /tmp/canopy-bench-collector.XXXXXX)
serve_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    scripts/collector/rsyslog.sh stop "$work/send-canopy" || true
    scripts/collector/rsyslog.sh stop "$work/send-peer" || true
    scripts/collector/rsyslog.sh stop "$work/receive-peer" || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
wait_until() { # wait_until SECONDS COMMAND…: polls every 50 ms
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out" >&2; return 1; }
        sleep 0.05
    done
}

"$scratch/release/canopy-bench" generate --format squid --lines "$lines" --out "$work/squid.log"
bytes=$(stat -c %s "$work/squid.log")

# Canopy: serve with one TCP data source.
port=$(free_port)
"$canopy" datasource add --data "$work/data" --name bench --format squid.native --transport tcp --port "$port" >/dev/null
"$canopy" serve --data "$work/data" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
wait_until 60 grep -q "listening on" "$work/serve.out"
stored() { [ "$(sqlite3 "$work/data/canopy.sqlite" 'SELECT lines FROM data_sources' 2>/dev/null || echo 0)" -ge "$lines" ]; }
wait_until 30 grep -q '"collector: data source started"' "$work/serve.err"
start=$(now)
scripts/collector/rsyslog.sh send "$work/send-canopy" "$work/squid.log" "$port"
wait_until 600 stored
stored_s=$(echo "$(now) - $start" | bc -l)
read -r got records ignored rejected last < <(sqlite3 -separator ' ' "$work/data/canopy.sqlite" \
    'SELECT lines, records, ignored, rejected, last_received_at FROM data_sources')
# The sustained rate: until the last line was received and parsed (the collector writes every 10 s, so the store
# lags by up to that; the table shows both).
canopy_s=$(echo "$last / 1000 - $start" | bc -l)
apps=$(sqlite3 "$work/data/canopy.sqlite" 'SELECT COUNT(DISTINCT app) FROM discovery_traffic')
# CPU seconds canopy used (user + system, from /proc), to tell a busy receiver from a waiting one.
canopy_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$serve_pid/stat")
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""
scripts/collector/rsyslog.sh stop "$work/send-canopy"

# The peer: rsyslogd receiving the same stream into a file.
port=$(free_port)
scripts/collector/rsyslog.sh receive "$work/receive-peer" "$port" "$work/received.log"
received() { [ -f "$work/received.log" ] && [ "$(wc -l <"$work/received.log")" -ge "$lines" ]; }
start=$(now)
scripts/collector/rsyslog.sh send "$work/send-peer" "$work/squid.log" "$port"
wait_until 600 received
peer_s=$(echo "$(now) - $start" | bc -l)

rate() { printf '%.0f' "$(echo "$lines / $1" | bc -l)"; }
mbps() { printf '%.1f' "$(echo "$bytes / $1 / 1000000" | bc -l)"; }
echo
echo "| receiver | $lines Squid lines ($((bytes / 1000000)) MB) via rsyslog | seconds | lines/s | MB/s |"
echo "|---|---|---|---|---|"
printf '| canopy serve (parse, match, aggregate) | last line received and parsed | %.2f | %s | %s |\n' "$canopy_s" "$(rate "$canopy_s")" "$(mbps "$canopy_s")"
printf '| canopy serve, into SQLite | every line counted in the store | %.2f | %s | %s |\n' "$stored_s" "$(rate "$stored_s")" "$(mbps "$stored_s")"
printf '| rsyslogd (imtcp → omfile, no parsing) | last line written | %.2f | %s | %s |\n' "$peer_s" "$(rate "$peer_s")" "$(mbps "$peer_s")"
printf '\nratio canopy / rsyslogd (lines/s): %.2f\n' "$(echo "$peer_s / $canopy_s" | bc -l)"
echo "canopy used $canopy_cpu CPU seconds (start-up and catalog load included)"
echo "accounted: lines $got = records $records + ignored $ignored + rejected $rejected; $apps apps in the store"
[ "$got" -eq $((records + ignored + rejected)) ] || { echo "lines are not accounted for" >&2; exit 1; }
