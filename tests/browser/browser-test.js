// browser-test: the website in a real browser (Debian's chromium, driven by playwright-core).
//
//   node browser-test.js PORTINFO OUTDIR
//
// Starts `PORTINFO serve` on a free loopback port with a fresh vote store, then checks the page for
// port 1776 (title, breadcrumb, sections, keyboard), votes with JavaScript and sees the count change
// without a reload, votes again with JavaScript disabled (form POST, 303, the page shows the
// count), reads the Polish page, and keeps screenshots in OUTDIR (light and dark, desktop and
// phone).  Exits 0 when all is well, 1 on a failed check, 77 when chromium cannot start at all.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.PORTINFO_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const [portinfo, outdir] = process.argv.slice(2);
if (!portinfo || !outdir) {
  console.error('usage: node browser-test.js PORTINFO OUTDIR');
  process.exit(2);
}

let failures = 0;
let checks = 0;

function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.log(`FAIL: ${what}`);
  } else {
    console.log(`ok: ${what}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function startServer(dbPath) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const log = [];
    const child = spawn(portinfo, ['serve', '--listen', `127.0.0.1:${port}`, '--feedback', dbPath],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => log.push(String(d)));
    child.stderr.on('data', (d) => log.push(String(d)));
    let exited = false;
    child.on('exit', () => { exited = true; });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !exited; i++) {
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.status === 200) {
          return { child, base, log };
        }
      } catch (e) {
        // not listening yet
      }
      await sleep(100);
    }
    child.kill('SIGTERM');
    console.log(`server did not come up on port ${port}:\n${log.join('')}`);
  }
  throw new Error('the server would not start');
}

// Records every request a page makes and every console error (CSP violations show up there).
function watch(page, base, label) {
  const seen = { foreign: [], errors: [] };
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(base + '/') && !url.startsWith('data:') && url !== 'about:blank') {
      seen.foreign.push(url);
    }
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico/.test(msg.text()) &&
        !/status of 404/.test(msg.text())) {
      seen.errors.push(msg.text());
    }
  });
  page.on('pageerror', (err) => seen.errors.push(String(err)));
  seen.report = () => {
    check(seen.foreign.length === 0, `${label}: nothing loaded from another host ${seen.foreign}`);
    check(seen.errors.length === 0, `${label}: no console errors ${seen.errors.join(' | ')}`);
  };
  return seen;
}

async function count(page, vote) {
  return (await page.locator(`form.fb span.n[data-vote="${vote}"]`).textContent()).trim();
}

async function shot(page, name) {
  const file = path.join(outdir, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

async function portPageParts(page, port, lang) {
  const title = await page.title();
  check(new RegExp(`^Port\\s${port}: .+ — .+ • Connected$`).test(title), `${lang} title "${title}"`);
  check(await page.getAttribute('html', 'lang') === lang, `${lang} page has lang=${lang}`);
  const crumbs = page.locator('nav.crumbs ol[itemtype="https://schema.org/BreadcrumbList"] > li');
  check(await crumbs.count() === 2, `${lang} breadcrumb has two items`);
  const crumbText = (await crumbs.allInnerTexts()).map((t) => t.replace(/[›\s]+/g, ' ').trim());
  const first = lang === 'pl' ? 'Porty' : 'Ports';
  check(crumbText[0] === first && crumbText[1] === `Port ${port}`,
    `${lang} breadcrumb reads ${first} › Port ${port} (got ${crumbText})`);
  for (const id of ['tier', 'official', 'unofficial', 'check', 'feedback']) {
    check(await page.locator(`section#${id} h2`).isVisible(), `${lang} section #${id} is shown`);
  }
  check(await page.locator('ol.tiers > li.here').count() === 1, `${lang} one tier highlighted`);
}

// Under CI (CI=true or PORTINFO_REQUIRE_BROWSER=1) a browser that cannot run is a failure.
const MUST_RUN = process.env.CI === 'true' || process.env.PORTINFO_REQUIRE_BROWSER === '1';

