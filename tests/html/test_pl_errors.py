#!/usr/bin/env python3
"""test_pl_errors: a visitor of /pl/ gets error pages and vote refusals in Polish.

    test_pl_errors.py PORTINFO PL.po

Drives `portinfo serve` over HTTP on a free loopback port: a missing page, a port out of
range, an address too long (for the router and, longer, for the framing gate), header fields
too large, a method a page does not take, and the refusals of a vote (a bad value, a form too
large, a form of the wrong type, a form from another site), each asked for in
Polish (under /pl/, by the form's lang field, or from a Polish page) and in English.  Checks that
the page is marked lang="pl" and that its heading is the catalogue's Polish for that status (the
English original for an English request).  Prints "ok - NAME" per check; exits 1 if any failed.
"""
import html.parser
import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import servelib  # noqa: E402

spec = importlib.util.spec_from_file_location("check_polish", os.path.join(HERE, "check-polish.py"))
check_polish = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_polish)

PORTINFO = os.path.abspath(sys.argv[1])
PL = {msgid: strs[0] for msgid, _, strs in check_polish.parse_po(sys.argv[2]) if strs and strs[0]}
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Page(html.parser.HTMLParser):
    """<html lang> and the text of the first <h1>."""

    def __init__(self, body):
        super().__init__(convert_charrefs=True)
        self.lang, self.h1, self._in_h1, self._seen_h1 = None, "", False, False
        self.feed(body.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "h1" and not self._seen_h1:
            self._in_h1 = self._seen_h1 = True

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def expect(s, method, path, status, title, lang, body=None, headers=None):
    got, h, data = s.request(method, path, body=body, headers=headers)
    assert got == status, "%s %s: status %d, not %d" % (method, path[:60], got, status)
    assert h.get("content-type", "").startswith("text/html"), \
        "%s %s: %s, not a page" % (method, path[:60], h.get("content-type"))
    page = Page(data)
    want = PL[title] if lang == "pl" else title
    assert page.lang == lang, "%s %s: <html lang=%r>, not %r" % (method, path[:60], page.lang, lang)
    assert page.h1.strip() == want, "%s %s: heading %r, not %r" % (method, path[:60],
                                                                 page.h1.strip(), want)


def form(**extra):
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(extra)
    return h


@test
def missing_pages(s, tmp):
    for lang, pfx in (("pl", "/pl"), ("en", "")):
        expect(s, "GET", pfx + "/ports/70000", 404, "Page not found", lang)
        expect(s, "GET", pfx + "/no/such/page", 404, "Page not found", lang)


@test
def address_too_long(s, tmp):
    for lang, pfx in (("pl", "/pl"), ("en", "")):
        expect(s, "GET", pfx + "/ports/" + "9" * 3000, 414, "Address too long", lang)


@test
def method_not_allowed(s, tmp):
    for lang, pfx in (("pl", "/pl"), ("en", "")):
        expect(s, "DELETE", pfx + "/ports/22", 405, "Method not allowed", lang)


@test
def vote_refusals(s, tmp):
    origin = "http://127.0.0.1:%d" % s.port
    polish_page = {"Referer": origin + "/pl/ports/22"}
    # A bad value: Polish by the path, by the form's lang field, by the page it came from.
    expect(s, "POST", "/pl/ports/22/feedback", 400, "Bad request", "pl", "vote=maybe", form())
    expect(s, "POST", "/ports/22/feedback", 400, "Bad request", "pl", "vote=maybe&lang=pl", form())
    expect(s, "POST", "/ports/22/feedback", 400, "Bad request", "pl", "vote=maybe",
           form(**polish_page))
    expect(s, "POST", "/ports/22/feedback", 400, "Bad request", "en", "vote=maybe", form())
    # Refused before the form is read: the path or the page decide.
    big = "vote=happy&lang=pl&pad=" + "x" * 2000
    expect(s, "POST", "/pl/ports/22/feedback", 413, "Request too large", "pl", big, form())
    expect(s, "POST", "/ports/22/feedback", 413, "Request too large", "en", big, form())
    expect(s, "POST", "/ports/22/feedback", 415, "Unsupported form", "pl", "vote=happy",
           {"Content-Type": "text/plain", **polish_page})
    expect(s, "POST", "/ports/22/feedback", 415, "Unsupported form", "en", "vote=happy",
           {"Content-Type": "text/plain"})
    expect(s, "POST", "/pl/ports/22/feedback", 403, "Forbidden", "pl", "vote=happy",
           form(Origin="http://elsewhere.example"))
    expect(s, "POST", "/ports/22/feedback", 403, "Forbidden", "en", "vote=happy",
           form(Origin="http://elsewhere.example"))


@test
def refused_before_routing(s, tmp):
    """The strict reader of request framing refuses these before any route; a target under
    /pl/ still gets the Polish page, anything else the plain reason."""
    long_path = "/ports/" + "9" * 9000
    expect(s, "GET", "/pl" + long_path, 414, "Address too long", "pl")
    pad = {"X-Pad": "x" * 9000}
    expect(s, "GET", "/pl/ports/22", 431, "Request headers too large", "pl", headers=pad)
    for path, headers, status in ((long_path, None, 414), ("/ports/22", pad, 431)):
        got, h, data = s.request("GET", path, headers=headers)
        assert got == status and h.get("content-type", "").startswith("text/plain"), \
            "GET %s: %d %s" % (path[:30], got, h.get("content-type"))


def main():
    for msgid in ("Page not found", "Address too long", "Method not allowed", "Bad request",
                  "Request too large", "Unsupported form", "Forbidden",
                  "Request headers too large"):
        if msgid not in PL:
            print("not ok - the catalogue has no Polish for %r" % msgid)
            return 1
    with tempfile.TemporaryDirectory() as tmp:
        s = servelib.Serve(PORTINFO, tmp)
        try:
            passed, failed = servelib.run_each(TESTS, s, tmp)
        finally:
            s.kill()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
