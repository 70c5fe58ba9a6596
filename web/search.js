// search.js: the search page of a static copy of the site (portinfo export), run in the browser.
//
// Reads q from the address, loads the search index (/search-index.json, built by
// src/search_index.c) once, and lists the matching ports ranked as portinfo serve ranks them
// (score_hit in src/portdb.c), each with the lines that matched (hit_lines in
// src/render_html.c).  Text goes in through textContent only; no inline code, so the page's
// strict security policy holds.  Under node it only exports the search, for the tests.
'use strict';

(function () {
  var MAX_QUERY = 256; // PORTDB_MAX_QUERY
  var MAX_SHOWN_HITS = 100;
  var MAX_LINES_PER_HIT = 3;

  // ASCII-only lower case and tabs and newlines as spaces, as the server's search text has them.
  function fold(s) {
    return s.replace(/[A-Z]/g, function (c) {
      return c.toLowerCase();
    }).replace(/[\t\n\r]/g, ' ');
  }

  function isWordChar(c) {
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
  }

  // The index's rows, each with its searchable line.
  function prepare(index) {
    var rows = [];
    (index.iana || []).forEach(function (r) {
      var service = fold(r[1]);
      rows.push({
        lo: r[0], hi: r.length > 3 ? r[3] : r[0], service: r[1], description: r[2],
        line: service + '\t' + fold(r[2]), split: Math.min(service.length, 255), iana: true
      });
    });
    (index.unofficial || []).forEach(function (r) {
      rows.push({ lo: r[0], hi: r[0], name: r[1], kind: r[2], line: fold(r[1]), iana: false });
    });
    (index.aliases || []).forEach(function (r) {
      var name = fold(r[1]);
      rows.push({
        lo: r[0], hi: r.length > 4 ? r[4] : r[0], name: r[1], meaning: r[2], service: r[3],
        line: name + '\t' + fold(r[2]), split: Math.min(name.length, 255), iana: false,
        alias: true
      });
    });
    return rows;
  }

  // The score of a hit at @pos of @row's line (portdb.c: score_hit).
  function score(row, pos, qlen) {
    var line = row.line;
    var wordStart = pos === 0 || !isWordChar(line.charCodeAt(pos - 1));
    if (row.alias) {
      if (pos + qlen <= row.split) {
        return pos === 0 ? (qlen === row.split ? 110 : 85) : 60;
      }
      if (pos < row.split) {
        return 10;
      }
      return wordStart ? 40 : 20;
    }
    if (!row.iana) {
      if (pos === 0 && qlen === line.length) {
        return 90;
      }
      if (pos === 0) {
        return 70;
      }
      return wordStart ? 45 : 25;
    }
    if (pos + qlen <= row.split) {
      if (pos === 0 && qlen === row.split) {
        return 100;
      }
      return pos === 0 ? 80 : 60;
    }
    if (pos < row.split) {
      return 10;
    }
    return wordStart ? 40 : 20;
  }

  function contains(text, q) {
    return text.toLowerCase().indexOf(q.toLowerCase()) >= 0;
  }

  // Searches the prepared @rows for @query.  Returns {count, hits}: hits best first (ties by port),
  // at most MAX_SHOWN_HITS, each {port, score, lines}; a line is an IANA row or an unofficial one.
  function search(rows, query) {
    var q = fold(query), best = new Map(), matched = new Map(), ports;
    if (!q) {
      return { count: 0, hits: [] };
    }
    rows.forEach(function (row) {
      var at = row.line.indexOf(q), s = 0;
      if (at < 0) {
        return;
      }
      for (; at >= 0; at = row.line.indexOf(q, at + 1)) {
        s = Math.max(s, score(row, at, q.length));
      }
      for (var p = row.lo; p <= row.hi; p++) {
        if (!best.has(p) || s > best.get(p)) {
          best.set(p, s);
        }
        if (!matched.has(p)) {
          matched.set(p, []);
        }
        matched.get(p).push(row);
      }
    });
    ports = Array.from(best.keys()).sort(function (a, b) {
      return best.get(b) - best.get(a) || a - b;
    });
    return {
      count: ports.length,
      hits: ports.slice(0, MAX_SHOWN_HITS).map(function (p) {
        return { port: p, score: best.get(p), lines: hitLines(matched.get(p), query) };
      })
    };
  }

  // The lines shown under a hit: everyday names whose name or meaning holds the query, IANA
  // entries whose name or description does, then unofficial names that do, at most
  // MAX_LINES_PER_HIT, each text once.
  function hitLines(rows, query) {
    var out = [], seen = new Set();
    rows.filter(function (r) { return r.alias; }).concat(rows.filter(function (r) {
      return r.iana;
    }), rows.filter(function (r) {
      return !r.iana && !r.alias;
    })).forEach(function (r) {
      var key = r.alias ? '\r' + r.name + '\t' + r.service
        : r.iana ? r.service + '\t' + r.description : '\n' + r.name;
      if (out.length >= MAX_LINES_PER_HIT || seen.has(key)) {
        return;
      }
      if (r.alias ? contains(r.name, query) || contains(r.meaning, query)
        : r.iana ? contains(r.service, query) || contains(r.description, query)
          : contains(r.name, query)) {
        seen.add(key);
        out.push(r);
      }
    });
    return out;
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { prepare: prepare, search: search, MAX_QUERY: MAX_QUERY };
    return;
  }

  // ---- the page ---------------------------------------------------------------------------

  var box = document.getElementById('results');
  if (!box || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var query = (new URLSearchParams(window.location.search).get('q') || '').trim();
  if (query.length > MAX_QUERY) {
    query = query.slice(0, MAX_QUERY);
  }
  if (!query) {
    return;
  }
  var lang = box.getAttribute('data-lang') || 'en';
  var prefix = box.getAttribute('data-prefix') || '';

  // Fills a translated template: %zu and %u with numbers, %s with text.
  function fill(name, values) {
    var t = box.getAttribute('data-' + name) || '';
    return t.replace(/%zu|%u|%s/g, function (m) {
      return m === '%s' ? values.s : String(values.n);
    });
  }

  function plural(n) {
    var cat = 'other';
    try {
      cat = new Intl.PluralRules(lang).select(n);
    } catch (e) {
      cat = n === 1 ? 'one' : 'other';
    }
    return box.hasAttribute('data-count-' + cat) ? 'count-' + cat : 'count-other';
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function dataLang(e) {
    if (lang !== 'en') {
      e.setAttribute('lang', 'en'); // registry text is English
    }
    return e;
  }

  function portLink(port, text) {
    return el('a', { href: prefix + '/ports/' + port }, text);
  }

  function show(rows) {
    var result = search(rows, query);
    var count = el('p', { class: 'result-count' },
      fill(plural(result.count), { n: result.count, s: query }));
    if (result.count > MAX_SHOWN_HITS) {
      count.textContent += ' ' + fill('first', { n: MAX_SHOWN_HITS });
    }
    box.appendChild(count);
    if (/^[0-9]{1,5}$/.test(query) && Number(query) <= 65535) {
      var direct = el('p', { class: 'direct' });
      direct.appendChild(portLink(Number(query), fill('go', { n: Number(query) }) + ' →'));
      box.appendChild(direct);
    }
    if (!result.hits.length) {
      return;
    }
    var list = el('ol', { class: 'hits' });
    result.hits.forEach(function (h) {
      var li = el('li'), h2 = el('h2');
      h2.appendChild(portLink(h.port, fill('port', { n: h.port })));
      li.appendChild(h2);
      h.lines.forEach(function (r) {
        var p = el('p');
        if (r.alias) {
          p.appendChild(dataLang(el('code', {}, r.name)));
          p.appendChild(document.createTextNode(' '));
          p.appendChild(dataLang(el('span', {}, r.meaning)));
          p.appendChild(document.createTextNode(' '));
          p.appendChild(el('span', { class: 'meta' }, fill('alias', { s: r.service })));
        } else if (r.iana) {
          p.appendChild(el('code', {}, r.service));
          p.appendChild(document.createTextNode(' '));
          p.appendChild(dataLang(el('span', {}, r.description)));
          if (r.lo !== r.hi) {
            p.appendChild(document.createTextNode(' '));
            p.appendChild(el('span', { class: 'meta' }, '(' + r.lo + '–' + r.hi + ')'));
          }
        } else {
          p.appendChild(dataLang(el('span', {}, r.name)));
          p.appendChild(document.createTextNode(' '));
          p.appendChild(el('span', { class: 'meta' },
            box.getAttribute(['data-malware', 'data-software', 'data-other'][r.kind] ||
              'data-other') || ''));
        }
        li.appendChild(p);
      });
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  // The page as the server would have sent it for this query: title, the field, the language
  // link, no hint.
  var input = document.getElementById('q');
  if (input) {
    input.value = query;
  }
  var sep = document.title.indexOf(' • ');
  document.title = fill('title', { s: query }) + (sep >= 0 ? document.title.slice(sep) : '');
  Array.prototype.forEach.call(document.querySelectorAll('nav.lang a'), function (a) {
    a.setAttribute('href', a.getAttribute('href') + '?q=' + encodeURIComponent(query));
  });
  var hint = box.nextElementSibling;
  while (hint && hint.tagName !== 'P') {
    hint = hint.nextElementSibling;
  }
  if (hint) {
    hint.hidden = true;
  }

  fetch(box.getAttribute('data-index') || '/search-index.json', { credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) {
        throw new Error('HTTP ' + r.status);
      }
      return r.json();
    })
    .then(function (index) {
      show(prepare(index));
    })
    .catch(function () {
      box.appendChild(el('p', { class: 'result-count', role: 'status' }, fill('failed', {})));
    });
})();
