#!/usr/bin/env python3
"""kill -9 in the middle of 2,000 votes from 50 voters: every vote answered 2xx/3xx is kept.

Usage: test_votes_kill.py PORTINFO [VOTES VOTERS]
Each voter is a thread with its own voter cookie, voting on its own ports.  After about a third
of the votes the server gets SIGKILL and is started again on the same port while the voters keep
going (a vote that got no answer is simply not counted).  Then the SQLite store must hold every
acknowledged (voter, port, value), and PRAGMA integrity_check must say ok.
"""
import http.client
import os
import secrets
import signal
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import Server, check, finish, healthy  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
VOTES = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
VOTERS = int(sys.argv[3]) if len(sys.argv) > 3 else 50
VALUES = ["sad", "meh", "happy"]
T0 = time.monotonic()
DEADLINE = T0 + 150  # the whole test, whatever happens


class State:
    def __init__(self, port):
        self.port = port
        self.lock = threading.Lock()
        self.acked = {}  # (voter, port) -> value
        self.answered = 0
        self.unanswered = 0
        self.refused = []


def voter(st, i, per_voter):
    vid = secrets.token_hex(16)
    conn = None
    for k in range(per_voter):
        if time.monotonic() > DEADLINE:
            break
        port = 2000 + i * 100 + k // 2       # each port voted twice: the second replaces
        value = (i + k) % 3
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", st.port, timeout=10)
            conn.request("POST", f"/ports/{port}/feedback", body=f"vote={VALUES[value]}",
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Cookie": f"voter={vid}"})
            r = conn.getresponse()
            body = r.read()
            with st.lock:
                if 200 <= r.status < 400:
                    st.acked[(vid, port)] = value
                    st.answered += 1
                else:
                    # The vote was not taken; what was there before stays the last word.
                    st.refused.append((r.status, body[:120], round(time.monotonic() - T0, 2)))
                    if k % 2 == 1:
                        st.acked.pop((vid, port), None)
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            # No answer: the vote may or may not be there, and a later vote on the same port
            # replaces it either way.
            with st.lock:
                st.unanswered += 1
                if k % 2 == 1:
                    st.acked.pop((vid, port), None)
            if conn:
                conn.close()
            conn = None
            time.sleep(0.1)
    if conn:
        conn.close()


def main():
    per_voter = VOTES // VOTERS
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.mkdir(data)
        db = os.path.join(data, "feedback.sqlite")
        s = Server([PORTINFO, "serve"], data, "--no-access-log", "--threads", "2")
        st = State(s.port)
        threads = [threading.Thread(target=voter, args=(st, i, per_voter))
                   for i in range(VOTERS)]
        for t in threads:
            t.start()
        while st.answered < VOTES // 3 and time.monotonic() < DEADLINE:
            time.sleep(0.005)
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait(10)
        killed_at = st.answered
        print(f"# SIGKILL at {time.monotonic() - T0:.2f} s", flush=True)
        time.sleep(0.2)
        s2 = Server([PORTINFO, "serve"], data, "--no-access-log", "--threads", "2", port=st.port)
        for t in threads:
            t.join(max(1, DEADLINE - time.monotonic()))
        check("every voter finished in time", not any(t.is_alive() for t in threads))
        print(f"# {st.answered} votes answered ({killed_at} before SIGKILL), "
              f"{st.unanswered} unanswered, {len(st.refused)} refused", flush=True)
        check("votes were answered before and after the crash",
              killed_at > 0 and st.answered > killed_at)
        # 503 is an honest "not recorded" (the store was busy past its timeout); anything else
        # would be a wrong answer to a valid vote.
        check("no vote was refused but with 503", all(r[0] == 503 for r in st.refused),
              st.refused[:10])
        if st.refused:
            print(f"# refused: {st.refused[:5]}", flush=True)
        check("the restarted server answers", healthy(s2.port))
        check("the restarted server stops cleanly", s2.stop() == 0)

        con = sqlite3.connect(db)
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            rows = {(v, p): val for p, v, val in con.execute("SELECT port, voter, value FROM votes")}
        finally:
            con.close()
        check("PRAGMA integrity_check says ok", integrity == "ok", integrity)
        # A vote answered and not followed by an unanswered one on the same port is the last
        # word for that (voter, port).
        lost = [(k, v, rows.get(k)) for k, v in st.acked.items() if rows.get(k) != v]
        check(f"all {len(st.acked)} acknowledged votes are in the store", not lost, lost[:5])
    finish()


main()
