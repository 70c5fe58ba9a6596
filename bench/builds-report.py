#!/usr/bin/env python3
"""builds-report: the Markdown table of bench/builds.sh.

Usage: builds-report.py OUT_DIR ROUNDS

Reads OUT_DIR/builds-round<N>.json (hyperfine) and builds-inproc-<side>-<i>.tsv (bench/inproc).
For each command: the median over rounds of its per-round median; for each "(before)"/"(after)"
pair and for each command against getent: the median over rounds of the ratio within a round.
"""
import json
import statistics
import sys
from pathlib import Path


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split('\n\n')[1], file=sys.stderr)
        return 2
    out, rounds = Path(argv[1]), int(argv[2])
    per_round = []
    for r in range(1, rounds + 1):
        data = json.loads((out / f'builds-round{r}.json').read_text())
        per_round.append({res['command']: statistics.median(res['times']) for res in data['results']})
    names = list(per_round[0])
    getent = 'getent services 1776'

    def med(name):
        return statistics.median(rnd[name] for rnd in per_round)

    def ratio(a, b):
        return statistics.median(rnd[a] / rnd[b] for rnd in per_round)

    print('| command | before (ms) | after (ms) | after / before | before / getent | after / getent |')
    print('| --- | ---: | ---: | ---: | ---: | ---: |')
    for name in names:
        if not name.endswith('(before)'):
            continue
        base = name[:-len(' (before)')]
        new = base + ' (after)'
        print(f'| `{base}` | {med(name) * 1e3:.3f} | {med(new) * 1e3:.3f} | '
              f'{ratio(new, name):.2f} | {ratio(name, getent):.2f} | {ratio(new, getent):.2f} |')
    for peer in (getent, 'ss -tulpn'):
        print(f'| `{peer}` (peer) | {med(peer) * 1e3:.3f} |  |  |  |  |')
    print()
    print('| in-process | before | after |')
    print('| --- | ---: | ---: |')
    figures = {}
    for side in ('before', 'after'):
        lookups, worst = [], []
        for f in sorted(out.glob(f'builds-inproc-{side}-*.tsv')):
            for line in f.read_text().splitlines():
                cols = line.split('\t')
                if cols[0] == 'lookups_per_s':
                    lookups.append(float(cols[1]))
                elif cols[0] == 'search_worst_us':
                    worst.append(float(cols[1]))
        figures[side] = (statistics.median(lookups), statistics.median(worst))
    print(f'| lookups per second | {figures["before"][0] / 1e6:.1f} M | '
          f'{figures["after"][0] / 1e6:.1f} M |')
    print(f'| slowest search (µs) | {figures["before"][1]:.0f} | {figures["after"][1]:.0f} |')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
