"""The OpenVAS "Trojan horses" plugin (trojan_horses.nasl): its `trojanlist` string.

Each statement of the list is "TCP|UDP <port> <name>, <name>, ...". The list's real
line structure has two irregularities the parser honours:
  - a continuation line: a statement whose names go on on the next line, which then
    has no "TCP|UDP <port>" of its own ("TCP 7000 ..., W32.Mydoom," / "W32.Mytob");
  - a merged line: two statements on one line, the second glued to the last name of
    the first ("TCP 55166 WM Trojan GeneratorTCP 57341 NetRaider").
Lines starting with "#" are comments (statements the plugin's authors disabled).
"""

import dataclasses
import re

from .model import DataError, Row

SOURCE = (
    "github.com/mageni/mageni @3f7d1b4 "
    "src/backend/scanner/plugins/pre2008/trojan_horses.nasl (GPL-2.0)"
)
SOURCE_URL = (
    "https://github.com/mageni/mageni/blob/3f7d1b4/"
    "src/backend/scanner/plugins/pre2008/trojan_horses.nasl"
)
LABEL = "OpenVAS trojan-port list (compiled 2002-2008)"
NOTE = "Listed as a trojan/backdoor port in OpenVAS trojan list"

_STATEMENT = re.compile(r"(TCP|UDP) ([0-9]{1,5}) ")
_LIST_START = re.compile(r'^trojanlist\s*=\s*"\s*$')


@dataclasses.dataclass
class Statement:
    proto: str
    port: int
    text: str
    line: int


def list_lines(text, path="trojan_horses.nasl"):
    """(line number, line) of the `trojanlist` string's body."""
    lines = text.split("\n")
    start = next((i for i, l in enumerate(lines) if _LIST_START.match(l)), None)
    if start is None:
        raise DataError(f"{path}: no 'trojanlist = \"' line")
    out = []
    for i in range(start + 1, len(lines)):
        if lines[i].strip() == '";':
            return out
        out.append((i + 1, lines[i]))
    raise DataError(f"{path}: the trojanlist string is not closed")


def split_merged(text):
    """Cut a line at every "TCP|UDP <port> " that starts a statement: [(head, [stmts])].

    The first part is the text before the first statement (a continuation, or empty);
    each statement part is (proto, port, names text).
    """
    starts = [m for m in _STATEMENT.finditer(text + " ")]
    if not starts:
        return text, []
    head = text[: starts[0].start()]
    parts = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        parts.append((m.group(1).lower(), int(m.group(2)), text[m.end() : end]))
    return head, parts


def statements(lines, path="trojan_horses.nasl"):
    """The list's statements, continuations joined, merged lines split."""
    out = []
    for number, line in lines:
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        head, parts = split_merged(s)
        if head.strip():
            if not out:
                raise DataError(f"{path}:{number}: a continuation line before any statement")
            prev = out[-1]
            prev.text = prev.text.rstrip().rstrip(",") + ", " + head.strip()
        for proto, port, names in parts:
            if port > 65535:
                raise DataError(f"{path}:{number}: port {port} is not a port")
            out.append(Statement(proto, port, names, number))
    return out


def names_of(text):
    """The names of one statement, in order, each once (case ignored)."""
    seen = set()
    out = []
    for name in text.split(","):
        name = " ".join(name.split())
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        out.append(name)
    return out


def rows(text, path="trojan_horses.nasl"):
    out = []
    for st in statements(list_lines(text, path), path):
        for name in names_of(st.text):
            out.append(
                Row(
                    port=st.port,
                    proto=st.proto,
                    kind="malware",
                    name=name,
                    note=NOTE,
                    source=SOURCE,
                    source_url=SOURCE_URL,
                    source_label=LABEL,
                    era="historical",
                    family="openvas",
                )
            )
    return out
