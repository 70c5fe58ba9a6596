"""The whole import: every source parsed, the rules applied, curated rows merged."""

import dataclasses
import glob
import os

from . import iana, mikrotik, openvas, wikipedia
from .model import DataError, Row, parse_tsv, row_from_record, sort_key, COLUMNS
from .rules import (Decisions, NameFixes, dedup, normalise, proto_from_application,
                    proto_from_text, proto_of,
                    set_era, wikipedia_kind)


@dataclasses.dataclass
class Paths:
    root: str

    def data(self, *parts):
        return os.path.join(self.root, "data", *parts)

    @property
    def sources(self):
        return self.data("unofficial", "sources")

    @property
    def curated(self):
        return self.data("unofficial", "curated")

    @property
    def output(self):
        return self.data("unofficial", "unofficial-uses.tsv")


@dataclasses.dataclass
class Report:
    """What the import decided, for --report and the tests."""

    duplicates: list = dataclasses.field(default_factory=list)  # (dropped, kept)
    no_proto: list = dataclasses.field(default_factory=list)  # entries without a protocol
    proto_how: dict = dataclasses.field(default_factory=dict)  # how -> count
    per_source: dict = dataclasses.field(default_factory=dict)  # label -> rows

    def count(self, how):
        self.proto_how[how] = self.proto_how.get(how, 0) + 1


def _read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except OSError as e:
        raise DataError(f"{path}: {e.strerror}") from None


# --- Wikipedia -------------------------------------------------------------------------

def _match(entry, others):
    """The entry of the other copy on the same port with the same name (or one name the
    start of the other), whose cells give a protocol."""
    n = normalise(entry.text)
    for o in others.get(entry.port, []):
        m = normalise(o.text)
        if proto_of(o.tcp, o.udp) and n and m and (n == m or n.startswith(m) or m.startswith(n)):
            return o
    return None


def resolve_proto(entry, others, decisions, source_key, report):
    """The protocol of a Wikipedia row, and how it was decided (see data/README.md)."""
    p = proto_of(entry.tcp, entry.udp)
    if p:
        report.count("the source's TCP/UDP cells")
        return p
    o = _match(entry, others)
    if o:
        report.count("the other copy's TCP/UDP cells")
        return proto_of(o.tcp, o.udp)
    p = proto_from_text(entry.text)
    if p:
        report.count("the row's own text")
        return p
    p = proto_from_application(entry.text)
    if p:
        report.count("an application protocol its text names (TCP only)")
        return p
    d = decisions.get(source_key, entry.port, entry.text)
    if d:
        report.count("proto-decisions.tsv")
        return d["proto"]
    report.no_proto.append(entry)
    return None


def wikipedia_rows(paths, fixes, decisions, report):
    e21 = wikipedia.parse_2021(_read(os.path.join(paths.sources, "List_of_TCP_and_UDP_port_numbers_Wikipedia.md")))
    e13 = wikipedia.parse_2013(_read(os.path.join(paths.sources, "ports.lists.json")))
    by_port = {"2021": {}, "2013": {}}
    for e in e21 + e13:
        by_port[e.copy].setdefault(e.port, []).append(e)
    out = []
    for entries, copy in ((e21, "2021"), (e13, "2013")):
        other = by_port["2013" if copy == "2021" else "2021"]
        key = f"wikipedia-{copy}"
        for e in entries:
            name = fixes.apply(key, e.text)
            if name is None:
                continue
            proto = resolve_proto(e, other, decisions, key, report)
            if proto is None:
                continue
            default = " default" if "default" in name.lower() else ""
            year = " (2013)" if copy == "2013" else ""
            out.append(Row(
                port=e.port, proto=proto, kind=wikipedia_kind(name), name=name,
                note=f"Unofficial{default} use per Wikipedia list{year}",
                source=wikipedia.SOURCE_2013 if copy == "2013" else wikipedia.SOURCE_2021,
                source_url=wikipedia.URL_2013 if copy == "2013" else wikipedia.URL_2021,
                source_label=wikipedia.LABEL_2013 if copy == "2013" else wikipedia.LABEL_2021,
                port_hi=str(e.port_hi) if e.port_hi != e.port else "",
                family="wikipedia"))
    return out


# --- curated files ---------------------------------------------------------------------

def curated_rows(paths):
    out = []
    for path in sorted(glob.glob(os.path.join(paths.curated, "*.tsv"))):
        rel = os.path.relpath(path, paths.root)
        for rec in parse_tsv(_read(path), rel, COLUMNS):
            row = row_from_record(rec, rel, "curated:" + os.path.basename(path))
            if "; IANA " in row.note:
                raise DataError(f"{rel}:{rec['_line']}: the note carries an IANA part; the importer adds it")
            out.append(row)
    return out


# --- everything --------------------------------------------------------------------------

_RANK = {wikipedia.LABEL_2021: 0, wikipedia.LABEL_2013: 1}


def build(root):
    """(rows in file order, report)."""
    paths = Paths(root)
    report = Report()
    registry = iana.Registry(_read(paths.data("iana", "service-names-port-numbers.csv")))
    fixes = NameFixes(_read(os.path.join(paths.sources, "name-fixes.tsv")),
                      "data/unofficial/sources/name-fixes.tsv")
    decisions = Decisions(_read(os.path.join(paths.sources, "proto-decisions.tsv")),
                          "data/unofficial/sources/proto-decisions.tsv")

    rows = []
    for r in openvas.rows(_read(os.path.join(paths.sources, "trojan_horses.nasl"))):
        name = fixes.apply("openvas", r.name)
        if name is not None:
            r.name = name
            rows.append(r)
    rows += mikrotik.rows(_read(os.path.join(paths.sources, "constants.py")), fixes)
    rows += iana.unauthorized_rows(registry, fixes.mapping("iana"))
    rows += wikipedia_rows(paths, fixes, decisions, report)

    rows, report.duplicates = dedup(rows, lambda r: _RANK.get(r.source_label, 0))
    rows += curated_rows(paths)

    for r in rows:
        iana.append_tail(r, registry)
        set_era(r)
        report.per_source[r.source_label] = report.per_source.get(r.source_label, 0) + 1

    stale = fixes.unused()
    if stale:
        s, raw = stale[0]
        raise DataError(f"name-fixes.tsv: {len(stale)} entries match no raw name, first: {s} \"{raw[:40]}\"")
    stale = decisions.unused()
    if stale:
        raise DataError(f"proto-decisions.tsv: {len(stale)} entries match no row, first: "
                        f"{stale[0]['source']} {stale[0]['port']} \"{stale[0]['name'][:40]}\"")
    rows.sort(key=sort_key)
    return rows, report
