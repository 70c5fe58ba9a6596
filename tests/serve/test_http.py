#!/usr/bin/env python3
"""HTTP done right, checked from outside against a running `portinfo serve`: encodings chosen by
Accept-Encoding (gzip and brotli decode to the identity bytes), Vary, ETags and Last-Modified
with their 304s (and the ETag moving after a vote and after a table reload), content-hashed
static names cached for a year, the favicon, 404 for folders, Permissions-Policy, the 301 for
a query that changes nothing, X-Robots-Tag, and HEAD answering with GET's headers.

Usage: test_http.py PORTINFO WEBDIR CSV
Needs python3-brotli (tools/deps/test/brotli.txt); without it the test is skipped (77), and
fails under CI=true.  Prints 'ok - NAME' per check; exits 1 on a failure.
"""
import email.utils
import os
import re
import signal
import struct
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import servelib  # noqa: E402

try:
    import brotli
except ImportError:
    # Debian's python3-brotli, when python3 is not Debian's own.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import brotli
    except ImportError:
        print("python3-brotli is missing (tools/deps/test/brotli.txt)")
        sys.exit(1 if os.environ.get("CI") == "true" else 77)

PORTINFO = os.path.abspath(sys.argv[1])
WEBDIR = os.path.abspath(sys.argv[2])
CSV = os.path.abspath(sys.argv[3])
TESTS = []
# URLs whose answers are large enough to be compressed.
COMPRESSED = ["/ports/1776", "/", "/pl/ports/22", "/ports", "/api/ports/1776", "/favicon.ico",
              "/favicon.svg"]


def test(fn):
    TESTS.append(fn)
    return fn


def vary_names(h):
    return [v.strip().lower() for v in h.get("vary", "").split(",") if v.strip()]


def decode(h, body):
    enc = h.get("content-encoding")
    if enc == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if enc == "br":
        return brotli.decompress(body)
    assert enc is None, "unknown Content-Encoding %r" % enc
    return body


def static_url(s, name):
    """The hashed URL a page links for static file @name."""
    body = s.get("/ports/1776")[2].decode()
    stem, ext = name.rsplit(".", 1)
    m = re.search(r'/static/%s\.[0-9a-f]{12}\.%s' % (re.escape(stem), ext), body)
    assert m, "the page does not link a hashed %s" % name
    return m.group(0)


@test
def encodings_decode_to_identity(s, tmp):
    urls = COMPRESSED + [static_url(s, "style.css"), static_url(s, "feedback.js")]
    for url in urls:
        st, h, plain = s.get(url)
        assert st == 200 and "content-encoding" not in h, (url, st, h)
        assert "accept-encoding" in vary_names(h), (url, h.get("vary"))
        for ae, want in (("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br", "br")):
            st, h, body = s.get(url, headers={"Accept-Encoding": ae})
            assert st == 200 and h.get("content-encoding") == want, (url, ae, h)
            assert "accept-encoding" in vary_names(h), (url, ae)
            assert int(h["content-length"]) == len(body) < len(plain), (url, ae, len(body))
            assert decode(h, body) == plain, (url, ae)


@test
def accept_encoding_weights(s, tmp):
    cases = [
        ("gzip;q=0, br;q=0", None), ("br;q=0.5, gzip", "gzip"), ("*", "br"),
        ("identity", None), ("gzip;q=0.8, br;q=0.9", "br"), ("br;q=0.8, gzip;q=0.9", "gzip"),
        ("*;q=0, identity;q=0", None), ("x-gzip", "gzip"), ("GZIP", "gzip"),
        ("br;q=0, *", "gzip"), ("identity;q=1, gzip;q=0.5", None), ("", None),
        ("deflate", None), ("gzip;q=1.5", None), ("gzip ; q=0.3 , identity;q=0.2", "gzip"),
        ("br;q=0.000", None),
    ]
    for ae, want in cases:
        st, h, body = s.get("/ports/1776", headers={"Accept-Encoding": ae})
        assert st == 200 and h.get("content-encoding") == want, (ae, h.get("content-encoding"),
                                                                  want)


@test
def tiny_answers_are_not_compressed(s, tmp):
    st, h, body = s.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert st == 200 and body == b"ok" and "content-encoding" not in h, h
    # robots.txt is cached like a page, but under a hundred bytes: gzip would only add.
    for ae in ("gzip", "br"):
        st, h, body = s.get("/robots.txt", headers={"Accept-Encoding": ae})
        assert st == 200 and "content-encoding" not in h and len(body) < 256, (ae, h)
    st, h, body = s.get("/ports/1776", headers={"Accept-Encoding": "gzip", "If-None-Match":
                                                s.get("/ports/1776", headers={
                                                    "Accept-Encoding": "gzip"})[1]["etag"]})
    assert st == 304 and body == b"", st


