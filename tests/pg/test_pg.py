#!/usr/bin/env python3
"""test_pg: votes on PostgreSQL, shared by two servers, while the database goes away and back.

Usage: test_pg.py PORTINFO

Starts a real PostgreSQL from Debian's packages in a temporary directory (initdb and pg_ctl as
nobody when run as root), on a free loopback port with trust authentication for a test role
that owns its database; runs two `portinfo serve --feedback postgresql://...` on it, votes
through both (cookies, revotes, a burst of 60 new voters against a cap of 30), and checks that
both report the same counts; the default cap on IPv4 and IPv6 (a fourth new voter on a port is
refused with 429 and not counted); `portinfo votes` against the database's own sums.  Then it stops the database: pages still answer 200, votes and counts 503, quickly;
starts it again: both servers reconnect by themselves.  A third server started while the
database is down must come good too.  The password in the URI must never show in a log or in
the servers' command lines.  Everything is cleaned up, also on failure.  Exits 77 only when no
PostgreSQL server binaries can be found; python3 standard library only.
"""
import glob
import http.client
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
SKIP = 77
PASSWORD = "s3cret-password-7f3a"


def pg_bindir():
    """The directory of initdb and pg_ctl: Debian's newest, else the PATH's; None if none."""
    env = os.environ.get("PG_BINDIR")
    if env and os.access(os.path.join(env, "initdb"), os.X_OK):
        return env
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    dirs.sort(key=lambda d: [int(x) for x in re.findall(r"\d+", d)], reverse=True)
    for d in dirs:
        if all(os.access(os.path.join(d, t), os.X_OK) for t in ("initdb", "pg_ctl", "postgres")):
            return d
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return os.path.dirname(initdb)
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL cluster in @tmp, run as nobody when we are root."""

    def __init__(self, bindir, tmp):
        self.bindir = bindir
        self.dir = os.path.join(tmp, "pg")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "log")
        self.port = free_port()
        os.mkdir(self.dir, 0o700)
        self.prefix = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("nobody")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            os.chmod(tmp, 0o755)  # nobody must reach its directory
            self.prefix = ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
                           "--clear-groups"]
        self.run("initdb", "-D", self.data, "-U", "admin", "--auth=trust", "--no-sync",
                 "-E", "UTF8", "--locale=C")

    def run(self, tool, *args, timeout=60, check=True):
        p = subprocess.run(self.prefix + [os.path.join(self.bindir, tool), *args],
                           cwd=self.dir, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError("%s failed (%d): %s %s" % (tool, p.returncode, p.stdout,
                                                           p.stderr))
        return p

    def require_password(self, role):
        """Makes @role log in over TCP with its password (SCRAM); everyone else is trusted."""
        hba = os.path.join(self.data, "pg_hba.conf")
        with open(hba) as f:
            rest = f.read()
        with open(hba, "w") as f:
            f.write("host all %s 127.0.0.1/32 scram-sha-256\n%s" % (role, rest))
        self.run("pg_ctl", "-D", self.data, "reload")

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o",
                 "-p %d -k %s -c listen_addresses=127.0.0.1" % (self.port, self.dir), "start")

    def stop(self, mode="fast", check=True):
        return self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop",
                        check=check)

    def sql(self, text, db="portinfo"):
        """Runs @text with psql as the admin role; returns the unaligned output."""
        psql = os.path.join(self.bindir, "psql")
        p = subprocess.run([psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                            "127.0.0.1", "-p", str(self.port), "-U", "admin", "-d", db,
                            "-c", text], capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            raise AssertionError("psql: %s" % p.stderr)
        return p.stdout.strip()


class Server(servelib.Serve):
    """A running `portinfo serve` with its votes in PostgreSQL (@dsn)."""

    def __init__(self, data_dir, dsn, env=None, cap=None, listen="127.0.0.1:0"):
        extra = ["--votes-per-address", str(cap)] if cap is not None else []
        super().__init__(PORTINFO, data_dir, "--feedback", dsn, "--threads", "2", *extra,
                         env=env, listen=listen)
        self.host = "::1" if listen.startswith("[") else "127.0.0.1"

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, servelib.Headers(r.getheaders()), r.read()
        finally:
            conn.close()

    def vote(self, port, value, voter=None):
        """POSTs a vote as JSON; returns (status, voter id from the cookie or None, body)."""
        headers = {"Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded"}
        if voter:
            headers["Cookie"] = "voter=" + voter
        status, h, body = self.request("POST", "/ports/%d/feedback" % port, "vote=" + value,
                                       headers)
        m = re.match(r"voter=([0-9a-f]{32});", h.get("set-cookie", ""))
        return status, m.group(1) if m else None, body

    def counts(self, port, voter=None):
        headers = {"Cookie": "voter=" + voter} if voter else {}
        status, _, body = self.request("GET", "/api/ports/%d/feedback" % port, headers=headers)
        return status, json.loads(body)

    def cmdline(self):
        with open("/proc/%d/cmdline" % self.proc.pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")



def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def wait_for(fn, seconds, what):
    """Calls @fn until it returns something true, for up to @seconds; returns that."""
    deadline = time.monotonic() + seconds
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %d s (last: %r)" % (what, seconds, got))
        time.sleep(0.2)


STEPS = []


def step(fn):
    STEPS.append(fn)
    return fn


# ---- the steps, in order: each takes the context (cluster, servers, temporary directory) ----

@step
def store_is_migrated(ctx):
    pg = ctx["pg"]
    expect(pg.sql("SELECT version FROM schema_version") == "3", "schema_version is not 3")
    expect(pg.sql("SELECT count(*) FROM pg_proc WHERE proname IN "
                  "('portinfo_count_vote', 'portinfo_vote', 'portinfo_vote_capped')") == "3",
           "the functions")
    tables = pg.sql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                    "WHERE schemaname = 'public'")
    expect(tables == "counts,schema_version,vote_caps,votes", "tables: %s" % tables)
    owner = pg.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'votes'")
    expect(owner == "portinfo", "votes is owned by %s" % owner)


@step
def password_never_shown(ctx):
    for s in ctx["servers"]:
        expect(any("votes in postgresql://portinfo:***@127.0.0.1" in line for line in s.lines),
               "start-up line: %r" % s.lines[:3])
        expect(PASSWORD not in s.cmdline(), "the password is in the command line")


@step
def votes_shared_between_servers(ctx):
    a, b = ctx["servers"]
    status, voter, body = a.vote(4201, "happy")
    expect(status == 200 and voter, "first vote: %d %r" % (status, body))
    expect(json.loads(body) == {"sad": 0, "meh": 0, "happy": 1, "vote": "happy"}, body)
    # The same voter through the other server: the vote is replaced, not added.
    status, again, body = b.vote(4201, "sad", voter)
    expect(status == 200 and again == voter, "revote: %d %r %r" % (status, again, body))
    expect(json.loads(body) == {"sad": 1, "meh": 0, "happy": 0, "vote": "sad"}, body)
    status, _, body = b.vote(4201, "meh")
    expect(status == 200, "second voter: %d %r" % (status, body))
    for s in (a, b):
        expect(s.counts(4201) == (200, {"sad": 1, "meh": 1, "happy": 0}),
               "counts on :%d: %r" % (s.port, s.counts(4201)))
        expect(s.counts(4201, voter)[1].get("vote") == "sad", "own vote on :%d" % s.port)
    # The form's answer: 303 back to the page, with the cookie.
    status, h, _ = a.request("POST", "/ports/4202/feedback", "vote=happy",
                             {"Content-Type": "application/x-www-form-urlencoded"})
    expect(status == 303 and h["location"] == "/ports/4202#feedback", (status, h))
    expect(b.counts(4202) == (200, {"sad": 0, "meh": 0, "happy": 1}), b.counts(4202))
    expect(ctx["pg"].sql("SELECT count(*) FROM votes") == "3", "3 rows in votes")


@step
def concurrent_voters_capped_across_servers(ctx):
    """60 new voters at once through two servers with a cap of 30: exactly 30 are counted."""
    a, b = ctx["servers"]
    n = 60
    results = [None] * n
    values = ("sad", "meh", "happy")

    def one(i):
        try:
            results[i] = (a if i % 2 else b).vote(4203, values[i % 3])[0]
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = repr(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    expect(sorted(results) == [200] * 30 + [429] * 30, "answers: %r" % results)
    for s in (a, b):
        got = s.counts(4203)
        expect(got[0] == 200 and sum(got[1].values()) == 30, "counts on :%d: %r" % (s.port, got))
    expect(ctx["pg"].sql("SELECT count(*) FROM votes WHERE port = 4203") == "30", "rows")
    expect(ctx["pg"].sql("SELECT sad + meh + happy FROM counts WHERE port = 4203") == "30",
           "the counts row")
    expect(ctx["pg"].sql("SELECT net || ' ' || n FROM vote_caps WHERE port = 4203") ==
           "127.0.0.0/24 30", "the cap's row")


@step
def fourth_new_voter_refused(ctx):
    """The default cap (3) on one more server over the same database, IPv4 and IPv6."""
    pg = ctx["pg"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for listen, net, port in (("127.0.0.1:0", "127.0.0.0/24", 4210),
                              ("[::1]:0", "::/64", 4220)):
        try:
            s = Server(ctx["data"], ctx["dsn"], listen=listen)
        except AssertionError:
            if listen.startswith("[") and os.environ.get("CI") != "true":
                print("# no IPv6 loopback: the IPv6 half skipped")
                continue
            raise
        ctx["servers"].append(s)
        voters = []
        for value in ("sad", "sad", "happy"):
            status, voter, body = s.vote(port, value)
            expect(status == 200 and voter, "vote under the cap: %d %r" % (status, body))
            voters.append(voter)
        status, voter, body = s.vote(port, "meh")
        expect(status == 429 and voter is None, "the fourth: %d %r" % (status, body))
        err = json.loads(body)
        expect(err["status"] == 429 and "not counted" in err["error"], body)
        status, h, page = s.request("POST", "/pl/ports/%d/feedback" % port, "vote=meh", form)
        expect(status == 429 and "text/html" in h["content-type"], "form: %d" % status)
        expect("nie został policzony" in page.decode(), "Polish page: %r" % page[:300])
        # A made-up cookie is a new voter too.
        status, _, body = s.vote(port, "meh", "0123456789abcdef0123456789abcdef")
        expect(status == 429, "made-up cookie: %d %r" % (status, body))
        # A voter the store knows changes its vote, and votes on another page, uncounted.
        status, _, body = s.vote(port, "happy", voters[0])
        expect(status == 200, "known voter's revote: %d %r" % (status, body))
        status, _, body = s.vote(port + 1, "sad", voters[0])
        expect(status == 200, "known voter on another page: %d %r" % (status, body))
        expect(s.counts(port) == (200, {"sad": 1, "meh": 0, "happy": 2}), s.counts(port))
        rows = pg.sql("SELECT port || ' ' || n FROM vote_caps WHERE net = '%s' "
                      "AND port IN (%d, %d)" % (net, port, port + 1))
        expect(rows == "%d 3" % port, "the cap's rows for %s: %r" % (net, rows))
        pg.sql("TRUNCATE vote_caps")
    # Old days are dropped as votes come in; no row holds a whole address.
    pg.sql("INSERT INTO vote_caps VALUES ('198.51.100.0/24', 1, 1, 3)")
    expect(ctx["servers"][0].vote(4212, "happy")[0] == 200, "a vote")
    expect(pg.sql("SELECT count(*) FROM vote_caps WHERE day = 1") == "0", "old day kept")
    nets = pg.sql("SELECT string_agg(DISTINCT net, ',') FROM vote_caps")
    expect(nets == "127.0.0.0/24", "nets: %r" % nets)


@step
def votes_report_reads_postgres(ctx):
    """`portinfo votes --feedback postgresql://...` gives the database's own sums, read-only."""
    pg = ctx["pg"]
    p = subprocess.run([PORTINFO, "votes", "--feedback", ctx["dsn"], "--json", "--top", "3"],
                       capture_output=True, text=True, timeout=30)
    expect(p.returncode == 0 and p.stderr == "", "portinfo votes: %d %r" % (p.returncode,
                                                                         p.stderr))
    doc = json.loads(p.stdout)
    sums = pg.sql("SELECT sum(sad) || ' ' || sum(meh) || ' ' || sum(happy) || ' ' || count(*)"
                  " FROM counts WHERE sad + meh + happy > 0").split()
    expect([doc["votes"]["sad"], doc["votes"]["meh"], doc["votes"]["happy"], doc["pages"]] ==
           [int(x) for x in sums], "%r vs %r" % (doc, sums))
    want = pg.sql("SELECT string_agg(port || ':' || sad || ':' || meh || ':' || happy, ' ')"
                  " FROM (SELECT * FROM counts WHERE sad > 0"
                  " ORDER BY sad DESC, happy, port LIMIT 3) w")
    got = " ".join("%d:%d:%d:%d" % (w["port"], w["sad"], w["meh"], w["happy"])
                   for w in doc["worst"])
    expect(got == want and len(doc["worst"]) == 3, "worst: %r vs %r" % (got, want))
    expect(PASSWORD not in p.stdout + p.stderr, "the password in the output")
    # A database that holds no vote store, and an unreachable one: exit 2, one line.
    pg.sql("CREATE DATABASE empty OWNER portinfo", db="postgres")
    for dsn, word in ((ctx["dsn"].rsplit("/", 1)[0] + "/empty", "no portinfo vote store"),
                      ("postgresql://portinfo@127.0.0.1:1/portinfo", "cannot reach")):
        p = subprocess.run([PORTINFO, "votes", "--feedback", dsn], capture_output=True,
                           text=True, timeout=30)
        expect(p.returncode == 2 and p.stdout == "" and
               p.stderr.startswith("portinfo votes: ") and word in p.stderr and
               p.stderr.count("\n") == 1, (dsn, p.returncode, p.stderr))
    expect(pg.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", db="empty") ==
           "0", "portinfo votes created tables")


