"""Shared by the fault tests: a `portinfo serve` on a free loopback port, raw HTTP, and TAP-ish
checks.  Python standard library only.  Every wait is bounded; every child is killed at exit."""
import atexit
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

SKIP = 77
_children = []
failures = 0
passed = 0


def check(name, cond, detail=""):
    global failures, passed
    if cond:
        passed += 1
        print(f"ok - {name}", flush=True)
    else:
        failures += 1
        print(f"not ok - {name} {detail}", flush=True)
    return cond


def finish():
    print(f"{passed} passed, {failures} failed", flush=True)
    sys.exit(1 if failures else 0)


def skip(why):
    """Cannot run here (a tool, privilege or kernel feature is missing): skipped, or under CI
    (CI=true) a failure, since CI must run every check."""
    if os.environ.get("CI") == "true":
        print(f"FAIL: cannot run under CI: {why}", flush=True)
        sys.exit(1)
    print(f"skip: {why}", flush=True)
    sys.exit(SKIP)


@atexit.register
def _reap():
    for p in _children:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass


class Server:
    """A running server: `argv` is the command before the serve options (the helper, or a
    wrapper such as unshare).  Its port comes from the 'listening on' line."""

    def __init__(self, argv, data_dir, *extra, env=None, listen="127.0.0.1:0", port=None):
        if port is not None:
            listen = f"127.0.0.1:{port}"
        self.lines = []
        self.ready = threading.Event()
        self.port = None
        self.proc = subprocess.Popen(
            [*argv, "--listen", listen, "--data-dir", data_dir, *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, errors="replace", env=env)
        _children.append(self.proc)
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(15) or self.port is None:
            self.proc.kill()
            raise AssertionError("server did not start: %r" % self.lines[-5:])

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"listening on http://[^/]*:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                self.ready.set()
        self.ready.set()

    def log(self):
        return "\n".join(self.lines)

    def wait_line(self, pattern, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(re.search(pattern, l) for l in self.lines):
                return True
            time.sleep(0.05)
        return False

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def raw(port, data, timeout=5.0, read_all=True):
    """Sends @data over a fresh connection and returns (status or None, bytes received)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    got = b""
    try:
        s.sendall(data)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
            if not read_all and b"\r\n\r\n" in got:
                break
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", got)
    return (int(m.group(1)) if m else None), got


def get(port, path, headers=None, timeout=5.0, method="GET", body=None):
    """One request with http.client; returns (status, headers dict lower-cased, body bytes)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def healthy(port):
    try:
        st, _, body = get(port, "/healthz", timeout=5)
        return st == 200
    except OSError:
        return False
