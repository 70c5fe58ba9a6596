#!/usr/bin/env python3
"""Malformed HTTP over raw sockets: each gets a 4xx (or, for bytes that are not HTTP at all, a
closed connection; for a version other than 1.x, 505), never another 5xx or a crash, and
/healthz answers 200 after each.

Usage: test_malformed.py PORTINFO
"""
import os
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, healthy, raw  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
H = b"Host: 127.0.0.1\r\n"


def req(line, headers=b"", body=b""):
    return line + b"\r\n" + H + headers + b"\r\n" + body


# (name, bytes, "4xx" = a 4xx answer is required, "4xx-or-close" = either is fine,
#  "unknown-method" = 4xx, a close, or the 501 RFC 9110 (9.1) asks for a method not recognized)
CASES = [
    ("unknown method", req(b"FROB / HTTP/1.1"), "unknown-method"),
    ("lower-case method", req(b"get / HTTP/1.1"), "unknown-method"),
    ("method of 5000 letters", req(b"X" * 5000 + b" / HTTP/1.1"), "unknown-method"),
    ("PUT on a page", req(b"PUT /ports/22 HTTP/1.1", b"Content-Length: 2\r\n", b"hi"), "4xx"),
    ("DELETE on the API", req(b"DELETE /api/ports/22 HTTP/1.1"), "4xx"),
    ("huge header value", req(b"GET / HTTP/1.1", b"X-Big: " + b"a" * 20000 + b"\r\n"),
     "4xx-or-close"),
    ("many headers", req(b"GET / HTTP/1.1", b"".join(b"X-%d: y\r\n" % i for i in range(3000))),
     "4xx-or-close"),
    ("huge URL", req(b"GET /" + b"a" * 9000 + b" HTTP/1.1"), "4xx-or-close"),
    ("URL over the cap", req(b"GET /search?q=" + b"a" * 3000 + b" HTTP/1.1"), "4xx"),
    ("invalid UTF-8 in a search", req(b"GET /search?q=%ff%fe%c0%af HTTP/1.1"), "4xx"),
    ("invalid UTF-8 raw in a search", req(b"GET /api/search?q=\xff\xfe\xc0\xaf HTTP/1.1"),
     "4xx-or-close"),
    ("overlong UTF-8 slash", req(b"GET /static/%c0%afetc%c0%afpasswd HTTP/1.1"), "4xx"),
    ("NUL in the path", req(b"GET /ports/22\x00.html HTTP/1.1"), "4xx-or-close"),
    ("encoded NUL in the path", req(b"GET /ports/22%00 HTTP/1.1"), "4xx"),
    ("encoded NUL in a search", req(b"GET /search?q=ssh%00x HTTP/1.1"), "4xx"),
    ("NUL in a header", req(b"GET / HTTP/1.1", b"X-A: b\x00c\r\n"), "any-but-5xx"),
    ("dot-dot in static", req(b"GET /static/../../../../etc/passwd HTTP/1.1"), "4xx"),
    ("encoded dot-dot", req(b"GET /static/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1"), "4xx"),
    ("mixed-case encoded dot-dot", req(b"GET /static/%2E%2e%2fetc%2Fpasswd HTTP/1.1"), "4xx"),
    ("dot-dot in a port page", req(b"GET /ports/../../etc/passwd HTTP/1.1"), "4xx"),
    ("backslash dot-dot", req(b"GET /static/..\\..\\etc\\passwd HTTP/1.1"), "4xx"),
    ("absolute URI elsewhere", req(b"GET http://evil.example/etc/passwd HTTP/1.1"), "4xx"),
    ("absurd Content-Length", req(b"POST /ports/22/feedback HTTP/1.1",
                                  b"Content-Length: 99999999999999999999\r\n"), "4xx-or-close"),
    ("large Content-Length", req(b"POST /ports/22/feedback HTTP/1.1",
                                 b"Content-Length: 10000000\r\n"), "4xx-or-close"),
    ("negative Content-Length", req(b"POST /ports/22/feedback HTTP/1.1",
                                    b"Content-Length: -5\r\n"), "4xx-or-close"),
    ("two Content-Lengths", req(b"POST /ports/22/feedback HTTP/1.1",
                                b"Content-Length: 10\r\nContent-Length: 2\r\n", b"vote=happy"),
     "4xx-or-close"),
    ("bad chunked body", req(b"POST /ports/22/feedback HTTP/1.1",
                             b"Transfer-Encoding: chunked\r\n", b"zz\r\nvote=happy\r\n0\r\n\r\n"),
     "4xx-or-close"),
    ("HTTP/9.9", req(b"GET / HTTP/9.9"), "505"),
    ("no version", b"GET /\r\n\r\n", "4xx-or-close"),
    ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) * 4,
     "4xx-or-close"),
    ("only CRLFs", b"\r\n" * 5000, "4xx-or-close"),
    ("binary noise", os.urandom(4096), "4xx-or-close"),
    ("port 70000", req(b"GET /api/ports/70000 HTTP/1.1"), "4xx"),
    ("port -1", req(b"GET /ports/-1 HTTP/1.1"), "4xx"),
    ("port in hex", req(b"GET /api/ports/0x16 HTTP/1.1"), "4xx"),
    ("vote with a NUL", req(b"POST /ports/22/feedback HTTP/1.1",
                            b"Content-Type: application/x-www-form-urlencoded\r\n"
                            b"Content-Length: 11\r\n", b"vote=hap\x00py"), "4xx"),
    ("vote in invalid UTF-8", req(b"POST /ports/22/feedback HTTP/1.1",
                                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                                  b"Content-Length: 9\r\n", b"vote=%ff%"), "4xx"),
    ("cookie of garbage", req(b"GET /ports/22 HTTP/1.1", b"Cookie: voter=\xff\xfe;;;=;\x01\r\n"),
     "any-but-5xx"),
]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.mkdir(data)
        s = Server([PORTINFO, "serve"], data, "--no-access-log", "--timeout", "3")
        for name, data_bytes, want in CASES:
            try:
                status, got = raw(s.port, data_bytes, timeout=8)
            except OSError as e:
                status, got = None, repr(e).encode()
            if want == "4xx":
                ok = status is not None and 400 <= status < 500
            elif want == "unknown-method":
                ok = status is None or 400 <= status < 500 or status == 501
            elif want == "505":  # RFC 9110 15.6.6: a version we do not speak
                ok = status == 505
            elif want == "4xx-or-close":
                ok = status is None or 400 <= status < 500
            else:
                ok = status is None or status < 500
            check(f"{name}: {status if status else 'closed'}", ok, got[:160])
            check(f"{name}: nothing leaks from outside the site", b"root:x:0:0" not in got)
            check(f"{name}: the server stays up", s.alive() and healthy(s.port), s.log()[-300:])
        check("stops cleanly after all that", s.stop() == 0)
    finish()


main()
