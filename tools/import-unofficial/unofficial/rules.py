"""Rules shared by all sources: names normalised for comparison, protocol decisions,
duplicates within a source family, kind and era."""

import re

from .model import DataError, parse_tsv

_ROMAN = {
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5",
    "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10",
}


def normalise(name):
    """A name for comparison: case, spaces and punctuation ignored, roman numerals
    I to X read as numbers ("Civilization IV" = "civilization 4", "Cross Fire" =
    "CrossFire")."""
    words = re.findall(r"[^\W_]+", name.casefold())
    return "".join(_ROMAN.get(w, w) for w in words)


# --- protocols --------------------------------------------------------------------------

def proto_of(tcp, udp):
    """What the source's own cells say: "both", "tcp", "udp", or None (nothing)."""
    if tcp and udp:
        return "both"
    if tcp:
        return "tcp"
    if udp:
        return "udp"
    return None


def proto_from_text(text):
    """A protocol the row's own text names, when it names exactly one."""
    tcp = re.search(r"\bTCP\b", text) is not None
    udp = re.search(r"\bUDP\b", text) is not None
    if tcp != udp:
        return "tcp" if tcp else "udp"
    return None


# Application protocols that run over TCP only (HTTP/3 aside, which none of these rows names):
# a row whose text says a service speaks one of them names its transport as surely as a TCP
# cell would.
_TCP_ONLY = re.compile(
    r"\b(?:HTTPS?|TLS/SSL|SOAP|XML-RPC|REST API|TELNET|Telnet)\b"
    r"|\bweb ?(?:interface|UI|server|proxy|status page|administration)\b"
    r"|\bWeb-based\b|\bWeb Access\b",
    re.IGNORECASE)
_NOT_TCP = re.compile(r"\b(?:UDP|QUIC|HTTP/3|DTLS)\b", re.IGNORECASE)


def proto_from_application(text):
    """"tcp" when the row's text names an application protocol carried only over TCP
    (HTTP, HTTPS, TLS/SSL, SOAP, XML-RPC, a REST API, Telnet, a web interface) and no
    UDP-borne one; else None."""
    if _TCP_ONLY.search(text) and not _NOT_TCP.search(text):
        return "tcp"
    return None


DECISION_COLUMNS = ("source", "port", "name", "proto", "how", "evidence_url")


class Decisions:
    """sources/proto-decisions.tsv: a protocol, from another source, for a row whose
    own source names none. Every entry must be used."""

    def __init__(self, text, path):
        self.table = {}
        self.used = set()
        for rec in parse_tsv(text, path, DECISION_COLUMNS):
            if rec["proto"] not in ("tcp", "udp", "both"):
                raise DataError(f"{path}:{rec['_line']}: protocol \"{rec['proto'][:20]}\" is not tcp, udp or both")
            if not rec["evidence_url"].startswith("https://"):
                raise DataError(f"{path}:{rec['_line']}: evidence_url is not an https URL")
            key = (rec["source"], int(rec["port"]), normalise(rec["name"]))
            self.table[key] = rec
        self.path = path

    def get(self, source, port, name):
        key = (source, port, normalise(name))
        rec = self.table.get(key)
        if rec:
            self.used.add(key)
        return rec

    def unused(self):
        return [self.table[k] for k in self.table if k not in self.used]


# --- names --------------------------------------------------------------------------------

FIX_COLUMNS = ("source", "raw_name", "fixed_name", "reason")


class NameFixes:
    """sources/name-fixes.tsv: (source, raw name) -> fixed name; an empty fixed name
    means the raw text names no program and gives no row. Every entry must be used."""

    def __init__(self, text, path):
        self.table = {}
        self.used = set()
        for rec in parse_tsv(text, path, FIX_COLUMNS):
            key = (rec["source"], rec["raw_name"])
            if key in self.table:
                raise DataError(f"{path}:{rec['_line']}: {rec['source']} \"{rec['raw_name'][:40]}\" fixed twice")
            if not rec["reason"].strip():
                raise DataError(f"{path}:{rec['_line']}: no reason given")
            self.table[key] = rec["fixed_name"]
        self.path = path

    def apply(self, source, raw):
        """The fixed name, the raw one when there is no fix, or None: no row."""
        key = (source, raw)
        if key not in self.table:
            return raw
        self.used.add(key)
        return self.table[key] or None

    def mapping(self, source):
        """All fixes of one source, as a dict (for sources that name by text)."""
        out = {}
        for (src, raw), fixed in self.table.items():
            if src == source:
                out[raw] = fixed
                self.used.add((src, raw))
        return out

    def unused(self):
        return [k for k in self.table if k not in self.used]


# --- kind and era -------------------------------------------------------------------------

_MALWARE_WORDS = re.compile(
    r"(?i)\b(RAT|trojan|backdoor|malware|worm|NetBus|Sub7|SubSeven|Back Orifice|Metasploit)\b")


def wikipedia_kind(name):
    """Wikipedia rows are software, unless the name itself says malware or names an attack
    framework (Metasploit: the threat kind holds attack tools too)."""
    return "malware" if _MALWARE_WORDS.search(name) else "software"


def set_era(row):
    """Malware rows of the imported lists are historical (see data/README.md)."""
    if row.kind == "malware" and not row.era:
        row.era = "historical"


# --- duplicates ------------------------------------------------------------------------------

def _covers(a, b):
    return a == b or a == "both" or b == "both"


def dedup(rows, rank):
    """Drop a row that repeats another of the same family: same port, a protocol that
    overlaps, and the same normalised name. `rank(row)` orders the copies of a family
    (lower = kept; the newer copy first). Returns (kept, dropped[(row, kept_by)])."""
    kept = []
    dropped = []
    seen = {}
    order = sorted(range(len(rows)), key=lambda i: (rank(rows[i]), i))
    keep_idx = set()
    for i in order:
        r = rows[i]
        key = (r.family, r.port, normalise(r.name))
        hit = next((k for k in seen.get(key, []) if _covers(k.proto, r.proto)), None)
        if hit is not None:
            dropped.append((r, hit))
            continue
        seen.setdefault(key, []).append(r)
        keep_idx.add(i)
    kept = [rows[i] for i in range(len(rows)) if i in keep_idx]
    return kept, dropped
