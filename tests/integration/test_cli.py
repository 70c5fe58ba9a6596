#!/usr/bin/env python3
"""The portinfo command line: exit codes, error lines, help, version, colour, several operands.

    test_cli.py PATH-TO-PORTINFO

CONTRACT.md: status 0 found, 1 nothing found, 2 trouble; on 2 exactly one line on stderr and
nothing on stdout.  NO_COLOR and a non-terminal stdout turn colour off.
"""

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portinfo_run as pr  # noqa: E402

PORTINFO = None

# Bad input and bad usage: each must exit 2 with one line on stderr and nothing on stdout.
BAD = [
    (["70000"], "70000"),
    (["-1"], "-1"),
    (["22/xyz"], "22/xyz"),
    ([""], "empty"),
    (["range", "9-3"], "9-3"),
    (["--bogus"], "--bogus"),
    (["-x"], "-x"),
    (["65536/tcp"], "65536"),
    (["0x16"], "0x16"),
    (["+22"], "+22"),
    (["99999999999999999999"], "99999999999999999999"),
    (["range", "1-70000"], "1-70000"),
    (["range", "a-b"], "a-b"),
    (["range"], "range"),
    (["range", "1-2", "3-4"], "range"),
    (["search"], "search"),
    (["search", ""], "search"),
    (["search", "x" * 300], "search"),
    (["--color=sometimes", "22"], "--color"),
    (["--json", "70000"], "70000"),
    (["1776", "70000"], "70000"),
    (["ssh", "22/xyz"], "22/xyz"),
    (["x" * 300], "longer"),
]


