#!/usr/bin/env python3
"""test_recipes: docs/deploy.md's PostgreSQL and static-export recipes, run as they are written.

Takes the blocks marked `<!-- recipe: NAME -->` (and the nginx server block between the
`nginx-static` markers) out of docs/deploy.md and runs them, as root, with Debian's own
PostgreSQL and nginx, in private mount, network and PID namespaces: /etc/postgresql,
/var/lib/postgresql, /etc/nginx (a copy of the real one), /srv, /etc/portinfo, /root, /run and
/usr/local/bin are private there, /etc/hosts names db.internal (10.0.0.10, on lo),
ports.example.org and votes.example.org, and every process dies with the test.  Stand-ins,
because a namespace has no init system and no certificates:
  - the cluster 15/main is made by pg_createcluster, as installing Debian's postgresql does;
    `apt-get install` only checks that the packages named are installed;
  - `systemctl restart postgresql` is pg_ctlcluster, `systemctl reload nginx` starts nginx
    (or sends it SIGHUP);
  - a systemd drop-in's last ExecStart= runs as nobody (DynamicUser=), with
    LoadCredential= as a copy of the file the service user may read and %d its directory;
  - TLS: the sites are https://ports.example.org and https://votes.example.org, as the recipes
    say; the test speaks plain HTTP to nginx on 127.0.0.1:80 and to the vote server on
    127.0.0.1:1776 with those Host headers, as the TLS proxies in front would.

Then it checks that a vote lands in PostgreSQL (posted to the server the drop-in starts, read
back with psql), that nginx serves the export's pages, and that a vote without JavaScript
from a static page, sent with the Origin, Referer and Sec-Fetch-Site a browser sends under the
Referrer-Policy nginx answers with, gets a 303 back to that page (also in Polish), while
`Origin: null` gets 403.  Not root, a tool missing, or no namespaces to run in (a chroot): exit
77, or a failure under CI=true.
Usage: test_recipes.py PORTINFO DEPLOY_MD
"""
import encodings.idna  # noqa: F401 (loaded before /root, which may hold Python, is hidden)
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import http.client

SKIP = 77
PG_VERSION = '15'  # Debian 12's, as the recipe's paths say
TOOLS = ['unshare', 'mount', 'ip', 'runuser', 'setpriv', 'pg_createcluster', 'pg_ctlcluster',
         'psql', 'nginx', 'curl', 'dpkg-query']
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def cannot(why):
    print(f'{why}: skipped' if os.environ.get('CI') != 'true' else f'FAIL: {why} (CI=true)')
    return 1 if os.environ.get('CI') == 'true' else SKIP


def recipes(md):
    """NAME -> text of each marked block, and the nginx server block."""
    text = open(md, encoding='utf-8').read()
    found = {m.group(1): m.group(2) for m in re.finditer(
        r'<!-- recipe: ([a-z-]+) -->\n```[a-z]*\n(.*?)\n```', text, re.S)}
    m = re.search(r'<!-- nginx-static begin -->\n```nginx\n(.*?)\n```', text, re.S)
    if m:
        found['nginx-block'] = m.group(1)
    return found


def outer(portinfo, md):
    if os.geteuid() != 0:
        return cannot('the recipes run as root (they make roles, write /etc)')
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        return cannot(f'missing {", ".join(missing)} (tools/deps/test/deploy.txt)')
    if not os.path.isdir(f'/usr/lib/postgresql/{PG_VERSION}'):
        return cannot(f'PostgreSQL {PG_VERSION} (Debian 12) is not installed')
    # unshare refuses a private mount namespace where / is not a mount point (a chroot).
    ns = ['unshare', '-m', '-n', '-p', '-f', '--mount-proc']
    probe = subprocess.run(ns + ['true'], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return cannot('no private mount, network and PID namespaces here '
                      f'({probe.stderr.strip() or probe.returncode})')
    cmd = ns + [sys.executable, os.path.abspath(__file__), portinfo, md]
    env = dict(os.environ, PORTINFO_DEPLOY_INNER='1')
    t0 = time.time()
    rc = subprocess.run(cmd, env=env, timeout=600).returncode
    print(f'recipes: {time.time() - t0:.1f} s')
    return rc


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True,
                          timeout=kw.pop('timeout', 300), **kw)


