#!/usr/bin/env python3
"""check-po: the Polish catalogue's own rules, beyond what msgfmt --check sees.

    check-po.py PL.po

- the Plural-Forms header is Polish's three forms;
- every entry is translated and none is fuzzy; every plural entry has its three forms;
- no breakable space after a one-letter word (a, i, o, u, w, z and capitals) in a msgstr;
- the glossary at the top of the file is kept: no word it rules out ("pusty", "w odwodzie",
  "serwis", "przydatna"), "efemeryczny" used, "Search" in two contexts worded differently;
- quotation marks are Polish („…”), not straight, in the text of a msgstr.

Prints one line per failed check and exits 1 if there was any, else 0.
"""
import re
import sys

PLURAL_FORMS = ('nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || '
                'n%100>=20) ? 1 : 2);')
ONE_LETTER_BREAK = re.compile(r'(?:^|(?<=[\s(„"]))([aiouwzAIOUWZ])[ \t\n]')
# Words the glossary rules out, with the term to use instead.
BANNED = [(r'\bpust(y|ego|ym|e|ych)\b', 'an unassigned port is "wolny"'),
          (r'\bodwod', '"w rezerwie", not "w odwodzie"'),
          (r'\bserwis', 'the website is "witryna"'),
          (r'\bprzydatn', 'the vote widget says "pomocna"'),
          (r'\bużycia portu\b', 'an unofficial use is "zastosowanie"')]

failures = []


def fail(where, msg):
    failures.append(f'{where}: {msg}')


def unquote(s):
    return bytes(s.strip()[1:-1], 'utf-8').decode('unicode_escape').encode('latin-1') \
        .decode('utf-8')


def parse(path):
    entries, cur, key = [], None, None
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip():
                cur = None
                continue
            if cur is None:
                cur = {'line': n, 'flags': '', 'msgctxt': None, 'msgid_plural': None, 'strs': {}}
                entries.append(cur)
            if line.startswith('#,'):
                cur['flags'] += line[2:]
            elif line.startswith('#~'):
                cur['obsolete'] = True
            elif line.startswith('#'):
                continue
            elif line.startswith('"'):
                if isinstance(key, int):
                    cur['strs'][key] += unquote(line)
                else:
                    cur[key] += unquote(line)
            else:
                m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d)\])?)\s+(".*")$', line)
                if not m:
                    fail(f'line {n}', f'not understood: {line!r}')
                    continue
                if m.group(1).startswith('msgstr'):
                    key = int(m.group(2) or 0)
                    cur['strs'][key] = unquote(m.group(3))
                else:
                    key = m.group(1)
                    cur[key] = unquote(m.group(3))
    return [e for e in entries if 'msgid' in e or e.get('obsolete')]


def text_of(s):
    """A msgstr's text without its markup."""
    return re.sub(r'<[^>]*>', '\x01', s)


def main():
    path = sys.argv[1]
    entries = parse(path)
    header = next((e for e in entries if e.get('msgid') == ''), None)
    if header is None or f'Plural-Forms: {PLURAL_FORMS}\n' not in header['strs'].get(0, ''):
        fail(path, 'the Plural-Forms header is not Polish\'s three forms')
    search = {}
    all_text = []
    for e in entries:
        where = f'{path}:{e["line"]}'
        if e.get('obsolete'):
            fail(where, 'an obsolete entry is left in the file')
            continue
        if e['msgid'] == '':
            continue
        if 'fuzzy' in e['flags']:
            fail(where, f'fuzzy: {e["msgid"][:60]!r}')
        want = 3 if e['msgid_plural'] is not None else 1
        strs = [e['strs'].get(i) for i in range(max(want, len(e['strs'])))]
        if len(strs) != want or any(s is None for s in strs):
            fail(where, f'{len(e["strs"])} forms, not {want}: {e["msgid"][:60]!r}')
        for s in strs:
            if not s:
                fail(where, f'untranslated: {e["msgid"][:60]!r}')
                continue
            t = text_of(s)
            all_text.append(t)
            for m in ONE_LETTER_BREAK.finditer(t):
                fail(where, f'breakable space after "{m.group(1)}": '
                            f'{t[max(0, m.start() - 20):m.end() + 20]!r}')
            if '"' in t:
                fail(where, f'straight quotation marks in the text: {t[:60]!r}')
            for pattern, rule in BANNED:
                if re.search(pattern, t, re.IGNORECASE):
                    fail(where, f'{rule}: {t[:60]!r}')
        if e['msgid'] == 'Search':
            search[e['msgctxt']] = strs[0]
    if set(search) != {'page', 'button'}:
        fail(path, f'"Search" is in contexts {sorted(map(str, search))}, not "page" and "button"')
    elif search['page'] == search['button']:
        fail(path, '"Search" reads the same on the button and as the page\'s name')
    if not any(re.search(r'efemeryczn', t) for t in all_text):
        fail(path, 'the ephemeral ports are never called "efemeryczne"')
    for f in failures:
        print(f)
    if failures:
        print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
