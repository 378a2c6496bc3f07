// The deal past the win, end to end: a discounted quote is approved and downloaded as
// a PDF, ordered against stock and shipped; the same quote becomes a contract with a
// payment plan split by month; a partial payment is recorded (too much is refused next to the
// field); the overdue instalment shows on the contract, in the receivables report, on
// the dashboard and as a reminder in the owner's visit plan. The sales manager voids a
// payment on a phone; bad input is explained in English on a tablet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, newPage, signIn, hydrated, pdfCharacters, PHONE, TABLET, DESKTOP, DEMO_PASSWORD } from '../lib.mjs';

let env;
// The overdue job every 2 seconds, so its reminder shows while the test runs.
before(async () => { env = await startServer({ CRM_OVERDUE_EVERY_SECS: '2' }); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

let contractPath;

test('quote → approval → PDF → order with stock check → shipment → contract with plan → partial payment → overdue warning', async () => {
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await open(lina, '/quotes/new?customer=1');
  await lina.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  await lina.getByTestId('product-add').fill('扫码枪');
  await lina.getByRole('button', { name: /扫码枪 S1/ }).click();
  await lina.getByTestId('quote-line').nth(0).getByTestId('line-qty').fill('10');
  // A 20 % discount is past the 10 % threshold: the manager must approve.
  await lina.fill('#discount', '20');
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/quotes\/\d+$/);
  const quotePath = new URL(lina.url()).pathname;
  await lina.getByTestId('quote-submit').click();
  await lina.locator('[data-testid="quote-status"][data-status="pending"]').first().waitFor();

  const manager = await newPage(env, DESKTOP);
  await signIn(manager, 'zhangwei');
  await open(manager, quotePath);
  await manager.getByTestId('approval-panel').waitFor();
  await manager.fill('#decision-note', '同意');
  await manager.getByTestId('quote-approve').click();
  await manager.locator('[data-testid="quote-status"][data-status="approved"]').first().waitFor();
  const [download] = await Promise.all([manager.waitForEvent('download'), manager.getByTestId('quote-pdf').click()]);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const chars = pdfCharacters(pdf);
  for (const text of ['北京天度网络科技有限公司', '报价单', '扫码枪']) {
    assert.deepEqual([...text].filter((c) => !chars.has(c)), [], `not in the PDF's text: ${text}`);
  }
  assert.deepEqual(manager.errors, []);

  // The order from the quote: confirmed against the warehouse's stock, then shipped.
  await open(lina, quotePath);
  await lina.getByTestId('quote-to-order').click();
  await lina.waitForURL(/\/orders\/\d+$/);
  await lina.getByTestId('order-confirm').click();
  await lina.locator('[data-testid="order-status"][data-status="confirmed"]').first().waitFor();
  const form = lina.getByTestId('shipment-form');
  assert.equal(await form.getByTestId('ship-qty').inputValue(), '10');
  await form.getByTestId('shipment-save').click();
  await lina.locator('[data-testid="order-status"][data-status="shipped"]').first().waitFor();

  // The contract on the same quote.
  await open(lina, quotePath);
  await lina.locator('[data-testid="quote-status"][data-status="accepted"]').first().waitFor();
  await lina.getByTestId('quote-to-contract').click();
  await lina.waitForURL(/\/contracts\/new\?quote=\d+/);
  await hydrated(lina);
  await lina.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  // The quote had no title: the contract is named after its number.
  assert.match(await lina.locator('#title').inputValue(), /^QT\d{8}-\d{4}/);
  const amount = await lina.locator('#amount').inputValue();
  assert.match(amount, /^\d+\.\d{2}$/);
  // Signed at the start of the year, three monthly instalments: two are past due.
  await lina.locator('#signed_on').fill('2026-01-01');
  await lina.locator('#starts_on').fill('2026-01-01');
  await lina.getByTestId('split-count').fill('3');
  await lina.getByTestId('split-plan').click();
  assert.equal(await lina.getByTestId('plan-row').count(), 3);
  await lina.getByTestId('plan-gap').filter({ hasText: '回款计划与合同金额一致' }).waitFor();
  const third = lina.getByTestId('plan-row').nth(2);
  await third.getByTestId('plan-due').fill('2099-01-01');
  // A plan that does not add up is refused, and says by how much.
  const first = lina.getByTestId('plan-row').nth(0);
  const firstAmount = await first.getByTestId('plan-amount').inputValue();
  await first.getByTestId('plan-amount').fill('1');
  await lina.getByTestId('plan-gap').filter({ hasText: '相差' }).waitFor();
  await lina.getByTestId('contract-save').click();
  await lina.getByText('各期金额之和必须等于合同金额。').waitFor();
  await first.getByTestId('plan-amount').fill(firstAmount);
  await lina.getByTestId('contract-save').click();
  await lina.waitForURL(/\/contracts\/\d+$/);
  contractPath = new URL(lina.url()).pathname;
  const number = (await lina.locator('h1').innerText()).trim();
  assert.match(number, /^HT\d{6}-\d{4}$/);
  await lina.locator('[data-testid="contract-status"][data-status="overdue"]').waitFor();
  assert.equal(await lina.locator('[data-testid="instalment-state"][data-state="overdue"]').count(), 2);

  // Too much for the first instalment is refused next to the field; 100 is taken.
  const pay = lina.getByTestId('payment-form');
  await pay.getByTestId('payment-amount').fill('99999999');
  await pay.getByTestId('payment-save').click();
  await pay.getByTestId('payment-amount-error').filter({ hasText: '超过该期未回款金额' }).waitFor();
  await pay.getByTestId('payment-amount').fill('100');
  await pay.getByTestId('payment-save').click();
  await lina.getByTestId('payment').first().waitFor();
  await lina.getByTestId('figure-received').filter({ hasText: '100.00' }).waitFor();
  assert.equal(await lina.getByTestId('payment').count(), 1);
  assert.match(await lina.getByTestId('payment').first().innerText(), /PAY\d{6}-\d{5}/);
  // Still overdue: the first instalment is only partly paid.
  assert.equal(await lina.locator('[data-testid="instalment-state"][data-state="overdue"]').count(), 2);

  // The customer's 360° page: the transaction summary and the documents on the timeline.
  await open(lina, '/customers/1');
  await lina.getByTestId('customer-transactions').getByTestId('transactions-received').filter({ hasText: '100.00' }).waitFor();
  await lina.locator('[data-testid="timeline-document"][data-kind="payment"]').filter({ hasText: /PAY\d{6}-\d{5}/ }).waitFor();
  await lina.locator('[data-testid="timeline-document"][data-kind="contract"]').filter({ hasText: number }).waitFor();

  // The overdue warning: receivables, the dashboard list, and the reminder in the plan.
  await open(lina, '/receivables');
  const row = lina.getByTestId('receivable-row').filter({ hasText: '北京天度网络科技有限公司' });
  await row.waitFor();
  assert.notEqual((await row.getByTestId('receivable-overdue').innerText()).trim().split('\n')[0], '¥0.00');
  await open(lina, '/dashboard');
  await lina.getByTestId('overdue-row').filter({ hasText: number }).first().waitFor();
  // The job runs every 2 seconds here: look again until its reminder is there.
  const reminder = lina.getByText(`催收逾期回款：${number} 第 1 期`);
  for (let i = 0; i < 15; i++) {
    await open(lina, '/activities/plan');
    if (await reminder.count()) break;
    await lina.waitForTimeout(1000);
  }
  await reminder.waitFor();
  assert.deepEqual(lina.errors, []);
});

test('the sales manager reads receivables and voids a payment on a phone', async () => {
  assert.ok(contractPath, 'the first test made a contract');
  const manager = await newPage(env, PHONE);
  await signIn(manager, 'zhangwei');
  await open(manager, '/receivables');
  await manager.getByTestId('receivables-overdue').tap();
  await manager.getByTestId('receivable-row').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  await manager.getByTestId('receivables-total').first().waitFor();
  assert.ok(await noSideScroll(manager));
  await open(manager, contractPath);
  await manager.getByTestId('payment-void').tap();
  await manager.getByTestId('void-confirm').tap();
  await manager.getByText('必填').first().waitFor();
  await manager.getByTestId('void-reason').fill('银行退票');
  await manager.getByTestId('void-confirm').tap();
  await manager.locator('[data-testid="payment"][data-voided="true"]').waitFor();
  await manager.getByTestId('figure-received').filter({ hasText: '0.00' }).waitFor();
  assert.ok(await noSideScroll(manager));
  assert.deepEqual(manager.errors, []);
});

test('a contract form explains bad input in English on a tablet', async () => {
  const lina = await newPage(env, TABLET, 'en');
  await lina.goto('/login');
  await lina.locator('input[name=username]').fill('lina');
  await lina.locator('input[name=password]').fill(DEMO_PASSWORD);
  await lina.getByRole('button', { name: 'Sign in' }).tap();
  await lina.waitForURL((u) => !u.pathname.startsWith('/login'));
  await open(lina, '/customers/1');
  await lina.getByTestId('customer-contracts').waitFor();
  await lina.getByTestId('customer-new-contract').tap();
  await lina.waitForURL(/\/contracts\/new\?customer=1/);
  await hydrated(lina);
  await lina.getByTestId('picked-customer').waitFor();
  await lina.locator('#amount').fill('12,000');
  await lina.locator('#ends_on').fill('2020-01-01');
  await lina.getByTestId('contract-save').tap();
  await lina.locator('#title-error').filter({ hasText: 'Required' }).waitFor();
  await lina.locator('#ends_on-error').filter({ hasText: 'before the start date' }).waitFor();
  await lina.getByTestId('plan-amount').first().fill('12000');
  await lina.getByTestId('plan-gap').filter({ hasText: 'adds up' }).waitFor();
  assert.ok(await noSideScroll(lina));
  assert.deepEqual(lina.errors, []);
});
