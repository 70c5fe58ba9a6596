#!/usr/bin/env python3
"""check-pages: renders the website's pages with html-dump and checks them with a real HTML parser.

    check-pages.py HTML_DUMP OUTDIR REGISTRY.csv UNOFFICIAL.tsv NAMES_DIR

Builds a small tree from Python's html.parser (standard library) and checks each page for its
parts, its language, escaping and the truthfulness rules.  Prints one line per failed check and
exits 1 if there was any, else 0.
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import urllib.parse

VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
        'track', 'wbr'}
# Elements whose end tag HTML lets us omit; the renderer never omits one, so none are listed.
OUTBOUND_HOSTS_FIXED = ('https://www.rfc-editor.org/rfc/rfc', 'https://datatracker.ietf.org/doc/')

failures = []


def fail(page, msg):
    failures.append(f'{page}: {msg}')


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return ''.join(out)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if all(n.attrs.get(k.rstrip('_')) == v for k, v in attrs.items()):
                yield n

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)

    def classes(self):
        return (self.attrs.get('class') or '').split()

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


class TreeBuilder(html.parser.HTMLParser):
    """A strict tree: every non-void element must be closed by its own end tag."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.root = Node('#document', [], None)
        self.cur = self.root
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            fail(self.page, f'<{tag}> repeats an attribute: {names}')
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        if tag in VOID:
            fail(self.page, f'end tag for void element </{tag}>')
            return
        if self.cur.tag != tag:
            fail(self.page, f'</{tag}> closes <{self.cur.tag}>')
            return
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)

    def close(self):
        super().close()
        if self.cur is not self.root:
            fail(self.page, f'<{self.cur.tag}> is never closed')


def parse(path):
    page = os.path.basename(path)
    with open(path, encoding='utf-8') as f:
        src = f.read()
    tb = TreeBuilder(page)
    tb.feed(src)
    tb.close()
    return page, src, tb


def same_origin(url):
    return url.startswith('/') and not url.startswith('//') or url.startswith('#')


