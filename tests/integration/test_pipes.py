#!/usr/bin/env python3
"""portinfo in pipelines: `annotate` over other tools' recorded output, `portinfo -`,
`--format tsv|csv`, unwrapped text on a pipe, and search --json's "matched".

    test_pipes.py PATH-TO-PORTINFO FIXTURE-DIR

The fixtures (FIXTURE-DIR/*) are the output of ss -tulpn, ss -tan, netstat -tulpn, lsof -nP -i,
nmap -oG and -oX (recorded) and a Windows `netstat -ano` written in its real format (CR LF).
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portinfo_run as pr  # noqa: E402

PORTINFO = None
FIX = None
NOTE = re.compile(r"  # (\d+)/(tcp|udp) ([^\r\n]*)")


def strip_notes(out):
    """The output with every appended note taken away: what went in."""
    return "\n".join(NOTE.sub("", line) for line in out.split("\n"))


def run(args, stdin=b"", env=None):
    p = subprocess.run([PORTINFO] + args, input=stdin, capture_output=True,
                       env=env or pr.clean_env(), timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def fixture(name):
    with open(os.path.join(FIX, name), "rb") as f:
        return f.read()


def notes(out):
    """{line without its note: (port, proto, text)} for every annotated line."""
    got = {}
    for line in out.split("\n"):
        m = NOTE.search(line.rstrip("\r"))
        if m:
            got[line[:m.start()]] = (int(m.group(1)), m.group(2), m.group(3))
    return got


class Annotate(unittest.TestCase):
    # (fixture, --from, [(text in the line, port, proto, start of the explanation)], records)
    CASES = [
        ("ss-tulpn.txt", "ss", [("0.0.0.0:22 ", 22, "tcp", "ssh: The Secure Shell"),
                                ("0.0.0.0:68 ", 68, "udp", "bootpc:"),
                                ("*:1776 ", 1776, "tcp", "femis:")], 5),
        ("ss-tan.txt", "ss", [("192.168.1.7:51514", 22, "tcp", "ssh:"),
                              ("93.184.216.34:443", 443, "tcp", "https:"),
                              ("127.0.0.1:5432", 5432, "tcp", "postgresql:")], 4),
        ("netstat-tulpn.txt", "netstat", [(":::80 ", 80, "tcp", "http:"),
                                          ("0.0.0.0:5353", 5353, "udp", "mdns:"),
                                          (":::123 ", 123, "udp", "ntp:")], 5),
        ("netstat-ano-windows.txt", "netstat-windows",
         [("0.0.0.0:3389", 3389, "tcp", "ms-wbt-server:"),
          ("[::]:135 ", 135, "tcp", "epmap:"),
          ("20.42.73.29:443", 443, "tcp", "https:"),
          ("[::]:5353", 5353, "udp", "mdns:"),
          ("[::1]:49669", 49669, "tcp", "dynamic port")], 8),
        ("lsof-i.txt", "lsof", [("IPv6  18236      0t0  TCP *:22", 22, "tcp", "ssh:"),
                                ("5432->127.0.0.1:40000", 5432, "tcp", "postgresql:"),
                                ("UDP 127.0.0.1:323", 323, "udp", ""),
                                ("[::1]:631", 631, "tcp", "ipp:")], 6),
    ]

    def check_text(self, name, frm, expect, records, args):
        data = fixture(name)
        rc, out, err = run(["annotate"] + args, stdin=data)
        self.assertEqual(rc, 0, err)
        # Every input line comes back as it was, in order, with its line ending.
        self.assertEqual(strip_notes(out), data.decode("utf-8"))
        got = notes(out)
        self.assertEqual(len(got), records, out)
        for text, port, proto, start in expect:
            hits = [v for k, v in got.items() if text in k]
            self.assertEqual(len(hits), 1, "%s: no single line with %r" % (name, text))
            self.assertEqual(hits[0][:2], (port, proto), text)
            self.assertTrue(hits[0][2].startswith(start), hits[0])

    def test_recognised(self):
        for name, frm, expect, records in self.CASES:
            with self.subTest(name=name):
                self.check_text(name, frm, expect, records, [])

    def test_named_with_from(self):
        for name, frm, expect, records in self.CASES:
            with self.subTest(name=name):
                self.check_text(name, frm, expect, records, ["--from", frm])

    def test_file_operand(self):
        rc, out, _ = run(["annotate", os.path.join(FIX, "ss-tulpn.txt")])
        rc2, out2, _ = run(["annotate"], stdin=fixture("ss-tulpn.txt"))
        self.assertEqual((rc, out), (rc2, out2))

    def test_windows_lines_end_in_crlf(self):
        rc, out, _ = run(["annotate"], stdin=fixture("netstat-ano-windows.txt"))
        self.assertEqual(rc, 0)
        for line in out.split("\n")[:-1]:
            self.assertTrue(line.endswith("\r"), repr(line))
            self.assertNotIn("\r", line[:-1], repr(line))

    def test_nmap_grep_a_line_per_port(self):
        rc, out, _ = run(["annotate"], stdin=fixture("nmap.gnmap"))
        self.assertEqual(rc, 0)
        lines = out.split("\n")
        at = [i for i, l in enumerate(lines) if "\tPorts: " in l][0]
        self.assertEqual([l.split()[1] for l in lines[at + 1:at + 5]],
                         ["22/tcp", "80/tcp", "443/tcp", "31337/tcp"])
        self.assertTrue(lines[at + 1].startswith("  # 22/tcp ssh:"), lines[at + 1])
        self.assertTrue(lines[at + 5].startswith("# Nmap done"), lines[at + 5])

    def test_nmap_xml(self):
        rc, out, err = run(["annotate"], stdin=fixture("nmap.xml"))
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines(), [
            "192.168.1.1 22/tcp open  # 22/tcp ssh: The Secure Shell (SSH) Protocol",
            "192.168.1.1 80/tcp open  # 80/tcp http: World Wide Web HTTP",
            "192.168.1.1 53/udp open  # 53/udp domain: Domain Name Server"])
        rc, out, _ = run(["annotate", "--json"], stdin=fixture("nmap.xml"))
        objs = json.loads(out)
        self.assertEqual([(o["local_address"], o["port"], o["protocol"], o["state"],
                           o["reported_service"], o["iana"][0]["service"]) for o in objs],
                         [("192.168.1.1", 22, "tcp", "open", "ssh", "ssh"),
                          ("192.168.1.1", 80, "tcp", "open", "http", "http"),
                          ("192.168.1.1", 53, "udp", "open", "domain", "domain")])

    def test_json(self):
        rc, out, _ = run(["annotate", "--json"], stdin=fixture("lsof-i.txt"))
        self.assertEqual(rc, 0)
        objs = json.loads(out)
        self.assertEqual(len(objs), 6)
        o = objs[3]
        self.assertEqual((o["source"], o["line"], o["protocol"], o["local_address"],
                          o["local_port"], o["remote_address"], o["remote_port"], o["state"],
                          o["process"], o["port"], o["explained"]),
                         ("lsof", 5, "tcp", "127.0.0.1", 5432, "127.0.0.1", 40000,
                          "ESTABLISHED", "postgres pid=1410 user=postgres", 5432, "local"))
        # The explanation's fields are those of `portinfo --json 5432/tcp`.
        rc, ref, _ = run(["--json", "5432/tcp"])
        want = json.loads(ref)[0]
        for k in want:
            self.assertEqual(o[k], want[k], k)
        rc, out, _ = run(["annotate", "--json"], stdin=fixture("ss-tan.txt"))
        remote = [o for o in json.loads(out) if o["remote_port"] == 443][0]
        self.assertEqual((remote["port"], remote["explained"]), (443, "remote"))

    def test_service_without_description(self):
        # IANA names xinuexpansion4 on 2024 and describes nothing: the note is the name alone.
        data = b"State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n" \
               b"LISTEN 0      128    0.0.0.0:2024       0.0.0.0:*\n"
        rc, out, err = run(["annotate"], stdin=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(list(notes(out).values()), [(2024, "tcp", "xinuexpansion4")], out)

    def test_json_before_the_command_word(self):
        # `portinfo --json annotate` is `portinfo annotate --json`, as for search and who.
        rc, out, _ = run(["annotate", "--json"], stdin=fixture("lsof-i.txt"))
        rc2, out2, err2 = run(["--json", "annotate"], stdin=fixture("lsof-i.txt"))
        self.assertEqual((rc2, out2), (rc, out), err2)
        self.assertEqual(len(json.loads(out2)), 6)
        # A helper that has no --json (or --format) refuses it rather than dropping it: nothing
        # is served, exported or installed.
        for flag, word, args in (
                ("--json", "serve", ["--json", "serve", "--listen", "127.0.0.1:0"]),
                ("--format", "export", ["--format", "csv", "export", "/nonexistent/pi-export"]),
                ("--json", "update", ["--json", "update", "--rollback"])):
            rc, out, err = run(args)
            self.assertEqual((rc, out), (2, ""), (args, err))
            self.assertEqual(err, "portinfo %s: %s does not apply here; see 'portinfo %s --help'\n"
                             % (word, flag, word))

    def test_malformed_lines(self):
        data = fixture("ss-tan.txt") + b"tcp LISTEN x y 1.2.3.4:99999 *:*\n" + \
            b"ESTAB 0 0 " + b"9" * 70000 + b":22 1.1.1.1:5\n"
        rc, out, err = run(["annotate"], stdin=data)
        self.assertEqual(rc, 0)
        self.assertEqual(strip_notes(out), data.decode())
        self.assertIn("not read as sockets", err)
        rc, out, err = run(["annotate", "--json"], stdin=data)
        self.assertEqual(len(json.loads(out)), 4)

    def test_unknown_and_bad_input(self):
        for args, data, words in [
                ([], b"hello\nworld\n", "--from"),
                ([], b"", "--from"),
                (["--from", "nmap-xml"], fixture("ss-tan.txt"), "not an nmap XML"),
                (["--from", "nmap-xml"], b"<nmaprun><host>", "not an nmap XML"),
                (["--from", "nmap"], b"", "--from takes"),
                ([os.path.join(FIX, "ss-tulpn.txt"), "/no/such/file"], b"", "/no/such/file"),
                (["--bogus"], b"", "unknown option")]:
            with self.subTest(args=args, data=data[:20]):
                rc, out, err = run(["annotate"] + args, stdin=data)
                self.assertEqual((rc, out), (2, ""), err)
                self.assertTrue(err.startswith("portinfo annotate: "), err)
                self.assertIn(words, err)
                self.assertEqual(err.count("\n"), 1, err)

    def test_nothing_to_annotate(self):
        rc, out, _ = run(["annotate", "--from", "ss"], stdin=b"State Recv-Q\n")
        self.assertEqual(rc, 1)

    def test_xml_entities_not_read(self):
        doc = (b'<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<nmaprun><host><address addr="&x;" addrtype="ipv4"/><ports>'
               b'<port protocol="tcp" portid="22"><state state="open"/></port></ports></host>'
               b'</nmaprun>')
        rc, out, _ = run(["annotate", "--json"], stdin=doc)
        self.assertNotIn("root:", out)


class Stdin(unittest.TestCase):
    def test_lines(self):
        rc, out, err = run(["-"], stdin=b"22\n# a comment\n\n  ssh/udp \r\n")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, run(["22", "ssh/udp"])[1])

    def test_formats(self):
        for fmt in (["--json"], ["--format", "tsv"], ["--format", "csv"]):
            with self.subTest(fmt=fmt):
                self.assertEqual(run(fmt + ["-"], stdin=b"1776\n53/udp\n")[1],
                                 run(fmt + ["1776", "53/udp"])[1])

    def test_status(self):
        self.assertEqual(run(["-"], stdin=b"no-such-name\n22\n")[0], 1)
        rc, out, err = run(["-"], stdin=b"22\n70000\n")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn('"70000" is not a port', err)
        rc, out, err = run(["-"], stdin=b"\n# only a comment\n")
        self.assertEqual((rc, out), (2, ""))
        rc, out, err = run(["-"], stdin=b"2" * 5000 + b"\n")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("line 1: longer than", err)
        rc, _, err = run(["22", "-"])
        self.assertEqual(rc, 2)


class Formats(unittest.TestCase):
    HEADER = ["port", "protocol", "source", "kind", "name", "service", "description", "year",
              "range"]

    def rows(self, args, fmt):
        rc, out, err = run(args + ["--format", fmt])
        self.assertEqual(rc, 0, err)
        if fmt == "csv":
            return list(csv.reader(io.StringIO(out)))
        return [line.split("\t") for line in out.splitlines()]

    def test_tsv_and_csv_agree(self):
        for args in (["search", "e"], ["range", "6000-6010"], ["22"], ["31337"]):
            with self.subTest(args=args):
                tsv, csvr = self.rows(args, "tsv"), self.rows(args, "csv")
                self.assertEqual(tsv[0], self.HEADER)
                self.assertEqual(tsv, csvr)
                self.assertTrue(all(len(r) == len(self.HEADER) for r in tsv))

    def test_cut_gives_ports(self):
        rc, out, _ = run(["search", "e", "--format", "tsv"])
        first = [line.split("\t")[0] for line in out.splitlines()[1:]]
        self.assertGreater(len(first), 100)
        self.assertTrue(all(f.isdigit() and int(f) <= 65535 for f in first), first[:20])

    def test_csv_quoting(self):
        rc, out, _ = run(["search", "xmpp", "--format", "csv"])
        line = [l for l in out.splitlines() if l.startswith("5222,tcp,alias,") and
                "Jabber" in l][0]
        self.assertIn('"XMPP (originally Jabber), clients"', line)
        rc, out, _ = run(["22", "--format", "csv"])
        self.assertTrue(all('"' not in l or l.count('"') % 2 == 0 for l in out.splitlines()))

    def test_entries(self):
        rows = self.rows(["22/tcp"], "tsv")
        self.assertIn(["22", "tcp", "iana", "assigned", "ssh", "ssh",
                       "The Secure Shell (SSH) Protocol", "", ""], rows)
        self.assertTrue(any(r[2] == "alias" and r[4] == "SSH" for r in rows))
        self.assertTrue(any(r[2] == "unofficial" and r[3] == "malware" for r in rows))
        rows = self.rows(["6001"], "tsv")
        self.assertTrue(any(r[4] == "x11" and r[8] == "6000-6063" for r in rows), rows)

    def test_bad_format(self):
        rc, out, err = run(["search", "e", "--format", "xml"])
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("--format takes text, json, tsv or csv", err)


class Piped(unittest.TestCase):
    def test_awk_first_column_is_ports(self):
        for args in (["search", "e"], ["range", "1-2000"]):
            with self.subTest(args=args):
                rc, out, _ = run(args)
                first = [line.split()[0] for line in out.splitlines() if line.strip()]
                self.assertTrue(all(re.fullmatch(r"\d+(-\d+)?(/[a-z+]+)?", f)
                                    for f in first), [f for f in first if not f[0].isdigit()][:5])
                self.assertNotIn(pr.ESC, out)
                # No line ends in blanks (2020-2026 has services IANA describes nothing of).
                self.assertEqual([ln for ln in out.splitlines() if ln != ln.rstrip()][:3], [])
        rc, out, _ = run(["range", "2020-2026"])
        self.assertIn("2021/udp         xinuexpansion1\n", out)


class WhoTables(unittest.TestCase):
    def test_who_tsv_matches_json(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        try:
            rc, out, err = run(["who", "--format", "tsv", str(port)])
            self.assertEqual(rc, 0, err)
            rows = [line.split("\t") for line in out.splitlines()]
            rc, js, _ = run(["who", "--json", str(port)])
            sockets = json.loads(js)
            self.assertEqual(rows[0][:5], ["protocol", "family", "state", "local_address",
                                           "local_port"])
            self.assertEqual(len(rows) - 1, len(sockets))
            self.assertEqual(rows[1][:5], ["tcp", "ipv4", "LISTEN", "127.0.0.1", str(port)])
            self.assertEqual(rows[1][8], ",".join(str(p["pid"]) for p in sockets[0]["processes"]))
            self.assertIn(str(os.getpid()), rows[1][8].split(","))
            rc, out2, _ = run(["--format", "csv", "who", str(port)])
            self.assertEqual(list(csv.reader(io.StringIO(out2))), rows)
        finally:
            s.close()

    def test_audit_header(self):
        rc, out, err = run(["audit", "--format", "csv", "--partial-ok"])
        self.assertIn(rc, (0, 1), err)
        self.assertEqual(out.splitlines()[0],
                         "severity,rule,protocol,local_address,local_port,user,pids,processes,"
                         "exe,message")
        rc, out, err = run(["who", "--format", "prometheus"])
        self.assertEqual((rc, out), (2, ""))


class Matched(unittest.TestCase):
    def matched(self, query):
        rc, out, _ = run(["search", "--json", query])
        self.assertEqual(rc, 0)
        return {o["port"]: o["matched"] for o in json.loads(out)}

    def test_fields(self):
        m = self.matched("rdp")
        self.assertIn("alias", m[3389])
        m = self.matched("ssh")
        self.assertIn("service", m[22])
        self.assertIn("description", m[22])
        m = self.matched("kuang")
        self.assertTrue(all(v == ["unofficial"] for v in m.values()), m)
        m = self.matched("Remote Desktop")
        self.assertIn("alias_meaning", m[3389])
        self.assertNotIn("service", m[3389])

    def test_every_hit_says_why(self):
        rc, out, _ = run(["search", "--json", "e"])
        objs = json.loads(out)
        self.assertTrue(objs and all(o["matched"] for o in objs))


if __name__ == "__main__":
    PORTINFO = pr.portinfo_path()
    FIX = sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
