// The engineer's tablet, end to end, on a 768×1024 touch screen: the service agent
// dispatches the demo repair to 陈杰 for today; 陈杰 opens today's jobs, checks in, and
// the network drops. Offline he adds a note, a part from stock, labour, a photo (made
// by the camera input, compressed on the device), the customer's signature drawn on
// screen and completes the job; the page even survives a reload without a network. Back
// online, everything is sent, and the office finds each change on the work order exactly
// once. A change the office made moot while he was offline is shown, not lost. The page
// also fits a phone, in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, newPage, signIn, hydrated, open, noSideScroll, dispatchToday, pdfCharacters, DEMO_PASSWORD, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function pending(page) {
  return Number(await page.getByTestId('field-pending').getAttribute('data-count'));
}

test('a job is completed offline on a tablet and reaches the office exactly once', async () => {
  const agent = await newPage(env, DESKTOP);
  await signIn(agent, 'liuyang');
  const job = await dispatchToday(agent, '00:30', '带上扫码枪备件', { chargeable: true });
  const moot = await dispatchToday(agent, '03:00', '复查');

  const tablet = await newPage(env, TABLET);
  await signIn(tablet, 'chenjie');
  // Engineers find today's jobs in the menu.
  assert.ok(await tablet.locator('a[href="/field"]').count() >= 1);
  await open(tablet, '/field');
  await tablet.getByTestId('field-job').first().waitFor();
  const numbers = await tablet.getByTestId('field-job').evaluateAll((els) => els.map((e) => e.dataset.number));
  assert.deepEqual(numbers, [job.number, moot.number], 'in planned order');
  // The server renders the day into the page, so the jobs show before the bundle runs.
  const served = await (await tablet.request.get('/field')).text();
  assert.ok(served.includes(job.number) && served.includes(moot.number), 'jobs in the server-rendered page');
  // The service worker now keeps the page for offline use.
  await tablet.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
  // A photo as the camera would give it (made now, while there is a network).
  const photo = Buffer.from(await tablet.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 2400; c.height = 1800;
    const g = c.getContext('2d');
    g.fillStyle = '#3b82f6'; g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = '#f59e0b'; g.fillRect(300, 300, 900, 600);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1];
  }), 'base64');

  await tablet.getByTestId('field-job').filter({ hasText: job.number }).tap();
  await tablet.waitForURL(/\/field\?job=\d+/);
  await tablet.getByTestId('field-job-view').waitFor();
  await tablet.getByText('带上扫码枪备件').waitFor();
  assert.match(await tablet.getByTestId('field-map').getAttribute('href'), /^https:\/\/uri\.amap\.com\/search\?keyword=/);
  await tablet.getByTestId('field-check-in').tap();
  await tablet.getByTestId('field-check-out').waitFor();
  await tablet.waitForFunction(() => document.querySelector('[data-testid="field-pending"]')?.dataset.count === '0');

  // The network drops.
  await tablet.context().setOffline(true);
  await tablet.locator('[data-testid="field-network"][data-online="false"]').waitFor();
  // An empty note is refused next to the field; nothing is queued.
  await tablet.getByTestId('field-note-add').tap();
  await tablet.getByTestId('field-error-note').waitFor();
  assert.equal(await pending(tablet), 0);
  await tablet.getByTestId('field-note-input').fill('更换扫码枪，测试扫码正常');
  await tablet.getByTestId('field-note-add').tap();
  await tablet.getByTestId('field-note').filter({ hasText: '更换扫码枪，测试扫码正常' }).waitFor();
  await tablet.getByTestId('field-part-product').selectOption({ label: '扫码枪 S1' });
  await tablet.getByTestId('field-part-qty').fill('1');
  await tablet.getByTestId('field-part-add').tap();
  await tablet.getByTestId('field-part').filter({ hasText: '扫码枪 S1' }).waitFor();
  await tablet.getByTestId('field-labour').fill('45');
  await tablet.getByTestId('field-labour-save').tap();
  await tablet.getByTestId('field-photo-input').setInputFiles({ name: 'site.jpg', mimeType: 'image/jpeg', buffer: photo });
  await tablet.locator('[data-testid="field-photo"][data-pending="true"]').waitFor();
  // The photo was scaled down before it was queued.
  const queued = await tablet.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith('.queue'));
    const photo = JSON.parse(localStorage.getItem(key)).find((c) => c.op === 'photo');
    return photo.data.length * 3 / 4;
  });
  assert.ok(queued < photo.length, `compressed ${queued} < ${photo.length}`);

  // The customer signs with a finger (pointer events drawn on the pad).
  await tablet.getByTestId('field-signature-save').tap();
  await tablet.getByTestId('field-error-signature').waitFor();
  await tablet.getByTestId('field-signer').fill('王主任');
  const pad = await tablet.getByTestId('field-signature-pad').boundingBox();
  await tablet.mouse.move(pad.x + 40, pad.y + pad.height / 2);
  await tablet.mouse.down();
  for (let i = 1; i <= 10; i++) await tablet.mouse.move(pad.x + 40 + i * 30, pad.y + pad.height / 2 + (i % 2 ? 25 : -25));
  await tablet.mouse.up();
  await tablet.getByTestId('field-signature-save').tap();
  await tablet.getByTestId('field-signed-by').filter({ hasText: '王主任' }).waitFor();
  assert.equal(await pending(tablet), 5);

  // Still offline, the page comes back after a reload with the work kept.
  await tablet.reload();
  await hydrated(tablet);
  await tablet.getByTestId('field-job-view').waitFor();
  await tablet.getByTestId('field-note').filter({ hasText: '更换扫码枪，测试扫码正常' }).waitFor();
  assert.equal(await pending(tablet), 5);
  await tablet.getByTestId('field-resolution').fill('更换扫码枪 S1，恢复正常');
  await tablet.getByTestId('field-complete').tap();
  await tablet.getByTestId('field-completed').waitFor();
  assert.equal(await pending(tablet), 6);

  // Meanwhile the office cancels the second job; offline, the engineer notes on it.
  await open(agent, moot.url);
  await agent.locator('summary').filter({ hasText: '取消此派工单' }).click();
  await agent.getByTestId('work-cancel-reason').fill('客户改期');
  await agent.getByTestId('work-cancel-save').click();
  await agent.locator('[data-testid="work-status"][data-status="cancelled"]').waitFor();
  await tablet.getByTestId('field-back').tap();
  await tablet.getByTestId('field-job').filter({ hasText: moot.number }).tap();
  await tablet.getByTestId('field-note-input').fill('已出发');
  await tablet.getByTestId('field-note-add').tap();
  assert.equal(await pending(tablet), 7);

  // Back online: everything is sent, in order, and the refusal is shown.
  await tablet.context().setOffline(false);
  await tablet.waitForFunction(() => document.querySelector('[data-testid="field-pending"]')?.dataset.count === '0', null, { timeout: 30_000 });
  await tablet.getByTestId('field-refusal').filter({ hasText: '已出发' }).getByTestId('field-refusal-reason').filter({ hasText: '办公室已取消此工单' }).waitFor();
  assert.ok(await noSideScroll(tablet));
  assert.deepEqual(tablet.errors, []);
  // Signing out takes the day's jobs (customers' addresses and phones) off the device;
  // nothing is waiting to be sent, so nothing stays.
  assert.ok(await tablet.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('crm.field.'))));
  await tablet.getByRole('button', { name: '退出登录' }).tap();
  await tablet.waitForURL(/\/login/);
  assert.deepEqual(await tablet.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('crm.field.'))), []);
  // The page the service worker kept held the day too; it is gone.
  assert.equal(await tablet.evaluate(async () => (await caches.match('/field')) === undefined), true);

  // The office sees each change once.
  await open(agent, job.url);
  await agent.locator('[data-testid="work-status"][data-status="completed"]').waitFor();
  const site = agent.getByTestId('work-site');
  await site.getByText('更换扫码枪 S1，恢复正常').waitFor();
  assert.equal(await site.getByTestId('work-site-note').count(), 1);
  assert.equal(await site.getByTestId('work-site-photo').count(), 1);
  assert.equal(await site.getByTestId('work-parts').locator('li').count(), 1);
  await site.getByText('45 分钟').waitFor();
  await site.getByText('王主任').waitFor();
  await site.getByTestId('work-signature').waitFor();
  // The photo and the signature are real images on the server.
  const photoHref = await site.getByTestId('work-site-photo').locator('a').getAttribute('href');
  const res = await agent.request.get(photoHref);
  assert.equal(res.headers()['content-type'], 'image/jpeg');
  // The office sees the refused note on the cancelled job.
  await open(agent, moot.url);
  await agent.getByTestId('work-site-refused').getByText('已出发').waitFor();

  // The office bills the job (V6): the agreed visit, the part used and 45 minutes of
  // labour at the customer's prices, posted to receivables once.
  await open(agent, job.url);
  const form = agent.getByTestId('bill-form');
  await form.waitFor();
  const kinds = await form.getByTestId('bill-line').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
  assert.deepEqual(kinds, ['item', 'part', 'labour']);
  await form.getByTestId('bill-line').filter({ hasText: '现场维修工时' }).getByText('0.75 小时').waitFor();
  // 800.00 + 268.00 + 0.75 h × 200.00
  assert.match(await form.getByTestId('bill-total').innerText(), /1,218\.00/);
  await form.getByTestId('bill-due-days').fill('400');
  await form.getByTestId('bill-post').click();
  await form.getByTestId('bill-error-due_days').getByText('请输入 0 到 365 天').waitFor();
  await form.getByTestId('bill-due-days').fill('15');
  await form.getByTestId('bill-note').fill('现场维修，月结');
  await form.getByTestId('bill-post').click();
  const bill = agent.locator('[data-testid="work-bill"][data-state="open"]');
  await bill.waitFor();
  assert.match(await bill.innerText(), /1,218\.00/);
  assert.equal(await agent.getByTestId('bill-form').count(), 0, 'billed once');
  const billNumber = (await bill.locator('.font-mono').innerText()).trim();
  assert.match(billNumber, /^SB\d{8}/);
  assert.deepEqual(agent.errors, []);

  // The customer's account manager finds it in receivables and collects it.
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await open(lina, '/receivables');
  await lina.getByText('杭州西溪数字营销策划有限公司').first().waitFor();
  await open(lina, '/contracts');
  await lina.getByTestId('contract-row').filter({ hasText: billNumber }).getByRole('link', { name: billNumber }).click();
  await lina.waitForURL(/\/contracts\/\d+$/);
  await hydrated(lina);
  await lina.getByTestId('contract-kind-service').waitFor();
  assert.equal(await lina.getByTestId('contract-bill').getByTestId('bill-line').count(), 3);
  assert.equal(await lina.getByTestId('contract-edit').count(), 0, 'a bill is not edited by hand');
  assert.equal(await lina.getByTestId('contract-work-order').innerText(), job.number);
  await lina.getByText(`服务费 ${job.number}`).first().waitFor();
  assert.match(await lina.getByTestId('figure-outstanding').innerText(), /1,218\.00/);
  // The bill printed for the customer: its lines, the total in capitals.
  const [download] = await Promise.all([lina.waitForEvent('download'), lina.getByTestId('bill-pdf').click()]);
  assert.equal(download.suggestedFilename(), `${billNumber}.pdf`);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const chars = pdfCharacters(pdf);
  for (const text of ['服务结算单', '杭州西溪数字营销策划有限公司', '现场维修工时', '用料', '壹仟贰佰壹拾捌元整', '更换扫码枪']) {
    assert.deepEqual([...text].filter((c) => !chars.has(c)), [], `not in the PDF's text: ${text}`);
  }
  // The customer finds the bill on the request in the portal, on a phone, and prints it.
  const customer = await newPage(env, PHONE);
  await customer.goto('/portal/login');
  await customer.locator('#login').fill('zhoumin@xixi.example.cn');
  await customer.locator('#password').fill(DEMO_PASSWORD);
  await customer.locator('button[type=submit]').first().tap();
  await customer.waitForURL(/\/portal$/);
  await customer.getByTestId('portal-request-link').filter({ hasText: '主轴高速运转时异响' }).tap();
  const portalBill = customer.locator('[data-testid="portal-bill"][data-state="open"]').filter({ hasText: billNumber });
  await portalBill.waitFor();
  assert.match(await portalBill.innerText(), /1,218\.00/);
  const [copy] = await Promise.all([customer.waitForEvent('download'), portalBill.getByTestId('portal-bill-pdf').tap()]);
  assert.equal(copy.suggestedFilename(), `${billNumber}.pdf`);
  assert.equal((await readFile(await copy.path())).subarray(0, 5).toString(), '%PDF-');
  assert.ok(await noSideScroll(customer));
  assert.deepEqual(lina.errors, []);
});

test('today\'s jobs fit a phone, in English', async () => {
  const phone = await newPage(env, PHONE, 'en');
  await phone.goto('/login');
  await phone.locator('input[name=username]').fill('chenjie');
  await phone.locator('input[name=password]').fill('demo-pass-2026');
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.waitForURL((u) => !u.pathname.startsWith('/login'));
  await open(phone, '/field');
  await phone.getByTestId('field-status').getByText('Online').waitFor();
  await phone.getByRole('heading', { name: "Today's jobs" }).waitFor();
  assert.ok(await noSideScroll(phone));
  assert.deepEqual(phone.errors, []);
});
