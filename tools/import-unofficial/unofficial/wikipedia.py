"""Wikipedia's "List of TCP and UDP port numbers": two copies of one source family.

2021: a Markdown rendering (GregoryGraindorge/notes). The well-known ports are a
Markdown table ("| port | TCP | UDP | IANA status | description | SCTP |"); a row of
the original table that shares the port of the row above (a rowspan) has no port
cell. The registered ports are flattened: one cell per line, in the order port, TCP,
UDP, description, IANA status, and the converter dropped empty cells, so a row whose
port is shared starts without a port, and a lone "Yes" does not say which column it
was in. The dynamic ports are a table again, without a status column.

2013: a JSON scrape (mephux/ports.json), a list of entries per port, each with
booleans "tcp" and "udp" and a "status".

Only rows whose status is "Unofficial" are taken. A protocol is taken from the
source's TCP and UDP cells; where they do not say (no cell, or a lone cell), see
`resolve_proto` in rules.py.
"""

import dataclasses
import json
import re

from .model import DataError

URL = "https://en.wikipedia.org/wiki/List_of_TCP_and_UDP_port_numbers"
SOURCE_2021 = (
    f"{URL} (2021-03 copy: github.com/GregoryGraindorge/notes @524312b "
    "_oscp/List_of_TCP_and_UDP_port_numbers_Wikipedia.md)"
)
URL_2021 = (
    "https://github.com/GregoryGraindorge/notes/blob/524312b/"
    "_oscp/List_of_TCP_and_UDP_port_numbers_Wikipedia.md"
)
LABEL_2021 = "Wikipedia: List of TCP and UDP port numbers (2021)"
SOURCE_2013 = f"{URL} (2013 scrape: github.com/mephux/ports.json @54269bb ports.lists.json)"
URL_2013 = "https://github.com/mephux/ports.json/blob/54269bb/ports.lists.json"
LABEL_2013 = "Wikipedia: List of TCP and UDP port numbers (2013)"


@dataclasses.dataclass
class Entry:
    """One unofficial row of a copy: port (or range), what its protocol cells say, text."""

    port: int
    port_hi: int
    tcp: object  # True, False or None (the source does not say)
    udp: object
    text: str
    copy: str  # "2021" or "2013"
    line: int = 0
    lone_flag: bool = False  # one protocol cell, column unknown


_PORT = re.compile(r"^([0-9]{1,5})(?:\s*[–-]\s*([0-9]{1,5}))?$")
_STATUS = re.compile(r"^(Official|Unofficial)\b")
_FLAG = re.compile(r"^(?:(?:Yes|No|Assigned|Reserved|Deprecated|N/A|Port [0-9]+|TCP|UDP)\b|\?(?!\S))")


def clean_text(md):
    """Markdown cell to plain text: links to their text, citations and tags removed."""
    s = md
    url = r"\((?:[^()\s]|\([^()\s]*\))*\)"  # a link target, one level of parentheses
    s = re.sub(r"\[\*?\[[^\]]*\]" + url + r"\*?\]", "", s)  # [*[citation needed](...)*]
    s = re.sub(r"\[\[[^\]]*\]\]" + url, "", s)  # [[12]](...#cite_note-12)
    s = re.sub(r"!\[[^\]]*\]" + url, "", s)  # images
    s = re.sub(r"\[([^\]]*)\]" + url, r"\1", s)  # [text](url)
    s = re.sub(r"\[(?:citation needed|clarification needed|verification needed|"
               r"third-party source needed|[0-9]+|note [0-9]+)\]", "", s)
    s = s.replace("**", "").replace("*", "").replace("\u200b", "")
    s = re.sub(r"<[^>]+>", " ", s)
    return " ".join(s.split())


def _positive(cell):
    return cell.startswith("Yes") or cell.startswith("Assigned")


def _port_range(cell):
    m = _PORT.match(cell.strip())
    if not m:
        return None
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if lo > 65535 or hi > 65535 or hi < lo:
        return None
    return lo, hi


def _entry(port, flags, text, status, line):
    if not status.startswith("Unofficial"):
        return None
    text = clean_text(text)
    if not text:
        return None
    flags = [clean_text(f) for f in flags]
    if len(flags) >= 2:
        tcp, udp, lone = _positive(flags[0]), _positive(flags[1]), False
    elif len(flags) == 1:
        tcp = udp = None
        lone = _positive(flags[0])
    else:
        tcp = udp = None
        lone = False
    return Entry(port[0], port[1], tcp, udp, text, "2021", line, lone)


