#!/bin/sh
# Records the sock_diag replies under tests/fixtures/netlink/ in a private network namespace
# with known listeners (see the specs below; test_sockdiag.c knows them).  Run as root, or where
# unprivileged user namespaces are allowed:  tests/who/record-fixtures.sh BUILD_DIR
set -eu
build=${1:?usage: record-fixtures.sh BUILD_DIR}
out=$(cd "$(dirname "$0")/../fixtures" && pwd)/netlink
mkdir -p "$out"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
# shellcheck disable=SC2016
$ns sh -eu -c '
        build=$1 out=$2
        ip link set lo up
        fifo=$(mktemp -u) && mkfifo "$fifo"
        "$build/tests/who/who-listener" tcp4:127.0.0.1:5001 tcp4:0.0.0.0:5002 \
                tcp6only:::1:5003 tcp6::::5004 udp4:0.0.0.0:5005 udp6:::1:5006 conn:0 \
                <"$fifo" >"$fifo.out" &
        exec 3>"$fifo"
        i=0
        while ! grep -q ready "$fifo.out" 2>/dev/null; do
                i=$((i + 1)); [ $i -lt 100 ] || { echo "listener did not start" >&2; exit 1; }
                sleep 0.05
        done
        rec="$build/tests/who/record-netlink"
        $rec 4 tcp listen >"$out/tcp4-listen.bin"
        $rec 6 tcp listen >"$out/tcp6-listen.bin"
        $rec 4 udp listen >"$out/udp4-listen.bin"
        $rec 6 udp listen >"$out/udp6-listen.bin"
        $rec 4 tcp all >"$out/tcp4-all.bin"
        $rec 4 tcp all 5001 >"$out/tcp4-port-5001.bin"
        $rec 4 tcp all 5005 >"$out/tcp4-port-5005.bin"
        $rec 4 udp all 5005 5006 >"$out/udp4-ports.bin"
        $rec 0 tcp listen >"$out/tcp-both-listen.bin"
        $rec 0 tcp all 5001 5004 >"$out/tcp-both-ports.bin"
        exec 3>&-
        wait
        rm -f "$fifo" "$fifo.out"
' sh "$build" "$out"
ls -l "$out"
