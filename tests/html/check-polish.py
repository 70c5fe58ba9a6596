#!/usr/bin/env python3
"""check-polish: the Polish pages as a Polish reader gets them.

    check-polish.py HTML_DUMP OUTDIR REGISTRY.csv UNOFFICIAL.tsv NAMES_DIR PL.po DATA_DIR

Renders every kind of page with html-dump (home, index, port pages over every tier and data
field, searches with and without hits, every error page) and checks the Polish ones:

- typography: no breakable space (an ASCII space or a newline) after a one-letter Polish word
  (a, i, o, u, w, z and capitals) in the visible text, the <title>, the visible attributes
  (title, aria-label, placeholder) and the sentences a script shows (data-*); English data (inside lang="en"), <code> and <pre> are not
  Polish and are skipped;
- language marks: no element marked lang="en" holds Polish text from the catalogue, and every
  piece of English data from the registry and the unofficial lists (descriptions, notes,
  unauthorized-use reports, names, corrections, source labels, everyday names' meanings) that a
  Polish page shows sits inside an element marked lang="en";
- grammar: the words around a port's list of services take the case their number asks for;
- error pages: each one's heading and text are the catalogue's Polish, not the English.

Prints one line per failed check and exits 1 if there was any, else 0.  Python standard library
only.
"""
import csv
import html.parser
import os
import re
import subprocess
import sys

VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
        'track', 'wbr'}
# Elements that break the flow of text: a one-letter word at the end of one is not followed by a
# space a browser could break at.
BLOCK = {'html', 'head', 'body', 'header', 'footer', 'main', 'nav', 'section', 'article', 'div',
         'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'form',
         'label', 'button', 'table', 'tr', 'td', 'th', 'title', 'noscript', 'sup'}
SKIP = {'script', 'style', 'pre', 'code', 'template'}
VISIBLE_ATTRS = ('title', 'aria-label', 'placeholder', 'alt')
NBSP = '\u00a0'
ONE_LETTER = 'aiouwzAIOUWZ'
# A one-letter word (after the start, a space, an opening bracket or quotation mark, or a
# boundary) followed by a space a line may break at, then more text.
BREAKABLE = re.compile(r'(?:^|(?<=[\s(„"\x01\x02]))([' + ONE_LETTER + r'])[ \t\r\n]+(?=[^\s\x02])')

failures = []


def fail(page, msg):
    failures.append(f'{page}: {msg}')


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def text(self):
        return ''.join(c if isinstance(c, str) else c.text() for c in self.children)

    def lang(self):
        n = self
        while n is not None:
            if 'lang' in n.attrs:
                return n.attrs['lang']
            n = n.parent
        return None

    def inside(self, tags):
        n = self
        while n is not None:
            if n.tag in tags:
                return True
            n = n.parent
        return False


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node('#document', [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        if tag not in VOID and self.cur.tag == tag:
            self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    t = Tree()
    with open(path, encoding='utf-8') as f:
        t.feed(f.read())
    t.close()
    return t.root


def parse_po(path):
    """[(msgid, msgid_plural or None, [msgstr...])] of a .po file, header left out."""
    entries, cur, key = [], None, None

    def unquote(s):
        return bytes(s.strip()[1:-1], 'utf-8').decode('unicode_escape').encode('latin-1') \
            .decode('utf-8')

    def flush():
        if cur and cur.get('msgid'):
            strs = [cur[k] for k in sorted(k for k in cur if k.startswith('msgstr'))]
            entries.append((cur['msgid'], cur.get('msgid_plural'), strs))

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                if not line:
                    flush()
                    cur = None
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?)\s+(".*")$', line)
            if m:
                if cur is None:
                    cur = {}
                key = m.group(1)
                cur[key] = unquote(m.group(2))
            elif line.startswith('"') and cur is not None:
                cur[key] += unquote(line)
    flush()
    return entries


def flow(node, out):
    """The text of @node in reading order, as a browser lays it out: skipped parts (English
    data, code) become \\x01, the edges of blocks \\x02."""
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif c.tag in SKIP or c.attrs.get('lang', 'pl') != 'pl':
            out.append('\x01')
        elif c.tag in BLOCK:
            out.append('\x02')
            flow(c, out)
            out.append('\x02')
        else:
            flow(c, out)
    return out


def check_breaks(page, root, data):
    body = next((n for n in root.iter() if n.tag == 'body'), None)
    title = next((n for n in root.iter() if n.tag == 'title'), None)
    parts = [('the text', ''.join(flow(body, [])) if body else '')]
    if title is not None:
        # A title cannot mark its English data (a description, the query): they are left out.
        t = title.text()
        query = next((n.attrs.get('value') for n in root.iter()
                      if n.tag == 'input' and n.attrs.get('name') == 'q'), None)
        for d in sorted((d for d in data if len(d) > 2 and d in t), key=len, reverse=True) + \
                [query or '\x00']:
            t = t.replace(d, '\x01')
        parts.append(('the title', t))
    for n in root.iter():
        if n.inside(SKIP) or n.lang() != 'pl':
            continue
        for a, v in n.attrs.items():
            # data-* hold the sentences a script shows (a static copy's search, the votes).
            if a in VISIBLE_ATTRS or a.startswith('data-'):
                parts.append((f'<{n.tag} {a}>', v or ''))
    for where, text in parts:
        for m in BREAKABLE.finditer(text):
            ctx = text[max(0, m.start() - 30):m.end() + 20].replace('\x01', '…').replace('\x02', '|')
            fail(page, f'breakable space after "{m.group(1)}" in {where}: {ctx!r}')


def words(text):
    return {w.lower() for w in re.findall(r'[^\W\d_]{3,}', text)}


def read_tsv(path):
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))


