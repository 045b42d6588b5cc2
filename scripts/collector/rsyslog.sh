#!/usr/bin/env bash
# A throw-away rsyslogd (Debian's rsyslog) on 127.0.0.1, for the collector tests and benchmark. Never touches the
# system's syslog: its own config, work directory, pid file; no /dev/log socket.
#
#   rsyslog.sh send DIR FILE PORT [udp|tcp]   forward every line of FILE (imfile, from its start) to 127.0.0.1:PORT:
#                                             TCP with octet-counting framing and RFC 5424, or UDP with RFC 3164
#   rsyslog.sh receive DIR PORT OUT           receive syslog on 127.0.0.1:PORT (TCP, both framings) into file OUT
#   rsyslog.sh stop DIR                       stop the instance started in DIR
set -euo pipefail
cmd=${1:?send, receive or stop}
dir=${2:?directory}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$cmd" in
send)
    file=${3:?file}; port=${4:?port}; proto=${5:-tcp}
    if [ "$proto" = tcp ]; then
        action="action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$port\" protocol=\"tcp\" TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\" queue.type=\"LinkedList\" queue.size=\"500000\" queue.dequeueBatchSize=\"4096\" action.resumeRetryCount=\"-1\")"
    else
        action="action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$port\" protocol=\"udp\" template=\"RSYSLOG_TraditionalForwardFormat\")"
    fi
    cat >"$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir" maxMessageSize="64k")
module(load="imfile" mode="polling" PollingInterval="1")
input(type="imfile" File="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")" Tag="squid:" ruleset="forward" freshStartTail="off")
ruleset(name="forward") { $action }
CONF
    ;;
receive)
    port=${3:?port}; out=${4:?output file}
    cat >"$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir" maxMessageSize="64k")
module(load="imtcp" MaxSessions="100")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="store")
ruleset(name="store") { action(type="omfile" file="$out" template="raw" asyncWriting="on" ioBufferSize="1m" flushOnTXEnd="on") }
CONF
    ;;
stop)
    pid=$(cat "$dir/rsyslogd.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        # A sender whose receiver is gone keeps retrying (resumeRetryCount -1) and may not stop in time.
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/rsyslogd.pid"
    fi
    exit 0
    ;;
*) echo "usage: $0 send|receive|stop DIR …" >&2; exit 2 ;;
esac
/usr/sbin/rsyslogd -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid"
for _ in $(seq 50); do [ -s "$dir/rsyslogd.pid" ] && exit 0; sleep 0.1; done
echo "rsyslogd did not start (config: $dir/rsyslog.conf)" >&2
exit 1
