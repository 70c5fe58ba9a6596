#!/usr/bin/env python3
"""The vote store is never opened through a link someone planted, nor in a folder others may
write: `portinfo serve`, as root or not, refuses with one line and creates nothing outside the
data directory.

Usage: test_store_links.py PORTINFO
Needs root (to own folders as other users and to run the server as them with setpriv); exits
77 without it, and fails instead under CI (CI=true).
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, get, skip  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
NAMES = ("feedback.sqlite", "feedback.sqlite-wal", "feedback.sqlite-shm",
         "feedback.sqlite-journal")


def as_user(name):
    """argv prefix that runs a command as @name, with no supplementary groups."""
    return ["setpriv", f"--reuid={name}", f"--regid={pwd.getpwnam(name).pw_gid}",
            "--clear-groups", "--"]


# The programs as other users run them: the build's own, or copies where they cannot reach the
# build (a tree under /root), made by other_users_copy().
OTHER = {"prog": PORTINFO, "extra": ()}


def other_users_copy(tmp):
    """Where nobody cannot reach the build, copies portinfo, portinfo-serve and the static
    folder into @tmp (all may read it) for the cases that run as other users."""
    probe = subprocess.run([*as_user("nobody"), "test", "-x", PORTINFO], capture_output=True)
    if probe.returncode == 0:
        return
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir, 0o755)
    for name in ("portinfo", "portinfo-serve"):
        shutil.copy2(os.path.join(os.path.dirname(PORTINFO), name), bindir)
    web = os.path.join(tmp, "web")
    shutil.copytree(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web"),
                    web)
    for root, dirs, files in os.walk(tmp):
        for n in dirs:
            os.chmod(os.path.join(root, n), 0o755)
        for n in files:
            os.chmod(os.path.join(root, n), os.stat(os.path.join(root, n)).st_mode | 0o444)
    OTHER["prog"] = os.path.join(bindir, "portinfo")
    OTHER["extra"] = ("--static-dir", web)


def refused(label, prefix, data, words, outside, extra=()):
    """Starts serve on @data; it must exit 2 with one line holding @words, and leave @outside
    (a folder where the planted links point) exactly as it was."""
    before = sorted(os.listdir(outside))
    inside = sorted(os.listdir(data))
    prog, extra = (OTHER["prog"], (*OTHER["extra"], *extra)) if prefix else (PORTINFO, extra)
    try:
        p = subprocess.run([*prefix, prog, "serve", "--listen", "127.0.0.1:0",
                            "--data-dir", data, *extra], capture_output=True, text=True,
                           timeout=10)
    except subprocess.TimeoutExpired as e:  # it started serving: killed by now
        p = subprocess.CompletedProcess(e.cmd, None, "", (e.stderr or b"").decode())
    lines = p.stderr.strip().splitlines()
    check(f"{label}: refused (exit 2)", p.returncode == 2, f"rc={p.returncode} {p.stderr}")
    check(f"{label}: one line saying why", len(lines) == 1 and all(w in p.stderr for w in words),
          p.stderr)
    check(f"{label}: nothing created outside the data directory",
          sorted(os.listdir(outside)) == before, os.listdir(outside))
    check(f"{label}: nothing created inside it", sorted(os.listdir(data)) == inside,
          os.listdir(data))


def folder(tmp, name, mode, owner="root"):
    d = os.path.join(tmp, name)
    os.mkdir(d)
    os.chown(d, pwd.getpwnam(owner).pw_uid, -1)
    os.chmod(d, mode)
    return d


def links(tmp, outside):
    # A folder of the user the server runs as, holding a link planted by that user.
    for name in NAMES:
        d = folder(tmp, "link-" + name, 0o755, "nobody")
        target = os.path.join(outside, "T-" + name)
        os.symlink(target, os.path.join(d, name))
        os.lchown(os.path.join(d, name), pwd.getpwnam("nobody").pw_uid, -1)
        refused(f"root, {name} -> outside", [], d, [name, "symbolic link"], outside)
        refused(f"as nobody, {name} -> outside", as_user("nobody"), d,
                [name, "symbolic link"], outside)
        refused(f"as daemon, {name} -> outside", as_user("daemon"), d,
                [name, "symbolic link"], outside)
    # A hard link to a file elsewhere.
    d = folder(tmp, "hardlink", 0o755, "nobody")
    victim = os.path.join(outside, "victim")
    with open(victim, "w") as f:
        f.write("not a vote store\n")
    os.link(victim, os.path.join(d, "feedback.sqlite"))
    refused("root, feedback.sqlite a hard link", [], d, ["hard link"], outside)
    with open(victim) as f:
        check("the hard link's file is untouched", f.read() == "not a vote store\n")


def folders(tmp, outside):
    refused("root, a world-writable folder", [], folder(tmp, "ww", 0o777), ["writable by others",
                                                                          "0777"], outside)
    refused("daemon, a world-writable folder", as_user("daemon"), folder(tmp, "ww2", 0o777),
            ["writable by others"], outside)
    refused("root, a group-writable folder", [], folder(tmp, "gw", 0o775),
            ["writable by others"], outside)
    refused("root, a sticky folder of another user", [], folder(tmp, "st", 0o1777, "nobody"),
            ["writable by others"], outside)
    refused("root, a folder of a third user", [], folder(tmp, "third", 0o755, "daemon"),
            ["belongs to uid", "neither root nor nobody"], outside)
    refused("--user root, a folder of nobody's", [], folder(tmp, "root-in-nobodys", 0o755,
                                                            "nobody"),
            ["belongs to uid", "refusing to open it as root"], outside, ("--user", "root"))
    # Sticky and ours is taken.
    d = folder(tmp, "sticky-ours", 0o1777)
    s = Server([PORTINFO, "serve"], d, "--no-access-log")
    check("root, a sticky folder of root's: serves", s.alive())
    s.stop()
    # update refuses to write in a world-writable folder too.
    d = folder(tmp, "ww-update", 0o777)
    csv = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "iana",
                       "service-names-port-numbers.csv")
    p = subprocess.run([PORTINFO, "update", "--force", "--data-dir", d, csv],
                       capture_output=True, text=True, timeout=60)
    check("update: a world-writable data directory is refused",
          p.returncode == 2 and "writable by others" in p.stderr and not os.listdir(d), p.stderr)


def opened_after_switch(tmp):
    """A store in the folder of the user served as is made by that user, after the switch."""
    d = folder(tmp, "nobodys", 0o755, "nobody")
    s = Server([PORTINFO, "serve"], d, "--no-access-log")
    st, _, _ = get(s.port, "/ports/22/feedback", method="POST", body="vote=happy", headers=FORM)
    check("nobody's folder: a vote is taken", st == 303, st)
    check("nobody's folder: stops cleanly", s.stop() == 0)
    path = os.path.join(d, "feedback.sqlite")
    check("nobody's folder: the store was created by nobody, after the switch",
          os.path.exists(path) and os.stat(path).st_uid == pwd.getpwnam("nobody").pw_uid)


def main():
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    missing = [w for w, ok in (("root", os.geteuid() == 0), ("setpriv", shutil.which("setpriv")))
               if not ok]
    try:
        pwd.getpwnam("nobody"), pwd.getpwnam("daemon")
    except KeyError:
        missing.append("users nobody and daemon")
    if missing:
        if ci:
            check(f"{', '.join(missing)} available (required under CI)", False)
            finish()
        skip("needs " + ", ".join(missing))
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        other_users_copy(tmp)
        outside = folder(tmp, "outside", 0o1777)
        links(tmp, outside)
        folders(tmp, outside)
        opened_after_switch(tmp)
    finish()


main()