@test
def etag_and_304(s, tmp):
    for url in ["/ports/1776", "/api/ports/1776", "/", static_url(s, "style.css"),
                "/favicon.svg"]:
        tags = {}
        for ae in ("identity", "gzip", "br"):
            st, h, _ = s.get(url, headers={"Accept-Encoding": ae})
            tag = h.get("etag", "")
            assert st == 200 and re.fullmatch(r'"[0-9a-f]{16}(-gz|-br)?"', tag), (url, ae, tag)
            tags[ae] = tag
            st, h2, body = s.get(url, headers={"Accept-Encoding": ae, "If-None-Match": tag})
            assert st == 304 and body == b"" and h2.get("etag") == tag, (url, ae, st)
            assert "accept-encoding" in vary_names(h2), (url, "304 without Vary")
            st, _, _ = s.get(url, headers={"Accept-Encoding": ae,
                                           "If-None-Match": '"nope", W/%s' % tag})
            assert st == 304, (url, "a weak tag in a list", st)
            st, _, _ = s.get(url, headers={"Accept-Encoding": ae, "If-None-Match": '"nope"'})
            assert st == 200, (url, "another tag", st)
            st, _, _ = s.get(url, headers={"Accept-Encoding": ae, "If-None-Match": "*"})
            assert st == 304, (url, "*", st)
        assert tags["gzip"].endswith('-gz"') and tags["br"].endswith('-br"'), tags
        assert len(set(tags.values())) == 3, tags
        # The identity tag does not stand for the gzip bytes.
        st, _, _ = s.get(url, headers={"Accept-Encoding": "gzip",
                                       "If-None-Match": tags["identity"]})
        assert st == 200, (url, st)


@test
def if_modified_since(s, tmp):
    for url in ["/api/ports/1776", "/", "/ports", static_url(s, "style.css")]:
        st, h, _ = s.get(url)
        lm = h.get("last-modified")
        assert st == 200 and lm, (url, h)
        t = email.utils.parsedate_to_datetime(lm).timestamp()
        assert s.get(url, headers={"If-Modified-Since": lm})[0] == 304, url
        later = email.utils.formatdate(t + 86400, usegmt=True)
        assert s.get(url, headers={"If-Modified-Since": later})[0] == 304, url
        earlier = email.utils.formatdate(t - 1, usegmt=True)
        assert s.get(url, headers={"If-Modified-Since": earlier})[0] == 200, url
        # If-None-Match decides when both are there.
        st, _, _ = s.get(url, headers={"If-Modified-Since": lm, "If-None-Match": '"nope"'})
        assert st == 200, (url, st)
        assert s.get(url, headers={"If-Modified-Since": "yesterday"})[0] == 200, url