def check_common(page, src, tb, lang, data_urls):
    """What every page must have, whatever it shows."""
    root = tb.root
    if (tb.doctype or '').lower() != 'doctype html':
        fail(page, 'no <!DOCTYPE html>')
    html_el = root.find('html')
    if html_el is None or html_el.attrs.get('lang') != lang:
        fail(page, f'<html lang> is not {lang}')
    titles = list(root.find_all('title'))
    if len(titles) != 1 or not titles[0].text().strip():
        fail(page, 'not exactly one non-empty <title>')
    if root.find('meta', charset='utf-8') is None:
        fail(page, 'no <meta charset="utf-8">')
    if root.find('meta', name='viewport') is None:
        fail(page, 'no viewport meta')
    for landmark in ('header', 'main', 'footer'):
        if len(list(root.find_all(landmark))) < 1:
            fail(page, f'no <{landmark}> landmark')
    if len(list(root.find_all('main'))) != 1:
        fail(page, 'not exactly one <main>')
    if len(list(root.find_all('h1'))) != 1:
        fail(page, 'not exactly one <h1>')
    for nav in root.find_all('nav'):
        if not nav.attrs.get('aria-label'):
            fail(page, '<nav> without aria-label')
    css = [n for n in root.find_all('link') if n.attrs.get('rel') == 'stylesheet']
    if [n.attrs.get('href') for n in css] != ['/static/style.css']:
        fail(page, 'the stylesheet is not exactly /static/style.css')
    # Strict CSP: no inline style or script, no handlers, nothing from another host.
    if root.find('style') is not None:
        fail(page, 'inline <style>')
    ids = {}
    for n in root.iter():
        for a, v in n.attrs.items():
            if a == 'style':
                fail(page, f'style attribute on <{n.tag}>')
            if a.startswith('on'):
                fail(page, f'event handler attribute {a} on <{n.tag}>')
            if a in ('href', 'src', 'action') and v is not None and \
                    v.strip().lower().startswith(('javascript:', 'data:', 'vbscript:')):
                fail(page, f'{a}="{v}" on <{n.tag}>')
        if 'id' in n.attrs:
            if n.attrs['id'] in ids:
                fail(page, f'duplicate id {n.attrs["id"]}')
            ids[n.attrs['id']] = n
        if n.tag == 'script' and n.attrs.get('type') == 'application/ld+json':
            # Structured data, never run: one JSON object, with nothing that could end it.
            try:
                json.loads(n.text())
            except ValueError:
                fail(page, 'JSON-LD that does not parse')
            if any(c in n.text() for c in '<>&\u2028\u2029'):
                fail(page, 'JSON-LD with a raw < > & or line separator')
        elif n.tag == 'script':
            if n.text().strip() or n.attrs.get('src') != '/static/feedback.js' or \
                    'defer' not in n.attrs:
                fail(page, 'a <script> that is not <script src="/static/feedback.js" defer>')
        if n.tag in ('img', 'iframe', 'object', 'embed', 'video', 'audio', 'source'):
            fail(page, f'unexpected <{n.tag}>')
        for a in ('src', 'href', 'action'):
            url = n.attrs.get(a)
            if url is None:
                continue
            if same_origin(url):
                continue
            if n.tag == 'a' and a == 'href' and re.match(r'^https?://', url):
                allowed = url.startswith(OUTBOUND_HOSTS_FIXED) or url in data_urls
                if not allowed:
                    fail(page, f'outbound link to {url} is neither an RFC, a draft nor a data source')
                if 'noopener' not in (n.attrs.get('rel') or ''):
                    fail(page, f'outbound link {url} without rel=noopener')
                continue
            if n.tag == 'form' and a == 'action' and page.endswith('-voted.html'):
                continue  # the configured vote_action
            fail(page, f'{a}="{url}" on <{n.tag}> leaves the site')
    for n in root.iter():
        for a in ('aria-labelledby', 'aria-describedby'):
            if a in n.attrs and n.attrs[a] not in ids:
                fail(page, f'{a}="{n.attrs[a]}" names no element')
        if n.tag == 'label' and n.attrs.get('for') not in ids:
            fail(page, f'<label for="{n.attrs.get("for")}"> names no element')
        if n.tag == 'a' and (n.attrs.get('href') or '').startswith('#') and \
                n.attrs['href'][1:] not in ids:
            fail(page, f'link to missing fragment {n.attrs["href"]}')
        if n.tag in ('input', 'select', 'textarea') and n.attrs.get('type') != 'hidden':
            if not n.attrs.get('id') or root.find('label', for_=n.attrs['id']) is None:
                fail(page, f'<{n.tag} name={n.attrs.get("name")}> has no <label>')
    # The language switch points at the other language, marked up with hreflang and lang.
    other = 'pl' if lang == 'en' else 'en'
    switch = [a for a in root.find_all('a') if a.attrs.get('hreflang') == other]
    if len(switch) != 1 or switch[0].attrs.get('lang') != other:
        fail(page, f'no language switch to {other} with hreflang and lang')
    elif lang == 'en' and not switch[0].attrs['href'].startswith('/pl/'):
        fail(page, 'the switch to Polish does not go under /pl/')
    elif lang == 'pl' and switch[0].attrs['href'].startswith('/pl'):
        fail(page, 'the switch to English stays under /pl')
    # Links inside the site stay in the page's language.
    for a in root.find_all('a'):
        href = a.attrs.get('href') or ''
        if href.startswith('/') and a.attrs.get('hreflang') is None and \
                not href.startswith('/static/'):
            if (lang == 'pl') != (href == '/pl' or href.startswith('/pl/')):
                fail(page, f'link {href} leaves the page language {lang}')
    return root


def alternates(root):
    return {n.attrs.get('hreflang'): n.attrs.get('href') for n in root.find_all('link')
            if n.attrs.get('rel') == 'alternate'}


def visible_text(root):
    body = root.find('body')
    return re.sub(r'\s+', ' ', body.text() if body else '')


def section_ids(root):
    return [s.attrs.get('id') for s in root.find_all('section')]


PL_PROBES = ['Czy ta strona była pomocna?', 'Do którego zakresu należy port',
             'Jak sprawdzić, co korzysta z portu',
             'Oficjalne przeznaczenie (IANA)', 'Znane nieoficjalne zastosowania']
