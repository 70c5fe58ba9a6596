#!/usr/bin/env python3
"""check-completion: the bash, zsh and fish completions offer exactly what each command accepts.

Usage: check-completion.py PORTINFO SOURCE_ROOT

For portinfo and every command its --help lists, the options in that command's --help (long
ones, and short ones without a long twin) are compared with what each completion offers after
"portinfo CMD -", both ways: nothing missing, nothing the command rejects.  bash's and fish's
completions are run for real; zsh's function is run with _arguments replaced by a stub that
prints the specifications it is given.  Values (--format, --from, --min-severity, --color,
protocols after "PORT/") are checked against the program: each value offered is accepted, and
what a command rejects is not offered.  Under CI a missing zsh or fish fails the check
(tools/deps/test/shells.txt installs them).
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PORTINFO = ROOT = None
failures = []
OPT_LINE = re.compile(r'^\s{2,}(?:(-[a-zA-Z])(?:,\s+|\s))?\s*(--[a-z][a-z0-9-]*)?')


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)


def help_options(cmd):
    """(options to offer, every option listed) from `portinfo CMD --help`."""
    out = run([PORTINFO] + ([cmd] if cmd else []) + ['--help']).stdout
    offer, listed = set(), set()
    for line in out.splitlines():
        m = OPT_LINE.match(line)
        if not m or not (m.group(1) or m.group(2)):
            continue
        short, long_ = m.group(1), m.group(2)
        listed.update(x for x in (short, long_) if x)
        offer.add(long_ or short)
    return offer, listed


def commands():
    out = run([PORTINFO, '--help']).stdout
    return sorted(set(re.findall(r'^\s*(?:Usage:)?\s*portinfo ([a-z]+)\b', out, re.M)))


def compare(shell, cmd, offered, offer, listed):
    name = f'{shell}: portinfo {cmd or "(no command)"}'
    for opt in sorted(offer - offered):
        failures.append(f'{name}: does not offer {opt} (its --help lists it)')
    for opt in sorted(offered - listed):
        failures.append(f'{name}: offers {opt}, which its --help does not list')


def bash(words):
    """What bash completion offers for the command line @words (the last one being completed)."""
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
              '_portinfo; printf "%s\\n" "${COMPREPLY[@]}"')
    r = run(['bash', '-c', script, 'bash', str(ROOT / 'completions/portinfo.bash')] + words)
    if r.returncode != 0:
        failures.append(f'bash: {words}: {r.stderr.strip()}')
    return [w for w in r.stdout.splitlines() if w]


def bash_var(name):
    r = run(['bash', '-c', f'source "$1"; echo ${name}', 'bash',
             str(ROOT / 'completions/portinfo.bash')])
    return set(r.stdout.split())


def fish(line):
    r = run(['fish', '-c', 'source $argv[1]; complete -C $argv[2]',
             str(ROOT / 'completions/portinfo.fish'), line])
    if r.returncode != 0:
        failures.append(f'fish: {line!r}: {r.stderr.strip()}')
    return [tuple((l.split('\t') + [''])[:2]) for l in r.stdout.splitlines()]


def zsh(words):
    """The option specifications zsh's _portinfo hands to _arguments for @words."""
    script = ('_arguments() { print -rl -- "$@" }; compadd() { }; compset() { }; '
              'source "$1" >/dev/null 2>&1; shift; words=("$@"); CURRENT=$#words; _portinfo')
    r = run(['zsh', '-f', '-c', script, 'zsh', str(ROOT / 'completions/_portinfo')] + words)
    opts = set()
    specs = r.stdout.splitlines()
    for spec in specs[specs.index(':') + 1 if ':' in specs else 0:]:
        m = re.match(r'^(?:\([^)]*\))?\*?(-{1,2}[A-Za-z][\w-]*)', spec)
        if m:
            opts.add(m.group(1))
    return opts


def accepted(args, refused=None):
    """Whether portinfo takes @args: not status 2 (or not @refused's message)."""
    r = run([PORTINFO] + args, input='')
    return r.returncode != 2 or (refused is not None and refused not in r.stderr)


