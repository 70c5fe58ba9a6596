#!/usr/bin/env python3
"""test_votes_report: `portinfo votes` over a SQLite vote store filled by a real server.

Usage: test_votes_report.py PORTINFO

Votes through `portinfo serve` (sad, meh and happy in different numbers on several ports, so
that a column read in place of another shows), then checks the text, --json and --csv reports:
the totals, the pages voted on, the worst pages in order with ties broken as documented, --top;
with the server running (its -wal and -shm in use) and after it stopped.  The store is never
changed and nothing is made beside it (a missing store is not created: exit 2).  Exit status 1
for a store without votes, 2 for bad usage and for a file that is not a vote store, errors on
one line prefixed "portinfo votes: ", --help within 80 columns.  python3 standard library only.
"""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}

# port -> (sad, meh, happy): 443 and 22 tie on sad, 443 has fewer happy so it comes first.
VOTES = {22: (4, 0, 2), 443: (4, 1, 0), 80: (2, 3, 1), 1776: (0, 1, 5), 7: (1, 0, 0)}
WORST = [443, 22, 80, 7]


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def votes(*args, env=None):
    p = subprocess.run([PORTINFO, "votes", *args], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, **(env or {})))
    return p.returncode, p.stdout, p.stderr


def snapshot(d):
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            out[name] = f.read()
    return out


def check_reports(data):
    totals = [sum(v[i] for v in VOTES.values()) for i in range(3)]
    rc, out, err = votes("--data-dir", data)
    expect(rc == 0 and err == "", "text: %d %r" % (rc, err))
    lines = out.split("\n")
    expect(lines[0] == "%d votes on %d pages:" % (sum(totals), len(VOTES)), lines[0])
    expect(lines[1].split() == ["not", "helpful", str(totals[0])], lines[1])
    expect(lines[2].split() == ["somewhat", "helpful", str(totals[1])], lines[2])
    expect(lines[3].split() == ["helpful", str(totals[2])], lines[3])
    rows = [line.split() for line in lines if line.startswith("  /ports/")]
    expect(rows == [["/ports/%d" % p] + [str(n) for n in VOTES[p]] for p in WORST], rows)
    expect(all(len(line) <= 80 for line in lines), "text wider than 80 columns")

    rc, out, _ = votes("--feedback", os.path.join(data, "feedback.sqlite"), "--json")
    doc = json.loads(out)
    expect(rc == 0, "json rc %d" % rc)
    expect(doc["votes"] == dict(zip(("sad", "meh", "happy"), totals)), doc["votes"])
    expect(doc["total"] == sum(totals) and doc["pages"] == len(VOTES), doc)
    expect([w["port"] for w in doc["worst"]] == WORST, doc["worst"])
    for w in doc["worst"]:
        expect((w["sad"], w["meh"], w["happy"]) == VOTES[w["port"]], w)
        expect(w["page"] == "/ports/%d" % w["port"], w)

    rc, out, _ = votes("--data-dir", data, "--csv", "--top", "2")
    rows = list(csv.reader(io.StringIO(out)))
    expect(rc == 0 and rows[0] == ["scope", "port", "pages", "sad", "meh", "happy"], rows)
    expect(rows[1] == ["all", "", str(len(VOTES))] + [str(t) for t in totals], rows[1])
    expect(rows[2:] == [["port", str(p), "1"] + [str(n) for n in VOTES[p]] for p in WORST[:2]],
           rows[2:])
    rc, out, _ = votes("--format", "json", "--top", "0", env={"PORTINFO_DATA_DIR": data})
    expect(rc == 0 and json.loads(out)["worst"] == [], "--top 0 with PORTINFO_DATA_DIR")
    rc, out, _ = votes("--data-dir", data, "--top", "1")
    expect(sum(1 for line in out.split("\n") if line.startswith("  /ports/")) == 1, out)


