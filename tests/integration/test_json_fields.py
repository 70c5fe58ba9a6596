#!/usr/bin/env python3
"""test_json_fields: every JSON field the manual documents is there, with the right value.

The fields are read from man/portinfo.1: the example of its JSON OUTPUT section (explain, search,
range) and the blocks marked `.\\" json-fields: who` and `audit`.  Each documented field must
be in every object of its kind that portinfo prints for known ports, and have the value the data
gives:
  - IANA entries are compared with entries written out below from the vendored registry
    (data/iana/service-names-port-numbers.xml of 2026-08-17);
  - unofficial uses are compared with their rows in data/unofficial/unofficial-uses.tsv, column
    by column (a field named like a column, year = first_seen_year, protocol = proto);
  - tiers at their boundaries (1023/1024, 49151/49152), status, port;
  - who and audit against a listener this test starts, and the audit's own counts.
A documented field that is absent, or null where the data has a value, fails.
Usage: test_json_fields.py PORTINFO SOURCE_ROOT
"""
import csv
import json
import os
import re
import socket
import subprocess
import sys

PORTINFO, SRC = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


# ---- the manual's field lists ------------------------------------------------------------

def example_blocks(man):
    """{'explain': text, 'who': text, 'audit': text}: the JSON examples of the manual."""
    lines = man.splitlines()
    blocks, name, buf, want = {}, None, [], None
    section = None
    for line in lines:
        if line.startswith('.SH '):
            section = line[4:].strip().strip('"')
        m = re.match(r'\.\\" json-fields: (\w+)', line)
        if m:
            want = m.group(1)
        elif line.startswith('.EX') and (want or (section == 'JSON OUTPUT' and
                                                   'explain' not in blocks)):
            name, buf = want or 'explain', []
        elif line.startswith('.EE') and name:
            blocks[name] = '\n'.join(buf)
            name, want = None, None
        elif name:
            buf.append(line)
    return blocks


def field_paths(text):
    """The keys of a pseudo-JSON example, as paths: 'port', 'iana[].service',
    'findings.low'.  Values in it may be alternatives (a | b) or '...'."""
    text = text.replace('\\-', '-').replace('\\e', '\\')
    paths, stack, pending = set(), [], None
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            word = text[i + 1:j]
            k = j + 1
            while k < len(text) and text[k] in ' \t':
                k += 1
            if k < len(text) and text[k] == ':':
                path = '.'.join(p for p in stack if p) + ('.' if any(stack) else '') + word
                paths.add(path)
                pending = word
                i = k + 1
                continue
            pending = None
            i = j + 1
            continue
        if c in '{[':
            if pending is not None:
                stack.append(pending + ('[]' if c == '[' else ''))
            else:
                stack.append('' if c == '{' or not stack else '')
            pending = None
        elif c in '}]':
            if stack:
                stack.pop()
            pending = None
        elif c not in ' \t\n':
            pending = None if c == ',' else pending
        i += 1
    return paths


def values_at(obj, path):
    """Every value at @path in @obj ('iana[].service' walks every element of iana); None
    for a missing key is reported as the marker MISSING."""
    parts = path.split('.')
    found = [obj]
    for part in parts:
        arr = part.endswith('[]')
        key = part[:-2] if arr else part
        nxt = []
        for o in found:
            if o is MISSING or not isinstance(o, dict):
                continue
            v = o.get(key, MISSING)
            if arr and isinstance(v, list):
                nxt.extend(v)
            else:
                nxt.append(v)
        found = nxt
    return found


MISSING = object()


def leaf(path):
    return path.split('.')[-1].replace('[]', '')


def container_paths(paths):
    out = set()
    for p in paths:
        parts = p.split('.')
        for i in range(1, len(parts)):
            out.add('.'.join(parts[:i]))
    return out


