"""Command line of tools/import-unofficial/import."""

import argparse
import os
import sys

from .build import build
from .model import COLUMNS, DataError, format_tsv

HELP = """\
Build data/unofficial/unofficial-uses.tsv from the vendored raw sources in
data/unofficial/sources/, the IANA CSV in data/iana/ and the curated rows in
data/unofficial/curated/*.tsv. See data/README.md for the rules.
"""


def _args(argv):
    p = argparse.ArgumentParser(prog="import", description=HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", default=None,
                   help="the source tree (default: two levels above this script)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 with a summary when the committed file "
                           "differs from what the importer would write")
    mode.add_argument("--stdout", action="store_true", help="write the table to standard output")
    p.add_argument("--report", action="store_true",
                   help="also print what the import decided (duplicates dropped, rows "
                        "without a protocol, how protocols were decided)")
    return p.parse_args(argv)


def _key(line):
    f = line.split("\t")
    return "\t".join(f[:4]) if len(f) >= 4 else line


def diff_summary(old, new, limit=10):
    """Lines naming rows gone, added and changed between two versions of the file."""
    o = [l for l in old.split("\n")[1:] if l]
    n = [l for l in new.split("\n")[1:] if l]
    oset, nset = set(o), set(n)
    gone = [l for l in o if l not in nset]
    added = [l for l in n if l not in oset]
    gk = {_key(l) for l in gone}
    ak = {_key(l) for l in added}
    changed = sorted(gk & ak)
    gone_only = [l for l in gone if _key(l) not in ak]
    added_only = [l for l in added if _key(l) not in gk]
    out = [f"{len(o)} rows committed, {len(n)} rows from the sources: "
           f"{len(gone_only)} gone, {len(added_only)} added, {len(changed)} changed"]
    if old.split("\n", 1)[0] != new.split("\n", 1)[0]:
        out.append("header differs: expected " + " ".join(COLUMNS))
    for tag, items in (("-", gone_only), ("+", added_only), ("~", changed)):
        for l in items[:limit]:
            out.append(f"  {tag} " + " ".join(l.split("\t")[:4]))
        if len(items) > limit:
            out.append(f"  {tag} ... {len(items) - limit} more")
    return out


def print_report(report, out):
    print(f"rows per source:", file=out)
    for label, n in sorted(report.per_source.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {label}", file=out)
    print("protocol of Wikipedia rows decided by:", file=out)
    for how, n in report.proto_how.items():
        print(f"  {n:5d}  {how}", file=out)
    print(f"Wikipedia rows without a protocol in any source (not imported): {len(report.no_proto)}", file=out)
    for e in report.no_proto:
        print(f"  {e.copy} {e.port}{'-%d' % e.port_hi if e.port_hi != e.port else ''} {e.text[:70]}", file=out)
    print(f"duplicates dropped: {len(report.duplicates)}", file=out)
    for r, k in report.duplicates:
        print(f"  {r.port}/{r.proto} {r.name[:50]} ({r.source_label}) = {k.port}/{k.proto} {k.name[:50]} ({k.source_label})", file=out)


def main(argv=None):
    args = _args(sys.argv[1:] if argv is None else argv)
    here = os.path.dirname(os.path.abspath(__file__))
    root = args.root or os.path.normpath(os.path.join(here, "..", "..", ".."))
    try:
        rows, report = build(root)
        text = format_tsv(rows)
    except DataError as e:
        print(f"import: {e}", file=sys.stderr)
        return 2
    out_path = os.path.join(root, "data", "unofficial", "unofficial-uses.tsv")
    if args.report:
        print_report(report, sys.stderr if args.stdout else sys.stdout)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        try:
            with open(out_path, encoding="utf-8", newline="") as f:
                old = f.read()
        except OSError as e:
            print(f"import: {out_path}: {e.strerror}", file=sys.stderr)
            return 1
        if old == text:
            print(f"import: {os.path.relpath(out_path, root)} is what the sources give ({len(rows)} rows)")
            return 0
        print(f"import: {os.path.relpath(out_path, root)} differs from what the sources give; "
              "run tools/import-unofficial/import", file=sys.stderr)
        for line in diff_summary(old, text):
            print(line, file=sys.stderr)
        return 1
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, out_path)
    print(f"import: wrote {os.path.relpath(out_path, root)} ({len(rows)} rows)")
    return 0
