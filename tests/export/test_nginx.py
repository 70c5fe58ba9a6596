#!/usr/bin/env python3
"""test_nginx: docs/deploy.md's nginx server for a static export, run against a real nginx.

    test_nginx.py PORTINFO DEPLOY_MD

Takes the block between <!-- nginx-static begin --> and <!-- nginx-static end --> from
DEPLOY_MD, points it at an export of a few ports and at a `portinfo serve` on free loopback
ports, starts a private nginx, and checks that every address of `portinfo serve` answers with
the exported file, the not-found pages, the headers a <meta> policy cannot carry, and a vote
through the proxied routes.  Skips (77) without nginx.
"""
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_export as t  # noqa: E402  (check, the counters)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def wait_for(port, path):
    for _ in range(100):
        try:
            if request(port, 'GET', path)[0] < 500:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    portinfo, deploy = sys.argv[1], Path(sys.argv[2])
    nginx = shutil.which('nginx') or ('/usr/sbin/nginx' if os.access('/usr/sbin/nginx', os.X_OK)
                                      else None)
    if not nginx:
        print('SKIP: nginx is not installed (tools/deps/test/deploy.txt)')
        return 1 if os.environ.get('CI') == 'true' else 77
    m = re.search(r'<!-- nginx-static begin -->\s*```nginx\n(.*?)```\s*<!-- nginx-static end -->',
                  deploy.read_text(encoding='utf-8'), re.S)
    if not m:
        print(f'FAIL: no nginx-static block in {deploy}')
        return 1
    block = m.group(1)

    tmp = Path(tempfile.mkdtemp(prefix='portinfo-nginx-'))
    os.chmod(tmp, 0o755)  # nginx workers run as nobody
    procs = []
    try:
        nport, sport = free_port(), free_port()
        site = tmp / 'site'
        r = subprocess.run([portinfo, 'export', '--api', '--ports', '20-30', '--vote-url',
                            f'http://127.0.0.1:{nport}', str(site)],
                           capture_output=True, text=True, timeout=120)
        t.check(r.returncode == 0, f'export ({r.stderr.strip()!r})')
        serve = subprocess.Popen([portinfo, 'serve', '--listen', f'127.0.0.1:{sport}',
                                  '--feedback', str(tmp / 'votes.sqlite'), '--no-access-log'],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(serve)

        server = (block.replace('listen 80;', f'listen 127.0.0.1:{nport};')
                  .replace('root /srv/portinfo-site;', f'root {site};')
                  .replace('http://127.0.0.1:1776', f'http://127.0.0.1:{sport}'))
        ngx = tmp / 'nginx'
        ngx.mkdir()
        mime = '/etc/nginx/mime.types'
        (ngx / 'nginx.conf').write_text(f'''worker_processes 1;
daemon off;
pid {ngx}/nginx.pid;
error_log {ngx}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {f"include {mime};" if os.path.exists(mime) else ""}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {ngx}/body;
    proxy_temp_path {ngx}/proxy;
    fastcgi_temp_path {ngx}/fastcgi;
    uwsgi_temp_path {ngx}/uwsgi;
    scgi_temp_path {ngx}/scgi;
{server}
}}
''')
        proc = subprocess.Popen([nginx, '-c', str(ngx / 'nginx.conf'), '-p', str(ngx)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(proc)
        up = wait_for(nport, '/') and wait_for(sport, '/healthz')
        t.check(up, 'nginx and portinfo serve start')
        if not up:
            err = (ngx / 'error.log').read_text() if (ngx / 'error.log').exists() else ''
            print(err)
            return 1

        files = {
            '/': 'index.html', '/ports': 'ports.html', '/ports/': 'ports/index.html',
            '/ports/22': 'ports/22.html', '/pl/': 'pl/index.html', '/pl/ports': 'pl/ports.html',
            '/pl/ports/22': 'pl/ports/22.html', '/search?q=ssh': 'search.html',
            '/pl/search?q=ssh': 'pl/search.html', '/api/ports/22': 'api/ports/22.json',
            '/search-index.json': 'search-index.json', '/robots.txt': 'robots.txt',
        }
        # The static files under the hashed names the pages link.
        page = (site / 'ports/22.html').read_text(encoding='utf-8')
        for name in ('style.css', 'search.js'):
            stem, ext = name.rsplit('.', 1)
            hashed = sorted(p.name for p in (site / 'static').glob(f'{stem}.*.{ext}'))
            t.check(len(hashed) == 1 and re.fullmatch(rf'{stem}\.[0-9a-f]{{12}}\.{ext}', hashed[0]),
                    f'static/{name} is exported once under a hashed name ({hashed})')
            if hashed:
                files[f'/static/{hashed[0]}'] = f'static/{hashed[0]}'
                if name == 'style.css':
                    t.check(f'/static/{hashed[0]}' in page, 'the pages link the hashed name')
        if (Path(__file__).resolve().parents[2] / 'web' / 'favicon.ico').exists():
            files['/favicon.ico'] = 'favicon.ico'
        for url, rel in files.items():
            status, headers, body = request(nport, 'GET', url)
            t.check(status == 200 and body == (site / rel).read_bytes(),
                    f'GET {url} answers 200 with {rel} ({status})')
        css = next((u for u in files if u.endswith('.css')), '/static/style.css')
        _, headers, _ = request(nport, 'GET', css)
        t.check('immutable' in headers.get('cache-control', '') and
                headers.get('x-content-type-options') == 'nosniff',
                f'a hashed static file may be kept for good ({headers.get("cache-control")})')
        # gzip_static: the export's .gz sibling, byte for byte, to a client that takes gzip.
        for url, rel in (('/ports/22', 'ports/22.html'), ('/pl/ports/22', 'pl/ports/22.html'),
                         (css, css.lstrip('/')), ('/search-index.json', 'search-index.json')):
            status, headers, body = request(nport, 'GET', url, headers={'Accept-Encoding': 'gzip'})
            gz = site / (rel + '.gz')
            t.check(gz.exists() and status == 200 and headers.get('content-encoding') == 'gzip'
                    and body == gz.read_bytes() and gzip.decompress(body) ==
                    (site / rel).read_bytes() and 'Accept-Encoding' in headers.get('vary', ''),
                    f'GET {url} with gzip answers {rel}.gz ({status} '
                    f'{headers.get("content-encoding")})')
        for url, ctype in (('/ports/22', 'text/html'), ('/api/ports/22', 'application/json'),
                           (css, 'text/css'),
                           ('/search-index.json', 'application/json')):
            got = request(nport, 'GET', url)[1].get('content-type', '')
            t.check(got.startswith(ctype), f'{url} is {ctype} ({got})')
        for url, rel in (('/ports/70000', '404.html'), ('/nothing', '404.html'),
                         ('/pl/nothing', 'pl/404.html')):
            status, _, body = request(nport, 'GET', url)
            t.check(status == 404 and body == (site / rel).read_bytes(),
                    f'GET {url} answers 404 with {rel} ({status})')
        _, headers, _ = request(nport, 'GET', '/ports/22')
        t.check(headers.get('content-security-policy') == "frame-ancestors 'none'" and
                headers.get('x-frame-options') == 'DENY' and
                headers.get('x-content-type-options') == 'nosniff',
                'the host adds frame-ancestors and the other headers')

        origin = f'http://127.0.0.1:{nport}'
        form = {'Content-Type': 'application/x-www-form-urlencoded', 'Origin': origin}
        status, headers, body = request(nport, 'POST', '/ports/22/feedback', 'vote=happy',
                                        dict(form, Accept='application/json'))
        t.check(status == 200 and json.loads(body).get('happy') == 1,
                f'a vote through nginx is counted ({status} {body[:80]!r})')
        status, headers, _ = request(nport, 'POST', '/pl/ports/22/feedback', 'vote=sad', form)
        t.check(status == 303 and headers.get('location') == '/pl/ports/22#feedback',
                f'without JavaScript a vote lands back on the static page ({status} '
                f'{headers.get("location")})')
        status, _, body = request(nport, 'GET', '/api/ports/22/feedback')
        t.check(status == 200 and set(json.loads(body)) >= {'sad', 'meh', 'happy'},
                f'the counts come through nginx ({status} {body[:80]!r})')
        status, _, _ = request(nport, 'POST', '/ports/22/feedback', 'vote=meh',
                               dict(form, Origin='https://elsewhere.example'))
        t.check(status == 403, f'a vote from another site is refused ({status})')
    finally:
        for p in procs:
            p.send_signal(signal.SIGQUIT if p is not procs[0] else signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'{t.checks} checks, {t.failures} failed')
    return 1 if t.failures else 0


if __name__ == '__main__':
    sys.exit(main())