def present_everywhere(kind, objs, paths):
    """Each documented field is in every object of its kind."""
    for path in sorted(paths):
        parts = path.split('.')
        parent = '.'.join(parts[:-1])
        key = parts[-1]
        for o in objs:
            holders = [o] if not parent else values_at(o, parent)
            for h in holders:
                if isinstance(h, list):
                    continue
                check(isinstance(h, dict) and key in h,
                      f'{kind}: documented field {path} missing in {str(h)[:200]}')


# ---- explain / search / range ------------------------------------------------------------

# IANA entries as the vendored registry has them, whole.
IANA = {
    (2, 'tcp'): {
        "service": None, "protocol": "tcp", "description": "Reserved", "assignee": None,
        "registered": None, "modified": "2025-02-13", "reference": None, "range": None,
        "unauthorized_use": None, "contact": None, "service_code": None,
        "status": "reserved"},
    (9, 'sctp'): {
        "service": "discard", "protocol": "sctp", "description": "Discard",
        "assignee": "Randall Stewart", "registered": None, "modified": "2022-02-07",
        "reference": "[RFC9260]", "range": None, "unauthorized_use": None,
        "contact": "Randall Stewart", "service_code": None, "note": None, "status": "assigned"},
    (9, 'dccp'): {
        "service": "discard", "protocol": "dccp", "description": "Discard",
        "assignee": "Eddie Kohler", "registered": None, "modified": None,
        "reference": "[RFC4340]", "range": None, "unauthorized_use": None,
        "contact": "Eddie Kohler", "service_code": "1145656131", "note": None,
        "status": "assigned"},
    (79, 'tcp'): {
        "service": "finger", "protocol": "tcp", "description": "Finger",
        "assignee": "David Zimmerman", "registered": None, "modified": None, "reference": None,
        "range": None,
        "unauthorized_use": "Unauthorized use by some mail users (see [RFC4146] for details)",
        "contact": "David Zimmerman", "service_code": None, "note": None, "status": "assigned"},
    (225, None): {
        "service": None, "protocol": None, "description": "Reserved", "assignee": None,
        "registered": None, "modified": "2024-12-20", "reference": "[RFC1060]",
        "range": [225, 241], "unauthorized_use": None, "contact": None, "service_code": None,
        "note": None, "status": "reserved"},
    (271, 'tcp'): {
        "service": "pt-tls", "protocol": "tcp",
        "description": "IETF Network Endpoint Assessment (NEA) Posture Transport Protocol over "
                       "TLS (PT-TLS)",
        "assignee": "IESG", "registered": "2012-07-31", "modified": None,
        "reference": "[RFC6876]", "range": None, "unauthorized_use": None,
        "contact": "IETF Chair", "service_code": None, "note": None, "status": "assigned"},
    (6001, 'tcp'): {
        "service": "x11", "protocol": "tcp", "description": "X Window System",
        "assignee": "Stephen Gildea", "registered": None, "modified": None, "reference": None,
        "range": [6000, 6063], "unauthorized_use": "Known Unauthorized Use on port 6003",
        "contact": "Stephen Gildea", "service_code": None, "note": None, "status": "assigned"},
}
# The port's own fields.  Tiers at both sides of both boundaries.
PORTS = {
    0: ("well-known", "reserved"), 2: ("well-known", "reserved"),
    9: ("well-known", "assigned"), 79: ("well-known", "assigned"),
    225: ("well-known", "reserved"), 271: ("well-known", "assigned"),
    1023: ("well-known", "reserved"), 1024: ("registered", "reserved"),
    6001: ("registered", "assigned"), 31337: ("registered", "assigned"),
    49151: ("registered", "reserved"), 49152: ("dynamic", "unassigned"),
    65535: ("dynamic", "unassigned"),
    # everyday names (3389), a corrected claim (445), an ATT&CK reference (50050)
    445: ("well-known", "assigned"), 3389: ("registered", "assigned"),
    50050: ("dynamic", "unassigned"),
}


def tsv_rows():
    path = os.path.join(SRC, 'data', 'unofficial', 'unofficial-uses.tsv')
    with open(path, newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))