@step
def database_down_pages_stay(ctx):
    a, b = ctx["servers"][:2]
    ctx["pg"].stop("fast")
    for s in (a, b):
        for path in ("/", "/ports/4201", "/pl/ports/4201", "/api/ports/4201", "/healthz"):
            t0 = time.monotonic()
            status, _, _ = s.request("GET", path)
            expect(status == 200, "GET %s on :%d with the database down: %d" % (path, s.port,
                                                                               status))
            expect(time.monotonic() - t0 < 2, "GET %s took %.1f s" % (path,
                                                                      time.monotonic() - t0))
        for _ in range(3):
            t0 = time.monotonic()
            status, _, body = s.vote(4201, "happy")
            expect(status == 503, "vote with the database down: %d %r" % (status, body))
            expect("cannot be reached" in json.loads(body)["error"], body)
            expect(time.monotonic() - t0 < 2, "a refused vote took %.1f s" % (
                time.monotonic() - t0))
            expect(s.counts(4201)[0] == 503, "counts with the database down")
            status, h, _ = s.request("POST", "/ports/4201/feedback", "vote=happy",
                                     {"Content-Type": "application/x-www-form-urlencoded"})
            expect(status == 503 and "text/html" in h["content-type"], "form vote: %d" % status)
        expect(s.proc.poll() is None, "server :%d exited" % s.port)


