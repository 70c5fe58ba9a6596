#!/usr/bin/env python3
"""test_vote_cap: the cap on votes from new voters, over HTTP, with the SQLite vote store.

Usage: test_vote_cap.py PORTINFO

A fourth vote without the cookie from one network on one port in one UTC day is refused (429:
JSON for a client asking for it, an HTML page in the visitor's language for the form) and not
counted, and the cap's count is not charged for it; a voter the store knows still votes; a
made-up cookie is a new voter; another port has its own cap; the cap holds across a restart and
across two server processes on one store; --votes-per-address 0 turns it off and 1 allows one;
an IPv6 client counts as its /64 (::1 here; skipped without an IPv6 loopback, except in CI); a
store of schema version 1 is migrated with its votes; old days are pruned; no whole address is
stored.  python3 standard library only.
"""
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = dict(FORM, Accept="application/json")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


class Server(servelib.Serve):
    def __init__(self, data_dir, *extra, listen="127.0.0.1:0"):
        super().__init__(PORTINFO, data_dir, "--threads", "2", *extra, listen=listen)
        self.host = "::1" if listen.startswith("[") else "127.0.0.1"

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, servelib.Headers(r.getheaders()), r.read()
        finally:
            conn.close()

    def vote(self, port, value, voter=None, path=None, headers=JSON):
        """POSTs a vote; returns (status, voter id from Set-Cookie or None, headers, body)."""
        h = dict(headers)
        if voter:
            h["Cookie"] = "voter=" + voter
        status, rh, body = self.request("POST", path or "/ports/%d/feedback" % port,
                                        "vote=" + value, h)
        m = re.match(r"voter=([0-9a-f]{32});", rh.get("set-cookie", ""))
        return status, m.group(1) if m else None, rh, body

    def counts(self, port):
        status, _, body = self.request("GET", "/api/ports/%d/feedback" % port)
        expect(status == 200, "counts: %d" % status)
        return json.loads(body)