COLUMN = {'year': 'first_seen_year', 'protocol': 'proto', 'attack_id': 'ref_id',
          'attack_url': 'ref_url'}


def tsv_value(row, field):
    col = COLUMN.get(field, field)
    if col not in row:
        return MISSING
    v = row[col]
    if v == '':
        return None
    if field in ('year', 'port_hi', 'port') and v.isdigit():
        return int(v)
    return v


def check_unofficial(port, uses, doc_fields, rows):
    mine = [r for r in rows if r['port'] == str(port)]
    check(len(uses) == len(mine), f'{port}: {len(uses)} unofficial uses, the data has '
                                  f'{len(mine)}')
    for u in uses:
        match = [r for r in mine if r['name'] == u.get('name') and
                 r['proto'] == u.get('protocol') and r['source'] == u.get('source')]
        check(match, f'{port}: unofficial use {u.get("name")!r} is in no data row')
        if not match:
            continue
        row = match[0]
        for field in doc_fields:
            want = tsv_value(row, field)
            if want is MISSING:
                continue  # not a column: checked for presence only
            check(u.get(field, MISSING) == want,
                  f'{port} {u.get("name")!r}: {field} is {u.get(field, "missing")!r}, the data '
                  f'has {want!r}')


def alias_rows():
    path = os.path.join(SRC, 'data', 'aliases', 'aliases.tsv')
    with open(path, newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))


def check_aliases(port, akas):
    """Every everyday name an answer gives is a row of aliases.tsv for that port, with the
    row's meaning and source; and every row for the port is given."""
    mine = [r for r in alias_rows() if r['port'] == str(port)]
    check(len({a.get('name') for a in akas}) == len({r['alias'] for r in mine}),
          f'{port}: everyday names {[a.get("name") for a in akas]}, the data has '
          f'{sorted({r["alias"] for r in mine})}')
    for a in akas:
        match = [r for r in mine if r['alias'] == a.get('name') and
                 r['service'] == a.get('service') and r['meaning'] == a.get('meaning') and
                 r['source_url'] == a.get('source_url') and
                 r['source_label'] == a.get('source_label')]
        check(match, f'{port}: everyday name {a.get("name")!r} is in no row of aliases.tsv')


def check_port_objects(kind, objs, paths, rows):
    present_everywhere(kind, objs, paths)
    iana_fields = {leaf(p) for p in paths if p.startswith('iana[].')}
    uo_fields = {leaf(p) for p in paths if p.startswith('unofficial[].')}
    for o in objs:
        port = o.get('port')
        tier = 'well-known' if port <= 1023 else 'registered' if port <= 49151 else 'dynamic'
        check(o.get('tier') == tier, f'{kind} {port}: tier {o.get("tier")}, want {tier}')
        if port in PORTS:
            tier, status = PORTS[port]
            check(o.get('tier') == tier, f'{kind} {port}: tier {o.get("tier")}, want {tier}')
            check(o.get('status') == status,
                  f'{kind} {port}: status {o.get("status")}, want {status}')
        for e in o.get('iana', []):
            want = IANA.get((port, e.get('protocol')))
            if not want:
                continue
            for field in iana_fields:
                if field in want:
                    check(e.get(field, MISSING) == want[field],
                          f'{kind} {port}/{e.get("protocol")}: iana {field} is '
                          f'{e.get(field, "missing")!r}, want {want[field]!r}')
        if port in (31337, 6001, 79, 445, 50050):
            check_unofficial(port, o.get('unofficial', []), uo_fields, rows)
        check_aliases(port, o.get('also_known_as', []))


