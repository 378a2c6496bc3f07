// Leads: the public web form on a phone lands with the territory's salesperson with an
// explained score; a manager assigns from the pool and a salesperson claims on a tablet;
// a lead is converted into customer, contact and opportunity on a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, TABLET, DESKTOP, PHONE } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

const row = (page, name) => page.getByTestId('lead-row').filter({ hasText: name });

async function openLeads(page, query = '') {
  await page.goto(`/leads${query}`);
  await hydrated(page);
  await page.getByTestId('lead-count').waitFor();
}

test('a visitor sends the web form on a phone and the salesperson of the territory finds the scored lead', async () => {
  const page = await newPage(env, PHONE);
  // No sign-in: the public form, in the visitor's language.
  await page.goto('/forms/lead');
  await page.getByRole('heading', { name: '联系我们' }).waitFor();
  await page.fill('#name', '赵敏');
  await page.fill('#company', '北京云杉科技有限公司');
  await page.fill('#mobile', '13700001111');
  await page.fill('#region', '北京');
  await page.fill('#needs', '需要为二十人的销售团队上线客户管理系统');
  // Sent at once, like a script would: refused, and nothing typed is lost.
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('alert').filter({ hasText: '提交得太快了' }).waitFor();
  assert.equal(await page.inputValue('#company'), '北京云杉科技有限公司');
  assert.equal(await page.inputValue('#needs'), '需要为二十人的销售团队上线客户管理系统');
  // A person reads it over and sends it again.
  await page.waitForTimeout(3300);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('heading', { name: '提交成功' }).waitFor();

  // 北京 belongs to 华北, whose only member is 王芳.
  await signIn(page, 'wangfang');
  await openLeads(page, '?view=mine');
  const lead = row(page, '赵敏');
  await lead.waitFor();
  // Mobile 20 + company 10 + needs 15 + web form 10 + region 5.
  assert.equal((await lead.getByTestId('lead-score').first().innerText()).match(/\d+/)[0], '60');
  assert.equal(await lead.getByTestId('lead-score').first().getAttribute('data-grade'), 'hot');
  await lead.getByRole('link', { name: '赵敏' }).first().click();
  await page.waitForURL(/\/leads\/\d+$/);
  const parts = page.getByTestId('score-part');
  await parts.first().waitFor();
  assert.equal(await parts.count(), 5);
  assert.ok(await page.getByText('通过网站表单主动留资').isVisible());
  // Nothing on the page scrolls sideways on a phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
});

test('on a tablet a manager assigns a pool lead, a salesperson claims another and fixes a new lead', async () => {
  const manager = await newPage(env, TABLET);
  await signIn(manager, 'zhangwei');
  await openLeads(manager, '?view=pool');
  await row(manager, '黄晓东').getByTestId('lead-select').tap();
  await manager.getByTestId('assign-owner').selectOption({ label: '李娜' });
  await manager.getByTestId('assign-submit').tap();
  await manager.getByTestId('lead-notice').filter({ hasText: '1' }).waitFor();
  await row(manager, '黄晓东').waitFor({ state: 'detached' });

  const page = await newPage(env, TABLET);
  await signIn(page, 'lina');
  await openLeads(page, '?view=pool');
  await row(page, '林芳').getByTestId('claim').tap();
  await page.getByTestId('lead-notice').filter({ hasText: '林芳' }).waitFor();
  await openLeads(page, '?view=mine');
  await row(page, '林芳').waitFor();
  await row(page, '黄晓东').waitFor();

  // A new lead without any way to reach it: the error sits next to the mobile field.
  await page.goto('/leads/new');
  await hydrated(page);
  await page.fill('#name', '吴磊');
  await page.fill('#title', '技术总监');
  await page.getByTestId('lead-save').tap();
  await page.locator('#mobile-error').filter({ hasText: '请填写手机、电话或邮箱' }).waitFor();
  assert.equal(await page.inputValue('#title'), '技术总监');
  await page.fill('#email', 'wulei@example.cn');
  // The preview explains the score before saving: decision maker 20 + e-mail 10.
  await page.getByTestId('score-preview').filter({ hasText: '30' }).waitFor();
  await page.getByTestId('lead-save').tap();
  await page.waitForURL(/\/leads\/\d+$/);
  await page.getByTestId('lead-score-section').filter({ hasText: '职务为决策人' }).waitFor();
});

test('on a desktop a salesperson converts a lead into customer, contact and opportunity', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await openLeads(page);
  await row(page, '周志明').getByRole('link', { name: '周志明' }).first().click();
  await page.waitForURL(/\/leads\/\d+$/);
  await hydrated(page);
  // The owner's department by name.
  await page.getByText('华东销售组').first().waitFor();
  await page.getByTestId('convert').click();
  const panel = page.getByTestId('convert-panel');
  await panel.waitFor();
  assert.equal(await page.inputValue('#convert-customer-name'), '苏州工业园区明德电子有限公司');
  await panel.getByTestId('convert-check').click();
  await panel.getByTestId('no-duplicates').waitFor();
  assert.ok(await panel.getByTestId('create-opportunity').isChecked());
  const opportunity = await page.inputValue('#convert-opportunity-name');
  assert.ok(opportunity.length > 0);
  await page.fill('#convert-amount', '300000');
  await panel.getByTestId('convert-submit').click();
  await page.getByTestId('converted').waitFor();
  assert.ok(await page.getByTestId('converted-opportunity').isVisible());

  // The customer exists with the lead's person as its contact and the new opportunity.
  await page.getByTestId('converted-customer').click();
  await page.waitForURL(/\/customers\/\d+$/);
  await page.getByRole('heading', { name: '苏州工业园区明德电子有限公司' }).first().waitFor();
  await page.getByText('周志明').first().waitFor();
  await page.getByText(opportunity).first().waitFor();
});

test('on a phone a salesperson imports a lead list; each lead goes to its territory', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  await openLeads(page);
  await page.getByTestId('import-leads').click();
  await page.waitForURL(/\/leads\/import$/);
  await hydrated(page);
  const csv = ['姓名,公司,手机,地区', '蒋涛,宁波海曙贸易有限公司,13811112222,浙江', '韩梅,天津滨海化工有限公司,13822223333,天津', '无效,,,'].join('\n');
  await page.getByLabel('文件').setInputFiles({ name: '展会线索.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + csv) });
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.waitForURL(/\/leads\/import\/\d+$/);
  await hydrated(page);
  await page.getByTestId('import-preview').getByText('宁波海曙贸易有限公司').waitFor();
  await page.getByRole('button', { name: '检查' }).click();
  const issue = page.getByTestId('import-report').getByTestId('import-issue');
  await issue.first().waitFor();
  assert.equal(await issue.count(), 1);
  await page.getByRole('button', { name: '开始导入' }).click();
  const done = page.getByTestId('import-report').filter({ hasText: '导入完成' });
  await done.waitFor();
  assert.deepEqual((await done.locator('dd').allInnerTexts()).map(Number), [3, 2, 0, 1], 'rows, new, skipped, errors');
  await page.getByRole('link', { name: '查看线索列表' }).click();
  await page.waitForURL(/\/leads$/);
  await page.getByTestId('lead-count').waitFor();
  // 浙江 is 华东, 李娜's territory; 天津 went to 王芳 in 华北.
  await row(page, '蒋涛').waitFor();
  assert.equal(await row(page, '韩梅').count(), 0);
  assert.deepEqual(page.errors, []);
});
