#!/usr/bin/env python3
"""Tests of tools/import-attack/extract: the port regex, the report year, and one run over a
small fixture bundle (tests/data/fixtures/attack-bundle.json)."""

import importlib.machinery
import importlib.util
import io
import os
import sys
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXTRACT = os.path.join(ROOT, "tools", "import-attack", "extract")
BUNDLE = os.path.join(HERE, "fixtures", "attack-bundle.json")
EXCLUDE = os.path.join(HERE, "fixtures", "attack-exclude.tsv")
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def load_extract():
    loader = importlib.machinery.SourceFileLoader("attack_extract", EXTRACT)
    spec = importlib.util.spec_from_loader("attack_extract", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


X = load_extract()


def ports(sentence):
    return [(p, hi, hint) for p, hi, hint in X.ports_in(sentence)]


class PortRegex(unittest.TestCase):
    def test_list_after_port(self):
        self.assertEqual(ports("X has used HTTP over ports 447 and 8082 for C2."),
                         [(447, None, None), (8082, None, None)])

    def test_list_with_gaps(self):
        got = ports("X used HTTP over ports 9005 and 9006, 9002 for C2, 33666 as a WebSocket, "
                    "and 8090 to download files.")
        self.assertEqual([p for p, _, _ in got], [9005, 9006, 9002, 33666, 8090])

    def test_transport_written_at_the_number(self):
        self.assertEqual(ports("X beacons via UDP/6000."), [(6000, None, "udp")])
        self.assertEqual(ports("X opens a shell on 8338/TCP."), [(8338, None, "tcp")])
        self.assertEqual(ports("X uses ports such as UDP 5900, 80 for C2."),
                         [(5900, None, "udp"), (80, None, None)])

    def test_range(self):
        self.assertEqual(ports("X starts a shell on a high TCP port starting at 42391 up to 43391."),
                         [(42391, 43391, None)])
        self.assertEqual(ports("X binds a port between 31800 and 31900."),
                         [(31800, 31900, None)])

    def test_not_ports(self):
        self.assertEqual(ports("X connects to port 443 and sleeps 300 seconds."),
                         [(443, None, None)])
        self.assertEqual(ports("X used port 8080 in 2019."), [(8080, None, None)])
        self.assertEqual(ports("X scans ports on 10.0.0.1 with version 2.4.1 and 0x1F90."), [])
        self.assertEqual(ports("X sends 512 bytes over TCP."), [])
        self.assertEqual(ports("X can use up to 10 channels."), [])
        self.assertEqual(ports("X uses port 70000."), [])
        self.assertEqual(ports("X gets the IP address and Port Number of its C2."), [])

    def test_list_stops_at_clause(self):
        self.assertEqual(ports("X uses port 443; it waits 5 minutes, then 12 more."),
                         [(443, None, None)])

    def test_transport_of_sentence(self):
        self.assertEqual(X.proto_of("X uses HTTPS over port 8443."), "tcp")
        self.assertEqual(X.proto_of("X uses a FakeTLS method on port 443."), "tcp")
        self.assertEqual(X.proto_of("X sends DNS requests over UDP port 53."), "udp")
        self.assertEqual(X.proto_of("X views UDP or TCP packets on port 22."), "both")
        self.assertIsNone(X.proto_of("X uses a custom protocol over port 443."))
        self.assertIsNone(X.proto_of("X uses the TCPView tool on port 1."))


class ReportYear(unittest.TestCase):
    def test_parenthesised(self):
        self.assertEqual(X.report_year("Vendor. (2020, May 5). Title. Retrieved June 1, 2021."),
                         2020)
        self.assertEqual(X.report_year("Vendor. (2017). Title. Retrieved June 1, 2021."), 2017)

    def test_bare(self):
        self.assertEqual(X.report_year("SecureWorks 2019, August 27 Title Retrieved. 2019/11/19"),
                         2019)

    def test_undated(self):
        self.assertIsNone(X.report_year("Vendor. (n.d.). Title. Retrieved January 12, 2018."))
        self.assertIsNone(X.report_year("Chell, D. PART 3. Retrieved February 6, 2023."))

    def test_earliest(self):
        refs = [{"description": "A. (2021, March 3). T. Retrieved May 1, 2023."},
                {"description": "B. (n.d.). T. Retrieved May 1, 2010."},
                {"description": "C. (2019, July 9). T. Retrieved May 1, 2023."}]
        self.assertEqual(X.earliest_year(refs), 2019)
        self.assertIsNone(X.earliest_year([]))


class FixtureRun(unittest.TestCase):
    def run_extract(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = X.main(list(args))
        return rc, out.getvalue(), err.getvalue()

    def test_rows(self):
        rc, out, _ = self.run_extract("--commit", COMMIT, "--release", "18.1",
                                      "--exclude", EXCLUDE, BUNDLE)
        self.assertEqual(rc, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0].split("\t"), X.HEADER)
        rows = [dict(zip(X.HEADER, l.split("\t"))) for l in lines[1:]]
        got = [(r["port"], r["proto"], r["name"], r["first_seen_year"], r["port_hi"], r["era"])
               for r in rows]
        self.assertEqual(got, [
            ("5555", "tcp", "FixtureTool", "2008", "", "historical"),
            ("6001", "udp", "FixtureRAT", "2021", "", "modern"),
            ("7001", "tcp", "FixtureRAT", "2021", "", "modern"),
            ("8081", "tcp", "FixtureRAT", "2019", "", "modern"),
            ("9443", "tcp", "FixtureRAT", "2019", "", "modern"),
            ("40000", "tcp", "FixtureTool", "2008", "40100", "historical"),
        ])
        first = rows[0]
        self.assertEqual(first["kind"], "malware")
        self.assertEqual(first["ref_id"], "S9002")
        self.assertEqual(first["ref_url"], "https://attack.mitre.org/software/S9002/")
        self.assertEqual(first["source_label"], "MITRE ATT&CK")
        self.assertTrue(first["note"].startswith("ATT&CK tool;"))
        self.assertTrue(rows[1]["note"].startswith("ATT&CK malware;"))
        self.assertEqual(first["source_url"],
                         f"https://github.com/mitre/cti/blob/{COMMIT}/enterprise-attack/"
                         "attack-bundle.json")
        self.assertIn("relationship--00000000-0000-4000-8000-000000000103", first["source"])
        self.assertIn("@0123456 ", first["source"])
        # Neither the revoked malware nor the group's statement becomes a row.
        self.assertNotIn("1234", [r["port"] for r in rows])
        self.assertNotIn("2345", [r["port"] for r in rows])

    def test_wrong_release(self):
        with self.assertRaises(SystemExit):
            self.run_extract("--commit", COMMIT, "--release", "17.0", BUNDLE)

    def test_unused_exclusion_fails(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.write("S9001\t9999\ttcp\t*\tnothing matches this\n")
        try:
            rc, _, err = self.run_extract("--commit", COMMIT, "--release", "18.1",
                                          "--exclude", f.name, BUNDLE)
        finally:
            os.unlink(f.name)
        self.assertEqual(rc, 1)
        self.assertIn("matched nothing", err)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=1)
