#!/usr/bin/env python3
"""check-structure: the shape of portinfo's C sources, checked from the source tree alone.

Usage: check-structure.py [--check NAME]... SOURCE_ROOT

Checks every .c and .h under SOURCE_ROOT/src and SOURCE_ROOT/tools:
  lines      no file over 800 lines
  functions  no function over 100 lines, from its first signature line to its closing brace
             (initialised tables, structs and enums are not functions); no function with
             external linkage (main aside) defined in two files
  includes   the include graph: no circle between modules (foo.c with foo.h is one module), and
             no include from a folder to one on a higher floor or beside it, except as LAYERS
             below allows
  banned     no call of strcpy, strcat, sprintf, vsprintf, atoi, atol, strtok or gets outside
             comments and strings
  format     clang-format --dry-run --Werror passes on every file (the project's .clang-format)

All checks run unless some are named.  Exit status: 0 clean, 1 a finding (each printed as
FILE:LINE: CHECK: what), 2 bad usage, 77 when only `format` was asked for and clang-format is
missing (CI=true turns that into a failure).  It reads C text with a small scanner, not a
compiler: macros are not expanded and conditional code counts as written.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The floors of src/, from the bottom up.  A folder may include headers from any folder on a
# lower floor and from its own folder; never from a higher floor or from another folder on its
# own floor, unless SIDEWAYS names the pair.  tools/ holds build-time programs and sits on top.
#
#   floor  folders
#   0      core
#   1      data
#   2      table
#   3      render
#   4      site
#   5      who, cli
#   6      serve, export, update
#   7      tools
LAYERS = {
    'core': 0,
    'data': 1,
    'table': 2,
    'render': 3,
    'site': 4,
    'who': 5,
    'cli': 5,
    'serve': 6,
    'export': 6,
    'update': 6,
    'tools': 7,
}
# (from, to) pairs allowed on the same floor.  None today.
SIDEWAYS = set()

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 100
BANNED = ('strcpy', 'strcat', 'sprintf', 'vsprintf', 'atoi', 'atol', 'strtok', 'gets')
CHECKS = ('lines', 'functions', 'includes', 'banned', 'format')


def sources(root):
    """Every .c and .h under root/src and root/tools, sorted."""
    out = []
    for top in ('src', 'tools'):
        base = root / top
        if base.is_dir():
            out += [p for p in base.rglob('*') if p.suffix in ('.c', '.h') and p.is_file()]
    return sorted(out)


def folder_of(root, path):
    """The part a file belongs to: its folder under src/, or 'tools'."""
    rel = path.relative_to(root).parts
    return rel[1] if rel[0] == 'src' and len(rel) > 2 else rel[0]


def blank(text):
    """The text with comments, string and character literals blanked and preprocessor lines
    emptied; newlines are kept, so line numbers still hold."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == '\n':
            out.append(c)
            at_line_start = True
            i += 1
            continue
        if at_line_start and c in ' \t':
            out.append(c)
            i += 1
            continue
        if at_line_start and c == '#':
            # A directive, with its continuation lines.
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    out.append('\n')
                    i += 2
                    continue
                i += 1
            continue
        at_line_start = False
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            out.append(' ' * (end - i))
            i = end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + ' ' * (min(j, n) - i - 1) + (c if j < n else ''))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def check_lines(root, path, text, report):
    count = text.count('\n') + (0 if text.endswith('\n') or not text else 1)
    if count > MAX_FILE_LINES:
        report(path, count, 'lines', f'{count} lines (at most {MAX_FILE_LINES})')


def functions(code):
    """(name, first line, last line) of every function body at file scope in blanked code."""
    found = []
    depth = 0
    head_start = 0
    i = 0
    while i < len(code):
        c = code[i]
        if c == '{' and depth == 0:
            head = code[head_start:i]
            close = matching_brace(code, i)
            if is_function_head(head):
                # The signature starts after the last blank line (comments are blank here), so
                # that a macro invocation above it without a semicolon is not counted.
                blank_lines = list(re.finditer(r'\n[ \t]*\n', head))
                skip = blank_lines[-1].end() if blank_lines else 0
                sig = head[skip:]
                first = head_start + skip + (len(sig) - len(sig.lstrip()))
                name = re.search(r'(\w+)\s*\(', sig)
                found.append((name.group(1) if name else '?', code.count('\n', 0, first) + 1,
                              code.count('\n', 0, close) + 1))
            i = head_start = close + 1
            continue
        if c == ';' and depth == 0:
            head_start = i + 1
        i += 1
        if c == '}':
            head_start = i
    return found