def explain_checks(paths):
    rows = tsv_rows()
    ports = [str(p) for p in sorted(PORTS)]
    rc, out, err = run('--json', *ports)
    check(rc == 0, f'explain --json: status {rc}: {err}')
    objs = json.loads(out) if rc == 0 else []
    check(sorted(o.get('port') for o in objs) == sorted(PORTS), 'explain: ports')
    check_port_objects('explain', objs, paths, rows)
    for (port, proto), _ in IANA.items():
        o = [x for x in objs if x.get('port') == port]
        got = [e for e in (o[0].get('iana', []) if o else []) if e.get('protocol') == proto]
        check(len(got) == 1, f'explain {port}: no IANA entry for {proto}')
    # No documented leaf is null everywhere: a field that is never filled is a bug too.
    for path in sorted(paths - container_paths(paths)):
        vals = [v for o in objs for v in values_at(o, path)]
        check(any(v is not None and v is not MISSING for v in vals),
              f'explain: {path} is null or missing in every answer')

    rc, out, err = run('range', '--json', '1020-1030')
    objs = json.loads(out) if rc == 0 else []
    check(rc == 0 and [o['port'] for o in objs] == list(range(1020, 1031)),
          f'range --json: {rc} {err}')
    check_port_objects('range', objs, paths, rows)
    rc, out, err = run('range', '--json', '49100-49200')
    objs = json.loads(out) if rc == 0 else []
    check(rc == 0 and 49151 in [o.get('port') for o in objs], f'range 49100-49200: {rc} {err}')
    check_port_objects('range', objs, paths, rows)
    rc, out, err = run('search', '--json', 'x11')
    objs = json.loads(out) if rc == 0 else []
    check(rc == 0 and any(o.get('port') == 6001 for o in objs), f'search --json x11: {rc}')
    check_port_objects('search', objs, paths, rows)
    rc, out, err = run('search', '--json', 'finger')
    objs = json.loads(out) if rc == 0 else []
    check(rc == 0 and any(o.get('port') == 79 for o in objs), f'search --json finger: {rc}')
    check_port_objects('search', objs, paths, rows)


# ---- who and audit -------------------------------------------------------------------------

