#!/usr/bin/env python3
"""Data lint: the unofficial uses, their corrections and the aliases keep their promises.

  (a) the committed unofficial-uses.tsv is exactly what the importer builds from the
      vendored sources (tools/import-unofficial/import --check);
  (b) no duplicate (port, protocol, normalised name) within a source family, and no
      name that carries a second statement of its source ("GeneratorTCP 57341 ...");
  (c) every row has a source, a label and a followable source_url (http or https;
      a GitHub URL pinned to a commit, not a branch);
  (d) every protocol is one the source gives: no row says its source named none;
  (e) malware rows have an era, other rows none; port_hi > port; ref_id and ref_url
      both or neither; a note that states a range has port_hi;
  (f) every alias names an IANA entry of that service, port and protocol (the XML);
      every correction matches a row;
  (g) the counts data/README.md states agree with the file.

Usage: lint-data.py [--root DIR] [--tsv F] [--corrections F] [--aliases F]
                    [--readme F] [--xml F] [--skip-import] [--only-import]
Exit 0 when clean, 1 with one line per problem otherwise.
"""

import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "import-unofficial"))

from unofficial.model import COLUMNS, DataError, parse_tsv  # noqa: E402
from unofficial.rules import normalise  # noqa: E402

CORRECTION_COLUMNS = ("port", "proto", "name", "correction", "source", "source_url", "source_label")
ALIAS_COLUMNS = ("alias", "service", "port", "proto", "meaning", "source", "source_url", "source_label")

_GITHUB = re.compile(r"^https://github\.com/[^/]+/[^/]+/(blob|tree|raw)/([^/]+)/")
_HEX = re.compile(r"^[0-9a-f]{7,40}$")
_STATEMENT_IN_NAME = re.compile(r"(TCP|UDP) [0-9]{1,5}\b")
_RANGE_IN_NOTE = re.compile(r"\b(?:range|ports)\s+([0-9]{1,5})\s*[-–]\s*([0-9]{1,5})\b")


def family(label):
    """Copies of one source form one family: the two Wikipedia copies are one."""
    return "wikipedia" if label.startswith("Wikipedia:") else label


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def followable(url):
    """Why a URL cannot be followed, or None."""
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", url):
        return "is not an http(s) URL"
    m = _GITHUB.match(url)
    if m and not _HEX.match(m.group(2)):
        return f"is a GitHub URL on \"{m.group(2)}\", not pinned to a commit"
    if re.match(r"^https://github\.com/[^/]+/[^/]+/wiki/", url):
        return None  # a wiki page: not a repository file, no branch to pin
    if url.startswith("https://github.com/") and not m:
        return "is a GitHub URL without a commit (blob/<commit>/path)"
    return None


def check_rows(rows, problems):
    seen = {}
    for r in rows:
        where = f"unofficial-uses.tsv:{r['_line']}"
        port = int(r["port"]) if r["port"].isdigit() else -1
        if not (0 <= port <= 65535):
            problems.append(f"{where}: port \"{r['port']}\" is not a port")
            continue
        if r["proto"] not in ("tcp", "udp", "both"):
            problems.append(f"{where}: protocol \"{r['proto']}\" is not tcp, udp or both")
        if r["kind"] not in ("malware", "software", "other"):
            problems.append(f"{where}: kind \"{r['kind']}\" is not malware, software or other")
        # (b)
        if _STATEMENT_IN_NAME.search(r["name"]):
            problems.append(f"{where}: name \"{r['name'][:60]}\" carries a second statement of its source (merged lines)")
        fam = family(r["source_label"])
        key = (fam, port, normalise(r["name"]))
        for other in seen.get(key, []):
            if other["proto"] == r["proto"] or "both" in (other["proto"], r["proto"]):
                problems.append(f"{where}: duplicate of line {other['_line']}: {port}/{r['proto']} "
                                f"\"{r['name'][:50]}\" in source family {fam}")
                break
        seen.setdefault(key, []).append(r)
        # (c)
        for col in ("source", "source_label", "source_url"):
            if not r[col].strip():
                problems.append(f"{where}: empty {col}")
        why = followable(r["source_url"]) if r["source_url"] else None
        if why:
            problems.append(f"{where}: source_url {why}")
        # (d)
        if re.search(r"(?i)proto(col)? not (given|stated|named)", r["note"]):
            problems.append(f"{where}: protocol \"{r['proto']}\" is not one the source gives")
        # (e)
        if r["kind"] == "malware" and r["era"] not in ("modern", "historical"):
            problems.append(f"{where}: malware row without an era (modern or historical)")
        if r["kind"] != "malware" and r["era"]:
            problems.append(f"{where}: era \"{r['era']}\" on a {r['kind']} row")
        if r["port_hi"]:
            if not r["port_hi"].isdigit() or not (port < int(r["port_hi"]) <= 65535):
                problems.append(f"{where}: port_hi \"{r['port_hi']}\" is not a port above {port}")
        m = _RANGE_IN_NOTE.search(r["note"].split("; IANA ")[0])
        if m and int(m.group(1)) == port and not r["port_hi"]:
            problems.append(f"{where}: the note states the range {m.group(1)}-{m.group(2)} but port_hi is empty "
                            "(range copied onto each port?)")
        if bool(r["ref_id"]) != bool(r["ref_url"]):
            problems.append(f"{where}: ref_id and ref_url must be both given or both empty")
        if r["ref_url"] and followable(r["ref_url"]):
            problems.append(f"{where}: ref_url {followable(r['ref_url'])}")
        if r["first_seen_year"] and not re.fullmatch(r"(19|20)[0-9]{2}", r["first_seen_year"]):
            problems.append(f"{where}: year \"{r['first_seen_year']}\" is not a year")


