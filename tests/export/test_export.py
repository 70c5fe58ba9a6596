#!/usr/bin/env python3
"""test_export: `portinfo export` on a range of ports, checked file by file.

    test_export.py PORTINFO WEBDIR

Exports ports 17290-17310 (17300 has Kuang2 among its unofficial uses) with and without a vote
URL, parses every page with html.parser, checks the <meta> security policy, that every link
resolves to a file of the export as a static host would map it, that the API objects equal
`portinfo --json N`, that the search index finds what the server finds, and the refusals
(exit 2, one line on stderr, nothing on stdout, the directory as it was).  Prints one line per
check; exits 1 if any failed.
"""
import base64
import hashlib
import html.parser
import gzip
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

LO, HI = 17290, 17310
VOTE = 'https://votes.example.org'

failures = 0
checks = 0


def check(ok, what):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print(f'FAIL: {what}')
    else:
        print(f'ok: {what}')


def csp_for(vote_src):
    extra = f' {vote_src}' if vote_src else ''
    return ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'{extra}; form-action 'self'{extra}; base-uri 'none'")


class Page(html.parser.HTMLParser):
    """What the checks need from a page: the head's meta tags in order, every URL, the forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head_tags = []
        self.in_head = False
        self.urls = []
        self.forms = []
        self.inputs = []
        self.scripts = []
        self.inline_scripts = 0
        self.styles = 0
        self.ids = {}
        self.noscript = 0
        self._in_script = False
        self._in_ld = False
        self.json_ld = ''

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'head':
            self.in_head = True
        if self.in_head and tag in ('meta', 'link', 'script', 'title'):
            self.head_tags.append((tag, a))
        if 'id' in a:
            self.ids[a['id']] = (tag, a)
        if 'style' in a or tag == 'style':
            self.styles += 1
        if tag in ('a', 'link') and 'href' in a:
            self.urls.append(a['href'])
        if tag == 'script':
            if 'src' in a:
                self.scripts.append(a['src'])
                self.urls.append(a['src'])
            # Structured data (JSON-LD) is a data block, never run: kept apart.
            self._in_ld = a.get('type') == 'application/ld+json'
            self._in_script = not self._in_ld
        if tag == 'form':
            self.forms.append(a)
        if tag == 'input':
            self.inputs.append(a)
        if tag == 'noscript':
            self.noscript += 1

    def handle_endtag(self, tag):
        if tag == 'head':
            self.in_head = False
        if tag == 'script':
            self._in_script = self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld += data
        if self._in_script and data.strip():
            self.inline_scripts += 1


def parse(path):
    p = Page()
    p.feed(path.read_text(encoding='utf-8'))
    p.close()
    return p


def resolve(root, url):
    """The file a static host serves for @url (nginx: try_files $uri $uri.html $uri/index.html,
    and /api/ports/N -> N.json), or None."""
    path = url.split('#', 1)[0].split('?', 1)[0]
    if not path.startswith('/'):
        return None
    rel = path.lstrip('/')
    m = re.fullmatch(r'api/ports/(\d+)', rel)
    if m:
        rel += '.json'
    candidates = [rel, rel + '.html', (rel + '/' if rel else '') + 'index.html']
    for c in candidates:
        f = root / c
        if c and f.is_file():
            return f
    return None


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def refused(r, what, needle=None):
    lines = r.stderr.strip().split('\n')
    check(r.returncode == 2 and r.stdout == '' and len(lines) == 1 and
          lines[0].startswith('portinfo export: ') and (needle is None or needle in lines[0]),
          f'{what}: exit 2 with one line ({r.returncode}: {r.stderr.strip()!r})')


def tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob('*'))


def hashed_name(name, data):
    """static/NAME under the export's content-hashed name: 48 bits of FNV-1a 64 as 12 hex
    digits before the extension."""
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    stem, dot, ext = name.rpartition('.')
    if not stem:
        stem, dot, ext = name, '', ''
    return f'{stem}.{h >> 16:012x}{dot}{ext}'


def brotli_decode(path):
    r = subprocess.run(['brotli', '--decompress', '--stdout', str(path)], capture_output=True,
                       timeout=60)
    return r.stdout if r.returncode == 0 else None


def run_on_tty(args):
    """Runs @args with a pseudo-terminal as standard error; returns what it wrote there."""
    import pty
    main_fd, side_fd = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=side_fd)
    os.close(side_fd)
    out = b''
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # EIO once the program has exited and the terminal is closed
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=120)
    os.close(main_fd)
    return out.decode('utf-8', 'replace')


def check_siblings(root, files, siblings, sample=None):
    """Every file of EXPORT_MIN_COMPRESS (1400) bytes or more has a .gz and a .br that decode
    to it and are at least a tenth smaller; smaller files have none; no sibling is an orphan."""
    orphans = sorted(s for s in siblings if s[:-3] not in files)
    check(not orphans, f'every .gz and .br has its file ({orphans[:3]})')
    big = sorted(f for f in files if (root / f).stat().st_size >= 1400)
    small = sorted(f for f in files if (root / f).stat().st_size < 1400)
    missing = [f for f in big if f + '.gz' not in siblings or f + '.br' not in siblings]
    check(not missing and big, f'the {len(big)} files of 1400 bytes or more have both siblings '
          f'({missing[:3]})')
    extra = [f for f in small if f + '.gz' in siblings or f + '.br' in siblings]
    check(not extra and small, f'the {len(small)} smaller files have none ({extra[:3]})')
    have_brotli = shutil.which('brotli') is not None
    if not have_brotli:
        check(os.environ.get('CI') != 'true', 'the brotli command (tools/deps/test/export.txt)')
    bad = []
    for f in (sample if sample is not None else big):
        data = (root / f).read_bytes()
        gz = (root / (f + '.gz')).read_bytes()
        if gzip.decompress(gz) != data or len(gz) > len(data) - len(data) // 10:
            bad.append(f + '.gz')
        if have_brotli:
            br = brotli_decode(root / (f + '.br'))
            if br != data or (root / (f + '.br')).stat().st_size > len(data) - len(data) // 10:
                bad.append(f + '.br')
    check(not bad, f'each .gz and .br decodes to its file and is smaller ({bad[:3]})')


def check_export(portinfo, web, root, vote_url, vote_src):
    r = run([portinfo, 'export', '--api', '--ports', f'{LO}-{HI}', str(root)] +
            (['--vote-url', vote_url] if vote_url else []))
    check(r.returncode == 0 and r.stdout == '' and r.stderr == '',
          f'export {LO}-{HI} vote={vote_url!r}: exit 0, quiet ({r.returncode}: {r.stderr!r})')
    if r.returncode != 0:
        return

    expected = {'index.html', 'ports.html', 'search.html', '404.html', 'search-index.json',
                'robots.txt',
                'ports/index.html', 'pl/index.html', 'pl/ports.html', 'pl/search.html',
                'pl/404.html', 'pl/ports/index.html', 'robots.txt'}
    assets = {}
    for f in os.listdir(web):
        if not f.startswith('.') and (web / f).is_file():
            assets[f] = hashed_name(f, (web / f).read_bytes())
            expected.add(f'static/{assets[f]}')
            if f.startswith('favicon.'):
                expected.add(f)
    for n in range(LO, HI + 1):
        expected |= {f'ports/{n}.html', f'pl/ports/{n}.html', f'api/ports/{n}.json'}
    files = {str(p.relative_to(root)) for p in root.rglob('*') if p.is_file()}
    siblings = {f for f in files if f.endswith(('.gz', '.br'))}
    files -= siblings
    check(files == expected, f'the files are exactly the expected {len(expected)} '
          f'(missing {sorted(expected - files)[:5]}, extra {sorted(files - expected)[:5]})')
    check_siblings(root, files, siblings)
    check(not any(n.startswith('.tmp-export') for n in os.listdir(root)),
          'no temporary directory is left')
    for f, hashed in assets.items():
        check((root / 'static' / hashed).read_bytes() == (web / f).read_bytes(),
              f'static/{hashed} is a copy of web/{f}')

    policy = csp_for(vote_src)
    pages = sorted(p for p in root.rglob('*.html'))
    bad_csp, bad_links, bad_inline, out_of_range = [], [], [], 0
    for page in pages:
        rel = str(page.relative_to(root))
        p = parse(page)
        metas = [a for t, a in p.head_tags if t == 'meta']
        csp = [a for a in metas if a.get('http-equiv', '').lower() == 'content-security-policy']
        # The policy must come before anything it governs: right after the charset.
        # A page with JSON-LD names its hash in script-src, for checkers that hold the data
        # block to the policy.
        want = policy
        if p.json_ld:
            digest = base64.b64encode(hashlib.sha256(p.json_ld.encode()).digest()).decode()
            want = policy.replace('script-src', f"script-src 'sha256-{digest}'", 1)
        if (len(csp) != 1 or csp[0].get('content') != want or
                metas[0].get('charset') != 'utf-8' or metas[1] is not csp[0]):
            bad_csp.append(rel)
        if p.inline_scripts or p.styles:
            bad_inline.append(rel)
        for url in p.urls:
            if url.startswith(('https://', 'http://')) or url.startswith('#'):
                continue
            # The icons live at the root once web/ has them.
            if url in ('/favicon.ico', '/favicon.svg') and not (web / url[1:]).is_file():
                continue
            m = re.fullmatch(r'(?:/pl)?/ports/(\d+)', url)
            if m and not LO <= int(m.group(1)) <= HI:
                out_of_range += 1
                continue
            if resolve(root, url) is None:
                bad_links.append(f'{rel} -> {url}')
        for form in p.forms:
            action = form.get('action', '')
            if 'search' in form.get('class', ''):
                want = '/pl/search' if rel.startswith('pl/') else '/search'
                if action != want or resolve(root, action) is None:
                    bad_links.append(f'{rel} search form -> {action}')
    check(not bad_csp, f'all {len(pages)} pages carry exactly the policy {policy!r} in a <meta> '
          f'right after the charset ({bad_csp[:3]})')
    check('frame-ancestors' not in policy, 'the <meta> policy leaves out frame-ancestors')
    check(not bad_inline, f'no inline script or style ({bad_inline[:3]})')
    check(not bad_links, f'every link, script, stylesheet and search form resolves to a file '
          f'({len(bad_links)} do not: {bad_links[:4]})')
    check(out_of_range > 0, f'links to ports outside the range are the only ones skipped '
          f'({out_of_range})')

    # The vote widget: present and aimed at the vote server only when there is one.
    for lang, prefix in (('en', ''), ('pl', 'pl/')):
        p = parse(root / f'{prefix}ports/17300.html')
        fb = [f for f in p.forms if 'fb' in f.get('class', '').split()]
        if vote_url:
            base = vote_url.rstrip('/')
            check(len(fb) == 1 and fb[0].get('action') == f'{base}/ports/17300/feedback' and
                  fb[0].get('method') == 'post' and
                  fb[0].get('data-counts') == f'{base}/api/ports/17300/feedback',
                  f'{lang}: the vote form posts to the vote server and asks it for the counts '
                  f'({fb})')
            check(any(re.fullmatch(r'/static/feedback\.[0-9a-f]{12}\.js', u) for u in p.scripts),
                  f'{lang}: the port page loads feedback.js under its hashed name ({p.scripts})')
            if lang == 'pl':
                check({'type': 'hidden', 'name': 'lang', 'value': 'pl'} in p.inputs,
                      'pl: the vote says its language')
        else:
            check(not fb and not p.scripts,
                  f'{lang}: without --vote-url there is no vote widget and no script')

    # The search pages search in the browser.
    for lang, prefix in (('en', ''), ('pl', '/pl')):
        p = parse(root / f'{prefix.lstrip("/")}{"/" if prefix else ""}search.html')
        box = p.ids.get('results')
        check(box is not None and box[1].get('data-index') == '/search-index.json' and
              box[1].get('data-prefix') == prefix and box[1].get('data-lang') == lang and
              all(box[1].get(f'data-{k}') for k in ('count-one', 'count-other', 'port', 'go',
                                                     'first', 'title', 'failed', 'malware')),
              f'{lang}: the search page has the results box with its sentences')
        check(len(p.scripts) == 1 and
              re.fullmatch(r'/static/search\.[0-9a-f]{12}\.js', p.scripts[0]) and p.noscript == 1,
              f'{lang}: the search page loads search.js and says what works without it')
    pl = parse(root / 'pl' / 'search.html')
    box = pl.ids['results'][1]
    check(box.get('data-count-few') != box.get('data-count-many') and
          '%zu' in box.get('data-count-few', ''),
          'pl: the three Polish plural forms are there')

    # API objects: the same as the command line's (and the server's) explain object.
    same = 0
    for n in range(LO, HI + 1):
        api = json.loads((root / 'api' / 'ports' / f'{n}.json').read_text(encoding='utf-8'))
        cli = json.loads(run([portinfo, '--json', str(n)]).stdout)[0]
        same += api == cli
    check(same == HI - LO + 1, f'api/ports/N.json equals `portinfo --json N` ({same} of '
          f'{HI - LO + 1})')
    raw = (root / 'api' / 'ports' / '17300.json').read_text(encoding='utf-8')
    check('\n' not in raw and raw.startswith('{"port":17300'),
          'api objects are compact, like the server\'s')

    # The search index: small, and it finds what the server finds.
    index_path = root / 'search-index.json'
    index = json.loads(index_path.read_text(encoding='utf-8'))
    check(index.get('format') == 1 and index_path.stat().st_size < 600_000,
          f'search-index.json: format 1, {index_path.stat().st_size} bytes')
    kuang = {r[0] for r in index['unofficial'] if 'kuang' in r[1].lower()}
    check(17300 in kuang, f'the index finds kuang at 17300 ({sorted(kuang)})')
    ssh = ({r[0] for r in index['iana'] if 'ssh' in (r[1] + '\t' + r[2]).lower()} |
           {r[0] for r in index['unofficial'] if 'ssh' in r[1].lower()})
    cli = {o['port'] for o in json.loads(run([portinfo, 'search', '--json', 'ssh']).stdout)}
    check(ssh == cli, f'the index finds the same ports for ssh as `portinfo search` '
          f'({len(ssh)} vs {len(cli)})')


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    portinfo, web = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix='portinfo-export-') as tmp:
        tmp = Path(tmp)
        check_export(portinfo, web, tmp / 'site', VOTE, VOTE)
        # A vote URL with a path: a prefix source in the policy (an exact path would not match
        # /votes/ports/N/feedback), and no doubled slash in the action.
        check_export(portinfo, web, tmp / 'site-path', 'https://example.org/votes/',
                     'https://example.org/votes/')
        check_export(portinfo, web, tmp / 'site-novote', None, None)

        r = run([portinfo, 'export', '--help'])
        check(r.returncode == 0 and r.stdout.startswith('Usage: portinfo export'),
              'export --help')

        # Refusals.
        site = tmp / 'site'
        before = tree(site)
        r = run([portinfo, 'export', '--ports', '22-22', str(site)])
        refused(r, 'a directory that is not empty, without --force', '--force')
        check(tree(site) == before, 'the refused directory is as it was')

        blocker = tmp / 'a-file'
        blocker.write_text('not a directory\n')
        r = run([portinfo, 'export', '--ports', '22-22', str(blocker / 'site')])
        refused(r, 'a directory that cannot be made (under a file)')
        r = run([portinfo, 'export', '--ports', '22-22', str(blocker)])
        refused(r, 'a file instead of a directory')
        r = run([portinfo, 'export', '--ports', '22-22', str(tmp / 'no' / 'parent')])
        refused(r, 'a directory whose parent is missing')
        check(not (tmp / 'no').exists(), 'no parent is created')
        if os.geteuid() != 0:
            ro = tmp / 'read-only'
            ro.mkdir()
            ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
            r = run([portinfo, 'export', '--ports', '22-22', str(ro)])
            refused(r, 'a directory without write permission', 'ermission')
            ro.chmod(stat.S_IRWXU)
        for args, what in ((['--vote-url', 'javascript:alert(1)'], 'a vote URL that is not http'),
                           (['--vote-url', "https://x.example/'; script-src *"],
                            'a vote URL that would break the policy'),
                           (['--vote-url', 'https://x.example/?a=b'], 'a vote URL with a query'),
                           (['--ports', '5-2'], 'a backwards range'),
                           (['--ports', '70000'], 'a port out of range'),
                           (['--threads', '0'], 'no threads'),
                           (['--bogus'], 'an unknown option'),
                           ([], 'no directory')):
            r = run([portinfo, 'export'] + args + ([str(tmp / 'never')] if args else []))
            refused(r, what)
        check(not (tmp / 'never').exists(), 'a refused export creates nothing')
        r = run([portinfo, 'export', str(tmp / 'x'), str(tmp / 'y')])
        refused(r, 'two directories')

        # A static folder's dot-files (.htaccess, an editor's swap file) are not assets.
        static = tmp / 'static-with-dot-files'
        shutil.copytree(web, static)
        (static / '.htaccess').write_text('Require all denied\n')
        (static / '.style.css.swp').write_text('swap\n')
        r = run([portinfo, 'export', '--static-dir', str(static), '--ports', '22-22',
                 str(tmp / 'site-dots')])
        want = sorted(hashed_name(f, (static / f).read_bytes()) for f in os.listdir(static)
                      if not f.startswith('.') and (static / f).is_file())
        got = (sorted(f for f in os.listdir(tmp / 'site-dots' / 'static')
                      if not f.endswith(('.gz', '.br'))) if r.returncode == 0 else None)
        check(len(want) >= 3 and got == want,
              f'no dot-file of the static folder is exported ({r.returncode}: {got})')

        # On a terminal: a progress line that counts up to the total, then one summary line.
        out = run_on_tty([portinfo, 'export', '--ports', '0-3000', str(tmp / 'site-tty')])
        counts = [(int(a), int(b)) for a, b in re.findall(r'\rportinfo export: (\d+)/(\d+) ', out)]
        check(counts and counts[-1][0] == counts[-1][1] and counts[0][1] >= 3001 * 2 and
              all(x[0] <= y[0] for x, y in zip(counts, counts[1:])),
              f'a terminal sees the progress count up to the total ({counts[:1]}..{counts[-1:]})')
        check(re.search(r'portinfo export: \d+ files \(\d+ of them \.gz and \.br\), [0-9.]+ MB',
                        out) is not None, f'then one summary line ({out[-160:]!r})')

        # Without --api: the pages only, no api/ directory.
        r = run([portinfo, 'export', '--ports', '22-23', str(tmp / 'site-noapi')])
        check(r.returncode == 0 and not (tmp / 'site-noapi' / 'api').exists() and
              (tmp / 'site-noapi' / 'ports' / '22.html').is_file(),
              'without --api there is no api/ directory')

        # --compress none: no siblings; a bad mode is refused.
        r = run([portinfo, 'export', '--compress', 'none', '--ports', '22-23',
                 str(tmp / 'site-plain')])
        plain = [p.name for p in (tmp / 'site-plain').rglob('*') if p.name.endswith(('.gz', '.br'))]
        check(r.returncode == 0 and not plain, f'--compress none writes no siblings ({plain[:3]})')
        refused(run([portinfo, 'export', '--compress', 'max', str(tmp / 'site-bad')]),
                '--compress max', '--compress')

        # --force: replaces what an export writes, keeps the rest.
        (site / 'keep.txt').write_text('mine\n')
        (site / 'ports' / 'stale.html').write_text('old\n')
        r = run([portinfo, 'export', '--force', '--ports', '22-23', str(site)])
        check(r.returncode == 0 and r.stderr == '', f'--force writes into a used directory '
              f'({r.stderr.strip()!r})')
        check((site / 'keep.txt').read_text() == 'mine\n', '--force leaves other files alone')
        check(not (site / 'ports' / 'stale.html').exists() and
              (site / 'ports' / '22.html').is_file() and
              not (site / 'ports' / '17300.html').exists(),
              '--force replaces the ports directory whole')
        check(not any(n.startswith('.tmp-export') for n in os.listdir(site)),
              'no temporary directory is left after --force')

    print(f'{checks} checks, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
