#!/usr/bin/env python3
"""portinfo update --fetch: a download installs a newer registry, a second one is conditional and
gets a 304, and every broken answer leaves the data directory exactly as it was, with exit 2.

Usage: test_fetch.py PORTINFO DATA_DIR_OF_SOURCE_TREE
A local HTTP server on 127.0.0.1 (http.server, in this file) serves fixture registries made from
the vendored XML: a newer one (a later date, one changed record), one cut short, a huge one
streamed past the cap, a slow one and one that trickles, 404, 500, malformed XML, a redirect to plain http.
"""
import hashlib
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

PORTINFO = os.path.abspath(sys.argv[1])
XML = os.path.join(sys.argv[2], "iana", "service-names-port-numbers.xml")
failures = 0
passed = 0

with open(XML, "rb") as f:
    VENDORED = f.read()
# The newer registry: dated after the compiled-in one, with 1776/tcp's description changed.
OLD_DESC = b"<description>Federal Emergency Management Information System</description>"
NEW_DESC = b"<description>Federal Emergency Management Information System, fetched</description>"
assert VENDORED.index(b"<updated>2026-08-17</updated>") < VENDORED.index(b"<record")
assert OLD_DESC in VENDORED
NEWER = VENDORED.replace(b"<updated>2026-08-17</updated>", b"<updated>2026-11-30</updated>", 1)
NEWER = NEWER.replace(OLD_DESC, NEW_DESC, 1)
# A later date, but every entry as in the compiled-in table: nothing to install.
SAME_ENTRIES = VENDORED.replace(b"<updated>2026-08-17</updated>", b"<updated>2026-08-18</updated>",
                                1)
ETAG = '"registry-2026-11-30"'
LAST_MODIFIED = "Mon, 30 Nov 2026 12:00:00 GMT"
# Streamed past the default cap (64 MiB) and then closed; never held in memory here.
HUGE_BYTES = 72 << 20