def matching_brace(code, i):
    depth = 0
    for j in range(i, len(code)):
        if code[j] == '{':
            depth += 1
        elif code[j] == '}':
            depth -= 1
            if depth == 0:
                return j
    return len(code) - 1


def is_function_head(head):
    """Whether the text before a file-scope '{' declares a function (not a table, a struct, an
    enum or a union)."""
    h = re.sub(r'__attribute__\s*\(\(.*?\)\)', '', head, flags=re.S).strip()
    if not h or h.endswith('=') or h.endswith(']'):
        return False
    if re.match(r'^(typedef\s+)?(static\s+)?(const\s+)?(struct|union|enum)\b[^()]*$', h):
        return False
    return h.endswith(')')


def check_functions(root, path, text, report):
    for name, first, last in functions(blank(text)):
        length = last - first + 1
        if length > MAX_FUNCTION_LINES:
            report(path, first, 'functions',
                   f'{name}() is {length} lines (at most {MAX_FUNCTION_LINES})')


def check_unique(root, files, texts, report):
    """No function with external linkage is defined in two files: the programs link several
    folders' libraries, and an archive would silently give one of the two."""
    seen = {}
    for p in files:
        if p.suffix != '.c':
            continue
        code = blank(texts[p])
        lines = code.split('\n')
        for name, first, _ in functions(code):
            if name == 'main' or re.search(r'\bstatic\b', lines[first - 1]):
                continue
            if name in seen:
                other, line = seen[name]
                report(p, first, 'functions', f'{name}() is also defined at '
                       f'{other.relative_to(root)}:{line}')
            else:
                seen[name] = (p, first)


def check_banned(root, path, text, report):
    pattern = re.compile(r'\b(' + '|'.join(BANNED) + r')\s*\(')
    for lineno, line in enumerate(blank(text).split('\n'), 1):
        for m in pattern.finditer(line):
            report(path, lineno, 'banned', f'{m.group(1)}() is banned')


def includes(text):
    """(line, name) of every #include "name" in text."""
    return [(n, m.group(1)) for n, line in enumerate(text.split('\n'), 1)
            for m in [re.match(r'\s*#\s*include\s+"([^"]+)"', line)] if m]


def declarations(code):
    """Names of the functions a (blanked) header declares at file scope."""
    names = []
    depth = 0
    start = 0
    for i, c in enumerate(code):
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            start = i + 1
        elif c == ';' and depth == 0:
            m = re.match(r'[^()=]*?\b(\w+)\s*\(', code[start:i], re.S)
            if m:
                names.append(m.group(1))
            start = i + 1
    return names


def check_includes(root, files, texts, report):
    by_name = {}
    for p in files:
        if p.suffix == '.h':
            by_name.setdefault(p.name, []).append(p)
    graph = {}
    where = {}
    for p in files:
        src_folder = folder_of(root, p)
        if src_folder not in LAYERS:
            report(p, 1, 'includes', f'folder {src_folder}/ is not in the layer table')
            continue
        mod = (src_folder, p.stem)
        graph.setdefault(mod, set())
        for lineno, name in includes(texts[p]):
            same = p.parent / name
            targets = [same] if same.is_file() else by_name.get(Path(name).name, [])
            for t in targets[:1]:
                to_folder = folder_of(root, t)
                if to_folder != src_folder and to_folder in LAYERS:
                    a, b = LAYERS[src_folder], LAYERS[to_folder]
                    if (a < b or a == b) and (src_folder, to_folder) not in SIDEWAYS:
                        how = 'up' if a < b else 'sideways'
                        report(p, lineno, 'includes',
                               f'{name} is {how} from {src_folder}/ (floor {a}) to '
                               f'{to_folder}/ (floor {b})')
                dest = (to_folder, t.stem)
                if dest != mod:
                    graph[mod].add(dest)
                    where.setdefault((mod, dest), (p, lineno))
    # A header that declares a function defined in another module ties its includers to that
    # module too (registry.h declaring every reader made the readers and their chooser one knot).
    defined = {}
    for p in files:
        if p.suffix == '.c' and folder_of(root, p) in LAYERS:
            for name, _, _ in functions(blank(texts[p])):
                defined.setdefault(name, (folder_of(root, p), p.stem))
    declared = {}
    for p in files:
        if p.suffix == '.h' and folder_of(root, p) in LAYERS:
            home = (folder_of(root, p), p.stem)
            own = {name for name, _, _ in functions(blank(texts[p]))}
            declared[p] = {defined[n] for n in declarations(blank(texts[p]))
                           if n in defined and n not in own and defined[n] != home}
    for p in files:
        if folder_of(root, p) not in LAYERS:
            continue
        mod = (folder_of(root, p), p.stem)
        for lineno, name in includes(texts[p]):
            same = p.parent / name
            targets = [same] if same.is_file() else by_name.get(Path(name).name, [])
            for t in targets[:1]:
                for dest in sorted(declared.get(t, ())):
                    if dest != mod:
                        graph[mod].add(dest)
                        where.setdefault((mod, dest), (p, lineno))
    for cycle in circles(graph):
        names = ' -> '.join(f'{f}/{s}' for f, s in cycle + [cycle[0]])
        p, lineno = where[(cycle[0], cycle[1])]
        report(p, lineno, 'includes', f'include circle: {names}')


