// static-site-test: an exported site in a real browser (Debian's chromium, playwright-core).
//
//   node static-site-test.js PORTINFO
//
// Serves an export of a few ports as a plain static host would (try_files $uri $uri.html
// $uri/index.html, no headers beyond the type) and starts `portinfo serve --allow-origin` on
// another loopback port as its vote server (docs/deploy.md), then checks in the browser that:
// the search page finds kuang -> 17300 with the page's <meta> policy in force, in English and
// Polish; a port page fetches its counts from the vote server and votes there, a second vote
// replacing the first through the voter cookie; without JavaScript a vote leads back to the
// static page; the policy lets nothing else out.  Exits 0, 1 on
// a failed check, 77 when chromium cannot start.
'use strict';

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'browser', 'node_modules', 'playwright-core'));

const CHROMIUM = process.env.PORTINFO_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json',
  '.js': 'text/javascript', '.css': 'text/css' };

const [portinfo] = process.argv.slice(2);
if (!portinfo) {
  console.error('usage: node static-site-test.js PORTINFO');
  process.exit(2);
}

let failures = 0;
let checks = 0;

function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
  }
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
}

function listen(handler) {
  return new Promise((resolve) => {
    const srv = http.createServer(handler);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

// A static host serving the directory @dir() names: files only, the extension decides the type.
function staticHost(dir) {
  return listen((req, res) => {
    const root = dir();
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const rel = p.replace(/^\/+/, '');
    const api = /^api\/ports\/\d+$/.test(rel) ? [rel + '.json'] : [];
    for (const c of api.concat([rel, rel + '.html', path.join(rel, 'index.html')])) {
      const f = path.join(root, c);
      if (f.startsWith(root) && fs.existsSync(f) && fs.statSync(f).isFile()) {
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(f)] || 'text/plain' });
        res.end(fs.readFileSync(f));
        return;
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(fs.readFileSync(path.join(root, '404.html')));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// `portinfo serve` on a free loopback port, taking votes from pages of @origin.
async function startServe(origin, dbPath) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const probe = await listen(() => {});
    const port = probe.address().port;
    await new Promise((r) => probe.close(r));
    const log = [];
    const child = spawn(portinfo, ['serve', '--listen', `127.0.0.1:${port}`, '--feedback', dbPath,
      '--allow-origin', origin, '--no-access-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => log.push(String(d)));
    child.stderr.on('data', (d) => log.push(String(d)));
    let exited = false;
    child.on('exit', () => { exited = true; });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !exited; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).status === 200) {
          return { child, base };
        }
      } catch (e) {
        // not listening yet
      }
      await sleep(100);
    }
    child.kill('SIGTERM');
    console.log(`portinfo serve did not come up on port ${port}:\n${log.join('')}`);
  }
  throw new Error('portinfo serve did not start');
}

async function counts(base, port) {
  return (await fetch(`${base}/api/ports/${port}/feedback`)).json();
}

function watch(page, label) {
  const seen = { errors: [], violations: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico|status of 404/.test(msg.text())) {
      seen.errors.push(msg.text());
    }
  });
  page.on('pageerror', (err) => seen.errors.push(String(err)));
  seen.report = () => check(seen.errors.length === 0,
    `${label}: no console errors (CSP violations show there) ${seen.errors.join(' | ')}`);
  return seen;
}

