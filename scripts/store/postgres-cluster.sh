#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the store conformance suite (Debian's PostgreSQL server).
#   scripts/store/postgres-cluster.sh start DIR PORT   # initdb into DIR, start, wait until it accepts connections
#                                                      # (as root, DIR's parents must be open to the postgres user:
#                                                      # /tmp/NAME is, a `mktemp -d` directory is not)
#   scripts/store/postgres-cluster.sh stop DIR         # fast shutdown
# Trust authentication for the `postgres` user on loopback only; fsync off: the data is thrown away.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL server not installed (scripts/install-test-deps.sh installs it)"; exit 1; }
# initdb refuses to run as root: run the server as the `postgres` system user when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "${1:-}" in
start)
    dir=$2
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_owner "test -w '$dir'" || { echo "the postgres user cannot write to $dir (check its parents)"; exit 1; }
    as_owner "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --no-sync >'$dir/initdb.log' 2>&1"
    as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
        -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null"
    ;;
stop)
    dir=$2
    [ -d "$dir/data" ] || exit 0
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
