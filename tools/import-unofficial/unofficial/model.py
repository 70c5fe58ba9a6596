"""The row of data/unofficial/unofficial-uses.tsv and the file's reading, writing and order."""

import dataclasses
import re

COLUMNS = (
    "port",
    "proto",
    "kind",
    "name",
    "first_seen_year",
    "note",
    "source",
    "source_url",
    "source_label",
    "port_hi",
    "ref_id",
    "ref_url",
    "era",
)

PROTOS = ("both", "tcp", "udp")
KINDS = ("malware", "software", "other")
ERAS = ("modern", "historical")


class DataError(Exception):
    """Bad input: the message is one line naming the file and line."""


@dataclasses.dataclass
class Row:
    port: int
    proto: str
    kind: str
    name: str
    note: str
    source: str
    source_url: str
    source_label: str
    first_seen_year: str = ""
    port_hi: str = ""
    ref_id: str = ""
    ref_url: str = ""
    era: str = ""
    # Not written: which source family the row comes from, and whether its
    # note still lacks the IANA part.
    family: str = dataclasses.field(default="", compare=False)
    needs_tail: bool = dataclasses.field(default=True, compare=False)

    def fields(self):
        return [str(self.port) if c == "port" else getattr(self, c) for c in COLUMNS]


def sort_key(row):
    """Port, then protocol (both, tcp, udp), kind, name ignoring case."""
    return (
        row.port,
        PROTOS.index(row.proto),
        row.kind,
        row.name.casefold(),
        row.name,
        row.source_label,
        row.note,
    )


_FIELD_BAD = re.compile(r"[\t\r\n]")


def format_tsv(rows):
    out = ["\t".join(COLUMNS)]
    for row in rows:
        fields = row.fields()
        for col, val in zip(COLUMNS, fields):
            if _FIELD_BAD.search(val):
                raise DataError(f"{row.port}/{row.proto} {row.name}: tab or newline in {col}")
        out.append("\t".join(fields))
    return "\n".join(out) + "\n"


def parse_tsv(text, path, columns=COLUMNS):
    """Rows of a TSV with exactly `columns` as header, as dicts; line numbers kept."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise DataError(f"{path}: empty file, expected a header row")
    header = lines[0].split("\t")
    if tuple(header) != tuple(columns):
        raise DataError(f"{path}:1: header should be: {' '.join(columns)}")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise DataError(f"{path}:{n}: expected {len(columns)} tab-separated fields, got {len(fields)}")
        rec = dict(zip(columns, fields))
        rec["_line"] = n
        rows.append(rec)
    return rows


def row_from_record(rec, path, family):
    """A Row from a dict read by parse_tsv (a curated file), checked."""
    where = f"{path}:{rec['_line']}"
    if not re.fullmatch(r"[0-9]{1,5}", rec["port"]) or int(rec["port"]) > 65535:
        raise DataError(f"{where}: port \"{rec['port'][:20]}\" is not a port (0-65535)")
    if rec["proto"] not in PROTOS:
        raise DataError(f"{where}: protocol \"{rec['proto'][:20]}\" is not tcp, udp or both")
    if rec["kind"] not in KINDS:
        raise DataError(f"{where}: kind \"{rec['kind'][:20]}\" is not malware, software or other")
    if not rec["name"].strip():
        raise DataError(f"{where}: empty name")
    row = Row(
        port=int(rec["port"]),
        proto=rec["proto"],
        kind=rec["kind"],
        name=rec["name"],
        note=rec["note"],
        source=rec["source"],
        source_url=rec["source_url"],
        source_label=rec["source_label"],
        first_seen_year=rec["first_seen_year"],
        port_hi=rec["port_hi"],
        ref_id=rec["ref_id"],
        ref_url=rec["ref_url"],
        era=rec["era"],
        family=family,
    )
    return row
