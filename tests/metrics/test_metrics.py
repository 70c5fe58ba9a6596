#!/usr/bin/env python3
"""test_metrics: GET /metrics of `portinfo serve`, read back with a strict format parser.

Usage: test_metrics.py PORTINFO
Starts a server on a free loopback port with a SQLite vote store in a temporary directory,
sends requests of every route, and checks that the counters, the latency histogram and the vote
counts moved by what was sent, that no raw path ever becomes a label, and that the registry
date and start time are right.  python3 standard library only.
"""
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtext  # noqa: E402
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
ROUTES = {"home", "ports", "port", "vote", "search", "api_port", "api_feedback", "api_search",
          "static", "healthz", "metrics", "other"}
DURATION = "portinfo_http_request_duration_seconds"
SHED = "portinfo_http_connections_shed_total"
SHED_REASONS = {"idle", "partial", "per_address", "slow"}


class Server(servelib.Serve):
    def __init__(self, data_dir, *extra):
        super().__init__(PORTINFO, data_dir, "--threads", "3", *extra)

    def scrape(self):
        status, h, body = self.request("GET", "/metrics")
        assert status == 200, status
        assert h["content-type"] == "text/plain; version=0.0.4; charset=utf-8", h
        assert h["cache-control"] == "no-store", h
        assert "default-src 'none'" in h["content-security-policy"], h
        return promtext.parse(body.decode("utf-8"))



def requests_by(samples):
    """{(route, status): count} of portinfo_http_requests_total."""
    return {(ls["route"], ls["status"]): v for n, ls, v in samples
            if n == "portinfo_http_requests_total"}


def check_scrape_shape(types, samples):
    want = {"portinfo_http_requests_total": "counter", DURATION: "histogram",
            "portinfo_votes_total": "counter", "portinfo_registry_info": "gauge",
            "portinfo_build_info": "gauge", "process_start_time_seconds": "gauge",
            "portinfo_http_connections": "gauge", "portinfo_http_connections_max": "gauge",
            SHED: "counter"}
    for name, kind in want.items():
        assert types.get(name) == kind, (name, types.get(name))
    reasons = {ls["reason"] for n, ls, _ in samples if n == SHED}
    assert reasons == SHED_REASONS, reasons
    for name, labels, _ in samples:
        if "route" in labels:
            assert labels["route"] in ROUTES, labels
        if "status" in labels:
            assert re.fullmatch(r"[1-5]\d\d|other", labels["status"]), labels


