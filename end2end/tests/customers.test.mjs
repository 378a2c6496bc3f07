// What a salesperson and a manager do with customers, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function createCustomer(page, name, extra = {}) {
  await page.goto('/customers/new');
  await hydrated(page);
  await page.getByLabel('客户名称').fill(name);
  for (const [label, value] of Object.entries(extra)) {
    await page.getByLabel(label).fill(value);
  }
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/customers\/\d+$/);
  await page.getByRole('heading', { name }).waitFor();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

test('signed out, every page leads to the login page', async () => {
  const page = await newPage(env);
  await page.goto('/customers');
  assert.match(page.url(), /\/login\?next=%2Fcustomers$/);
  await page.getByRole('button', { name: '登录' }).waitFor();
  const res = await page.request.get(`${env.base}/api/list_customers`);
  assert.equal(res.status(), 401);
});

test('wrong password shows a translated error next to the field', async () => {
  const page = await newPage(env);
  await page.goto('/login');
  await page.getByLabel('用户名').fill('lina');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('用户名或密码错误').waitFor();
  assert.equal(await page.getByLabel('用户名').inputValue(), 'lina');
});

test('a salesperson creates a customer with a Chinese name, finds it by substring, edits it', async () => {
  const page = await newPage(env);
  await signIn(page, 'lina');
  const id = await createCustomer(page, '杭州云栖数据科技有限公司', { '电话': '0571-8888 1234' });
  assert.ok(id > 0);

  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('searchbox').fill('云栖数据');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.waitForURL(/q=/);
  const link = page.getByRole('link', { name: '杭州云栖数据科技有限公司' });
  await link.waitFor();
  assert.equal(await page.getByRole('link', { name: /有限公司/ }).count(), 1, 'only the match is listed');

  await link.click();
  await page.getByRole('link', { name: '编辑' }).click();
  await hydrated(page);
  await page.getByLabel('地区').fill('浙江');
  await page.getByLabel('邮箱').fill('not-an-email');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('邮箱格式不正确').waitFor();
  assert.equal(await page.getByLabel('邮箱').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('邮箱').fill('hello@yunqi.cn');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(new RegExp(`/customers/${id}$`));
  await page.getByText('hello@yunqi.cn').waitFor();
  await page.getByText('浙江').waitFor();
  assert.deepEqual(page.errors, []);
});

test('a stale edit from a second page is refused with a conflict and keeps what was typed', async () => {
  const first = await newPage(env);
  await signIn(first, 'lina');
  const id = await createCustomer(first, '并发编辑测试有限公司');
  const second = await first.context().newPage();

  await first.goto(`/customers/${id}/edit`);
  await hydrated(first);
  await second.goto(`/customers/${id}/edit`);
  await hydrated(second);

  await first.getByLabel('地区').fill('上海');
  await first.getByRole('button', { name: '保存' }).click();
  await first.waitForURL(new RegExp(`/customers/${id}$`));

  await second.getByLabel('地区').fill('北京');
  await second.getByRole('button', { name: '保存' }).click();
  await second.getByText('该记录在您打开后已被他人修改').waitFor();
  assert.equal(await second.getByLabel('地区').inputValue(), '北京', 'typed input is kept');

  await first.reload();
  await first.getByText('上海').waitFor();
  assert.equal(await first.getByText('北京').count(), 0, 'nothing was overwritten');
});

test("a salesperson is refused another salesperson's customer", async () => {
  const wang = await newPage(env);
  await signIn(wang, 'wangfang');
  const id = await createCustomer(wang, '王芳的私有客户有限公司');

  const lina = await newPage(env);
  await signIn(lina, 'lina');
  await lina.goto(`/customers/${id}`);
  await lina.getByText('找不到该记录，或您无权查看').waitFor();
  await lina.goto(`/customers/${id}/edit`);
  await lina.getByText('找不到该记录，或您无权查看').waitFor();
  await lina.goto('/customers?q=王芳的私有');
  await lina.getByText('没有符合条件的客户').waitFor();

  // Their manager sees it.
  const manager = await newPage(env);
  await signIn(manager, 'zhangwei');
  await manager.goto(`/customers/${id}`);
  await manager.getByRole('heading', { name: '王芳的私有客户有限公司' }).waitFor();
});

test('delete is soft and can be undone', async () => {
  const page = await newPage(env);
  await signIn(page, 'lina');
  const id = await createCustomer(page, '删除撤销测试有限公司');
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: '删除' }).click();
  await page.getByText('该客户已删除。').waitFor();
  await page.goto('/customers?q=删除撤销测试');
  await page.getByText('没有符合条件的客户').waitFor();
  await page.goto(`/customers/${id}`);
  await hydrated(page);
  await page.getByRole('button', { name: '撤销删除' }).click();
  await page.getByRole('link', { name: '编辑' }).waitFor();
  await page.goto('/customers?q=删除撤销测试');
  await page.getByRole('link', { name: '删除撤销测试有限公司' }).first().waitFor();
});

