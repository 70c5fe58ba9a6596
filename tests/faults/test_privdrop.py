#!/usr/bin/env python3
"""Least privilege: `portinfo serve` started as root binds, opens its store, then runs as an
unprivileged user (Landlock too where the kernel has it) and still answers and takes votes.

Usage: test_privdrop.py PORTINFO
Exits 77 when not run as root or when there is no 'nobody' user.
"""
import os
import pwd
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, get, healthy, skip  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def status_of(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()
    return out


def main():
    if os.geteuid() != 0:
        skip("needs root")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        skip("no user 'nobody'")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # the data directory must be reachable by the user served as
        data = os.path.join(tmp, "data")
        # Supplementary groups to leave (adm, src): without them, a switch that forgot
        # setgroups() would look the same as one that did not.
        if not shutil.which("setpriv"):
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                check("setpriv is available (required under CI)", False)
                finish()
            skip("no setpriv to start the server with supplementary groups")
        s = Server(["setpriv", "--groups", "4,24", "--", PORTINFO, "serve"], data,
                   "--threads", "2")
        st = status_of(s.proc.pid)
        check("serve as root ends up with a non-zero uid (real, effective, saved, fs)",
              all(int(u) == nobody.pw_uid for u in st["Uid"]), st["Uid"])
        check("and gid", all(int(g) == nobody.pw_gid for g in st["Gid"]), st["Gid"])
        check("and no supplementary groups (started with 4 and 24)", st.get("Groups", []) == [],
              st.get("Groups"))
        check("the start-up names the user", s.wait_line(r"running as user nobody"), s.log())
        landlock = any("Landlock (ABI" in l for l in s.lines)
        check("Landlock is applied or its absence said",
              landlock or any("no Landlock" in l for l in s.lines), s.log())
        check("Landlock is applied (CI=true: a kernel without it fails)",
              landlock or os.environ.get("CI") != "true", s.log())
        if landlock:
            check("Landlock implies no_new_privs", st["NoNewPrivs"] == ["1"], st["NoNewPrivs"])
        check("it still answers", healthy(s.port))
        code, _, body = get(s.port, "/pl/ports/22")
        check("Polish pages still find their catalogue",
              code == 200 and "przeznaczenie".encode() in body, code)
        code, _, _ = get(s.port, "/ports/22/feedback", method="POST", body="vote=happy",
                         headers=FORM)
        check("a vote is taken after the switch", code == 303, code)
        subprocess.run([PORTINFO, "update", "--force", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "iana",
            "service-names-port-numbers.csv")], env=dict(os.environ, PORTINFO_DATA_DIR=data),
            capture_output=True, timeout=120)
        s.proc.send_signal(signal.SIGHUP)
        check("SIGHUP still reloads the data directory",
              s.wait_line(r"SIGHUP: now serving the imported registry"), s.log())
        check("stops cleanly", s.stop() == 0)
        check("the store, in root's folder, was opened as root before the switch",
              os.stat(os.path.join(data, "feedback.sqlite")).st_uid == 0)
        con = sqlite3.connect(os.path.join(data, "feedback.sqlite"))
        n = con.execute("SELECT count(*) FROM votes WHERE port = 22 AND value = 2").fetchone()[0]
        con.close()
        check("the vote is in the store", n == 1, n)

        # --user root is taken only when asked for.
        s = Server([PORTINFO, "serve"], data, "--user", "root")
        st = status_of(s.proc.pid)
        check("--user root keeps root", st["Uid"][1] == "0", st["Uid"])
        check("--user root answers", healthy(s.port))
        s.stop()

        p = subprocess.run([PORTINFO, "serve", "--listen", "127.0.0.1:0", "--data-dir", data,
                            "--user", "no-such-user-here"], capture_output=True, text=True,
                           timeout=20)
        check("an unknown --user is refused with status 2", p.returncode == 2, p.returncode)
        check("with one line saying why", "no such user" in p.stderr, p.stderr)
    finish()


main()
