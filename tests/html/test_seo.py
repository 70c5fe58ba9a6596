#!/usr/bin/env python3
"""robots.txt, the sitemap index and its sitemaps, the --base-url check, the Host check and the
JSON escaper, through seo-dump (tests/html/seo-dump.c).

    test_seo.py SEO_DUMP

The sitemaps are parsed as XML (sitemaps.org 0.9) and, through the index, must list every port
page in both languages exactly once, at most 50,000 URLs per file, each absolute and under the
base URL, each with the registry date as <lastmod>.
"""
import base64
import hashlib
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DUMP = sys.argv[1]
failures = []


def run(*args, ok=True):
    p = subprocess.run([DUMP, *args], capture_output=True)
    if (p.returncode == 0) != ok:
        failures.append(f"seo-dump {' '.join(args)}: exit {p.returncode}, wanted "
                        f"{'0' if ok else 'a refusal'}: {p.stdout[:200]!r}")
    return p.stdout.decode("utf-8")


def check(cond, what):
    if not cond:
        failures.append(what)


def sitemaps(base, lastmod):
    """Every <loc> reached through the index, checking each file on the way."""
    index = ET.fromstring(run("index", base, lastmod).encode())
    check(index.tag == NS + "sitemapindex", f"index root is {index.tag}")
    locs = []
    entries = index.findall(NS + "sitemap")
    check(len(entries) == int(run("count")), "the index names every sitemap once")
    for n, entry in enumerate(entries, 1):
        loc = entry.findtext(NS + "loc")
        check(loc == f"{base}/sitemaps/ports-{n}.xml", f"index entry {n}: {loc}")
        check(entry.findtext(NS + "lastmod") == lastmod, f"index entry {n}: lastmod")
        check(run("path", f"/sitemaps/ports-{n}.xml").strip() == str(n - 1),
              f"/sitemaps/ports-{n}.xml is not routed to sitemap {n - 1}")
        urlset = ET.fromstring(run("sitemap", str(n), base, lastmod).encode())
        check(urlset.tag == NS + "urlset", f"sitemap {n} root is {urlset.tag}")
        urls = urlset.findall(NS + "url")
        check(0 < len(urls) <= 50000, f"sitemap {n} has {len(urls)} URLs")
        for u in urls:
            loc = u.findtext(NS + "loc")
            check(u.findtext(NS + "lastmod") == lastmod, f"{loc}: lastmod")
            locs.append(loc)
    run("sitemap", str(len(entries) + 1), base, lastmod, ok=False)
    run("path", f"/sitemaps/ports-{len(entries) + 1}.xml", ok=False)
    return locs