def who_checks(who_paths, audit_paths):
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    srv.listen()
    port = srv.getsockname()[1]
    try:
        rc, out, err = run('who', '--json', '-l', str(port))
        socks = json.loads(out) if rc == 0 else []
        check(rc == 0 and len(socks) == 1, f'who --json -l {port}: {rc} {err} {out[:300]}')
        present_everywhere('who', socks, who_paths)
        if socks:
            s = socks[0]
            me = {'uid': os.geteuid(), 'pid': os.getpid()}
            want = {'protocol': 'tcp', 'family': 'ipv4', 'state': 'LISTEN',
                    'local_address': '127.0.0.1', 'local_port': port,
                    'remote_address': '0.0.0.0', 'remote_port': 0, 'uid': me['uid'],
                    'listening': True, 'exposure': 'loopback', 'ipv6_only': None,
                    'port': port, 'matched': 'local', 'container': None}
            for field, value in want.items():
                if field in who_paths:
                    check(s.get(field, MISSING) == value,
                          f'who {port}: {field} is {s.get(field, "missing")!r}, want {value!r}')
            check(isinstance(s.get('inode'), int) and s['inode'] > 0, f'who: inode {s}')
            check(isinstance(s.get('netns'), str) and s['netns'].startswith('net:['),
                  f'who: netns {s.get("netns")}')
            procs = [p for p in s.get('processes', []) if p.get('pid') == me['pid']]
            check(len(procs) == 1, f'who {port}: this process is not a holder: {s}')
            for p in procs:
                exe = os.path.realpath(f'/proc/{me["pid"]}/exe')
                want = {'pid': me['pid'], 'uid': os.getuid(), 'exe': exe,
                        'name': open(f'/proc/{me["pid"]}/comm').read().strip(),
                        'exe_deleted': False, 'user': s.get('user')}
                for field, value in want.items():
                    check(p.get(field, MISSING) == value,
                          f'who {port}: processes[].{field} is {p.get(field, "missing")!r}, '
                          f'want {value!r}')
                check(isinstance(p.get('cmdline'), str) and 'python' in p['cmdline'],
                      f'who: cmdline {p.get("cmdline")!r}')
            rc2, out2, _ = run('--json', str(port) + '/tcp')
            kb = json.loads(out2)[0] if rc2 == 0 else {}
            entry = (kb.get('iana') or [{}])[0]
            check(s.get('service') == entry.get('service') and
                  s.get('iana_status') == kb.get('status') and
                  s.get('service_description') == (entry.get('description')
                                                    if entry.get('service') else None),
                  f'who {port}: the knowledge base fields {s} against {kb}')
            check([u.get('name') for u in s.get('unofficial', [])] ==
                  [u.get('name') for u in kb.get('unofficial', [])],
                  f'who {port}: unofficial names')

        rc, out, err = run('audit', '--json', '--min-severity', 'low', '--allowlist',
                           '/dev/null', '--partial-ok')
        report = json.loads(out) if rc in (0, 1) else {}
        check(rc in (0, 1), f'audit --json: {rc} {err}')
        present_everywhere('audit', [report], audit_paths)
        mine = [ls for ls in report.get('listeners', []) if ls.get('local_port') == port]
        check(len(mine) == 1, f'audit: our listener {port} is not listed')
        present_everywhere('audit listener', mine, who_paths)
        listeners = report.get('listeners', [])
        for sev in ('low', 'medium', 'high'):
            n = sum(1 for ls in listeners for f in ls.get('findings', [])
                    if f.get('severity') == sev)
            check(report.get('findings', {}).get(sev) == n,
                  f'audit: findings.{sev} {report.get("findings")}, the listeners have {n}')
        unowned = sum(1 for ls in listeners if not ls.get('processes') and ls.get('inode'))
        check(report.get('unowned_listeners') == unowned,
              f'audit: unowned_listeners {report.get("unowned_listeners")}, counted {unowned}')
        check(report.get('min_severity') == 'low', 'audit: min_severity')
        check(report.get('silenced') == 0, 'audit: silenced with an empty allowlist')
        hidden = report.get('unreadable_processes', 0) + report.get('unentered_namespaces', 0)
        check(report.get('complete') == (hidden == 0 and (report.get('root') or unowned == 0)),
              f'audit: complete {report.get("complete")} with {hidden} hidden')
        check(report.get('root') == (os.geteuid() == 0) or os.geteuid() != 0,
              f'audit: root {report.get("root")}')
        for ls in listeners:
            for f in ls.get('findings', []):
                check(isinstance(f.get('rule'), str) and f.get('severity') in
                      ('low', 'medium', 'high') and isinstance(f.get('message'), str) and
                      f['message'], f'audit: finding {f}')
    finally:
        srv.close()


def main():
    with open(os.path.join(SRC, 'man', 'portinfo.1')) as f:
        blocks = example_blocks(f.read())
    for name in ('explain', 'who', 'audit'):
        check(name in blocks, f'man/portinfo.1: no JSON example for {name}')
    explain = field_paths(blocks.get('explain', ''))
    who = field_paths(blocks.get('who', ''))
    audit = field_paths(blocks.get('audit', ''))
    # The manual's lists themselves: the fields scripts rely on must be among them.
    for p in ('port', 'tier', 'status', 'iana[].service', 'iana[].range',
              'unofficial[].source_url', 'unofficial[].source_label', 'unofficial[].year'):
        check(p in explain, f'man/portinfo.1 does not document {p} (read: {sorted(explain)})')
    for p in ('uid', 'user', 'processes[].uid', 'processes[].user', 'processes[].pid'):
        check(p in who, f'man/portinfo.1 does not document who field {p}')
    for p in ('complete', 'unreadable_processes', 'listeners[].findings[].rule'):
        check(p in audit, f'man/portinfo.1 does not document audit field {p}')
    audit_top = {p for p in audit if not p.startswith('listeners[].') or
                 p.startswith('listeners[].findings')}
    explain_checks(explain)
    who_checks(who, audit_top)
    for f in failures:
        print('FAIL:', f)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
