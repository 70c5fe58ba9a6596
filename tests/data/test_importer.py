#!/usr/bin/env python3
"""Unit tests of the importer's rules on small inputs (tools/import-unofficial)."""

import os
import sys
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "import-unofficial"))

from unofficial import mikrotik, openvas, wikipedia  # noqa: E402
from unofficial.wikipedia import unmangle  # noqa: E402
from unofficial.model import Row  # noqa: E402
from unofficial.rules import NameFixes, dedup, normalise, proto_from_application  # noqa: E402

NASL = 'x\ntrojanlist = "\nTCP 6970 GateCrasher\nTCP 7000 Kazimas, SubSeven, W32.Mydoom,\nW32.Mytob\n#TCP 135 Femot\nTCP 55166 WM Trojan GeneratorTCP 57341 NetRaider\nTCP 80 Mydoom, Ketch, Mydoom\n";\n'


class OpenVAS(unittest.TestCase):
    def rows(self):
        return {(r.port, r.proto, r.name) for r in openvas.rows(NASL)}

    def test_continuation_line(self):
        self.assertIn((7000, "tcp", "W32.Mytob"), self.rows())
        self.assertIn((7000, "tcp", "W32.Mydoom"), self.rows())

    def test_merged_line(self):
        rows = self.rows()
        self.assertIn((55166, "tcp", "WM Trojan Generator"), rows)
        self.assertIn((57341, "tcp", "NetRaider"), rows)
        self.assertFalse(any("TCP 57341" in n for _, _, n in rows))

    def test_comment_and_repeat(self):
        rows = self.rows()
        self.assertNotIn((135, "tcp", "Femot"), rows)
        self.assertEqual(sum(1 for p, _, n in rows if p == 80 and n == "Mydoom"), 1)


CHAIN = ('add chain=virus protocol=tcp dst-port=135-139 action=drop comment="Drop Blaster Worm" \n'
         'add chain=virus protocol=udp dst-port=137 action=drop comment="________"\n'
         'add chain=virus protocol=tcp dst-port=445 action=drop comment="Drop Blaster Worm" \n')
FIXES = "source\traw_name\tfixed_name\treason\nmikrotik\tBlaster Worm\tBlaster worm\tcase\nmikrotik\t________\t\tnames nothing\n"


class Ranges(unittest.TestCase):
    def test_range_rule_is_one_row(self):
        rows = mikrotik.rows(CHAIN, NameFixes(FIXES, "fixes"))
        self.assertEqual([(r.port, r.port_hi, r.name) for r in rows],
                         [(135, "139", "Blaster worm"), (445, "", "Blaster worm")])
        self.assertFalse(any(r.port == 137 for r in rows))


MD = """## Well-known ports
| Port | TCP | UDP | IANA status | Description | SCTP |
| --- | --- | --- | --- | --- | --- |
| 9 | Yes | Yes | Official | Discard |  |
| No | Yes | Unofficial | [Wake-on-LAN](https://x/Wake-on-LAN) |  |
## Registered ports
IANA status

9001
Yes
Yes

ETL Service Manager

Official

[Tor](https://x/Tor_(anonymity_network)) network default
Unofficial
Yes

[DBGp](https://x/DBGp) Proxy
Unofficial

Yes
[UDPCast](https://x/UDPCast)
Unofficial
9050–9051
Yes

Tor (SOCKS-5 proxy client)

Unofficial
## Dynamic, private or ephemeral ports
| Port | TCP | UDP | Description |
| --- | --- | --- | --- |
| 64738 | Yes | Yes | Mumble |
## See also
"""


class Protocols(unittest.TestCase):
    def entries(self):
        return {e.text: e for e in wikipedia.parse_2021(MD)}

    def test_continuation_row_of_table_keeps_port(self):
        e = self.entries()["Wake-on-LAN"]
        self.assertEqual((e.port, e.tcp, e.udp), (9, False, True))

    def test_no_cells_means_not_given(self):
        e = self.entries()["Tor network default"]
        self.assertEqual((e.port, e.tcp, e.udp), (9001, None, None))

    def test_lone_cell_column(self):
        e = self.entries()
        self.assertEqual((e["DBGp Proxy"].tcp, e["DBGp Proxy"].udp), (True, False))
        self.assertEqual((e["UDPCast"].tcp, e["UDPCast"].udp), (False, True))

    def test_range_statement(self):
        e = self.entries()["Tor (SOCKS-5 proxy client)"]
        self.assertEqual((e.port, e.port_hi), (9050, 9051))

    def test_tcp_only_application_protocol(self):
        self.assertEqual(proto_from_application("Matrix homeserver federation over HTTPS"), "tcp")
        self.assertEqual(proto_from_application("Squid caching web proxy"), "tcp")
        self.assertEqual(proto_from_application("VMware VI Web Access via HTTP"), "tcp")
        self.assertIsNone(proto_from_application("Tor network default"))
        self.assertIsNone(proto_from_application("Web Analytics"))
        self.assertIsNone(proto_from_application("HTTP/3 over QUIC"))

    def test_2013_mojibake_decoded(self):
        self.assertEqual(unmangle("Webmin\u00e2\u20ac\u201dWeb-based"), "Webmin\u2014Web-based")
        self.assertEqual(unmangle("Caf\u00e9 plain"), "Caf\u00e9 plain")

    def test_both_only_when_both_cells(self):
        e = self.entries()["Mumble"]
        self.assertEqual((e.tcp, e.udp), (True, True))


def row(port, proto, name, label, family="wikipedia"):
    return Row(port=port, proto=proto, kind="software", name=name, note="", source="s",
               source_url="https://example.org/", source_label=label, family=family)


class Duplicates(unittest.TestCase):
    def test_2013_copy_of_2021_row_dropped(self):
        rows = [row(5001, "tcp", "Iperf", "2013"), row(5001, "udp", "Iperf", "2013"),
                row(5001, "both", "Iperf", "2021")]
        kept, dropped = dedup(rows, lambda r: 0 if r.source_label == "2021" else 1)
        self.assertEqual([(r.proto, r.source_label) for r in kept], [("both", "2021")])
        self.assertEqual(len(dropped), 2)

    def test_spelling_duplicates(self):
        self.assertEqual(normalise("Civilization IV multiplayer"), normalise("Civilization 4 multiplayer"))
        self.assertEqual(normalise("Cross Fire"), normalise("CrossFire"))
        rows = [row(10009, "both", "Cross Fire", "2013"), row(10009, "both", "CrossFire", "2021")]
        kept, _ = dedup(rows, lambda r: 0 if r.source_label == "2021" else 1)
        self.assertEqual([r.name for r in kept], ["CrossFire"])

    def test_other_family_kept(self):
        rows = [row(5001, "tcp", "Iperf", "2021"), row(5001, "tcp", "Iperf", "docs", family="docs")]
        kept, _ = dedup(rows, lambda r: 0)
        self.assertEqual(len(kept), 2)


if __name__ == "__main__":
    unittest.main()
