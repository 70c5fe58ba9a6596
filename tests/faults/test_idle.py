#!/usr/bin/env python3
"""Idle connections cannot deny service: sockets that connect and send nothing (reconnecting
as soon as they are cut) fill the connection cap, and a normal client is still answered at
once, because a new connection takes the place of the oldest idle one.  Within one client
address the same happens at --max-per-address, and a newcomer is refused only when every
connection of its address is being answered.  /metrics counts each.

Usage: test_idle.py PORTINFO
Only an unanswered normal request fails the test (each may take up to 2 s, where a server
that keeps idle sockets makes it wait for their timeout); the times are printed, not judged.
"""
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attacks import Flood, percentiles, raise_nofile, sources, timed_gets  # noqa: E402
from faultlib import Server, check, finish, get, healthy  # noqa: E402
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "metrics"))
import promtext  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
PATHS = ["/ports/22", "/", "/api/ports/443", "/healthz", "/api/search?q=ssh"]


def scrape(port):
    st, _, body = get(port, "/metrics")
    assert st == 200, st
    return promtext.parse(body.decode("utf-8"))[1]


def shed(samples, reason):
    return promtext.value(samples, "portinfo_http_connections_shed_total", reason=reason) or 0


def full_cap(tmp):
    """400 idle sockets from 20 addresses against a cap of 200."""
    s = Server([PORTINFO, "serve"], os.path.join(tmp, "a"), "--no-access-log", "--feedback",
               "off", "--max-connections", "200", "--threads", "2")
    flood = Flood(s.port, 400, "idle", sources(20))
    flood.start()
    flood.ready.wait(10)
    time.sleep(1)
    times, failed = timed_gets(s.port, PATHS, 60, timeout=2)
    p = percentiles(times)
    if p:
        print("# 400 idle sockets (%d connects, %d cut) against a cap of 200: p50 %.1f ms, "
              "p95 %.1f ms, max %.1f ms" % (flood.connects, flood.cuts, *p), flush=True)
    check("every normal request was answered within 2 s", not failed, failed[:5])
    samples = scrape(s.port)
    flood.stop()
    check("idle connections were shed to make room", shed(samples, "idle") > 0,
          shed(samples, "idle"))
    check("no unfinished request was shed", shed(samples, "partial") == 0,
          shed(samples, "partial"))
    opened = promtext.value(samples, "portinfo_http_connections")
    cap = promtext.value(samples, "portinfo_http_connections_max")
    # Each of the 2 threads takes a newcomer one over its share before it closes an idle one
    # for it (conn.c, conn_new): the scrape may see those, never more.
    check("open connections stay within the cap (+1 a thread): %s of %s" % (opened, cap),
          cap == 200 and 0 < opened <= cap + 2)
    check("the server is up and healthy", s.alive() and healthy(s.port))
    check("stops cleanly", s.stop() == 0)


def slow_reader(port, src):
    """A connection from @src that asks for a lot and reads nothing: its answer stays being
    written."""
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.bind((src, 0))
    c.connect(("127.0.0.1", port))
    # More than the kernel takes in its send buffer on loopback (up to 4 MiB): the rest waits
    # in the server, being written.
    c.sendall(b"GET /ports HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 200)
    return c


def closed_by_server(c, wait):
    c.settimeout(wait)
    try:
        return c.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def per_address(tmp):
    s = Server([PORTINFO, "serve"], os.path.join(tmp, "b"), "--no-access-log", "--feedback",
               "off", "--max-per-address", "8", "--threads", "1")
    # 30 idle sockets from one address: only its 8 newest stay.
    idle = []
    for _ in range(30):
        c = socket.socket()
        c.bind(("127.0.0.5", 0))
        c.connect(("127.0.0.1", s.port))
        idle.append(c)
        time.sleep(0.01)
    gone = [closed_by_server(c, 0.5 if i < 22 else 0.05) for i, c in enumerate(idle)]
    check("the 22 oldest idle sockets of the address were closed", all(gone[:22]), gone)
    check("its 8 newest are still open", not any(gone[22:]), gone)
    times, failed = timed_gets(s.port, ["/healthz"], 5, timeout=2, src="127.0.0.5")
    check("a normal client from that address is answered", not failed, failed)
    # Another address is not touched by any of that.
    times, failed = timed_gets(s.port, ["/healthz"], 5, timeout=2, src="127.0.0.9")
    check("a client from another address is answered", not failed, failed)
    # Eight connections of one address all being answered (slow readers): a ninth is refused.
    readers = [slow_reader(s.port, "127.0.0.6") for _ in range(8)]
    time.sleep(0.5)
    ninth = socket.socket()
    ninth.bind(("127.0.0.6", 0))
    ninth.connect(("127.0.0.1", s.port))
    ninth.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    check("a ninth connection of an address whose 8 are all being answered is refused",
          closed_by_server(ninth, 3))
    samples = scrape(s.port)
    check("/metrics counts the idle ones shed (%s)" % shed(samples, "idle"),
          shed(samples, "idle") >= 22)
    check("/metrics counts the refusal (%s)" % shed(samples, "per_address"),
          shed(samples, "per_address") >= 1)
    for c in idle + readers + [ninth]:
        c.close()
    check("the server is up and healthy", s.alive() and healthy(s.port))
    check("stops cleanly", s.stop() == 0)


def main():
    raise_nofile(3000)
    with tempfile.TemporaryDirectory() as tmp:
        for d in ("a", "b"):
            os.mkdir(os.path.join(tmp, d))
        full_cap(tmp)
        per_address(tmp)
    finish()


main()
