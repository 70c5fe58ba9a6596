#!/usr/bin/env python3
"""test_deb: the Debian packages build, pass lintian, install on a fresh Debian 12 and purge
cleanly.

    test_deb.py SOURCE_ROOT PROJECT_VERSION

1. debian/ agrees with the tree: the changelog's version is meson.build's, Build-Depends names
   every package of tools/deps/build/ (but those build-essential brings), and the binary
   packages depend on or recommend every package of tools/deps/run/.
2. `make deb` builds portinfo and portinfo-web; lintian reports no error and no warning.
3. In a fresh Debian 12 root (mmdebstrap --variant=apt bookworm, made while the packages build),
   `apt-get install ./portinfo_*.deb` pulls no web server or database library, `portinfo 1776`
   answers femis as root and as nobody, `portinfo serve` says its helper is missing, and an
   imported registry lands in /var/lib/portinfo.  Then portinfo-web installs beside it with its
   unit enabled; a timer the build has is installed but not enabled.
4. Removing both packages leaves only the data directory; purging them leaves nothing: the
   root's files are those it had before, but for apt's and dpkg's own records.
5. In the same root, `make install` as root (after `apt-get install make`) installs none of
   the test list's packages (tools/deps/test/: no database server, no browser, no nginx) and
   gives a /usr/local/bin/portinfo that answers.

Needs root, dpkg-dev, debhelper, lintian, mmdebstrap (tools/deps/test/deb.txt) and the Debian
mirror ($PORTINFO_DEB_MIRROR, default http://deb.debian.org/debian).  PORTINFO_DEB_KEEP=1 keeps
the work directory (packages, logs, root) for a look afterwards.  Without them it skips (77),
and fails under CI=true.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

MIRROR = os.environ.get('PORTINFO_DEB_MIRROR', 'http://deb.debian.org/debian')
SUITE = 'bookworm'
# Packages every Debian build has (build-essential); Build-Depends must not name them.
BUILD_ESSENTIAL = {'gcc', 'g++', 'make', 'libc6-dev', 'dpkg-dev'}
# What a host that only explains and audits must not get: the website's libraries.
WEB_ONLY = re.compile(r'^(libevent|libsqlite3|libpq)')
# Records apt and dpkg keep of what they did (and their caches), and the root's scratch space:
# left out when the root's files are compared before and after.
SCRATCH = ('proc', 'sys', 'dev', 'run', 'tmp', 'var/tmp', 'var/cache', 'var/log', 'var/lib/apt',
           'var/lib/dpkg', 'etc/ld.so.cache')

failures = []


def ok(what):
    print(f'ok: {what}')


def bad(what):
    print(f'FAIL: {what}')
    failures.append(what)


def check(cond, what):
    (ok if cond else bad)(what)
    return cond


def cannot(why):
    """A missing tool or no mirror: skip, but fail in CI."""
    print(f'SKIP: {why}')
    sys.exit(1 if os.environ.get('CI') == 'true' else 77)


def words(path):
    """The package names of a tools/deps list file (comments dropped)."""
    out = set()
    for line in Path(path).read_text(encoding='utf-8').splitlines():
        out.update(line.split('#', 1)[0].split())
    return out


def control_paragraphs(src):
    paras, cur, key = [], {}, None
    for line in (src / 'debian' / 'control').read_text(encoding='utf-8').splitlines():
        if not line.strip():
            if cur:
                paras.append(cur)
            cur, key = {}, None
        elif line[0] in ' \t' and key:
            cur[key] += ' ' + line.strip()
        else:
            key, _, value = line.partition(':')
            cur[key] = value.strip()
    if cur:
        paras.append(cur)
    return paras


def relation_names(field):
    """Package names of a relation field, alternatives included."""
    names = set()
    for part in re.split(r'[,|]', field):
        part = re.sub(r'\(.*?\)|\[.*?\]|<.*?>', '', part).strip()
        if part and not part.startswith('${'):
            names.add(part.split(':')[0])
    return names


def check_sources(src, version):
    """Step 1: debian/ against meson.build and tools/deps/."""
    first = (src / 'debian' / 'changelog').read_text(encoding='utf-8').splitlines()[0]
    m = re.match(r'portinfo \(([^)]+)\) ', first)
    check(m and m.group(1) == version,
          f'debian/changelog is at the project version {version} ({first.strip()})')
    paras = control_paragraphs(src)
    build_deps = relation_names(paras[0].get('Build-Depends', ''))
    for f in sorted(glob.glob(str(src / 'tools/deps/build/*.txt'))):
        need = words(f) - BUILD_ESSENTIAL
        missing = sorted(need - build_deps)
        check(not missing, f'Build-Depends names every package of {Path(f).name}'
              + (f' (missing: {" ".join(missing)})' if missing else ''))
    essential = sorted(build_deps & BUILD_ESSENTIAL)
    check(not essential, 'Build-Depends names nothing of build-essential'
          + (f' ({" ".join(essential)})' if essential else ''))
    runtime = set()
    for p in paras[1:]:
        for field in ('Depends', 'Recommends'):
            runtime |= relation_names(p.get(field, ''))
    for f in sorted(glob.glob(str(src / 'tools/deps/run/*.txt'))):
        missing = sorted(words(f) - runtime)
        check(not missing, f'a binary package depends on or recommends {Path(f).name}'
              + (f' (missing: {" ".join(missing)})' if missing else ''))


def mirror_reachable():
    try:
        with urllib.request.urlopen(f'{MIRROR}/dists/{SUITE}/Release', timeout=20) as r:
            return r.status == 200
    except OSError:
        return False


def tail(path, n=40):
    lines = Path(path).read_text(encoding='utf-8', errors='replace').splitlines()
    return '\n'.join(lines[-n:])


def in_root(root, *cmd, user=None, check_rc=True, timeout=900):
    """Runs CMD (a shell line) in the chroot; returns (rc, stdout, stderr)."""
    argv = ['chroot']
    if user:
        argv.append(f'--userspec={user}')
    argv += [str(root), '/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
             'DEBIAN_FRONTEND=noninteractive', 'LANG=C.UTF-8', 'HOME=/root', '/bin/sh', '-c',
             ' '.join(cmd)]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check_rc and r.returncode != 0:
        bad(f'`{" ".join(cmd)}` exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}')
    return r.returncode, r.stdout, r.stderr


def snapshot(root):
    """Every path in ROOT but the scratch and record places, as root-relative strings."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = '' if rel == '.' else rel
        keep = []
        for d in dirnames:
            p = os.path.join(rel, d)
            if p in SCRATCH:
                continue
            out.add(p)
            if not os.path.islink(os.path.join(dirpath, d)):
                keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            p = os.path.join(rel, f)
            if p not in SCRATCH:
                out.add(p)
    return out


