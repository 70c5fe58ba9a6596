#!/usr/bin/env bash
# votes.sh: a vote's round trip on the SQLite store against the PostgreSQL store, side by side.
#
# Starts a private PostgreSQL from Debian's packages in a temporary directory (initdb and pg_ctl
# as nobody when run as root; fsync and synchronous_commit left on, as a real server has them),
# then `portinfo serve` once with a SQLite store in the same directory and once with
# --feedback postgresql://..., and drives each with wrk and a Lua script that POSTs votes
# (Accept: application/json, so every answer is a 200 with the new counts) from VOTERS voters
# on PORTS ports with random values: new votes and revotes mixed.  Per store and round: one
# connection (the round trip a single voter sees) and CONNECTIONS connections (throughput).
#
#   bench/votes.sh                           uses build/ (what `make` builds)
#   BUILD=build-pg ROUNDS=2 DURATION=5s bench/votes.sh
#
# Traffic goes to 127.0.0.1 only; everything started here is stopped by its own pid (or pg_ctl)
# on exit.  Prints a Markdown section (also kept in bench/out/votes.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-$(nproc)}
VOTERS=${VOTERS:-20000}
PORTS=${PORTS:-2000}
OUT=${OUT:-$here/out}

command -v wrk >/dev/null || { echo "votes.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "votes.sh: needs postgresql (tools/deps/pg.txt)" >&2; exit 2; }
[ -x "$BUILD/portinfo" ] && [ -x "$BUILD/portinfo-serve" ] || {
        echo "votes.sh: build first ($BUILD/portinfo and portinfo-serve)" >&2
        exit 2
}

tmp=$(mktemp -d /tmp/portinfo-bench-votes.XXXXXX)
chmod 755 "$tmp"
mkdir "$tmp/pg" "$tmp/data"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
        chown nobody "$tmp/pg"
        as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
serve_pid=""
cleanup() {
        set +e
        [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
        [ -f "$tmp/pg/data/postmaster.pid" ] &&
                (cd "$tmp/pg" && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null)
        [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

free_port() {
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pgport=$(free_port)
(cd "$tmp/pg" && "${as_pg[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U admin --auth=trust \
        -E UTF8 --locale=C >/dev/null)
(cd "$tmp/pg" && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
        -o "-p $pgport -k $tmp/pg -c listen_addresses=127.0.0.1" start >/dev/null)
"$pgbin/psql" -X -q -h 127.0.0.1 -p "$pgport" -U admin -d postgres \
        -c "CREATE ROLE portinfo LOGIN" -c "CREATE DATABASE portinfo OWNER portinfo"
dsn="postgresql://portinfo@127.0.0.1:$pgport/portinfo"

cat >"$tmp/votes.lua" <<EOF
-- A vote from one of $VOTERS voters on one of $PORTS ports, with a random value.
local values = { "sad", "meh", "happy" }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
        local voter = string.format("%016x%016x", 0, math.random(1, $VOTERS))
        local port = math.random(1, $PORTS)
        return wrk.format("POST", "/ports/" .. port .. "/feedback",
                { ["Content-Type"] = "application/x-www-form-urlencoded",
                  ["Accept"] = "application/json", ["Cookie"] = "voter=" .. voter },
                "vote=" .. values[math.random(1, 3)])
end
EOF

# Starts the server on a free port (in $port, its pid in $serve_pid; not in a subshell, so that
# the trap can stop it).
start_serve() { # $1: the --feedback value
        port=$(free_port)
        "$BUILD/portinfo" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data" \
                --feedback "$1" --no-access-log </dev/null >/dev/null 2>"$tmp/serve.log" &
        serve_pid=$!
        for _ in $(seq 100); do
                curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
                sleep 0.05
        done
        echo "votes.sh: the server did not start: $(cat "$tmp/serve.log")" >&2
        exit 2
}

stop_serve() {
        kill -TERM "$serve_pid"
        wait "$serve_pid" || true
        serve_pid=""
}

# One wrk run; prints "req/s p50_ms p99_ms non2xx socket_errors".
run_wrk() { # $1 port, $2 connections, $3 threads
        local out
        out=$(wrk -t "$3" -c "$2" -d "$DURATION" --latency -s "$tmp/votes.lua" \
                "http://127.0.0.1:$1/")
        echo "$out" >>"$tmp/wrk.log"
        python3 - "$out" <<'EOF'
import re, sys
t = sys.argv[1]
def ms(s):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", s)
    if not m:
        sys.exit("votes.sh: cannot read wrk's latency %r in:\n%s" % (s, t))
    return float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4, "h": 3.6e6}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"50%\s+(\S+)", t).group(1))
p99 = ms(re.search(r"99%\s+(\S+)", t).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: (.*)", t)
print("%.0f %.2f %.2f %d %d" % (rps, p50, p99, int(bad.group(1)) if bad else 0,
                               sum(map(int, re.findall(r"\d+", err.group(1)))) if err else 0))
EOF
}

declare -A res
for round in $(seq "$ROUNDS"); do
        for store in sqlite postgresql; do
                if [ "$store" = sqlite ]; then value="$tmp/data/feedback.sqlite"; else value=$dsn; fi
                start_serve "$value"
                curl -sf -o /dev/null -X POST -H 'Accept: application/json' -d vote=happy \
                        "http://127.0.0.1:$port/ports/1/feedback" # the store is set up
                res[$store,1,$round]=$(run_wrk "$port" 1 1)
                res[$store,n,$round]=$(run_wrk "$port" "$CONNECTIONS" "$THREADS")
                stop_serve
        done
done
rows_sqlite=$(python3 -c "import sqlite3; print(sqlite3.connect('$tmp/data/feedback.sqlite').execute('select count(*) from votes').fetchone()[0])")
rows_pg=$("$pgbin/psql" -X -A -t -h 127.0.0.1 -p "$pgport" -U admin -d portinfo -c "select count(*) from votes")

mkdir -p "$OUT"
{
        echo "## Votes on PostgreSQL (issue 6)"
        echo
        echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
        echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on the same machine"
        echo "(defaults, fsync on; the server sets synchronous_commit on), SQLite in WAL mode with"
        echo "synchronous=FULL, both in $(df -T "$tmp" | awk 'NR==2 {print $2}') under /tmp. \`bench/votes.sh\`: wrk POSTs votes for $DURATION"
        echo "per run, from $VOTERS voters on $PORTS ports (new votes and revotes mixed), answered with 200 and the"
        echo "new counts. Round trip: one connection; throughput: $CONNECTIONS connections, $THREADS wrk threads;"
        echo "portinfo-serve with one event loop per CPU."
        echo
        echo "| store | round | 1 connection: votes/s | p50 | p99 | $CONNECTIONS connections: votes/s | p50 | p99 | non-2xx, socket errors |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for store in sqlite postgresql; do
                for round in $(seq "$ROUNDS"); do
                        read -r r1 a1 b1 e1 s1 <<<"${res[$store,1,$round]}"
                        read -r rn an bn en sn <<<"${res[$store,n,$round]}"
                        echo "| $store | $round | $r1 | $a1 ms | $b1 ms | $rn | $an ms | $bn ms | $((e1 + en)), $((s1 + sn)) |"
                done
        done
        echo
        for store in sqlite postgresql; do
                for round in $(seq "$ROUNDS"); do
                        echo "$store ${res[$store,1,$round]} ${res[$store,n,$round]}"
                done
        done | python3 -c '
import statistics, sys
rows = {}
for line in sys.stdin:
    w = line.split()
    rows.setdefault(w[0], []).append([float(x) for x in w[1:]])
med = {s: [statistics.median(c) for c in zip(*v)] for s, v in rows.items()}
q, p = med["sqlite"], med["postgresql"]
print("Medians over the rounds: one connection %.0f votes/s (p50 %.2f ms) on SQLite, %.0f (p50 %.2f ms)"
      " on PostgreSQL; %s connections %.0f (p50 %.2f ms) and %.0f (p50 %.2f ms)."
      % (q[0], q[1], p[0], p[1], sys.argv[1], q[5], q[6], p[5], p[6]))' "$CONNECTIONS"
        echo
        echo "Rows stored at the end: SQLite $rows_sqlite, PostgreSQL $rows_pg."
} | tee "$OUT/votes.md"
