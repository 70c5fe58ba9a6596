#!/usr/bin/env python3
"""A vote is on disk before it is answered: under strace, every 303 of a vote follows an
fsync/fdatasync of the SQLite store's write-ahead log made after the previous answer.

Usage: test_votes_sync.py PORTINFO
With synchronous=NORMAL or OFF a commit in WAL mode is not synced, and a power cut after the
303 would lose the vote; this is the check that notices.  strace is required under CI
(CI=true); elsewhere the test is skipped without it.
"""
import os
import re
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, get, skip  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
VOTES = 6


def main():
    if not shutil.which("strace"):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            check("strace is available (required under CI)", False)
            finish()
        skip("no strace")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        data = os.path.join(tmp, "data")
        os.mkdir(data, 0o755)
        log = os.path.join(tmp, "strace.log")
        s = Server(["strace", "-f", "-qq", "-y", "-s", "24", "-o", log, "-e",
                    "trace=fsync,fdatasync,write,writev,sendmsg,sendto", PORTINFO, "serve"],
                   data, "--threads", "1", "--no-access-log",
                   # LeakSanitizer cannot work under ptrace (a sanitizer build's untraced
                   # runs check leaks)
                   env=dict(os.environ,
                            ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"))
        codes = []
        for i in range(VOTES):
            st, _, _ = get(s.port, f"/ports/{1000 + i}/feedback", method="POST",
                           body="vote=happy", headers=FORM)
            codes.append(st)
        check("every vote answered 303", codes == [303] * VOTES, codes)
        # SIGTERM to the server itself (strace's child); strace exits with its status.
        with open(f"/proc/{s.proc.pid}/task/{s.proc.pid}/children") as f:
            child = int(f.read().split()[0])
        os.kill(child, signal.SIGTERM)
        check("the server stops cleanly", s.proc.wait(20) == 0)
        with open(log) as f:
            lines = f.read().splitlines()
        synced = False
        in_order = 0
        answers = 0
        for l in lines:
            if re.search(r"\b(fsync|fdatasync)\(\d+<[^>]*feedback\.sqlite-wal>\)\s+= 0", l):
                synced = True
            elif re.search(r'(writev|write|sendmsg|sendto)\(\d+<(TCP|socket)[^>]*>, .*'
                           r'"HTTP/1\.1 303', l):
                answers += 1
                in_order += synced
                synced = False
        check("the trace shows each 303", answers == VOTES, answers)
        check("each 303 follows a sync of the write-ahead log made after the answer before",
              in_order == VOTES, f"{in_order} of {answers}")
    finish()


main()
