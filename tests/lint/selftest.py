#!/usr/bin/env python3
"""selftest: proves that each check of check-structure.py catches what it is for.

Usage: selftest.py CHECK_STRUCTURE FIXTURES

Each folder under FIXTURES is a small source root (src/<part>/...) with one fault; the check
must fail on it with the expected finding, and pass on `clean`.  A file one line too long and
a function exactly at the limit are written to a temporary root here.  The clang-format case
is skipped when clang-format is missing, unless CI=true.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# fixture, check, a piece of the finding it must print
CASES = [
    ('long-function', 'functions', 'functions: long_sum() is 101 lines'),
    ('upward-include', 'includes', 'high.h is up from core/ (floor 0) to who/ (floor 5)'),
    ('sideways-include', 'includes', 'side.h is sideways from who/ (floor 5) to cli/'),
    ('circle', 'includes', 'include circle: data/a -> data/b -> data/a'),
    ('declared-circle', 'includes', 'include circle: data/chooser -> data/reader'),
    ('duplicate-name', 'functions', 'page_home() is also defined at'),
    ('banned', 'banned', 'copy.c:9: banned: sprintf() is banned'),
    ('unformatted', 'format', 'ugly.c:3: format: clang-format would change it'),
]


def run(script, root, checks):
    args = [sys.executable, str(script)]
    for c in checks:
        args += ['--check', c]
    r = subprocess.run(args + [str(root)], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split('\n\n')[1], file=sys.stderr)
        return 2
    script, fixtures = Path(argv[1]), Path(argv[2])
    have_format = (shutil.which(os.environ.get('CLANG_FORMAT', 'clang-format')) is not None
                   or os.environ.get('CI') == 'true')
    failed = passed = 0

    def expect(name, ok, out):
        nonlocal failed, passed
        print(f'{"ok" if ok else "FAIL"}: {name}')
        if not ok:
            print('  ' + out.replace('\n', '\n  '))
            failed += 1
        else:
            passed += 1

    for fixture, check, finding in CASES:
        if check == 'format' and not have_format:
            print(f'skip: {fixture} (no clang-format)')
            continue
        rc, out = run(script, fixtures / fixture, [check])
        expect(f'{fixture} fails {check}', rc == 1 and finding in out, out)
    checks = ['lines', 'functions', 'includes', 'banned'] + (['format'] if have_format else [])
    rc, out = run(script, fixtures / 'clean', checks)
    expect('clean passes every check', rc == 0, out)

    with tempfile.TemporaryDirectory() as tmp:
        core = Path(tmp) / 'src' / 'core'
        core.mkdir(parents=True)
        (core / 'long.c').write_text('/* long: 801 lines. */\n' + 'int x;\n' * 800)
        (core / 'edge.c').write_text('int edge(void)\n{\n' + '        ;\n' * 97 + '}\n')
        rc, out = run(script, tmp, ['lines', 'functions'])
        expect('a file of 801 lines fails lines', rc == 1 and 'long.c:801: lines' in out, out)
        expect('a function of 100 lines passes', 'edge' not in out, out)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
