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
# Two more servers run each case in the same rounds, for scale: h2o (Debian's `h2o`, the server
# built on libh2o; used when installed, never installed from here, as its package starts a
# service) serving the same files, and bench/floor.c, which answers every request head with the
# recorded response bytes and does nothing else (no parsing, no log): the most any HTTP layer
# could get out of this machine.  For each server the CPU time it used (utime + stime of its
# processes, from /proc) is divided by the requests wrk counted: microseconds per request.
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
h2o_pid=""
floor_pids=""
cleanup() {
        set +e
        [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null
        [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
        [ -n "$h2o_pid" ] && kill -TERM "$h2o_pid" 2>/dev/null && wait "$h2o_pid" 2>/dev/null
        for pid in $floor_pids; do kill -TERM "$pid" 2>/dev/null; done
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
# await PORT PATH: waits (at most 5 s) until the server on PORT answers PATH
await() {
        for _ in $(seq 100); do
                curl -sf -o /dev/null "http://127.0.0.1:$1$2" && return
                sleep 0.05
        done
}
# same_bytes NAME PORT: exits 2 unless the server on PORT sends portinfo's bytes for each case
same_bytes() {
        local path ae
        for path in /ports/1776 /api/ports/1776; do
                for ae in identity gzip; do
                        # the JSON has no .gz file here
                        [ "$path $ae" = "/api/ports/1776 gzip" ] && continue
                        cmp -s <(curl -sf -H "Accept-Encoding: $ae" "http://127.0.0.1:$pport$path") \
                                <(curl -sf -H "Accept-Encoding: $ae" "http://127.0.0.1:$2$path") || {
                                echo "serve.sh: $1 does not serve the same bytes for $path ($ae)" >&2
                                exit 2
                        }
                done
        done
}
await "$nport" /ports/1776
same_bytes nginx "$nport"

# ---- the same bytes for h2o, when it is installed ----
H2O=$(command -v h2o || true)
hport=""
if [ -n "$H2O" ]; then
        hport=$(free_port)
        # As root, "user: root" keeps h2o from switching to nobody (it writes its log here).
        cat >"$tmp/h2o.conf" <<EOF
listen: {host: 127.0.0.1, port: $hport}
num-threads: $THREADS
$([ "$(id -u)" -eq 0 ] && echo "user: root")
error-log: $tmp/h2o.err
access-log: $tmp/h2o-access.log
hosts:
  default:
    header.add: "Content-Security-Policy: $csp"
    header.add: "X-Content-Type-Options: nosniff"
    header.add: "X-Frame-Options: DENY"
    header.add: "Referrer-Policy: same-origin"
    header.add: "Permissions-Policy: $ppol"
    paths:
      /ports:
        file.dir: $tmp/docroot/ports
        file.send-compressed: ON
        header.add: "Cache-Control: no-cache"
      /api:
        file.dir: $tmp/docroot/api
        header.add: "Cache-Control: public, max-age=3600"
EOF
        "$H2O" -c "$tmp/h2o.conf" </dev/null >/dev/null 2>"$tmp/h2o.start" &
        h2o_pid=$!
        await "$hport" /ports/1776
        same_bytes h2o "$hport"
else
        echo "serve.sh: h2o is not installed (apt-get install h2o); its columns stay empty" >&2
fi

# ---- the floor: portinfo's recorded answers, sent back with nothing else done ----
"${CC:-cc}" -O2 -pthread -o "$tmp/floor" "$here/floor.c"
declare -A fport
for case in /ports/1776 /ports/1776+gzip /api/ports/1776; do
        path=${case%+gzip}
        ae=identity
        [ "$case" = "$path" ] || ae=gzip
        f=$tmp/floor$(echo "$case" | tr -c 'a-z0-9\n' '-')
        curl -sf -H "Accept-Encoding: $ae" -D "$f.head" -o "$f.body" "http://127.0.0.1:$pport$path"
        cat "$f.head" "$f.body" >"$f.raw"
        fport[$case]=$(free_port)
        "$tmp/floor" "${fport[$case]}" "$f.raw" "$THREADS" </dev/null >/dev/null 2>"$f.err" &
        floor_pids="$floor_pids $!"
        await "${fport[$case]}" "$path"
        cmp -s "$f.body" <(curl -sf -H "Accept-Encoding: $ae" "http://127.0.0.1:${fport[$case]}$path") || {
                echo "serve.sh: the floor does not send the same bytes for $case" >&2
                exit 2
        }
done

# cpu_ticks PID... -> the user + system clock ticks of those processes and their children so far
cpu_ticks() {
        local total=0 pid kid t
        for pid in "$@"; do
                for kid in $pid $(pgrep -P "$pid" || true); do
                        t=$(awk '{print $14 + $15}' "/proc/$kid/stat" 2>/dev/null || echo 0)
                        total=$((total + t))
                done
        done
        echo "$total"
}
tick_us=$((1000000 / $(getconf CLK_TCK)))
# us_per ticks requests -> microseconds of CPU per request, one decimal
us_per() {
        awk -v t="$1" -v n="$2" -v u="$tick_us" 'BEGIN { printf "%.1f", (n > 0 ? t * u / n : 0) }'
}

# measure PORT/PATH HEADER PID... -> run_wrk's figures, then the CPU those processes spent per
# request (microseconds)
measure() {
        local at=$1 hdr=$2 c0 rps p99 reqs errs
        shift 2
        c0=$(cpu_ticks "$@")
        read -r rps p99 reqs errs < <(run_wrk "http://127.0.0.1:$at" "" "$hdr")
        echo "$rps $p99 $reqs $errs $(us_per $(($(cpu_ticks "$@") - c0)) "$reqs")"
}

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
                read -r prps pp99 preqs perr pcpu < <(measure "$pport$path" "$hdr" "$serve_pid")
                read -r nrps np99 _ nerr ncpu < <(measure "$nport$path" "$hdr" "$nginx_pid")
                hrps=- hp99=- herr=- hcpu=-
                [ -z "$h2o_pid" ] ||
                        read -r hrps hp99 _ herr hcpu < <(measure "$hport$path" "$hdr" "$h2o_pid")
                # shellcheck disable=SC2086 # a list of pids
                read -r frps fp99 _ ferr fcpu < <(measure "${fport[$case]}$path" "$hdr" $floor_pids)
                served=$((served + preqs))
                echo "$round $case $prps $pp99 $perr $nrps $np99 $nerr $hrps $hp99 $herr $frps $fp99 $ferr" \
                        "$pcpu $ncpu $hcpu $fcpu" >>"$tmp/rows"
                echo "round $round $case: portinfo $prps req/s (p99 $pp99 ms, $perr errors, $pcpu us CPU)," \
                        "nginx $nrps ($np99 ms, $nerr, $ncpu us), h2o $hrps ($hp99 ms, $herr, $hcpu us)," \
                        "floor $frps ($fp99 ms, $ferr, $fcpu us)" >&2
        done
done

# How each server frames the request-smuggling variants of the fault tests (speed is only worth
# comparing between servers that refuse the same requests).
python3 "$here/framing.py" portinfo="$pport" nginx="$nport" ${hport:+h2o="$hport"} >"$tmp/framing.md"

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
        "$([ -n "$H2O" ] && "$H2O" --version 2>&1 | head -1 || echo "h2o not installed")" \
        <<'EOF' >"$tmp/report.md"
import statistics, sys, time, os, platform
(rows, first_ms, rss, hwm, served, rrps, rp99, rerr, stop_rc, rounds, duration, conns, threads,
 page_bytes, api_bytes, nginx_v, wrk_v, h2o_v) = sys.argv[1:]
data = {}
peers = {}  # case -> server -> [(rps, p99, errors, cpu_us)]
names = ("portinfo", "nginx", "h2o", "floor")
for line in open(rows):
    f = line.split()
    r, path, prps, pp99, perr, nrps, np99, nerr = f[:8]
    data.setdefault(path, []).append((float(prps), float(pp99), int(perr), float(nrps),
                                      float(np99), int(nerr)))
    per = [f[2:5], f[5:8], f[8:11], f[11:14]]
    for i, name in enumerate(names):
        if per[i][0] == "-":
            continue
        peers.setdefault(path, {}).setdefault(name, []).append(
            (float(per[i][0]), float(per[i][1]), int(per[i][2]), float(f[14 + i])))
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
load = open("/proc/loadavg").read().split()[:3]
print("**Date:** %s (`date -u`)  " % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
print("**Machine:** %d cores, %s, Linux %s; %s; %s; %s; load average at the end %s.  " %
      (os.cpu_count(), cpu, platform.release(), nginx_v, h2o_v, wrk_v, " ".join(load)))
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
print("Every server on the same cases in the same rounds (h2o: the same files, its own access log; "
      "floor: bench/floor.c sending portinfo's recorded answers, nothing parsed or logged).  CPU "
      "is the server's user + system time per request:")
print()
print("| case | server | req/s | × nginx | p99 | CPU per request | errors |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
for path, by in peers.items():
    shown = path.replace("+gzip", "` (gzip)") if "+gzip" in path else path + "`"
    base = by.get("nginx")
    for name in names:
        v = by.get(name)
        if not v:
            continue
        rps = statistics.median(x[0] for x in v)
        rel = (statistics.median(a[0] / b[0] for a, b in zip(v, base)) if base else float("nan"))
        print("| `%s | %s | %.0f | %.2f | %.2f ms | %.1f µs | %d |" %
              (shown, name, rps, rel, statistics.median(x[1] for x in v),
               statistics.median(x[3] for x in v), sum(x[2] for x in v)))
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
{
        cat "$tmp/report.md"
        echo
        echo "How each server framed the request-smuggling variants of tests/faults/attacks.py" \
                "(bench/framing.py): the answer portinfo's fault tests require, then what each" \
                "server sent; **x** marks any other answer."
        echo
        cat "$tmp/framing.md"
} | tee "$OUT/serve.md"
