#!/usr/bin/env python3
"""How old the data is: `portinfo --version`, the website's footer (English and Polish plurals)
and the warning on stderr when the registry is over 180 days old.

Usage: test_age.py PORTINFO DATA_DIR_OF_SOURCE_TREE
An old registry (the vendored XML dated 2025-01-15) is imported with `portinfo update --force
FILE` into a temporary data directory.  SOURCE_DATE_EPOCH pins "today" where the answer must not
depend on the day the test runs.
"""
import datetime
import json
import os
import pty
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from faultlib import Server, check, finish, get  # noqa: E402

PORTINFO = os.path.abspath(sys.argv[1])
XML = os.path.join(sys.argv[2], "iana", "service-names-port-numbers.xml")
OLD = datetime.date(2025, 1, 15)
EMBEDDED = datetime.date(2026, 8, 17)
UTC = datetime.timezone.utc


def epoch(day):
    """SOURCE_DATE_EPOCH for noon of @day (UTC)."""
    return str(int(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp()))


def env_for(data, **extra):
    env = dict(os.environ, NO_COLOR="1", PORTINFO_DATA_DIR=data)
    for k in ("PORTINFO_NO_AGE_WARNING", "SOURCE_DATE_EPOCH"):
        env.pop(k, None)
    env.update(extra)
    return env


def run(*args, data, **extra):
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True,
                       env=env_for(data, **extra), timeout=60)
    return p.returncode, p.stdout, p.stderr


def run_tty(*args, data, **extra):
    """Runs with stderr on a terminal (a pty) and stdout on a pipe."""
    master, slave = pty.openpty()
    p = subprocess.Popen([PORTINFO, *args], stdout=subprocess.PIPE, stderr=slave,
                         env=env_for(data, **extra))
    os.close(slave)
    out = p.stdout.read()
    p.wait(timeout=60)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return p.returncode, out.decode(), err.decode().replace("\r\n", "\n")


with tempfile.TemporaryDirectory() as tmp:
    d = os.path.join(tmp, "data")
    old_xml = os.path.join(tmp, "old.xml")
    with open(XML, "rb") as f:
        xml = f.read()
    with open(old_xml, "wb") as f:
        # An older date, and one changed entry: a change of date alone installs nothing.
        f.write(xml.replace(b"<updated>2026-08-17</updated>",
                            b"<updated>" + OLD.isoformat().encode() + b"</updated>", 1)
                .replace(b"Federal Emergency Management Information System",
                         b"Federal Emergency Management Information System, old", 1))
    rc, out, err = run("update", "--force", old_xml, data=d)
    check("the old registry is imported", rc == 0, err)
    stamp = os.path.join(d, ".age-warned")

    # --version: the date and the age, counted from today (UTC) or from SOURCE_DATE_EPOCH.
    before = (datetime.datetime.now(UTC).date() - OLD).days
    rc, out, err = run("--version", data=d)
    after = (datetime.datetime.now(UTC).date() - OLD).days
    check("--version says the registry's date and how old it is",
          rc == 0 and any(f"registry of 2025-01-15, {n} days old" in out
                          for n in (before, after)), out)
    rc, out, err = run("--version", data=d, SOURCE_DATE_EPOCH=epoch(datetime.date(2025, 1, 16)))
    check("--version: one day old, in the singular", "2025-01-15, 1 day old (" in out, out)
    rc, out, err = run_tty("--version", data=d)
    check("--version itself does not warn", err == "", err)

    # The warning: once, on a terminal, for an old registry; stdout (JSON) untouched.
    day = datetime.date(2026, 12, 7)
    rc, out, err = run_tty("--json", "1776", data=d, SOURCE_DATE_EPOCH=epoch(day))
    lines = err.splitlines()
    check("old data at a terminal: one warning line", len(lines) == 1, repr(err))
    check("it names the date, the age, the cure and the switch",
          "2025-01-15" in err and f"{(day - OLD).days} days old" in err
          and "update --fetch" in err and "PORTINFO_NO_AGE_WARNING=1" in err, err)
    try:
        ok = rc == 0 and json.loads(out)[0]["port"] == 1776
    except (ValueError, IndexError, KeyError):
        ok = False
    check("the JSON on stdout is whole", ok, out[:200])
    check("the warning leaves a stamp in the data directory", os.path.isfile(stamp))
    rc, out, err = run_tty("search", "femis", data=d, SOURCE_DATE_EPOCH=epoch(day))
    check("at most once a day: a second run stays quiet", rc == 0 and err == "", repr(err))
    rc, out, err = run_tty("1776", data=d, SOURCE_DATE_EPOCH=epoch(day + datetime.timedelta(2)))
    check("two days later it warns again", "days old" in err, repr(err))

    os.unlink(stamp)
    rc, out, err = run_tty("1776", data=d, PORTINFO_NO_AGE_WARNING="1")
    check("PORTINFO_NO_AGE_WARNING=1 silences it", rc == 0 and err == "", repr(err))
    rc, out, err = run("1776", data=d)
    check("stderr not a terminal: no warning", rc == 0 and err == "", repr(err))
    check("and no stamp", not os.path.exists(stamp))
    rc, out, err = run_tty("range", "1776-1777", data=d, PORTINFO_NO_AGE_WARNING="0")
    check("PORTINFO_NO_AGE_WARNING=0 does not silence it", "days old" in err, repr(err))

    # The threshold: 180 days old is quiet, 181 warns (the compiled-in table, pinned days).
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    rc, out, err = run_tty("22", data=empty,
                           SOURCE_DATE_EPOCH=epoch(EMBEDDED + datetime.timedelta(180)))
    check("180 days old: no warning", rc == 0 and err == "", repr(err))
    rc, out, err = run_tty("22", data=empty,
                           SOURCE_DATE_EPOCH=epoch(EMBEDDED + datetime.timedelta(181)))
    check("181 days old: a warning", "181 days old" in err, repr(err))

    # The website's footer: date and age on the day the page was made, in both languages.
    for n, en, pl in [(1, "It was 1 day old on", "Miał 1\u00a0dzień w\u00a0dniu"),
                      (3, "It was 3 days old on", "Miał 3\u00a0dni w\u00a0dniu"),
                      (12, "It was 12 days old on", "Miał 12\u00a0dni w\u00a0dniu"),
                      (22, "It was 22 days old on", "Miał 22\u00a0dni w\u00a0dniu")]:
        day = OLD + datetime.timedelta(n)
        s = Server([PORTINFO, "serve"], d, "--feedback", "off", "--no-access-log",
                   env=env_for(d, SOURCE_DATE_EPOCH=epoch(day)))
        try:
            _, _, body = get(s.port, "/ports/22")
            foot = body.decode().split("<footer", 1)[-1]
            check(f"footer, {n} days: the registry's date and its age on that day",
                  '<time datetime="2025-01-15">' in foot
                  and f"{en} {day.isoformat()}." in foot, foot[:400])
            _, _, body = get(s.port, "/pl/ports/22")
            foot = body.decode().split("<footer", 1)[-1]
            check(f"Polish footer, {n} days: '{pl}'", f"{pl} {day.isoformat()}." in foot,
                  foot[:400])
        finally:
            s.stop()

finish()
