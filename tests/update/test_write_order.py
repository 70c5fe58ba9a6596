#!/usr/bin/env python3
"""portinfo update: the new table reaches the disk before it replaces the old one, and nothing
short of a complete table ever sits under the name portdb.bin.

Usage: test_write_order.py PORTINFO DATA_DIR_OF_SOURCE_TREE
- Under strace: the table is written to a temporary file, which is fsync'ed, then renamed over
  portdb.bin, then the directory is fsync'ed; portdb.bin is never opened for writing.
- A SIGKILL at that fsync (strace's fault injection): the table in use is unchanged and the
  next update removes the temporary file left behind.
- A full disk: a file size limit (RLIMIT_FSIZE) and, as root, a full tmpfs in a private mount
  namespace: the update fails with one line saying the table is unchanged, and it is.
strace is required under CI (CI=true); elsewhere its parts are skipped when it is missing.
"""
import csv
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from faultlib import check, finish  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
DATA = sys.argv[2]
XML = os.path.join(DATA, "iana", "service-names-port-numbers.xml")
CSV = os.path.join(DATA, "iana", "service-names-port-numbers.csv")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(cond, what):
    """False (after saying so) when @what is missing; a failure under CI."""
    if cond:
        return True
    if IN_CI:
        check(f"{what} is available (required under CI)", False)
    else:
        print(f"# skipped: {what} is missing")
    return False


def env_for(d):
    return dict(os.environ, NO_COLOR="1", PORTINFO_DATA_DIR=d)


def traced_env(d):
    """env_for(d) for a program run under strace: LeakSanitizer cannot work under ptrace, so a
    sanitizer build leaves its leak check to the untraced runs."""
    env = env_for(d)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    return env


def run(d, *args, **kw):
    return subprocess.run([PORTINFO, *args], capture_output=True, text=True, env=env_for(d),
                          timeout=120, **kw)


def digest(d):
    out = {}
    for n in sorted(os.listdir(d)):
        if n != ".lock":
            with open(os.path.join(d, n), "rb") as f:
                out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


def newer_registry(tmp):
    """The vendored CSV with one row dated after the compiled-in registry: a valid update."""
    with open(CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows.append(["portinfo-t", "65000", "tcp", "Test row", "", "", "2026-12-01", "", "", "", "",
                 ""])
    path = os.path.join(tmp, "newer.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def write_sequence(tmp, newer):
    d = os.path.join(tmp, "seq")
    p = run(d, "update", "--force", CSV)
    check("seq: a first table installed", p.returncode == 0, p.stderr)
    log = os.path.join(tmp, "strace.log")
    p = subprocess.run(["strace", "-f", "-qq", "-y", "-s", "4", "-o", log, "-e",
                        "trace=openat,open,creat,write,pwrite64,fsync,fdatasync,"
                        "rename,renameat,renameat2,truncate,ftruncate",
                        PORTINFO, "update", newer], capture_output=True, text=True,
                       env=traced_env(d), timeout=120)
    check("seq: the traced update installs", p.returncode == 0, p.stderr)
    real = os.path.realpath(d)
    cur = os.path.join(real, "portdb.bin")
    with open(log) as f:
        lines = [re.sub(r"^\d+\s+", "", l.rstrip("\n")) for l in f]
    tmpname = None
    opened = wrote = synced = renamed = dirsync = None
    in_place = []
    for i, l in enumerate(lines):
        m = re.match(r'openat\(.*"(\.portdb\.bin\.\d+\.tmp)", ([A-Z_|]+).*\) = \d+<', l)
        if m and "O_CREAT" in m.group(2):
            tmpname, opened = m.group(1), i
        if re.match(r'(openat|open|creat)\(.*"(' + re.escape(cur) + r'|portdb\.bin)", '
                    r'[A-Z_|]*(O_WRONLY|O_RDWR|O_TRUNC|O_CREAT)', l):
            in_place.append(l)
        if re.match(r"(write|pwrite64|ftruncate)\(\d+<" + re.escape(cur) + ">", l):
            in_place.append(l)
        if re.match(r'truncate\("' + re.escape(cur), l):
            in_place.append(l)
        if tmpname and re.match(r"(write|pwrite64)\(\d+<[^>]*/" + re.escape(tmpname) + ">", l):
            wrote = i
        if tmpname and re.match(r"(fsync|fdatasync)\(\d+<[^>]*/" + re.escape(tmpname) + r">\)\s+= 0",
                                l):
            synced = i
        if tmpname and re.match(r'rename(at2?)?\(.*"' + re.escape(tmpname) +
                                r'", .*"portdb\.bin".*= 0', l):
            renamed = i
        if renamed is not None and re.match(r"(fsync|fdatasync)\(\d+<" + re.escape(real) +
                                            r">\)\s+= 0", l):
            dirsync = i
    check("seq: the table is written to a temporary file", opened is not None and
          wrote is not None and wrote > opened, f"{opened} {wrote}")
    check("seq: the temporary file is fsync'ed after its last write",
          synced is not None and wrote is not None and synced > wrote, f"{wrote} {synced}")
    check("seq: then renamed over portdb.bin",
          renamed is not None and synced is not None and renamed > synced, f"{synced} {renamed}")
    check("seq: then the directory is fsync'ed", dirsync is not None, "no fsync of " + real)
    check("seq: portdb.bin is never opened for writing", not in_place, in_place[:3])


def kill_mid_update(tmp, newer):
    d = os.path.join(tmp, "kill")
    p = run(d, "update", "--force", CSV)
    check("kill: a first table installed", p.returncode == 0, p.stderr)
    before = digest(d)
    # SIGKILL when the new table's first fsync starts: written, not yet renamed.
    p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync",
                        "-e", "inject=fsync:signal=SIGKILL:when=1", PORTINFO, "update", newer],
                       capture_output=True, text=True, env=traced_env(d), timeout=120)
    left = [n for n in os.listdir(d) if n.endswith(".tmp")]
    check("kill: the update died mid-way, leaving its temporary file", left, os.listdir(d))
    check("kill: the table in use is untouched",
          {k: v for k, v in digest(d).items() if not k.endswith(".tmp")} == before)
    r = run(d, "--version")
    check("kill: and still valid", r.returncode == 0 and "warning" not in r.stderr, r.stderr)
    p = run(d, "update", newer)
    check("kill: the next update installs", p.returncode == 0, p.stderr)
    check("kill: and leaves no temporary file",
          not [n for n in os.listdir(d) if n.endswith(".tmp")], os.listdir(d))


