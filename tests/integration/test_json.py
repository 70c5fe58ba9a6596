#!/usr/bin/env python3
"""portinfo --json, parsed with Python's json module and checked against the contract's shape.

    test_json.py PATH-TO-PORTINFO

Every object of explain, search and range output is checked field by field (types, allowed
values, range arrays, the status rule), then the answers themselves for the ports the issue
names.  The shape is CONTRACT.md's "JSON" section with what portinfo(1) adds to it: a field
with no value is null (never ""), dates may be YYYY-MM for old entries.
"""

import json
import os
import re
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portinfo_run as pr  # noqa: E402

PORTINFO = None

TIERS = ("well-known", "registered", "dynamic")
STATUSES = ("assigned", "reserved", "unassigned")
PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
KINDS = ("malware", "software", "other")
UO_PROTOCOLS = ("tcp", "udp", "both")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")
IANA_FIELDS = ("service", "protocol", "description", "assignee", "registered", "modified",
               "reference", "range", "unauthorized_use")
UO_FIELDS = ("name", "kind", "protocol", "year", "note", "source")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def tier_of(port):
    return "well-known" if port <= 1023 else "registered" if port <= 49151 else "dynamic"


class Shape:
    """Collects every way @objs departs from the contract."""

    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def text_or_null(self, where, v):
        if v is not None and not (isinstance(v, str) and v != ""):
            self.err(where, "%r is neither a non-empty string nor null" % (v,))

    def iana_entry(self, where, port, e):
        if not isinstance(e, dict):
            return self.err(where, "not an object")
        for k in IANA_FIELDS:
            if k not in e:
                self.err(where, "missing %r" % k)
        for k in ("service", "description", "assignee", "reference", "unauthorized_use"):
            self.text_or_null("%s.%s" % (where, k), e.get(k))
        if e.get("protocol") is not None and e.get("protocol") not in PROTOCOLS:
            self.err(where, "protocol %r" % (e.get("protocol"),))
        for k in ("registered", "modified"):
            v = e.get(k)
            if v is not None and not (isinstance(v, str) and DATE.match(v)):
                self.err(where, "%s %r is not a date" % (k, v))
        rng = e.get("range")
        if rng is not None:
            if not (isinstance(rng, list) and len(rng) == 2 and all(map(is_int, rng))):
                self.err(where, "range %r is not [lo, hi]" % (rng,))
            elif not (0 <= rng[0] < rng[1] <= 65535 and rng[0] <= port <= rng[1]):
                self.err(where, "range %r does not hold port %d" % (rng, port))
        if "status" in e and e["status"] not in STATUSES:
            self.err(where, "entry status %r" % (e["status"],))
        if e.get("service") is not None and e.get("status", "assigned") != "assigned":
            self.err(where, "a named service that is not assigned")

    def unofficial_entry(self, where, u):
        if not isinstance(u, dict):
            return self.err(where, "not an object")
        for k in UO_FIELDS:
            if k not in u:
                self.err(where, "missing %r" % k)
        if not (isinstance(u.get("name"), str) and u["name"]):
            self.err(where, "name %r" % (u.get("name"),))
        if u.get("kind") not in KINDS:
            self.err(where, "kind %r" % (u.get("kind"),))
        if u.get("protocol") not in UO_PROTOCOLS:
            self.err(where, "protocol %r" % (u.get("protocol"),))
        y = u.get("year")
        if y is not None and not (is_int(y) and 1970 <= y <= 2100):
            self.err(where, "year %r" % (y,))
        if not isinstance(u.get("note"), str):
            self.err(where, "note %r is not a string" % (u.get("note"),))
        if not (isinstance(u.get("source"), str) and u["source"]):
            self.err(where, "source %r" % (u.get("source"),))

    def port_object(self, where, o):
        if not isinstance(o, dict):
            return self.err(where, "not an object")
        for k in ("port", "tier", "status", "iana", "unofficial"):
            if k not in o:
                return self.err(where, "missing %r" % k)
        port = o["port"]
        if not (is_int(port) and 0 <= port <= 65535):
            return self.err(where, "port %r" % (port,))
        where = "%s (port %d)" % (where, port)
        if o["tier"] != tier_of(port):
            self.err(where, "tier %r, want %r" % (o["tier"], tier_of(port)))
        if o["status"] not in STATUSES:
            self.err(where, "status %r" % (o["status"],))
        if not isinstance(o["iana"], list) or not isinstance(o["unofficial"], list):
            return self.err(where, "iana and unofficial must be arrays")
        for i, e in enumerate(o["iana"]):
            self.iana_entry("%s.iana[%d]" % (where, i), port, e)
        for i, u in enumerate(o["unofficial"]):
            self.unofficial_entry("%s.unofficial[%d]" % (where, i), u)
        # The status rule: "assigned" when an entry names a service, "reserved" when only
        # reserved entries exist, else "unassigned".
        entry_status = [e.get("status") for e in o["iana"] if isinstance(e, dict)]
        named = any(isinstance(e, dict) and e.get("service") for e in o["iana"])
        if named and o["status"] != "assigned":
            self.err(where, "an entry names a service but the port is %r" % o["status"])
        if all(s is not None for s in entry_status):
            want = ("assigned" if "assigned" in entry_status else
                    "reserved" if "reserved" in entry_status else "unassigned")
            if o["status"] != want:
                self.err(where, "status %r, its entries say %r" % (o["status"], want))
        if o["tier"] == "dynamic" and o["iana"]:
            self.err(where, "IANA entries in the dynamic range")


