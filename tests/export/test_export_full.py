#!/usr/bin/env python3
"""test_export_full: one whole `portinfo export` (every port, both languages), timed.

    test_export_full.py PORTINFO

Writes the site into a fresh directory (on /dev/shm when it has room, so that the test measures
portinfo rather than the disk; PORTINFO_EXPORT_TEST_DIR picks another parent), checks that it
prints how long it took (a figure, never a failure: docs/benchmarks.md keeps the measurements),
checks that every port has its two pages and its API object (written with --compress none: the
siblings are checked on a range export), and that the links of the home, the indexes and a
sample of port pages resolve.  Then starts another export
and interrupts it: exit 2, one line, nothing left behind.  Suite 'slow'.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_export as t  # noqa: E402  (the shared checks)

PORTS = 65536


def parent_dir():
    env = os.environ.get('PORTINFO_EXPORT_TEST_DIR')
    if env:
        return env
    shm = Path('/dev/shm')
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize > 4 << 30:
            return str(shm)
    except OSError:
        pass
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    portinfo = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix='portinfo-export-full-', dir=parent_dir()) as tmp:
        tmp = Path(tmp)
        site = tmp / 'site'
        start = time.monotonic()
        # The compressed siblings are checked on a range export (test_export.py): here the
        # whole site without them, which is what every port's page needs.
        r = subprocess.run([portinfo, 'export', '--api', '--compress', 'none', str(site),
                            '--vote-url', t.VOTE],
                           capture_output=True, text=True, timeout=300)
        took = time.monotonic() - start
        t.check(r.returncode == 0 and r.stderr == '',
                f'a full export succeeds ({r.returncode}: {r.stderr.strip()!r})')
        print(f'a full export took {took:.1f} s ({os.cpu_count()} CPUs, in {tmp.parent})')
        if r.returncode != 0:
            print(f'{t.checks} checks, {t.failures} failed')
            return 1

        want = {f'{n}.html' for n in range(PORTS)}
        for d, names in (('ports', want | {'index.html'}), ('pl/ports', want | {'index.html'}),
                         ('api/ports', {f'{n}.json' for n in range(PORTS)})):
            got = {e.name for e in os.scandir(site / d) if e.is_file() and e.stat().st_size > 0
                   and not e.name.endswith(('.gz', '.br'))}
            t.check(got == names, f'{d}: {len(got)} files, as expected '
                    f'(missing {sorted(names - got)[:3]}, extra {sorted(got - names)[:3]})')
        count = sum(len(files) for _, _, files in os.walk(site))
        size = sum(e.stat().st_size for d, _, files in os.walk(site)
                   for e in os.scandir(d) if e.is_file())
        print(f'{count} files, {size / 1e6:.0f} MB')

        files = {str(p.relative_to(site)) for p in site.rglob('*') if p.is_file()}
        siblings = {f for f in files if f.endswith(('.gz', '.br'))}
        files -= siblings
        t.check(not siblings, f'--compress none writes no .gz or .br ({sorted(siblings)[:3]})')

        sample = [0, 1, 22, 80, 443, 1023, 1024, 1776, 6001, 17300, 31337, 49151, 49152, 65535]
        sample += list(range(0, PORTS, 4099))
        pages = ['index.html', 'ports.html', 'search.html', '404.html', 'pl/index.html',
                 'pl/ports.html', 'pl/search.html']
        pages += [f'{pre}ports/{n}.html' for n in sample for pre in ('', 'pl/')]
        bad, links = [], 0
        for rel in pages:
            p = t.parse(site / rel)
            for url in p.urls + [f.get('action', '') for f in p.forms
                                 if 'search' in f.get('class', '')]:
                if url.startswith(('http://', 'https://', '#')):
                    continue
                # The icons live at the root once the static folder has them.
                if url in ('/favicon.ico', '/favicon.svg') and \
                        not (site / 'static' / url[1:]).is_file():
                    continue
                links += 1
                if t.resolve(site, url) is None:
                    bad.append(f'{rel} -> {url}')
        t.check(not bad and links > 1000, f'all {links} links of {len(pages)} pages (home, '
                f'indexes, search, a sample of ports) resolve ({bad[:4]})')

        # An interrupted export leaves nothing behind.
        other = tmp / 'interrupted'
        proc = subprocess.Popen([portinfo, 'export', str(other)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        lines = err.strip().split('\n')
        t.check(proc.returncode == 2 and out == '' and len(lines) == 1 and
                'interrupted' in lines[0],
                f'SIGINT: exit 2 with one line ({proc.returncode}: {err.strip()!r})')
        t.check(not other.exists(), 'an interrupted export into a new directory removes it')
        shutil.rmtree(site)

    print(f'{t.checks} checks, {t.failures} failed')
    return 1 if t.failures else 0


if __name__ == '__main__':
    sys.exit(main())