EN_PROBES = ['Was this page helpful?', 'Where port', 'How to check what is using port',
             'Official use (IANA)', 'Known unofficial uses', 'Skip to content', 'In short:',
             'Examples:', 'Registered ports', 'Well-known ports', 'Search']

TIER_OF = lambda p: 0 if p < 1024 else 1 if p < 49152 else 2  # noqa: E731


def check_port(page, src, tb, lang, port, data_urls, status_words):
    root = check_common(page, src, tb, lang, data_urls)
    pfx = '' if lang == 'en' else '/pl'
    title = root.find('title').text()
    m = re.match(rf'^Port[ \xa0]{port}: (.+) — (.+) • Connected$', title)
    if not m:
        fail(page, f'title "{title}" is not "Port {port}: <status> — <tagline> • Connected"')
    elif m.group(1) not in status_words[lang]:
        fail(page, f'title status "{m.group(1)}" is not one of {status_words[lang]}')
    # Breadcrumb: Ports › Port N as a schema.org BreadcrumbList in microdata.
    crumbs = root.find('nav', class_='crumbs')
    ol = crumbs.find('ol') if crumbs else None
    if not ol or ol.attrs.get('itemtype') != 'https://schema.org/BreadcrumbList' or \
            'itemscope' not in ol.attrs:
        fail(page, 'no BreadcrumbList')
    else:
        items = [li for li in ol.children if isinstance(li, Node) and li.tag == 'li']
        hrefs = [li.find('a').attrs.get('href') for li in items]
        positions = [li.find('meta', itemprop='position').attrs.get('content') for li in items]
        if hrefs != [f'{pfx}/ports', f'{pfx}/ports/{port}'] or positions != ['1', '2']:
            fail(page, f'breadcrumb is {hrefs} {positions}')
        if any(li.attrs.get('itemprop') != 'itemListElement' for li in items):
            fail(page, 'breadcrumb items are not itemListElement')
        if items and items[-1].find('a').attrs.get('aria-current') != 'page':
            fail(page, 'the last breadcrumb is not aria-current=page')
        if items and items[-1].text().strip().replace('\xa0', ' ') != f'Port {port}':
            fail(page, f'the last breadcrumb reads "{items[-1].text().strip()}"')
    if root.find('h1').text().strip().replace('\xa0', ' ') != f'Port {port}':
        fail(page, 'h1 is not "Port N"')
    if root.find('p', class_='lead') is None or str(port) not in root.find('p', class_='lead').text():
        fail(page, 'no lead naming the port')
    ids = section_ids(root)
    for want in ('tier', 'official', 'unofficial', 'check', 'feedback'):
        if want not in ids:
            fail(page, f'no section #{want}')
    # The tier section: three tiers, this port's highlighted, the classic examples, a summary.
    tiers = root.find('section', id='tier')
    if tiers:
        lis = [li for li in tiers.find('ol', class_='tiers').children if isinstance(li, Node)]
        here = [i for i, li in enumerate(lis) if 'here' in li.classes()]
        if len(lis) != 3 or here != [TIER_OF(port)]:
            fail(page, f'tiers {len(lis)}, highlighted {here}, expected {TIER_OF(port)}')
        links = {a.attrs.get('href') for a in tiers.find_all('a')}
        for p in (22, 80, 443):
            if f'{pfx}/ports/{p}' not in links:
                fail(page, f'no example link to port {p}')
        if tiers.find('p', class_='sum') is None:
            fail(page, 'no closing summary line in the tier section')
    # How to check, with the number filled in.
    check = root.find('section', id='check')
    code = '\n'.join(c.text() for c in check.find_all('code')) if check else ''
    for cmd in (f"ss -tulpn 'sport = :{port}'", f'lsof -nP -i :{port}',
                f'netstat -ano | findstr :{port}', 'tasklist /FI "PID eq <PID>"'):
        if cmd not in code:
            fail(page, f'how-to-check lacks {cmd}')
    # The feedback form works without JavaScript.
    form = root.find('form', class_='fb')
    if form is None:
        fail(page, 'no feedback form')
    else:
        if form.attrs.get('method') != 'post' or \
                not form.attrs.get('action', '').endswith(f'/ports/{port}/feedback'):
            fail(page, f'feedback form posts to {form.attrs.get("action")}')
        buttons = list(form.find_all('button'))
        got = [(b.attrs.get('type'), b.attrs.get('name'), b.attrs.get('value')) for b in buttons]
        if got != [('submit', 'vote', v) for v in ('sad', 'meh', 'happy')]:
            fail(page, f'feedback buttons are {got}')
        emoji = [b.find('span', class_='emo').text() for b in buttons]
        if emoji != ['\U0001F614', '\U0001F928', '\U0001F603']:
            fail(page, f'feedback emoji are {emoji}')
        for b in buttons:
            label = b.find('span', class_='label')
            if label is None or not label.text().strip():
                fail(page, 'a vote button without a text label')
        hidden = {i.attrs.get('name'): i.attrs.get('value') for i in form.find_all('input')
                  if i.attrs.get('type') == 'hidden'}
        if lang != 'en' and hidden.get('lang') != lang:
            fail(page, 'the Polish form does not say which language to return to')
    fb = root.find('section', id='feedback')
    if fb is None or fb.find('h2') is None or not fb.find('h2').text().strip():
        fail(page, 'feedback section has no heading')
    # Previous / next, the registry date, alternates.
    prev = root.find('a', rel='prev')
    nxt = root.find('a', rel='next')
    if port > 0 and (prev is None or prev.attrs['href'] != f'{pfx}/ports/{port - 1}'):
        fail(page, 'no previous-port link')
    if port < 65535 and (nxt is None or nxt.attrs['href'] != f'{pfx}/ports/{port + 1}'):
        fail(page, 'no next-port link')
    if (port == 0 and prev is not None) or (port == 65535 and nxt is not None):
        fail(page, 'a link past the ends of the port range')
    if not any(re.match(r'^\d{4}-\d{2}-\d{2}$', t.attrs.get('datetime', ''))
               for t in root.find_all('time')):
        fail(page, 'no registry date')
    alt = alternates(root)
    if alt != {'en': f'/ports/{port}', 'pl': f'/pl/ports/{port}', 'x-default': f'/ports/{port}'}:
        fail(page, f'alternates are {alt}')
    return root