def today():
    return int(time.time() // 86400)


def caps(db):
    with sqlite3.connect(db) as c:
        return sorted(c.execute("SELECT net, port, day, n FROM vote_caps").fetchall())


def fresh(tmp, name):
    d = os.path.join(tmp, name)
    os.mkdir(d, 0o755)
    return d


@test
def fourth_refused_not_counted(tmp):
    data = fresh(tmp, "a")
    s = Server(data)
    try:
        voters = []
        for value in ("happy", "happy", "sad"):
            status, voter, _, body = s.vote(1777, value)
            expect(status == 200 and voter, "under the cap: %d %r" % (status, body))
            voters.append(voter)
        for _ in range(3):
            status, voter, h, body = s.vote(1777, "happy")
            expect(status == 429, "the fourth: %d %r" % (status, body))
            expect(voter is None, "a refused vote got a cookie")
            # The cap is per UTC day: a client may try again when the next one starts.
            left = 86400 - int(time.time()) % 86400
            off = (int(h.get("retry-after", "0") or 0) - left) % 86400 if \
                h.get("retry-after", "").isdigit() else None
            expect(off is not None and min(off, 86400 - off) <= 5 and
                   0 < int(h["retry-after"]) <= 86400, (h.get("retry-after"), left))
            expect(h["content-type"] == "application/json", h)
            err = json.loads(body)
            expect(set(err) == {"error", "status"} and err["status"] == 429, err)
            expect("not counted" in err["error"], err)
        expect(s.counts(1777) == {"sad": 1, "meh": 0, "happy": 2}, s.counts(1777))
        # Refused votes did not charge the count.
        db = os.path.join(data, "feedback.sqlite")
        expect(caps(db) == [("127.0.0.0/24", 1777, today(), 3)], caps(db))
        # The form: an HTML page, in English, and in Polish from /pl/, a lang field or the
        # Polish page as Referer.
        status, _, h, page = s.vote(1777, "meh", headers=FORM)
        expect(status == 429 and h["content-type"].startswith("text/html"), (status, h))
        expect("Too many votes" in page.decode() and "not counted" in page.decode(), page)
        for path, body_extra, headers in (
                ("/pl/ports/1777/feedback", "", FORM),
                ("/ports/1777/feedback", "&lang=pl", FORM),
                ("/ports/1777/feedback", "", dict(FORM, Referer="http://127.0.0.1:%d/pl/ports/"
                                                  "1777" % s.port))):
            status, rh, page = s.request("POST", path, "vote=meh" + body_extra, headers)
            text = page.decode()
            expect(status == 429 and 'lang="pl"' in text, (path, status, text[:200]))
            expect("Zbyt wiele głosów" in text and "nie został policzony" in text, text)
        # A made-up cookie is a new voter.
        status, _, _, body = s.vote(1777, "meh", "0123456789abcdef0123456789abcdef")
        expect(status == 429, "made-up cookie: %d %r" % (status, body))
        # Known voters: a revote and a vote on another page, neither counted against a cap.
        status, again, _, body = s.vote(1777, "meh", voters[0])
        expect(status == 200 and again == voters[0], "revote: %d %r" % (status, body))
        expect(s.counts(1777) == {"sad": 1, "meh": 1, "happy": 1}, s.counts(1777))
        status, _, _, _ = s.vote(1778, "sad", voters[1])
        expect(status == 200, "known voter elsewhere: %d" % status)
        expect(caps(db) == [("127.0.0.0/24", 1777, today(), 3)], caps(db))
        # Another page has its own cap.
        for i in range(3):
            expect(s.vote(1779, "sad")[0] == 200, "another page, vote %d" % i)
        expect(s.vote(1779, "sad")[0] == 429, "another page, the fourth")
    finally:
        expect(s.stop() == 0, "stop")
    # Across a restart the day's count stays.
    s = Server(data)
    try:
        expect(s.vote(1777, "sad")[0] == 429, "after a restart")
        expect(s.counts(1777) == {"sad": 1, "meh": 1, "happy": 1}, s.counts(1777))
    finally:
        expect(s.stop() == 0, "stop")
    # No whole address anywhere in the store.
    with open(db, "rb") as f:
        expect(b"127.0.0.1" not in f.read(), "a whole address in the store")


@test
def two_processes_share_the_cap(tmp):
    data = fresh(tmp, "b")
    a, b = Server(data), Server(data)
    try:
        got = [(a if i % 2 else b).vote(2000, "meh")[0] for i in range(6)]
        expect(got == [200, 200, 200, 429, 429, 429], got)
        expect(a.counts(2000) == {"sad": 0, "meh": 3, "happy": 0}, a.counts(2000))
    finally:
        expect(a.stop() == 0 and b.stop() == 0, "stop")


@test
def option_changes_the_cap(tmp):
    data = fresh(tmp, "c")
    s = Server(data, "--votes-per-address", "0")
    try:
        got = [s.vote(3000, "happy")[0] for _ in range(6)]
        expect(got == [200] * 6, "no cap: %r" % got)
    finally:
        expect(s.stop() == 0, "stop")
    s = Server(data, "--votes-per-address", "1")
    try:
        got = [s.vote(3001, "happy")[0] for _ in range(3)]
        expect(got == [200, 429, 429], "a cap of one: %r" % got)
    finally:
        expect(s.stop() == 0, "stop")
    for bad in ("-1", "x", "1000001", ""):
        p = subprocess.run([PORTINFO, "serve", "--data-dir", data, "--listen", "127.0.0.1:0",
                            "--votes-per-address", bad], capture_output=True, text=True,
                           timeout=20)
        expect(p.returncode == 2 and p.stdout == "", "%r: %d %r" % (bad, p.returncode, p.stdout))
        lines = p.stderr.strip().split("\n")
        expect(len(lines) == 1 and lines[0].startswith("portinfo serve: ") and
               "--votes-per-address" in lines[0], "%r: %r" % (bad, p.stderr))


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@test
def ipv6_counts_as_its_64(tmp):
    if not ipv6_loopback():
        expect(os.environ.get("CI") != "true", "no IPv6 loopback in CI")
        print("# no IPv6 loopback: skipped")
        return
    data = fresh(tmp, "d")
    s = Server(data, listen="[::1]:0")
    try:
        got = [s.vote(4000, "sad")[0] for _ in range(4)]
        expect(got == [200, 200, 200, 429], got)
        db = os.path.join(data, "feedback.sqlite")
        expect(caps(db) == [("::/64", 4000, today(), 3)], caps(db))
    finally:
        expect(s.stop() == 0, "stop")


@test
def old_store_migrated_and_pruned(tmp):
    data = fresh(tmp, "e")
    db = os.path.join(data, "feedback.sqlite")
    with sqlite3.connect(db) as c:  # schema version 1, as portinfo wrote it before the cap
        c.executescript(
            "CREATE TABLE votes (port INTEGER NOT NULL, voter TEXT NOT NULL, value INTEGER NOT"
            " NULL, time INTEGER NOT NULL, PRIMARY KEY (port, voter)) WITHOUT ROWID;"
            "CREATE TABLE counts (port INTEGER PRIMARY KEY, sad INTEGER NOT NULL DEFAULT 0,"
            " meh INTEGER NOT NULL DEFAULT 0, happy INTEGER NOT NULL DEFAULT 0);"
            "CREATE TRIGGER votes_insert AFTER INSERT ON votes BEGIN"
            "  INSERT OR IGNORE INTO counts (port) VALUES (NEW.port);"
            "  UPDATE counts SET sad = sad + (NEW.value = 0), meh = meh + (NEW.value = 1),"
            "    happy = happy + (NEW.value = 2) WHERE port = NEW.port;"
            "END;"
            "CREATE TRIGGER votes_update AFTER UPDATE OF value ON votes BEGIN"
            "  UPDATE counts SET sad = sad - (OLD.value = 0) + (NEW.value = 0),"
            "    meh = meh - (OLD.value = 1) + (NEW.value = 1),"
            "    happy = happy - (OLD.value = 2) + (NEW.value = 2) WHERE port = NEW.port;"
            "END;"
            "INSERT INTO votes VALUES (5000, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 2, 1);"
            "PRAGMA user_version = 1;")
    s = Server(data)
    try:
        expect(s.counts(5000) == {"sad": 0, "meh": 0, "happy": 1}, s.counts(5000))
        with sqlite3.connect(db) as c:
            expect(c.execute("PRAGMA user_version").fetchone()[0] == 2, "not migrated")
            c.execute("INSERT INTO vote_caps VALUES ('198.51.100.0/24', 1, ?, 3)",
                      (today() - 2,))
            c.execute("INSERT INTO vote_caps VALUES ('198.51.100.0/24', 1, ?, 3)",
                      (today() - 1,))
        # The voter of the old store is known: not counted.
        status, _, _, _ = s.vote(5000, "sad", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        expect(status == 200, "old voter: %d" % status)
        expect(s.vote(5000, "meh")[0] == 200, "a new voter")
        expect(s.counts(5000) == {"sad": 1, "meh": 1, "happy": 0}, s.counts(5000))
        got = caps(db)
        expect(got == [("127.0.0.0/24", 5000, today(), 1),
                       ("198.51.100.0/24", 1, today() - 1, 3)], "pruned: %r" % got)
    finally:
        expect(s.stop() == 0, "stop")


@test
def vote_named_in_words(tmp):
    """After a vote the page says which, in words (the emoji is hidden from screen readers),
    and carries the words the script shows, in English and in Polish."""
    import html as htmlmod
    data = fresh(tmp, "f")
    s = Server(data)
    words = {"sad": ("not helpful", "niepomocna"), "meh": ("somewhat helpful", "częściowo pomocna"),
             "happy": ("helpful", "pomocna")}
    try:
        for i, (value, (en, pl)) in enumerate(words.items()):
            status, voter, h, _ = s.vote(6000 + i, value, headers=FORM)
            expect(status == 303 and voter, "form vote: %d" % status)
            for prefix, want in (("", "You voted “%s”." % en), ("/pl", "Twój głos: „%s”." % pl)):
                status, _, page = s.request("GET", "%s/ports/%d" % (prefix, 6000 + i),
                                            headers={"Cookie": "voter=" + voter})
                text = page.decode()
                m = re.search(r'<p class="fb-status" role="status">(.*?)</p>', text, re.S)
                expect(status == 200 and m, "status line on %s: %r" % (prefix, text[-800:]))
                line = m.group(1)
                expect(want in htmlmod.unescape(line), "%s: %r" % (want, line))
                expect(re.match(r'<span aria-hidden="true">[^<]+</span> ', line),
                       "the emoji is hidden from screen readers: %r" % line)
        for prefix, lang in (("", 0), ("/pl", 1)):
            _, _, page = s.request("GET", prefix + "/ports/6100")
            text = htmlmod.unescape(page.decode())
            for value, names in words.items():
                m = re.search(r'data-thanks-%s="([^"]*)"' % value, text)
                expect(m and "“%s”" % names[0] in m.group(1) if lang == 0 else
                       m and "„%s”" % names[1] in m.group(1), "data-thanks-%s: %r" % (
                           value, m and m.group(1)))
            m = re.search(r'data-capped="([^"]*)"', text)
            expect(m and ("not counted" if lang == 0 else "nie został policzony") in m.group(1),
                   "data-capped: %r" % (m and m.group(1)))
    finally:
        expect(s.stop() == 0, "stop")


def main():
    tmp = tempfile.mkdtemp(prefix="portinfo-vote-cap.")
    os.chmod(tmp, 0o755)
    passed = failed = 0
    try:
        for fn in TESTS:
            try:
                fn(tmp)
                passed += 1
                print("ok - %s" % fn.__name__)
            except Exception:
                import traceback
                failed += 1
                print("not ok - %s" % fn.__name__)
                traceback.print_exc(file=sys.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
