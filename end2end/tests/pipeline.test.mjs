// The pipeline board: drag a card with the mouse, with touch on a tablet and from the
// keyboard; totals follow, moves survive a reload, and a refused move rolls back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, TABLET, DESKTOP, PHONE } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

const column = (page, name) =>
  page.getByTestId('stage-column').filter({ has: page.getByRole('heading', { name: new RegExp(`^${name}`) }) });
const card = (scope, name) => scope.getByTestId('card').filter({ hasText: name });
const count = async (col) => Number((await col.getByTestId('stage-count').innerText()).match(/\d+/)[0]);

async function openBoard(page) {
  await page.goto('/opportunities');
  await hydrated(page);
  await page.getByTestId('board').waitFor();
}

async function mouseDrag(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + 20, a.y + 20);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 30, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + 120, { steps: 12 });
  await page.mouse.up();
}

// Chromium turns CDP touch events into pointer events of type "touch", as a finger would.
async function touchDrag(page, handle, to) {
  const client = await page.context().newCDPSession(page);
  const a = await handle.boundingBox();
  const b = await to.boundingBox();
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  // Well inside the column: near the board's edge the drag would auto-scroll the board.
  const end = { x: b.x + 60, y: b.y + 120 };
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
  for (let i = 1; i <= 12; i++) {
    const p = { x: start.x + ((end.x - start.x) * i) / 12, y: start.y + ((end.y - start.y) * i) / 12 };
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  }
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('on a desktop, a salesperson drags a card with the mouse; counts and totals follow and survive a reload', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await openBoard(page);
  const from = column(page, '初步接洽');
  const to = column(page, '需求确认');
  const before = [await count(from), await count(to)];
  await mouseDrag(page, card(from, 'ERP 升级项目'), to);
  await card(to, 'ERP 升级项目').waitFor();
  await page.getByTestId('board-status').getByText('已把“ERP 升级项目”移到“需求确认”').waitFor();
  assert.deepEqual([await count(from), await count(to)], [before[0] - 1, before[1] + 1]);
  assert.match(await to.getByTestId('stage-total').first().innerText(), /CNY/);

  await page.reload();
  await hydrated(page);
  await card(column(page, '需求确认'), 'ERP 升级项目').waitFor();
  assert.equal(await card(column(page, '初步接洽'), 'ERP 升级项目').count(), 0);
  // The opportunity's page shows the move in its stage history.
  await card(column(page, '需求确认'), 'ERP 升级项目').getByRole('link').click();
  await page.getByTestId('stage-history').getByText('从“初步接洽”到“需求确认”').waitFor();
  assert.deepEqual(page.errors, []);
});

test('a move the stage gate refuses is rolled back with the reason', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await openBoard(page);
  const from = column(page, '需求确认');
  const to = column(page, '方案报价');
  const before = await count(to);
  await mouseDrag(page, card(from, '云服务续约'), to);
  await page.getByTestId('board-status').getByText('进入“方案报价”前需要：金额、预计成交日期、客户需求').waitFor();
  await card(from, '云服务续约').waitFor();
  assert.equal(await card(to, '云服务续约').count(), 0);
  assert.equal(await count(to), before);
});

test('on a tablet, a card is dragged by touch on its handle', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'lina');
  await openBoard(page);
  const from = column(page, '初步接洽');
  const to = column(page, '需求确认');
  const item = card(from, '培训服务');
  await item.scrollIntoViewIfNeeded();
  await touchDrag(page, item.locator('[data-drag-handle]'), to);
  await card(to, '培训服务').waitFor();
  await page.reload();
  await hydrated(page);
  await card(column(page, '需求确认'), '培训服务').waitFor();
  assert.deepEqual(page.errors, []);
});

test('from the keyboard, arrow keys move the focused card and focus stays on it', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await openBoard(page);
  const item = card(column(page, '初步接洽'), '数据中台咨询');
  await item.focus();
  await page.keyboard.press('ArrowRight');
  const moved = card(column(page, '需求确认'), '数据中台咨询');
  await moved.waitFor();
  await page.getByTestId('board-status').getByText('已把“数据中台咨询”移到“需求确认”').waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent?.includes('数据中台咨询'));
  await page.keyboard.press('ArrowLeft');
  await card(column(page, '初步接洽'), '数据中台咨询').waitFor();
});

