#!/usr/bin/env python3
"""portinfo update: each bound on a registry, alone, and the caps on answers from a registry
forced past them.

Usage: test_bounds.py PORTINFO DATA_DIR_OF_SOURCE_TREE
Every fixture is made here from the vendored CSV, changed in one way only, and dated after the
compiled-in registry so that no other check trips first.  The last part installs a registry of
60,000 entries on port 22 with --force and checks that no answer, in the terminal, the JSON,
the API or the pages, exceeds its cap.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from faultlib import Server, check, finish, get  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
CSV = os.path.join(sys.argv[2], "iana", "service-names-port-numbers.csv")
# The caps and bounds under test (src/update/update.h, src/core/answer.h,
# src/serve/http_config.h).
MIN_RECORDS = 5000
MAX_RECORDS = 50000
MAX_PER_PORT = 16
MAX_ENTRIES = 64
MAX_HITS = 100
MAX_PAGE_BYTES = 1 << 20

with open(CSV, newline="", encoding="utf-8") as f:
    HEADER, *ROWS = list(csv.reader(f))
# One row dated after the compiled-in registry (2026-08-17): the file is the newer one.
NEWEST = ["portinfo-t", "65000", "tcp", "Test row", "", "", "2026-12-01", "", "", "", "", ""]


def row(name, port, proto="tcp", desc="Test service"):
    return [name, str(port), proto, desc, "", "", "2026-11-01", "", "", "", "", ""]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


def run(*args, data):
    env = dict(os.environ, NO_COLOR="1", PORTINFO_DATA_DIR=data)
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def bound(name, rows, tmp, words, forced_ok=True):
    """A registry past one bound: refused without --force, with one line naming the bound and
    nothing installed; accepted with --force (unless the bound is the floor)."""
    path = os.path.join(tmp, "reg.csv")
    write(path, rows)
    data = tempfile.mkdtemp(dir=tmp)
    rc, out, err = run("update", path, data=data)
    check(f"{name}: refused without --force (exit 2)", rc == 2 and out == "", f"rc={rc} {err}")
    check(f"{name}: the one line names the bound", len(err.splitlines()) == 1 and
          all(w in err for w in words), err)
    check(f"{name}: nothing installed", not os.path.exists(os.path.join(data, "portdb.bin")))
    rc, out, err = run("update", "--force", path, data=data)
    if forced_ok:
        check(f"{name}: accepted with --force", rc == 0, f"rc={rc} {err}")
    else:
        check(f"{name}: refused even with --force", rc == 2 and words[0] in err, f"rc={rc} {err}")


def within(name, rows, tmp):
    """A registry exactly at a bound: accepted without --force."""
    path = os.path.join(tmp, "reg.csv")
    write(path, rows)
    data = tempfile.mkdtemp(dir=tmp)
    rc, out, err = run("update", path, data=data)
    check(f"{name}: accepted without --force", rc == 0, f"rc={rc} {err}")


def bounds(tmp):
    base = ROWS + [NEWEST]
    within("the vendored registry, newer", base, tmp)

    # The floor: fewer records than IANA's registry ever had is not it, --force or not.
    bound("4,999 records", ROWS[:MIN_RECORDS - 2] + [NEWEST], tmp, ["4999 records", "5000"],
          forced_ok=False)
    path = os.path.join(tmp, "floor.csv")
    write(path, ROWS[:MIN_RECORDS - 2] + [NEWEST, row("floor-t", 65002)])
    rc, out, err = run("update", "--force", path, data=tempfile.mkdtemp(dir=tmp))
    check("5,000 records pass the floor (with --force for the share)", rc == 0, err)

    # Records in all.
    extra = [row(f"t{i}", 1024 + i % 40000) for i in range(MAX_RECORDS - len(base) + 1)]
    bound("more than 50,000 records", base + extra, tmp, ["bound exceeded", "records", "50000"])
    within("50,000 records", base + extra[:-1], tmp)

    # Entries on one port and protocol (22/tcp has ssh already).
    on22 = [row(f"svc{i}", 22) for i in range(MAX_PER_PORT)]
    bound("17 entries on 22/tcp", base + on22, tmp, ["bound exceeded", "22/tcp", "16"])
    within("16 entries on 22/tcp", base + on22[:-1], tmp)
    # A range counts on every port it spans.
    ranges = [row(f"r{i}", "40000-40010") for i in range(MAX_PER_PORT + 1)]
    bound("17 ranges over 40005/tcp", base + ranges, tmp, ["bound exceeded", "/tcp", "16"])

    # Field lengths.
    bound("a 16-character service name", base + [row("s" * 16, 40100)], tmp,
          ["bound exceeded", "Service Name", "16 bytes"])
    within("a 15-character service name", base + [row("s" * 15, 40100)], tmp)
    bound("a description of 1,025 bytes", base + [row("d1", 40101, desc="d" * 1025)], tmp,
          ["bound exceeded", "Description", "1025"])
    within("a description of 1,024 bytes", base + [row("d1", 40101, desc="d" * 1024)], tmp)
    long_note = row("n1", 40102)
    long_note[11] = "n" * 4097
    bound("assignment notes of 4,097 bytes", base + [long_note], tmp,
          ["bound exceeded", "Assignment Notes"])


def size_capped(tmp):
    """60,000 entries on port 22: refused, then forced; every answer within its cap."""
    path = os.path.join(tmp, "port22.csv")
    # The registry as the attack had it: little else than 60,000 rows on port 22 (12 MB).
    write(path, [NEWEST] + [row(f"svc{i}", 22, desc=f"Service number {i}, a test entry; " * 4)
                            for i in range(60000)])
    on22 = 0
    data = os.path.join(tmp, "big")
    rc, out, err = run("update", path, data=data)
    check("60,000 entries on 22: refused without --force", rc == 2, f"rc={rc} {err}")
    check("60,000 entries on 22: the error names a bound", "bound exceeded" in err, err)
    rc, out, err = run("update", "--force", path, data=data)
    check("60,000 entries on 22: installed with --force", rc == 0, f"rc={rc} {err}")

    rc, out, err = run("22", data=data)
    shown = len(re.findall(r"\bsvc\d+\b", out))
    check("portinfo 22: at most 64 entries", rc == 0 and shown <= MAX_ENTRIES, shown)
    check("portinfo 22: says how many are not shown",
          f"and {60000 + on22 - MAX_ENTRIES} more not shown" in out, out[-400:])
    check("portinfo 22: small", len(out) < 64 * 1024, len(out))
    rc, out, err = run("--json", "22", data=data)
    o = json.loads(out)[0]
    check("--json 22: at most 64 IANA entries", len(o["iana"]) == MAX_ENTRIES, len(o["iana"]))
    check("--json 22: \"truncated\": true", o.get("truncated") is True, o.get("truncated"))
    check("--json 22: \"omitted\" counts what is left out",
          o.get("omitted") == {"iana": 60000 + on22 - MAX_ENTRIES, "unofficial": 0},
          o.get("omitted"))
    rc, out, err = run("--json", "80", data=data)
    check("an answer within the caps has no \"truncated\"", "truncated" not in json.loads(out)[0])
    rc, out, err = run("search", "svc", data=data)
    check("search svc: at most 64 lines for port 22",
          rc == 0 and len(re.findall(r"\bsvc\d+\b", out)) <= MAX_ENTRIES and
          "more not shown" in out, len(out))
    rc, out, err = run("search", "--json", "svc", data=data)
    check("search --json svc: every port within the cap",
          rc == 0 and all(len(p["iana"]) <= MAX_ENTRIES for p in json.loads(out)))

    s = Server([PORTINFO, "serve"], data, "--feedback", "off", "--no-access-log",
               "--threads", "1")
    # "x" hits more than 100 ports and none of the 60,000 rows: a letter the rows hold ("e")
    # makes each of its million hits cost a scan of the rest of 12 MB under AddressSanitizer,
    # whose memmem checks the whole range it is given (tens of seconds, not a bug of portinfo).
    for path in ("/api/ports/22", "/api/search?q=svc", "/api/search?q=x", "/ports/22",
                 "/search?q=svc", "/pl/ports/22"):
        st, _, body = get(s.port, path, timeout=60)
        check(f"{path}: 200 within {MAX_PAGE_BYTES} bytes", st == 200 and
              len(body) <= MAX_PAGE_BYTES, f"{st} {len(body)}")
        if path.startswith("/api/search"):
            hits = json.loads(body)
            check(f"{path}: at most {MAX_HITS} ports", 0 < len(hits) <= MAX_HITS, len(hits))
            check(f"{path}: each port within the cap",
                  all(len(p["iana"]) <= MAX_ENTRIES for p in hits))
        elif path == "/api/ports/22":
            o = json.loads(body)
            check(f"{path}: 64 entries and \"truncated\"",
                  len(o["iana"]) == MAX_ENTRIES and o.get("truncated") is True)
        elif path.endswith("/ports/22"):
            n = len(set(re.findall(rb"\bsvc\d+\b", body)))
            check(f"{path}: at most 64 entries on the page", 0 < n <= MAX_ENTRIES, n)
            # The page says how many it leaves out, in the page's language (a no-break space
            # between the Polish number and its noun).
            left = 60000 + on22 - MAX_ENTRIES
            said = (f"Do tego portu odnosi się jeszcze {left}\u00a0wpisów; strona pokazuje "
                    f"najwyżej {MAX_ENTRIES}." if path.startswith("/pl/") else
                    f"{left} more entries cover this port; a page shows at most {MAX_ENTRIES}.")
            check(f"{path}: says how many entries are not shown", said.encode() in body,
                  re.findall(rb'<p class="omitted">[^<]*</p>', body))
    s.stop()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        bounds(tmp)
        size_capped(tmp)
    finish()


main()