@step
def server_started_while_down(ctx):
    """Started while the database is down, with the password in a password file that is gone
    by the time the database is back (as a sandbox would close it): it must still get in."""
    passfile = os.path.join(ctx["tmp"], "pgpass")
    with open(os.open(passfile, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("127.0.0.1:%d:portinfo:portinfo:%s\n" % (ctx["pg"].port, PASSWORD))
    s = Server(ctx["data"], ctx["dsn"].replace(":" + PASSWORD + "@", "@"),
               env={"PGPASSFILE": passfile, "PGPASSWORD": ""})
    ctx["late"] = s
    os.unlink(passfile)
    expect(any("cannot be reached now" in line for line in s.lines),
           "no warning at start: %r" % s.lines)
    expect(all(PASSWORD not in line for line in s.lines), "password in the warning")
    expect(s.request("GET", "/ports/4201")[0] == 200, "page from the late server")
    expect(s.vote(4201, "happy")[0] == 503, "vote on the late server")


@step
def database_back_servers_reconnect(ctx):
    ctx["pg"].start()
    a, b = ctx["servers"][:2]
    late = ctx["late"]
    voter = {}
    for s in (a, b, late):
        def try_vote(s=s):
            status, v, _ = s.vote(4204, "happy")
            if status == 200:
                voter[s.port] = v
                return True
            expect(status == 503, "vote while reconnecting: %d" % status)
            return False
        wait_for(try_vote, 15, "a vote through :%d after the restart" % s.port)
    want = {"sad": 0, "meh": 0, "happy": 3}
    for s in (a, b, late):
        expect(s.counts(4204) == (200, want), "counts on :%d: %r" % (s.port, s.counts(4204)))
        # Nothing acknowledged before the stop was lost.
        expect(s.counts(4201) == (200, {"sad": 1, "meh": 1, "happy": 0}), s.counts(4201))
    # A revote after the restart still replaces.
    status, _, body = late.vote(4204, "sad", voter[a.port])
    expect(status == 200 and json.loads(body)["happy"] == 2, body)
    expect(a.counts(4204) == (200, {"sad": 1, "meh": 0, "happy": 2}), a.counts(4204))


@step
def older_store_is_migrated(ctx):
    """A store left at schema version 1 (no portinfo_vote) is brought up to date."""
    pg = ctx["pg"]
    pg.sql("CREATE DATABASE old OWNER portinfo", db="postgres")
    dsn = ctx["dsn"].rsplit("/", 1)[0] + "/old"
    s = Server(ctx["data"], dsn)
    try:
        status, _, body = s.vote(7, "meh")
        expect(status == 200, "a first vote: %d %r %r" % (status, body, s.lines))
        pg.sql("DROP FUNCTION portinfo_vote_capped; DROP TABLE vote_caps; DROP INDEX votes_voter;"
               " DROP FUNCTION portinfo_vote; UPDATE schema_version SET version = 1", db="old")
    finally:
        expect(s.stop() == 0, "stop")
    s = Server(ctx["data"], dsn)
    try:
        expect(pg.sql("SELECT version FROM schema_version", db="old") == "3", "not migrated")
        expect(pg.sql("SELECT count(*) FROM vote_caps", db="old") == "0", "no vote_caps")
        status, _, body = s.vote(7, "happy")
        expect(status == 200 and json.loads(body) == {"sad": 0, "meh": 1, "happy": 1,
                                                      "vote": "happy"}, body)
    finally:
        expect(s.stop() == 0, "stop")
    # A store at version 2 (as portinfo wrote it before the vote cap) gains the cap, votes kept.
    pg.sql("DROP FUNCTION portinfo_vote_capped; DROP TABLE vote_caps; DROP INDEX votes_voter;"
           " UPDATE schema_version SET version = 2", db="old")
    s = Server(ctx["data"], dsn)
    try:
        expect(pg.sql("SELECT version FROM schema_version", db="old") == "3", "not migrated")
        expect(s.counts(7) == (200, {"sad": 0, "meh": 1, "happy": 1}), s.counts(7))
        got = [s.vote(8, "sad")[0] for _ in range(4)]
        expect(got == [200, 200, 200, 429], "the cap after the migration: %r" % got)
    finally:
        expect(s.stop() == 0, "stop")


@step
def newer_store_is_refused(ctx):
    """A store written by a newer portinfo is left alone: pages yes, votes 503."""
    pg = ctx["pg"]
    pg.sql("UPDATE schema_version SET version = 99", db="old")
    s = Server(ctx["data"], ctx["dsn"].rsplit("/", 1)[0] + "/old")
    try:
        expect(any("written by a newer portinfo" in line for line in s.lines), s.lines)
        expect(s.request("GET", "/ports/7")[0] == 200, "page")
        expect(s.vote(7, "sad")[0] == 503, "vote")
        expect(pg.sql("SELECT count(*) FROM votes", db="old") == "5", "rows")
    finally:
        expect(s.stop() == 0, "stop")


@step
def servers_stop_cleanly(ctx):
    for s in ctx["servers"] + [ctx["late"]]:
        rc = s.stop()
        expect(rc == 0, "server :%d stopped with %d" % (s.port, rc))
        expect(all(PASSWORD not in line for line in s.lines), "password in the log")
        bad = [line for line in s.lines if "ERROR" in line or "runtime error" in line]
        expect(not bad, "errors in the log: %r" % bad)


def main():
    bindir = pg_bindir()
    if not bindir:
        print("no PostgreSQL server binaries (initdb, pg_ctl): skipped")
        return 1 if os.environ.get("CI") == "true" else SKIP  # CI must run it
    tmp = tempfile.mkdtemp(prefix="portinfo-pg-test.")
    ctx = {"servers": [], "data": os.path.join(tmp, "data"), "tmp": tmp}
    pg = None
    passed = failed = 0
    t0 = time.monotonic()
    try:
        pg = Postgres(bindir, tmp)
        ctx["pg"] = pg
        pg.start()
        pg.sql("CREATE ROLE portinfo LOGIN PASSWORD '%s'" % PASSWORD, db="postgres")
        pg.require_password("portinfo")
        pg.sql("CREATE DATABASE portinfo OWNER portinfo", db="postgres")
        ctx["dsn"] = "postgresql://portinfo:%s@127.0.0.1:%d/portinfo" % (PASSWORD, pg.port)
        print("# PostgreSQL from %s on 127.0.0.1:%d (%.1f s)" % (bindir, pg.port,
                                                                time.monotonic() - t0))
        ctx["servers"] = [Server(ctx["data"], ctx["dsn"], cap=30),
                          Server(ctx["data"], ctx["dsn"], cap=30)]
        for fn in STEPS:
            try:
                fn(ctx)
                passed += 1
                print("ok - %s" % fn.__name__)
            except Exception:
                failed += 1
                print("not ok - %s" % fn.__name__)
                traceback.print_exc(file=sys.stdout)
                for s in ctx["servers"] + ([ctx["late"]] if "late" in ctx else []):
                    print("  server :%s log (last lines):" % s.port)
                    for line in s.lines[-10:]:
                        print("    " + line)
                break  # the steps build on each other
    except Exception:
        failed += 1
        print("not ok - set-up")
        traceback.print_exc(file=sys.stdout)
        if pg and os.path.exists(pg.log):
            with open(pg.log, errors="replace") as f:
                print(f.read()[-2000:])
    finally:
        for s in ctx["servers"] + ([ctx["late"]] if "late" in ctx else []):
            s.kill()
        if pg and os.path.exists(os.path.join(pg.data, "postmaster.pid")):
            pg.stop("immediate", check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed (%.1f s)" % (passed, failed, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