test('on a phone: bottom navigation, single column, touch', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  const bottom = page.getByRole('navigation', { name: '底部导航' });
  assert.ok(await bottom.isVisible());
  assert.equal(await page.getByRole('navigation', { name: '主导航' }).isVisible(), false);
  await bottom.getByRole('link', { name: '新建客户' }).tap();
  await page.waitForURL(/\/customers\/new$/);
  await hydrated(page);
  await page.getByLabel('客户名称').tap();
  await page.getByLabel('客户名称').fill('手机端创建的客户有限公司');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByRole('heading', { name: '手机端创建的客户有限公司' }).waitFor();
  await bottom.getByRole('link', { name: '客户', exact: true }).tap();
  await page.getByRole('link', { name: /手机端创建的客户/ }).first().waitFor();
  const box = await page.getByRole('button', { name: '搜索' }).boundingBox();
  assert.ok(box.height >= 44, `touch target is ${box.height}px high`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (${width}px)`);
});

test('on a tablet: sidebar, large touch targets, tap to open and edit', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'zhangwei');
  assert.ok(await page.getByRole('navigation', { name: '主导航' }).isVisible());
  await page.getByRole('link', { name: '上海浦江精密机械股份有限公司' }).first().tap();
  await page.getByRole('heading', { name: '上海浦江精密机械股份有限公司' }).waitFor();
  await page.getByRole('link', { name: '编辑' }).tap();
  await hydrated(page);
  const box = await page.getByRole('button', { name: '保存' }).boundingBox();
  assert.ok(box.height >= 44, `touch target is ${box.height}px high`);
  await page.getByLabel('备注').fill('平板上修改');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByText('平板上修改').waitFor();
});

test('languages: Traditional Chinese and English throughout, remembered per user', async () => {
  const page = await newPage(env, DESKTOP, 'en-US');
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByRole('button', { name: '繁體中文' }).click();
  await page.getByRole('button', { name: '登入' }).waitFor();
  await page.getByLabel('使用者名稱').fill('lina');
  await page.getByLabel('密碼').fill('demo-pass-2026');
  await page.getByRole('button', { name: '登入' }).click();
  await page.getByRole('heading', { name: '客戶' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Customers' }).waitFor();
  await page.getByRole('link', { name: 'New customer' }).first().waitFor();
  // The choice is saved for the user; switch back so later tests see the default.
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByRole('heading', { name: '客户' }).waitFor();
});

test('a near-duplicate name is flagged with the reason before saving, and can be saved anyway', async () => {
  const page = await newPage(env);
  await signIn(page, 'lina');
  await page.goto('/customers/new');
  await hydrated(page);
  await page.getByLabel('客户名称').fill('西溪数字营销策划（杭州）有限公司');
  await page.getByRole('button', { name: '保存' }).click();
  const warning = page.getByRole('alert').filter({ hasText: '可能重复的客户' });
  await warning.waitFor();
  await warning.getByRole('link', { name: '杭州西溪数字营销策划有限公司' }).waitFor();
  await warning.getByText(/名称相同/).waitFor();
  assert.match(page.url(), /\/customers\/new$/, 'nothing saved yet');
  await page.getByRole('button', { name: '仍然保存' }).click();
  await page.getByRole('heading', { name: '西溪数字营销策划（杭州）有限公司' }).waitFor();
});

test('a manager exports the filtered list to CSV that Excel opens in Chinese', async () => {
  const page = await newPage(env);
  await signIn(page, 'zhangwei');
  await page.goto('/customers?q=精密机械');
  await hydrated(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出 CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^customers-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = (await import('node:fs')).readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 BOM');
  assert.match(text, /客户名称/);
  assert.match(text, /上海浦江精密机械股份有限公司/);
  assert.equal(text.trim().split('\n').length, 2, 'header and the one match');

  const lina = await newPage(env);
  await signIn(lina, 'lina');
  assert.equal(await lina.getByRole('link', { name: '导出 CSV' }).count(), 0, 'salespeople have no export');
  const res = await lina.request.get(`${env.base}/customers/export.csv`);
  assert.equal(res.status(), 403);
});
