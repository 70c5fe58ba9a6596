"""Shared by the Python tests that drive `portinfo serve` (serve, pg, metrics): the server on a
free loopback port, its HTTP answers with every header counted, and its stop.  Python standard
library only; every wait is bounded."""
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import traceback


class Headers(dict):
    """An answer's headers by lower-cased name, with how many times each name came."""

    def __init__(self, pairs):
        super().__init__()
        self.counts = {}
        for k, v in pairs:
            k = k.strip().lower()
            self[k] = v.strip()
            self.counts[k] = self.counts.get(k, 0) + 1


class Serve:
    """A running `PORTINFO serve --listen LISTEN --data-dir DATA_DIR EXTRA...`: its port and the
    lines it wrote to stderr.  @env adds to the environment; @wait bounds the start in seconds."""

    def __init__(self, portinfo, data_dir, *extra, listen="127.0.0.1:0", env=None, wait=20):
        self.lines = []
        self.proc = subprocess.Popen(
            [portinfo, "serve", "--listen", listen, "--data-dir", data_dir, *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, errors="replace", env=dict(os.environ, **(env or {})))
        self.ready = threading.Event()
        self.port = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if not self.ready.wait(wait) or self.port is None:
            self.kill()
            raise AssertionError("server did not start: %r" % self.lines)

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"listening on http://(?:\[[^\]]*\]|[0-9.]+):(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                self.ready.set()
        self.ready.set()

    def request(self, method, path, body=None, headers=None, timeout=10):
        """Returns (status, Headers, body) of one request on a connection of its own."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, Headers(r.getheaders()), data
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signals the server (SIGTERM: a graceful stop) and returns its exit status."""
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout)
        self.reader.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def run_each(tests, server, tmp):
    """Runs every fn(server, tmp) of @tests against one shared server, printing "ok - NAME" or
    "not ok - NAME" with the traceback and the server's last log lines.  Returns (passed,
    failed)."""
    passed = failed = 0
    for fn in tests:
        try:
            fn(server, tmp)
            passed += 1
            print("ok - %s" % fn.__name__)
        except Exception:
            failed += 1
            print("not ok - %s" % fn.__name__)
            traceback.print_exc(file=sys.stdout)
            print("  server log (last lines):")
            for line in server.lines[-15:]:
                print("    " + line)
    return passed, failed
