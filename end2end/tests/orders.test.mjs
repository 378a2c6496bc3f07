// Orders and inventory: an agreed quote becomes an order; a direct order is checked
// against the warehouse's stock as it is typed and refused at confirmation when short;
// the manager ships part of it on a phone and takes one back; the ledger shows it all;
// the administrator counts stock on a tablet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, ADMIN_PASSWORD, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

async function addProduct(page, term, name) {
  await page.getByTestId('product-add').fill(term);
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('an agreed quote becomes an order that reserves stock', async () => {
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await open(lina, '/quotes/new?customer=1');
  await lina.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  await addProduct(lina, '扫码枪', '扫码枪 S1');
  await lina.getByTestId('quote-line').nth(0).getByTestId('line-qty').fill('10');
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/quotes\/\d+$/);
  // No discount: approved as soon as it is submitted.
  await lina.getByTestId('quote-submit').click();
  await lina.locator('[data-testid="quote-status"][data-status="approved"]').first().waitFor();
  await lina.getByTestId('quote-to-order').click();
  await lina.waitForURL(/\/orders\/\d+$/);
  await lina.locator('[data-testid="order-status"][data-status="draft"]').first().waitFor();
  assert.match(await lina.locator('h1').innerText(), /^SO\d{8}-\d{4}$/);
  assert.equal(await lina.getByTestId('order-line').count(), 1);
  await lina.getByTestId('order-confirm').click();
  await lina.locator('[data-testid="order-status"][data-status="confirmed"]').first().waitFor();
  // The quote it came from is now accepted.
  await lina.getByRole('link', { name: /^QT/ }).click();
  await lina.locator('[data-testid="quote-status"][data-status="accepted"]').first().waitFor();
  assert.deepEqual(lina.errors, []);
});

test('a direct order is checked against stock, shipped in part on a phone and partly returned', async () => {
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await open(lina, '/customers/1');
  await lina.getByTestId('customer-orders').waitFor();
  await lina.getByTestId('customer-new-order').click();
  await lina.waitForURL(/\/orders\/new\?customer=1/);
  await hydrated(lina);
  await lina.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  assert.match(await lina.locator('#warehouse_id option:checked').innerText(), /总仓/);
  // 10 handhelds: head office has 8; the line says so as it is typed.
  await addProduct(lina, 'H5', '手持巡检终端 H5');
  const line = lina.getByTestId('quote-line').nth(0);
  await line.getByTestId('line-qty').fill('10');
  await line.locator('[data-testid="line-stock"][data-short="true"]').filter({ hasText: '可用 8 台' }).waitFor();
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/orders\/\d+$/);
  const orderUrl = lina.url();
  await lina.getByTestId('order-confirm').click();
  await lina.getByRole('alert').filter({ hasText: '该仓库可用库存不足' }).waitFor();
  await lina.locator('[data-testid="order-status"][data-status="draft"]').first().waitFor();
  // Five, then: confirmed, five reserved.
  await lina.getByTestId('order-edit').click();
  await lina.waitForURL(/\/edit$/);
  await hydrated(lina);
  await lina.getByTestId('quote-line').nth(0).getByTestId('line-qty').fill('5');
  await lina.locator('[data-testid="line-stock"][data-short="false"]').waitFor();
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/orders\/\d+$/);
  await lina.getByTestId('order-confirm').click();
  await lina.locator('[data-testid="order-status"][data-status="confirmed"]').first().waitFor();
  assert.deepEqual(lina.errors, []);

  // The sales manager, on a phone, sees 3 left and ships 2.
  const manager = await newPage(env, PHONE);
  await signIn(manager, 'zhangwei');
  await open(manager, '/inventory');
  await manager.getByTestId('stock-search').fill('H5');
  const row = manager.getByTestId('stock-row').filter({ hasText: '手持巡检终端 H5' });
  await row.getByTestId('stock-available').filter({ hasText: '3' }).waitFor();
  assert.ok(await noSideScroll(manager));
  await open(manager, new URL(orderUrl).pathname);
  const form = manager.getByTestId('shipment-form');
  await form.waitFor();
  assert.equal(await form.getByTestId('ship-qty').inputValue(), '5');
  await form.getByTestId('ship-qty').fill('9');
  await form.getByTestId('shipment-save').tap();
  await manager.getByRole('alert').filter({ hasText: '发货数量超过待发数量' }).waitFor();
  await form.getByTestId('ship-qty').fill('2');
  await form.getByTestId('shipment-save').tap();
  await manager.locator('[data-testid="order-status"][data-status="partially_shipped"]').first().waitFor();
  await manager.getByTestId('order-line-shipped').filter({ hasText: '已发 2 / 5 台' }).waitFor();
  // One comes back.
  await manager.getByTestId('shipment-return').tap();
  await manager.getByTestId('ship-qty').fill('1');
  await manager.getByTestId('shipment-save').tap();
  await manager.getByTestId('order-line-shipped').filter({ hasText: '已退 1' }).waitFor();
  assert.equal(await manager.locator('[data-testid="shipment"][data-kind="return"]').count(), 1);
  assert.ok(await noSideScroll(manager));
  // The ledger: the shipment and the return, with the order's number.
  await open(manager, '/inventory/movements');
  await manager.locator('[data-testid="movement-row"][data-kind="return"]').filter({ hasText: '手持巡检终端 H5' }).waitFor();
  await manager.locator('[data-testid="movement-row"][data-kind="ship"]').filter({ hasText: '−2 台' }).waitFor();
  assert.deepEqual(manager.errors, []);
});

test('the administrator counts stock on a tablet', async () => {
  const admin = await newPage(env, TABLET);
  await signIn(admin, 'admin', ADMIN_PASSWORD);
  await open(admin, '/inventory/stocktake');
  const line = admin.getByTestId('count-line').filter({ hasText: '扫码枪 S1' });
  await line.waitFor();
  await line.getByTestId('count-qty').fill('-3');
  await admin.getByTestId('stocktake-save').tap();
  await line.getByText('请输入不小于 0 的数量').waitFor();
  await line.getByTestId('count-qty').fill('98');
  await admin.getByTestId('stocktake-save').tap();
  await admin.getByTestId('stocktake-result').filter({ hasText: '已盘点 1 项，调整 1 项' }).waitFor();
  await open(admin, '/inventory/movements');
  await admin.locator('[data-testid="movement-row"][data-kind="stocktake"]').filter({ hasText: '扫码枪 S1' }).waitFor();
  assert.ok(await noSideScroll(admin));
  assert.deepEqual(admin.errors, []);
});