def data_strings(data_dir, extra_tsvs, registry_csvs):
    """The English data a page may show, as whole strings."""
    out = set()
    for path in registry_csvs:
        with open(path, encoding='utf-8', newline='') as f:
            for row in csv.DictReader(f):
                for col in ('Description', 'Assignment Notes', 'Unauthorized Use Reported'):
                    out.add((row.get(col) or '').strip())
    for path in extra_tsvs:
        if not os.path.exists(path):
            continue
        for row in read_tsv(path):
            for col in ('name', 'note', 'source_label', 'correction', 'meaning'):
                v = (row.get(col) or '').strip()
                out.add(v)
                if col == 'note' and '; IANA ' in v:
                    out.add(v[:v.index('; IANA ')].strip())
                if col == 'note' and v.startswith('IANA '):
                    out.discard(v)
            if not (row.get('source_label') or '').strip():
                out.add((row.get('source') or '').strip())
    return out


def service_names(registry_csvs):
    out = set()
    for path in registry_csvs:
        with open(path, encoding='utf-8', newline='') as f:
            for row in csv.DictReader(f):
                out.add((row.get('Service Name') or '').strip())
    return out


def check_lang(page, root, polish_words, data, services, catalogue_text):
    # Nothing Polish inside an element marked English.
    for n in root.iter():
        if n.attrs.get('lang') != 'en' or n.tag == 'html':
            continue
        said = [n.text()] + [d.attrs.get(a, '') for d in [n, *n.iter()] for a in VISIBLE_ATTRS]
        found = sorted(words(' '.join(said)) & polish_words)
        if found:
            fail(page, f'<{n.tag} lang="en"> holds Polish text {found}: {n.text()[:80]!r}')
    # Every piece of English data inside an element marked English.
    body = next((n for n in root.iter() if n.tag == 'body'), None)
    stack = [body] if body else []
    while stack:
        n = stack.pop()
        for c in n.children:
            if isinstance(c, Node):
                if c.tag not in SKIP:
                    stack.append(c)
                continue
            t = c.strip()
            if len(t) < 2 or t not in data or t in services or t in catalogue_text:
                continue
            if n.lang() != 'en':
                fail(page, f'English data outside lang="en" (in <{n.tag}>): {t[:80]!r}')


def check_services(page, root, en):
    """The case of the words around the list of a port's services follows their number: "usłudze
    ssh", "usługom http, www i www-http" (as many names as the English page lists)."""
    def lead_of(r):
        return next((n for n in r.iter() if n.tag == 'p' and n.attrs.get('class') == 'lead'), None)

    en_lead, pl_lead = lead_of(en), lead_of(root)
    if en_lead is None or pl_lead is None:
        return
    strong = [n for n in en_lead.iter() if n.tag == 'strong']
    if len(strong) < 2 or 'has assigned it to' not in en_lead.text():
        return
    n = len(re.split(r', | and ', strong[1].text()))
    pl_text = pl_lead.text().replace(NBSP, ' ')
    sum_text = next((m.text() for m in root.iter() if m.tag == 'p' and
                     m.attrs.get('class') == 'sum'), '').replace(NBSP, ' ')
    want, wrong = (('usłudze', 'usługi '), ('usługom', 'usług ')) if n == 1 else \
        (('usługom', 'usług '), ('usłudze', 'usługi '))
    if want[0] not in pl_text or wrong[0] in pl_text:
        fail(page, f'{n} service(s), but the lead says: {pl_text!r}')
    if want[1] not in sum_text or wrong[1] in sum_text:
        fail(page, f'{n} service(s), but the summary says: {sum_text!r}')