@test
def etag_moves_after_a_vote(s, tmp):
    url = "/ports/4301"
    st, h, _ = s.get(url)
    old_tag = h["etag"]
    # Votes change the page and not the table: no date could tell two votes in a second apart.
    assert "last-modified" not in h, h["last-modified"]
    st, h, _ = s.request("POST", url + "/feedback", body="vote=happy",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 303, st
    st, h, body = s.get(url, headers={"If-None-Match": old_tag})
    assert st == 200 and h["etag"] != old_tag, (st, h.get("etag"), old_tag)
    st, _, _ = s.get(url, headers={"If-Modified-Since": email.utils.formatdate(usegmt=True)})
    assert st == 200, st
    # The voter's own page (it shows their vote) has a tag of its own.
    st, h2, _ = s.request("POST", url + "/feedback", body="vote=sad",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    voter = h2.get("set-cookie", "").split(";")[0]
    assert voter.startswith("voter="), h2
    st, h3, _ = s.get(url, headers={"Cookie": voter})
    st4, h4, _ = s.get(url)
    assert st == st4 == 200 and h3["etag"] != h4["etag"], (h3.get("etag"), h4.get("etag"))
    assert s.get(url, headers={"Cookie": voter, "If-None-Match": h4["etag"]})[0] == 200
    assert s.get(url, headers={"Cookie": voter, "If-None-Match": h3["etag"]})[0] == 304


@test
def immutable_hashed_static(s, tmp):
    url = static_url(s, "style.css")
    st, h, body = s.get(url)
    assert st == 200 and h["content-type"].startswith("text/css"), (st, h)
    cc = h["cache-control"]
    assert "immutable" in cc and "max-age=31536000" in cc and "public" in cc, cc
    st, h2, plain = s.get("/static/style.css")
    assert st == 200 and plain == body, st
    assert "immutable" not in h2["cache-control"], h2["cache-control"]
    m = re.search(r"max-age=(\d+)", h2["cache-control"])
    assert m and int(m.group(1)) <= 3600, h2["cache-control"]
    # A hash that names no file, and another file's hash, are not found.
    assert s.get("/static/style.000000000000.css")[0] == 404
    js = static_url(s, "feedback.js")
    wrong = "/static/style." + js.split(".")[-2] + ".css"
    assert s.get(wrong)[0] == 404, wrong


@test
def favicon(s, tmp):
    st, h, body = s.get("/favicon.ico")
    assert st == 200 and h["content-type"] == "image/x-icon", (st, h)
    reserved, kind, n = struct.unpack("<HHH", body[:6])
    assert (reserved, kind) == (0, 1) and n >= 2, (reserved, kind, n)
    sizes = sorted(body[6 + 16 * i] or 256 for i in range(n))
    assert 16 in sizes and 32 in sizes, sizes
    assert body == open(os.path.join(WEBDIR, "favicon.ico"), "rb").read()
    assert h.get("etag") and "max-age=" in h["cache-control"], h
    assert int(re.search(r"max-age=(\d+)", h["cache-control"]).group(1)) >= 86400
    st, h, body = s.get("/favicon.svg")
    assert st == 200 and h["content-type"] == "image/svg+xml", (st, h)
    assert body.lstrip().startswith(b"<svg") and h.get("etag"), body[:40]
    assert s.get("/pl/favicon.ico")[0] == 404
    assert s.get("/favicon.png")[0] == 404


@test
def folders_are_not_found(s, tmp):
    for url in ("/static/", "/static/js/", "/static/x/"):
        assert s.get(url)[0] == 404, url
    assert s.get("/ports/")[0] == 301  # the index's old address


@test
def permissions_policy_everywhere(s, tmp):
    tag = s.get("/ports/22")[1]["etag"]
    for method, url, hdrs in (("GET", "/", {}), ("GET", "/ports/22", {}),
                              ("GET", "/ports/22", {"If-None-Match": tag}),
                              ("GET", "/nothing", {}), ("GET", "/ports/22?x=1", {}),
                              ("GET", "/api/ports/22", {}), ("GET", "/favicon.ico", {}),
                              ("HEAD", "/ports/22", {}), ("POST", "/ports/22", {}),
                              ("GET", "/healthz", {})):
        st, h, _ = s.request(method, url, headers=hdrs)
        pp = h.get("permissions-policy", "")
        assert h.counts.get("permissions-policy") == 1, (url, st)
        for part in ("camera=()", "microphone=()", "geolocation=()"):
            assert part in pp, (url, pp)
        assert "interest-cohort" not in pp, pp


@test
def junk_queries_redirect(s, tmp):
    for url, where in (("/ports/1776?x=1", "/ports/1776"), ("/?utm_source=mail", "/"),
                       ("/pl/ports/22?a=b", "/pl/ports/22"), ("/api/ports/22?x", "/api/ports/22"),
                       ("/ports?", "/ports"), ("/favicon.ico?v=2", "/favicon.ico")):
        st, h, body = s.get(url)
        assert st == 301 and h.get("location") == where, (url, st, h.get("location"))
    for url in ("/search?q=ssh", "/api/search?q=ssh", "/pl/search?q=ssh"):
        st, h, _ = s.get(url)
        assert st == 200, (url, st)


@test
def noindex_on_searches_and_the_api(s, tmp):
    for url in ("/search?q=ssh", "/api/search?q=ssh", "/api/ports/22"):
        assert s.get(url)[1].get("x-robots-tag") == "noindex", url
    for url in ("/ports/22", "/", "/pl/ports/22"):
        assert "x-robots-tag" not in s.get(url)[1], url


@test
def head_matches_get(s, tmp):
    for url in COMPRESSED + [static_url(s, "style.css"), "/search?q=ssh", "/nothing",
                             "/ports/1776?x=1"]:
        for ae in ("identity", "gzip", "br"):
            hdrs = {"Accept-Encoding": ae}
            st, g, gbody = s.get(url, headers=hdrs)
            st2, hh, hbody = s.request("HEAD", url, headers=hdrs)
            assert st == st2 and hbody == b"", (url, ae, st, st2)
            g.pop("date", None)
            hh.pop("date", None)
            assert dict(g) == dict(hh), (url, ae, set(g.items()) ^ set(hh.items()))
            assert int(hh.get("content-length", "0")) == len(gbody), (url, ae)


@test
def crawler_files(s, tmp):
    st, h, body = s.get("/robots.txt")
    assert st == 200 and h["content-type"].startswith("text/plain") and h.get("etag"), (st, h)
    assert b"User-agent:" in body and b"Sitemap:" not in body, body  # no --base-url here
    assert s.get("/robots.txt", headers={"If-None-Match": h["etag"]})[0] == 304
    # Without --base-url the sitemaps come from a plain Host, for this request alone.
    st, h, body = s.get("/sitemap.xml")
    assert st == 200 and h["content-type"].startswith("application/xml"), (st, h)
    assert h["cache-control"] == "no-store" and "host" in vary_names(h), h
    assert b"<loc>http://127.0.0.1:%d/sitemaps/ports-1.xml</loc>" % s.port in body, body[:300]
    n = body.count(b"<sitemap>")
    st, h, body = s.get("/sitemaps/ports-%d.xml" % n)
    assert st == 200 and body.count(b"<url>") > 0 and h["cache-control"] == "no-store", st
    for bad in ("/sitemaps/ports-0.xml", "/sitemaps/ports-%d.xml" % (n + 1), "/sitemaps/x",
                "/sitemaps/ports-01.xml", "/pl/robots.txt"):
        assert s.get(bad)[0] == 404, bad


def base_url_files(tmp):
    """With --base-url: robots.txt names the index, which is cached like a page."""
    srv = servelib.Serve(PORTINFO, os.path.join(tmp, "based"), "--feedback", "off",
                         "--base-url", "https://ports.example.org", "--static-dir", WEBDIR,
                         "--no-access-log", wait=20)
    try:
        body = srv.get("/robots.txt")[2]
        assert b"Sitemap: https://ports.example.org/sitemap.xml" in body, body
        st, h, body = srv.get("/sitemap.xml", headers={"Host": "evil.example",
                                                        "Accept-Encoding": "gzip"})
        assert st == 200 and b"evil" not in decode(h, body), body[:200]
        assert "no-store" not in h["cache-control"] and h.get("etag"), h
        st, h, body = srv.get("/sitemaps/ports-1.xml", headers={"Host": "evil.example"})
        assert st == 200 and b"<loc>https://ports.example.org/" in body and b"evil" not in body
        st, h, _ = srv.get("/pl/ports/22?utm_source=x")
        assert st == 301 and h["location"] == "https://ports.example.org/pl/ports/22", h
        # Port pages without a vote store have a date: the table decides them alone.
        assert srv.get("/ports/1776")[1].get("last-modified")
    finally:
        assert srv.stop() == 0


def reload_moves_etag(tmp):
    """A table installed by `portinfo update` and loaded on SIGHUP gives new tags and dates."""
    data = os.path.join(tmp, "reload")
    os.mkdir(data)
    env = dict(os.environ, PORTINFO_DATA_DIR=data, NO_COLOR="1")
    srv = servelib.Serve(PORTINFO, data, "--feedback", "off", "--static-dir", WEBDIR,
                         "--no-access-log", wait=20)
    try:
        st, h, _ = srv.get("/api/ports/1776")
        old_tag, old_lm = h["etag"], h["last-modified"]
        old_page = srv.get("/ports/1776")[1]["etag"]
        p = servelib.subprocess.run([PORTINFO, "update", "--force", CSV], env=env,
                                    capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            h = srv.get("/ports/1776")[1]
            if h["etag"] != old_page:
                break
            time.sleep(0.1)
        assert h["etag"] != old_page, "the page's ETag did not change after the reload"
        st, h, _ = srv.get("/api/ports/1776", headers={"If-None-Match": old_tag})
        assert st == 200 and h["etag"] != old_tag, (st, h.get("etag"))
        assert h["last-modified"] != old_lm, (h["last-modified"], old_lm)
        st, _, _ = srv.get("/api/ports/1776", headers={"If-Modified-Since": old_lm})
        assert st == 200, st
    finally:
        assert srv.stop() == 0


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # started as root, the server reads it as nobody
        srv = servelib.Serve(PORTINFO, os.path.join(tmp, "data"), "--static-dir", WEBDIR,
                             "--no-access-log", wait=20)
        try:
            passed, failed = servelib.run_each(TESTS, srv, tmp)
        finally:
            assert srv.stop() == 0
        for fn in (base_url_files, reload_moves_etag):
            try:
                fn(tmp)
                passed += 1
                print("ok - %s" % fn.__name__)
            except Exception:
                failed += 1
                print("not ok - %s" % fn.__name__)
                servelib.traceback.print_exc(file=sys.stdout)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