def main():
    base = "https://ports.example.org:8443"
    locs = sitemaps(base, "2026-11-20")
    check(len(locs) == len(set(locs)), "a URL is listed twice")
    check(all(loc.startswith(base + "/") for loc in locs), "a URL is not under the base URL")
    paths = {loc[len(base):] for loc in locs}
    ports = {p for p in paths if re.fullmatch(r"(/pl)?/ports/\d+", p)}
    check(len(ports) == 131072, f"{len(ports)} port pages, not 131,072")
    want = {f"{pfx}/ports/{n}" for pfx in ("", "/pl") for n in range(65536)}
    check(ports == want, f"port pages missing: {sorted(want - ports)[:5]}")
    check({"/", "/pl/", "/ports", "/pl/ports"} <= paths, "the home and index pages are missing")
    check(not any("search" in p for p in paths), "a search page is in a sitemap")

    # A base URL with characters XML must escape cannot pass --base-url, but the renderer still
    # escapes what it is given; a lastmod that is not a date is left out.
    odd = ET.fromstring(run("index", "https://a&b", "2026-11-20<x>").encode())
    check(odd.findtext(f"{NS}sitemap/{NS}loc").startswith("https://a&b/"), "& not escaped")
    check(odd.find(f"{NS}sitemap/{NS}lastmod") is None, "a bad lastmod was written")
    run("index", "", "2026-11-20", ok=False)
    run("sitemap", "1", "", ok=False)

    robots = run("robots", base)
    check(f"Sitemap: {base}/sitemap.xml\n" in robots, "robots.txt names no sitemap")
    for line in ("User-agent: *", "Disallow: /search?", "Disallow: /pl/search?",
                 "Disallow: /api/search", "Allow: /"):
        check(line in robots.splitlines(), f"robots.txt lacks {line!r}")
    for line in robots.splitlines():
        if line.startswith("Disallow:"):
            rule = line.split(":", 1)[1].strip()
            for page in ("/", "/pl/", "/ports", "/ports/1776", "/pl/ports/22", "/search"):
                check(not page.startswith(rule), f"robots.txt shuts out {page} ({line})")
    check("Sitemap" not in run("robots"), "robots.txt without a base URL names a sitemap")

    good = {
        "https://ports.example.org": "https://ports.example.org",
        "HTTPS://Ports.Example.ORG/": "https://ports.example.org",
        "http://localhost:8080": "http://localhost:8080",
        "http://192.0.2.1": "http://192.0.2.1",
        "http://[2001:db8::1]:443": "http://[2001:db8::1]:443",
        "https://xn--bcher-kva.example": "https://xn--bcher-kva.example",
    }
    for arg, want_base in good.items():
        check(run("base", arg).strip() == want_base, f"--base-url {arg}")
    bad = ["", "ports.example.org", "ftp://x.org", "https://", "https://u@x.org",
           "https://u:p@x.org", "https://x.org/?a", "https://x.org?a", "https://x.org#f",
           "https://x.org/path", "https://x.org//", "https://x.org:0", "https://x.org:65536",
           "https://x.org:", "https://x.org:80a", "https://-x.org", "https://x-.org",
           "https://x..org", "https://x.org.", "https://bücher.example", "https://x_y.org",
           "https://192.0.2.300", "https://[::1", "https://[zz::1]", "https://[::1]x",
           "https://x.org:8080/p", "https://x.org\\@y", "https://" + "a" * 64 + ".org",
           "https://" + ".".join(["a" * 60] * 5)]
    for arg in bad:
        out = run("base", arg, ok=False)
        check(out.startswith("error: ") and len(out.strip()) > 8, f"--base-url {arg!r}: {out}")
    check(run("host", "Example.org:8080").strip() == "http://example.org:8080", "Host check")
    for host in ["", "a b", "x.org/evil", "x.org@y", "x.org:99999", "evil.org\r\nX: y",
                 "x.org,y.org", '"><script>']:
        run("host", host, ok=False)

    # JSON for a <script>: nothing that can close it, and it decodes to the same text.
    nasty = "</script><!-- a&b 'c' \"d\" \\e \u2028\u2029 \x01 żółw"
    out = run("json", nasty).strip()
    check(json.loads(out) == nasty, f"JSON round trip: {out}")
    for bad_text in ("<", ">", "&", "'", "\u2028", "\u2029", "\x01"):
        check(bad_text not in out, f"JSON for a script holds {bad_text!r}")
    bad_utf8 = subprocess.run([DUMP, "json", b"a\xff\xc0\xafb\xed\xa0\x80"], capture_output=True)
    check(json.loads(bad_utf8.stdout) == "a\ufffd\ufffd\ufffd\ufffd\ufffd\ufffdb" or
          "\\ufffd" in bad_utf8.stdout.decode(), "bad UTF-8 is not replaced")
    check(all(c < 0x80 or c in b"\xc5\xbc\xc3\xb3\xc5\x82" for c in bad_utf8.stdout),
          f"bad UTF-8 passed through: {bad_utf8.stdout!r}")

    # SHA-256 for the pages' CSP hash sources, against Python's, across the padding edges.
    for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 1000):
        text = ("żółw<&>" * 200).encode()[:n].decode("utf-8", "ignore") if n else "x" * 0
        want = "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        got = subprocess.run([DUMP, "sha256", text], capture_output=True, text=True).stdout
        check(got.strip() == want, f"sha256 of {len(text.encode())} bytes: {got.strip()}")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failure(s); {len(locs)} sitemap URLs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
