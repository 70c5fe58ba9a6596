#!/usr/bin/env python3
"""Self-test of lint-data.py: it accepts the good fixture and rejects each bad one with
the message of the rule that catches it; and its import check rejects a committed table
that differs from what the sources give (a dropped continuation row, a merged row, a
range copied onto each port, a `both` the source did not give, a cross-copy duplicate).

Usage: selftest.py LINT FIXTURES
"""

import os
import shutil
import subprocess
import sys
import tempfile

# fixture -> (option it replaces, text the lint must print)
CASES = {
    "merged-line.tsv": ("--tsv", "carries a second statement of its source"),
    "cross-copy-duplicate.tsv": ("--tsv", "duplicate of line"),
    "spelling-duplicate.tsv": ("--tsv", "duplicate of line"),
    "range-copied.tsv": ("--tsv", "range copied onto each port"),
    "proto-not-given.tsv": ("--tsv", "is not one the source gives"),
    "no-era.tsv": ("--tsv", "malware row without an era"),
    "era-on-software.tsv": ("--tsv", "on a software row"),
    "port-hi-not-above.tsv": ("--tsv", "is not a port above"),
    "ref-half.tsv": ("--tsv", "ref_id and ref_url must be both"),
    "no-source-url.tsv": ("--tsv", "is not an http(s) URL"),
    "github-branch.tsv": ("--tsv", "not pinned to a commit"),
    "no-label.tsv": ("--tsv", "empty source_label"),
    "blaster-correction-unmatched.corrections.tsv": ("--corrections", "no row 445/tcp"),
    "alias-no-entry.aliases.tsv": ("--aliases", "no IANA entry ms-wbt-server 3390/tcp"),
    "alias-proto-mismatch.aliases.tsv": ("--aliases", "no IANA entry rdp 3389/udp"),
    "counts-wrong.README.md": ("--readme", "states 7 rows, the file has 6"),
}

# Mutations of the committed table: (what, line to drop (a substring), line to add)
IMPORT_CASES = [
    ("continuation row dropped", "7000\ttcp\tmalware\tW32.Mytob\t", None),
    ("merged row", "55166\ttcp\tmalware\tWM Trojan Generator\t",
     "55166\ttcp\tmalware\tWM Trojan GeneratorTCP 57341 NetRaider"),
    ("range copied onto a port", None, "137\tudp\tmalware\tMessenger worm"),
    ("both not given", None, "9001\tboth\tsoftware\tTor network default"),
    ("cross-copy duplicate", None, "5001\ttcp\tsoftware\tIperf (Tool for measuring TCP and UDP bandwidth performance)"),
]


def run(lint, args):
    p = subprocess.run([sys.executable, lint] + args, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def base_args(fx):
    g = os.path.join(fx, "good")
    return {
        "--tsv": os.path.join(g, "unofficial-uses.tsv"),
        "--corrections": os.path.join(g, "corrections.tsv"),
        "--aliases": os.path.join(g, "aliases.tsv"),
        "--readme": os.path.join(g, "README.md"),
        "--xml": os.path.join(g, "iana.xml"),
    }


def flat(opts):
    out = ["--skip-import"]
    for k, v in opts.items():
        out += [k, v]
    return out


def mutate(src_root, tmp, drop, add):
    for sub in ("iana", "unofficial"):
        shutil.copytree(os.path.join(src_root, "data", sub), os.path.join(tmp, "data", sub))
    path = os.path.join(tmp, "data", "unofficial", "unofficial-uses.tsv")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if drop:
        hit = [l for l in lines if l.startswith(drop)]
        if not hit:
            return f"no line starts with {drop!r}"
        lines.remove(hit[0])
    if add:
        proto = next(l for l in lines[1:] if l)
        fields = add.split("\t")
        rest = proto.split("\t")[len(fields):]
        lines.insert(len(lines) - 1, "\t".join(fields + rest))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return None


def main():
    lint, fx = sys.argv[1], sys.argv[2]
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(lint)), "..", ".."))
    fails = 0
    rc, out = run(lint, flat(base_args(fx)))
    if rc != 0:
        print(f"FAIL good fixture rejected:\n{out}")
        fails += 1
    for name, (opt, expect) in CASES.items():
        opts = base_args(fx)
        opts[opt] = os.path.join(fx, name)
        rc, out = run(lint, flat(opts))
        if rc != 1 or expect not in out:
            print(f"FAIL {name}: exit {rc}, expected {expect!r} in:\n{out}")
            fails += 1
        else:
            print(f"ok   {name}")
    env_ci = os.environ.get("CI")
    os.environ["CI"] = "true"
    opts = base_args(fx)
    opts["--aliases"] = os.path.join(fx, "absent.tsv")
    rc, out = run(lint, flat(opts))
    if rc != 1 or "required under CI=true" not in out:
        print(f"FAIL missing aliases under CI=true: exit {rc}\n{out}")
        fails += 1
    else:
        print("ok   missing aliases under CI=true")
    if env_ci is None:
        del os.environ["CI"]
    else:
        os.environ["CI"] = env_ci
    for what, drop, add in IMPORT_CASES:
        with tempfile.TemporaryDirectory() as tmp:
            err = mutate(root, tmp, drop, add)
            if err:
                print(f"FAIL import case {what}: {err}")
                fails += 1
                continue
            rc, out = run(lint, ["--only-import", "--root", tmp])
            if rc != 1 or "import --check" not in out:
                print(f"FAIL import case {what}: exit {rc}\n{out}")
                fails += 1
            else:
                print(f"ok   import case: {what}")
    print(f"{fails} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
