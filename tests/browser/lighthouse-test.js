// lighthouse-test: Lighthouse (npm lighthouse, pinned in lighthouse/package-lock.json) with
// Debian's chromium on /, /ports/1776 and /pl/ports/1776, mobile and desktop.
//
//   node lighthouse-test.js PORTINFO OUTDIR
//
// Starts `PORTINFO serve --base-url` on a free loopback port and runs the lighthouse command for
// each page and form factor, keeping the JSON reports in OUTDIR.  Accessibility, best practices
// and SEO must score 100.  Performance is timing on a shared machine, so its score is printed,
// not asserted; asserted are its audits that are not timing metrics: every audit of the
// category with a score (binary, numeric or metric savings) outside the metrics group must pass,
// and of the metrics, Cumulative Layout Shift, which depends on the page, not on the machine
// (TIMED lists the few diagnostics that are measured times too).
// Exits 0 when all is well, 1 on a failure, 77 when chromium or lighthouse cannot run (1 under
// CI).
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const CHROMIUM = process.env.PORTINFO_CHROMIUM || '/usr/bin/chromium';
const LIGHTHOUSE = path.join(__dirname, 'lighthouse', 'node_modules', '.bin', 'lighthouse');
const MUST_RUN = process.env.CI === 'true' || process.env.PORTINFO_REQUIRE_BROWSER === '1';
const PAGES = ['/', '/ports/1776', '/pl/ports/1776'];
const EXACT = ['accessibility', 'best-practices', 'seo'];
// Performance audits outside the metrics group that are measured times, not properties of the
// page: reported, never asserted.
const TIMED = ['max-potential-fid', 'mainthread-work-breakdown', 'bootup-time',
  'server-response-time', 'first-meaningful-paint', 'interactive'];

const [portinfo, outdir] = process.argv.slice(2);
if (!portinfo || !outdir) {
  console.error('usage: node lighthouse-test.js PORTINFO OUTDIR');
  process.exit(2);
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(dbPath) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(portinfo, ['serve', '--listen', `127.0.0.1:${port}`, '--feedback', dbPath,
      '--base-url', base, '--no-access-log'], { stdio: ['ignore', 'ignore', 'pipe'] });
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
  }
  throw new Error('the server would not start');
}

// The failures of one report, and a line of its scores.
function judge(lhr, label) {
  const fails = [];
  const scores = {};
  for (const [id, cat] of Object.entries(lhr.categories)) {
    scores[id] = cat.score === null ? 'n/a' : Math.round(cat.score * 100);
    const refs = cat.auditRefs.filter((r) => {
      if (EXACT.includes(id)) return r.weight > 0;
      if (r.group === 'metrics') return r.id === 'cumulative-layout-shift';
      return !TIMED.includes(r.id);
    });
    for (const ref of refs) {
      const a = lhr.audits[ref.id];
      if (!['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode)) continue;
      if (a.score !== null && a.score < 1) {
        fails.push(`${label}: ${id}: ${ref.id} scores ${a.score}: ${a.title}` +
          (a.displayValue ? ` (${a.displayValue})` : ''));
      }
    }
    if (EXACT.includes(id) && cat.score !== 1) {
      fails.push(`${label}: ${id} scores ${scores[id]}, not 100`);
    }
  }
  if (lhr.runtimeError) fails.push(`${label}: ${lhr.runtimeError.message}`);
  return { fails, scores };
}

async function main() {
  fs.mkdirSync(outdir, { recursive: true });
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIP: ${CHROMIUM} is not installed`);
    return MUST_RUN ? 1 : 77;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portinfo-lighthouse-'));
  const server = await startServer(path.join(tmp, 'votes.db'));
  let failures = 0;
  try {
    for (const preset of ['mobile', 'desktop']) {
      for (const p of PAGES) {
        const label = `${preset} ${p}`;
        const out = path.join(outdir, `${preset}${p.replace(/\//g, '_')}.json`);
        const args = [server.base + p, '--output=json', `--output-path=${out}`, '--quiet',
          '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
          '--only-categories=performance,accessibility,best-practices,seo'];
        if (preset === 'desktop') args.push('--preset=desktop');
        const run = spawnSync(LIGHTHOUSE, args, {
          env: { ...process.env, CHROME_PATH: CHROMIUM }, encoding: 'utf8', timeout: 300000,
        });
        if (run.status !== 0 || !fs.existsSync(out)) {
          console.log(`FAIL: ${label}: lighthouse exited ${run.status}: ` +
            `${(run.stderr || '').slice(-800)}`);
          failures++;
          continue;
        }
        const { fails, scores } = judge(JSON.parse(fs.readFileSync(out, 'utf8')), label);
        console.log(`${label}: ${JSON.stringify(scores)}`);
        for (const f of fails) console.log(`FAIL: ${f}`);
        failures += fails.length;
      }
    }
  } finally {
    server.child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${failures} failure(s)`);
  return failures ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
