#!/usr/bin/env python3
"""Request smuggling: every way of framing a request that two readers could read differently
gets a 4xx (505 for a version other than 1.x) and the connection closed; what follows the
refused request (or what a lenient reader would take for a second request) is never answered
nor logged; a vote inside a refused request is not recorded.  And a client that half-closes
after 1,000 pipelined requests gets all 1,000 answers.

Usage: test_smuggling.py PORTINFO
(RFC 9112 sections 2.2, 3, 5.1, 6.1, 6.3, 7.1; RFC 9110 section 5.)
"""
import json
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attacks import (STATUS_LINE, exchange, pipelined_half_close,  # noqa: E402
                     smuggling_variants)
from faultlib import Server, check, finish, get, healthy  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])


def votes(port, n):
    st, _, body = get(port, "/api/ports/%d/feedback" % n)
    return json.loads(body) if st == 200 else {"status": st}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.mkdir(data)
        s = Server([PORTINFO, "serve"], data, "--timeout", "5")  # access log on: it is checked
        for name, text, statuses, vote in smuggling_variants():
            got, closed = exchange(s.port, text, timeout=6)
            answers = [int(m.group(1)) for m in STATUS_LINE.finditer(got)]
            check(f"{name}: one answer, {'/'.join(map(str, statuses))}: {answers}",
                  len(answers) == 1 and answers[0] in statuses, got[:120])
            check(f"{name}: the status line is HTTP/1.1", got.startswith(b"HTTP/1.1 "), got[:40])
            check(f"{name}: the answer says Connection: close",
                  b"\r\nConnection: close\r\n" in got.split(b"\r\n\r\n")[0] + b"\r\n", got[:400])
            check(f"{name}: the server closed the connection", closed)
            check(f"{name}: nothing smuggled was answered", b"smuggled" not in got)
            if vote:
                check(f"{name}: the vote was not recorded",
                      votes(s.port, vote) == {"sad": 0, "meh": 0, "happy": 0},
                      votes(s.port, vote))
            check(f"{name}: the server stays up", s.alive() and healthy(s.port))
        # The same bytes split over many small writes change nothing.
        for name, text, statuses, _ in smuggling_variants()[:6]:
            c = socket.create_connection(("127.0.0.1", s.port), timeout=6)
            try:
                for i in range(0, len(text), 7):
                    c.sendall(text[i:i + 7])
                    time.sleep(0.002)
            except OSError:
                pass  # closed once refused: what was read is below
            got = b""
            while True:
                try:
                    chunk = c.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                got += chunk
            c.close()
            answers = [int(m.group(1)) for m in STATUS_LINE.finditer(got)]
            check(f"{name}, 7 bytes at a time: one answer {answers}",
                  len(answers) == 1 and answers[0] in statuses, got[:120])
        # A well-framed chunked vote still counts: the refusals above are not a blanket one.
        body = b"4\r\nvote\r\n6\r\n=happy\r\n0\r\n\r\n"
        got, _ = exchange(s.port, b"POST /ports/4199/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Content-Type: application/x-www-form-urlencoded\r\n"
                          b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
        check("a chunked vote is answered 303", got.startswith(b"HTTP/1.1 303 "), got[:80])
        check("and recorded", votes(s.port, 4199).get("happy") == 1, votes(s.port, 4199))
        # Pipelining with a half-close: every answer arrives, in order, for a page whose
        # answers fill the socket's buffers.  A server of its own with a long slow-client
        # timeout, and a long wait: on a loaded machine pushing 12 MB of answers may take many
        # seconds, and only answers lost, not answers late, may fail this check.
        data2 = os.path.join(tmp, "data2")
        os.mkdir(data2)
        s2 = Server([PORTINFO, "serve"], data2, "--timeout", "60", "--no-access-log")
        for path in ("/ports/22", "/healthz"):
            statuses = pipelined_half_close(s2.port, path, 1000, timeout=120.0)
            check(f"1,000 pipelined GET {path} then a half-close: {len(statuses)} answers",
                  len(statuses) == 1000 and set(statuses) == {200}, sorted(set(statuses)))
        check("no smuggled request reached the routes or the log",
              not any("smuggled" in line for line in s.lines), [l for l in s.lines
                                                                 if "smuggled" in l][:3])
        check("stops cleanly", s.stop() == 0 and s2.stop() == 0)
    finish()


main()
