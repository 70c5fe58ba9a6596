#!/usr/bin/env python3
"""who-report: the figures of bench/who.sh as the "who at a glance and faster (issue 14)"
section of docs/benchmarks.md (the section of issue 3, "Who and audit", stays as it was).

  who-report.py --out DIR ...      reads DIR/who-round*-{port,all}.json, DIR/who-mem.tsv and
                                   DIR/who-many-round*.json (the many-listeners table),
                                   prints the section (Markdown) on stdout
  who-report.py --splice FILE      puts the section read from stdin into FILE in place of its
                                   own earlier version, or at the end; other sections untouched

A command's figure is the median over rounds of its median over all its runs in the round (all
ports together); a ratio is the median over rounds of the ratio of the two medians in that
round, so a burst of load hits both sides of it.
"""
import argparse
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone

HEADING = '## who at a glance and faster (issue 14)'
MANY = ['portinfo who', 'ss -tulpn', 'netstat -tulpn', 'lsof -nP -iTCP -sTCP:LISTEN']

# (command, peer, target ratio) for the targets of issue 3.
TARGETS = [
    ('portinfo who PORT', "ss -tanp 'sport = :PORT'", 0.3),
    ('portinfo who PORT', 'lsof -nP -i :PORT', 0.1),
    ('portinfo who', 'ss -tulpn', 0.5),
    ('portinfo audit', 'ss -tulpn', 1.0),
]
MEMORY = [('portinfo who PORT', "ss -tanp 'sport = :PORT'"), ('portinfo who', 'ss -tulpn'),
          ('portinfo audit', 'ss -tulpn')]


def splice(path):
    section = sys.stdin.read().rstrip('\n') + '\n'
    text = open(path, encoding='utf-8').read() if os.path.exists(path) else ''
    start = text.find(HEADING + '\n')
    if start < 0:
        text = text.rstrip('\n') + ('\n\n' if text else '') + section
    else:
        nxt = re.search(r'^## ', text[start + len(HEADING):], re.M)
        end = start + len(HEADING) + nxt.start() if nxt else len(text)
        tail = text[end:]
        text = text[:start] + section + ('\n' + tail if tail else '')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def name_of(result):
    """The command's name: a per-port run's command line with its port taken out."""
    cmd = result['command']
    port = (result.get('parameters') or {}).get('port')
    if port is None:
        return cmd
    if cmd.startswith('ss '):
        return "ss -tanp 'sport = :PORT'"
    if cmd.startswith('lsof '):
        return 'lsof -nP -i :PORT'
    return 'portinfo who PORT'


def rounds(out):
    """[({command: [seconds, ...]}, {command: cpu seconds}), ...], one pair per round: every
    run's wall-clock time, and the mean user + system time (hyperfine keeps only means)."""
    result = []
    for path in sorted(glob.glob(os.path.join(out, 'who-round*-port.json')),
                       key=lambda p: int(re.search(r'round(\d+)', p).group(1))):
        times, cpu = {}, {}
        for other in (path, path.replace('-port.json', '-all.json')):
            for r in json.load(open(other))['results']:
                times.setdefault(name_of(r), []).extend(r['times'])
                cpu.setdefault(name_of(r), []).append(r['user'] + r['system'])
        result.append((times, {k: statistics.mean(v) for k, v in cpu.items()}))
    return result


