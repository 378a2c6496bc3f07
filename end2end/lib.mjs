// Shared harness: start the real server on a free port against a fresh SQLite
// database with demo data, and drive Debian's chromium through playwright-core.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import zlib from 'node:zlib';

export const ADMIN_PASSWORD = 'admin-pass-2026';
export const DEMO_PASSWORD = 'demo-pass-2026';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startServer(extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'crm', 'target');
  const bin = process.env.CRM_BIN || join(target, 'release', 'crm');
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      CRM_DATA_DIR: dataDir,
      CRM_BIND: `127.0.0.1:${port}`,
      CRM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DEMO: '1',
      DATABASE_URL: '',
      RUST_LOG: process.env.RUST_LOG || 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (d) => {
      output += d.toString();
      if (output.includes('CRM listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    base: `http://127.0.0.1:${port}`,
    browser,
    async stop() {
      await browser.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
export const TABLET = { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/// A browser context in zh-CN (the default language) with the given device.
export async function newPage(env, device = DESKTOP, locale = 'zh-CN') {
  const context = await env.browser.newContext({ ...device, locale, baseURL: env.base });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  return page;
}

export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

/// Goes to `path` and waits until the page is interactive.
export async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

/// Whether the page fits the viewport's width (no sideways scrolling).
export const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

export async function signIn(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await hydrated(page);
}

/// The service agent (signed in on `agent`) raises a free work order on the demo repair
/// and dispatches the demo engineer 陈杰 today (in the company's zone, UTC+8) at `hm`
/// for 90 minutes. Returns its number and path.
export async function dispatchToday(agent, hm, instructions, { chargeable = false } = {}) {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  await open(agent, '/service');
  await agent.getByTestId('service-row').filter({ hasText: '主轴高速运转时异响' }).getByRole('link').click();
  await agent.waitForURL(/\/service\/\d+$/);
  await hydrated(agent);
  await agent.getByTestId('work-new').click();
  await agent.waitForURL(/\/work-orders\/new\?request=\d+/);
  await hydrated(agent);
  await agent.getByTestId('work-address').fill('北京市海淀区中关村大街 27 号');
  await agent.getByTestId('work-instructions').fill(instructions);
  if (chargeable) {
    // A charged visit, agreed by the customer on the phone before dispatch.
    await agent.getByTestId('work-chargeable').check();
    await agent.getByTestId('work-add-line').click();
    await agent.getByTestId('work-line-product').first().selectOption({ label: '服务 · 上门安装调试' });
    await agent.getByTestId('work-line-qty').first().fill('1');
  }
  await agent.getByTestId('work-save').click();
  await agent.waitForURL(/\/work-orders\/\d+$/);
  await hydrated(agent);
  const number = (await agent.locator('h1').innerText()).split(' · ')[0].trim();
  if (chargeable) {
    await agent.getByTestId('work-confirm-by').fill('王主任');
    await agent.getByTestId('work-confirm-save').click();
    await agent.getByText('王主任（电话）').waitFor();
  }
  await agent.getByTestId('work-dispatch-engineer').selectOption({ label: '陈杰 · 北京 · 数控机床, 电气' });
  await agent.getByTestId('work-dispatch-start').fill(`${today}T${hm}`);
  await agent.getByTestId('work-dispatch-minutes').fill('90');
  await agent.getByTestId('work-dispatch-save').click();
  await agent.locator('[data-testid="work-status"][data-status="dispatched"]').waitFor();
  return { number, url: new URL(agent.url()).pathname };
}

// The characters a PDF's fonts map to Unicode (their ToUnicode CMaps, inflated): the
// text a reader can copy or search. Proves Chinese is real text, not missing glyphs.
export function pdfCharacters(buf) {
  const chars = new Set();
  const bin = buf.toString('latin1');
  const streamRe = /stream\r?\n/g;
  let m;
  while ((m = streamRe.exec(bin))) {
    const start = m.index + m[0].length;
    const end = bin.indexOf('endstream', start);
    if (end < 0) break;
    let text;
    try {
      text = zlib.inflateSync(buf.subarray(start, end)).toString('latin1');
    } catch {
      text = bin.slice(start, end);
    }
    if (!text.includes('begincmap')) continue;
    const utf16 = (hex) => String.fromCharCode(...hex.match(/..../g).map((h) => parseInt(h, 16)));
    for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, , dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        for (const c of utf16(dst)) chars.add(c);
      }
    }
    for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const [, lo, hi, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const first = parseInt(dst, 16);
        for (let i = 0; i <= parseInt(hi, 16) - parseInt(lo, 16); i++) chars.add(String.fromCharCode(first + i));
      }
    }
    streamRe.lastIndex = end;
  }
  return chars;
}