def run_on_pty(args, env, cols=80):
    """Runs portinfo with a pseudo-terminal as stdout; returns (status, output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    # No output post-processing, so the bytes read are the bytes written.
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    p = subprocess.Popen([PORTINFO] + args, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            p.kill()
            raise AssertionError("portinfo %r hangs on a terminal" % (args,))
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = p.stderr.read()
    p.stderr.close()
    rc = p.wait(timeout=30)
    return rc, b"".join(chunks).decode("utf-8"), err.decode("utf-8")


class ExitCodes(unittest.TestCase):
    def test_bad_input_exits_2_with_one_line(self):
        for args, mention in BAD:
            with self.subTest(args=args):
                r = pr.run(PORTINFO, args)
                self.assertEqual(r.rc, 2, r)
                self.assertEqual(r.out, "", r)
                self.assertEqual(r.err.count("\n"), 1, r)
                self.assertTrue(r.err.endswith("\n"), r)
                # "portinfo: ..." for an explanation, "portinfo CMD: ..." for a command.
                cmd = args[0] if args and args[0] in ("search", "range") else None
                self.assertTrue(r.err.startswith("portinfo %s: " % cmd if cmd else "portinfo: "), r)
                self.assertIn(mention, r.err, r)

    def test_out_of_range_message(self):
        r = pr.run(PORTINFO, ["70000"])
        self.assertIn("0-65535", r.err)

    def test_unknown_service_exits_1(self):
        r = pr.run(PORTINFO, ["no-such-service-xyz"])
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(r.out, "", r)
        self.assertEqual(r.err.count("\n"), 1, r)
        self.assertIn("no-such-service-xyz", r.err)

    def test_search_without_hits_exits_1(self):
        r = pr.run(PORTINFO, ["search", "zzqxnothingmatches"])
        self.assertEqual((r.rc, r.out), (1, ""), r)

    def test_found_exits_0(self):
        for args in (["1776"], ["ssh"], ["SSH"], ["53/udp"], ["search", "kuang"],
                     ["range", "6000-6010"], ["0"], ["65535"]):
            with self.subTest(args=args):
                r = pr.run(PORTINFO, args)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(r.err, "", r)
                self.assertTrue(r.out, r)

    def test_service_name(self):
        r = pr.run(PORTINFO, ["ssh"])
        self.assertIn("Port 22", r.out)
        self.assertIn("ssh", r.out)
        r = pr.run(PORTINFO, ["ssh/udp"])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.out.startswith("Port 22/udp"), r)


class EverydayNames(unittest.TestCase):
    """Issue 11's names on the vendored table: each answers the ports people mean, and search
    ranks them first."""
    WANT = {"rdp": [3389], "dhcp": [67, 68], "dns": [53], "smb": [445], "ntp": [123],
            "ldap": [389], "kerberos": [88], "winrm": [5985], "snmp": [161], "syslog": [514]}

    def test_names_answer_their_ports(self):
        for name, ports in self.WANT.items():
            with self.subTest(name=name):
                r = pr.run(PORTINFO, [name])
                self.assertEqual(r.rc, 0, r)
                got = [int(line.split()[1].split("/")[0].rstrip(":"))
                       for line in r.out.splitlines() if line.startswith("Port ")]
                self.assertEqual(got[:len(ports)], ports, r.out[:400])
                self.assertIn("Also known as:", r.out)

    def test_rdp_is_told_apart_from_iana_rdp(self):
        r = pr.run(PORTINFO, ["RDP"])
        self.assertEqual(r.rc, 0, r)
        head = " ".join(r.out.split("Port 3389")[0].split())
        self.assertIn('IANA\'s service name "RDP" is a different registration', head)
        self.assertIn("Reliable Data Protocol (no port)", head)
        r = pr.run(PORTINFO, ["dns"])
        self.assertNotIn("different registration", r.out)

    def test_search_ranks_them_first(self):
        for name, ports in list(self.WANT.items()) + [("upnp", [1900]), ("smtps", [465]),
                                                     ("rpcbind", [111])]:
            with self.subTest(name=name):
                r = pr.run(PORTINFO, ["search", name])
                self.assertEqual(r.rc, 0, r)
                first = int(r.out.split("/", 1)[0])
                self.assertIn(first, ports, r.out[:300])

    def test_json_carries_the_names(self):
        r = pr.run(PORTINFO, ["--json", "3389/tcp"])
        self.assertEqual(r.rc, 0, r)
        port = json.loads(r.out)[0]
        aka = port["also_known_as"]
        self.assertEqual([a["name"] for a in aka], ["RDP", "Terminal-Services"])
        self.assertEqual(aka[0]["service"], "ms-wbt-server")
        self.assertEqual(aka[0]["protocol"], "tcp")
        self.assertTrue(aka[0]["source_url"].startswith("https://"), aka)
        for u in port["unofficial"]:
            for key in ("port_range", "era", "attack_id", "attack_url", "correction"):
                self.assertIn(key, u)


class HelpAndVersion(unittest.TestCase):
    def test_help(self):
        for opt in ("--help", "-h"):
            with self.subTest(opt=opt):
                r = pr.run(PORTINFO, [opt])
                self.assertEqual((r.rc, r.err), (0, ""), r)
                self.assertIn("Usage: portinfo", r.out)
                for word in ("search", "range", "--json", "Exit status"):
                    self.assertIn(word, r.out)
                self.assertEqual(pr.overlong_lines(r.out), [])

    def test_help_wins_over_bad_operands(self):
        r = pr.run(PORTINFO, ["--help", "70000"])
        self.assertEqual(r.rc, 0, r)

    def test_version(self):
        for opt in ("--version", "-V"):
            with self.subTest(opt=opt):
                r = pr.run(PORTINFO, [opt])
                self.assertEqual((r.rc, r.err), (0, ""), r)
                self.assertRegex(r.out, r"^portinfo [0-9]+\.[0-9]+\.[0-9]+\n")
                self.assertRegex(r.out, r"\b1[0-9]{4} records\b")
                form = os.environ.get("PORTINFO_TEST_REGISTRY", "xml")
                self.assertIn("(%s form)" % form, r.out)
                if form == "xml":
                    self.assertIn("IANA registry of 2026-08-17", r.out)


class Colour(unittest.TestCase):
    ARGS = ["31337"]

    def test_pipe_has_no_colour(self):
        r = pr.run(PORTINFO, self.ARGS)
        self.assertNotIn(pr.ESC, r.out)

    def test_color_always_on_a_pipe(self):
        for env in (pr.clean_env(), pr.clean_env(NO_COLOR="1")):
            r = pr.run(PORTINFO, ["--color=always"] + self.ARGS, env=env)
            self.assertEqual(r.rc, 0, r)
            self.assertIn(pr.ESC + "[", r.out)
            # Colour changes nothing but the escapes.
            plain = pr.run(PORTINFO, self.ARGS)
            self.assertEqual(pr.ANSI.sub("", r.out), plain.out)
        r = pr.run(PORTINFO, ["--color", "always"] + self.ARGS)
        self.assertIn(pr.ESC + "[", r.out)

    def test_terminal(self):
        try:
            rc, out, err = run_on_pty(self.ARGS, pr.clean_env(TERM="xterm"))
        except OSError as e:
            no_pty(self, e)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn(pr.ESC + "[", out, "no colour on a terminal")
        plain = pr.run_tty(PORTINFO, self.ARGS, env=pr.clean_env(TERM="xterm", NO_COLOR="1")).out
        self.assertEqual(pr.ANSI.sub("", out), plain)
        self.assertNotEqual(plain, pr.run(PORTINFO, self.ARGS).out, "a terminal is wrapped")

        # TERM=dumb: no escapes and no wrapping, as on a pipe.
        rc, out, err = run_on_pty(self.ARGS, pr.clean_env(TERM="dumb"))
        self.assertEqual((rc, err), (0, ""))
        self.assertNotIn(pr.ESC, out, "escapes sent to TERM=dumb")
        self.assertEqual(out, pr.run(PORTINFO, self.ARGS).out)

        rc, out, err = run_on_pty(self.ARGS, pr.clean_env(TERM="xterm", NO_COLOR="1"))
        self.assertEqual(rc, 0)
        self.assertNotIn(pr.ESC, out, "colour on a terminal despite NO_COLOR")
        self.assertEqual(out, plain)

        rc, out, err = run_on_pty(["--color=never"] + self.ARGS, pr.clean_env(TERM="xterm"))
        self.assertNotIn(pr.ESC, out)

    def test_narrow_terminal_wraps(self):
        try:
            rc, out, err = run_on_pty(["--color=never", "27969", "6001"],
                                      pr.clean_env(NO_COLOR="1"), cols=60)
        except OSError as e:
            no_pty(self, e)
        self.assertEqual(rc, 0)
        self.assertEqual(pr.overlong_lines(out, 60), [])


def no_pty(test, e):
    """No pseudo-terminal: skipped, or under CI (CI=true) a failure."""
    if os.environ.get("CI") == "true":
        test.fail("no pseudo-terminal under CI: %s" % e)
    test.skipTest("no pseudo-terminal: %s" % e)


class SeveralOperands(unittest.TestCase):
    def test_each_answer_in_order(self):
        args = ["1776", "6001/tcp", "ssh", "65535"]
        r = pr.run(PORTINFO, args)
        self.assertEqual((r.rc, r.err), (0, ""), r)
        pos = 0
        for a in args:
            one = pr.run(PORTINFO, [a]).out
            at = r.out.find(one, pos)
            self.assertGreaterEqual(at, 0, "the answer for %s is missing or out of order" % a)
            pos = at + len(one)

    def test_unknown_among_known(self):
        r = pr.run(PORTINFO, ["1776", "no-such-service-xyz", "22/tcp"])
        self.assertEqual(r.rc, 1, r)
        self.assertIn("Port 1776", r.out)
        self.assertIn("Port 22/tcp", r.out)
        self.assertEqual(r.err.count("\n"), 1, r)

    def test_bad_operand_anywhere_prints_nothing(self):
        for args in (["70000", "1776"], ["1776", "22", "-1"], ["ssh", "", "22"]):
            with self.subTest(args=args):
                r = pr.run(PORTINFO, args)
                self.assertEqual((r.rc, r.out), (2, ""), r)

    def test_every_port_at_once(self):
        """All 65536 ports in one call: each answered, in order, within 80 columns (on a
        terminal: a pipe gets each item on one line)."""
        r = pr.run_tty(PORTINFO, [str(p) for p in range(65536)],
                       env=pr.clean_env(NO_COLOR="1", TERM="xterm"), timeout=120)
        self.assertEqual((r.rc, r.err), (0, ""), r)
        self.assertNotIn(pr.ESC, r.out)
        heads = [int(line.split()[1].rstrip(":")) for line in r.out.split("\n")
                 if line.startswith("Port ")]
        self.assertEqual(heads, list(range(65536)))
        bad = pr.overlong_lines(r.out)
        self.assertEqual(bad[:10], [], "%d lines wider than 80 columns" % len(bad))

    def test_double_dash(self):
        r = pr.run(PORTINFO, ["--", "1776"])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.out.startswith("Port 1776"), r)


if __name__ == "__main__":
    PORTINFO = pr.portinfo_path()
    unittest.main(argv=[sys.argv[0], "-v"])