def private(path, tmp, copy=False, owner=None, mode=0o755):
    """Puts an empty (or, with @copy, copied) private directory over @path."""
    src = os.path.join(tmp, 'fs', path.strip('/').replace('/', '_'))
    if copy and os.path.isdir(path):
        shutil.copytree(path, src, symlinks=True)
    else:
        os.makedirs(src, exist_ok=True)
    os.makedirs(path, exist_ok=True)
    os.chmod(src, mode)
    if owner:
        shutil.chown(src, *owner)
    subprocess.run(['mount', '--bind', src, path], check=True)


SYSTEMCTL = '''#!/bin/sh
# systemctl's stand-in in the recipe test: the two services the recipes restart.
case "$1 $2" in
"restart postgresql") exec pg_ctlcluster @V@ main restart ;;
"reload nginx")
        if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
                exec nginx -s reload
        fi
        exec nginx ;;
esac
echo "systemctl stand-in: '$*' is not something the recipes may need" >&2
exit 1
'''

APT_GET = '''#!/bin/sh
# apt-get's stand-in in the recipe test: the packages must be installed already.
[ "$1" = install ] || { echo "apt-get stand-in: only install" >&2; exit 1; }
shift
for p in "$@"; do
        case "$p" in -*) continue ;; esac
        dpkg-query -W -f='${Status}\\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
                { echo "apt-get stand-in: $p is not installed" >&2; exit 1; }
done
'''


def setup(tmp, portinfo):
    subprocess.run(['mount', '--make-rprivate', '/'], check=True)
    for cmd in (['ip', 'link', 'set', 'lo', 'up'],
                ['ip', 'addr', 'add', '10.0.0.10/24', 'dev', 'lo'],
                ['ip', 'addr', 'add', '10.0.0.11/24', 'dev', 'lo']):
        subprocess.run(cmd, check=True)
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', '/run'], check=True)
    os.makedirs('/run/postgresql', mode=0o2775)
    shutil.chown('/run/postgresql', 'postgres', 'postgres')
    pg, nobody = ('postgres', 'postgres'), ('nobody', 'nogroup')
    for path, copy, owner in (('/etc/postgresql', False, pg), ('/var/lib/postgresql', False, pg),
                              ('/var/log/postgresql', False, pg),
                              ('/etc/nginx', True, None), ('/var/log/nginx', False, None),
                              ('/var/lib/nginx', False, None), ('/etc/portinfo', False, None),
                              ('/root', False, None), ('/usr/local/bin', False, None),
                              ('/usr/local/sbin', False, None),
                              ('/var/lib/portinfo', False, nobody)):
        private(path, tmp, copy, owner)
    # The whole export (about 1.1 GB) goes to memory, not to the disk under /tmp.
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755,size=4g', 'tmpfs', '/srv'],
                   check=True)
    with open(os.path.join(tmp, 'hosts'), 'w') as f:
        f.write('127.0.0.1 localhost\n10.0.0.10 db.internal\n'
                '127.0.0.1 ports.example.org votes.example.org\n')
    subprocess.run(['mount', '--bind', os.path.join(tmp, 'hosts'), '/etc/hosts'], check=True)
    os.symlink(portinfo, '/usr/local/bin/portinfo')
    shims = os.path.join(tmp, 'shims')
    os.makedirs(shims)
    for name, text in (('systemctl', SYSTEMCTL), ('apt-get', APT_GET)):
        with open(os.path.join(shims, name), 'w') as f:
            f.write(text.replace('@V@', PG_VERSION))
        os.chmod(os.path.join(shims, name), 0o755)
    # What installing Debian's postgresql does: the cluster, started.
    r = sh(['pg_createcluster', '--start', PG_VERSION, 'main'])
    check(r.returncode == 0, f'pg_createcluster: {r.stdout} {r.stderr}')
    return dict(os.environ, PATH=shims + ':/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:'
                '/sbin:/bin', HOME='/root')


def run_recipe(name, text, env):
    r = sh(['bash', '-e', '-o', 'pipefail', '-c', text], env=env, cwd='/root')
    check(r.returncode == 0,
          f'recipe {name}: status {r.returncode}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}')
    return r


