// What an administrator does: users, departments, roles, the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, ADMIN_PASSWORD } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

test('an administrator adds a department and a salesperson who can then sign in', async () => {
  const page = await newPage(env);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/admin/departments');
  await hydrated(page);
  await page.getByLabel('部门名称').fill('华南销售组');
  await page.getByLabel('上级部门').selectOption({ label: '　销售部' });
  await page.getByRole('button', { name: '添加部门' }).click();
  await page.getByRole('listitem').filter({ hasText: '华南销售组' }).waitFor();

  await page.goto('/admin/users');
  await hydrated(page);
  await page.getByRole('button', { name: '新建用户' }).click();
  await page.getByLabel('用户名').fill('zhaolei');
  await page.getByLabel('姓名').fill('赵磊');
  await page.getByLabel('部门').selectOption({ label: '　　华南销售组' });
  await page.getByLabel('密码').fill('short');
  await page.getByRole('checkbox', { name: '销售员' }).check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('密码至少 8 个字符').waitFor();
  await page.getByLabel('密码').fill('zhaolei-pass-1');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('cell', { name: 'zhaolei', exact: true }).waitFor();

  const newcomer = await newPage(env);
  await signIn(newcomer, 'zhaolei', 'zhaolei-pass-1');
  await newcomer.getByRole('heading', { name: '客户' }).waitFor();
  await newcomer.getByText('没有符合条件的客户').waitFor();
  assert.equal(await newcomer.getByRole('link', { name: '审计日志' }).count(), 0, 'no admin links for a salesperson');
  await newcomer.goto('/admin/users');
  await newcomer.getByText('您没有执行此操作的权限').waitFor();
});

test('the audit log shows sign-ins and changes and verifies its chain', async () => {
  const page = await newPage(env);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/admin/audit?action=login');
  await hydrated(page);
  await page.getByText('系统管理员').first().waitFor();
  await page.getByRole('button', { name: '校验完整性' }).click();
  await page.getByText(/哈希链完整/).waitFor();
  await page.goto('/admin/audit?entity=customer');
  await page.getByText('北京天度网络科技有限公司').first().waitFor();
});

test('roles page shows each role with its data scopes', async () => {
  const page = await newPage(env);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/admin/roles');
  await page.getByRole('heading', { name: /销售经理/ }).waitFor();
  await page.getByText('本部门及下级').first().waitFor();
});
