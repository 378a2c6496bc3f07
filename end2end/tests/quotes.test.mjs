// Quotes: a salesperson quotes a level A customer from its page with catalog lines
// priced by policy, a deep discount goes to the manager on a tablet, who rejects it
// with a reason; the salesperson lowers it, the manager approves, and a revision keeps
// the earlier one. The approved quote downloads as a PDF with the company profile the
// administrator keeps on a phone, its Chinese text real, searchable text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, newPage, signIn, hydrated, pdfCharacters, ADMIN_PASSWORD, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function addProduct(page, term, name) {
  await page.getByTestId('product-add').fill(term);
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByTestId('quote-line').filter({ has: page.locator(`input[data-testid="line-name"]`) }).last().waitFor();
}

async function openQuoteAs(page, label) {
  await page.goto('/quotes');
  await hydrated(page);
  await page.getByTestId('quote-row').filter({ hasText: label }).getByRole('link').first().click();
  await page.waitForURL(/\/quotes\/\d+$/);
  await page.getByTestId('quote-status').first().waitFor();
}

test('the administrator keeps the company profile on a phone', async () => {
  const admin = await newPage(env, PHONE);
  await signIn(admin, 'admin', ADMIN_PASSWORD);
  await admin.goto('/admin/settings/company');
  await hydrated(admin);
  assert.equal(await admin.inputValue('#company-name'), '云帆软件（北京）有限公司');
  await admin.fill('#company-name', '');
  await admin.fill('#company-email', 'sales@');
  await admin.fill('#company-address', '北京市海淀区中关村大街 27 号');
  await admin.getByRole('button', { name: '保存' }).tap();
  await admin.getByText('必填', { exact: true }).waitFor();
  await admin.getByText('邮箱格式不正确').waitFor();
  assert.equal(await admin.inputValue('#company-address'), '北京市海淀区中关村大街 27 号');
  await admin.fill('#company-name', '云帆智能科技（北京）有限公司');
  await admin.fill('#company-email', 'sales@yunfan.example.cn');
  await admin.getByRole('button', { name: '保存' }).tap();
  await admin.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  await admin.reload();
  await hydrated(admin);
  assert.equal(await admin.inputValue('#company-name'), '云帆智能科技（北京）有限公司');
  assert.equal(await admin.inputValue('#company-address'), '北京市海淀区中关村大街 27 号');
  const width = await admin.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page scrolls sideways: ${width}px`);
  assert.deepEqual(admin.errors, []);
});

test('a quote with a deep discount is rejected with a reason, lowered, approved and revised', async () => {
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  // From the customer's 360° page.
  await lina.goto('/customers');
  await hydrated(lina);
  await lina.getByRole('link', { name: '北京天度网络科技有限公司' }).first().click();
  await lina.getByTestId('customer-quotes').waitFor();
  await lina.getByTestId('customer-new-quote').click();
  await lina.waitForURL(/\/quotes\/new\?customer=\d+/);
  await hydrated(lina);
  await lina.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();

  // Nothing to quote yet: refused, nothing lost.
  await lina.fill('#title', '门店系统升级');
  await lina.getByTestId('quote-save').click();
  await lina.getByText('请至少添加一条明细').first().waitFor();
  assert.equal(await lina.inputValue('#title'), '门店系统升级');

  // The standard edition at the level A policy price; installation typed below list.
  await addProduct(lina, '标准版', '云客 CRM 标准版');
  const first = lina.getByTestId('quote-line').nth(0);
  await first.getByText('价格来自“A 级客户九折”').waitFor();
  assert.equal(await first.getByTestId('line-price').getAttribute('placeholder'), '11,520.00');
  await first.getByTestId('line-qty').fill('2');
  await addProduct(lina, '安装', '上门安装调试');
  const second = lina.getByTestId('quote-line').nth(1);
  await second.getByTestId('line-qty').fill('3');
  await second.getByTestId('line-price').fill('700');
  await lina.fill('#discount', '20');
  // (23 040 + 2 100) × 80 % = 20 112 net; tax 6 % on both lines = 1 206.72.
  await lina.getByTestId('quote-total').filter({ hasText: '21,318.72 CNY' }).waitFor();
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/quotes\/\d+$/);
  await lina.getByTestId('needs-approval').waitFor();
  const label = (await lina.locator('h1').innerText()).trim();
  assert.match(label, /^QT\d{8}-\d{4}$/);
  assert.equal(await lina.getByTestId('quote-line-row').count(), 2);
  await lina.getByTestId('quote-submit').click();
  await lina.locator('[data-testid="quote-status"][data-status="pending"]').first().waitFor();
  assert.deepEqual(lina.errors, []);

  // The manager, on a tablet, must give a reason to reject.
  const manager = await newPage(env, TABLET);
  await signIn(manager, 'zhangwei');
  await openQuoteAs(manager, label);
  await manager.getByTestId('approval-panel').waitFor();
  await manager.getByTestId('quote-reject').tap();
  await manager.getByRole('alert').filter({ hasText: '必填' }).waitFor();
  await manager.fill('#decision-note', '折扣最多 15%');
  await manager.getByTestId('quote-reject').tap();
  await manager.locator('[data-testid="quote-status"][data-status="rejected"]').first().waitFor();

  // Lina sees the reason, lowers the discount and submits again.
  await lina.reload();
  await hydrated(lina);
  await lina.getByTestId('approval-note').filter({ hasText: '折扣最多 15%' }).waitFor();
  await lina.getByTestId('quote-edit').click();
  await lina.waitForURL(/\/quotes\/\d+\/edit$/);
  await hydrated(lina);
  await lina.getByTestId('quote-line').nth(1).waitFor();
  await lina.fill('#discount', '12');
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/quotes\/\d+$/);
  await lina.getByTestId('quote-submit').click();
  await lina.locator('[data-testid="quote-status"][data-status="pending"]').first().waitFor();

  await manager.reload();
  await hydrated(manager);
  await manager.fill('#decision-note', '同意');
  await manager.getByTestId('quote-approve').tap();
  await manager.locator('[data-testid="quote-status"][data-status="approved"]').first().waitFor();
  assert.deepEqual(manager.errors, []);

  // The approved quote as a PDF: letterhead, customer, title and the total in capitals,
  // all as text the fonts map to Unicode.
  const [download] = await Promise.all([manager.waitForEvent('download'), manager.getByTestId('quote-pdf').tap()]);
  assert.equal(download.suggestedFilename(), `${label}.pdf`);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10_000, `${pdf.length} bytes`);
  const chars = pdfCharacters(pdf);
  for (const text of ['云帆智能科技（北京）有限公司', '中关村大街', '北京天度网络科技有限公司', '报价单', '门店系统升级', '云客标准版', '人民币大写', '元']) {
    const missing = [...text.replace(/\s/g, '')].filter((c) => !chars.has(c));
    assert.deepEqual(missing, [], `not in the PDF's text: ${text}`);
  }

  // Sent, then revised: R2 opens in the editor; R1 stays in the history.
  await lina.reload();
  await hydrated(lina);
  await lina.getByTestId('quote-send').click();
  await lina.locator('[data-testid="quote-status"][data-status="sent"]').first().waitFor();
  await lina.getByTestId('quote-revise').click();
  await lina.waitForURL(/\/quotes\/\d+\/edit$/);
  await hydrated(lina);
  await lina.getByTestId('quote-line').nth(1).waitFor();
  await lina.getByTestId('quote-save').click();
  await lina.waitForURL(/\/quotes\/\d+$/);
  assert.equal((await lina.locator('h1').innerText()).trim(), `${label} R2`);
  const revisions = lina.getByTestId('quote-revisions');
  await revisions.getByRole('link', { name: 'R1' }).waitFor();
  await revisions.locator('[data-status="superseded"]').waitFor();
  assert.deepEqual(lina.errors, []);
});
