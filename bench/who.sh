#!/usr/bin/env bash
# who.sh: portinfo who and audit beside ss, lsof and netstat on a machine with 10,000 TCP sockets.
#
# bench/sockfarm.c makes the table: NPROC processes on loopback (default 200), each listening and
# holding NCONN connections to the next one and NCONN accepted from the previous one (default 25:
# 51 sockets a process, 10,200 in all).  It is bounded, and it dies with this script (a trap
# closes its stdin; its children die with it).  Then, in each round, hyperfine (-N, no shell)
# times every command once per randomly chosen listening port (PORTS of them), and bench/
# who-report.py takes each command's median over all its runs in the round, each ratio within
# the round, and the median of both over the rounds.  Peak memory is max RSS from
# /usr/bin/time -f %M, median of MEM_RUNS runs.  Run it as root: ss, lsof and portinfo then all
# see every process, which is the comparison the targets are about.
#
#   BUILD=build-bench bench/who.sh     ROUNDS=5 RUNS=20 PORTS=5 NPROC=200 NCONN=25 MEM_RUNS=11
#   bench/who.sh --update-docs         also rewrite the "Who and audit" section of
#                                      docs/benchmarks.md with the figures
#   NETNS=1 bench/who.sh               the same in a private network namespace of its own
#                                      (root), where only the table's sockets are listening
#
# Then a second table, of many listeners (issue 14): MANY_NPROC processes (default 200) each
# listening on MANY_LISTEN loopback ports (default 50: 10,000 listeners) and holding no
# connection; `portinfo who` is timed beside `ss -tulpn`, `netstat -tulpn` and
# `lsof -nP -iTCP -sTCP:LISTEN`, MANY_RUNS runs each (default 10) in each of the ROUNDS rounds.
# With --update-docs both tables go into docs/benchmarks.md as the "who at a glance and faster
# (issue 14)" section (MANY_LISTEN=0 leaves the second table out).
set -euo pipefail

if [ "${NETNS:-}" = 1 ]; then
        export NETNS=inside
        exec unshare -n -- bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
portinfo=$build/portinfo
rounds=${ROUNDS:-5}
runs=${RUNS:-20}
nports=${PORTS:-5}
nproc=${NPROC:-200}
nconn=${NCONN:-25}
mem_runs=${MEM_RUNS:-11}
many_nproc=${MANY_NPROC:-200}
many_listen=${MANY_LISTEN:-50}
many_runs=${MANY_RUNS:-10}
out=${OUT:-$here/out}
update_docs=false
[ "${1:-}" = --update-docs ] && update_docs=true

for tool in hyperfine ss lsof netstat python3 "${CC:-cc}" /usr/bin/time shuf; do
        command -v "$tool" >/dev/null ||
                { echo "who.sh: $tool is missing (Debian packages: tools/deps/who.txt, hyperfine, time)" >&2; exit 2; }
