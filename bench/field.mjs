// The engineer's tablet: how soon today's jobs show on a first visit over a throttled
// mobile connection (Lighthouse's "slow 4G" figures: 150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up, and a CPU slowed 4×), again once the service worker keeps the page, and
// without a network; then how long 200 changes queued offline take to reach the server.
// Needs a release build (make build) and Debian's chromium.
//   node bench/field.mjs            (RUNS=5 by default)
import { startServer, newPage, signIn, hydrated, dispatchToday, DESKTOP, TABLET } from '../end2end/lib.mjs';

const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

/// Milliseconds from navigation until the first contentful paint, until hydration and
/// until the first job card is on screen; bytes over the wire.
async function load(page, cdp, path) {
  let bytes = 0;
  const count = (e) => { bytes += e.encodedDataLength; };
  cdp.on('Network.loadingFinished', count);
  const start = Date.now();
  await page.goto(path, { waitUntil: 'commit' });
  // The jobs may show before the page is hydrated (the server renders them): time each.
  const [jobsMs, hydratedMs] = await Promise.all([
    page.getByTestId('field-job').first().waitFor({ timeout: 120_000 }).then(() => Date.now() - start),
    hydrated(page).then(() => Date.now() - start),
  ]);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  cdp.off('Network.loadingFinished', count);
  return { fcp, hydratedMs, jobsMs, bytes };
}

const env = await startServer();
try {
  const agent = await newPage(env, DESKTOP);
  await signIn(agent, 'liuyang');
  await dispatchToday(agent, '01:00', 'bench');
  const login = await newPage(env, TABLET);
  await signIn(login, 'chenjie');
  const cookies = await login.context().cookies();

  const rows = { cold: [], warm: [], offline: [] };
  for (let i = 0; i < RUNS; i++) {
    const context = await env.browser.newContext({ ...TABLET, locale: 'zh-CN', baseURL: env.base });
    await context.addCookies(cookies);
    const page = await context.newPage();
    const cdp = await throttle(page);
    rows.cold.push(await load(page, cdp, '/field'));
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 120_000 });
    rows.warm.push(await load(page, cdp, '/field'));
    await context.setOffline(true);
    rows.offline.push(await load(page, cdp, '/field'));
    await context.close();
  }
  console.log(`/field on a 768×1024 tablet, slow 4G and 4× CPU, median of ${RUNS}`);
  console.log('visit                       FCP ms   hydrated ms   jobs shown ms   KB over the wire');
  for (const [name, label] of [['cold', 'first (empty cache)'], ['warm', 'again (service worker)'], ['offline', 'offline']]) {
    const r = rows[name];
    console.log(`${label.padEnd(26)} ${String(Math.round(median(r.map((x) => x.fcp)))).padStart(7)} ${String(median(r.map((x) => x.hydratedMs))).padStart(13)} ${String(median(r.map((x) => x.jobsMs))).padStart(15)} ${(median(r.map((x) => x.bytes)) / 1024).toFixed(0).padStart(18)}`);
  }

  // 200 notes queued offline, then the network returns (no throttling: the server's cost).
  const times = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const page = await newPage(env, TABLET);
    await page.context().addCookies(cookies);
    await page.goto('/field');
    await hydrated(page);
    await page.getByTestId('field-job').first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
    const id = Number(new URL(await page.getByTestId('field-job').first().getAttribute('href'), env.base).searchParams.get('job'));
    await page.context().setOffline(true);
    await page.evaluate(({ id, run }) => {
      const key = Object.keys(localStorage).find((k) => k.endsWith('.kit')).replace(/kit$/, 'queue');
      const queue = Array.from({ length: 200 }, (_, n) => ({ key: `bench-${run}-${n}-${crypto.randomUUID()}`, work_order_id: id, at: Date.now(), op: 'note', text: `记录 ${n}` }));
      localStorage.setItem(key, JSON.stringify(queue));
    }, { id, run: i });
    await page.reload();
    await hydrated(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="field-pending"]')?.dataset.count === '200');
    const start = Date.now();
    await page.context().setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid="field-pending"]')?.dataset.count === '0', null, { timeout: 300_000 });
    times.push(Date.now() - start);
    await page.context().close();
  }
  const ms = median(times);
  console.log(`sync of 200 queued changes: median ${ms} ms (${(200_000 / ms).toFixed(0)} changes/s), runs ${times.join(', ')} ms`);
} finally {
  await env.stop();
}