def test_counters_move(s, tmp):
    types, before = s.scrape()
    check_scrape_shape(types, before)
    sent = [("GET", "/", 200, "home"), ("GET", "/ports", 200, "ports"),
            ("GET", "/ports/22", 200, "port"), ("GET", "/pl/ports/22", 200, "port"),
            ("GET", "/ports/70000", 404, "port"), ("GET", "/search?q=ssh", 200, "search"),
            ("GET", "/api/ports/443", 200, "api_port"),
            ("GET", "/api/search?q=http", 200, "api_search"),
            ("GET", "/api/ports/443/feedback", 200, "api_feedback"),
            ("GET", "/healthz", 200, "healthz"), ("HEAD", "/healthz", 200, "healthz"),
            ("GET", "/static/no-such-file.css", 404, "static"),
            ("POST", "/metrics", 405, "metrics"),
            ("GET", "/no/such/page-4f2c9", 404, "other"),
            ("GET", "/ports/22/../../etc/passwd", 404, "other")]
    for method, path, status, _ in sent:
        got = s.request(method, path)[0]
        assert got == status, (method, path, got, status)
    # Votes: two voters, one revote.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    st, h, _ = s.request("POST", "/ports/22/feedback", "vote=happy", form)
    assert st == 303, st
    cookie = h["set-cookie"].split(";")[0]
    assert s.request("POST", "/ports/22/feedback", "vote=sad", dict(form, Cookie=cookie))[0] == 303
    assert s.request("POST", "/ports/80/feedback", "vote=meh",
                     dict(form, Accept="application/json"))[0] == 200
    assert s.request("POST", "/ports/80/feedback", "vote=angry", form)[0] == 400
    # New voters on one page past the cap (three a day): the fourth is refused, its own status.
    json_form = dict(form, Accept="application/json")
    for _ in range(3):
        assert s.request("POST", "/ports/81/feedback", "vote=meh", json_form)[0] == 200
    assert s.request("POST", "/ports/81/feedback", "vote=meh", json_form)[0] == 429

    types, after = s.scrape()
    check_scrape_shape(types, after)
    b, a = requests_by(before), requests_by(after)
    want = {}
    for _, _, status, route in sent:
        want[(route, str(status))] = want.get((route, str(status)), 0) + 1
    want[("vote", "303")] = 2
    want[("vote", "200")] = 4
    want[("vote", "400")] = 1
    want[("vote", "429")] = 1
    want[("metrics", "200")] = 1  # the first scrape
    for key, n in want.items():
        got = a.get(key, 0) - b.get(key, 0)
        assert got == n, "requests %r moved by %s, want %s" % (key, got, n)
    for key in set(a) - set(want):
        assert a[key] == b.get(key, 0), "requests %r moved unexpectedly" % (key,)
    # The histogram counted every one of them, per route.
    for route in ROUTES - {"metrics"}:
        moved = sum(n for (r, _), n in want.items() if r == route)
        c0 = promtext.value(before, DURATION + "_count", route=route) or 0
        c1 = promtext.value(after, DURATION + "_count", route=route) or 0
        assert c1 - c0 == moved, (route, c1 - c0, moved)
        if moved:
            total = promtext.value(after, DURATION + "_sum", route=route)
            assert 0 < total < 10 * moved, (route, total)
            inf = promtext.value(after, DURATION + "_bucket", route=route, le="+Inf")
            assert inf == c1, (route, inf, c1)
    # Votes by value: happy, then the revote to sad, then meh four times; the refused ones
    # are not votes.
    for vote, n in (("happy", 1), ("sad", 1), ("meh", 4)):
        got = (promtext.value(after, "portinfo_votes_total", vote=vote) -
               promtext.value(before, "portinfo_votes_total", vote=vote))
        assert got == n, (vote, got)


def test_info_gauges(s, tmp):
    _, samples = s.scrape()
    version = subprocess.run([PORTINFO, "--version"], capture_output=True, text=True).stdout
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", version)
    infos = [ls for n, ls, v in samples if n == "portinfo_registry_info" and v == 1]
    assert len(infos) == 1 and infos[0]["updated"] in dates, (infos, version)
    builds = [ls for n, ls, v in samples if n == "portinfo_build_info" and v == 1]
    assert len(builds) == 1 and builds[0]["version"] in version, (builds, version)
    start = promtext.value(samples, "process_start_time_seconds")
    assert time.time() - 120 < start <= time.time() + 1, start


def test_many_paths_few_series(s, tmp):
    """Thousands of different paths must not make thousands of series."""
    _, before = s.scrape()
    for i in range(300):
        s.request("GET", "/x%d/%s" % (i, "y" * (i % 50)))
        s.request("GET", "/ports/%d?utm=%d" % (i, i))
    _, after = s.scrape()
    assert len(after) <= len(before) + 20, (len(before), len(after))
    keys = requests_by(after)
    assert keys[("other", "404")] - requests_by(before).get(("other", "404"), 0) == 300


def test_parallel_counts_add_up(s, tmp):
    """Counters of the three threads add up under concurrent load."""
    _, before = s.scrape()
    n_threads, each = 8, 50

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        for _ in range(each):
            conn.request("GET", "/healthz")
            conn.getresponse().read()
        conn.close()
    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    _, after = s.scrape()
    got = requests_by(after)[("healthz", "200")] - requests_by(before).get(("healthz", "200"), 0)
    assert got == n_threads * each, got


