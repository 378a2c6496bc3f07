// What a first visit downloads and how long it takes to become interactive: for each
// page, a fresh browser context (empty cache) with a signed-in session opens the page,
// and every JS and WASM response is counted (raw and gzip -9), with the time until the
// page is hydrated. Needs a release build (make build) and Debian's chromium.
//   node bench/first-load.mjs            (RUNS=5 by default)
import { gzipSync } from 'node:zlib';
import { startServer, newPage, signIn, hydrated, DESKTOP, PHONE } from '../end2end/lib.mjs';

const RUNS = Number(process.env.RUNS || 5);
const PAGES = ['/customers', '/opportunities', '/dashboard', '/leads', '/admin/users'];

const env = await startServer();
try {
  const login = await newPage(env, DESKTOP);
  await signIn(login, 'admin', 'admin-pass-2026');
  const cookies = await login.context().cookies();
  await login.context().close();
  console.log('page                 device   JS+WASM files   raw KB   gzip KB   hydrated ms (median of ' + RUNS + ')');
  for (const path of PAGES) {
    for (const [name, device] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const times = [];
      let files = 0, raw = 0, gz = 0;
      for (let i = 0; i < RUNS; i++) {
        const context = await env.browser.newContext({ ...device, locale: 'zh-CN', baseURL: env.base });
        await context.addCookies(cookies);
        const page = await context.newPage();
        const bodies = [];
        page.on('response', (r) => {
          const u = r.url();
          if (u.endsWith('.wasm') || u.endsWith('.js')) bodies.push(r.body().catch(() => Buffer.alloc(0)));
        });
        const start = Date.now();
        await page.goto(path);
        await hydrated(page);
        times.push(Date.now() - start);
        if (i === 0) {
          const all = await Promise.all(bodies);
          files = all.length;
          raw = all.reduce((s, b) => s + b.length, 0);
          gz = all.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0);
        }
        await context.close();
      }
      times.sort((a, b) => a - b);
      console.log(`${path.padEnd(20)} ${name.padEnd(8)} ${String(files).padStart(13)} ${(raw / 1024).toFixed(0).padStart(8)} ${(gz / 1024).toFixed(0).padStart(9)}   ${times[Math.floor(times.length / 2)]}`);
    }
  }
} finally {
  await env.stop();
}