def check_language(page, root, lang):
    text = visible_text(root)
    if lang == 'pl':
        for probe in EN_PROBES:
            if probe in text:
                fail(page, f'Polish page still says "{probe}"')
        for probe in PL_PROBES:
            if probe not in text:
                fail(page, f'Polish page lacks "{probe}"')
    else:
        for probe in PL_PROBES:
            if probe in text:
                fail(page, f'English page says "{probe}"')


def data_urls_of(tsv_paths):
    """Every link a data file gives: its source_url and ref_url columns, found by the header."""
    urls = set()
    for path in tsv_paths:
        with open(path, encoding='utf-8') as f:
            lines = f.read().splitlines()
        cols_of = {name: i for i, name in enumerate(lines[0].split('\t'))}
        for line in lines[1:]:
            cols = line.split('\t')
            for name in ('source_url', 'ref_url'):
                i = cols_of.get(name)
                if i is not None and i < len(cols) and cols[i].startswith(('http://', 'https://')):
                    urls.add(cols[i])
    # Pages link a URL with the characters a URL cannot hold percent-encoded.
    return urls | {urllib.parse.quote(u, safe="-._~:/?#[]@!$&'()*+,;=%") for u in urls}


def check_names(trees, lang):
    """The names fixture's pages: everyday names, both eras of threats, ATT&CK links, a range,
    a correction with its source, and English data marked as such on a Polish page."""
    data_lang = None if lang == 'en' else 'en'
    pfx = '' if lang == 'en' else '/pl'
    root = trees[f'{lang}-names-445.html'][0]
    page = f'{lang}-names-445'
    aka = root.find('p', class_='aka')
    name = aka.find('span', class_='aka-name') if aka is not None else None
    if name is None or name.text() != 'SMB' or name.attrs.get('lang') != data_lang:
        fail(page, 'no "also known as" SMB, marked as English data on a Polish page')
    elif not any(s.text() == 'Server Message Block' and s.attrs.get('lang') == data_lang
                 for s in aka.find_all('span')):
        fail(page, 'the everyday name\'s meaning is missing or not marked')
    section = root.find('section', id='unofficial')
    heads = [h.text() for h in section.find_all('h4')]
    want = (['Reported since 2010, newest first',
             'From older lists and reports (mostly before 2010)'] if lang == 'en' else
            ['Zgłoszone od 2010\xa0roku, najnowsze na początku',
             'Ze starszych list i\xa0raportów (głównie sprzed 2010\xa0roku)'])
    if heads != want:
        fail(page, f'threat groups are {heads}')
    lists = list(section.find_all('ul', class_='claims malware'))
    names = [[s.text() for s in ul.find_all('span', class_='name')] for ul in lists]
    if names != [['Olympic Destroyer', 'NotPetya', 'WannaCry'],
                 ['Blaster worm', 'Conficker', 'Sasser']]:
        fail(page, f'threats listed as {names}')
    for sid in ('S0365', 'S0366', 'S0368'):
        if section.find('a', href=f'https://attack.mitre.org/software/{sid}/') is None:
            fail(page, f'no link to ATT&CK {sid}')
    corr = section.find('p', class_='correction')
    fn = corr.find('a', class_='fn') if corr is not None else None
    if fn is None or 'Blaster used 135/tcp' not in corr.text():
        fail(page, 'no correction with its source under the Blaster claim')
    else:
        li = root.find('li', id=fn.attrs['href'][1:])
        if li is None or li.find('a', href='https://example.org/correction') is None:
            fail(page, 'the correction\'s footnote does not lead to its source')
        text = next(s for s in corr.find_all('span'))
        if text.attrs.get('lang') != data_lang:
            fail(page, 'the correction text is not marked as English data')
    srcs = [li.find('a').attrs.get('href') for li in root.find('ol', class_='sources')
            .find_all('li')]
    if srcs[0] != 'https://example.org/smb':
        fail(page, f'the everyday name\'s source is not numbered first: {srcs}')
    t = visible_text(trees[f'{lang}-names-135.html'][0])
    if ('ports 135–139' if lang == 'en' else 'porty 135–139') not in t:
        fail(f'{lang}-names-135', 'the range of the firewall rule is not shown')
    root = trees[f'{lang}-names-3389.html'][0]
    aka = root.find('p', class_='aka')
    if aka is None or 'RDP' not in aka.text() or 'Remote Desktop Protocol' not in aka.text():
        fail(f'{lang}-names-3389', 'no "also known as" RDP')
    src = root.find('ol', class_='sources')
    if src is None or src.find('a', href='https://example.org/rdp') is None:
        fail(f'{lang}-names-3389', 'the everyday name\'s source is not listed')
    root = trees[f'{lang}-names-search.html'][0]
    links = [a.attrs.get('href') for a in root.find_all('a')
             if (a.attrs.get('href') or '').startswith(f'{pfx}/ports/')]
    if not links or links[0] != f'{pfx}/ports/3389':
        fail(f'{lang}-names-search', f'"rdp" does not list 3389 first: {links[:3]}')
    codes = [c for c in root.find_all('code') if c.text() == 'RDP']
    if len(codes) != 1 or codes[0].attrs.get('lang') != data_lang:
        fail(f'{lang}-names-search', 'the everyday name is not shown once, marked as data')


