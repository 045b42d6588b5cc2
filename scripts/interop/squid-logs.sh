#!/usr/bin/env bash
# Real-Squid interop: starts Squid (Debian package) on 127.0.0.1 with its own config, in front of a local origin,
# sends requests for real SaaS host names that Squid's own hosts_file maps to 127.0.0.1 (with fake-auth users and
# one denied domain), stops Squid so the logs are complete, and leaves in DIR/logs:
#   access-native.log (logformat squid), access-combined.log (logformat combined), requests.tsv (what was sent).
# Usage: squid-logs.sh run DIR | squid-logs.sh stop DIR
set -euo pipefail
cmd=${1:?run or stop}
dir=${2:?directory}
squid_bin=$(command -v squid || echo /usr/sbin/squid)
here=$(cd "$(dirname "$0")" && pwd)

stop() {
    if [ -f "$dir/squid.pid" ]; then "$squid_bin" -f "$dir/squid.conf" -k shutdown 2>/dev/null || true; fi
    for _ in $(seq 1 50); do [ -f "$dir/squid.pid" ] || break; sleep 0.1; done
    if [ -f "$dir/origin.pid" ]; then kill "$(cat "$dir/origin.pid")" 2>/dev/null || true; rm -f "$dir/origin.pid"; fi
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
origin_port=$(free_port)
proxy_port=$(free_port)
mkdir -p "$dir/logs" "$dir/run"
chmod 777 "$dir" "$dir/logs" "$dir/run"

python3 "$here/origin.py" "$origin_port" &
echo $! >"$dir/origin.pid"
# The origin must answer before Squid is asked for anything: on a loaded machine Python starts slowly, and Squid
# would log its 503 error page instead of the download (a flake seen in CI).
for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$origin_port/size/1" && break
    sleep 0.1
done

hosts=(www.dropbox.com content.dropboxapi.com app.slack.com files.slack.com github.com api.github.com drive.google.com
    docs.google.com www.box.com wetransfer.com mega.nz chatgpt.com www.facebook.com login.microsoftonline.com
    outlook.office365.com zoom.us www.notion.so portal.unknown-saas-example.io)
: >"$dir/hosts"
for h in "${hosts[@]}"; do echo "127.0.0.1 $h" >>"$dir/hosts"; done

cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$proxy_port
pid_filename $dir/squid.pid
cache_log $dir/logs/cache.log
access_log stdio:$dir/logs/access-native.log squid
access_log stdio:$dir/logs/access-combined.log combined
hosts_file $dir/hosts
dns_nameservers 127.0.0.1
cache deny all
coredump_dir $dir/run
shutdown_lifetime 1 second
auth_param basic program /usr/lib/squid/basic_fake_auth
auth_param basic realm canopy-test
acl authed proxy_auth REQUIRED
acl denied_sites dstdomain .facebook.com
acl safe_ports port $origin_port
http_access deny denied_sites
http_access deny !safe_ports
http_access allow authed
http_access deny all
CONF
"$squid_bin" -k parse -f "$dir/squid.conf" >/dev/null 2>&1 || { "$squid_bin" -k parse -f "$dir/squid.conf"; exit 1; }
"$squid_bin" -f "$dir/squid.conf" -N >"$dir/logs/squid.out" 2>&1 &
for _ in $(seq 1 100); do
    curl -s -o /dev/null -x "http://127.0.0.1:$proxy_port" "http://127.0.0.1:$origin_port/" && break
    sleep 0.2
done

# user method host size upload_bytes
requests="alice GET www.dropbox.com 20000 0
alice POST content.dropboxapi.com 100 300000
bob GET app.slack.com 5000 0
bob POST files.slack.com 100 50000
carol GET github.com 8000 0
carol GET api.github.com 1200 0
alice GET drive.google.com 40000 0
dave GET docs.google.com 3000 0
dave GET www.box.com 700 0
erin POST wetransfer.com 100 900000
erin GET mega.nz 2500 0
bob GET chatgpt.com 900 0
carol GET www.facebook.com 100 0
alice GET login.microsoftonline.com 600 0
alice GET outlook.office365.com 12000 0
dave GET zoom.us 1500 0
erin GET www.notion.so 3300 0
bob GET portal.unknown-saas-example.io 400 0"
: >"$dir/logs/requests.tsv"
upload="$dir/run/upload.bin"
while read -r user method host size up; do
    url="http://$host:$origin_port/size/$size"
    if [ "$method" = POST ]; then
        head -c "$up" /dev/zero >"$upload"
        curl -s -o /dev/null -x "http://127.0.0.1:$proxy_port" -U "$user:secret" --data-binary @"$upload" "$url" || true
    else
        curl -s -o /dev/null -x "http://127.0.0.1:$proxy_port" -U "$user:secret" "$url" || true
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$user" "$method" "$host" "$size" "$up" >>"$dir/logs/requests.tsv"
done <<<"$requests"
stop
lines=$(wc -l <"$dir/logs/access-native.log")
echo "squid wrote $lines native log lines for $(wc -l <"$dir/logs/requests.tsv") requests (+1 readiness probe)"
