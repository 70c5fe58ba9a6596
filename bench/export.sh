#!/usr/bin/env bash
# export.sh: a full `portinfo export` (every port, both languages), timed, with its size, side by
# side with `cp -a` of the finished tree into the same file system (the cost of the files alone,
# with no rendering).  Prints a Markdown table for docs/benchmarks.md, preceded by the date and
# the machine.
#
#   bench/export.sh                        uses build/ (what `make` builds)
#   BUILD=build-export bench/export.sh     another build directory
#   DIRS="/dev/shm /var/tmp" ROUNDS=3 DISK_ROUNDS=1 THREADS="1 2"
#
# DIRS are the parents to write in: a tmpfs shows portinfo's own cost, a disk adds the file
# system's.  Removing a full export between rounds is not timed (on a disk mounted with
# `discard` it can take minutes, as `rm -r` does).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
ROUNDS=${ROUNDS:-3}
DISK_ROUNDS=${DISK_ROUNDS:-1}
DIRS=${DIRS:-/dev/shm /var/tmp}
ncpu=$(nproc)
THREADS=${THREADS:-$( [ "$ncpu" -gt 1 ] && echo "1 $ncpu" || echo 1)}
[ -x "$BUILD/portinfo" ] && [ -x "$BUILD/portinfo-export" ] || {
        echo "export.sh: build first ($BUILD/portinfo and portinfo-export)" >&2
        exit 2
}

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $ncpu CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| where | threads | export (median of n) | cp -a of the result |"
echo "| --- | --- | --- | --- |"
sized=""
for parent in $DIRS; do
        [ -d "$parent" ] && [ -w "$parent" ] || continue
        fs=$(stat -f -c %T "$parent")
        rounds=$ROUNDS
        [ "$fs" = tmpfs ] || rounds=$DISK_ROUNDS
        for t in $THREADS; do
                times=""
                for r in $(seq "$rounds"); do
                        dir=$(mktemp -d "$parent/portinfo-bench-export.XXXXXX")
                        t0=$(now)
                        "$BUILD/portinfo" export --threads "$t" --vote-url https://votes.example.org \
                                "$dir/site"
                        t1=$(now)
                        times="$times $(secs "$t0" "$t1")"
                        if [ -z "$sized" ]; then
                                sized=1
                                files=$(find "$dir/site" -type f | wc -l)
                                du_disk=$(du -sh "$dir/site" | cut -f1)
                                du_apparent=$(du -sh --apparent-size "$dir/site" | cut -f1)
                                idx=$(stat -c %s "$dir/site/search-index.json")
                                idx_gz=$(gzip -9 -c "$dir/site/search-index.json" | wc -c)
                                page=$(stat -c %s "$dir/site/ports/22.html")
                        fi
                        last=$dir
                        [ "$r" = "$rounds" ] || rm -rf "$dir"
                done
                t0=$(now)
                cp -a "$last/site" "$last/copy"
                t1=$(now)
                cp_s=$(secs "$t0" "$t1")
                rm -rf "$last"
                med=$(printf '%s\n' $times | median)
                printf '| %s (%s) | %s | %.1f s (%s) | %.1f s |\n' "$parent" "$fs" "$t" "$med" \
                        "$rounds" "$cp_s"
        done
done
echo
echo "| figure | value |"
echo "| --- | --- |"
echo "| files | $files |"
echo "| size (du -sh / --apparent-size) | $du_disk / $du_apparent |"
echo "| search-index.json (raw / gzip -9) | $((idx / 1024)) KiB / $((idx_gz / 1024)) KiB |"
echo "| ports/22.html | $page bytes |"