def main():
    dump, outdir, csv_path, tsv_path, names_dir = sys.argv[1:6]
    root_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        if name.endswith('.html'):
            os.unlink(os.path.join(outdir, name))
    r = subprocess.run([dump, outdir, csv_path, tsv_path, names_dir])
    if r.returncode != 0:
        print(f'html-dump failed with status {r.returncode}')
        return 1
    data_urls = data_urls_of([os.path.join(root_dir, 'data', 'unofficial', 'unofficial-uses.tsv'),
                              os.path.join(root_dir, 'data', 'unofficial', 'corrections.tsv'),
                              os.path.join(root_dir, 'data', 'aliases', 'aliases.tsv'),
                              tsv_path] +
                             [os.path.join(names_dir, f) for f in
                              ('unofficial.tsv', 'aliases.tsv', 'corrections.tsv')])
    # IANA references that are URLs are outbound links too.
    with open(os.path.join(root_dir, 'data', 'iana', 'service-names-port-numbers.csv'),
              encoding='utf-8') as f:
        for u in re.findall(r'\[(https?://[^\]\s"<>]+)\]', f.read()):
            data_urls.add(u)
    status_words = {
        'en': ['assigned', 'reserved', 'unassigned', 'dynamic and unassigned'],
        'pl': ['przydzielony', 'zarezerwowany', 'nieprzydzielony',
               'dynamiczny i\xa0nieprzydzielony'],
    }
    pages = sorted(os.listdir(outdir))
    if len(pages) < 50:
        fail('html-dump', f'only {len(pages)} pages written')
    trees = {}
    # A static copy's pages (search in the browser, votes sent elsewhere) are html-polish's.
    pages = [n for n in pages if '-static-' not in n]
    for name in pages:
        lang = name[:2]
        page, src, tb = parse(os.path.join(outdir, name))
        m = re.match(r'^(en|pl)-port-(\d+)(-voted)?\.html$', name)
        if m:
            root = check_port(page, src, tb, lang, int(m.group(2)), data_urls, status_words)
        else:
            root = check_common(page, src, tb, lang, data_urls)
        trees[name] = (root, src)
        if re.match(r'^(en|pl)-(port-|crafted-\d|names-\d)', name):
            check_language(page, root, lang)

    def text(name):
        return visible_text(trees[name][0])

    # Truthfulness, in both languages.
    for lang in ('en', 'pl'):
        check_names(trees, lang)
        t1776 = trees[f'{lang}-port-1776.html'][1].lower()
        for word in ('malware', 'trojan', 'złośliw', 'backdoor', 'worm'):
            if word in t1776:
                fail(f'{lang}-port-1776', f'mentions "{word}" though no source ties 1776 to malware')
        if 'femis' not in text(f'{lang}-port-1776.html'):
            fail(f'{lang}-port-1776', 'does not name femis')
        if 'why' in section_ids(trees[f'{lang}-port-1776.html'][0]):
            fail(f'{lang}-port-1776', 'explains unassigned ports on an assigned port')
        t = text(f'{lang}-port-31337.html')
        for want in ('eldim', 'Back Orifice', 'OpenVAS trojan-port list'):
            if want not in t:
                fail(f'{lang}-port-31337', f'lacks "{want}"')
        root = trees[f'{lang}-port-31337.html'][0]
        if root.find('ul', class_='claims malware long') is None:
            fail(f'{lang}-port-31337', 'no malware list')
        # Reports since 2010 name 31337 too (Sliver, NimPlant): the note says a listener
        # deserves a look rather than that old intrusion-detection rules may flag it.
        warn = root.find('p', class_='warn')
        phrase = 'deserves a look' if lang == 'en' else 'warto to sprawdzić'
        if warn is None or phrase not in warn.text():
            fail(f'{lang}-port-31337', 'no note that a listener deserves a look')
        sources = root.find('ol', class_='sources')
        if sources is None or len([c for c in sources.children if isinstance(c, Node)]) != 6:
            fail(f'{lang}-port-31337', 'not six numbered sources')
        else:
            for li in sources.find_all('li'):
                a = li.find('a')
                if a is None or not a.attrs.get('href', '').startswith('http'):
                    fail(f'{lang}-port-31337', 'a source without its link')
        for fn in root.find_all('a', class_='fn'):
            if not re.match(r'^#src-\d+$', fn.attrs.get('href', '')):
                fail(f'{lang}-port-31337', 'a footnote that does not point at a source')
        for name, words in ((f'{lang}-port-17300.html', ['Kuang2']),
                            (f'{lang}-port-65535.html', ['Adore worm']),
                            (f'{lang}-port-6001.html', ['x11', '6000–6063']),
                            (f'{lang}-port-22.html', ['ssh'])):
            for w in words:
                if w not in text(name):
                    fail(name, f'lacks "{w}"')
        for name in (f'{lang}-port-4.html', f'{lang}-port-17300.html', f'{lang}-port-65535.html'):
            if 'why' not in section_ids(trees[name][0]):
                fail(name, 'no "why unassigned ports matter" section')
        why0 = trees[f'{lang}-port-0.html'][0].find('section', id='why')
        if why0 is None or '0' not in why0.find('h2').text():
            fail(f'{lang}-port-0', 'port 0 is not explained as special')
        for name in (f'{lang}-port-31337.html', f'{lang}-port-6001.html'):
            if 'why' in section_ids(trees[name][0]):
                fail(name, 'explains unassigned ports on an assigned port')
        tag = 'empty, but not forgotten' if lang == 'en' else 'wolny, ale nie zapomniany'
        if tag not in trees[f'{lang}-port-17300.html'][0].find('title').text():
            fail(f'{lang}-port-17300', f'title lacks "{tag}"')
        tag = 'empty' if lang == 'en' else 'wolny'
        if not trees[f'{lang}-port-4.html'][0].find('title').text().endswith(f'— {tag} • Connected'):
            fail(f'{lang}-port-4', f'title is not plainly "{tag}"')
        if 'mal' in ' '.join(' '.join(n.classes()) for n in
                              trees[f'{lang}-port-4.html'][0].find_all('span')):
            fail(f'{lang}-port-4', 'shows a malware badge')
        root = trees[f'{lang}-port-22.html'][0]
        if root.find('a', href='https://www.rfc-editor.org/rfc/rfc4251') is None:
            fail(f'{lang}-port-22', 'RFC 4251 is not linked')
        # The lead lists the protocols as a sentence does: commas, then "and" before the last.
        word = ' and ' if lang == 'en' else ' i\xa0'
        for port, protos in ((22, f'TCP, UDP{word}SCTP.'), (1776, f'TCP{word}UDP.')):
            lead = trees[f'{lang}-port-{port}.html'][0].find('p', class_='lead')
            if lead is None or not lead.text().endswith(protos):
                fail(f'{lang}-port-{port}', f'the lead does not end "{protos}"')
        # The reader's own vote and the counts.
        root = trees[f'{lang}-port-1776-voted.html'][0]
        pressed = [b.attrs.get('value') for b in root.find_all('button')
                   if b.attrs.get('aria-pressed') == 'true']
        if pressed != ['happy']:
            fail(f'{lang}-port-1776-voted', f'pressed buttons are {pressed}')
        counts = [n.text() for n in root.find_all('span', class_='n')]
        if counts != ['1', '2', '3']:
            fail(f'{lang}-port-1776-voted', f'counts are {counts}')
        if root.find('form', class_='fb').attrs.get('action') != \
                'https://votes.example/ports/1776/feedback':
            fail(f'{lang}-port-1776-voted', 'vote_action is not used')
        counts = [n.text() for n in trees[f'{lang}-port-1776.html'][0].find_all('span', class_='n')]
        if counts != ['', '', '']:
            fail(f'{lang}-port-1776', f'counts shown without a vote store: {counts}')
        # Other pages.
        root = trees[f'{lang}-home.html'][0]
        form = root.find('form', role='search')
        if form is None or form.attrs.get('method') != 'get' or \
                form.attrs.get('action') != ('/search' if lang == 'en' else '/pl/search') or \
                root.find('input', name='q') is None:
            fail(f'{lang}-home', 'no search form GET /search with q')
        if len(list(root.find('ol', class_='tiers').find_all('li'))) != 3:
            fail(f'{lang}-home', 'not three tiers')
        if alternates(root) != {'en': '/', 'pl': '/pl/', 'x-default': '/'}:
            fail(f'{lang}-home', f'alternates are {alternates(root)}')
        if 'Site <&"\'>' not in root.find('title').text():
            fail(f'{lang}-home', 'the site name is not shown as text')
        root = trees[f'{lang}-index.html'][0]
        links = [a.attrs.get('href') for a in root.find_all('a')]
        pfx = '' if lang == 'en' else '/pl'
        for want in (22, 80, 443, 1024, 2048, 48128, 49152, 64512):
            if f'{pfx}/ports/{want}' not in links:
                fail(f'{lang}-index', f'no link to {pfx}/ports/{want}')
        if len(links) > 2000:
            fail(f'{lang}-index', f'{len(links)} links on one page')
        for sid in ('well-known', 'registered', 'dynamic'):
            if root.find('section', id=sid) is None:
                fail(f'{lang}-index', f'no section #{sid}')
        root = trees[f'{lang}-search-1.html'][0]
        if root.find('a', href=f'{pfx}/ports/1776') is None:
            fail(f'{lang}-search-1', 'a numeric query does not lead to its port')
        root = trees[f'{lang}-search-0.html'][0]
        if root.find('a', href=f'{pfx}/ports/22') is None:
            fail(f'{lang}-search-0', '"ssh" does not find port 22')
        if alternates(root).get('pl') != '/pl/search?q=ssh':
            fail(f'{lang}-search-0', f'alternates are {alternates(root)}')
        root = trees[f'{lang}-search-2.html'][0]
        if root.find('input', name='q').attrs.get('value') != '<script>&"':
            fail(f'{lang}-search-2', 'the query is not echoed intact')
        if alternates(root).get('en') != '/search?q=%3Cscript%3E%26%22':
            fail(f'{lang}-search-2', f'the query is not URL-encoded: {alternates(root)}')
        root = trees[f'{lang}-search-3.html'][0]
        if root.find('ol', class_='hits') is not None:
            fail(f'{lang}-search-3', 'hits for a query that matches nothing')
        for status in (400, 404, 405, 413, 414, 500, 503):
            root = trees[f'{lang}-error-{status}.html'][0]
            if str(status) not in visible_text(root):
                fail(f'{lang}-error-{status}', 'does not show its status')
            if root.find('form', role='search') is None:
                fail(f'{lang}-error-{status}', 'offers no search')

    # Escaping: the crafted table's strings come out as text, never as markup.
    for name in [n for n in pages if '-crafted-' in n]:
        root, src = trees[name]
        for n in root.iter():
            if n.tag in ('b', 'i', 'u', 'svg', 'img', 'x', 'three', 'svc', 'tool', 'one') or \
                    (n.tag == 'script' and n.attrs.get('src') != '/static/feedback.js' and
                     n.attrs.get('type') != 'application/ld+json'):
                fail(name, f'data became a <{n.tag}> element')
        t = visible_text(root)
        if name.endswith(('-7.html', '-search.html')):
            for want in ('<script>alert(1)</script> & "quoted" \'single\'', 'evil<script>'):
                if want not in t:
                    fail(name, f'lacks the text {want!r}')
        if name.endswith('-7.html'):
            for want in ('A <b>Person</b> & Co', 'Contact "<i>"', 'Note with </dd> & stuff',
                         '<img src=x onerror=alert(1)>', 'Tool "&" <svg onload=alert(1)>',
                         '<script>alert("m")</script>', 'Label <b>&amp;</b> "one"',
                         'Default port of <tool> & co', 'RFC 1234'):
                if want not in t:
                    fail(name, f'lacks the text {want!r}')
            for a in root.find_all('a'):
                if 'javascript' in (a.attrs.get('href') or ''):
                    fail(name, 'a javascript: link')
            # Quotes and angle brackets cannot stand in a URL: percent-encoded, the rest intact.
            if root.find('a', href='https://example.org/?a=1&b=%222%22%3Cx%3E') is None:
                fail(name, 'the source URL with & and quotes is not linked intact')
        if name.endswith('-8.html'):
            for want in ('Worm & <b>friends</b>', 'Three & <three>'):
                if want not in t:
                    fail(name, f'lacks the text {want!r}')

    # The Polish catalogue is complete: no empty or fuzzy translation.
    with open(os.path.join(root_dir, 'po', 'pl.po'), encoding='utf-8') as f:
        po = f.read()
    for entry in po.split('\n\n')[1:]:
        if '#, fuzzy' in entry or re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + '\n', re.M):
            fail('po/pl.po', 'untranslated or fuzzy: ' + entry.split('msgid', 1)[-1][:60])

    # Size: the page for 1776 stays near 10 KB.
    size = os.path.getsize(os.path.join(outdir, 'en-port-1776.html'))
    if size > 12 * 1024:
        fail('en-port-1776', f'{size} bytes, more than 12 KiB')

    for f in failures:
        print(f)
    print(f'{len(pages)} pages checked, {len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
