#!/usr/bin/env bash
# serve.sh: the website's speed against nginx serving the very same bytes, side by side in one run.
#
# Starts `portinfo serve` on a free loopback port, fetches /ports/1776 and /api/ports/1776 from it,
# writes those bytes as static files into a private docroot (with the gzip bytes portinfo sends
# as the page's .gz sibling, for nginx's gzip_static), and starts a private nginx (its own config,
# pid and logs in a temporary directory) on another loopback port with the same response
# headers.  Both write an access log to a file.  Then, for ROUNDS rounds, wrk (64 connections,
# 10 s) measures each case on both servers in turn: the page, the page with `Accept-Encoding:
# gzip`, and the JSON; a round's ratio compares two runs made seconds apart under the same load.
# Also: the time from exec to the first answer, the resident memory after TOTAL requests
# (including 10 s of random ports, so the caches churn), and errors of every kind.
#
#   bench/serve.sh                  uses build/ (what `make` builds)
#   BUILD=build-bench bench/serve.sh
#   ROUNDS=5 DURATION=10s CONNECTIONS=64 TOTAL=10000000 bench/serve.sh
#
# Traffic goes to 127.0.0.1 only; every run is bounded by DURATION; everything started here is
# stopped by its own pid on exit.  Prints a Markdown section (also kept in bench/out/serve.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-$(nproc)}
OUT=${OUT:-$here/out}
TOTAL=${TOTAL:-1000000}

need=""
for pair in wrk:wrk nginx:nginx-light python3:python3 curl:curl; do
        command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
        if [ "$(id -u)" -ne 0 ]; then
                echo "serve.sh: missing Debian packages:$need (sudo apt-get install$need)" >&2
                exit 2
        fi
        echo "serve.sh: installing$need" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$BUILD/portinfo" ] && [ -x "$BUILD/portinfo-serve" ] || {
        echo "serve.sh: build first ($BUILD/portinfo and portinfo-serve)" >&2
        exit 2
}

