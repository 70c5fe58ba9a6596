"""promtext: a strict reader of the Prometheus text exposition format (version 0.0.4).

Enough to check what portinfo writes: every sample belongs to a family declared by # TYPE
before it, names and label names are well-formed, label values use only the three escapes
(\\\\, \\" and \\n), no series repeats, values are numbers, and histograms are cumulative with
+Inf equal to _count.  Raises ValueError with the line number on anything else.
"""
import math
import re

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def _labels(text, pos, lineno):
    """Parses {a="x",b="y"} at text[pos] == '{'; returns (dict, position after '}')."""
    labels = {}
    pos += 1
    while True:
        if text[pos:pos + 1] == "}":
            return labels, pos + 1
        m = LABEL.match(text, pos)
        if not m:
            raise ValueError("line %d: bad label name at %r" % (lineno, text[pos:pos + 20]))
        name = m.group(0)
        pos = m.end()
        if text[pos:pos + 2] != '="':
            raise ValueError("line %d: label %s has no =\"" % (lineno, name))
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise ValueError("line %d: unterminated label value" % lineno)
            c = text[pos]
            if c == "\\":
                esc = text[pos + 1:pos + 2]
                if esc not in ("\\", '"', "n"):
                    raise ValueError("line %d: bad escape \\%s" % (lineno, esc))
                value.append("\n" if esc == "n" else esc)
                pos += 2
            elif c == '"':
                pos += 1
                break
            else:
                value.append(c)
                pos += 1
        if name in labels:
            raise ValueError("line %d: label %s twice" % (lineno, name))
        labels[name] = "".join(value)
        if text[pos:pos + 1] == ",":
            pos += 1
        elif text[pos:pos + 1] != "}":
            raise ValueError("line %d: expected , or } after a label" % lineno)


def _value(s, lineno):
    if s in ("+Inf", "-Inf", "NaN"):
        return float(s.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)", s):
        raise ValueError("line %d: %r is not a number" % (lineno, s))
    return float(s)


def parse(text):
    """Returns (types, samples): {family: type} and [(name, labels, value)] in order."""
    if not text.endswith("\n"):
        raise ValueError("the exposition does not end with a newline")
    types, helps, samples, seen = {}, {}, [], set()
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 2 and parts[1] in ("HELP", "TYPE"):
                if len(parts) < 3 or not NAME.fullmatch(parts[2]):
                    raise ValueError("line %d: bad %s line" % (lineno, parts[1]))
                if parts[1] == "TYPE":
                    if parts[2] in types or len(parts) != 4 or parts[3] not in TYPES:
                        raise ValueError("line %d: bad or repeated TYPE" % lineno)
                    types[parts[2]] = parts[3]
                else:
                    if parts[2] in helps:
                        raise ValueError("line %d: repeated HELP" % lineno)
                    helps[parts[2]] = parts[3] if len(parts) == 4 else ""
            continue
        if not line.strip():
            raise ValueError("line %d: empty line" % lineno)
        m = NAME.match(line)
        if not m:
            raise ValueError("line %d: bad metric name" % lineno)
        name, pos = m.group(0), m.end()
        labels = {}
        if line[pos:pos + 1] == "{":
            labels, pos = _labels(line, pos, lineno)
        rest = line[pos:].split()
        if line[pos:pos + 1] != " " or len(rest) not in (1, 2):
            raise ValueError("line %d: expected ' value [timestamp]'" % lineno)
        value = _value(rest[0], lineno)
        family = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[:-len(suffix)] in types:
                family = name[:-len(suffix)]
        if family not in types:
            raise ValueError("line %d: %s has no # TYPE before it" % (lineno, name))
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise ValueError("line %d: series %r repeated" % (lineno, key))
        seen.add(key)
        samples.append((name, labels, value))
    _check_histograms(types, samples)
    return types, samples


def _check_histograms(types, samples):
    for family, kind in types.items():
        if kind != "histogram":
            continue
        series = {}
        for name, labels, value in samples:
            if name not in (family + "_bucket", family + "_count", family + "_sum"):
                continue
            rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            s = series.setdefault(rest, {"buckets": [], "count": None})
            if name.endswith("_bucket"):
                if "le" not in labels:
                    raise ValueError("%s: a bucket without le" % family)
                s["buckets"].append((_value(labels["le"], 0), value))
            elif name.endswith("_count"):
                s["count"] = value
        for rest, s in series.items():
            les = [le for le, _ in s["buckets"]]
            counts = [n for _, n in s["buckets"]]
            if les != sorted(les) or not les or not math.isinf(les[-1]):
                raise ValueError("%s%r: buckets out of order or no +Inf" % (family, rest))
            if counts != sorted(counts):
                raise ValueError("%s%r: buckets not cumulative" % (family, rest))
            if s["count"] != counts[-1]:
                raise ValueError("%s%r: +Inf %s != count %s" % (family, rest, counts[-1],
                                                               s["count"]))


def value(samples, name, **labels):
    """The value of the one sample @name with exactly @labels, or None."""
    for n, ls, v in samples:
        if n == name and ls == labels:
            return v
    return None
