// axe-test: axe-core's accessibility rules over every kind of page, in light and dark mode.
//
//   node axe-test.js PORTINFO OUTDIR
//
// Starts `PORTINFO serve --base-url` on a free loopback port with a fresh vote store, opens in
// Debian's chromium (driven by playwright-core) the home, the index, port pages of every range
// and status, searches with results, with none and with a too-long query, the error pages a
// browser can reach (404, 414) and the page after a vote without JavaScript, in English and
// Polish, each in light and dark mode, and runs axe-core (pinned in package-lock.json) on each:
// 0 violations.  The page's own policy is bypassed only to let axe's script in.  Exits 0 when
// all is well, 1 on a violation, 77 when chromium cannot start at all (1 under CI).
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
const AXE = require.resolve('axe-core/axe.min.js');
const MUST_RUN = process.env.CI === 'true' || process.env.PORTINFO_REQUIRE_BROWSER === '1';

const [portinfo, outdir] = process.argv.slice(2);
if (!portinfo || !outdir) {
  console.error('usage: node axe-test.js PORTINFO OUTDIR');
  process.exit(2);
}

// Ports whose pages together show every part: each range and its edges, assigned, reserved and
// unassigned entries, everyday names, unofficial uses, malware of both eras, a correction.
const PORTS = [0, 22, 135, 1023, 1024, 1776, 3389, 31337, 49152, 65535];

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(dbPath) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const log = [];
    const child = spawn(portinfo, ['serve', '--listen', `127.0.0.1:${port}`, '--feedback', dbPath,
      '--base-url', base, '--no-access-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.on('data', (d) => log.push(String(d)));
    let exited = false;
    child.on('exit', () => { exited = true; });
    for (let i = 0; i < 100 && !exited; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).status === 200) return { child, base };
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

// The page a reader sees after voting with JavaScript off: the form's POST, then its 303.
async function votedPath(base, pfx) {
  const r = await fetch(`${base}${pfx}/ports/1776/feedback`, {
    method: 'POST', redirect: 'manual', body: 'vote=happy',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (r.status !== 303) throw new Error(`a vote without JavaScript answered ${r.status}`);
  return { path: r.headers.get('location').split('#')[0],
    cookie: r.headers.get('set-cookie').split(';')[0] };
}

async function main() {
  fs.mkdirSync(outdir, { recursive: true });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS,
      headless: true, timeout: 60000 });
  } catch (e) {
    console.log(`SKIP: chromium cannot start: ${e.message.split('\n')[0]}`);
    return MUST_RUN ? 1 : 77;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portinfo-axe-'));
  const server = await startServer(path.join(tmp, 'votes.db'));
  const { base } = server;
  let violations = 0;
  let checked = 0;
  try {
    const pages = [];
    for (const pfx of ['', '/pl']) {
      pages.push([`${pfx}/`, 200], [`${pfx}/ports`, 200], [`${pfx}/search`, 200],
        [`${pfx}/search?q=ssh`, 200], [`${pfx}/search?q=zzzqqqxxx`, 200],
        [`${pfx}/search?q=${'a'.repeat(300)}`, null], [`${pfx}/no/such/page`, 404],
        [`${pfx}/search?q=${'a'.repeat(3000)}`, 414]);
      for (const port of PORTS) pages.push([`${pfx}/ports/${port}`, 200]);
    }
    const voted = [await votedPath(base, ''), await votedPath(base, '/pl')];
    for (const scheme of ['light', 'dark']) {
      const ctx = await browser.newContext({ colorScheme: scheme, bypassCSP: true,
        viewport: { width: 1280, height: 900 } });
      const list = pages.map(([p, st]) => ({ path: p, status: st }));
      for (const v of voted) list.push({ path: v.path, status: 200, cookie: v.cookie });
      for (const item of list) {
        const page = await ctx.newPage();
        if (item.cookie) {
          await page.setExtraHTTPHeaders({ Cookie: item.cookie });
        }
        const resp = await page.goto(base + item.path);
        const label = `${scheme} ${item.path.slice(0, 60)}${item.cookie ? ' (after a vote)' : ''}`;
        if (item.status !== null && resp.status() !== item.status) {
          console.log(`FAIL: ${label}: status ${resp.status()}, wanted ${item.status}`);
          violations++;
        }
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate(() => window.axe.run(document, {
          resultTypes: ['violations'],
        }));
        checked++;
        console.log(`${result.violations.length ? 'FAIL' : 'ok'}: ${label}`);
        for (const v of result.violations) {
          violations++;
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
          console.log(`FAIL: ${label}: ${v.id} (${v.impact}): ${v.help} at ${where}`);
        }
        await page.close();
      }
      await ctx.close();
    }
  } finally {
    server.child.kill('SIGTERM');
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${checked} pages checked with axe-core ${require('axe-core/package.json').version}, ` +
    `${violations} violations`);
  return violations || checked === 0 ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
