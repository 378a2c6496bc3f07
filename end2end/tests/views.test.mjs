// Saved queries (查询方案) on the customer list, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

test('a manager filters by level and tag, saves the query with chosen columns and shares it', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'zhangwei');
  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('button', { name: '更多筛选' }).click();
  await page.getByLabel('客户等级').selectOption('A');
  await page.waitForURL(/level=A/);
  await page.getByLabel('标签').fill('重点跟进');
  await page.getByRole('button', { name: '应用' }).click();
  await page.waitForURL(/tag=/);
  const table = page.getByTestId('customer-table');
  await table.getByRole('link', { name: '北京天度网络科技有限公司' }).waitFor();
  const rows = await table.locator('tbody tr').count();
  assert.ok(rows >= 1 && rows <= 2, `${rows} A-level customers tagged 重点跟进`);

  await page.getByRole('button', { name: '保存当前查询' }).click();
  const form = page.getByTestId('save-view');
  await form.getByLabel('方案名称').fill('A 类重点客户');
  await form.getByLabel('共享给所有人').check();
  await form.getByLabel('电话').check();
  await form.getByLabel('更新', { exact: true }).uncheck();
  await form.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/view=\d+/);
  await table.getByRole('columnheader', { name: '电话' }).waitFor();
  assert.equal(await table.getByRole('columnheader', { name: '更新', exact: true }).count(), 0);

  // Another user picks the shared view from the list and gets the same filters.
  const other = await newPage(env, DESKTOP);
  await signIn(other, 'lina');
  await other.goto('/customers');
  await hydrated(other);
  await other.getByLabel('查询方案').selectOption({ label: 'A 类重点客户 · 张伟 (共享)' });
  await other.waitForURL(/level=A.*tag=.*view=\d+/);
  await other.getByTestId('customer-table').getByRole('columnheader', { name: '电话' }).waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('an administrator rescoring customers fills the pyramid; a customer page explains its score', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'admin', 'admin-pass-2026');
  await page.goto('/admin/settings/value');
  await hydrated(page);
  const form = page.getByTestId('value-model');
  await form.getByLabel('近 90 天跟进次数').fill('40');
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('已保存').waitFor();
  await form.getByRole('button', { name: '立即重新计算' }).click();
  await form.getByText(/已重新计算 \d+ 个客户/).waitFor();

  await page.goto('/customers/pyramid');
  await hydrated(page);
  await page.getByRole('img', { name: /按客户价值分档/ }).waitFor();
  const cells = await page.getByTestId('pyramid-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
  const total = cells.map(Number).reduce((a, b) => a + b, 0);
  assert.ok(total >= 20, `every demo customer is in a band (${total})`);

  await page.goto('/customers?q=%E5%8C%97%E4%BA%AC%E5%A4%A9%E5%BA%A6');
  await hydrated(page);
  await page.getByRole('link', { name: '北京天度网络科技有限公司' }).first().click();
  const value = page.getByTestId('value');
  await value.getByText('近 90 天跟进次数').waitFor();
  await value.getByText(/级/).first().waitFor();
  assert.deepEqual(page.errors, []);
});
