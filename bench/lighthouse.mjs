// Lighthouse's own mobile performance score for the engineer's job list (/field) and the
// customer portal, first visit with an empty cache, Lighthouse's default mobile settings
// (simulated slow 4G, CPU slowed 4×). Lighthouse is not a dependency of the project: the
// first run installs it from the npm registry into a cache directory outside the clone
// (LIGHTHOUSE_DIR, default ~/.cache/crm/lighthouse) and drives Debian's chromium with it.
// Needs a release build (make build).
//   node bench/lighthouse.mjs            (RUNS=3 by default)
import { startServer, newPage, signIn, dispatchToday, DEMO_PASSWORD, DESKTOP, TABLET } from '../end2end/lib.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS || 3);
const VERSION = '12.8.2';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = process.env.LIGHTHOUSE_DIR || join(homedir(), '.cache', 'crm', 'lighthouse');
const cli = join(dir, 'node_modules', '.bin', 'lighthouse');
if (!existsSync(cli)) {
  execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `lighthouse@${VERSION}`], { stdio: 'inherit' });
}

/// One Lighthouse run of `url`, signed in with `cookies`; the audits that make the score.
function lighthouse(url, cookies) {
  const out = mkdtempSync(join(tmpdir(), 'crm-lh-'));
  try {
    const headers = cookies.length ? JSON.stringify({ Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') }) : '{}';
    execFileSync(cli, [url, '--quiet', '--only-categories=performance', '--output=json', `--output-path=${join(out, 'r.json')}`,
      `--extra-headers=${headers}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu'],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const r = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    const a = (id) => r.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round(r.categories.performance.score * 100),
      fcp: a('first-contentful-paint'), lcp: a('largest-contentful-paint'), tbt: a('total-blocking-time'),
      cls: a('cumulative-layout-shift'), si: a('speed-index'),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const env = await startServer();
try {
  const agent = await newPage(env, DESKTOP);
  await signIn(agent, 'liuyang');
  await dispatchToday(agent, '01:00', 'bench');
  const tablet = await newPage(env, TABLET);
  await signIn(tablet, 'chenjie');
  const engineer = await tablet.context().cookies();
  const portal = await newPage(env, TABLET);
  await portal.goto('/portal/login');
  await portal.locator('#login').fill('zhoumin@xixi.example.cn');
  await portal.locator('#password').fill(DEMO_PASSWORD);
  await portal.locator('button[type=submit]').first().click();
  await portal.waitForURL(/\/portal$/);
  const customer = await portal.context().cookies();

  const pages = [
    ['engineer: /field', '/field', engineer],
    ['customer: /portal', '/portal', customer],
    ['customer: /portal/login', '/portal/login', []],
  ];
  console.log(`Lighthouse ${VERSION}, mobile, first visit; median of ${RUNS}`);
  console.log('page                          score   FCP ms   LCP ms   TBT ms   CLS     SI ms');
  for (const [label, path, cookies] of pages) {
    const rows = [];
    for (let i = 0; i < RUNS; i++) rows.push(lighthouse(env.base + path, cookies));
    const m = (k) => median(rows.map((r) => r[k]));
    console.log(`${label.padEnd(28)} ${String(m('score')).padStart(6)} ${String(Math.round(m('fcp'))).padStart(8)} ${String(Math.round(m('lcp'))).padStart(8)} ${String(Math.round(m('tbt'))).padStart(8)} ${m('cls').toFixed(3).padStart(7)} ${String(Math.round(m('si'))).padStart(8)}`);
    console.log(`  scores: ${rows.map((r) => r.score).join(', ')}`);
  }
} finally {
  await env.stop();
}