requests = []  # (path, headers) of every request, for the checks on what portinfo sent


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, ctype="application/xml", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        requests.append((self.path, dict(self.headers)))
        route = getattr(self, "route_" + self.path.strip("/").split(".")[0].replace("-", "_"),
                        None)
        if route is None:
            self.send_body(404, b"not found\n", "text/plain")
        else:
            route()

    def route_registry(self):
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_body(200, NEWER, extra=[("ETag", ETAG), ("Last-Modified", LAST_MODIFIED)])

    def route_same_entries(self):
        if self.headers.get("If-None-Match") == '"same"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_body(200, SAME_ENTRIES, extra=[("ETag", '"same"')])

    def route_truncated(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(NEWER)))
        self.end_headers()
        self.wfile.write(NEWER[: len(NEWER) // 2])
        self.wfile.flush()
        self.close_connection = True

    def route_huge(self):
        # No Content-Length: only the running count can stop it.
        self.protocol_version = "HTTP/1.0"
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = NEWER[:1 << 20]
        try:
            for _ in range(HUGE_BYTES // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def route_huge_declared(self):
        self.send_response(200)
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        try:
            self.wfile.write(NEWER[:1 << 20])
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def route_slow(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(NEWER)))
        self.end_headers()
        try:
            for i in range(30):
                self.wfile.write(NEWER[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def route_trickle(self):
        # Never stalls (2 KB/s), so only the whole-transfer timeout can stop it.
        self.send_response(200)
        self.send_header("Content-Length", str(len(NEWER)))
        self.end_headers()
        try:
            for i in range(120):
                self.wfile.write(NEWER[i * 512:(i + 1) * 512])
                self.wfile.flush()
                time.sleep(0.25)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def route_e500(self):
        self.send_body(500, b"internal error\n", "text/plain")

    def route_malformed(self):
        self.send_body(200, NEWER.replace(b"</record>", b"</recrod>", 1))

    def route_redirect_http(self):
        self.send_response(302)
        self.send_header("Location", f"http://127.0.0.1:{PORT}/registry.xml")
        self.send_header("Content-Length", "0")
        self.end_headers()


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
PORT = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{PORT}"


def check(name, cond, detail=""):
    global failures, passed
    if cond:
        passed += 1
        print(f"ok - {name}", flush=True)
    else:
        failures += 1
        print(f"not ok - {name} {detail}", flush=True)
    return cond


def run(*args, data, timeout=120):
    env = dict(os.environ, NO_COLOR="1", PORTINFO_DATA_DIR=data, PORTINFO_NO_AGE_WARNING="1")
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(k, None)
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def snapshot(d):
    """Every file's bytes, inode and mtime: 'nothing changed' means all of them."""
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        st = os.lstat(p)
        with open(p, "rb") as f:
            out[n] = (hashlib.sha256(f.read()).hexdigest(), st.st_ino, st.st_mtime_ns)
    return out


def refused(name, url, d, words, *extra):
    """A fetch that must fail: exit 2, one line on stderr naming the trouble, nothing on stdout
    but the download line, the data directory (table and fetch state) untouched."""
    before = snapshot(d)
    rc, out, err = run("update", "--fetch", *extra, url, data=d)
    lines = [line for line in err.splitlines() if line.strip()]
    check(f"{name}: exit 2", rc == 2, f"rc={rc} out={out[-300:]!r} err={err!r}")
    check(f"{name}: one line on stderr, 'portinfo update: ...; nothing changed'",
          len(lines) == 1 and lines[0].startswith("portinfo update: ")
          and lines[0].endswith("nothing changed"), repr(err))
    check(f"{name}: the message says why ({words})",
          bool(re.search(words, err, re.I)), repr(err))
    check(f"{name}: data directory untouched", snapshot(d) == before)
    check(f"{name}: no temporary file left", not [n for n in os.listdir(d) if n.endswith(".tmp")])
    return err


with tempfile.TemporaryDirectory() as tmp:
    d = os.path.join(tmp, "data")

    # A first fetch: the newer registry is installed, and answers.
    rc, out, err = run("update", "--fetch", f"{BASE}/registry.xml", data=d)
    check("a newer registry: exit 0", rc == 0, f"rc={rc} err={err!r}")
    check("it reports the download and the change",
          "Downloaded" in out and "2026-08-17" in out and "2026-11-30" in out
          and "1776/tcp" in out, out[-800:])
    check("the first request is not conditional",
          requests and "If-None-Match" not in requests[-1][1]
          and "If-Modified-Since" not in requests[-1][1], requests[-1:])
    check("the user agent names portinfo and its version",
          re.fullmatch(r"portinfo/\d+\.\d+\.\d+.*", requests[-1][1].get("User-Agent", "")),
          requests[-1][1].get("User-Agent"))
    rc, out, err = run("1776", data=d)
    check("portinfo 1776 answers from the fetched registry", rc == 0 and "fetched" in out, out)
    rc, out, err = run("--version", data=d)
    check("--version names the fetched registry's date", "registry of 2026-11-30" in out, out)
    state_path = os.path.join(d, "registry.fetch")
    state = open(state_path).read() if os.path.exists(state_path) else ""
    check("the fetch state keeps the ETag and Last-Modified",
          f"etag {ETAG}\n" in state and f"last-modified {LAST_MODIFIED}\n" in state, state)

    # The second fetch is conditional and gets a 304: nothing changes, exit 0.
    before = snapshot(d)
    rc, out, err = run("update", "--fetch", f"{BASE}/registry.xml", data=d)
    check("304: exit 0", rc == 0, f"rc={rc} err={err!r}")
    check("304: the request carried If-None-Match and If-Modified-Since",
          requests[-1][1].get("If-None-Match") == ETAG
          and requests[-1][1].get("If-Modified-Since") == LAST_MODIFIED, requests[-1][1])
    check("304: it says the registry is unchanged",
          re.search(r"registry unchanged since " + re.escape(LAST_MODIFIED), out, re.I)
          and err == "", out + err)
    check("304: table and fetch state untouched (bytes, inode, mtime)", snapshot(d) == before)

    # Every broken answer: exit 2, and the table and the fetch state stay as they are.
    refused("a body cut short (Content-Length larger than sent)", f"{BASE}/truncated.xml", d,
            r"cut short")
    refused("a huge body streamed past the cap", f"{BASE}/huge.xml", d, r"larger than")
    refused("a body declared larger than --max-size", f"{BASE}/huge-declared.xml", d,
            r"larger than 1048576 bytes", "--max-size", "1M")
    refused("a body that arrives a byte a second, past --timeout 2", f"{BASE}/slow.xml", d,
            r"timed out", "--timeout", "2")
    refused("a body that trickles without stalling, past --timeout 2", f"{BASE}/trickle.xml",
            d, r"timed out", "--timeout", "2")
    refused("a 404", f"{BASE}/nothing-here.xml", d, r"HTTP 404")
    refused("a 500", f"{BASE}/e500.xml", d, r"HTTP 500")
    refused("malformed XML", f"{BASE}/malformed.xml", d, r"registry|xml|record|tag")
    refused("a redirect to plain http", f"{BASE}/redirect-http.xml", d, r"redirect.*https")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    refused("nothing listening (connection refused)", f"http://127.0.0.1:{closed}/r.xml", d,
            r"cannot reach")
    n = len(requests)
    refused("plain http to another host", "http://192.0.2.1/registry.xml", d,
            r"plain http is refused.*https")
    refused("a scheme that is not http", "ftp://127.0.0.1/registry.xml", d, r"not an http")
    check("a refused URL is never requested", len(requests) == n)

    # A URL of its own: the state of another URL is not sent to it.
    rc, out, err = run("update", "--fetch", "--dry-run", f"{BASE}/registry.xml?other", data=d)
    check("another URL: an unconditional request", "If-None-Match" not in requests[-1][1]
          and "If-Modified-Since" not in requests[-1][1], requests[-1][1])
    check("a dry run of an unchanged registry exits 0", rc == 0 and "Nothing changed" in out,
          f"rc={rc} {out[-300:]} {err}")

    # After a rollback the validators no longer describe the table in use: a full download.
    rc, out, err = run("update", "--rollback", data=d)
    rc, out, err = run("update", "--fetch", f"{BASE}/registry.xml", data=d)
    check("after --rollback: an unconditional request that installs again",
          rc == 0 and "If-None-Match" not in requests[-1][1] and "Installed" in out,
          f"rc={rc} {err} {requests[-1][1]}")

    # A registry whose entries are those in use: nothing installed, exit 0, and the next
    # request is conditional all the same (the state names the table in use, not the download).
    same = os.path.join(tmp, "same")
    rc, out, err = run("update", "--fetch", f"{BASE}/same-entries.xml", data=same)
    check("same entries, newer date: exit 0, nothing installed",
          rc == 0 and "Nothing changed" in out
          and not os.path.exists(os.path.join(same, "portdb.bin")), f"rc={rc} {out[-200:]} {err}")
    rc, out, err = run("update", "--fetch", f"{BASE}/same-entries.xml", data=same)
    check("and the next request is conditional, and gets its 304",
          rc == 0 and requests[-1][1].get("If-None-Match") == '"same"'
          and "unchanged" in out, f"rc={rc} {out} {err} {requests[-1][1]}")

    # A data directory that does not exist yet is not created by a failed fetch.
    fresh = os.path.join(tmp, "fresh")
    rc, out, err = run("update", "--fetch", f"{BASE}/e500.xml", data=fresh)
    check("a failed first fetch creates nothing", rc == 2 and not os.path.exists(fresh), err)

    # Usage.
    for args, words in [(["--timeout", "0"], "--timeout"), (["--timeout", "x"], "--timeout"),
                        (["--max-size", "65M"], "--max-size"), (["--rollback"], "exclude")]:
        rc, out, err = run("update", "--fetch", *args, f"{BASE}/registry.xml", data=d)
        check(f"update --fetch {' '.join(args)}: exit 2 with one line",
              rc == 2 and out == "" and len(err.splitlines()) == 1 and words in err, err)
    rc, out, err = run("update", "--help", data=d)
    check("update --help names --fetch, --timeout, --max-size",
          all(w in out for w in ("--fetch", "--timeout", "--max-size")), out)
    check("update --help fits 80 columns", max(len(line) for line in out.splitlines()) <= 80)

server.shutdown()
print(f"{passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