test('on a phone, the board scrolls sideways and cards move with their buttons', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  await openBoard(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page itself does not scroll sideways (${width})`);
  const item = card(column(page, '初步接洽'), '数据中台咨询');
  await item.getByRole('button', { name: '把“数据中台咨询”移到“需求确认”' }).tap();
  await card(column(page, '需求确认'), '数据中台咨询').waitFor();
  assert.deepEqual(page.errors, []);
});

test('an opportunity is created from its customer, then lost with a reason', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await page.goto(`/customers?q=${encodeURIComponent('北京天度网络科技有限公司')}`);
  await hydrated(page);
  await page.getByRole('link', { name: '北京天度网络科技有限公司' }).first().click();
  await hydrated(page);
  const section = page.getByTestId('customer-opportunities');
  await section.getByText('ERP 升级项目').waitFor();
  await section.getByRole('link', { name: '新建商机' }).click();
  await hydrated(page);
  await page.getByTestId('picked-customer').getByText('北京天度网络科技有限公司').waitFor();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('必填').first().waitFor();
  await page.getByLabel('商机名称').fill('门禁系统改造');
  await page.getByLabel('金额').fill('88,000');
  await page.getByLabel('阶段').selectOption({ label: '需求确认' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').getByText('还需要：联系人').waitFor();
  await page.getByLabel('联系人').selectOption({ label: '陈国栋' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: '门禁系统改造', level: 1 }).waitFor();
  await hydrated(page);
  await page.getByText('CNY 88,000.00').first().waitFor();

  await page.getByRole('button', { name: '输单' }).click();
  const form = page.getByTestId('close-form');
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('必填').waitFor();
  await form.getByLabel('输单原因').fill('客户预算取消');
  await form.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('opportunity-status').getByText('已输单').waitFor();
  await page.getByText('客户预算取消').waitFor();
  assert.deepEqual(page.errors, []);
});

test('registration: a deal on a customer another salesperson works waits for the manager, who approves it on a tablet', async () => {
  const sales = await newPage(env, DESKTOP);
  await signIn(sales, 'wangfang');
  await sales.goto('/customers/new');
  await hydrated(sales);
  await sales.getByLabel('客户名称').fill('天度网络科技（北京）有限公司');
  await sales.getByRole('button', { name: '保存' }).click();
  await sales.getByRole('alert').filter({ hasText: '可能重复的客户' }).waitFor();
  await sales.getByRole('button', { name: '仍然保存' }).click();
  await sales.getByRole('heading', { name: '天度网络科技（北京）有限公司', level: 1 }).waitFor();
  await hydrated(sales);
  await sales.getByTestId('customer-opportunities').getByRole('link', { name: '新建商机' }).click();
  await hydrated(sales);
  await sales.getByLabel('商机名称').fill('运维外包');
  await sales.getByLabel('金额').fill('66,000');
  await sales.getByRole('button', { name: '保存' }).click();
  await sales.getByRole('heading', { name: '运维外包', level: 1 }).waitFor();
  const panel = sales.getByTestId('registration');
  await panel.getByText('报备待审批').first().waitFor();
  await panel.getByTestId('registration-conflicts').getByText(/ERP 升级项目.*李娜/).waitFor();
  assert.equal(await sales.getByRole('button', { name: '赢单' }).count(), 0, 'no win or lose while pending');
  assert.equal(await panel.getByRole('button', { name: '批准报备' }).count(), 0, 'the salesperson cannot approve');

  const manager = await newPage(env, TABLET);
  await signIn(manager, 'zhangwei');
  await manager.goto('/account');
  await hydrated(manager);
  await manager.getByRole('link', { name: '报备审批' }).first().tap();
  await manager.waitForURL(/registration=pending/);
  await manager.getByTestId('list-count').getByText('共 1 个商机').waitFor();
  await manager.getByRole('link', { name: '运维外包' }).tap();
  await hydrated(manager);
  const decide = manager.getByTestId('registration');
  await decide.getByRole('button', { name: '驳回' }).tap();
  await decide.getByText('必填', { exact: true }).waitFor();
  await decide.getByLabel(/审批意见/).fill('华北区域客户，由王芳跟进');
  await decide.getByRole('button', { name: '批准报备' }).tap();
  await decide.waitFor({ state: 'detached' });

  await sales.reload();
  await hydrated(sales);
  await sales.getByRole('button', { name: '赢单' }).waitFor();
  assert.equal(await sales.getByTestId('registration').count(), 0);
  assert.deepEqual(sales.errors, []);
  assert.deepEqual(manager.errors, []);
});

test('a manager hands a deal to another salesperson and keeps the previous owner on its project team', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'zhangwei');
  await page.goto('/opportunities/list');
  await hydrated(page);
  await page.getByRole('link', { name: '数据中台咨询' }).first().click();
  await page.waitForURL(/\/opportunities\/\d+$/);
  const url = page.url();
  await hydrated(page);
  await page.getByRole('link', { name: '编辑' }).click();
  await page.waitForURL(/\/edit$/);
  await hydrated(page);
  await page.locator('#owner_id').selectOption({ label: '王芳' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/opportunities\/\d+$/);
  await page.getByText('王芳').first().waitFor();

  const team = page.getByTestId('collaborators');
  await team.getByRole('heading', { name: '项目团队' }).waitFor();
  await team.getByLabel('同事').selectOption({ label: '李娜' });
  await team.getByLabel('权限').selectOption({ label: '可编辑' });
  await team.getByRole('button', { name: '添加协作人' }).click();
  await team.getByTestId('collaborator-list').getByRole('listitem').filter({ hasText: '李娜' }).getByText('可编辑').waitFor();

  // 李娜 no longer owns the deal but still works on it, and may edit it.
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await lina.goto(url);
  await hydrated(lina);
  await lina.getByRole('link', { name: '编辑' }).waitFor();
  await lina.getByTestId('collaborators').getByRole('button', { name: '退出协作: 李娜' }).waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(lina.errors, []);
});

test('on a tablet a manager saves the board filtered to one salesperson and comes back to it', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'zhangwei');
  await page.goto('/opportunities');
  await hydrated(page);
  await page.getByTestId('stage-column').first().waitFor();
  await page.locator('#filter-owner').selectOption({ label: '李娜' });
  await page.waitForURL(/owner=\d+/);
  const filtered = page.url();
  await page.getByTestId('save-view').tap();
  await page.getByTestId('save-view-form').getByRole('button', { name: '保存' }).tap();
  await page.locator('#view-name-error').filter({ hasText: '必填' }).waitFor();
  await page.fill('#view-name', '李娜的商机');
  await page.getByTestId('save-view-form').getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('save-view').waitFor();
  // Back to the whole board, then the saved view brings the filter back.
  await page.goto('/opportunities');
  await hydrated(page);
  await page.locator('#board-view').selectOption({ label: '李娜的商机' });
  await page.waitForURL(filtered);
  assert.equal(await page.locator('#board-view option:checked').innerText(), '李娜的商机');
  await page.getByTestId('delete-view').tap();
  await page.locator('#board-view option', { hasText: '李娜的商机' }).waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});