def _table_row(cells, port, line, has_status):
    """Entries of one Markdown table row; `port` is the port of the row above."""
    if cells and _port_range(clean_text(cells[0])):
        port = _port_range(clean_text(cells[0]))
        cells = cells[1:]
    if port is None:
        return None, []
    if has_status:
        idx = next((i for i, c in enumerate(cells) if _STATUS.match(clean_text(c))), None)
        if idx is None or idx + 1 >= len(cells):
            return port, []
        e = _entry(port, cells[:idx], cells[idx + 1], clean_text(cells[idx]), line)
    else:
        # dynamic ports: port, TCP, UDP, description; every row there is unofficial
        if len(cells) < 3:
            return port, []
        e = _entry(port, cells[:2], cells[2], "Unofficial", line)
    return port, [e] if e else []


def lone_column(before_blank, after_blank):
    """The column of a lone protocol cell in the flattened part, from its empty lines.

    The converter wrote an empty cell as an empty line (several in a row collapse into
    one, and a cell with inner markup is also set off by one). A lone cell with an empty
    line before it was in the UDP column (its TCP cell was empty); one with an empty
    line only after it was in the TCP column. Checked against the 2013 copy, which
    keeps both columns: 178 of the 180 rows both copies have agree.
    """
    if before_blank:
        return "udp"
    if after_blank:
        return "tcp"
    return None


def _flat_rows(tokens):
    """Entries of the flattened part: tokens are (line, text) of every line, empty ones too."""
    out = []
    port = None
    chunk = []
    for line, tok in tokens:
        st = _STATUS.match(clean_text(tok)) if tok else None
        if not st:
            chunk.append((line, tok))
            continue
        cells = chunk
        chunk = []
        filled = [c for c in cells if c[1]]
        if filled and _port_range(clean_text(filled[0][1])):
            port = _port_range(clean_text(filled[0][1]))
            cells = cells[cells.index(filled[0]) + 1 :]
        if port is None:
            continue
        flags = []
        flag_at = []
        for k, (_, c) in enumerate(cells):
            if not c:
                continue
            if not _FLAG.match(clean_text(c)):
                break
            flags.append(c)
            flag_at.append(k)
        rest = [c for k, (_, c) in enumerate(cells) if c and (not flag_at or k > flag_at[-1])]
        if not rest:
            continue
        e = _entry(port, flags, " ".join(rest), clean_text(tok), line)
        if e is None:
            continue
        if len(flags) == 1 and e.lone_flag:
            k = flag_at[0]
            col = lone_column(k > 0 and not cells[k - 1][1],
                              k + 1 < len(cells) and not cells[k + 1][1])
            if col:
                e.tcp, e.udp = col == "tcp", col == "udp"
        out.append(e)
    return out


def parse_2021(text, path="List_of_TCP_and_UDP_port_numbers_Wikipedia.md"):
    lines = text.split("\n")
    heads = [i for i, l in enumerate(lines) if l.startswith("## ")]

    def section(title):
        for k, i in enumerate(heads):
            if lines[i].startswith("## " + title):
                return i + 1, heads[k + 1] if k + 1 < len(heads) else len(lines)
        raise DataError(f"{path}: no section \"{title}\"")

    out = []
    for title, has_status in (("Well-known ports", True), ("Dynamic, private", False)):
        lo, hi = section(title)
        port = None
        header_seen = False
        for i in range(lo, hi):
            l = lines[i]
            if not l.startswith("|"):
                continue
            cells = [c.strip() for c in l.strip().strip("|").split("|")]
            if not header_seen:
                header_seen = cells[0] == "Port"
                continue
            if set(l) <= set("|- "):
                continue
            port, entries = _table_row(cells, port, i + 1, has_status)
            out.extend(entries)
    lo, hi = section("Registered ports")
    start = next((i for i in range(lo, hi) if lines[i].startswith("IANA status")), None)
    if start is None:
        raise DataError(f"{path}: registered ports: no header cells")
    tokens = [(i + 1, lines[i].strip()) for i in range(start + 1, hi)]
    out.extend(_flat_rows(tokens))
    return out


def unmangle(text):
    """Text whose UTF-8 was once read as Windows-1252 and written out again ("â€”" for an
    em dash, as the 2013 scrape has it), decoded back; other text unchanged."""
    if "â€" not in text and "Ã" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse_2013(text, path="ports.lists.json"):
    try:
        data = json.loads(text)
    except ValueError as e:
        raise DataError(f"{path}: not JSON: {e}") from None
    out = []
    for key, entries in data.items():
        for e in entries:
            if not str(e.get("status", "")).startswith("Unofficial"):
                continue
            port = _port_range(str(e.get("port", key)))
            if port is None:
                continue
            tcp, udp = bool(e.get("tcp")), bool(e.get("udp"))
            if not tcp and not udp:
                tcp = udp = None
            name = unmangle(clean_text(str(e.get("description", ""))))
            if name:
                out.append(Entry(port[0], port[1], tcp, udp, name, "2013"))
    out.sort(key=lambda e: (e.port, e.port_hi))
    return out