def full_by_rlimit(tmp, newer):
    d = os.path.join(tmp, "fsize")
    p = run(d, "update", "--force", CSV)
    check("fsize: a first table installed", p.returncode == 0, p.stderr)
    before = digest(d)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    p = run(d, "update", newer, preexec_fn=limit)
    check("fsize: the update fails (exit 2)", p.returncode == 2, f"{p.returncode} {p.stderr}")
    check("fsize: one line saying the table is unchanged",
          len(p.stderr.splitlines()) == 1 and "unchanged" in p.stderr, p.stderr)
    check("fsize: and it is unchanged, with no temporary file", digest(d) == before,
          os.listdir(d))
    r = run(d, "--version")
    check("fsize: the table in use is still valid",
          r.returncode == 0 and "csv form" in r.stdout and "warning" not in r.stderr, r.stderr)


def full_tmpfs(tmp, newer):
    if not need(os.geteuid() == 0 and shutil.which("unshare") and shutil.which("mount"),
                "root with unshare and mount (the full tmpfs)"):
        return
    d = os.path.join(tmp, "tmpfs")
    os.mkdir(d, 0o755)
    script = f"""
set -u
echo in-namespace
mount -t tmpfs -o size=6m,mode=0755 none '{d}' || exit 99
PORTINFO_DATA_DIR='{d}' "$0" update --force '{CSV}' >/dev/null || exit 98
sha256sum '{d}/portdb.bin'
dd if=/dev/zero of='{d}/filler' bs=64k 2>/dev/null
PORTINFO_DATA_DIR='{d}' "$0" update '{newer}' >/dev/null 2>'{tmp}/tmpfs.err'
echo "rc=$?"
sha256sum '{d}/portdb.bin'
ls -a '{d}'
PORTINFO_DATA_DIR='{d}' "$0" --version 2>&1
"""
    p = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script,
                        PORTINFO], capture_output=True, text=True, timeout=120)
    # unshare refuses a private namespace where / is not a mount point (a chroot): no script.
    if not need(p.stdout.startswith("in-namespace") and p.returncode not in (98, 99),
                "a tmpfs in a private mount namespace"):
        return
    out = p.stdout
    with open(os.path.join(tmp, "tmpfs.err")) as f:
        err = f.read()
    sums = re.findall(r"^([0-9a-f]{64}) ", out, re.M)
    check("tmpfs: the update on a full disk fails (exit 2)", "rc=2" in out, out + err)
    check("tmpfs: one line saying the table is unchanged",
          len(err.splitlines()) == 1 and "unchanged" in err, err)
    check("tmpfs: portdb.bin is unchanged", len(sums) == 2 and sums[0] == sums[1], out)
    check("tmpfs: no temporary file left", ".tmp" not in out, out)
    check("tmpfs: the table in use is still valid", "csv form" in out and "warning" not in out,
          out)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        newer = newer_registry(tmp)
        full_by_rlimit(tmp, newer)
        full_tmpfs(tmp, newer)
        if need(shutil.which("strace"), "strace"):
            write_sequence(tmp, newer)
            kill_mid_update(tmp, newer)
    finish()


main()
