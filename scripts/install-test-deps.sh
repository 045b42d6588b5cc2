#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (idempotent; root or sudo).
# squid: the real proxy of the interop test and the `squid -k parse` check of generated ACLs.
# bind9-utils: named-checkzone, the check of the generated DNS RPZ zone.
# zlib1g-dev: zlib headers for streaming .gz input.
# rsyslog, bsdutils (logger), openssl: real syslog senders (UDP, TCP, TLS) for the collector tests and benchmark.
# postgresql: the server behind the store conformance suite's PostgreSQL backend (a throw-away cluster per run).
# chromium, chromium-driver: the real browser (WebDriver) the portal test signs in, uploads and sanctions with.
set -euo pipefail
need=()
command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || need+=(squid)
command -v named-checkzone >/dev/null 2>&1 || need+=(bind9-utils)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v curl >/dev/null 2>&1 || need+=(curl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ -x /usr/sbin/rsyslogd ] || need+=(rsyslog)
command -v logger >/dev/null 2>&1 || need+=(bsdutils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # The squid package starts a system service where systemd exists; the tests run their own instance.
    $SUDO pkill -x squid 2>/dev/null || true
    $SUDO pkill -x rsyslogd 2>/dev/null || true
fi