def installed(root):
    _, out, _ = in_root(root, "dpkg-query -W -f='${db:Status-Abbrev} ${Package}\\n'")
    return {line.split()[1] for line in out.splitlines() if line.startswith('ii')}


def check_portinfo(root, src, debs):
    """Step 3, first half: the command-line package alone."""
    before = installed(root)
    rc, _, _ = in_root(root, 'cd /tmp/debs && apt-get install -y -q ./portinfo_*.deb')
    if rc != 0:
        return False
    new = installed(root) - before
    check('portinfo' in new, 'apt-get install ./portinfo_*.deb installed portinfo')
    web = sorted(p for p in new if WEB_ONLY.match(p))
    check(not web, 'installing portinfo pulled no libevent, SQLite or libpq'
          + (f' (pulled: {" ".join(web)})' if web else ''))
    _, deps, _ = in_root(root, "dpkg-query -W -f='${Depends}' portinfo")
    check(not any(WEB_ONLY.match(d) for d in relation_names(deps)),
          f'portinfo depends on no web library ({deps})')
    rc, out, err = in_root(root, 'portinfo 1776', check_rc=False)
    check(rc == 0 and 'femis' in out, f'portinfo 1776 answers femis as root (exit {rc})')
    rc, out, err = in_root(root, 'portinfo 1776', user='nobody', check_rc=False)
    check(rc == 0 and 'femis' in out and not err,
          f'portinfo 1776 answers femis as nobody, with nothing on stderr (exit {rc}) {err}')
    rc, out, err = in_root(root, 'portinfo who --help', check_rc=False)
    check(rc == 0, f'portinfo who runs its helper (exit {rc}) {err.strip()}')
    rc, out, err = in_root(root, 'portinfo serve --help', check_rc=False)
    check(rc == 2 and 'portinfo-serve' in err,
          f'without portinfo-web, portinfo serve says its helper is missing (exit {rc}) '
          f'{err.strip()}')
    _, files, _ = in_root(root, 'dpkg -L portinfo')
    files = files.split()
    for name in ('/usr/bin/portinfo', '/usr/libexec/portinfo/portinfo-who',
                 '/usr/libexec/portinfo/portinfo-update', '/usr/share/man/man1/portinfo.1.gz',
                 '/usr/share/bash-completion/completions/portinfo',
                 '/usr/libexec/portinfo/portinfo-annotate', '/usr/lib/sysusers.d/portinfo.conf',
                 '/usr/share/doc/portinfo/copyright'):
        check(name in files, f'portinfo ships {name}')
    for word in ('serve', 'export', 'votes', '/usr/share/portinfo', 'portinfo.service'):
        hit = [f for f in files if word in f]
        check(not hit, f'portinfo ships nothing of the website ({word})'
              + (f': {" ".join(hit)}' if hit else ''))
    comps = src / 'completions'
    if (comps / '_portinfo').exists() or (comps / 'portinfo.zsh').exists():
        check('/usr/share/zsh/vendor-completions/_portinfo' in files,
              'portinfo ships the zsh completion')
    if (comps / 'portinfo.fish').exists():
        check('/usr/share/fish/vendor_completions.d/portinfo.fish' in files,
              'portinfo ships the fish completion')
    if (src / 'dist' / 'portinfo-update.timer').exists():
        timer = [f for f in files if f.endswith('/portinfo-update.timer')]
        check(timer, 'portinfo ships portinfo-update.timer')
        rc, _, _ = in_root(root, 'ls /etc/systemd/system/timers.target.wants/portinfo-update.timer',
                           check_rc=False)
        check(rc != 0, 'portinfo-update.timer is installed disabled')
    _, copyright_text, _ = in_root(root, 'cat /usr/share/doc/portinfo/copyright')
    for needle in ('License: Expat', 'License: GPL-2', 'License: CC-BY-SA-3.0',
                   'License: CC0-1.0', 'The MITRE Corporation'):
        check(needle in copyright_text, f'the installed copyright file has "{needle}"')
    # An imported registry (the older CSV form, hence --force) goes into the data directory.
    shutil.copy(src / 'data/iana/service-names-port-numbers.csv', root / 'tmp/registry.csv')
    rc, out, err = in_root(root, 'portinfo update --force /tmp/registry.csv', check_rc=False)
    check(rc == 0 and (root / 'var/lib/portinfo/portdb.bin').is_file(),
          f'portinfo update installs /var/lib/portinfo/portdb.bin (exit {rc}) {err.strip()}')
    rc, out, _ = in_root(root, 'portinfo --version', check_rc=False)
    check('csv form' in out, 'portinfo --version names the imported registry')
    # The services' static account, so that /var/lib/portinfo stays a directory all can read.
    rc, out, _ = in_root(root, 'getent passwd portinfo', check_rc=False)
    check(rc == 0 and ':/var/lib/portinfo:' in out, f'the package made the account portinfo ({out!r})')
    rc, out, err = in_root(root, 'portinfo --version', user='nobody', check_rc=False)
    check('csv form' in out and not err.strip(),
          f'another user reads the imported registry too ({err.strip()!r})')
    return True