def check_corrections(path, rows, problems):
    if not os.path.exists(path):
        return
    claims = {(r["port"], r["proto"], r["name"]) for r in rows}
    for c in parse_tsv(_read(path), os.path.basename(path), CORRECTION_COLUMNS):
        where = f"corrections.tsv:{c['_line']}"
        if (c["port"], c["proto"], c["name"]) not in claims:
            problems.append(f"{where}: no row {c['port']}/{c['proto']} \"{c['name']}\" to correct")
        for col in ("correction", "source", "source_label"):
            if not c[col].strip():
                problems.append(f"{where}: empty {col}")
        why = followable(c["source_url"])
        if why:
            problems.append(f"{where}: source_url {why}")


def iana_entries(xml_path):
    """{(service, port, proto)} of the registry's XML."""
    ns = "{http://www.iana.org/assignments}"
    out = set()
    root = ET.parse(xml_path).getroot()
    for rec in root.iter(ns + "record"):
        name = (rec.findtext(ns + "name") or "").strip()
        num = (rec.findtext(ns + "number") or "").strip()
        proto = (rec.findtext(ns + "protocol") or "").strip()
        if not name or not num:
            continue
        lo, _, hi = num.partition("-")
        if not lo.isdigit():
            continue
        for p in range(int(lo), int(hi or lo) + 1):
            out.add((name.casefold(), p, proto))
    return out


def check_aliases(path, xml_path, problems):
    if not os.path.exists(path):
        if os.environ.get("CI", "").lower() == "true":
            problems.append(f"{path}: missing (required under CI=true)")
        return
    entries = iana_entries(xml_path)
    for a in parse_tsv(_read(path), os.path.basename(path), ALIAS_COLUMNS):
        where = f"aliases.tsv:{a['_line']}"
        if not re.fullmatch(r"[A-Za-z0-9.+_-]{1,32}", a["alias"]):
            problems.append(f"{where}: alias \"{a['alias'][:40]}\" has characters outside [A-Za-z0-9.+_-] or is too long")
        if not a["port"].isdigit():
            problems.append(f"{where}: port \"{a['port']}\" is not a port")
            continue
        protos = ("tcp", "udp") if a["proto"] == "both" else (a["proto"],)
        for p in protos:
            if (a["service"].casefold(), int(a["port"]), p) not in entries:
                problems.append(f"{where}: alias {a['alias']}: no IANA entry {a['service']} {a['port']}/{p}")
        if len(a["meaning"]) > 80 or not a["meaning"].strip():
            problems.append(f"{where}: meaning empty or longer than 80 characters")
        why = followable(a["source_url"])
        if why:
            problems.append(f"{where}: source_url {why}")


def _num(s):
    return int(s.replace(",", ""))


def check_readme(path, rows, problems):
    text = _read(path)
    m = re.search(r"\*\*Rows\*\*: ([0-9,]+) \(malware ([0-9,]+), software ([0-9,]+), other ([0-9,]+)\) "
                  r"on ([0-9,]+) distinct ports; ([0-9,]+) rows? carr(?:y|ies) a year", text)
    if not m:
        problems.append(f"{os.path.basename(path)}: no line \"**Rows**: N (malware N, software N, other N) "
                        "on N distinct ports; N rows carry a year\"")
        return
    kinds = {k: sum(1 for r in rows if r["kind"] == k) for k in ("malware", "software", "other")}
    actual = (len(rows), kinds["malware"], kinds["software"], kinds["other"],
              len({r["port"] for r in rows}), sum(1 for r in rows if r["first_seen_year"]))
    stated = tuple(_num(g) for g in m.groups())
    names = ("rows", "malware", "software", "other", "distinct ports", "rows with a year")
    for n, s, a in zip(names, stated, actual):
        if s != a:
            problems.append(f"{os.path.basename(path)}: states {s:,} {n}, the file has {a:,}")


def check_import(root, problems):
    tool = os.path.join(ROOT, "tools", "import-unofficial", "import")
    p = subprocess.run([sys.executable, tool, "--check", "--root", root],
                       capture_output=True, text=True)
    if p.returncode != 0:
        lines = (p.stderr or p.stdout).strip().split("\n")
        problems.append("import --check: " + " | ".join(lines[:4]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--tsv")
    ap.add_argument("--corrections")
    ap.add_argument("--aliases")
    ap.add_argument("--readme")
    ap.add_argument("--xml")
    ap.add_argument("--skip-import", action="store_true")
    ap.add_argument("--only-import", action="store_true")
    a = ap.parse_args(argv)
    d = lambda *p: os.path.join(a.root, "data", *p)  # noqa: E731
    tsv = a.tsv or d("unofficial", "unofficial-uses.tsv")
    problems = []
    if not a.skip_import:
        check_import(a.root, problems)
    if not a.only_import:
        try:
            rows = parse_tsv(_read(tsv), os.path.basename(tsv), COLUMNS)
            check_rows(rows, problems)
            check_corrections(a.corrections or d("unofficial", "corrections.tsv"), rows, problems)
            check_aliases(a.aliases or d("aliases", "aliases.tsv"), a.xml or d("iana", "service-names-port-numbers.xml"), problems)
            check_readme(a.readme or d("README.md"), rows, problems)
        except (DataError, OSError) as e:
            problems.append(str(e))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
