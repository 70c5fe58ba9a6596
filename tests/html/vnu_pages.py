#!/usr/bin/env python3
"""The Nu HTML Checker (vnu.jar) over the website's pages: 0 errors and 0 warnings.

    vnu_pages.py set VNU_JAR PORTINFO HTML_DUMP REGISTRY.csv UNOFFICIAL.tsv NAMES_DIR OUTDIR
    vnu_pages.py export VNU_JAR PORTINFO OUTDIR [SAMPLE]

`set` checks every kind of page in both languages: html-dump's pages (every port kind, search
with results, none and a too-long query, the error pages, the page after a vote, and the pages
of the crafted tables whose every string needs escaping and of the table with everyday names,
threats, ranges and corrections), the pages a real `portinfo serve --base-url` answers (home,
index, ports, searches, 404, 405, 413, 414, the page after a vote without JavaScript) and the
static pages of a small `portinfo export --base-url`.

`export` writes a full `portinfo export --base-url` and checks every page of it, in batches; with
SAMPLE, a fixed sample of that many pages (every k-th in sorted order) instead.

Warnings count as failures (vnu's "info" messages of subType "warning").  The checker runs with
the system's Java; it is never downloaded.
"""
import concurrent.futures
import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

BASE = "https://ports.example.org"
BATCH = 4000  # files per Java process: vnu checks many per run, the JVM starts once


def vnu_batch(jar, batch):
    """Every error and warning vnu reports for the pages of @batch, as (file, line, text)."""
    found = []
    # Loopback hosts are refused unless allowed: the exported pages come from one.
    p = subprocess.run(["java", "-Xss16m", "-Dnu.validator.servlet.allow-forbidden-hosts=true",
                        "-jar", jar, "--format", "json", *batch],
                       capture_output=True, text=True)
    try:
        messages = json.loads(p.stderr or p.stdout)["messages"]
    except (ValueError, KeyError):
        return [("(vnu)", 0, f"exit {p.returncode}: {(p.stderr or p.stdout)[:500]}")]
    for m in messages:
        kind = m.get("type")
        if kind == "info" and m.get("subType") != "warning":
            continue
        where = m.get("url", "?").replace("file:", "")
        found.append((where, m.get("lastLine", 0),
                      f"{m.get('subType', kind)}: {m.get('message', '')}"))
    if p.returncode not in (0, 1):
        found.append(("(vnu)", 0, f"exit status {p.returncode}"))
    return found