async function main() {
  fs.mkdirSync(outdir, { recursive: true });
  for (const f of fs.readdirSync(outdir)) {
    if (f.endsWith('.png')) fs.unlinkSync(path.join(outdir, f));
  }
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
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portinfo-browser-'));
  const server = await startServer(path.join(tmp, 'votes.db'));
  const { base } = server;
  try {
    // 1. The English page with JavaScript: parts, keyboard, a vote counted in place.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
      colorScheme: 'light' });
    const page = await ctx.newPage();
    const w1 = watch(page, base, 'English page');
    const resp = await page.goto(`${base}/ports/1776`);
    check(resp.status() === 200, 'GET /ports/1776 answers 200');
    check(/default-src 'none'/.test(resp.headers()['content-security-policy'] || ''),
      'the page comes with a strict Content-Security-Policy');
    await portPageParts(page, 1776, 'en');
    check(await page.locator('body').innerText().then((t) => !/malware/i.test(t)),
      'the page for 1776 does not mention malware');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.classList.contains('skip')),
      'the first Tab reaches the skip link');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', `the focused link shows an outline (${outline})`);
    await page.keyboard.press('Escape');

    const before = Number(await count(page, 'happy'));
    await page.evaluate(() => { window.portinfoNoReload = 'still here'; });
    const voted = page.waitForResponse((r) => r.url().endsWith('/ports/1776/feedback') &&
      r.request().method() === 'POST');
    await page.click('form.fb button[value="happy"]');
    const vr = await voted;
    check(vr.status() === 200 && /application\/json/.test(vr.headers()['content-type'] || ''),
      `the script's vote is answered with JSON (${vr.status()})`);
    await page.waitForFunction((n) =>
      document.querySelector('form.fb span.n[data-vote="happy"]').textContent.trim() === String(n),
    before + 1, { timeout: 5000 }).catch(() => {});
    check(await count(page, 'happy') === String(before + 1),
      `😃 count goes from ${before} to ${before + 1} in place`);
    check(await page.evaluate(() => window.portinfoNoReload) === 'still here',
      'the page did not reload');
    check(await page.getAttribute('form.fb button[value="happy"]', 'aria-pressed') === 'true',
      'the 😃 button is marked as the reader\'s vote');
    check(/You voted “helpful”/.test(await page.locator('.fb-status').innerText()),
      'the thank-you names the choice in words');
    await shot(page, 'port-1776-desktop-light.png');

    // Voting again replaces the vote.
    await page.click('form.fb button[value="meh"]');
    await page.waitForFunction(() =>
      document.querySelector('form.fb button[value="meh"]').getAttribute('aria-pressed') === 'true',
    null, { timeout: 5000 }).catch(() => {});
    check(await count(page, 'happy') === String(before) && await count(page, 'meh') === '1',
      'a second vote replaces the first');
    await page.click('form.fb button[value="happy"]');
    await page.waitForFunction((n) =>
      document.querySelector('form.fb span.n[data-vote="happy"]').textContent.trim() === String(n),
    before + 1, { timeout: 5000 }).catch(() => {});
    await page.reload();
    check(await count(page, 'happy') === String(before + 1),
      'after a reload the page still shows the vote');
    check(await page.getAttribute('form.fb button[value="happy"]', 'aria-pressed') === 'true',
      'after a reload the reader\'s own vote is still marked');
    w1.report();
    await ctx.close();

    // 2. The same vote with JavaScript disabled: form POST, 303, the page shows the count.
    const nojs = await browser.newContext({ javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 } });
    const p2 = await nojs.newPage();
    const w2 = watch(p2, base, 'page without JavaScript');
    await p2.goto(`${base}/ports/1776`);
    const happyBefore = Number(await count(p2, 'happy'));
    check(happyBefore === before + 1, `without JavaScript the page shows ${before + 1} 😃`);
    const redirects = [];
    p2.on('response', (r) => {
      if (r.request().method() === 'POST') redirects.push(r.status());
    });
    await Promise.all([
      p2.waitForNavigation(),
      p2.click('form.fb button[value="happy"]'),
    ]);
    check(redirects.includes(303), `the form POST is answered 303 (${redirects})`);
    check(new URL(p2.url()).pathname === '/ports/1776', `back on the page (${p2.url()})`);
    check(await count(p2, 'happy') === String(happyBefore + 1),
      `the page now shows ${happyBefore + 1} 😃`);
    check(await p2.getAttribute('form.fb button[value="happy"]', 'aria-pressed') === 'true',
      'the vote is marked after the redirect');
    check(/You voted “helpful”/.test(await p2.locator('.fb-status').innerText()),
      'without JavaScript the page names the choice in words');
    w2.report();
    await nojs.close();

    // 3. The Polish page: in Polish, lang=pl, the switch back, a vote in Polish.
    const pl = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true,
      hasTouch: true, colorScheme: 'dark', locale: 'pl-PL' });
    const p3 = await pl.newPage();
    const w3 = watch(p3, base, 'Polish page');
    await p3.goto(`${base}/pl/ports/1776`);
    await portPageParts(p3, 1776, 'pl');
    const text = await p3.locator('main').innerText();
    check(/Do którego zakresu należy port\s1776/.test(text) && /Czy ta strona była pomocna\?/.test(text),
      'the Polish page speaks Polish');
    check(!/Was this page helpful|Where port/.test(text), 'no English left on the Polish page');
    const sw = p3.locator('nav.lang a[hreflang="en"]');
    check(await sw.getAttribute('href') === '/ports/1776' && await sw.getAttribute('lang') === 'en',
      'the language switch leads to the English page');
    const bg = await p3.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const rgb = bg.match(/\d+/g).map(Number);
    check(rgb[0] + rgb[1] + rgb[2] < 150, `dark mode gives a dark page (${bg})`);
    const vr3 = p3.waitForResponse((r) => r.url().endsWith('/ports/1776/feedback'));
    await p3.click('form.fb button[value="sad"]');
    await vr3;
    await p3.waitForFunction(() =>
      document.querySelector('form.fb button[value="sad"]').getAttribute('aria-pressed') === 'true',
    null, { timeout: 5000 }).catch(() => {});
    check(/Dziękujemy.*„niepomocna”/.test(await p3.locator('.fb-status').innerText()),
      'the thank-you is in Polish and names the choice in words');
    await shot(p3, 'port-1776-pl-phone-dark.png');
    w3.report();
    await pl.close();

    // 4. More looks: dark desktop, light phone, the home page and the index.
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 },
      colorScheme: 'dark' });
    const p4 = await dark.newPage();
    const w4 = watch(p4, base, 'dark pages');
    await p4.goto(`${base}/ports/31337`);
    check(/eldim/.test(await p4.locator('main').innerText()), '31337 names eldim');
    check(await p4.locator('ul.claims.malware li').count() > 10, '31337 lists its malware past');
    await shot(p4, 'port-31337-desktop-dark.png');
    await p4.goto(`${base}/ports`);
    await shot(p4, 'index-desktop-dark.png');
    w4.report();
    await dark.close();

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
      isMobile: true, hasTouch: true, colorScheme: 'light' });
    const p5 = await phone.newPage();
    const w5 = watch(p5, base, 'phone pages');
    await p5.goto(`${base}/ports/17300`);
    const overflow = await p5.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth);
    check(!overflow, 'the phone layout does not scroll sideways');
    await shot(p5, 'port-17300-phone-light.png');
    await p5.goto(`${base}/`);
    await p5.fill('input[name="q"]', 'ssh');
    await Promise.all([p5.waitForNavigation(), p5.press('input[name="q"]', 'Enter')]);
    check(/\/search\?q=ssh$/.test(p5.url()) && await p5.locator('a[href="/ports/22"]').count() > 0,
      'the home search finds ssh on port 22');
    await shot(p5, 'search-ssh-phone-light.png');
    w5.report();
    await phone.close();

    const home = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p6 = await home.newPage();
    await p6.goto(`${base}/`);
    await shot(p6, 'home-desktop-light.png');
    const r404 = await p6.goto(`${base}/ports/65536`);
    check(r404.status() === 404, '/ports/65536 is a 404 page');
    await shot(p6, 'error-404-desktop-light.png');
    await home.close();
  } finally {
    await browser.close();
    if (server.child.exitCode === null) {
      const gone = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await gone;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${checks} checks, ${failures} failed; screenshots in ${outdir}`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.log(`FAIL: ${err.stack || err}`);
  process.exit(1);
});
