// Work orders and dispatch, end to end: the service agent raises a chargeable work order
// from the demo repair (a line without an item is explained next to it), records the
// customer's agreement to the charges, dispatches the engineer; a second work order
// dispatched on the board into the same time is refused with the first one named, and
// goes in once moved. The engineer finds his job on a tablet, and the board fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
// Tomorrow in the company's zone (China, UTC+8).
const day = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);

test('a work order is priced, confirmed by the customer and dispatched without double-booking', async () => {
  const agent = await newPage(env, DESKTOP);
  await signIn(agent, 'liuyang');
  await open(agent, '/service');
  await agent.getByTestId('service-row').filter({ hasText: '主轴高速运转时异响' }).getByRole('link').click();
  await agent.waitForURL(/\/service\/\d+$/);
  await hydrated(agent);
  const requestUrl = agent.url();
  await agent.getByTestId('work-new').click();
  await agent.waitForURL(/\/work-orders\/new\?request=\d+/);
  await hydrated(agent);

  // A line without an item is refused next to it.
  await agent.getByTestId('work-skill').fill('数控机床');
  await agent.getByTestId('work-chargeable').check();
  await agent.getByTestId('work-add-line').click();
  await agent.getByTestId('work-save').click();
  await agent.getByTestId('work-line').first().getByText('必填').waitFor();
  const lines = agent.getByTestId('work-line');
  await lines.nth(0).getByTestId('work-line-product').selectOption({ label: '服务 · 上门安装调试' });
  await lines.nth(0).getByTestId('work-line-qty').fill('2');
  await agent.getByTestId('work-add-line').click();
  await lines.nth(1).getByTestId('work-line-product').selectOption({ label: '产品 · 扫码枪 S1' });
  await agent.getByTestId('work-save').click();
  await agent.waitForURL(/\/work-orders\/\d+$/);
  await hydrated(agent);
  const first = (await agent.locator('h1').innerText()).split(' · ')[0].trim();
  assert.match(first, /^WO\d{8}-?\d+/);
  await agent.locator('[data-testid="work-status"][data-status="new"]').waitFor();
  await agent.getByTestId('work-needs-confirmation').waitFor();
  // 2 × 800.00 + 268.00, in the base currency.
  assert.match(await agent.getByTestId('work-total').innerText(), /1,868\.00/);

  // Dispatch waits for the customer's agreement.
  await agent.getByTestId('work-dispatch-engineer').selectOption({ label: '✓ 陈杰 · 北京 · 数控机床, 电气' });
  await agent.getByTestId('work-dispatch-start').fill(`${day}T09:00`);
  await agent.getByTestId('work-dispatch-minutes').fill('120');
  await agent.getByTestId('work-dispatch-save').click();
  await agent.getByText('收费派工单须先经客户确认费用').waitFor();
  await agent.getByTestId('work-confirm-save').click();
  await agent.getByTestId('work-confirm').getByText('必填').waitFor();
  await agent.getByTestId('work-confirm-by').fill('王经理');
  await agent.getByTestId('work-confirm-via').selectOption('signature');
  await agent.getByTestId('work-confirm-save').click();
  await agent.getByText('王经理（签字）').waitFor();
  await agent.getByTestId('work-dispatch-engineer').selectOption({ label: '✓ 陈杰 · 北京 · 数控机床, 电气' });
  await agent.getByTestId('work-dispatch-start').fill(`${day}T09:00`);
  await agent.getByTestId('work-dispatch-minutes').fill('120');
  await agent.getByTestId('work-dispatch-save').click();
  await agent.locator('[data-testid="work-status"][data-status="dispatched"]').waitFor();
  await agent.getByText(`${day} 09:00 – 11:00`).waitFor();
  const firstUrl = agent.url();

  // A second, free work order from the request.
  await open(agent, requestUrl);
  await agent.getByTestId('request-work-orders').getByText(first).waitFor();
  await agent.getByTestId('work-new').click();
  await agent.waitForURL(/\/work-orders\/new/);
  await hydrated(agent);
  await agent.getByTestId('work-instructions').fill('复查主轴温升');
  await agent.getByTestId('work-save').click();
  await agent.waitForURL(/\/work-orders\/\d+$/);
  await hydrated(agent);
  const second = (await agent.locator('h1').innerText()).split(' · ')[0].trim();

  // On the board: into the engineer's 09:00–11:00 is refused, naming the first job.
  await open(agent, `/dispatch?day=${day}`);
  const waiting = agent.getByTestId('board-waiting-order').filter({ hasText: second });
  await waiting.getByTestId('board-dispatch-open').click();
  // No skill asked for: no engineer is marked.
  await waiting.getByTestId('work-dispatch-engineer').selectOption({ label: '陈杰 · 北京 · 数控机床, 电气' });
  await waiting.getByTestId('work-dispatch-start').fill(`${day}T10:00`);
  await waiting.getByTestId('work-dispatch-minutes').fill('60');
  await waiting.getByTestId('work-dispatch-save').click();
  const clash = waiting.getByTestId('work-clash');
  await clash.waitFor();
  assert.ok((await clash.innerText()).includes(`已有派工单 ${first}`), await clash.innerText());
  await waiting.getByTestId('work-dispatch-start').fill(`${day}T11:00`);
  await waiting.getByTestId('work-dispatch-save').click();
  const row = agent.locator('[data-engineer="陈杰"]');
  await row.getByTestId('board-booking').filter({ hasText: second }).waitFor();
  assert.equal(await row.getByTestId('board-booking').count(), 2);
  await agent.getByTestId('board-waiting').getByText('没有待派工的工单').waitFor();
  // The skill filter keeps the engineer who has it.
  await agent.getByTestId('board-skill').selectOption('数控机床');
  assert.ok(await row.isVisible());
  assert.deepEqual(agent.errors, []);

  // The engineer on a tablet: his job, without dispatch controls.
  const engineer = await newPage(env, TABLET);
  await signIn(engineer, 'chenjie');
  await open(engineer, new URL(firstUrl).pathname);
  await engineer.locator('[data-testid="work-status"][data-status="dispatched"]').waitFor();
  await engineer.getByText('王经理（签字）').waitFor();
  assert.equal(await engineer.getByTestId('work-dispatch').count(), 0);
  assert.ok(await noSideScroll(engineer));
  assert.deepEqual(engineer.errors, []);

  // Service statistics: this month's figures, and another period in one tap.
  await open(agent, '/service/stats');
  assert.match(await agent.getByTestId('stats-total').innerText(), /^\d+$/);
  // The menu marks this page only, not the service requests above it.
  const marked = await agent.locator('nav[aria-label] a[aria-current="page"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(marked, ['/service/stats']);
  await agent.getByTestId('stats-sla').waitFor();
  await agent.getByTestId('stats-period-year').click();
  await agent.waitForURL(/period=year/);
  await agent.locator('[data-testid="stats-period-year"][aria-pressed="true"]').waitFor();
  assert.ok(Number(await agent.getByTestId('stats-total').innerText()) >= 1);
  assert.deepEqual(agent.errors, []);

  // The board on a phone scrolls inside its frame, not the page.
  const phone = await newPage(env, PHONE);
  await signIn(phone, 'liuyang');
  await open(phone, `/dispatch?day=${day}`);
  await phone.locator('[data-engineer="陈杰"]').getByTestId('board-booking').first().waitFor();
  assert.ok(await noSideScroll(phone));
  assert.deepEqual(phone.errors, []);
});