def check_portinfo_web(root, src):
    """Step 3, second half: the website package beside it."""
    before = installed(root)
    rc, _, _ = in_root(root, 'cd /tmp/debs && apt-get install -y -q --no-install-recommends '
                       './portinfo-web_*.deb')
    if rc != 0:
        return False
    check('portinfo-web' in installed(root) - before, 'portinfo-web installs beside portinfo')
    _, files, _ = in_root(root, 'dpkg -L portinfo-web')
    files = files.split()
    for name in ('/usr/libexec/portinfo/portinfo-serve', '/usr/libexec/portinfo/portinfo-export',
                 '/usr/share/portinfo/web/style.css', '/lib/systemd/system/portinfo.service',
                 '/usr/share/locale/pl/LC_MESSAGES/portinfo.mo'):
        check(name in files, f'portinfo-web ships {name}')
    if "'portinfo-votes'" in (src / 'meson.build').read_text(encoding='utf-8'):
        check('/usr/libexec/portinfo/portinfo-votes' in files, 'portinfo-web ships portinfo-votes')
    rc, out, err = in_root(root, 'portinfo serve --help', check_rc=False)
    check(rc == 0 and '--listen' in out, f'portinfo serve --help runs (exit {rc}) {err.strip()}')
    rc, out, err = in_root(root, 'portinfo export --help', check_rc=False)
    check(rc == 0, f'portinfo export --help runs (exit {rc}) {err.strip()}')
    wants = root / 'etc/systemd/system/multi-user.target.wants/portinfo.service'
    check(wants.is_symlink(), 'portinfo.service is enabled on installation')
    # What the service leaves in its data directory: the vote store.
    for suffix in ('', '-wal', '-shm'):
        (root / f'var/lib/portinfo/feedback.sqlite{suffix}').write_bytes(b'')
    return True