def main():
    tmp = tempfile.mkdtemp(prefix="portinfo-votes-report.")
    os.chmod(tmp, 0o755)
    failed = 0
    try:
        data = os.path.join(tmp, "data")
        os.mkdir(data, 0o755)
        s = servelib.Serve(PORTINFO, data, "--votes-per-address", "0")
        try:
            for port, counts in VOTES.items():
                for value, n in zip(("sad", "meh", "happy"), counts):
                    for _ in range(n):
                        status, _, body = s.request("POST", "/ports/%d/feedback" % port,
                                                    "vote=" + value, FORM)
                        expect(status == 200, "vote: %d %r" % (status, body))
            # While the server runs: its -wal and -shm are read as they are.
            before = set(os.listdir(data))
            check_reports(data)
            expect(set(os.listdir(data)) == before, "files appeared: %r" % os.listdir(data))
        finally:
            expect(s.stop() == 0, "stop")
        # Stopped, its -wal and -shm left: the store and its log unchanged (readers mark the
        # -shm index, which holds no data).
        before = snapshot(data)
        check_reports(data)
        after = snapshot(data)
        expect(after.keys() == before.keys(), "files: %r" % list(after))
        expect(all(after[k] == before[k] for k in after if not k.endswith("-shm")),
               "the store changed")
        # A store alone (no -wal, -shm): read as it is, nothing made beside it.
        alone = os.path.join(tmp, "alone")
        os.mkdir(alone, 0o755)
        src = sqlite3.connect(os.path.join(data, "feedback.sqlite"))
        dst = sqlite3.connect(os.path.join(alone, "feedback.sqlite"))
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")  # as the server leaves it
        src.close()
        dst.close()
        before = snapshot(alone)
        expect(list(before) == ["feedback.sqlite"], list(before))
        check_reports(alone)
        expect(snapshot(alone) == before, "the folder changed: %r" % os.listdir(alone))
        print("ok - reports")

        # Nothing there: exit 2, and nothing is created.
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty, 0o755)
        rc, out, err = votes("--data-dir", empty)
        expect(rc == 2 and out == "" and err.startswith("portinfo votes: ") and
               err.count("\n") == 1 and "no vote store" in err, (rc, out, err))
        expect(os.listdir(empty) == [], "a store was created")
        # A store without votes: exit 1.
        with sqlite3.connect(os.path.join(empty, "feedback.sqlite")) as c:  # closed on exit
            c.executescript("CREATE TABLE counts (port INTEGER PRIMARY KEY, sad INTEGER NOT NULL"
                            " DEFAULT 0, meh INTEGER NOT NULL DEFAULT 0, happy INTEGER NOT NULL"
                            " DEFAULT 0); INSERT INTO counts VALUES (5, 0, 0, 0);"
                            " PRAGMA user_version = 2;")
        rc, out, _ = votes("--data-dir", empty)
        expect(rc == 1 and out == "No votes yet.\n", (rc, out))
        rc, out, _ = votes("--data-dir", empty, "--json")
        expect(rc == 1 and json.loads(out)["total"] == 0, (rc, out))
        # Not a vote store, a newer one, bad usage.
        junk = os.path.join(tmp, "junk.sqlite")
        with open(junk, "w") as f:
            f.write("not a database\n" * 100)
        newer = os.path.join(tmp, "newer.sqlite")
        with sqlite3.connect(newer) as c:
            c.executescript("CREATE TABLE counts (port INTEGER); PRAGMA user_version = 99;")
        for args, word in ((["--feedback", junk], "not a portinfo vote store"),
                           (["--feedback", newer], "newer portinfo"),
                           (["--top", "-1"], "--top"), (["--top", "65537"], "--top"),
                           (["--format", "xml"], "--format"), (["--bogus"], "--bogus"),
                           (["extra"], "extra"), (["--top"], "needs a value"),
                           (["--feedback", junk, "--data-dir", tmp], "twice")):
            rc, out, err = votes(*args)
            expect(rc == 2 and out == "" and err.startswith("portinfo votes: ") and
                   err.count("\n") == 1 and word in err, (args, rc, out, err))
        # A PostgreSQL URI's password is starred over in the command line at once: a server
        # that accepts and never answers keeps the helper waiting to be looked at.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(1)
            dsn = "postgresql://portinfo:pw-7f3a9c@127.0.0.1:%d/portinfo" % (
                silent.getsockname()[1])
            p = subprocess.Popen([PORTINFO, "votes", "--feedback", dsn], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            seen = b""
            deadline = time.monotonic() + 4
            while b"portinfo-votes" not in seen and time.monotonic() < deadline:
                time.sleep(0.05)
                with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                    seen = f.read()
            time.sleep(0.2)
            with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                seen = f.read()
            out, err = p.communicate(timeout=30)
        expect(b"portinfo-votes" in seen and b"pw-7f3a9c" not in seen and
               b"portinfo:*********@127.0.0.1" in seen, "command line: %r" % seen)
        expect(p.returncode == 2 and out == "" and err.startswith("portinfo votes: ") and
               "pw-7f3a9c" not in err, (p.returncode, err))
        rc, out, _ = votes("--help")
        expect(rc == 0 and out.startswith("Usage: portinfo votes"), out)
        expect(all(len(line) <= 80 for line in out.split("\n")), "--help wider than 80")
        print("ok - errors and exit codes")
    except Exception:
        import traceback
        failed = 1
        print("not ok")
        traceback.print_exc(file=sys.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
