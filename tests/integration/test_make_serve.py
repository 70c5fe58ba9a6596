#!/usr/bin/env python3
"""test_make_serve: `kill PID` of `make serve` stops the server it started.

Runs the Makefile's serve recipe (`make -o all serve`: the build is the test's own, so nothing is
rebuilt or installed) on a free loopback port with a temporary data directory, waits until the
server answers, sends SIGTERM to make's PID alone, and checks that the port is closed again and
that no process make started is left running.  Whatever is left is killed at the end.
Usage: test_make_serve.py SOURCE_ROOT BUILD_DIR
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRC, BUILD = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def descendants(pid):
    """Every process below @pid, read from /proc/PID/task/*/children."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    make = shutil.which("make")
    if not make:
        print("make is not installed (tools/deps/build/core.txt)")
        return 1
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="portinfo-make-serve-")
    os.chmod(tmp, 0o755)
    log = open(os.path.join(tmp, "log"), "w+")
    p = subprocess.Popen([make, "-s", "-C", SRC, "-o", "all", "serve", f"BUILD={BUILD}",
                          f"SERVE_LISTEN=127.0.0.1:{port}", f"SERVE_DATA={tmp}/data"],
                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    kids = []
    try:
        deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
        while not answers(port) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        kids = descendants(p.pid)
        check(answers(port), f"make serve never answered on port {port}")
        os.kill(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            check(False, "make did not exit after SIGTERM")
        deadline = time.monotonic() + 20
        while (answers(port) or any(alive(k) for k in kids)) and time.monotonic() < deadline:
            time.sleep(0.1)
        check(not answers(port), f"port {port} still answers after make was stopped")
        left = [k for k in kids if alive(k)]
        check(not left, f"processes make started are still running: {left}")
    finally:
        for k in kids:
            if alive(k):
                os.kill(k, signal.SIGKILL)
        if p.poll() is None:
            p.kill()
            p.wait()
        log.seek(0)
        text = log.read()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(text[-2000:])
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
