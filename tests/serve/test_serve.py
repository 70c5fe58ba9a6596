#!/usr/bin/env python3
"""The website's server, driven from outside: `portinfo serve` on a free loopback port.

Usage: test_serve.py PORTINFO PORTINFO_SERVE
Checks every route and status, the security headers, the API against the CLI's JSON, the vote
round trip (cookie, revote, restart), every refusal, the caps, the connection limit and the
graceful stop.  Python standard library only.  Prints 'N passed, M failed'; exits 1 on failure.
"""
import html.parser
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
TESTS = []
CSP_PARTS = [
    "default-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
]


def test(fn):
    TESTS.append(fn)
    return fn


Headers = servelib.Headers


class Server(servelib.Serve):
    """A running `portinfo serve`, its port and its stderr lines."""

    def __init__(self, data_dir, *extra, listen="127.0.0.1:0"):
        super().__init__(PORTINFO, data_dir, *extra, listen=listen, wait=10)


class PageParser(html.parser.HTMLParser):
    """Collects the title, <html lang> and the open/close balance of the page's elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.title = ""
        self.lang = None
        self.in_title = False
        self.stack = []
        self.errors = []

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "title":
            self.in_title = True
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self.VOID:
            return
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        else:
            self.errors.append("stray </%s>" % tag)

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def parse_page(body):
    p = PageParser()
    p.feed(body.decode("utf-8"))
    p.close()
    return p


def check_security_headers(h, what):
    csp = h.get("content-security-policy", "")
    for part in CSP_PARTS:
        assert part in csp, "%s: CSP lacks %r: %r" % (what, part, csp)
    assert h.get("x-content-type-options") == "nosniff", what
    assert h.get("x-frame-options") == "DENY", what
    assert h.get("referrer-policy"), what
    assert h.get("cache-control"), what
    # Each exactly once: the server writes them as one block beside evhttp's own lines.
    for name in ("content-security-policy", "x-content-type-options", "x-frame-options",
                 "referrer-policy", "cache-control", "content-type", "date"):
        assert h.counts.get(name, 0) <= 1, "%s: %s %d times" % (what, name, h.counts[name])


def cli_json(*args):
    out = subprocess.run([PORTINFO, *args], capture_output=True, text=True, timeout=30)
    return json.loads(out.stdout)


def count_votes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM votes").fetchone()[0]
    finally:
        con.close()


# ---- the tests: each takes the shared server and the temporary directory ----

@test
def routes_and_statuses(s, tmp):
    want = {
        "/": 200, "/ports": 200, "/ports/1776": 200, "/ports/0": 200, "/ports/65535": 200,
        "/ports/65536": 404, "/ports/99999999999": 404, "/ports/abc": 404, "/ports/-1": 404,
        "/ports/1776/x": 404, "/ports/01776": 301, "/ports/": 301, "/pl": 301, "/pl/": 200,
        "/pl/ports": 200, "/pl/ports/1776": 200, "/pl/ports/70000": 404, "/pl/search?q=ssh": 200,
        "/search?q=ssh": 200, "/search": 200, "/search?q=1776": 302, "/api/ports/1776": 200,
        "/api/ports/70000": 404, "/api/ports/1776/feedback": 200, "/api/search?q=kuang": 200,
        "/api/search": 400, "/api/nothing": 404, "/healthz": 200, "/nothing": 404,
        "/pl/api/ports/1776": 404, "/pl/healthz": 404, "/pl/static/style.css": 404,
        "/static/no-such.css": 404,
    }
    for path, status in want.items():
        got, h, body = s.get(path)
        assert got == status, "%s: %d, want %d" % (path, got, status)
        check_security_headers(h, path)
        if got in (301, 302):
            assert h.get("location"), path
    assert s.get("/ports/01776")[1]["location"] == "/ports/1776"
    assert s.get("/pl")[1]["location"] == "/pl/"
    assert s.get("/search?q=1776")[1]["location"] == "/ports/1776"
    assert s.get("/pl/search?q=22")[1]["location"] == "/pl/ports/22"
    status, h, body = s.get("/healthz")
    assert body == b"ok", body


@test
def pages_are_html(s, tmp):
    for path, lang in (("/ports/1776", "en"), ("/pl/ports/1776", "pl"), ("/", "en"),
                       ("/ports", "en"), ("/search?q=ssh", "en"), ("/nothing", "en")):
        status, h, body = s.get(path)
        assert h["content-type"].startswith("text/html"), path
        p = parse_page(body)
        assert p.lang == lang, "%s: lang %r" % (path, p.lang)
        assert p.title.strip(), "%s: no title" % path
        assert not p.errors, "%s: %s" % (path, p.errors[:3])
    p = parse_page(s.get("/ports/1776")[2])
    assert "1776" in p.title, p.title


@test
def head_has_no_body(s, tmp):
    status, h, body = s.request("HEAD", "/ports/1776")
    assert status == 200 and body == b"", (status, body[:40])
    check_security_headers(h, "HEAD")
    # The length of the GET answer, and not one byte of it on the wire.
    assert h.get("content-length") == str(len(s.get("/ports/1776")[2])), h.get("content-length")
    data = raw_request(s.port, "HEAD /api/ports/22 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert data.endswith(b"\r\n\r\n") and data.count(b"HTTP/1.1") == 1, data[-80:]


@test
def api_equals_cli(s, tmp):
    for port in (1776, 22, 80, 6001, 31337, 17300, 4, 0, 65535):
        status, h, body = s.get("/api/ports/%d" % port)
        assert status == 200 and h["content-type"] == "application/json", port
        assert json.loads(body) == cli_json("--json", str(port))[0], "port %d differs" % port
    for q in ("kuang", "ssh", "back orifice"):
        status, h, body = s.get("/api/search?q=" + q.replace(" ", "+"))
        assert status == 200, q
        assert json.loads(body) == cli_json("search", "--json", q), "search %r differs" % q


@test
def vote_round_trip(s, tmp):
    db = os.path.join(tmp, "data", "feedback.sqlite")
    before = json.loads(s.get("/api/ports/4242/feedback")[2])
    assert before == {"sad": 0, "meh": 0, "happy": 0}, before
    status, h, body = s.request("POST", "/ports/4242/feedback", body="vote=happy",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303, status
    assert h["location"] == "/ports/4242#feedback", h["location"]
    check_security_headers(h, "303")
    cookie = h["set-cookie"]
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attr in cookie, cookie
    voter = re.match(r"voter=([0-9a-f]{32});", cookie).group(1)
    assert json.loads(s.get("/api/ports/4242/feedback")[2]) == {"sad": 0, "meh": 0, "happy": 1}
    mine = json.loads(s.get("/api/ports/4242/feedback", headers={"Cookie": "voter=" + voter})[2])
    assert mine == {"sad": 0, "meh": 0, "happy": 1, "vote": "happy"}, mine
    # The same voter again: the earlier vote is replaced, not added to.
    status, h, body = s.request("POST", "/ports/4242/feedback", body="vote=sad",
                                headers={"Cookie": "voter=" + voter,
                                         "Content-Type": "application/x-www-form-urlencoded",
                                         "Accept": "application/json"})
    assert status == 200, status
    assert h["content-type"] == "application/json"
    got = json.loads(body)
    assert (got["sad"], got["meh"], got["happy"]) == (1, 0, 0), got
    assert "voter=" + voter in h["set-cookie"]
    con = sqlite3.connect(db)
    rows = con.execute("SELECT voter, value FROM votes WHERE port = 4242").fetchall()
    con.close()
    assert rows == [(voter, 0)], rows
    # Another voter adds to the counts.
    s.request("POST", "/ports/4242/feedback", body="vote=meh")
    assert json.loads(s.get("/api/ports/4242/feedback")[2]) == {"sad": 1, "meh": 1, "happy": 0}
    # Same-origin browser headers pass.
    host = "127.0.0.1:%d" % s.port
    status, h, body = s.request("POST", "/ports/4242/feedback", body="vote=happy",
                                headers={"Origin": "http://" + host,
                                         "Sec-Fetch-Site": "same-origin"})
    assert status == 303, status


@test
def vote_back_to_polish_page(s, tmp):
    status, h, _ = s.request("POST", "/pl/ports/4243/feedback", body="vote=happy")
    assert status == 303 and h["location"] == "/pl/ports/4243#feedback", (status, h)
    host = "127.0.0.1:%d" % s.port
    status, h, _ = s.request("POST", "/ports/4243/feedback", body="vote=happy",
                             headers={"Referer": "http://%s/pl/ports/4243" % host})
    assert h["location"] == "/pl/ports/4243#feedback", h["location"]


@test
def refusals_store_nothing(s, tmp):
    db = os.path.join(tmp, "data", "feedback.sqlite")
    before = count_votes(db)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    host = "127.0.0.1:%d" % s.port
    cases = [
        ("/ports/4244/feedback", "vote=happy", {"Origin": "http://evil.example"}, 403),
        ("/ports/4244/feedback", "vote=happy", {"Origin": "null"}, 403),
        ("/ports/4244/feedback", "vote=happy", {"Origin": "http://%s.evil.example" % host}, 403),
        ("/ports/4244/feedback", "vote=happy", {"Sec-Fetch-Site": "cross-site"}, 403),
        ("/ports/4244/feedback", "vote=happy", {"Sec-Fetch-Site": "same-site"}, 403),
        ("/ports/70000/feedback", "vote=happy", {}, 404),
        ("/ports/abc/feedback", "vote=happy", {}, 404),
        ("/ports/4244/feedback", "vote=angry", {}, 400),
        ("/ports/4244/feedback", "vote=", {}, 400),
        ("/ports/4244/feedback", "", {}, 400),
        ("/ports/4244/feedback", "vote=happy&vote=sad", {}, 400),
        ("/ports/4244/feedback", "vote=%ZZ", {}, 400),
        ("/ports/4244/feedback", "vote=happy&pad=" + "x" * 2000, {}, 413),
        ("/ports/4244/feedback", "vote=happy", {"Content-Type": "text/plain"}, 415),
        ("/ports/4244/feedback", "vote=happy", {"Cookie": "voter=../../etc"}, 303),
    ]
    for path, body, headers, want in cases:
        hdrs = dict(form)
        hdrs.update(headers)
        status, h, _ = s.request("POST", path, body=body, headers=hdrs)
        assert status == want, "%s %r %r: %d, want %d" % (path, body, headers, status, want)
        check_security_headers(h, "refusal %d" % want)
    # Only the last case (a malformed cookie is replaced by a new voter) stored a vote.
    assert count_votes(db) == before + 1, (count_votes(db), before)
    # JSON callers get JSON refusals.
    status, h, body = s.request("POST", "/ports/4244/feedback", body="vote=angry",
                                headers={"Accept": "application/json"})
    assert status == 400 and "error" in json.loads(body)


@test
def methods(s, tmp):
    for method, path, allow in (("GET", "/ports/1/feedback", "POST"),
                                ("DELETE", "/ports/1", "GET, HEAD"),
                                ("PUT", "/api/ports/1", "GET, HEAD"),
                                ("POST", "/ports/1", "GET, HEAD"),
                                ("OPTIONS", "/", "GET, HEAD"),
                                ("PATCH", "/healthz", "GET, HEAD")):
        status, h, _ = s.request(method, path, body="" if method != "GET" else None)
        assert status == 405, "%s %s: %d" % (method, path, status)
        assert h.get("allow") == allow, (method, path, h.get("allow"))
        check_security_headers(h, "405")


def raw_head(port, text):
    data = raw_request(port, text)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    return lines[0], Headers(line.partition(":")[::2] for line in lines[1:]), body


@test
def answers_evhttp_gives_itself(s, tmp):
    # A method evhttp does not know and a request line it cannot parse never reach the
    # routes; the answers still carry the security headers.
    for text in ("FOO /ports/1 HTTP/1.1\r\nHost: x\r\n\r\n",
                 "GARBAGE\r\n\r\n",
                 "GET /ports/1 HTTP/9.9\r\nHost: x\r\n\r\n"):
        line, h, _ = raw_head(s.port, text)
        assert re.match(r"HTTP/1\.[01] [45]\d\d ", line), (text, line)
        check_security_headers(h, line)
    # Versions evhttp would take (and echo in its status line) are refused before it sees
    # them: 505 for a version we do not speak, 400 for no version at all; the answer still
    # carries every header once.
    for version, status in (("HTTP/0.9", "505"), ("HTTP/-1.1", "400"), ("HTTP/1.1000", "505")):
        line, h, body = raw_head(s.port, "GET /ports/22 %s\r\nHost: x\r\n\r\n" % version)
        assert line.split(" ")[:2] == ["HTTP/1.1", status], (version, line)
        check_security_headers(h, line)
        assert h.counts.get("content-type") == 1, (version, h)
        assert h.get("connection") == "close", (version, h)
    # "100 Continue" is left alone: the vote behind it still works.
    with socket.create_connection(("127.0.0.1", s.port), timeout=5) as c:
        c.sendall(b"POST /ports/4245/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Expect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        first = c.recv(100)
        assert first.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), first
        c.sendall(b"vote=happy")
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 303"), data[:80]


@test
def pipelined_answers(s, tmp):
    # Requests sent back to back on one connection: every answer has its own status line,
    # its headers once each, and a body of the length it announces.
    reqs = [("GET", "/ports/1776", 200), ("GET", "/nothing", 404), ("HEAD", "/ports/22", 200),
            ("GET", "/api/ports/22", 200), ("POST", "/ports/22", 405), ("GET", "/healthz", 200)]
    text = "".join("%s %s HTTP/1.1\r\nHost: x\r\n\r\n" % (m, p) for m, p, _ in reqs)
    data = raw_request(s.port, text + "GET /healthz HTTP/1.1\r\nHost: x\r\n"
                       "Connection: close\r\n\r\n")
    for method, path, want in reqs + [("GET", "/healthz", 200)]:
        head, sep, data = data.partition(b"\r\n\r\n")
        assert sep, "%s %s: no answer" % (method, path)
        lines = head.decode("latin-1").split("\r\n")
        assert lines[0].startswith("HTTP/1.1 %d " % want), (method, path, lines[0])
        h = Headers(line.partition(":")[::2] for line in lines[1:])
        check_security_headers(h, "%s %s pipelined" % (method, path))
        assert h.counts.get("content-type") == 1, (method, path)
        n = int(h.get("content-length", "0")) if method != "HEAD" else 0
        assert len(data) >= n, (method, path, n, len(data))
        body, data = data[:n], data[n:]
        if path == "/healthz":
            assert body == b"ok", body
    assert data == b"", data[:80]


@test
def caps(s, tmp):
    status, h, _ = s.get("/ports/1776?" + "a" * 4000)
    assert status == 414, status
    check_security_headers(h, "414")
    status, h, _ = s.get("/search?q=" + "a" * 300)
    assert status == 414, status
    status, h, _ = s.get("/api/search?q=" + "a" * 300)
    assert status == 414 and "error" in json.loads(_), status
    status, _, _ = s.get("/search?q=%00")
    assert status == 400, status
    # Past the header and body caps evhttp itself refuses; its answers carry the headers too,
    # and the server stays up.
    status, h, _ = s.get("/", headers={"X-Big": "b" * 20000})
    assert status in (400, 413, 431), status
    check_security_headers(h, "header cap")
    status, h, _ = s.request("POST", "/ports/1/feedback", body="vote=happy&" + "p" * 100000)
    assert status == 413, status
    check_security_headers(h, "body cap")
    assert s.get("/healthz")[0] == 200


@test
def static_files(s, tmp):
    for path, want in (("/static/style.css", 200), ("/static/js/app.js", 200),
                       ("/static/inside-link.css", 200), ("/static/passwd-link", 404),
                       ("/static/../feedback.sqlite", 400), ("/static/%2e%2e/secret.txt", 400),
                       ("/static/js%2fapp.js", 400), ("/static/a%00b", 400),
                       ("/static/.hidden", 400), ("/static/js/../style.css", 400),
                       ("/static//style.css", 400), ("/static/", 404), ("/static/js/", 404),
                       ("/static/js", 404), ("/static/secret.txt", 404),
                       ("/static/style.css\\..", 400)):
        status, h, body = s.get(path.replace("\\", "%5C"))
        assert status == want, "%s: %d, want %d" % (path, status, want)
        check_security_headers(h, path)
    status, h, body = s.get("/static/style.css")
    assert body == b"body { color: #111 }\n" and h["content-type"].startswith("text/css")
    assert s.get("/static/js/app.js")[1]["content-type"].startswith("text/javascript")
    etag = h["etag"]
    status, h, body = s.get("/static/style.css", headers={"If-None-Match": etag})
    assert status == 304 and body == b"", status
    # Raw request targets that an HTTP library would tidy up.
    for target in ("/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd"):
        line = raw_request(s.port, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                           % target).split(b"\r\n", 1)[0]
        assert line.split()[1] in (b"400", b"404"), (target, line)


def raw_request(port, text, timeout=5):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
        c.sendall(text.encode("latin-1"))
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


@test
def access_log(s, tmp):
    raw_request(s.port, "GET /ports/7\x1b[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    s.get("/search?q=log-check")
    time.sleep(0.5)  # the log is flushed every 100 ms
    line = [l for l in s.lines if "/search?q=log-check" in l]
    assert line, s.lines[-5:]
    f = line[-1].split()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", f[0]), f
    assert f[1] == "127.0.0.1" and f[2] == "GET" and f[4] == "200", f
    assert int(f[5]) > 0 and int(f[6]) >= 0, f
    assert not any("\x1b" in l for l in s.lines), "a control character reached the log"
    # Answers evhttp gives itself are logged too, with what is known.
    raw_request(s.port, "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.5)
    assert any(re.search(r"Z 127\.0\.0\.1 - - 501 - -$", l) for l in s.lines), s.lines[-3:]


@test
def api_json_types(s, tmp):
    status, h, body = s.get("/api/ports/70000")
    assert h["content-type"] == "application/json" and json.loads(body)["status"] == 404


@test
def connection_limit_and_timeout(s, tmp):
    srv = Server(os.path.join(tmp, "limit"), "--threads", "1", "--max-connections", "2",
                 "--timeout", "3", "--no-access-log")
    try:
        # Two idle connections fill the cap; a third takes the place of the older one, which
        # the server closes, and is served at once.
        a = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        time.sleep(0.1)
        b = socket.create_connection(("127.0.0.1", srv.port))
        time.sleep(0.2)
        c = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.recv(100).startswith(b"HTTP/1.1 200"), "the third connection was not served"
        assert a.recv(100) == b"", "the oldest idle connection was not the one closed"
        a.close()
        # An idle connection is closed by the server after the timeout.
        b.settimeout(8)
        t0 = time.time()
        assert b.recv(100) == b"", "idle connection got data"
        assert time.time() - t0 < 7.5
        c.close()
        # A request trickling in a byte at a time is cut off after the timeout too, although
        # every byte arrives well within it.
        d = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        d.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        t0 = time.time()
        closed = False
        while time.time() - t0 < 9:
            try:
                d.sendall(b"a")
            except OSError:
                closed = True
                break
            d.settimeout(0.5)
            try:
                if d.recv(100) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
        assert closed, "a trickling request kept its connection for 9 s"
        assert time.time() - t0 < 6, "cut off after %.1f s" % (time.time() - t0)
        d.close()
    finally:
        assert srv.stop() == 0


@test
def store_unavailable(s, tmp):
    d = os.path.join(tmp, "nostore")
    os.makedirs(d)
    srv = Server(d, "--feedback", os.path.join(tmp, "no", "such", "dir", "v.sqlite"))
    try:
        assert any("vote store" in l for l in srv.lines), srv.lines
        assert srv.get("/ports/1776")[0] == 200
        status, h, body = srv.request("POST", "/ports/1776/feedback", body="vote=happy")
        assert status == 503, status
        check_security_headers(h, "503")
        status, h, body = srv.request("POST", "/ports/1776/feedback", body="vote=happy",
                                      headers={"Accept": "application/json"})
        assert status == 503 and "vote" in json.loads(body)["error"].lower(), body
        assert srv.get("/api/ports/1776/feedback")[0] == 503
    finally:
        assert srv.stop() == 0


@test
def allowed_origins(s, tmp):
    site = "https://static.example"
    srv = Server(os.path.join(tmp, "cors"), "--allow-origin", site + "/",
                 "--allow-origin", "http://other.example:8080",
                 "--vote-url", "https://votes.example/portinfo/")
    try:
        csp = srv.get("/healthz")[1]["content-security-policy"]
        for part in ("form-action 'self' https://votes.example/portinfo/",
                     "connect-src 'self' https://votes.example/portinfo/"):
            assert part in csp, csp
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        # A page of the allowed origin votes, with the headers CORS needs.
        status, h, body = srv.request("POST", "/ports/80/feedback", body="vote=happy",
                                      headers=dict(form, Origin=site, Accept="application/json",
                                                   **{"Sec-Fetch-Site": "cross-site"}))
        assert status == 200, status
        assert h.get("access-control-allow-origin") == site, h
        assert h.get("access-control-allow-credentials") == "true"
        assert "Origin" in h.get("vary", "")
        voter = re.match(r"voter=([0-9a-f]{32});", h["set-cookie"]).group(1)
        # Without JavaScript the form's answer leads back to the page on the site it came from.
        for fields, page in (("vote=happy", "/ports/80"), ("vote=happy&lang=pl", "/pl/ports/80")):
            status, h, _ = srv.request("POST", "/ports/80/feedback", body=fields,
                                       headers=dict(form, Origin=site, Cookie="voter=" + voter))
            assert status == 303, status
            assert h["location"] == site + page + "#feedback", h["location"]
        # Its counts, with the voter's own vote.
        status, h, body = srv.get("/api/ports/80/feedback",
                                  headers={"Origin": site, "Cookie": "voter=" + voter})
        assert json.loads(body) == {"sad": 0, "meh": 0, "happy": 1, "vote": "happy"}, body
        assert h.get("access-control-allow-origin") == site
        # A preflight from it is answered; from anyone else it is not.
        status, h, _ = srv.request("OPTIONS", "/ports/80/feedback",
                                   headers={"Origin": "HTTP://OTHER.example:8080",
                                            "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in h.get("access-control-allow-methods", ""), status
        assert h.get("access-control-allow-origin") == "http://other.example:8080"
        status, h, _ = srv.request("OPTIONS", "/ports/80/feedback",
                                   headers={"Origin": "https://evil.example"})
        assert status == 405 and "access-control-allow-origin" not in h, status
        # Other origins are still refused, and get no CORS headers.
        for origin in ("https://evil.example", "https://static.example.evil", "http://static.example"):
            status, h, _ = srv.request("POST", "/ports/80/feedback", body="vote=sad",
                                       headers=dict(form, Origin=origin))
            assert status == 403 and "access-control-allow-origin" not in h, (origin, status)
        assert json.loads(srv.get("/api/ports/80/feedback")[2])["happy"] == 1
    finally:
        assert srv.stop() == 0
    # The longest origin and vote URL taken: the policy keeps its last directives, and a
    # vote's way back names the whole origin.
    long_origin = "https://" + "o" * 180 + ".example"
    long_vote = "https://votes.example/" + "v" * 160 + "/x"
    assert len(long_origin) <= 200 and len(long_vote) <= 200
    srv = Server(os.path.join(tmp, "cors-long"), "--allow-origin", long_origin,
                 "--vote-url", long_vote)
    try:
        csp = srv.get("/healthz")[1]["content-security-policy"]
        assert csp.count(long_vote + "/") == 2, csp
        assert csp.endswith("frame-ancestors 'none'; base-uri 'none'"), csp[-60:]
        status, h, _ = srv.request("POST", "/ports/22/feedback", body="vote=meh&lang=pl",
                                   headers={"Content-Type": "application/x-www-form-urlencoded",
                                            "Origin": long_origin})
        assert status == 303, status
        assert h["location"] == long_origin + "/pl/ports/22#feedback", h["location"]
    finally:
        assert srv.stop() == 0
    for bad in ("https://x.example/path", "ftp://x.example", "https://x.example;y", "x.example",
                "https://", "https://x.example/*"):
        p = subprocess.run([PORTINFO, "serve", "--data-dir", tmp, "--allow-origin", bad],
                           capture_output=True, text=True, timeout=20)
        assert p.returncode == 2 and "--allow-origin" in p.stderr, (bad, p.returncode, p.stderr)


@test
def refuses_bad_start(s, tmp):
    for args, text in ((["--feedback", "postgresql://localhost/votes?nonsense=1"],
                        "not a PostgreSQL URI"),
                       (["--listen", "nowhere"], "not an address"),
                       (["--listen", "127.0.0.1:%d" % s.port], "cannot listen"),
                       (["--threads", "0"], "--threads"),
                       (["--bogus"], "unknown option")):
        p = subprocess.run([PORTINFO, "serve", "--data-dir", tmp, *args], capture_output=True,
                           text=True, timeout=20)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert text in p.stderr, (args, p.stderr)
        assert p.stdout == "", (args, p.stdout)


@test
def ipv6_loopback(s, tmp):
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        # CI (CI=true) must run it: there a missing IPv6 loopback fails.
        assert os.environ.get("CI") != "true", "no IPv6 loopback under CI"
        print("  (no IPv6 loopback here; skipped)")
        return
    srv = Server(os.path.join(tmp, "v6"), listen="[::1]:0")
    try:
        conn = http.client.HTTPConnection("::1", srv.port, timeout=5)
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() == b"ok"
        conn.close()
    finally:
        assert srv.stop() == 0


@test
def votes_survive_restart_and_sigterm(s, tmp):
    d = os.path.join(tmp, "restart")
    srv = Server(d)
    status, h, _ = srv.request("POST", "/ports/31337/feedback", body="vote=happy")
    assert status == 303
    # An idle keep-alive connection must not hold the stop up.
    idle = socket.create_connection(("127.0.0.1", srv.port))
    t0 = time.time()
    assert srv.stop() == 0
    assert time.time() - t0 < 5, "the stop took %.1f s" % (time.time() - t0)
    assert any("stopped" in l for l in srv.lines), srv.lines[-3:]
    idle.close()
    srv = Server(d)
    try:
        got = json.loads(srv.get("/api/ports/31337/feedback")[2])
        assert got == {"sad": 0, "meh": 0, "happy": 1}, got
    finally:
        assert srv.stop(signal.SIGINT) == 0


@test
def stop_finishes_answer_in_flight(s, tmp):
    srv = Server(os.path.join(tmp, "inflight"))
    try:
        c = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        # Half a request, then the stop, then the rest: the answer still comes.
        c.sendall(b"GET /ports/1776 HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.2)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        c.sendall(b"\r\n")
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:60]
        assert b"Connection: close" in data.split(b"\r\n\r\n")[0]
        assert srv.proc.wait(15) == 0
    finally:
        srv.kill()


def make_static(root):
    os.makedirs(os.path.join(root, "js"))
    with open(os.path.join(root, "style.css"), "w") as f:
        f.write("body { color: #111 }\n")
    with open(os.path.join(root, "js", "app.js"), "w") as f:
        f.write("// app\n")
    with open(os.path.join(root, ".hidden"), "w") as f:
        f.write("secret\n")
    os.symlink("/etc/passwd", os.path.join(root, "passwd-link"))
    os.symlink("style.css", os.path.join(root, "inside-link.css"))
    with open(os.path.join(os.path.dirname(root), "secret.txt"), "w") as f:
        f.write("secret\n")


def main():
    tmp = tempfile.mkdtemp(prefix="portinfo-serve-test.")
    passed = failed = 0
    s = None
    try:
        make_static(os.path.join(tmp, "web"))
        s = Server(os.path.join(tmp, "data"), "--static-dir", os.path.join(tmp, "web"))
        passed, failed = servelib.run_each(TESTS, s, tmp)
        rc = s.stop()
        if rc != 0:
            failed += 1
            print("not ok - the shared server stopped with %d" % rc)
    finally:
        if s:
            s.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