// Under CI (CI=true or PORTINFO_REQUIRE_BROWSER=1) a browser that cannot run is a failure.
const MUST_RUN = process.env.CI === 'true' || process.env.PORTINFO_REQUIRE_BROWSER === '1';

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIP: ${CHROMIUM} is not installed`);
    return MUST_RUN ? 1 : 77;
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS,
      headless: true, timeout: 60000 });
  } catch (e) {
    console.log(`SKIP: chromium cannot start: ${e.message.split('\n')[0]}`);
    return MUST_RUN ? 1 : 77;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portinfo-static-'));
  let host, votes;
  try {
    // The origins first: the export needs the vote server's, the vote server the site's.
    const root = path.join(tmp, 'site');
    host = await staticHost(() => root);
    const base = `http://127.0.0.1:${host.address().port}`;
    votes = await startServe(base, path.join(tmp, 'votes.sqlite'));
    const voteBase = votes.base;
    execFileSync(portinfo, ['export', '--ports', '17295-17305', '--vote-url', voteBase, root]);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });

    // Search, English.
    let page = await ctx.newPage();
    let seen = watch(page, 'search en');
    await page.goto(`${base}/search?q=kuang`);
    await page.waitForSelector('#results ol.hits, #results p.result-count', { timeout: 15000 });
    const hrefs = await page.locator('#results ol.hits h2 a').evaluateAll(
      (as) => as.map((a) => a.getAttribute('href')));
    check(hrefs.includes('/ports/17300'), `search kuang lists /ports/17300 (${hrefs})`);
    const countText = await page.locator('#results p.result-count').textContent();
    check(/^\d+ ports? match(es)? “kuang”\.$/.test(countText), `the count reads "${countText}"`);
    check(await page.inputValue('#q') === 'kuang', 'the search field holds the query');
    check(/^Search: kuang • Connected$/.test(await page.title()),
      `the title names the query (${await page.title()})`);
    check(await page.locator('nav.lang a').getAttribute('href') === '/pl/search?q=kuang',
      'the language link keeps the query');
    const line = await page.locator('#results ol.hits li', { hasText: 'Port 17300' })
      .textContent();
    check(/Kuang2/.test(line) && /unofficial: malware/.test(line),
      `the hit says why it matched (${line.replace(/\s+/g, ' ').trim()})`);
    seen.report();

    // The policy blocks other hosts, for scripts too.
    const blocked = await page.evaluate((url) => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation',
        (e) => resolve(e.effectiveDirective + ' ' + e.blockedURI));
      fetch(url).then(() => resolve('fetched'), () => {});
      setTimeout(() => resolve('no violation'), 5000);
    }), `http://127.0.0.2:${host.address().port}/search-index.json`);
    check(/^connect-src http:\/\/127\.0\.0\.2/.test(blocked),
      `the page's policy refuses a fetch to another host (${blocked})`);

    // Search, Polish, with a number: the direct link.
    page = await ctx.newPage();
    seen = watch(page, 'search pl');
    await page.goto(`${base}/pl/search?q=17300`);
    await page.waitForSelector('#results p.result-count', { timeout: 15000 });
    check(await page.locator('#results p.direct a').getAttribute('href') === '/pl/ports/17300',
      'pl: a port number links straight to its page');
    const plCount = await page.locator('#results p.result-count').textContent();
    check(/pasuj/.test(plCount) && /„17300”/.test(plCount), `pl: the count in Polish (${plCount})`);
    seen.report();

    // A port page: counts from the vote server, a vote there, the cookie kept.
    page = await ctx.newPage();
    seen = watch(page, 'port page');
    const resp = await page.goto(`${base}/ports/17300`);
    check(resp.status() === 200, 'the static host serves /ports/17300');
    const n = (vote) => page.locator(`form.fb span.n[data-vote="${vote}"]`).textContent();
    await page.waitForFunction(() =>
      document.querySelector('form.fb span.n[data-vote="happy"]').textContent === '0',
    null, { timeout: 10000 }).catch(() => {});
    check(await n('sad') === '0' && await n('happy') === '0',
      'the counts come from the vote server');
    await page.click('form.fb button[value="happy"]');
    await page.waitForFunction(() =>
      document.querySelector('form.fb span.n[data-vote="happy"]').textContent === '1',
    null, { timeout: 10000 }).catch(() => {});
    check(await n('happy') === '1' &&
      await page.locator('form.fb button[value="happy"]').getAttribute('aria-pressed') === 'true',
    'a vote goes to the vote server and the count updates in place');
    check(new URL(page.url()).pathname === '/ports/17300', 'the page stays');
    await page.click('form.fb button[value="meh"]');
    await page.waitForFunction(() =>
      document.querySelector('form.fb button[value="meh"]').getAttribute('aria-pressed') ===
      'true', null, { timeout: 10000 }).catch(() => {});
    const c = await counts(voteBase, 17300);
    check(c.happy === 0 && c.meh === 1 && c.sad === 0,
      `the second vote replaced the first: the voter cookie went along (${JSON.stringify(c)})`);
    const status = await page.locator('.fb-status').textContent();
    check(/Thank you/.test(status), `the page thanks the voter (${status})`);
    seen.report();
    await ctx.close();

    // Without JavaScript the form posts to the vote server, whose 303 leads back to the page
    // on the static site (in Polish for the Polish page).
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    for (const [lang, pagePath] of [['en', '/ports/17301'], ['pl', '/pl/ports/17301']]) {
      page = await nojs.newPage();
      await page.goto(`${base}${pagePath}`);
      await Promise.all([page.waitForNavigation({ timeout: 15000 }),
        page.click('form.fb button[value="sad"]')]);
      const back = new URL(page.url());
      check(back.origin === base && back.pathname === pagePath && back.hash === '#feedback',
        `${lang}, no JavaScript: the vote leads back to the static page (${page.url()})`);
      await page.close();
    }
    const c2 = await counts(voteBase, 17301);
    check(c2.sad === 1 && c2.meh === 0 && c2.happy === 0,
      `no JavaScript: the vote was stored once, the second replacing the first (${JSON.stringify(c2)})`);
    await nojs.close();
  } finally {
    await browser.close();
    if (host) host.close();
    if (votes) votes.child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${checks} checks, ${failures} failed`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