def check_removal(root, start):
    """Step 4: remove keeps the data directory alone; purge leaves nothing."""
    in_root(root, 'apt-get remove -y -q --autoremove portinfo-web portinfo')
    # dpkg keeps a removed service's enable state until purge, as it keeps conffiles.
    kept = ('var/lib/portinfo', 'etc/systemd/system/multi-user.target.wants',
            'var/lib/systemd/deb-systemd-helper-enabled')
    left = sorted(p for p in snapshot(root) - start - {'etc/passwd-', 'etc/group-', 'etc/shadow-',
                                                       'etc/gshadow-'} if not p.startswith(kept))
    check(not left, 'removing the packages leaves only the data directory (and the service\'s '
          'enable state)' + (f' (left: {" ".join(left[:40])})' if left else ''))
    check((root / 'var/lib/portinfo/portdb.bin').is_file(),
          'removing the packages keeps the imported registry')
    in_root(root, 'apt-get purge -y -q --autoremove portinfo-web portinfo')
    # The account portinfo stays, as Debian leaves system accounts; making it left the
    # shadow tools' backups of the account files.
    accounts = {'etc/passwd-', 'etc/group-', 'etc/shadow-', 'etc/gshadow-'}
    left = sorted(snapshot(root) - start - accounts)
    check(not left, 'purging them leaves nothing behind'
          + (f' (left: {" ".join(left[:40])})' if left else ''))
    gone = sorted(set(start) - snapshot(root))
    check(not gone, 'purging them removes nothing the root had before'
          + (f' (gone: {" ".join(gone[:40])})' if gone else ''))
    rc, out, _ = in_root(root, 'dpkg -S /usr/libexec/portinfo /usr/share/portinfo '
                         '/usr/bin/portinfo', check_rc=False)
    check(rc != 0 and not out.strip(), 'dpkg -S finds no portinfo path after the purge')
    rc, out, _ = in_root(root, "dpkg-query -W -f='${db:Status-Abbrev} ${Package}\\n' 'portinfo*'",
                         check_rc=False)
    check(not out.strip(), f'dpkg no longer knows the packages ({out.strip()})')