done
[ -x "$portinfo" ] || { echo "who.sh: no $portinfo; build first (make, or BUILD=dir)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || echo "who.sh: not root: every tool will see only this user's processes" >&2
# Each farm process holds 2 * NCONN + 1 sockets plus a few pipes; the parent a pipe per child.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((nproc + 2 * nconn + 64)) ]; then
        echo "who.sh: raise the open-file limit (ulimit -n) to at least $((nproc + 2 * nconn + 64))" >&2
        exit 2
fi

mkdir -p "$out"
rm -f "$out"/who-round*.json "$out"/who-many-round*.json "$out"/who-mem.tsv
tmp=$(mktemp -d)
farm_pid=
cleanup() {
        exec 3>&- 2>/dev/null || true
        if [ -n "$farm_pid" ]; then
                kill "$farm_pid" 2>/dev/null || true
                wait "$farm_pid" 2>/dev/null || true
        fi
        rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${CC:-cc}" -O2 -o "$tmp/sockfarm" "$here/sockfarm.c"
# start_farm NPROC NCONN NLISTEN: a table of sockets, until stop_farm.
start_farm() {
        rm -f "$tmp/in" "$tmp/ports"
        mkfifo "$tmp/in"
        "$tmp/sockfarm" "$@" <"$tmp/in" >"$tmp/ports" &
        farm_pid=$!
        exec 3>"$tmp/in" # the farm lives until this closes
        for _ in $(seq 1 600); do
                grep -q '^ready$' "$tmp/ports" 2>/dev/null && break
                kill -0 "$farm_pid" 2>/dev/null || { echo "who.sh: sockfarm failed" >&2; exit 2; }
                sleep 0.1
        done
        grep -q '^ready$' "$tmp/ports" ||
                { echo "who.sh: sockfarm did not get ready in 60 s" >&2; exit 2; }
}
stop_farm() {
        exec 3>&-
        wait "$farm_pid" 2>/dev/null || true
        farm_pid=
}
start_farm "$nproc" "$nconn" 1
sockets=$(ss -Htan | grep -vc TIME-WAIT || true)
echo "who.sh: $nproc processes, $sockets TCP sockets on this machine" >&2

ports=$(grep -v ready "$tmp/ports" | shuf -n "$nports" | paste -sd, -)
echo "who.sh: ports $ports" >&2

# Every command must give its answer before it is timed (hyperfine runs with -i: audit exits 1
# when it has findings, and the farm itself, running from /tmp, is one).
first=${ports%%,*}
check() {
        local want=$1
        shift
        local got
        got=$("$@" 2>&1) || true
        if ! grep -q -- "$want" <<<"$got"; then
                echo "who.sh: '$*' did not answer with '$want':" >&2
                printf '%s\n' "$got" | head -5 >&2
                exit 2
        fi
}
check "sockfarm (pid [0-9]*, user " "$portinfo" who "$first"
check "sockfarm" ss -tanp "sport = :$first"
check "sockfarm" lsof -nP -i ":$first"
check "sockfarm" "$portinfo" who
check "sockfarm" ss -tulpn
check "exe-temp-dir" "$portinfo" audit
check "sockfarm" netstat -tulpn

for r in $(seq 1 "$rounds"); do
        echo "who.sh: round $r of $rounds" >&2
        hyperfine -N -i --style basic --warmup 2 --runs "$runs" \
                --export-json "$out/who-round$r-port.json" -L port "$ports" \
                "$portinfo who {port}" "ss -tanp 'sport = :{port}'" "lsof -nP -i :{port}" \
                >"$out/who-round$r-port.txt" 2>&1
        hyperfine -N -i --style basic --warmup 2 --runs "$runs" \
                --export-json "$out/who-round$r-all.json" \
                -n 'portinfo who' "$portinfo who" \
                -n 'ss -tulpn' 'ss -tulpn' \
                -n 'portinfo audit' "$portinfo audit" \
                -n 'netstat -tulpn' 'netstat -tulpn' \
                >"$out/who-round$r-all.txt" 2>&1
done

echo "who.sh: memory ($mem_runs runs each)" >&2
measure() {
        local name=$1
        shift
        for _ in $(seq 1 "$mem_runs"); do
                /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
                printf '%s\t%s\n' "$name" "$(tail -n 1 "$tmp/rss")"
        done
}
{
        measure 'portinfo who PORT' "$portinfo" who "$first"
        measure "ss -tanp 'sport = :PORT'" ss -tanp "sport = :$first"
        measure 'lsof -nP -i :PORT' lsof -nP -i ":$first"
        measure 'portinfo who' "$portinfo" who
        measure 'ss -tulpn' ss -tulpn
        measure 'portinfo audit' "$portinfo" audit
} >"$out/who-mem.tsv"

many_sockets=0
if [ "$many_listen" -gt 0 ]; then
        stop_farm
        echo "who.sh: many listeners: $many_nproc processes x $many_listen ports" >&2
        start_farm "$many_nproc" 0 "$many_listen"
        many_sockets=$(ss -Htln | wc -l)
        echo "who.sh: $many_sockets TCP listeners on this machine" >&2
        check "sockfarm" "$portinfo" who
        check "sockfarm" ss -tulpn
        check "sockfarm" netstat -tulpn
        check "sockfarm" lsof -nP -iTCP -sTCP:LISTEN
        for r in $(seq 1 "$rounds"); do
                echo "who.sh: many listeners, round $r of $rounds" >&2
                hyperfine -N -i --style basic --warmup 1 --runs "$many_runs" \
                        --export-json "$out/who-many-round$r.json" \
                        -n 'portinfo who' "$portinfo who" \
                        -n 'ss -tulpn' 'ss -tulpn' \
                        -n 'netstat -tulpn' 'netstat -tulpn' \
                        -n 'lsof -nP -iTCP -sTCP:LISTEN' 'lsof -nP -iTCP -sTCP:LISTEN' \
                        >"$out/who-many-round$r.txt" 2>&1
        done
fi

python3 "$here/who-report.py" --out "$out" --rounds "$rounds" --runs "$runs" --ports "$ports" \
        --nproc "$nproc" --nconn "$nconn" --sockets "$sockets" --mem-runs "$mem_runs" \
        --many-nproc "$many_nproc" --many-listen "$many_listen" --many-runs "$many_runs" \
        --many-sockets "$many_sockets" --portinfo "$portinfo" ${NETNS:+--netns} >"$out/who.md"
cat "$out/who.md"
if $update_docs; then
        python3 "$here/who-report.py" --splice "$root/docs/benchmarks.md" <"$out/who.md"
        echo "who.sh: docs/benchmarks.md updated" >&2
fi
