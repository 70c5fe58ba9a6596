"""The MikroTik "virus" firewall chain, as kept in ExpertBilling's constants.py.

Each rule "add chain=virus protocol=P dst-port=A[-B] action=drop comment=\"...\"" is
one statement: a range "135-139" is stored once, at its first port, with `port_hi`.
The comment names the malware after a leading "Drop "; comments that name nothing
("________") or that name something other than malware are mapped in name-fixes.tsv.
"""

import re

from .model import DataError, Row

SOURCE = "github.com/brat002/ExpertBilling @1d20706 constants.py (MikroTik virus-chain rules)"
SOURCE_URL = "https://github.com/brat002/ExpertBilling/blob/1d20706/constants.py"
LABEL = 'MikroTik "virus" firewall chain (widely copied)'
NOTE = "Dropped as a malware port in a widely copied MikroTik firewall chain"

_RULE = re.compile(
    r'^add chain=virus protocol=(tcp|udp) dst-port=([0-9]{1,5})(?:-([0-9]{1,5}))? '
    r'action=drop comment="([^"]*)"\s*$')


def rules(text, path="constants.py"):
    """(line, proto, first port, last port, comment) of every rule of the chain."""
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.startswith("add chain=virus "):
            continue
        m = _RULE.match(line)
        if not m:
            raise DataError(f"{path}:{n}: a virus-chain rule this importer does not understand")
        lo = int(m.group(2))
        hi = int(m.group(3) or lo)
        if hi < lo or hi > 65535:
            raise DataError(f"{path}:{n}: bad port range {lo}-{hi}")
        out.append((n, m.group(1), lo, hi, m.group(4)))
    if not out:
        raise DataError(f"{path}: no 'add chain=virus' rule")
    return out


def raw_name(comment):
    c = comment.strip()
    return c[5:].strip() if c.startswith("Drop ") else c


def rows(text, fixes, path="constants.py"):
    out = []
    for _n, proto, lo, hi, comment in rules(text, path):
        name = fixes.apply("mikrotik", raw_name(comment))
        if name is None:
            continue
        out.append(Row(port=lo, proto=proto, kind="malware", name=name, note=NOTE,
                       source=SOURCE, source_url=SOURCE_URL, source_label=LABEL,
                       port_hi=str(hi) if hi != lo else "", era="historical",
                       family="mikrotik"))
    return out