def deps_list(src, name):
    out = set()
    for f in glob.glob(str(src / 'tools/deps' / name / '*.txt')):
        out |= words(f)
    return out


def check_make_install(root, src):
    """Step 5: `make install` from the source tree in the purged root."""
    # The files git tracks or would track, as `make deb` copies them; outside git, all but
    # build directories.
    git = subprocess.run(['git', '-C', str(src), 'ls-files', '-z', '--cached', '--others',
                          '--exclude-standard'], capture_output=True)
    (root / 'tmp/src').mkdir()
    if git.returncode == 0:
        files = git.stdout
        tar = ['tar', '-C', str(src), '-c', '--null', '-T', '-', '--ignore-failed-read', '-f', '-']
    else:
        files = b''
        tar = ['tar', '-C', str(src), '-c', '--exclude=./build*', '--exclude=./obj-*',
               '--exclude=node_modules', '-f', '-', '.']
    pack = subprocess.Popen(tar, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    unpack = subprocess.Popen(['tar', '-x', '-C', str(root / 'tmp/src')], stdin=pack.stdout)
    pack.stdin.write(files)
    pack.stdin.close()
    pack.stdout.close()
    if not check(pack.wait() == 0 and unpack.wait() == 0, 'the tree is copied into the root'):
        return
    in_root(root, 'apt-get install -y -q make')
    before = installed(root)
    t0 = time.monotonic()
    rc, out, err = in_root(root, 'cd /tmp/src && make install', timeout=1800)
    if rc != 0:
        return
    new = installed(root) - before
    ok(f'make install ran in the fresh root ({time.monotonic() - t0:.0f} s; '
       f'{len(new)} packages installed)')
    test_only = deps_list(src, 'test') - deps_list(src, 'build') - deps_list(src, 'run')
    got = sorted(new & test_only)
    check(not got, 'make install installed nothing of the test list'
          + (f' ({" ".join(got)})' if got else ''))
    servers = sorted(p for p in new if re.match(r'(postgresql|chromium|firefox|nginx|apache2)', p))
    check(not servers, 'make install installed no database server, browser or web server'
          + (f' ({" ".join(servers)})' if servers else ''))
    rc, out, _ = in_root(root, '/usr/local/bin/portinfo 1776', check_rc=False)
    check(rc == 0 and 'femis' in out, f'the installed /usr/local/bin/portinfo answers (exit {rc})')


def cleanup(work):
    """Removes WORK, never through a file system mounted inside it (mmdebstrap mounts /proc,
    /sys and /dev in the root while it works)."""
    if os.environ.get('PORTINFO_DEB_KEEP'):
        print(f'kept: {work}')
        return
    prefix = str(work) + '/'
    with open('/proc/self/mounts', encoding='utf-8') as f:
        mounts = [line.split()[1] for line in f if line.split()[1].startswith(prefix)]
    for m in sorted(mounts, reverse=True):
        subprocess.run(['umount', '--lazy', m], check=False)
    subprocess.run(['rm', '-rf', '--one-file-system', str(work)], check=False)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, version = Path(sys.argv[1]).resolve(), sys.argv[2]
    check_sources(src, version)
    if os.geteuid() != 0:
        cannot('building a Debian root and installing packages into it needs root')
    for tool, pkg in (('dpkg-buildpackage', 'dpkg-dev'), ('dh', 'debhelper'),
                      ('lintian', 'lintian'), ('mmdebstrap', 'mmdebstrap')):
        if not shutil.which(tool):
            cannot(f'{tool} is not installed ({pkg}, tools/deps/test/deb.txt)')
    if not mirror_reachable():
        cannot(f'the Debian mirror {MIRROR} does not answer')

    work = Path(tempfile.mkdtemp(prefix='portinfo-deb-'))
    root, out = work / 'root', work / 'out'
    t0 = time.monotonic()
    # The fresh root is made while the packages build.
    boot_log = open(work / 'mmdebstrap.log', 'w')
    boot = subprocess.Popen(['mmdebstrap', '--variant=apt', '--mode=root', '--quiet',
                             '--skip=cleanup/apt/lists', SUITE, str(root), MIRROR],
                            stdout=boot_log, stderr=subprocess.STDOUT)
    try:
        with open(work / 'build.log', 'w') as log:
            r = subprocess.run(['make', '--no-print-directory', '-C', str(src), 'deb',
                                f'DEB_OUT={out}'], stdout=log, stderr=subprocess.STDOUT,
                               timeout=1800)
        if not check(r.returncode == 0,
                     f'make deb built the packages ({time.monotonic() - t0:.0f} s)'):
            print(tail(work / 'build.log'))
            boot.kill()
            boot.wait()
            return 1
        debs = sorted(p.name for p in out.glob('*.deb'))
        for name in (f'portinfo_{version}_', f'portinfo-web_{version}_'):
            check(any(d.startswith(name) for d in debs), f'make deb made {name}*.deb ({debs})')
        changes = sorted(out.glob('*.changes'))
        if check(len(changes) == 1, 'make deb made one .changes file'):
            r = subprocess.run(['lintian', '--pedantic', '-I', str(changes[0])],
                               capture_output=True, text=True, timeout=900)
            tags = [line for line in r.stdout.splitlines() if re.match(r'[EW]: ', line)]
            check(r.returncode in (0, 1) and not re.search(r'^[EW]: ', r.stderr, re.M),
                  f'lintian ran (exit {r.returncode}) {r.stderr.strip()[:500]}')
            check(not tags, 'lintian: no error and no warning' +
                  (':\n' + '\n'.join(tags) if tags else ''))
            info = [line for line in r.stdout.splitlines() if not re.match(r'[EW]: ', line)]
            print(f'lintian, {len(info)} other lines (information, pedantic):')
            print('\n'.join('  ' + line for line in info[:20]))
        rc = boot.wait(timeout=1800)
        boot_log.close()
        if not check(rc == 0, f'mmdebstrap made a fresh {SUITE} root '
                     f'({time.monotonic() - t0:.0f} s from the start)'):
            print(tail(work / 'mmdebstrap.log'))
            return 1
        (root / 'tmp/debs').mkdir(parents=True, exist_ok=True)
        for d in out.glob('*.deb'):
            shutil.copy(d, root / 'tmp/debs')
        # What the packages depend on or recommend is installed first: the snapshot is then
        # the root as the packages find it, and what they leave behind is theirs alone.
        deps = set()
        for d in out.glob('*.deb'):
            r = subprocess.run(['dpkg-deb', '-f', str(d), 'Depends', 'Recommends'],
                               capture_output=True, text=True)
            for line in r.stdout.splitlines():
                deps |= relation_names(line.split(':', 1)[1] if ':' in line else line)
        deps = sorted(x for x in deps
                      if not x.startswith('portinfo') and re.fullmatch(r'[a-z0-9.+-]+', x))
        if deps:
            in_root(root, 'apt-get install -y -q ' + ' '.join(deps))
        start = snapshot(root)
        if check_portinfo(root, src, debs) and check_portinfo_web(root, src):
            check_removal(root, start)
            check_make_install(root, src)
    finally:
        if boot.poll() is None:
            boot.kill()
            boot.wait()
        cleanup(work)
    print(f'{time.monotonic() - t0:.0f} s in all')
    if failures:
        print(f'{len(failures)} check(s) failed')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
