#!/usr/bin/env python3
"""Golden outputs: portinfo's text answers for a handful of ports, compared byte for byte.

    test_golden.py PATH-TO-PORTINFO GOLDEN-DIR

Each case runs the real binary with stdout a terminal (a pseudo-terminal: text is wrapped at 80
columns only there) and NO_COLOR set, and compares stdout with
GOLDEN-DIR/<case>.txt.  Exit status 0 and an empty stderr are required too, and no line may be
wider than 80 columns unless a single word (a long URL) makes it so.

When an answer changes on purpose, regenerate the files and review the diff before committing:

    UPDATE_GOLDEN=1 meson test -C build cli-golden
    git diff tests/integration/golden/

A run that rewrites the files compares nothing, so it ends as skipped (77), never as passed; and
under CI (CI=true) UPDATE_GOLDEN is refused: golden files are never rewritten there.
"""

import difflib
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portinfo_run as pr  # noqa: E402

PORTINFO = None
GOLDEN_DIR = None
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")

# (golden file, arguments): the answers the issue names, and one port asked for by protocol.
CASES = [
    ("explain-1776", ["1776"]),
    ("explain-6001-tcp", ["6001/tcp"]),
    ("explain-31337", ["31337"]),
    ("explain-0", ["0"]),
    ("explain-65535", ["65535"]),
    ("explain-22-tcp", ["22/tcp"]),
    ("search-kuang", ["search", "kuang"]),
    ("range-6000-6010", ["range", "6000-6010"]),
]


class Golden(unittest.TestCase):
    def check_case(self, name, args):
        r = pr.run_tty(PORTINFO, args, env=pr.clean_env(NO_COLOR="1", TERM="xterm"))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        self.assertNotIn(pr.ESC, r.out, "colour escapes with NO_COLOR and a pipe")
        self.assertTrue(r.out.endswith("\n"), r)
        self.assertEqual(pr.overlong_lines(r.out), [], "lines wider than 80 columns")
        path = os.path.join(GOLDEN_DIR, name + ".txt")
        if UPDATE:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(r.out)
            print("updated %s" % path)
            return
        with open(path, encoding="utf-8", newline="") as f:
            want = f.read()
        if r.out != want:
            diff = "".join(difflib.unified_diff(
                want.splitlines(True), r.out.splitlines(True),
                fromfile=path, tofile="portinfo " + " ".join(args)))
            self.fail("output differs from %s (UPDATE_GOLDEN=1 regenerates it):\n%s"
                      % (path, diff))

    def test_same_without_no_color(self):
        """A pipe alone turns colour off, and --color=never gives the same bytes."""
        for name, args in CASES:
            with self.subTest(case=name):
                plain = pr.run(PORTINFO, args, env=pr.clean_env(NO_COLOR="1"))
                piped = pr.run(PORTINFO, args)
                never = pr.run(PORTINFO, ["--color=never"] + args)
                self.assertEqual(piped.out, plain.out)
                self.assertEqual(never.out, plain.out)


def _add_case(name, args):
    def test(self):
        self.check_case(name, args)
    test.__doc__ = "portinfo %s" % " ".join(args)
    setattr(Golden, "test_" + name.replace("-", "_"), test)


for _name, _args in CASES:
    _add_case(_name, _args)


if __name__ == "__main__":
    PORTINFO = pr.portinfo_path()
    if len(sys.argv) < 3 or not os.path.isdir(sys.argv[2]):
        sys.stderr.write("usage: %s PATH-TO-PORTINFO GOLDEN-DIR\n" % sys.argv[0])
        sys.exit(2)
    GOLDEN_DIR = sys.argv[2]
    if UPDATE and os.environ.get("CI") == "true":
        sys.stderr.write("test_golden: UPDATE_GOLDEN is refused under CI: golden files are "
                         "checked there, never rewritten\n")
        sys.exit(1)
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    if not prog.result.wasSuccessful():
        sys.exit(1)
    if UPDATE:
        print("golden files rewritten, nothing compared: review 'git diff %s'" % GOLDEN_DIR)
        sys.exit(77)