tmp=$(mktemp -d /tmp/portinfo-bench-serve.XXXXXX)
chmod 755 "$tmp" # nginx workers run as nobody
serve_pid=""
nginx_pid=""
cleanup() {
        set +e
        [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null
        [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
        [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- the time from exec to the first answer (its own instance), then the measured server ----
pport=$(free_port)
mkdir -p "$tmp/data"
first_ms=$(python3 - "$BUILD/portinfo" "$pport" "$tmp" <<'EOF'
import http.client, signal, subprocess, sys, time
exe, port, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = time.monotonic()
p = subprocess.Popen([exe, "serve", "--listen", "127.0.0.1:%d" % port, "--data-dir",
                      tmp + "/data", "--no-access-log"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
ms = None
while time.monotonic() - t0 < 10:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/ports/1776")
        if c.getresponse().status == 200:
            ms = (time.monotonic() - t0) * 1000
            break
    except OSError:
        time.sleep(0.0005)
p.send_signal(signal.SIGTERM)
p.wait(15)
print("%.1f" % ms if ms is not None else "none")
EOF
)
"$BUILD/portinfo" serve --listen "127.0.0.1:$pport" --data-dir "$tmp/data" \
        </dev/null >/dev/null 2>"$tmp/serve.err" &
serve_pid=$!
for _ in $(seq 200); do
        curl -sf -o /dev/null "http://127.0.0.1:$pport/healthz" && break
        sleep 0.05
done

# ---- the same bytes for nginx ----
mkdir -p "$tmp/docroot/ports" "$tmp/docroot/api/ports" "$tmp/nginx"
curl -sf -o "$tmp/docroot/ports/1776" "http://127.0.0.1:$pport/ports/1776"
curl -sf -o "$tmp/docroot/api/ports/1776" "http://127.0.0.1:$pport/api/ports/1776"
curl -sf -H 'Accept-Encoding: gzip' -o "$tmp/docroot/ports/1776.gz" "http://127.0.0.1:$pport/ports/1776"
csp=$(curl -sfI "http://127.0.0.1:$pport/ports/1776" | tr -d '\r' |
        sed -n 's/^Content-Security-Policy: //p')
ppol=$(curl -sfI "http://127.0.0.1:$pport/ports/1776" | tr -d '\r' |
        sed -n 's/^Permissions-Policy: //p')
nport=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    # Buffered like portinfo's own log, which is written out every 100 ms.
    access_log $tmp/nginx/access.log combined buffer=64k flush=100ms;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    open_file_cache max=100 inactive=60s;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$nport reuseport;
        root $tmp/docroot;
        add_header Content-Security-Policy "$csp";
        add_header X-Content-Type-Options nosniff;
        add_header X-Frame-Options DENY;
        add_header Referrer-Policy same-origin;
        add_header Permissions-Policy "$ppol";
        location /ports/ { default_type "text/html; charset=utf-8"; add_header Cache-Control no-cache; gzip_static on; gzip_vary on; etag on; }
        location /api/ { default_type application/json; add_header Cache-Control "public, max-age=3600"; }
    }
}
EOF
"$NGINX" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" </dev/null >/dev/null 2>"$tmp/nginx/start.err" &
nginx_pid=$!
for _ in $(seq 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$nport/ports/1776" && break
        sleep 0.05
done
for path in /ports/1776 /api/ports/1776; do
        aes="identity"
        [ "$path" = /ports/1776 ] && aes="identity gzip" # the JSON has no .gz file here
        for ae in $aes; do
                cmp -s <(curl -sf -H "Accept-Encoding: $ae" "http://127.0.0.1:$pport$path") \
                        <(curl -sf -H "Accept-Encoding: $ae" "http://127.0.0.1:$nport$path") || {
                        echo "serve.sh: nginx does not serve the same bytes for $path ($ae)" >&2
                        exit 2
                }
        done
done

# ---- wrk, side by side ----
# run_wrk URL [lua] [header] -> "rps p99_ms requests errors"
run_wrk() {
        local out
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-s "$2"} \
                ${3:+-H "$3"} "$1" 2>&1)
        echo "$out" >>"$tmp/wrk.log"
        python3 - "$out" <<'EOF'
import re, sys
t = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
reqs = int(re.search(r"(\d+) requests in", t).group(1))
errs = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
if m:
    errs += sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if m:
    errs += int(m.group(1))
print("%.0f %.2f %d %d" % (rps, p99, reqs, errs))
EOF
}

served=0
: >"$tmp/rows"
for round in $(seq "$ROUNDS"); do
        for case in /ports/1776 /ports/1776+gzip /api/ports/1776; do
                path=${case%+gzip}
                hdr=""
                [ "$case" = "$path" ] || hdr="Accept-Encoding: gzip"
                read -r prps pp99 preqs perr < <(run_wrk "http://127.0.0.1:$pport$path" "" "$hdr")
                read -r nrps np99 nreqs nerr < <(run_wrk "http://127.0.0.1:$nport$path" "" "$hdr")
                served=$((served + preqs))
                echo "$round $case $prps $pp99 $perr $nrps $np99 $nerr" >>"$tmp/rows"
                echo "round $round $case: portinfo $prps req/s (p99 $pp99 ms, $perr errors)," \
                        "nginx $nrps req/s (p99 $np99 ms, $nerr errors)" >&2
        done
done

# Random ports (pages and API), so rendering and the cache's replacement run too.
cat >"$tmp/random.lua" <<'EOF'
math.randomseed(1776)
request = function()
        local p = math.random(0, 65535)
        if math.random() < 0.5 then
                return wrk.format("GET", "/ports/" .. p)
        end
        return wrk.format("GET", "/api/ports/" .. p)
end
EOF
read -r rrps rp99 rreqs rerr < <(run_wrk "http://127.0.0.1:$pport/" "$tmp/random.lua")
served=$((served + rreqs))
while [ "$served" -lt "$TOTAL" ]; do
        read -r _ _ xreqs xerr < <(run_wrk "http://127.0.0.1:$pport/ports/1776")
        served=$((served + xreqs))
        rerr=$((rerr + xerr))
done
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$serve_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$serve_pid/status")
kill -TERM "$serve_pid"
wait "$serve_pid" && stop_rc=0 || stop_rc=$?
serve_pid=""
grep -q "portinfo serve: stopped" "$tmp/serve.err" || stop_rc="$stop_rc (no clean stop in its log)"

mkdir -p "$OUT"
python3 - "$tmp/rows" "$first_ms" "$rss_kb" "$hwm_kb" "$served" "$rrps" "$rp99" "$rerr" \
        "$stop_rc" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$THREADS" \
        "$(wc -c <"$tmp/docroot/ports/1776")" "$(wc -c <"$tmp/docroot/api/ports/1776")" \
        "$("$NGINX" -v 2>&1 | sed 's/.*: //')" "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
        <<'EOF' | tee "$OUT/serve.md"
import statistics, sys, time, os, platform
(rows, first_ms, rss, hwm, served, rrps, rp99, rerr, stop_rc, rounds, duration, conns, threads,
 page_bytes, api_bytes, nginx_v, wrk_v) = sys.argv[1:]
data = {}
for line in open(rows):
    r, path, prps, pp99, perr, nrps, np99, nerr = line.split()
    data.setdefault(path, []).append((float(prps), float(pp99), int(perr), float(nrps),
                                      float(np99), int(nerr)))
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
load = open("/proc/loadavg").read().split()[:3]
print("**Date:** %s (`date -u`)  " % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
print("**Machine:** %d cores, %s, Linux %s; %s; %s; load average at the end %s.  " %
      (os.cpu_count(), cpu, platform.release(), nginx_v, wrk_v, " ".join(load)))
print("**Run:** `bench/serve.sh`: %s rounds; each round runs wrk (%s threads, %s connections, %s) "
      "on each URL against portinfo-serve (%s event loops) and then nginx (%s workers, the same "
      "bytes as static files: %s B page, %s B JSON, the page's gzip bytes as a .gz file for "
      "gzip_static, the same security headers, both writing an access log to a file).  Figures "
      "are medians over rounds; a ratio is the median of the per-round ratios." %
      (rounds, threads, conns, duration, threads, threads, page_bytes, api_bytes))
print()
print("| URL | portinfo req/s | nginx req/s | ratio (target >= 1.2) | portinfo p99 (target < 5 ms) | nginx p99 | errors (portinfo / nginx) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
ok = True
for path, v in data.items():
    prps = statistics.median(x[0] for x in v)
    nrps = statistics.median(x[3] for x in v)
    ratio = statistics.median(x[0] / x[3] for x in v)
    pp99 = statistics.median(x[1] for x in v)
    np99 = statistics.median(x[4] for x in v)
    perr = sum(x[2] for x in v)
    nerr = sum(x[5] for x in v)
    ok = ok and ratio >= 1.2 and pp99 < 5 and perr == 0
    shown = path.replace("+gzip", "` (gzip)") if "+gzip" in path else path + "`"
    print("| `%s | %.0f | %.0f | %.2f | %.2f ms | %.2f ms | %d / %d |" %
          (shown, prps, nrps, ratio, pp99, np99, perr, nerr))
print()
mem_ok = int(rss) < 64 * 1024
first_ok = first_ms != "none" and float(first_ms) < 100
print("| measure | figure | target |")
print("| --- | ---: | --- |")
print("| first answer after exec (`portinfo serve`, GET /ports/1776) | %s ms | < 100 ms |" % first_ms)
print("| resident memory after %s requests (VmRSS; peak VmHWM %d KiB) | %.1f MiB | < 64 MiB |" %
      (format(int(served), ","), int(hwm), int(rss) / 1024))
print("| random ports, pages and JSON half and half | %s req/s, p99 %s ms, %s errors | - |" %
      (rrps, rp99, rerr))
print("| exit status after SIGTERM, after all of this | %s | 0 |" % stop_rc)
print()
print("All targets met." if ok and mem_ok and first_ok and stop_rc == "0" and int(rerr) == 0
      else "Not every target was met (see above).")
EOF