def check_errors(pages, trees, catalogue):
    for name in pages:
        m = re.match(r'^pl-error-(\d+)\.html$', name)
        if not m:
            continue
        root = trees[name]
        en = trees.get(f'en-error-{m.group(1)}.html')
        html_el = next(n for n in root.iter() if n.tag == 'html')
        if html_el.attrs.get('lang') != 'pl':
            fail(name, 'the page is not marked lang="pl"')
        for what, pick in (('heading', lambda r: next((n for n in r.iter() if n.tag == 'h1'), None)),
                           ('text', lambda r: next((n for n in r.iter() if n.tag == 'p' and
                                                    n.attrs.get('class') == 'lead'), None))):
            node = pick(root)
            text = node.text().strip() if node is not None else ''
            if text not in catalogue:
                fail(name, f'the {what} is not the catalogue\'s Polish: {text!r}')
            en_node = pick(en) if en else None
            if en_node is not None and en_node.text().strip() == text:
                fail(name, f'the {what} is the same as on the English page: {text!r}')


def main():
    dump, outdir, csv_path, tsv_path, names_dir, po_path, data_dir = sys.argv[1:8]
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        if name.endswith('.html'):
            os.unlink(os.path.join(outdir, name))
    r = subprocess.run([dump, outdir, csv_path, tsv_path, names_dir])
    if r.returncode != 0:
        print(f'html-dump failed with status {r.returncode}')
        return 1
    pages = sorted(os.listdir(outdir))
    trees = {name: parse(os.path.join(outdir, name)) for name in pages}
    pl_pages = [n for n in pages if n.startswith('pl-')]
    kinds = {re.sub(r'-[0-9].*|\.html$', '', n[3:]) for n in pl_pages}
    for want in ('home', 'index', 'port', 'search', 'error', 'crafted', 'names'):
        if want not in kinds:
            fail('html-dump', f'no Polish page of kind "{want}" (have {sorted(kinds)})')

    entries = parse_po(po_path)
    msgids, msgstrs = set(), set()
    for msgid, plural, strs in entries:
        msgids |= words(msgid) | words(plural or '')
        for s in strs:
            msgstrs |= words(re.sub(r'<[^>]*>', ' ', s))
    en_words = set()
    for name in pages:
        if name.startswith('en-'):
            en_words |= words(trees[name].text())
    polish_words = msgstrs - msgids - en_words
    if len(polish_words) < 200:
        fail(po_path, f'only {len(polish_words)} Polish words in the catalogue')
    catalogue = {s.strip() for _, _, strs in entries for s in strs}
    catalogue_text = catalogue | {m for m, _, _ in entries}

    registry_csvs = [os.path.join(data_dir, 'iana', 'service-names-port-numbers.csv'), csv_path,
                     os.path.join(names_dir, 'registry.csv')]
    tsvs = [os.path.join(data_dir, 'unofficial', 'unofficial-uses.tsv'),
            os.path.join(data_dir, 'unofficial', 'corrections.tsv'),
            os.path.join(data_dir, 'aliases', 'aliases.tsv'), tsv_path] + \
        [os.path.join(names_dir, f) for f in ('unofficial.tsv', 'aliases.tsv', 'corrections.tsv')]
    data = {d for d in data_strings(data_dir, tsvs, registry_csvs) if re.search(r'[A-Za-z]{2}', d)}
    services = service_names(registry_csvs)

    for name in pl_pages:
        check_breaks(name, trees[name], data)
        check_lang(name, trees[name], polish_words, data, services, catalogue_text)
        if re.match(r'^pl-(port|names|crafted)-', name) and 'en-' + name[3:] in trees:
            check_services(name, trees[name], trees['en-' + name[3:]])
    check_errors(pl_pages, trees, catalogue)

    for f in failures:
        print(f)
    if failures:
        print(f'{len(failures)} failures')
    else:
        print(f'{len(pl_pages)} Polish pages read')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
