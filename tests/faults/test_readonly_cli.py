#!/usr/bin/env python3
"""`portinfo who` and `portinfo audit` never write anything: run under strace, no file is opened
for writing, created, removed or renamed.

Usage: test_readonly_cli.py PORTINFO
Exits 77 without strace (or where ptrace is not allowed).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import check, finish, skip  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
CALLS = "openat,open,creat,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,truncate,link,linkat,symlink,symlinkat"
WRITING = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")


def main():
    strace = shutil.which("strace")
    if not strace:
        skip("no strace")
    with tempfile.TemporaryDirectory() as tmp:
        probe = subprocess.run([strace, "-o", os.devnull, "true"], capture_output=True)
        if probe.returncode != 0:
            skip("strace cannot trace here: " + probe.stderr.decode(errors="replace")[:200])
        for args in (["who"], ["who", "--json"], ["who", "-l", "22", "1776/tcp"],
                     ["who", "--all-netns"], ["audit", "--partial-ok"],
                     ["audit", "--json", "--partial-ok"],
                     ["audit", "--min-severity", "low", "--partial-ok"]):
            log = os.path.join(tmp, "trace")
            p = subprocess.run([strace, "-f", "-qq", "-e", "trace=" + CALLS, "-o", log,
                                PORTINFO, *args], capture_output=True, timeout=120,
                               env=dict(os.environ, NO_COLOR="1",
                                        # LeakSanitizer cannot work under ptrace
                                        ASAN_OPTIONS="detect_leaks=0"))
            name = "portinfo " + " ".join(args)
            check(f"{name}: ran (status {p.returncode})", p.returncode in (0, 1),
                  p.stderr[-300:])
            with open(log) as f:
                lines = f.read().splitlines()
            opens = [l for l in lines if re.search(r"\bopen(at)?\(", l)]
            writes = [l for l in lines if (re.search(r"\bopen(at)?\(", l) and WRITING.search(l))
                      or re.search(r"\b(creat|unlink|unlinkat|rename|renameat2?|mkdir|mkdirat|"
                                   r"truncate|link|linkat|symlink|symlinkat)\(", l)]
            check(f"{name}: opened files (the trace works)", len(opens) > 0, len(lines))
            check(f"{name}: nothing opened for writing, created, removed or renamed",
                  not writes, writes[:5])
    finish()


main()
