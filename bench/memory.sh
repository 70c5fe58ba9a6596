#!/usr/bin/env bash
# memory.sh: peak memory (max RSS, /usr/bin/time -f %M, KiB) of portinfo's answers beside a
# trivial C program built dynamically and statically.  Each command runs RUNS times (default
# 21); bench/report.py takes the median.
#
#   BUILD=build-bench bench/memory.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
portinfo=$build/portinfo
runs=${RUNS:-21}
out=${OUT:-$here/out}

[ -x /usr/bin/time ] || { echo "memory.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }
[ -x "$portinfo" ] || { echo "memory.sh: no $portinfo; build first (make, or BUILD=dir)" >&2; exit 2; }

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${CC:-cc}" -O2 -o "$tmp/hello-dynamic" "$here/hello.c"
"${CC:-cc}" -O2 -static -o "$tmp/hello-static" "$here/hello.c"

# name <TAB> command; portinfo's answers go to a pipe, as in a script.
measure() {
        local name=$1
        shift
        for _ in $(seq 1 "$runs"); do
                /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
                printf '%s\t%s\n' "$name" "$(tail -n 1 "$tmp/rss")"
        done
}

{
        measure 'hello (dynamic)' "$tmp/hello-dynamic"
        measure 'hello (static)' "$tmp/hello-static"
        measure 'portinfo 1776' "$portinfo" 1776
        measure 'portinfo --json 1776' "$portinfo" --json 1776
        measure 'portinfo search kuang' "$portinfo" search kuang
        measure 'portinfo search e' "$portinfo" search e
} >"$out/memory.tsv"

python3 "$here/report.py" memory "$out"