def test_connection_caps(s, tmp):
    """Connections open, the cap, and those shed at it, on a server of its own (one thread, a
    cap of 6, 4 per address): each connection over a cap takes the place of the oldest idle
    one, the server's or, at its address's cap, its address's."""
    srv = Server(os.path.join(tmp, "caps"), "--no-access-log", "--feedback", "off",
                 "--threads", "1", "--max-connections", "6", "--max-per-address", "4")
    socks = []

    def connect(src):
        socks.append(socket.create_connection(("127.0.0.1", srv.port), timeout=2,
                                              source_address=(src, 0)))
        time.sleep(0.05)

    def closed(c):
        c.settimeout(0.2)
        try:
            return c.recv(1) == b""
        except socket.timeout:
            return False
        except OSError:
            return True

    try:
        _, before = srv.scrape()
        assert promtext.value(before, "portinfo_http_connections_max") == 6, before
        for i in range(10):
            connect("127.0.3.%d" % (i + 1))
        # 10 sockets and the scrape's own connection against 6: 5 idle ones made room.
        types, after = srv.scrape()
        check_scrape_shape(types, after)
        assert promtext.value(after, "portinfo_http_connections") == 6, after
        assert promtext.value(after, SHED, reason="idle") == 5, after
        assert [closed(c) for c in socks] == [True] * 5 + [False] * 5
        # The scrape's connection is gone: 5 open.  5 more from one address: the first fits,
        # the next 3 each replace the oldest idle socket of the others, the 5th is over its
        # address's cap and replaces that address's oldest; the last scrape replaces one more.
        for _ in range(5):
            connect("127.0.3.99")
        assert [closed(c) for c in socks[10:]] == [True] + [False] * 4
        _, last = srv.scrape()
        assert promtext.value(last, SHED, reason="idle") == 5 + 3 + 1 + 1, last
        for reason in ("partial", "per_address", "slow"):
            assert promtext.value(last, SHED, reason=reason) == 0, (reason, last)
        promtool = shutil.which("promtool")
        if promtool:
            body = srv.request("GET", "/metrics")[2]
            p = subprocess.run([promtool, "check", "metrics"], input=body, capture_output=True)
            assert p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(), (
                p.stdout, p.stderr)
    finally:
        for c in socks:
            c.close()
        srv.kill()


def test_promtool_agrees(s, tmp):
    """Prometheus's own linter, where it is installed (Debian: prometheus)."""
    promtool = shutil.which("promtool")
    if not promtool:
        assert os.environ.get("CI") != "true", "promtool is missing (tools/deps/test/serve.txt)"
        print("# promtool not installed: its check skipped")
        return
    body = s.request("GET", "/metrics")[2]
    p = subprocess.run([promtool, "check", "metrics"], input=body, capture_output=True)
    assert p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(), (p.stdout,
                                                                                 p.stderr)


def test_parser_rejects_bad_text(s, tmp):
    """The parser used here does catch what it should."""
    bad = ['# TYPE a counter\na{x="\\t"} 1\n', 'a 1\n', '# TYPE a counter\na{x="1"} one\n',
           '# TYPE a counter\na 1\na 2\n', '# TYPE a counter\na{x="a\nb"} 1\n',
           '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n']
    for text in bad:
        try:
            promtext.parse(text)
        except ValueError:
            continue
        raise AssertionError("accepted %r" % text)


def main():
    tmp = tempfile.mkdtemp(prefix="portinfo-metrics-test.")
    passed = failed = 0
    s = None
    try:
        s = Server(os.path.join(tmp, "data"), "--no-access-log")
        passed, failed = servelib.run_each(
            (test_counters_move, test_info_gauges, test_many_paths_few_series,
             test_parallel_counts_add_up, test_connection_caps, test_promtool_agrees,
             test_parser_rejects_bad_text),
            s, tmp)
    finally:
        if s:
            s.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
