#!/usr/bin/env bash
# builds.sh: two builds of portinfo side by side in one run, to show that a change (a refactor, a
# new compiler flag) made nothing slower.  Each round times, with hyperfine (-N, no shell), the
# same commands from BEFORE and AFTER beside `getent services 1776`, in one hyperfine call, so
# both builds meet the same load; bench/builds-report.py takes each command's median per round,
# each ratio within a round, and the median of both over the rounds.  Then each build's
# bench/inproc (lookups per second, the slowest search) three times.
#
#   bench/builds.sh BEFORE_BUILD AFTER_BUILD        ROUNDS=5 RUNS=200 by default
#
# Build both alike (meson setup DIR -Dbuildtype=release).  Prints a Markdown table.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: bench/builds.sh BEFORE_BUILD AFTER_BUILD" >&2; exit 2; }
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
rounds=${ROUNDS:-5}
runs=${RUNS:-200}
out=${OUT:-$here/out}

for tool in hyperfine python3 getent ss; do
        command -v "$tool" >/dev/null || { echo "builds.sh: $tool is missing" >&2; exit 2; }
done
for b in "$before" "$after"; do
        [ -x "$b/portinfo" ] && [ -x "$b/bench/inproc" ] || {
                echo "builds.sh: $b has no portinfo or bench/inproc; build it first" >&2
                exit 2
        }
        "$b/portinfo" 1776 | grep -q femis || { echo "builds.sh: $b/portinfo 1776 fails" >&2; exit 2; }
done

mkdir -p "$out"
rm -f "$out"/builds-round*.json
cmds=()
for c in '1776' '--json 1776' 'search kuang' 'search e' 'range 6000-6100' 'who'; do
        for side in before after; do
                dir=$before
                [ "$side" = after ] && dir=$after
                cmds+=(-n "portinfo $c ($side)" "$dir/portinfo $c")
        done
done
for r in $(seq 1 "$rounds"); do
        echo "builds.sh: round $r of $rounds" >&2
        hyperfine -N -i --style basic --warmup 20 --runs "$runs" \
                --export-json "$out/builds-round$r.json" \
                -n 'getent services 1776' 'getent services 1776' \
                -n 'ss -tulpn' 'ss -tulpn' \
                "${cmds[@]}" >"$out/builds-round$r.txt" 2>&1
done

for side in before after; do
        dir=$before
        [ "$side" = after ] && dir=$after
        for i in 1 2 3; do
                "$dir/bench/inproc" >"$out/builds-inproc-$side-$i.tsv"
        done
done
python3 "$here/builds-report.py" "$out" "$rounds"
