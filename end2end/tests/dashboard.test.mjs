// The sales dashboard: each figure drills down to a list showing the same numbers,
// charts work with a finger on a tablet, and a manager sets targets on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, TABLET, DESKTOP, PHONE } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

const listCount = async (page) => Number((await page.getByTestId('list-count').innerText()).match(/\d+/)[0]);
const listTotal = async (page) => (await page.getByTestId('list-total').first().innerText()).trim();

async function openDashboard(page) {
  await page.goto('/dashboard');
  await hydrated(page);
  await page.getByTestId('funnel-table').waitFor();
}

test('on a desktop, the manager drills from the funnel, the forecast and a person to lists with the same numbers', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'zhangwei');
  await page.getByRole('link', { name: '仪表盘' }).first().click();
  await page.getByRole('heading', { name: '销售仪表盘' }).waitFor();
  await page.getByTestId('funnel-table').waitFor();
  assert.equal(await page.getByTestId('funnel-chart').getAttribute('role'), 'img');

  // Funnel: the prospecting row's count link opens the list of exactly those opportunities.
  const row = page.getByTestId('funnel-row').filter({ hasText: '初步接洽' });
  const count = Number(await row.getByTestId('funnel-count').innerText());
  const amount = (await row.getByTestId('funnel-amount').innerText()).trim();
  const weighted = (await row.getByTestId('funnel-weighted').innerText()).trim();
  assert.ok(count >= 4, `prospecting holds the demo deals, got ${count}`);
  await row.getByTestId('funnel-count').click();
  await page.waitForURL(/\/opportunities\/list\?.*stage=/);
  await page.getByTestId('opportunity-list').waitFor();
  assert.equal(await listCount(page), count);
  assert.equal(await page.getByTestId('list-row').count(), count);
  const total = await listTotal(page);
  assert.ok(total.startsWith(amount), `${total} starts with ${amount}`);
  assert.ok(total.includes(weighted), `${total} includes ${weighted}`);
  assert.ok(await page.getByText('ERP 升级项目').isVisible());
  // Removing the stage chip widens the list to every open opportunity of the process.
  await page.getByTestId('filter-chip').filter({ hasText: '初步接洽' }).click();
  await page.waitForURL((u) => !u.search.includes('stage='));
  // The list refetches after the URL changes: wait for the wider count.
  await page.waitForFunction(
    (c) => Number(document.querySelector('[data-testid="list-count"]')?.innerText.match(/\d+/)?.[0] ?? 0) > c,
    count,
  );

  // The same bar in the SVG chart leads to the same list.
  await page.goBack();
  await page.goBack();
  await page.getByTestId('funnel-chart').waitFor();
  await page.getByTestId('funnel-bar').first().click();
  await page.waitForURL(/\/opportunities\/list\?.*stage=/);
  assert.equal(await listCount(page), count);

  // Won in the period: the tile's count is the list's.
  await openDashboard(page);
  const wonCount = Number((await page.getByTestId('kpi-won').locator('xpath=..').innerText()).match(/(\d+) 个商机/)[1]);
  assert.ok(wonCount >= 1);
  await page.getByTestId('kpi-won-link').click();
  await page.waitForURL(/status=won/);
  await page.getByTestId('list-count').waitFor();
  assert.equal(await listCount(page), wonCount);

  // A person's open amount drills down to their open opportunities.
  await openDashboard(page);
  const lina = page.getByTestId('people-table-row').filter({ hasText: '李娜' });
  const linaOpen = (await lina.getByTestId('group-open').innerText()).trim();
  await lina.getByTestId('group-open').click();
  await page.waitForURL(/owner=/);
  await page.getByTestId('list-count').waitFor();
  if (linaOpen !== 'CNY 0.00') assert.ok((await listTotal(page)).startsWith(linaOpen));
  else assert.equal(await listCount(page), 0);
  assert.deepEqual(page.errors, []);
});

test('on a tablet, a salesperson taps a funnel bar and sees only their own deals', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'wangfang');
  await openDashboard(page);
  // Only her own row in the people table.
  const people = await page.getByTestId('people-table-row').allInnerTexts();
  assert.ok(people.every((r) => r.includes('王芳')), people.join('|'));
  const bar = page.getByTestId('funnel-bar').nth(2);
  const row = page.getByTestId('funnel-row').nth(2);
  const count = Number(await row.getByTestId('funnel-count').innerText());
  await bar.tap();
  await page.waitForURL(/\/opportunities\/list/);
  await page.getByTestId('list-count').waitFor();
  assert.equal(await listCount(page), count);
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(width[0] <= width[1], `no sideways scroll: ${width}`);
});

test('on a phone, in English, a manager spreads a yearly target, fixes a bad month, and the dashboard shows it', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'zhangwei');
  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  await page.goto('/admin/settings/targets');
  await hydrated(page);
  await page.getByRole('heading', { name: 'Sales targets' }).waitFor();
  await page.getByRole('button', { name: 'Edit targets of 李娜' }).click();
  const editor = page.getByTestId('target-editor');
  await editor.getByLabel('Annual amount').fill('2,400,000');
  await editor.getByRole('button', { name: 'Spread over 12 months' }).click();
  assert.equal(await editor.getByLabel('Month 1', { exact: true }).inputValue(), '200,000.00');
  await editor.getByLabel('Month 3', { exact: true }).fill('lots');
  await editor.getByRole('button', { name: 'Save' }).click();
  await page.locator('#target-m3-error').getByText('Enter an amount').waitFor();
  // What was typed is kept; fix the month and save.
  assert.equal(await editor.getByLabel('Month 12').inputValue(), '200,000.00');
  await editor.getByLabel('Month 3', { exact: true }).fill('200000');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'detached' });
  const row = page.getByTestId('target-row').filter({ hasText: '李娜' });
  assert.equal((await row.getByTestId('target-year').innerText()).trim(), '2,400,000.00');
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(width[0] <= width[1], `no sideways scroll: ${width}`);

  await page.goto('/dashboard');
  await hydrated(page);
  await page.getByRole('heading', { name: 'Sales dashboard' }).waitFor();
  const lina = page.getByTestId('people-table-row').filter({ hasText: '李娜' });
  await lina.getByText('CNY 2,400,000.00').waitFor();
  // Back to the default language for whoever signs in next.
  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByRole('heading', { name: '我的账户' }).waitFor();
});