def start_dropin(text, tmp, name):
    """Runs a systemd drop-in's ExecStart= as nobody, with its credentials and environment."""
    execs = [l.split('=', 1)[1] for l in text.splitlines() if l.startswith('ExecStart=')]
    cmd = execs[-1].split() if execs and execs[-1] else None
    if not check(cmd, f'{name}: no ExecStart= in {text!r}'):
        return None
    creds = os.path.join(tmp, 'creds-' + name)
    os.makedirs(creds)
    env = dict(os.environ, PORTINFO_DATA_DIR='/var/lib/portinfo')
    for line in text.splitlines():
        if line.startswith('LoadCredential='):
            cname, src = line.split('=', 1)[1].split(':', 1)
            shutil.copy(src, os.path.join(creds, cname))
            shutil.chown(os.path.join(creds, cname), 'nobody', 'nogroup')
            os.chmod(os.path.join(creds, cname), 0o400)
        elif line.startswith('Environment='):
            k, v = line.split('=', 1)[1].split('=', 1)
            env[k] = v.replace('%d', creds)
    shutil.chown(creds, 'nobody', 'nogroup')
    log = open(os.path.join(tmp, name + '.log'), 'w')
    p = subprocess.Popen(['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups',
                          *cmd], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            if request('127.0.0.1', 1776, 'GET', '/healthz', {})[0] == 200:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            break
        time.sleep(0.1)
    check(False, f'{name}: the server did not start: {open(log.name).read()[-2000:]}')
    return p


def request(host, port, method, path, headers, body=None):
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def origin_of(url):
    u = urllib.parse.urlsplit(url)
    return f'{u.scheme}://{u.netloc}'


def browser_headers(page, action, policy):
    """Origin, Referer and Sec-Fetch-Site of a form POST from @page to @action under Referrer
    Policy @policy (https://fetch.spec.whatwg.org/#origin-header, "append a request Origin
    header" for a non-CORS POST; https://w3c.github.io/webappsec-referrer-policy/)."""
    policy = [p.strip() for p in policy.split(',') if p.strip()][-1] if policy else \
        'strict-origin-when-cross-origin'
    same = origin_of(page) == origin_of(action)
    downgrade = page.startswith('https:') and action.startswith('http:')
    origin = origin_of(page)
    if policy == 'no-referrer' or (policy == 'same-origin' and not same) or \
            (policy in ('no-referrer-when-downgrade', 'strict-origin',
                        'strict-origin-when-cross-origin') and downgrade):
        origin = 'null'
    referer = {
        'no-referrer': None,
        'same-origin': page if same else None,
        'origin': origin_of(page) + '/',
        'strict-origin': None if downgrade else origin_of(page) + '/',
        'origin-when-cross-origin': page if same else origin_of(page) + '/',
        'strict-origin-when-cross-origin':
            page if same else (None if downgrade else origin_of(page) + '/'),
        'no-referrer-when-downgrade': None if downgrade else page,
        'unsafe-url': page,
    }[policy]
    h = {'Origin': origin, 'Sec-Fetch-Site': 'same-origin' if same else 'same-site',
         'Sec-Fetch-Mode': 'navigate', 'Content-Type': 'application/x-www-form-urlencoded'}
    if referer:
        h['Referer'] = referer
    return h


def postgresql_checks(rec, env, tmp):
    for name in ('postgresql', 'pgpass'):
        if not check(name in rec, f'docs/deploy.md has no recipe {name}'):
            return
        run_recipe(name, rec[name], env)
    if not check('pg-dropin' in rec, 'docs/deploy.md has no recipe pg-dropin'):
        return
    p = start_dropin(rec['pg-dropin'], tmp, 'pg-dropin')
    if not p:
        return
    try:
        st, _, body = request('10.0.0.11', 1776, 'POST', '/ports/22/feedback',
                              {'Accept': 'application/json',
                               'Content-Type': 'application/x-www-form-urlencoded'},
                              'vote=happy')
        check(st == 200 and json.loads(body).get('happy') == 1,
              f'a vote to the PostgreSQL-backed server: {st} {body[:300]}')
        r = sh(['runuser', '-u', 'postgres', '--', 'psql', '-tAq', '-d', 'portinfo', '-c',
                'SELECT port, value FROM votes'])
        rows = r.stdout.split()
        check(r.returncode == 0 and len(rows) == 1 and rows[0].startswith('22|'),
              f'the vote in PostgreSQL: {r.stdout!r} {r.stderr!r}')
        # The role's password works over TCP from the web servers' network, as the server's.
        r = sh(['psql', '-h', 'db.internal', '-U', 'portinfo', '-d', 'portinfo', '-tAc',
                'SELECT count(*) FROM votes'],
               env=dict(os.environ, PGPASSFILE='/etc/portinfo/pgpass'))
        check(r.returncode == 0 and r.stdout.strip() == '1',
              f'psql as portinfo over TCP: {r.stdout!r} {r.stderr!r}')
    finally:
        p.terminate()
        p.wait(timeout=30)
    if failures:
        print(open(os.path.join(tmp, 'pg-dropin.log')).read()[-3000:])


def static_checks(rec, env, tmp):
    for name in ('static-export', 'nginx-block', 'static-nginx', 'vote-dropin'):
        if not check(name in rec, f'docs/deploy.md has no recipe {name}'):
            return
    run_recipe('static-export', rec['static-export'], env)
    with open('/etc/nginx/sites-available/portinfo', 'w') as f:
        f.write(rec['nginx-block'] + '\n')
    r = run_recipe('static-nginx', rec['static-nginx'], env)
    check(r.stdout.strip().endswith('ok'), f'static-nginx: {r.stdout!r}')
    p = start_dropin(rec['vote-dropin'], tmp, 'vote-dropin')
    if not p:
        return
    try:
        for lang in ('', '/pl'):
            page = f'https://ports.example.org{lang}/ports/22'
            st, h, body = request('127.0.0.1', 80, 'GET', f'{lang}/ports/22',
                                  {'Host': 'ports.example.org'})
            html = body.decode('utf-8', 'replace')
            check(st == 200 and '<form' in html, f'nginx {lang}/ports/22: {st}')
            m = re.search(r'<form class="fb" method="post" action="([^"]+)"', html)
            if not check(m, f'{lang}/ports/22: no vote form'):
                continue
            action = m.group(1)
            fields = dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"',
                                     html))
            fields['vote'] = 'meh'
            hdrs = browser_headers(page, action, h.get('referrer-policy', ''))
            u = urllib.parse.urlsplit(action)
            hdrs['Host'] = u.netloc
            st, rh, body = request('127.0.0.1', 1776, 'POST', u.path, hdrs,
                                   urllib.parse.urlencode(fields))
            want = f'{page}#feedback'
            check(st == 303 and rh.get('location') == want,
                  f'a vote without JavaScript from {page} (Referrer-Policy '
                  f'{h.get("referrer-policy")!r}, Origin {hdrs["Origin"]}): {st} '
                  f'{rh.get("location")}, want 303 to {want}: {body[:200]!r}')
            if rh.get('location'):
                back = urllib.parse.urlsplit(rh['location'])
                st, _, _ = request('127.0.0.1', 80, 'GET', back.path, {'Host': back.netloc})
                check(st == 200, f'back on the page {back.path}: {st}')
        st, _, body = request('127.0.0.1', 1776, 'GET', '/api/ports/22/feedback',
                              {'Host': 'votes.example.org'})
        check(st == 200 and json.loads(body).get('meh') == 2, f'the counts: {st} {body!r}')
        # Refused only where it must be: a page that hides its origin (the reason is in the
        # JSON answer; the HTML one is the plain error page).
        hdrs = dict(browser_headers('https://ports.example.org/ports/22',
                                    'https://votes.example.org/ports/22/feedback',
                                    'same-origin'), Host='votes.example.org',
                    Accept='application/json')
        st, _, body = request('127.0.0.1', 1776, 'POST', '/ports/22/feedback', hdrs,
                              'vote=sad')
        check(st == 403 and b'Origin: null' in body, f'Origin: null: {st} {body[:200]!r}')
    finally:
        p.terminate()
        p.wait(timeout=30)


def inner(portinfo, md):
    rec = recipes(md)
    tmp = tempfile.mkdtemp(prefix='portinfo-deploy-')
    os.chmod(tmp, 0o711)  # the services run as nobody and read their credentials in it
    try:
        env = setup(tmp, portinfo)
        if not failures:
            t0 = time.time()
            postgresql_checks(rec, env, tmp)
            print(f'postgresql recipe: {time.time() - t0:.1f} s')
            t0 = time.time()
            static_checks(rec, env, tmp)
            print(f'static-export recipe: {time.time() - t0:.1f} s')
    finally:
        sh('pg_ctlcluster %s main stop -m immediate' % PG_VERSION)
        sh('[ -s /run/nginx.pid ] && nginx -s stop')
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print('FAIL:', f)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    prog, doc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.exit(inner(prog, doc) if os.environ.get('PORTINFO_DEPLOY_INNER') else outer(prog, doc))