def check_shape(testcase, objs, what):
    testcase.assertIsInstance(objs, list, what)
    shape = Shape()
    for i, o in enumerate(objs):
        shape.port_object("%s[%d]" % (what, i), o)
    if shape.errors:
        testcase.fail("%d departures from the contract:\n  %s"
                      % (len(shape.errors), "\n  ".join(shape.errors[:30])))


class Json(unittest.TestCase):
    def json_of(self, args, rc=0):
        r = pr.run(PORTINFO, ["--json"] + args)
        self.assertEqual(r.rc, rc, r)
        self.assertNotIn(pr.ESC, r.out)
        try:
            objs = json.loads(r.out)
        except ValueError as e:
            self.fail("not JSON (%s): %r" % (e, r))
        label = " ".join(args if len(args) <= 8 else args[:3] + ["..."] + args[-2:])
        check_shape(self, objs, "portinfo --json " + label)
        return objs

    def entries(self, obj, service=None):
        return [e for e in obj["iana"] if service is None or e["service"] == service]

    def test_1776(self):
        [o] = self.json_of(["1776"])
        self.assertEqual((o["port"], o["tier"], o["status"]), (1776, "registered", "assigned"))
        self.assertEqual(sorted((e["service"], e["protocol"]) for e in o["iana"]),
                         [("femis", "tcp"), ("femis", "udp")])
        for e in o["iana"]:
            self.assertEqual(e["description"], "Federal Emergency Management Information System")
            self.assertEqual(e["assignee"], "Larry Gerhardstein")
            self.assertIsNone(e["range"])
        self.assertEqual(o["unofficial"], [])

    def test_6001_tcp_inside_x11(self):
        [o] = self.json_of(["6001/tcp"])
        self.assertEqual((o["port"], o["status"]), (6001, "assigned"))
        self.assertEqual(len(o["iana"]), 1)
        e = o["iana"][0]
        self.assertEqual((e["service"], e["protocol"], e["range"]), ("x11", "tcp", [6000, 6063]))
        self.assertEqual(e["unauthorized_use"], "Known Unauthorized Use on port 6003")

    def test_31337_both_views(self):
        [o] = self.json_of(["31337"])
        self.assertEqual(o["status"], "assigned")
        self.assertEqual(sorted(e["protocol"] for e in self.entries(o, "eldim")), ["tcp", "udp"])
        self.assertEqual(self.entries(o, "eldim")[0]["registered"], "2021-05-14")
        names = [u["name"] for u in o["unofficial"] if u["kind"] == "malware"]
        self.assertIn("Back Orifice", names)
        self.assertTrue(any(u["year"] == 1998 for u in o["unofficial"]))

    def test_0_reserved(self):
        [o] = self.json_of(["0"])
        self.assertEqual((o["tier"], o["status"]), ("well-known", "reserved"))
        self.assertTrue(o["iana"])
        for e in o["iana"]:
            self.assertIsNone(e["service"])
            self.assertEqual(e["description"], "Reserved")

    def test_65535_dynamic(self):
        [o] = self.json_of(["65535"])
        self.assertEqual((o["tier"], o["status"], o["iana"]), ("dynamic", "unassigned", []))
        self.assertTrue(o["unofficial"])

    def test_22_tcp_only_tcp(self):
        [o] = self.json_of(["22/tcp"])
        self.assertEqual(o["status"], "assigned")
        self.assertTrue(self.entries(o, "ssh"))
        for e in o["iana"]:
            self.assertIn(e["protocol"], ("tcp", None))
        for u in o["unofficial"]:
            self.assertIn(u["protocol"], ("tcp", "both"))

    def test_status_rules(self):
        # 143: imap on tcp, "Reserved" on udp.
        self.assertEqual(self.json_of(["143/tcp"])[0]["status"], "assigned")
        self.assertEqual(self.json_of(["143/udp"])[0]["status"], "reserved")
        # 585: a de-registered port; 8: unassigned; 81: a protocol-less "Unassigned" row.
        self.assertEqual(self.json_of(["585"])[0]["status"], "reserved")
        self.assertEqual(self.json_of(["8"])[0]["status"], "unassigned")
        [o] = self.json_of(["81/tcp"])
        self.assertEqual(o["status"], "unassigned")
        self.assertEqual([e["protocol"] for e in o["iana"]], [None])
        # 1776 has no sctp entry.
        [o] = self.json_of(["1776/sctp"])
        self.assertEqual((o["status"], o["iana"]), ("unassigned", []))

    def test_search_kuang(self):
        objs = self.json_of(["search", "kuang"])
        ports = [o["port"] for o in objs]
        self.assertIn(17300, ports)
        self.assertEqual(len(ports), len(set(ports)))
        self.assertEqual(self.json_of(["search", "KUANG"]), objs)
        # The option may follow the subcommand too.
        r = pr.run(PORTINFO, ["search", "--json", "kuang"])
        self.assertEqual((r.rc, json.loads(r.out)), (0, objs))

    def test_range(self):
        objs = self.json_of(["range", "6000-6010"])
        # Every port of x11's 6000-6063 has an entry.
        self.assertEqual([o["port"] for o in objs], list(range(6000, 6011)))
        for o in objs:
            self.assertTrue(any(e["range"] == [6000, 6063] for e in o["iana"]), o["port"])

    def test_whole_ranges_have_the_shape(self):
        """Every kind of row there is: 0-1100 (reserved, unassigned, protocol-less, ranges,
        de-registered, unofficial) and the dynamic range."""
        objs = self.json_of(["range", "0-1100"])
        ports = [o["port"] for o in objs]
        self.assertEqual(ports, sorted(set(ports)))
        # Ports with only "Unassigned" rows and no unofficial use are left out of a range.
        for p in (0, 22, 24, 80, 143, 585, 1023):
            self.assertIn(p, ports)
        self.assertNotIn(4, ports)
        self.assertGreater(len(objs), 500)
        self.json_of(["range", "49152-65535"])

    def test_every_port_has_the_shape(self):
        objs = self.json_of([str(p) for p in range(65536)])
        self.assertEqual([o["port"] for o in objs], list(range(65536)))

    def test_several_operands(self):
        objs = self.json_of(["1776", "53/udp", "ssh"])
        self.assertEqual([o["port"] for o in objs], [1776, 53, 22])
        for e in objs[1]["iana"]:
            self.assertIn(e["protocol"], ("udp", None))

    def test_unknown_name_is_an_empty_array(self):
        self.assertEqual(self.json_of(["no-such-service-xyz"], rc=1), [])
        objs = self.json_of(["1776", "no-such-service-xyz"], rc=1)
        self.assertEqual([o["port"] for o in objs], [1776])

    def test_bad_input_prints_no_json(self):
        for args in (["70000"], ["1776", "70000"], ["range", "9-3"], ["search", ""]):
            with self.subTest(args=args):
                r = pr.run(PORTINFO, ["--json"] + args)
                self.assertEqual(r.rc, 2, r)
                self.assertEqual(r.out, "", r)


if __name__ == "__main__":
    PORTINFO = pr.portinfo_path()
    unittest.main(argv=[sys.argv[0], "-v"])
