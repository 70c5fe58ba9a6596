#!/usr/bin/env python3
"""SIGHUP: a running server takes up the table `portinfo update` installed, without dropping
a request.

Usage: test_reload.py PORTINFO CSV
Clients keep asking for pages, API answers and searches over kept-alive and fresh connections
while the data directory changes and SIGHUP arrives; every answer must be a 200, and the pages
must then name the new registry's date.  A damaged table on SIGHUP leaves the one in use.
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, get  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
CSV = os.path.abspath(sys.argv[2])
PATHS = ["/", "/ports/1776", "/api/ports/1776", "/pl/ports/22", "/api/search?q=ssh",
         "/search?q=http", "/ports", "/healthz"]


def registry_date(port):
    st, _, body = get(port, "/")
    m = re.search(rb'Registry of <time datetime="(\d{4}-\d\d-\d\d)"', body)
    return m.group(1).decode() if st == 200 and m else None


class Clients:
    """@n threads requesting in a loop until stopped; counts answers and failures."""

    def __init__(self, port, n=4):
        self.port, self.stop_ev = port, threading.Event()
        self.ok = 0
        self.bad = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(n)]
        for t in self.threads:
            t.start()

    def run(self, i):
        conn = None
        k = i
        while not self.stop_ev.is_set():
            path = PATHS[k % len(PATHS)]
            k += 1
            try:
                if conn is None or k % 5 == 0:  # some fresh connections, mostly kept alive
                    if conn:
                        conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                with self.lock:
                    if r.status == 200:
                        self.ok += 1
                    else:
                        self.bad.append((path, r.status))
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                with self.lock:
                    self.bad.append((path, repr(e)))
                conn = None
        if conn:
            conn.close()

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            t.join(30)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # started as root, the server reads it as nobody
        data = os.path.join(tmp, "data")
        os.mkdir(data)
        env = dict(os.environ, PORTINFO_DATA_DIR=data, NO_COLOR="1")
        s = Server([PORTINFO, "serve"], data, "--feedback", "off", "--threads", "2",
                   "--no-access-log", env=env)
        before = registry_date(s.port)
        check("the embedded registry is served first", before and before != "2026-02-25", before)

        clients = Clients(s.port)
        time.sleep(0.5)
        p = subprocess.run([PORTINFO, "update", "--force", CSV], env=env, capture_output=True, text=True,
                           timeout=120)
        check("portinfo update installs the CSV", p.returncode == 0, p.stderr)
        for _ in range(3):  # repeated reloads while requests are in flight
            s.proc.send_signal(signal.SIGHUP)
            time.sleep(0.3)
        check("the server says what it reloaded",
              s.wait_line(r"SIGHUP: now serving the imported registry of 2026-02-25"), s.log())
        time.sleep(0.5)
        clients.stop()
        check("requests were answered during the reloads", clients.ok > 50, clients.ok)
        check("no request failed across SIGHUP", not clients.bad, clients.bad[:5])
        check("pages now name the new registry", registry_date(s.port) == "2026-02-25",
              registry_date(s.port))
        st, _, body = get(s.port, "/api/ports/1776")
        check("the API answers from the new table", st == 200 and b'"femis"' in body)

        # A damaged table: SIGHUP keeps the one in use and says why.
        with open(os.path.join(data, "portdb.bin"), "r+b") as f:
            f.seek(100)
            f.write(b"\xff" * 64)
        s.proc.send_signal(signal.SIGHUP)
        check("a damaged table is refused on SIGHUP",
              s.wait_line(r"SIGHUP: cannot use the table .*unchanged"), s.log())
        check("the table in use stays", registry_date(s.port) == "2026-02-25")

        # No table at all: back to the embedded data.
        os.unlink(os.path.join(data, "portdb.bin"))
        s.proc.send_signal(signal.SIGHUP)
        check("without a table SIGHUP goes back to the embedded data",
              s.wait_line(r"SIGHUP: now serving the embedded registry"), s.log())
        check("pages name the embedded registry again", registry_date(s.port) == before)
        check("the server stops cleanly", s.stop() == 0)
    finish()


main()