def circles(graph):
    """One circle (a list of modules) for each strongly connected set of more than one module
    (Tarjan's algorithm), in a stable order."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(path_through(graph, set(scc)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def path_through(graph, scc):
    """A circle inside the strongly connected set scc, from its smallest member back to it."""
    start = min(scc)
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                cycle = [v]
                while prev[cycle[-1]] is not None:
                    cycle.append(prev[cycle[-1]])
                return list(reversed(cycle))
            if w in scc and w not in prev:
                prev[w] = v
                queue.append(w)
    return sorted(scc)


def check_format(root, files, report):
    """0 when clang-format is happy or found a problem (reported), 77 when it is missing."""
    exe = shutil.which(os.environ.get('CLANG_FORMAT', 'clang-format'))
    if not exe:
        if os.environ.get('CI') == 'true':
            report(root, 0, 'format', 'clang-format is not installed (tools/deps/test/core.txt)')
            return 0
        return 77
    r = subprocess.run([exe, '--dry-run', '--Werror'] + [str(p) for p in files],
                       capture_output=True, text=True)
    seen = set()
    for m in re.finditer(r'^(.*?):(\d+):\d+: (?:error|warning)', r.stderr, re.M):
        p = Path(m.group(1)).resolve()
        if p not in seen:
            seen.add(p)
            report(p, int(m.group(2)), 'format',
                   'clang-format would change it (clang-format -i fixes it)')
    if r.returncode != 0 and not seen:
        report(root, 0, 'format', 'clang-format failed: ' + r.stderr.strip()[:200])
    return 0


def main(argv):
    args = argv[1:]
    wanted = []
    while len(args) >= 2 and args[0] == '--check':
        if args[1] not in CHECKS:
            print(f'check-structure: no check named {args[1]}', file=sys.stderr)
            return 2
        wanted.append(args[1])
        args = args[2:]
    if len(args) != 1:
        print(__doc__.strip().split('\n\n')[1], file=sys.stderr)
        return 2
    wanted = wanted or list(CHECKS)
    root = Path(args[0]).resolve()
    files = sources(root)
    texts = {p: p.read_text(encoding='utf-8', errors='replace') for p in files}
    findings = []

    def report(path, line, check, what):
        rel = path.relative_to(root) if path != root else '.'
        findings.append(f'{rel}:{line}: {check}: {what}')

    for p in files:
        if 'lines' in wanted:
            check_lines(root, p, texts[p], report)
        if 'functions' in wanted:
            check_functions(root, p, texts[p], report)
        if 'banned' in wanted:
            check_banned(root, p, texts[p], report)
    if 'functions' in wanted:
        check_unique(root, files, texts, report)
    if 'includes' in wanted:
        check_includes(root, files, texts, report)
    skipped = 0
    if 'format' in wanted:
        skipped = check_format(root, files, report)
        if skipped:
            print('check-structure: format: clang-format is not installed; skipped')
    for f in findings:
        print(f)
    print(f'check-structure: {len(files)} files, {len(findings)} findings '
          f'({", ".join(wanted)})')
    if findings:
        return 1
    return 77 if skipped and wanted == ['format'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
