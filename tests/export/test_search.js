// test_search: the static site's search (web/search.js) ranks as the server's does.
//
//   node test_search.js PORTINFO SEARCH_JS
//
// Exports one port (for its search-index.json), then runs each query through search.js and
// through `portinfo search --json`, and compares the number of hits and the first 100 ports in
// order.  Prints one line per query; exits 1 on any difference.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [portinfo, searchJs] = process.argv.slice(2);
if (!portinfo || !searchJs) {
  console.error('usage: node test_search.js PORTINFO SEARCH_JS');
  process.exit(2);
}
const search = require(path.resolve(searchJs));

const QUERIES = ['ssh', 'kuang', 'Kuang2', 'x11', 'http', 'HTTP', 'a', 'e', 'netbios-ns', '1776',
  '31337', 'the virus', 'Remote Job', 'dns', 'sql', 'back orifice', 'trojan', 'femis', 'ftp-data',
  'zzzz-not-there', 'é', '[', 'tcp'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portinfo-search-'));
let failures = 0;
try {
  execFileSync(portinfo, ['export', '--ports', '0-0', path.join(tmp, 'site')]);
  const index = JSON.parse(fs.readFileSync(path.join(tmp, 'site', 'search-index.json'), 'utf8'));
  const rows = search.prepare(index);
  for (const q of QUERIES) {
    let server = [];
    try {
      server = JSON.parse(execFileSync(portinfo, ['search', '--json', q],
        { maxBuffer: 1 << 30 })).map((o) => o.port);
    } catch (e) {
      server = []; // exit 1: nothing found
    }
    const got = search.search(rows, q);
    const mine = got.hits.map((h) => h.port);
    const same = got.count === server.length &&
      JSON.stringify(mine) === JSON.stringify(server.slice(0, 100));
    const lines = got.hits.every((h) => h.lines.length <= 3);
    if (!same || !lines) {
      failures++;
    }
    console.log(`${same && lines ? 'ok' : 'FAIL'}: "${q}": ${got.count} hits, the server ` +
      `${server.length}${same ? '' : `; first ${mine.slice(0, 5)} vs ${server.slice(0, 5)}`}`);
  }
  const k = search.search(rows, 'kuang').hits.find((h) => h.port === 17300);
  const ok = k && k.lines.some((l) => !l.iana && /kuang/i.test(l.name));
  console.log(`${ok ? 'ok' : 'FAIL'}: kuang finds 17300 with its unofficial name as the line`);
  failures += ok ? 0 : 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${QUERIES.length + 1} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);
