#!/usr/bin/env python3
"""check-docs: the man page and the bash completion agree with `portinfo --help`.

Usage: check-docs.py PORTINFO SOURCE_ROOT

Every option and command word in the help text, and every long option in the help of a command
run by a helper (`portinfo update --help`), must appear in man/portinfo.1; every long option and
command of the main help in completions/portinfo.bash; and the man page must name the program's
version.  When groff is
installed, the man page must also format without a warning.  It does not judge the prose.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def roff_to_text(src: str) -> str:
    """Plain text of roff source, close enough to search for option names in."""
    text = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', src)  # font changes
    text = text.replace('\\-', '-').replace('\\(en', '-').replace('\\(aq', "'")
    text = re.sub(r'\\[|^&c]', '', text)  # thin spaces, zero-width, \c
    text = text.replace('\\ ', ' ').replace('\\~', ' ')
    # Macro lines: drop the macro name, keep its arguments.  .B and .I join them with spaces;
    # the alternating macros (.BR, .RB, ...) run them together, so ".RB [ \-\-json ]" reads
    # "[--json]".
    lines = []
    for line in text.splitlines():
        m = re.match(r'^\.(B|I|BR|RB|BI|IB|IR|RI)\s+(.*)$', line)
        if m:
            args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', m.group(2))]
            lines.append((' ' if m.group(1) in ('B', 'I') else '').join(args))
        elif line.startswith('.'):
            lines.append(line.split(None, 1)[1] if ' ' in line else '')
        else:
            lines.append(line)
    return '\n'.join(lines)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    portinfo, root = sys.argv[1], Path(sys.argv[2])
    failures = []

    run = subprocess.run([portinfo, '--help'], capture_output=True, text=True, check=False)
    if run.returncode != 0 or not run.stdout:
        print(f'portinfo --help failed (status {run.returncode}): {run.stderr}')
        return 1
    help_text = run.stdout
    long_opts = sorted(set(re.findall(r'(?<![\w-])(--[a-z][a-z0-9-]*)', help_text)))
    short_opts = sorted(set(re.findall(r'(?<![\w-])(-[a-zA-Z])\b', help_text)))
    commands = sorted(set(re.findall(r'^\s*(?:Usage:)?\s*portinfo ([a-z]+)\b', help_text, re.M)))
    if '--help' not in long_opts or '--json' not in long_opts:
        failures.append(f'--help lists no options that this check recognises: {long_opts}')

    man_src = (root / 'man' / 'portinfo.1').read_text(encoding='utf-8')
    man = roff_to_text(man_src)
    man_words = set(re.findall(r'(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)', man))
    for opt in long_opts + short_opts:
        if opt not in man_words:
            failures.append(f'man/portinfo.1 does not document {opt} (listed by --help)')
    for cmd in commands:
        if not re.search(rf'^portinfo {cmd}\b', man, re.M):
            failures.append(f'man/portinfo.1 has no synopsis line for "portinfo {cmd}"')

    # Commands run by helper executables (serve, update) have a --help of their own; a helper
    # that is not built here is skipped.
    for cmd in commands:
        try:
            run = subprocess.run([portinfo, cmd, '--help'], capture_output=True, text=True,
                                 timeout=10, check=False)
        except subprocess.TimeoutExpired:
            failures.append(f'"portinfo {cmd} --help" did not finish in 10 s')
            continue
        if run.returncode != 0 or run.stdout == help_text or not run.stdout.startswith('Usage:'):
            continue
        for opt in sorted(set(re.findall(r'(?<![\w-])(--[a-z][a-z0-9-]*)', run.stdout))):
            if opt not in man_words:
                failures.append(f'man/portinfo.1 does not document {opt} '
                                f'(listed by "portinfo {cmd} --help")')

    completion = (root / 'completions' / 'portinfo.bash').read_text(encoding='utf-8')
    comp_words = set(re.findall(r'(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)', completion))
    for opt in long_opts:
        if opt not in comp_words:
            failures.append(f'completions/portinfo.bash does not complete {opt}')
    for cmd in commands:
        if not re.search(rf'\b{cmd}\b', completion):
            failures.append(f'completions/portinfo.bash does not complete the command {cmd}')

    run = subprocess.run([portinfo, '--version'], capture_output=True, text=True, check=False)
    version = run.stdout.split('\n', 1)[0].split()[-1] if run.stdout else '?'
    th = re.search(r'^\.TH\s+PORTINFO\s+1\s+\S+\s+"portinfo ([^"]+)"', man_src, re.M)
    if not th or th.group(1) != version:
        failures.append(f'man/portinfo.1 .TH names version {th.group(1) if th else "none"}, '
                        f'the program is {version}')

    groff = shutil.which('groff')
    if groff:
        run = subprocess.run([groff, '-man', '-ww', '-z', str(root / 'man' / 'portinfo.1')],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0 or run.stderr.strip():
            failures.append('groff warns about man/portinfo.1:\n' + run.stderr.strip())
    elif os.environ.get('CI') == 'true':
        failures.append('groff is not installed (tools/deps/test/core.txt); CI must format the page')
    else:
        print('groff is not installed: the man page was not formatted')

    print(f'checked {len(long_opts)} long options, {len(short_opts)} short options and '
          f'{len(commands)} commands from --help')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