def check_values():
    """Each value bash and fish offer is accepted, and rejected values are not offered."""
    cases = [  # (command line before the value, a call taking the value V, its refusal)
        (['portinfo', '--format'], lambda v: ['--format', v, '22'], None),
        (['portinfo', 'search', '--format'], lambda v: ['search', '--format', v, 'ssh'], None),
        (['portinfo', 'who', '--format'], lambda v: ['who', '--format', v, '1'], None),
        (['portinfo', 'audit', '--format'],
         lambda v: ['audit', '--partial-ok', '--format', v], None),
        (['portinfo', 'audit', '--min-severity'],
         lambda v: ['audit', '--partial-ok', '--min-severity', v], None),
        # Empty input is refused by nmap-xml as a document: only the option's refusal counts.
        (['portinfo', 'annotate', '--from'], lambda v: ['annotate', '--from', v], '--from'),
        (['portinfo', '--color'], lambda v: ['--color', v, '22'], None),
    ]
    for words, call, refused in cases:
        got = bash(words + [''])
        if not got:
            failures.append(f'bash: nothing offered after {" ".join(words)}')
        for v in got:
            if not accepted(call(v), refused):
                failures.append(f'bash offers {" ".join(words)} {v}, which portinfo refuses')
        if shutil.which('fish'):
            fv = {v for v, _ in fish(' '.join(words) + ' ')}
            if fv != set(got):
                failures.append(f'fish offers {sorted(fv)} after {" ".join(words)}, '
                                f'bash {sorted(got)}')
    # Values a command refuses: who has no prometheus, and no sctp or dccp.
    for words, bad in [(['portinfo', 'who', '--format', ''], 'prometheus'),
                       (['portinfo', 'who', '22/'], '22/sctp')]:
        if bad in bash(words):
            failures.append(f'bash offers {bad} after {" ".join(words)}')
    for cmd, want in [(['portinfo', 'who', '22/'], ['22/tcp', '22/udp']),
                      (['portinfo', '22/'], ['22/tcp', '22/udp', '22/sctp', '22/dccp'])]:
        got = bash(cmd)
        if sorted(got) != sorted(want):
            failures.append(f'bash offers {got} after {" ".join(cmd)}, want {want}')
        for v in got:
            if not accepted(cmd[1:-1] + [v]):
                failures.append(f'bash offers {" ".join(cmd[1:-1])} {v}, which portinfo refuses')
        if shutil.which('fish'):
            fv = sorted(v for v, _ in fish(' '.join(cmd)))
            if fv != sorted(want):
                failures.append(f'fish offers {fv} after {" ".join(cmd)}, want {want}')
    if accepted(['who', '22/sctp']):
        failures.append('portinfo who 22/sctp is accepted: the completions must offer it')


def main():
    global PORTINFO, ROOT
    PORTINFO, ROOT = sys.argv[1], Path(sys.argv[2])
    ci = os.environ.get('CI') == 'true'
    cmds = commands()
    if 'annotate' not in cmds or 'who' not in cmds:
        failures.append(f'portinfo --help lists too few commands to check: {cmds}')
    shells = ['bash'] + [s for s in ('zsh', 'fish') if shutil.which(s)]
    for s in ('zsh', 'fish'):
        if s not in shells:
            (failures.append if ci else print)(f'{s} is not installed: its completion was not '
                                               f'run (tools/deps/test/shells.txt)')

    if bash_var('_portinfo_commands') != set(cmds):
        failures.append(f'bash completes the commands {sorted(bash_var("_portinfo_commands"))}, '
                        f'portinfo --help lists {cmds}')
    if 'fish' in shells:
        got = {w for w, d in fish('portinfo ') if d == 'command'}
        if got != set(cmds):
            failures.append(f'fish completes the commands {sorted(got)}, --help lists {cmds}')
    if 'zsh' in shells:
        r = run(['zsh', '-n', str(ROOT / 'completions/_portinfo')])
        if r.returncode != 0:
            failures.append('zsh -n completions/_portinfo: ' + r.stderr.strip())
        r = run(['zsh', '-f', '-c', 'source "$1" >/dev/null 2>&1; print -l $_portinfo_commands',
                 'zsh', str(ROOT / 'completions/_portinfo')])
        if set(r.stdout.split()) != set(cmds):
            failures.append(f'zsh completes the commands {r.stdout.split()}, --help lists {cmds}')

    for cmd in [''] + cmds:
        offer, listed = help_options(cmd)
        if not offer:
            failures.append(f'"portinfo {cmd} --help" lists no options')
            continue
        words = ['portinfo'] + ([cmd] if cmd else [])
        compare('bash', cmd, {w.rstrip('=') for w in bash(words + ['-'])}, offer, listed)
        if 'fish' in shells:
            got = {w for w, _ in fish(' '.join(words + ['-']))} - {'-'}
            compare('fish', cmd, got, offer, listed)
        if 'zsh' in shells:
            compare('zsh', cmd, zsh(words + ['-']), offer, listed)
    check_values()

    print(f'checked {len(cmds)} commands in {", ".join(shells)}')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
