// Catalog and document set-up: an administrator keeps exchange rates and numbering
// rules and adds a price policy on a desktop; a sales manager adds a product on a
// tablet; a salesperson looks a product up and checks a customer's price on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, ADMIN_PASSWORD, TABLET, DESKTOP, PHONE } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

async function openProduct(page, name) {
  await open(page, '/products');
  await page.getByTestId('product-search').fill(name);
  await page.getByTestId('product-row').filter({ hasText: name }).getByRole('link', { name }).click();
  await page.waitForURL(/\/products\/\d+$/);
  await page.getByTestId('product-facts').waitFor();
}

async function pickCustomer(page, term, name) {
  await page.fill('#customer-search', term);
  await page.getByRole('button', { name }).click();
  await page.getByTestId('picked-customer').filter({ hasText: name }).waitFor();
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('an administrator keeps rates and numbering, adds a price policy, and deletes with undo', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'admin', ADMIN_PASSWORD);

  // A rate that is not a number is refused next to the field; then it is saved.
  await open(page, '/admin/settings/currencies');
  await page.getByTestId('rate-row').first().waitFor();
  await page.selectOption('#rate-currency', 'TWD');
  await page.fill('#rate-date', '2026-11-15');
  await page.fill('#rate-value', 'abc');
  await page.getByTestId('rate-save').click();
  await page.locator('#rate-value-error').filter({ hasText: '请输入大于零的汇率' }).waitFor();
  await page.fill('#rate-value', '0.225');
  await page.getByTestId('rate-save').click();
  await page.getByTestId('rate-row').filter({ hasText: '1 TWD = 0.225 CNY' }).waitFor();
  // The same date again is refused by the server, next to the date.
  await page.fill('#rate-value', '0.23');
  await page.getByTestId('rate-save').click();
  await page.locator('#rate-date-error').filter({ hasText: '该币种在此日期已有汇率' }).waitFor();
  assert.equal(await page.getByTestId('rate-row').filter({ hasText: 'TWD' }).count(), 1);
  assert.equal(await page.getByTestId('base-currency').isDisabled(), true, 'rates exist, so the base is fixed');

  // Numbering: the example follows what is typed; bad digits are refused; saved rules number the next document.
  await open(page, '/admin/settings/numbering');
  const quote = page.getByTestId('numbering-quote');
  await quote.locator('#quote-prefix').fill('BJ-QT');
  await quote.getByText(/BJ-QT\d{8}-0001/).waitFor();
  await quote.locator('#quote-digits').fill('0');
  await quote.getByRole('button', { name: '保存' }).click();
  await quote.locator('#quote-digits-error').filter({ hasText: '超出允许范围' }).waitFor();
  await quote.locator('#quote-digits').fill('3');
  await quote.getByRole('button', { name: '保存' }).click();
  await quote.getByText(/下一个编号：BJ-QT\d{8}-001/).waitFor();

  // A policy for everyone on the terminal; the 10-unit break still wins at 12 units.
  await openProduct(page, '门店收银终端 T2');
  await page.getByTestId('add-policy').click();
  const form = page.getByTestId('policy-form');
  await form.locator('#policy-name').fill('年末促销');
  await form.locator('#policy-mode').selectOption('discount');
  await form.locator('#policy-discount').fill('5');
  await form.locator('#policy-from').fill('2026-01-01');
  await form.locator('#policy-to').fill('2025-12-31');
  await page.getByTestId('policy-save').click();
  await form.locator('#policy-to-error').filter({ hasText: '截止日期早于生效日期' }).waitFor();
  await form.locator('#policy-to').fill('2099-12-31');
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-row').filter({ hasText: '年末促销' }).waitFor();
  assert.equal(await page.getByTestId('policy-row').count(), 2);
  await page.fill('#check-qty', '12');
  await page.getByTestId('price-check-submit').click();
  await page.getByTestId('price-result').filter({ hasText: '3,300.00 CNY' }).waitFor();
  assert.match(await page.getByTestId('price-source').innerText(), /批量价（10 台起）/);
  await page.fill('#check-qty', '1');
  await page.getByTestId('price-check-submit').click();
  await page.getByTestId('price-result').filter({ hasText: '3,496.00 CNY' }).waitFor();
  assert.match(await page.getByTestId('price-source').innerText(), /年末促销/);

  // Delete, then undo: the product is back.
  await openProduct(page, '扫码枪 S1');
  await page.getByTestId('delete-product').click();
  await page.getByTestId('product-deleted').waitFor();
  await page.getByTestId('undo-delete').click();
  await page.getByTestId('product-deleted').waitFor({ state: 'detached' });
  await page.reload();
  await page.getByTestId('product-facts').waitFor();
  assert.deepEqual(page.errors, []);
});

test('a sales manager adds a product on a tablet, fixing a bad price without losing what was typed', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'zhangwei');
  await open(page, '/products');
  await page.getByTestId('new-product').click();
  await page.waitForURL(/\/products\/new$/);
  await hydrated(page);
  await page.fill('#name', '智能门禁一体机');
  await page.selectOption('#category', '硬件');
  await page.fill('#unit', '台');
  await page.fill('#list_price', '1.999');
  await page.fill('#tax_rate', '13');
  await page.getByTestId('product-save').tap();
  await page.locator('#list_price-error').filter({ hasText: '请输入金额' }).waitFor();
  assert.equal(await page.inputValue('#name'), '智能门禁一体机');
  await page.fill('#list_price', '5,680');
  await page.fill('#cost', '3900');
  await page.getByTestId('product-save').tap();
  await page.waitForURL(/\/products\/\d+$/);
  const facts = page.getByTestId('product-facts');
  await facts.getByText('P00010').waitFor();
  await page.getByText('5,680.00 CNY / 台').waitFor();
  // (5 680 − 3 900) / 5 680 = 31.33 % margin.
  await page.getByText('31.33 %').waitFor();
  assert.ok(await noSideScroll(page));
  // A manager edits but may not delete.
  assert.equal(await page.getByTestId('edit-product').count(), 1);
  assert.equal(await page.getByTestId('delete-product').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a salesperson finds a product on a phone and checks a level A customer\'s price, also in dollars', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  await open(page, '/products');
  await page.getByTestId('product-search').fill('CRM');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row"]').length === 2);
  assert.ok(await noSideScroll(page));
  await page.getByRole('link', { name: '云客 CRM 标准版（年）' }).tap();
  await page.waitForURL(/\/products\/\d+$/);
  await page.getByTestId('product-facts').waitFor();
  assert.equal(await page.getByTestId('edit-product').count(), 0, 'a salesperson only views the catalog');
  assert.equal(await page.getByTestId('add-policy').count(), 0);

  await pickCustomer(page, '天度', '北京天度网络科技有限公司');
  await page.fill('#check-qty', '2');
  await page.getByTestId('price-check-submit').tap();
  const result = page.getByTestId('price-result');
  await result.filter({ hasText: '11,520.00 CNY' }).waitFor();
  assert.match(await result.innerText(), /23,040\.00 CNY/);
  assert.match(await page.getByTestId('price-source').innerText(), /A 级客户九折/);
  // In dollars, at this month's rate.
  await page.selectOption('#check-currency', 'USD');
  await page.getByTestId('price-check-submit').tap();
  await result.filter({ hasText: 'USD' }).waitFor();
  assert.match(await result.innerText(), /1 USD = 7\.1234 CNY/);
  assert.ok(await noSideScroll(page));
  assert.deepEqual(page.errors, []);
});
