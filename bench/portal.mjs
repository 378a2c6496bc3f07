// The customer portal on a phone over a throttled mobile connection (Lighthouse's
// "slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4×): how soon
// the sign-in page and, signed in, the list of requests and a request's page are on
// screen on a first visit with an empty cache. The portal is server-rendered HTML with
// one stylesheet and no script, so these are the whole cost.
// Needs a release build (make build) and Debian's chromium.
//   node bench/portal.mjs            (RUNS=5 by default)
import { startServer, PHONE, DEMO_PASSWORD } from '../end2end/lib.mjs';

const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throttled(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { page, cdp };
}

/// First contentful paint, the load event, and bytes over the wire for one page.
async function load(page, cdp, path, ready) {
  let bytes = 0;
  const count = (e) => { bytes += e.encodedDataLength; };
  cdp.on('Network.loadingFinished', count);
  const start = Date.now();
  await page.goto(path, { waitUntil: 'load' });
  await page.locator(ready).first().waitFor();
  const loadMs = Date.now() - start;
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  cdp.off('Network.loadingFinished', count);
  return { fcp, loadMs, bytes };
}

const env = await startServer();
try {
  // A session cookie for the demo customer, made once without throttling.
  const setup = await env.browser.newContext({ ...PHONE, locale: 'zh-CN', baseURL: env.base });
  const p = await setup.newPage();
  await p.goto('/portal/login');
  await p.locator('#login').fill('zhoumin@xixi.example.cn');
  await p.locator('#password').fill(DEMO_PASSWORD);
  await p.locator('button[type=submit]').first().click();
  await p.waitForURL(/\/portal$/);
  const cookies = await setup.cookies();
  const request = await p.getByTestId('portal-request-link').first().getAttribute('href');
  await setup.close();

  const pages = [
    ['sign-in page', '/portal/login', 'form', false],
    ['my requests', '/portal', '[data-testid="portal-request-link"]', true],
    ['a request', request, '[data-testid="portal-request-subject"]', true],
  ];
  const rows = Object.fromEntries(pages.map(([name]) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, path, ready, signedIn] of pages) {
      const context = await env.browser.newContext({ ...PHONE, locale: 'zh-CN', baseURL: env.base });
      if (signedIn) await context.addCookies(cookies);
      const { page, cdp } = await throttled(context);
      rows[name].push(await load(page, cdp, path, ready));
      await context.close();
    }
  }
  console.log(`/portal on a 390×844 phone, slow 4G and 4× CPU, empty cache, median of ${RUNS}`);
  console.log('page                 FCP ms   loaded ms   KB over the wire');
  for (const [name] of pages) {
    const r = rows[name];
    console.log(`${name.padEnd(18)} ${String(Math.round(median(r.map((x) => x.fcp)))).padStart(8)} ${String(median(r.map((x) => x.loadMs))).padStart(11)} ${(median(r.map((x) => x.bytes)) / 1024).toFixed(1).padStart(18)}`);
  }
} finally {
  await env.stop();
}