def vnu(jar, files):
    """Every error and warning vnu reports for @files, as (file, line, text): batches of BATCH
    pages, one Java process per core at a time, a progress line after each batch."""
    batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
    found = []
    done = 0
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        for batch, got in zip(batches, pool.map(functools.partial(vnu_batch, jar), batches)):
            found += got
            done += len(batch)
            if len(batches) > 1:
                print(f"vnu: {done}/{len(files)} pages, {len(found)} errors and warnings so far, "
                      f"{time.monotonic() - t0:.0f} s", flush=True)
    return found


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_host(root):
    """@root on a loopback HTTP server: exported pages carry their policy in a <meta>, and vnu
    resolves its 'self' only for pages it reads from an http:// address."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(Quiet, directory=root))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield "http://127.0.0.1:%d/" % srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()


def as_urls(files, root, base):
    return [base + os.path.relpath(f, root) for f in files]


def html_files(top):
    out = []
    for d, _, names in os.walk(top):
        out += [os.path.join(d, n) for n in names if n.endswith(".html")]
    return sorted(out)


def served_pages(portinfo, outdir):
    """Saves what a real server answers for each kind of page, with its status."""
    data = os.path.join(outdir, "data")
    os.makedirs(data, exist_ok=True)
    got = {}
    s = servelib.Serve(portinfo, data, "--base-url", BASE, "--no-access-log")
    try:
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        wanted = [
            ("home", "GET", "/", None, {}, 200), ("pl-home", "GET", "/pl/", None, {}, 200),
            ("index", "GET", "/ports", None, {}, 200),
            ("pl-index", "GET", "/pl/ports", None, {}, 200),
            ("search", "GET", "/search", None, {}, 200),
            ("search-hits", "GET", "/search?q=ssh", None, {}, 200),
            ("pl-search-hits", "GET", "/pl/search?q=http", None, {}, 200),
            ("search-none", "GET", "/search?q=zzzqqqxxx", None, {}, 200),
            ("search-port", "GET", "/search?q=1776", None, {}, None),
            ("search-long", "GET", "/search?q=" + "a" * 300, None, {}, None),
            ("pl-search-long", "GET", "/pl/search?q=" + "a" * 300, None, {}, None),
            ("404", "GET", "/no/such/page", None, {}, 404),
            ("pl-404", "GET", "/pl/no/such/page", None, {}, 404),
            ("404-port", "GET", "/ports/65536", None, {}, 404),
            ("405", "DELETE", "/ports/22", None, {}, 405),
            ("pl-405", "DELETE", "/pl/ports/22", None, {}, 405),
            ("414", "GET", "/search?q=" + "a" * 3000, None, {}, 414),
            ("413", "POST", "/ports/22/feedback", "vote=" + "x" * 2000, form, 413),
        ]
        for port in (0, 7, 22, 80, 443, 1023, 1024, 1776, 3389, 6667, 31337, 49151, 49152, 65535):
            wanted.append((f"port-{port}", "GET", f"/ports/{port}", None, {}, 200))
            wanted.append((f"pl-port-{port}", "GET", f"/pl/ports/{port}", None, {}, 200))
        for name, method, path, body, headers, status in wanted:
            st, h, page = s.request(method, path, body=body, headers=headers)
            if status is not None and st != status:
                raise AssertionError(f"{method} {path}: {st}, wanted {status}")
            if h.get("content-type", "").startswith("text/html"):
                got[name] = page
        # A vote without JavaScript: the form's POST, its 303, the page it leads to.
        for pfx in ("", "/pl"):
            st, h, _ = s.request("POST", f"{pfx}/ports/1776/feedback", body="vote=happy",
                                 headers=form)
            if st != 303:
                raise AssertionError(f"vote: {st}")
            cookie = h["set-cookie"].split(";")[0]
            st, h, page = s.get(h["location"].split("#")[0], headers={"Cookie": cookie})
            got[f"{pfx.strip('/') or 'en'}-voted"] = page
    finally:
        s.kill()
    os.makedirs(os.path.join(outdir, "served"), exist_ok=True)
    for name, page in got.items():
        with open(os.path.join(outdir, "served", name + ".html"), "wb") as f:
            f.write(page)
    return len(got)


def check_set(jar, portinfo, dump, registry, unofficial, names, outdir):
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(os.path.join(outdir, "dump"))
    subprocess.run([dump, os.path.join(outdir, "dump"), registry, unofficial, names], check=True)
    served = served_pages(portinfo, outdir)
    subprocess.run([portinfo, "export", "--base-url", BASE, "--ports", "1770-1780", "--threads",
                    "1", os.path.join(outdir, "export")], check=True)
    files = html_files(outdir)
    kinds = {"dump": 0, "served": 0, "export": 0}
    for f in files:
        kinds[os.path.relpath(f, outdir).split(os.sep)[0]] += 1
    print(f"checking {len(files)} pages: {kinds} ({served} served)")
    if kinds["dump"] < 50 or kinds["served"] < 40 or kinds["export"] < 20:
        print("FAIL: too few pages to check")
        return 1
    exported = os.path.join(outdir, "export")
    with static_host(exported) as host:
        files = [f for f in files if not f.startswith(exported + os.sep)] + \
            as_urls(html_files(exported), exported, host)
        return report(vnu(jar, files), len(files))


def check_export(jar, portinfo, outdir, sample):
    shutil.rmtree(outdir, ignore_errors=True)
    t0 = time.monotonic()
    # The .gz and .br siblings hold the same bytes; vnu reads only the pages.
    subprocess.run([portinfo, "export", "--base-url", BASE, "--compress", "none", outdir],
                   check=True)
    files = html_files(outdir)
    total = len(files)
    if sample and sample < total:
        step = total / sample
        files = [files[int(i * step)] for i in range(sample)]
    t1 = time.monotonic()
    print(f"export: {total} pages in {t1 - t0:.0f} s; checking {len(files)}")
    with static_host(outdir) as host:
        r = report(vnu(jar, as_urls(files, outdir, host)), len(files))
    print(f"vnu: {len(files)} pages in {time.monotonic() - t1:.0f} s")
    return r


def report(found, n):
    for where, line, text in found[:200]:
        print(f"FAIL: {where}:{line}: {text}")
    print(f"{n} pages checked, {len(found)} errors and warnings")
    return 1 if found else 0


def main():
    if len(sys.argv) == 9 and sys.argv[1] == "set":
        return check_set(*sys.argv[2:])
    if len(sys.argv) in (5, 6) and sys.argv[1] == "export":
        return check_export(sys.argv[2], sys.argv[3], sys.argv[4],
                            int(sys.argv[5]) if len(sys.argv) == 6 else 0)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
