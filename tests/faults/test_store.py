#!/usr/bin/env python3
"""A read-only and a full vote store: pages keep being served, a vote gets a 503 with a clear
message, nothing crashes.

Usage: test_store.py PORTINFO
Needs root and mount namespaces (unshare -m): the store's directory is bind-mounted read-only,
or is a tiny tmpfs filled up, inside a private mount namespace that vanishes with the server.
Exits 77 where that is not possible.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, get, healthy, skip  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def can_unshare():
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mount"):
        return False
    p = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
                       capture_output=True, timeout=10)
    return p.returncode == 0


def in_namespace(script):
    """argv that runs `script` (sh) in a private mount namespace, then execs the server."""
    return ["unshare", "-m", "--propagation", "private", "sh", "-c",
            script + ' && exec "$0" serve "$@"', PORTINFO]


def pages_and_refusal(s, what):
    for path in ("/", "/ports/22", "/api/ports/443", "/search?q=ssh", "/pl/ports/80"):
        st, _, _ = get(s.port, path)
        check(f"{what}: {path} is served", st == 200, st)
    st, _, body = get(s.port, "/api/ports/22/feedback")
    check(f"{what}: the counts answer 200 or 503", st in (200, 503), st)
    st, h, body = get(s.port, "/ports/22/feedback", method="POST", body="vote=happy", headers=FORM)
    check(f"{what}: a vote from the form gets a 503 page", st == 503 and b"503" in body, st)
    st, h, body = get(s.port, "/ports/22/feedback", method="POST", body="vote=sad",
                      headers=dict(FORM, Accept="application/json"))
    text = body.decode("utf-8", "replace")
    check(f"{what}: a vote from the page's script gets 503", st == 503, st)
    check(f"{what}: the 503 says in words that the vote was not recorded",
          "vote" in text.lower() and ("read-only" in text or "unavailable" in text
                                      or "full" in text), text)
    check(f"{what}: the server is still up", s.alive() and healthy(s.port))


def main():
    if not can_unshare():
        skip("needs root and unshare -m with tmpfs mounts")
    with tempfile.TemporaryDirectory() as tmp:
        # Read-only: a store with votes in it, then its directory bind-mounted read-only.
        data = os.path.join(tmp, "ro")
        os.mkdir(data)
        # As root throughout, so that the store is closed cleanly (no -wal or -shm left).
        s = Server([PORTINFO, "serve"], data, "--no-access-log", "--user", "root")
        st, _, _ = get(s.port, "/ports/22/feedback", method="POST", body="vote=meh", headers=FORM)
        check("a vote is taken while the store is writable", st == 303, st)
        check("the first server stops cleanly", s.stop() == 0)
        s = Server(in_namespace(f"mount --bind '{data}' '{data}' && "
                                f"mount -o remount,bind,ro '{data}'"), data, "--no-access-log")
        check("read-only: the start-up says votes are refused",
              s.wait_line(r"is read-only: pages show its counts"), s.log())
        pages_and_refusal(s, "read-only")
        st, _, body = get(s.port, "/api/ports/22/feedback")
        check("read-only: the counts already there are shown",
              st == 200 and body.replace(b" ", b"") == b'{"sad":0,"meh":1,"happy":0}', body)
        check("read-only: stops cleanly", s.stop() == 0)

        # Full: a 1 MiB tmpfs, the store created, then the rest of the space taken.
        data = os.path.join(tmp, "full")
        os.mkdir(data)
        fill = (f"mount -t tmpfs -o size=1m,mode=0755 none '{data}' && "
                f"(dd if=/dev/zero of='{data}/filler' bs=4k 2>/dev/null || true)")
        s = Server(in_namespace(fill), data, "--no-access-log")
        check("full: the server starts", s.alive())
        pages_and_refusal(s, "full")
        check("full: stops cleanly", s.stop() == 0)
    finish()


main()
