#!/usr/bin/env python3
"""check-help: every --help fits 80 columns, and every program speaks as "portinfo CMD: ".

Usage: check-help.py PORTINFO SOURCE_ROOT

Runs `portinfo --help`, `portinfo CMD --help` for every command it lists, and each helper
executable beside portinfo (portinfo-*) with --help, and fails on any line wider than 80
columns.  Then makes bad invocations of each command and checks that stderr is one line per
message, each starting with "portinfo CMD: " ("portinfo: " for an explanation), and that no
message in src/ names a helper executable ("portinfo-serve: ...") instead of its command.
"""
import glob
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

failures = []


def run(args, stdin=''):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60)


def width_check(what, text):
    if not text.startswith('Usage:'):
        failures.append(f'{what}: does not start with "Usage:": {text[:60]!r}')
    for n, line in enumerate(text.splitlines(), 1):
        if len(line) > 80:
            failures.append(f'{what}, line {n}: {len(line)} columns: {line!r}')


# Bad invocations: (arguments, the prefix every stderr line must start with).
BAD = [
    (['70000'], 'portinfo: '),
    (['--bogus'], 'portinfo: '),
    (['search'], 'portinfo search: '),
    (['search', 'e', '--format', 'xml'], 'portinfo search: '),
    (['range', 'a-b'], 'portinfo range: '),
    (['who', '70000'], 'portinfo who: '),
    (['who', '--bogus'], 'portinfo who: '),
    (['who', '22/sctp'], 'portinfo who: '),
    (['audit', '22'], 'portinfo audit: '),
    (['audit', '--min-severity', 'severe'], 'portinfo audit: '),
    (['serve', '--bogus'], 'portinfo serve: '),
    (['serve', '--threads', 'x'], 'portinfo serve: '),
    (['export', '--bogus'], 'portinfo export: '),
    (['export'], 'portinfo export: '),
    (['update', '--bogus'], 'portinfo update: '),
    (['update', '/no/such/registry.xml'], 'portinfo update: '),
    (['annotate', '--bogus'], 'portinfo annotate: '),
    (['annotate', '/no/such/file'], 'portinfo annotate: '),
]


def main():
    portinfo = os.path.abspath(sys.argv[1])
    top = run([portinfo, '--help']).stdout
    width_check('portinfo --help', top)
    cmds = sorted(set(re.findall(r'^\s*(?:Usage:)?\s*portinfo ([a-z]+)\b', top, re.M)))
    for cmd in cmds:
        width_check(f'portinfo {cmd} --help', run([portinfo, cmd, '--help']).stdout)
    helpers = sorted(glob.glob(os.path.join(os.path.dirname(portinfo), 'portinfo-*')))
    helpers = [h for h in helpers if os.access(h, os.X_OK) and not h.endswith('.p')]
    for h in helpers:
        name = os.path.basename(h)
        if name == 'portinfo-who':  # takes its command word first, as portinfo passes it
            for cmd in ('who', 'audit'):
                width_check(f'{name} {cmd} --help', run([h, cmd, '--help']).stdout)
        else:
            width_check(f'{name} --help', run([h, '--help']).stdout)
    if len(helpers) < 4:
        failures.append(f'too few helpers beside {portinfo}: {helpers}')

    env = dict(os.environ, PORTINFO_DATA_DIR='/nonexistent-portinfo-data')
    for args, prefix in BAD:
        r = subprocess.run([portinfo] + args, input='', capture_output=True, text=True,
                           timeout=60, env=env)
        what = 'portinfo ' + ' '.join(args)
        if r.returncode != 2:
            failures.append(f'{what}: status {r.returncode}, want 2')
        lines = r.stderr.splitlines()
        if not lines:
            failures.append(f'{what}: nothing on stderr')
        for line in lines:
            if not line.startswith(prefix):
                failures.append(f'{what}: {line!r} does not start with {prefix!r}')
    # serve on a port already taken: the message comes from the server's own start-up code.
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        where = '127.0.0.1:%d' % taken.getsockname()[1]
        try:
            r = subprocess.run([portinfo, 'serve', '--listen', where, '--feedback', 'off'],
                               capture_output=True, text=True, timeout=20, env=env)
            lines = r.stderr.splitlines()
            if r.returncode != 2 or not lines or \
                    any(not line.startswith('portinfo serve: ') for line in lines):
                failures.append(f'portinfo serve --listen {where} (taken): status '
                                f'{r.returncode}, stderr {r.stderr!r}')
        except subprocess.TimeoutExpired:
            failures.append(f'portinfo serve --listen {where} (taken) did not stop')
    root = Path(sys.argv[2])
    for path in sorted((root / 'src').rglob('*.c')):
        for n, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
            if re.search(r'"portinfo-[a-z]+: ', line):
                failures.append(f'{path.relative_to(root)}:{n}: a message names the helper '
                                f'executable, not "portinfo CMD": {line.strip()}')
    print(f'checked {len(cmds)} commands, {len(helpers)} helpers, {len(BAD)} bad invocations')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
