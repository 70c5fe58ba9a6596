#!/usr/bin/env python3
"""portinfo update: imports change the data directory only when the whole file is good.

Usage: test_update.py PORTINFO DATA_DIR_OF_SOURCE_TREE
Runs the real binaries against temporary data directories.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

PORTINFO = sys.argv[1]
DATA = sys.argv[2]
XML = os.path.join(DATA, "iana", "service-names-port-numbers.xml")
CSV = os.path.join(DATA, "iana", "service-names-port-numbers.csv")
failures = 0
passed = 0


def run(*args, env_dir=None):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PORTINFO_DATA_DIR", None)
    if env_dir:
        env["PORTINFO_DATA_DIR"] = env_dir
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global failures, passed
    if cond:
        passed += 1
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name} {detail}")


def snapshot(d):
    """Names and hashes of every file in d: what 'nothing changed' means."""
    out = {}
    if not os.path.isdir(d):
        return out
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        with open(p, "rb") as f:
            out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


def refused(name, path, d, *extra):
    before = snapshot(d)
    rc, out, err = run("update", *extra, path, env_dir=d)
    lines = [l for l in err.splitlines() if l.strip()]
    check(f"{name}: exit 2", rc == 2, f"rc={rc} err={err!r}")
    check(f"{name}: one clear line on stderr", len(lines) == 1 and "nothing changed" in lines[0]
          or "unchanged" in err, repr(err))
    check(f"{name}: nothing on stdout", out == "", repr(out[:200]))
    check(f"{name}: data directory untouched", snapshot(d) == before)
    return err


with tempfile.TemporaryDirectory() as tmp:
    d = os.path.join(tmp, "data")

    # The CSV is older than the embedded XML: refused without --force, and nothing installed.
    rc, out, err = run("update", CSV, env_dir=d)
    check("an older registry is refused without --force", rc == 2 and out == "", f"rc={rc}")
    check("the refusal says it is older and names --force",
          "older" in err and "--force" in err and len(err.splitlines()) == 1, err)
    check("the refusal installs nothing", not os.path.exists(os.path.join(d, "portdb.bin")))

    # A first import of the CSV (older than the embedded XML: --force).
    rc, out, err = run("update", "--force", CSV, env_dir=d)
    check("csv import exits 0", rc == 0, f"rc={rc} err={err}")
    check("csv import reports changes", "added" in out and "removed" in out and "modified" in out)
    check("csv import installs portdb.bin", os.path.isfile(os.path.join(d, "portdb.bin")))
    check("a first import says --rollback returns to the compiled-in table",
          "compiled-in" in out and "portdb.prev.bin" not in out.splitlines()[-1], out[-300:])
    check("no previous table after a first import",
          not os.path.exists(os.path.join(d, "portdb.prev.bin")))

    # --rollback after a first import: the compiled-in table again, and said so.
    rc, out, err = run("update", "--rollback", env_dir=d)
    check("rollback after a first import exits 0", rc == 0, f"rc={rc} err={err}")
    check("it says the compiled-in table is in use", "compiled-in" in out, out)
    check("portdb.bin is gone", not os.path.exists(os.path.join(d, "portdb.bin")))
    rc, out, _ = run("--version", env_dir=d)
    check("the compiled-in table answers again", "xml form" in out and "14533" in out, out)
    rc, out, err = run("update", "--rollback", env_dir=d)
    check("a second rollback goes forward to the import", rc == 0 and "forward" in out, out + err)
    rc, out, _ = run("--version", env_dir=d)
    check("the imported table answers again", "csv form" in out, out)
    # Back to the compiled-in table, then a new import: --rollback must not resurrect the
    # table set aside before it.
    run("update", "--rollback", env_dir=d)
    check("set aside", os.path.exists(os.path.join(d, "portdb.prev.bin")))
    rc, out, err = run("update", "--force", CSV, env_dir=d)
    check("an import over the compiled-in table drops the old previous one",
          rc == 0 and not os.path.exists(os.path.join(d, "portdb.prev.bin")), f"rc={rc} {err}")
    rc, out, err = run("update", "--rollback", env_dir=d)
    rc, out, _ = run("--version", env_dir=d)
    check("so --rollback returns to the compiled-in table", "xml form" in out, out)
    run("update", "--rollback", env_dir=d)
    rc, out, _ = run("--version", env_dir=d)
    check("csv table in use again", "csv form" in out, out)
    rc, out, err = run("--version", env_dir=d)
    check("the imported table is used", "csv form" in out and "14500 records" in out, out)
    rc, out, _ = run("--json", "1776", env_dir=d)
    check("lookups answer from the imported table", rc == 0 and '"femis"' in out)

    # Importing the same file again changes nothing and says so (exit 1).
    before = snapshot(d)
    rc, out, err = run("update", CSV, env_dir=d)
    check("same file again exits 1", rc == 1, f"rc={rc}")
    check("same file again leaves the directory", snapshot(d) == before)

    # The XML next: the CSV table becomes the previous one.
    rc, out, err = run("update", XML, env_dir=d)
    check("xml import exits 0", rc == 0, err)
    check("previous table kept", os.path.isfile(os.path.join(d, "portdb.prev.bin")))
    rc, out, _ = run("--version", env_dir=d)
    check("xml table in use", "xml form" in out, out)

    # Dry run writes nothing.
    before = snapshot(d)
    rc, out, err = run("update", "--dry-run", "--force", CSV, env_dir=d)
    check("dry run exits 0 and says so", rc == 0 and "Dry run" in out, out)
    check("dry run writes nothing", snapshot(d) == before)

    # Rollback swaps current and previous.
    rc, out, err = run("update", "--rollback", env_dir=d)
    check("rollback exits 0", rc == 0, err)
    rc, out, _ = run("--version", env_dir=d)
    check("rollback restores the csv table", "csv form" in out, out)
    rc, out, err = run("update", "--rollback", env_dir=d)
    rc, out, _ = run("--version", env_dir=d)
    check("a second rollback goes forward again", "xml form" in out, out)
    # An older registry needs --force over a newer table too.
    before = snapshot(d)
    rc, out, err = run("update", CSV, env_dir=d)
    check("the older csv over the xml needs --force", rc == 2 and "older" in err, err)
    check("and changes nothing", snapshot(d) == before)

    # Bad files: each refused with one line, and the directory untouched.
    with open(XML, "rb") as f:
        xml = f.read()
    with open(CSV, "rb") as f:
        csv = f.read()
    cases = {
        "truncated xml": xml[: len(xml) // 2],
        "truncated csv": csv[: len(csv) // 3],
        "empty": b"",
        "binary": bytes(range(256)) * 400,
        "csv with port 70000": csv.replace(b"\nfemis,1776,tcp", b"\nfemis,70000,tcp", 1),
        "csv with unknown protocol": csv.replace(b"\nfemis,1776,tcp", b"\nfemis,1776,xyz", 1),
        "csv with wrong header": b"Name,Port\n" + csv.split(b"\n", 1)[1],
        "xml of another registry": b"<?xml version='1.0'?><registry id='other'></registry>",
        "not UTF-8": csv.replace(b"Federal Emergency", b"Federal \xff\xfe Emergency", 1),
        "overlapping full ranges": csv.replace(
            b"\n", b"\n" + b"".join(b"x%d,0-65535,tcp,Overlap,,,,,,,,\n" % i for i in range(40)), 1),
    }
    for name, data in cases.items():
        p = os.path.join(tmp, "bad")
        with open(p, "wb") as f:
            f.write(data)
        refused(name, p, d)
    refused("a directory", tmp, d)
    refused("a missing file", os.path.join(tmp, "nope.csv"), d)
    big = os.path.join(tmp, "big.xml")
    with open(big, "wb") as f:
        f.truncate(65 * 1024 * 1024)
    refused("an enormous file", big, d)
    os.unlink(big)

    # A registry far smaller than the one in use: refused, unless --force.
    head = b"\n".join(csv.split(b"\n")[:7001]) + b"\n"
    small = os.path.join(tmp, "small.csv")
    with open(small, "wb") as f:
        f.write(head)
    err = refused("far fewer records", small, d)
    check("far fewer records names --force", "--force" in err, err)
    rc, out, err = run("update", "--force", small, env_dir=d)
    check("--force accepts it", rc == 0, err)
    rc, out, err = run("update", "--rollback", env_dir=d)
    check("and rollback undoes it", rc == 0, err)

    # A damaged table at start-up: a warning, and the embedded data answers.
    with open(os.path.join(d, "portdb.bin"), "r+b") as f:
        f.seek(5000)
        f.write(b"\xde\xad\xbe\xef" * 16)
    rc, out, err = run("1776", env_dir=d)
    check("damaged table: still answers", rc == 0 and "femis" in out, f"rc={rc}")
    check("damaged table: warns once", err.count("warning") == 1 and "embedded" in err, err)
    rc, out, err = run("--version", env_dir=d)
    check("damaged table: embedded data in use", "xml form" in out and "14533" in out, out)

    # Rollback with no previous table.
    empty = os.path.join(tmp, "empty-dir")
    os.mkdir(empty)
    rc, out, err = run("update", "--rollback", env_dir=empty)
    check("rollback with nothing imported exits 2", rc == 2 and out == "", err)
    check("and says the compiled-in table is in use", "compiled-in" in err, err)

    # Usage errors.
    rc, out, err = run("update", env_dir=empty)
    check("update without FILE exits 2", rc == 2 and out == "" and len(err.splitlines()) == 1)
    rc, out, err = run("update", "--bogus", CSV, env_dir=empty)
    check("unknown update option exits 2", rc == 2 and out == "")
    rc, out, err = run("update", "--help")
    check("update --help exits 0", rc == 0 and "--rollback" in out)
    check("no temporary files left", not [n for n in os.listdir(d) if n.endswith(".tmp")],
          os.listdir(d))

print(f"{passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
