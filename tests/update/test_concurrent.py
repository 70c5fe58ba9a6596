#!/usr/bin/env python3
"""portinfo update: racing updates on one data directory never lose the table in use or the one
--rollback goes back to.

Usage: test_concurrent.py PORTINFO DATA_DIR_OF_SOURCE_TREE PAIRS
Each round starts from a known state (table A in use, B kept as the previous one) and starts two
updates (tables C and D) a few random milliseconds apart.  Each either installs its table, or
is refused because the other holds the lock (exit 2, "another update").  Afterwards the table in
use is valid; each install compared with the table it really replaced (the first with A, a
second one with the first's); and --rollback works and gives back the table the last install
compared with.  No temporary file is left.
"""
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from faultlib import check, finish  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
SRC = os.path.join(sys.argv[2], "iana", "service-names-port-numbers.csv")
PAIRS = int(sys.argv[3])

with open(SRC, newline="", encoding="utf-8") as f:
    HEADER, *ROWS = list(csv.reader(f))


def registry(path, tag, extra):
    """The vendored registry with @extra rows named after @tag: a table told apart by its
    record count (portinfo --version)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(ROWS)
        for i in range(extra):
            w.writerow([f"{tag}{i}", str(40000 + i), "tcp", f"Test {tag}", "", "",
                        "2026-12-01", "", "", "", "", ""])


def run(data, *args):
    env = dict(os.environ, NO_COLOR="1", PORTINFO_DATA_DIR=data)
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def records(data):
    """The record count of the table in use, or None when it is not a valid imported table."""
    rc, out, err = run(data, "--version")
    if rc != 0 or "warning" in err or "csv form" not in out:
        return None
    for word in out.split():
        if word.isdigit() and int(word) > 14000:
            return int(word)
    return None


def compared_with(out):
    m = re.search(r"Registry of \S+ \(csv, (\d+) records\) ->", out)
    return int(m.group(1)) if m else None


def main():
    with tempfile.TemporaryDirectory() as tmp:
        regs = {}
        for tag, extra in (("a", 1), ("b", 2), ("c", 3), ("d", 4)):
            regs[tag] = os.path.join(tmp, f"{tag}.csv")
            registry(regs[tag], tag, extra)
        n_of = {tag: len(ROWS) + extra for tag, extra in (("a", 1), ("b", 2), ("c", 3), ("d", 4))}
        data = os.path.join(tmp, "data")
        bad = 0
        both = one = 0
        for k in range(PAIRS):
            # The known state: B previous, A in use.
            for tag in ("b", "a"):
                rc, _, err = run(data, "update", "--force", regs[tag])
                if rc not in (0, 1):
                    check(f"round {k}: setting up {tag}", False, err)
            if records(data) != n_of["a"]:
                check(f"round {k}: A in use before the race", False, records(data))
                bad += 1
                continue
            results = {}

            def go(tag, delay):
                time.sleep(delay)
                results[tag] = run(data, "update", "--force", regs[tag])

            threads = [threading.Thread(target=go, args=("c", random.uniform(0, 0.02))),
                       threading.Thread(target=go, args=("d", random.uniform(0, 0.02)))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ok = [t for t in ("c", "d") if results[t][0] == 0]
            refused = [t for t in ("c", "d") if results[t][0] == 2]
            reasons_ok = all("another update" in results[t][2] for t in refused)
            cur = records(data)
            leftovers = [n for n in os.listdir(data) if n.endswith(".tmp")]
            # Each install reports the table it compared with ("Registry of ... (csv, N
            # records) -> ...").  Installs in turn: the first compared with A, the last with
            # the first; the previous table kept is the one the last install compared with.
            seen = {t: compared_with(results[t][1]) for t in ok}
            last = [t for t in ok if n_of[t] == cur]
            first = [t for t in ok if t not in last]
            chain_ok = len(last) == 1 and (
                seen[last[0]] == n_of["a"] if not first
                else seen[first[0]] == n_of["a"] and seen[last[0]] == n_of[first[0]])
            both += len(ok) == 2
            one += len(ok) == 1
            rc, _, err = run(data, "update", "--rollback")
            prev = records(data)
            good = (len(ok) + len(refused) == 2 and reasons_ok and chain_ok and rc == 0 and
                    len(last) == 1 and prev == seen[last[0]] and not leftovers)
            if not good:
                bad += 1
                check(f"round {k}", False,
                      f"ok={ok} refused={refused} cur={cur} prev={prev} rollback={rc} "
                      f"leftovers={leftovers} {results}")
        check(f"{PAIRS} racing pairs: every round kept a valid table and a working --rollback",
              bad == 0, f"{bad} bad rounds")
        print(f"# rounds where both installed: {both}; single installs: {one}")
    finish()


main()
