"""The IANA registry (CSV form): the note tail of every row, and the rows of its
*Unauthorized Use Reported* column."""

import csv
import io
import re

from .model import Row

DYNAMIC_LOW = 49152

IANA_SOURCE = (
    "https://www.iana.org/assignments/service-names-port-numbers/ "
    "(Unauthorized Use Reported column; copy in iana/service-names-port-numbers.csv)"
)
IANA_URL = "https://www.iana.org/assignments/service-names-port-numbers/"
IANA_LABEL = "IANA registry: unauthorized use reported"


class Registry:
    """The CSV rows, indexed by (port, protocol)."""

    def __init__(self, text):
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        if header[:4] != ["Service Name", "Port Number", "Transport Protocol", "Description"]:
            raise ValueError("IANA CSV: unexpected header")
        self.records = []
        self.by_port = {}
        for rec in reader:
            if len(rec) < 12:
                continue
            self.records.append(rec)
            lo, hi = _port_span(rec[1])
            if lo is None:
                continue
            protos = [rec[2]] if rec[2] else ["tcp", "udp"]
            for port in range(lo, hi + 1):
                for proto in protos:
                    self.by_port.setdefault((port, proto), []).append(rec)

    def label(self, port, protos):
        """What IANA says of the port on these protocols, as the note tail gives it:
        the service names of its records (a record without a name by its description),
        each once, tcp's first."""
        if port >= DYNAMIC_LOW:
            return "dynamic range, never assigned"
        words = []
        for proto in protos:
            for rec in self.by_port.get((port, proto), []):
                word = rec[0].strip() or _describe(rec[3])
                if word not in words:
                    words.append(word)
        return "/".join(words) if words else "no entry"

    def tail(self, port, proto):
        if proto == "both":
            return f"IANA tcp+udp {port}: {self.label(port, ('tcp', 'udp'))}"
        return f"IANA {proto} {port}: {self.label(port, (proto,))}"


def _port_span(text):
    m = re.fullmatch(r"\s*(\d+)(?:-(\d+))?\s*", text)
    if not m:
        return None, None
    lo = int(m.group(1))
    return lo, int(m.group(2) or lo)


def _describe(description):
    d = description.strip()
    low = d.lower()
    if low.startswith("unassigned"):
        return "unassigned"
    if low.startswith("reserved"):
        return "reserved"
    # Lower case, but keep acronyms ("any private RJE service").
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in d.split())


def append_tail(row, registry):
    """The note in the file's own words, then the IANA part of the same port and protocol."""
    if not row.needs_tail:
        return
    tail = registry.tail(row.port, row.proto)
    row.note = f"{row.note}; {tail}" if row.note else tail
    row.needs_tail = False


# --- the Unauthorized Use Reported column ---------------------------------------------

_PORT_WORDS = re.compile(r"(?i)\bports?\s*:?\s*([0-9][0-9 ,&and-]*)")


def _ports_named(text, lo, hi):
    """The ports an unauthorized-use text names: [(first, last)], else the record's own."""
    m = _PORT_WORDS.search(text)
    if not m:
        m = re.search(r"(?i)\bon\s+([0-9]+)\b", text)
    if not m:
        return [(lo, lo)] if lo == hi else [(lo, hi)]
    spans = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", m.group(1).strip()):
        part = part.strip()
        if not part:
            continue
        a, b = _port_span(part)
        if a is not None:
            spans.append((a, b))
    return spans or [(lo, lo)]


def unauthorized_rows(registry, names):
    """One row per port (or range) and protocol an unauthorized-use text names.

    `names` maps the IANA text to the user's name (sources/name-fixes.tsv, source
    "iana"); a text naming nobody gives "unidentified". A record without a protocol
    covers every transport, so its claim is recorded as `both`.
    """
    rows = {}
    for rec in registry.records:
        text = rec[10].strip()
        if not text:
            continue
        lo, hi = _port_span(rec[1])
        if lo is None:
            continue
        proto = rec[2] or "both"
        entry = f"{rec[0].strip() or 'unnamed'} {rec[1].strip()}"
        name = names.get(text, "unidentified")
        for a, b in _ports_named(text, lo, hi):
            key = (a, proto, name)
            if key in rows:
                continue
            note = f"IANA registry records unauthorized use here (entry {entry})"
            row = Row(
                port=a,
                proto=proto,
                kind="other",
                name=name,
                note=note,
                source=IANA_SOURCE,
                source_url=IANA_URL,
                source_label=IANA_LABEL,
                port_hi=str(b) if b != a else "",
                family="iana",
                needs_tail=False,
            )
            rows[key] = row
    return list(rows.values())
