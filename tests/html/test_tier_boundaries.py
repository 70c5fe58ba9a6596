#!/usr/bin/env python3
"""test_tier_boundaries: the three tiers meet at 1023/1024 and 49151/49152 in every face.

For the ports on both sides of both boundaries (and a few around them), checks the tier in the
command line's text (its first line) and JSON, and in the website as `portinfo export` writes
it: each port page's lead in English and Polish, its tier strip, its API object, the home page's
tier spans and the index's tier headings.  The tier of a port is computed here from RFC 6335's
ranges (section 6: System 0-1023, User 1024-49151, Dynamic 49152-65535), not read back.
Usage: test_tier_boundaries.py PORTINFO
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

PORTINFO = sys.argv[1]
failures = []
RANGES = {'well-known': (0, 1023), 'registered': (1024, 49151), 'dynamic': (49152, 65535)}
SPANS = ['0–1023', '1024–49151', '49152–65535']
PORTS = [0, 1, 1022, 1023, 1024, 1025, 49150, 49151, 49152, 49153, 65535]


def check(cond, what):
    if not cond:
        failures.append(what)


def tier(port):
    return next(t for t, (lo, hi) in RANGES.items() if lo <= port <= hi)


def text_of(fragment):
    return ' '.join(html.unescape(re.sub(r'<[^>]+>', '', fragment)).split())


def run(*args):
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, NO_COLOR='1', LANG='C.UTF-8'))
    return p.returncode, p.stdout, p.stderr


def cli_checks():
    for port in PORTS:
        t = tier(port)
        lo, hi = RANGES[t]
        rc, out, err = run('--color=never', str(port))
        first = out.splitlines()[0] if out else ''
        check(rc == 0 and first.startswith(f'Port {port}: {t} port ({lo}-{hi})'),
              f'portinfo {port}: first line {first!r}, want the {t} tier ({lo}-{hi})')
    rc, out, err = run('--json', *map(str, PORTS))
    got = {o['port']: o['tier'] for o in json.loads(out)} if rc == 0 else {}
    for port in PORTS:
        check(got.get(port) == tier(port), f'portinfo --json {port}: tier {got.get(port)}, '
                                           f'want {tier(port)}')


def lead(page):
    m = re.search(r'<p class="lead">(.*?)</p>', page, re.S)
    return text_of(m.group(1)) if m else ''


def site_checks(tmp):
    leads = {}
    for lo, hi in ((0, 1), (1020, 1030), (49145, 49160), (65535, 65535)):
        out = os.path.join(tmp, f'{lo}')
        rc, _, err = run('export', '--api', '--ports', f'{lo}-{hi}', '--threads', '1', out)
        check(rc == 0, f'export --ports {lo}-{hi}: status {rc}: {err}')
        if rc != 0:
            continue
        with open(os.path.join(out, 'index.html')) as f:
            home = f.read()
        check(re.findall(r'<p class="span">(.*?)</p>', home) == SPANS,
              f'home page: tier spans {re.findall(r"<p class=.span.>(.*?)</p>", home)}')
        with open(os.path.join(out, 'ports.html')) as f:
            index = text_of(f.read())
        for span in SPANS:
            check(span in index, f'ports.html lacks the tier span {span}')
        for port in range(lo, hi + 1):
            t = tier(port)
            a, b = RANGES[t]
            want = f'{a}–{b}'
            for lang, path in (('en', f'ports/{port}.html'), ('pl', f'pl/ports/{port}.html')):
                with open(os.path.join(out, path)) as f:
                    page = f.read()
                text = lead(page)
                leads[(lang, port)] = text
                check(want in text and not any(s in text for s in SPANS if s != want),
                      f'{path}: lead {text!r}, want the {t} range {want}')
                if lang == 'en':
                    check(f'is a {t} port' in text,
                          f'{path}: lead {text!r} does not say "{t} port"')
                strip = re.findall(r'<p class="span">(.*?)</p>', page)
                check(strip == SPANS, f'{path}: tier strip {strip}')
            with open(os.path.join(out, 'api', 'ports', f'{port}.json')) as f:
                obj = json.load(f)
            got = obj.get('tier') if isinstance(obj, dict) else obj[0].get('tier')
            check(got == t, f'api/ports/{port}.json: tier {got}, want {t}')
    # Across each boundary the Polish lead changes tier too (its range says which).
    for a, b in ((1023, 1024), (49151, 49152)):
        la, lb = leads.get(('pl', a), ''), leads.get(('pl', b), '')
        check(la and lb and la.replace(str(a), '#') != lb.replace(str(b), '#'),
              f'pl leads of {a} and {b} read the same: {la!r}')


def main():
    cli_checks()
    with tempfile.TemporaryDirectory(prefix='portinfo-tiers-') as tmp:
        site_checks(tmp)
    for f in failures:
        print('FAIL:', f)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