def tool(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (p.stdout + p.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return '?'


def lsof_version():
    try:
        p = subprocess.run(['lsof', '-v'], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return '?'
    m = re.search(r'revision:\s*(\S+)', p.stdout + p.stderr)
    return m.group(1) if m else '?'


def machine():
    cpu = '?'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    distro = '?'
    if os.path.exists('/etc/os-release'):
        for line in open('/etc/os-release'):
            if line.startswith('PRETTY_NAME='):
                distro = line.split('=', 1)[1].strip().strip('"')
    return f'{os.cpu_count()} cores (`nproc`), {cpu}, Linux {platform.release()}, {distro}'


def report(a):
    both = rounds(a.out)
    if not both:
        sys.exit('who-report: no rounds found in ' + a.out)
    per_round = [t for t, _ in both]
    commands = list(per_round[0])
    med = {c: statistics.median(statistics.median(r[c]) for r in per_round) * 1000
           for c in commands}
    ratio, cpu_ratio = {}, {}
    for cmd, peer, _ in TARGETS + [('netstat -tulpn', 'ss -tulpn', None)]:
        ratio[(cmd, peer)] = statistics.median(
            statistics.median(r[cmd]) / statistics.median(r[peer]) for r in per_round)
        cpu_ratio[(cmd, peer)] = statistics.median(c[cmd] / c[peer] for _, c in both)
    mem = {}
    for line in open(os.path.join(a.out, 'who-mem.tsv')):
        name, kib = line.rstrip('\n').split('\t')
        if kib.isdigit():
            mem.setdefault(name, []).append(int(kib))
    mem = {k: statistics.median(v) for k, v in mem.items()}
    load = open('/proc/loadavg').read().split()[:3]

    lines = [HEADING, '',
             f'**Date:** {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC (`date -u`)  ',
             f'**Machine:** {machine()}; {tool(["ss", "-V"])}, lsof {lsof_version()}, '
             f'{tool(["hyperfine", "--version"])}.  ',
             f'**Build:** `{os.path.relpath(a.portinfo)}` ({tool([a.portinfo, "--version"])}).  ',
             f'**Table:** {a.nproc} processes of `bench/sockfarm.c` on loopback, each listening and '
             f'holding {a.nconn} connections to the next and {a.nconn} from the previous one: '
             f'{a.sockets} TCP sockets on the machine in all, not counting TIME_WAIT'
             + (' (run in a private network namespace: only the table listens there).  '
                if a.netns else '.  '),
             f'**Load:** load average {" ".join(load)} at the end (other builds and tests share '
             f'the machine), which is why every figure is a median and every ratio is taken within '
             f'one round.', '',
             '### Method', '',
             f'`bench/who.sh` (as root). {a.rounds} rounds; in each, hyperfine (`-N`, no shell, 2 '
             f'warm-up runs, then {a.runs} runs per command and port, output to /dev/null) times '
             f'`portinfo who PORT`, `ss -tanp \'sport = :PORT\'` and `lsof -nP -i :PORT` for '
             f'each of {len(a.ports.split(","))} listening ports chosen at random '
             f'({a.ports}), then `portinfo who`, `ss -tulpn`, `portinfo audit` and '
             f'`netstat -tulpn`. A figure is the median over rounds of the command\'s median over '
             f'all its runs in the round (every port together); a ratio is the median over rounds '
             f'of the ratio of the two medians in the same round. The CPU-time ratio is the same '
             f'with user + system time (hyperfine\'s means per benchmark), which other work on the '
             f'machine disturbs less than wall-clock time. Peak memory: max RSS from '
             f'`/usr/bin/time -f %M`, median of {a.mem_runs} runs. Every command\'s answer is '
             f'checked before it is timed.', '',
             '### Results', '',
             '| Measure | Median | Ratio | Target | Met | CPU-time ratio |',
             '| --- | ---: | --- | --- | --- | --- |']

    def met(value, target):
        return '**yes**' if value <= target else '**no**'

    shown = set()
    for cmd, peer, target in TARGETS:
        r = ratio[(cmd, peer)]
        name = cmd if cmd not in shown else ''
        median = f'{med[cmd]:.1f} ms' if cmd not in shown else ''
        shown.add(cmd)
        lines.append(f'| `{name or cmd}` | {median} | {r:.2f} × `{peer}` | ≤ {target} × | '
                     f'{met(r, target)} | {cpu_ratio[(cmd, peer)]:.2f} × |')
    for peer in ("ss -tanp 'sport = :PORT'", 'lsof -nP -i :PORT', 'ss -tulpn'):
        lines.append(f'| `{peer}` | {med[peer]:.1f} ms | 1 | reference |  |  |')
    lines.append(f'| `netstat -tulpn` | {med["netstat -tulpn"]:.1f} ms | '
                 f'{ratio[("netstat -tulpn", "ss -tulpn")]:.2f} × `ss -tulpn` | for scale |  | '
                 f'{cpu_ratio[("netstat -tulpn", "ss -tulpn")]:.2f} × |')
    for cmd, peer in MEMORY:
        if cmd in mem and peer in mem:
            lines.append(f'| peak RSS `{cmd}` | {mem[cmd]:.0f} KiB | {mem[cmd] / mem[peer]:.2f} × '
                         f'`{peer}` ({mem[peer]:.0f} KiB) | ≤ 1 × | {met(mem[cmd], mem[peer])} |'
                         f'  |')
    if 'lsof -nP -i :PORT' in mem:
        lines.append(f'| peak RSS `lsof -nP -i :PORT` | {mem["lsof -nP -i :PORT"]:.0f} KiB |  | '
                     f'for scale |  |  |')
    lines += many_table(a)
    print('\n'.join(lines))


def many_table(a):
    """The many-listeners table: each command's median, and its ratio to ss -tulpn within each
    round (median over rounds), in wall-clock and in CPU time."""
    paths = sorted(glob.glob(os.path.join(a.out, 'who-many-round*.json')),
                   key=lambda p: int(re.search(r'round(\d+)', p).group(1)))
    if not paths:
        return []
    per_round = []
    for path in paths:
        res = {r['command']: r for r in json.load(open(path))['results']}
        per_round.append({name: (statistics.median(r['times']), r['user'] + r['system'])
                          for name, r in res.items()})
    lines = ['', '### Many listeners', '',
             f'{a.many_nproc} processes of `bench/sockfarm.c`, each listening on '
             f'{a.many_listen} loopback ports and holding no connection: {a.many_sockets} TCP '
             f'listeners. In each of the {len(paths)} rounds, hyperfine (`-N`, 1 warm-up run, '
             f'{a.many_runs} runs each) times the four commands one after the other; figures and '
             f'ratios are taken as above.', '',
             '| Command | Median | Ratio to `ss -tulpn` | Target | Met | CPU-time ratio |',
             '| --- | ---: | --- | --- | --- | --- |']
    for cmd in MANY:
        if not all(cmd in r for r in per_round):
            continue
        med = statistics.median(r[cmd][0] for r in per_round) * 1000
        ratio = statistics.median(r[cmd][0] / r['ss -tulpn'][0] for r in per_round)
        cpu = statistics.median(r[cmd][1] / r['ss -tulpn'][1] for r in per_round)
        if cmd == 'portinfo who':
            target, met = '≤ 0.5 ×', '**yes**' if ratio <= 0.5 else '**no**'
        else:
            target, met = ('reference', '') if cmd == 'ss -tulpn' else ('for scale', '')
        lines.append(f'| `{cmd}` | {med:.1f} ms | {ratio:.2f} × | {target} | {met} | '
                     f'{cpu:.2f} × |')
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--splice')
    p.add_argument('--out')
    for opt in ('rounds', 'runs', 'nproc', 'nconn', 'sockets', 'mem-runs', 'many-nproc',
                'many-listen', 'many-runs', 'many-sockets'):
        p.add_argument('--' + opt, type=int, default=0)
    p.add_argument('--ports', default='')
    p.add_argument('--portinfo', default='portinfo')
    p.add_argument('--netns', action='store_true', help='the run was in a private namespace')
    a = p.parse_args()
    if a.splice:
        splice(a.splice)
    else:
        report(a)


if __name__ == '__main__':
    main()
