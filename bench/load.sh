#!/usr/bin/env bash
# load.sh: the website under a mixed-route wrk load for DURATION: no answer but 2xx to a valid
# request, and memory flat.
#
# Starts `portinfo serve` on a free loopback port with a fresh data directory and a SQLite vote
# store, then runs wrk (CONNECTIONS connections) with a Lua script that picks among pages in both
# languages, the JSON API, searches, static files, vote counts and /healthz, over random ports.
# The server's VmRSS is sampled every 5 s; the first sample after a 5 s warm-up and the last one
# are compared.  Prints a Markdown section (also kept in bench/out/load.md); exits 1 when wrk saw
# a non-2xx answer, a socket error, or the server died.
#
#   bench/load.sh                                  uses build/
#   BUILD=build-bench DURATION=60 CONNECTIONS=64 bench/load.sh
#
# Traffic goes to 127.0.0.1 only; everything started here is stopped by its own pid on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-$(nproc)}
OUT=${OUT:-$here/out}

command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
[ -x "$BUILD/portinfo-serve" ] || { echo "load.sh: build first ($BUILD/portinfo-serve)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/portinfo-bench-load.XXXXXX)
serve_pid=""
cleanup() {
        set +e
        [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
        [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/data"
"$BUILD/portinfo-serve" --listen 127.0.0.1:0 --data-dir "$tmp/data" --no-access-log \
        2>"$tmp/serve.log" &
serve_pid=$!
port=""
for _ in $(seq 100); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
        [ -n "$port" ] && break
        sleep 0.1
done
[ -n "$port" ] || { echo "load.sh: the server did not start" >&2; cat "$tmp/serve.log" >&2; exit 2; }

cat >"$tmp/mixed.lua" <<'LUA'
-- Valid requests only, over random ports: every answer should be a 200.
local routes = {
  function(p) return "/ports/" .. p end,
  function(p) return "/pl/ports/" .. p end,
  function(p) return "/api/ports/" .. p end,
  function(p) return "/api/ports/" .. p .. "/feedback" end,
  function(p) return "/search?q=" .. p end,
  function(p) return "/api/search?q=ssh" end,
  function(p) return "/" end,
  function(p) return "/pl/" end,
  function(p) return "/ports" end,
  function(p) return "/static/style.css" end,
  function(p) return "/healthz" end,
}
local seeded = false
request = function()
  if not seeded then math.randomseed(os.time() + math.floor(os.clock() * 1e6)); seeded = true end
  local p = math.random(0, 65535)
  return wrk.format("GET", routes[math.random(#routes)](p))
end
local non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
LUA

rss() { awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status"; }
rss_start=$(rss)
: >"$tmp/rss"
( for _ in $(seq $((DURATION / 5))); do sleep 5; rss >>"$tmp/rss" 2>/dev/null || break; done ) &
sampler=$!
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$tmp/mixed.lua" \
        "http://127.0.0.1:$port" >"$tmp/wrk.log" 2>&1 || true
wait "$sampler" 2>/dev/null || true
alive=yes
kill -0 "$serve_pid" 2>/dev/null || alive=no
rss_end=$(rss 2>/dev/null || echo 0)
rss_peak=$(hwm 2>/dev/null || echo 0)
rss_warm=$(head -1 "$tmp/rss")
samples=$(tr '\n' ' ' <"$tmp/rss")

reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk.log")
rate=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk.log")
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$tmp/wrk.log")
non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$tmp/wrk.log")
sockerr=${sockerr:-0}
p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.log")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.log")
growth=$(( rss_end - rss_warm ))

mkdir -p "$OUT"
{
        echo "Mixed routes, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(uname -m)), wrk -t$THREADS -c$CONNECTIONS for ${DURATION} s:"
        echo
        echo "| figure | value |"
        echo "| --- | --- |"
        echo "| requests | $reqs ($rate req/s) |"
        echo "| latency p50 / p99 | $p50 / $p99 |"
        echo "| answers that were not 2xx (wrk \"Non-2xx or 3xx\") | $non2xx |"
        echo "| socket errors (connect, read, write, timeout) | $sockerr |"
        echo "| VmRSS at start / after warm-up / at the end (KiB) | $rss_start / $rss_warm / $rss_end (peak $rss_peak) |"
        echo "| VmRSS every 5 s (KiB) | $samples|"
        echo "| growth after warm-up | $growth KiB |"
        echo "| server alive at the end | $alive |"
} | tee "$OUT/load.md"
[ "$non2xx" = 0 ] && [ "$sockerr" = 0 ] && [ "$alive" = yes ]
