// Contacts, the activity timeline, visit plans, the public pool, reassignment and
// merging duplicates, clicked through in a real browser on phone, tablet and desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, PHONE, TABLET, DESKTOP } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function openCustomer(page, name) {
  await page.goto(`/customers?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await hydrated(page);
}

test('on a phone, a salesperson adds a contact (fixing a bad e-mail), sees the reporting chart and logs a call', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  await openCustomer(page, '北京天度网络科技有限公司');
  const contacts = page.getByTestId('contacts');
  await contacts.getByText('陈国栋').first().waitFor();
  const chart = page.getByTestId('org-chart');
  await chart.getByText('刘晓梅').waitFor();

  await contacts.getByRole('button', { name: '添加联系人' }).click();
  const form = page.getByTestId('contact-form');
  await form.getByLabel('姓名').fill('周海涛');
  await form.getByLabel('职务').fill('财务总监');
  await form.getByLabel('邮箱').fill('zhou@');
  await form.getByLabel('直属上级').selectOption({ label: '陈国栋' });
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('邮箱格式不正确').waitFor();
  assert.equal(await form.getByLabel('姓名').inputValue(), '周海涛', 'what was typed stays');
  await form.getByLabel('邮箱').fill('zhou@tiandu.com.cn');
  await form.getByRole('button', { name: '保存' }).click();
  await contacts.getByRole('heading', { name: '周海涛' }).waitFor();
  await chart.getByText('周海涛').waitFor();

  const timeline = page.getByTestId('timeline');
  await timeline.getByRole('button', { name: '记录跟进' }).click();
  const af = page.getByTestId('activity-form');
  await af.getByLabel('类型').selectOption('call');
  await af.getByLabel('联系人').selectOption({ label: '周海涛' });
  await af.getByLabel('主题').fill('确认年度预算');
  await af.getByRole('button', { name: '保存' }).click();
  // Newest first: the planned visit (in two days) heads the list, then the call just logged.
  const items = timeline.getByTestId('activity');
  await items.filter({ hasText: '确认年度预算' }).getByText('周海涛').waitFor();
  assert.match(await items.nth(0).innerText(), /拜访采购经理/);
  assert.match(await items.nth(1).innerText(), /确认年度预算/);

  await timeline.getByRole('button', { name: '拜访', exact: true }).click();
  await timeline.getByText('上门拜访，演示新版系统').waitFor();
  await timeline.getByText('确认年度预算').waitFor({ state: 'detached' });
  const kinds = await timeline.getByTestId('activity').allInnerTexts();
  assert.ok(kinds.length >= 1 && kinds.every((k) => k.includes('拜访')), 'only visits are listed');
  assert.deepEqual(page.errors, []);
});

test('the visit plan lists planned visits and takes the visit result', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'lina');
  await page.goto('/activities/plan');
  await hydrated(page);
  const plan = page.getByTestId('plan');
  await plan.getByText('拜访采购经理，确认合同条款').waitFor();
  await plan.getByRole('button', { name: '填写结果' }).first().click();
  await page.getByLabel('拜访结果').fill('对方同意下周签约');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('没有待办的拜访计划').waitFor();
  await openCustomer(page, '北京天度网络科技有限公司');
  const visit = page.getByTestId('activity').filter({ hasText: '对方同意下周签约' });
  await visit.waitFor();

  // Attach the signed minutes to the visit; a disguised file is refused with the reason.
  await visit.getByText('添加附件').click();
  await visit.getByLabel('选择文件').setInputFiles({ name: 'virus.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90') });
  await visit.getByRole('button', { name: '上传' }).click();
  await page.getByRole('alert').filter({ hasText: '文件内容与扩展名不符' }).waitFor();
  await hydrated(page);
  const again = page.getByTestId('activity').filter({ hasText: '对方同意下周签约' });
  await again.getByText('添加附件').click();
  await again.getByLabel('选择文件').setInputFiles({ name: '拜访纪要.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n纪要') });
  await again.getByRole('button', { name: '上传' }).click();
  await hydrated(page);
  const link = page.getByRole('link', { name: /拜访纪要\.pdf/ });
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '拜访纪要.pdf');
});

test('upcoming birthdays list contacts of the salesperson\'s customers', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'lina');
  await page.goto('/contacts/birthdays');
  await hydrated(page);
  const list = page.getByTestId('birthdays');
  await list.getByText('刘晓梅').waitFor();
  await list.getByText('3 天后').first().waitFor();
});

test('on a phone, a salesperson claims a customer from the pool, up to the daily limit shown', async () => {
  const page = await newPage(env, PHONE);
  await signIn(page, 'wangfang');
  await page.goto('/customers/pool');
  await hydrated(page);
  await page.getByText('今天还可以领取 5 个客户').waitFor();
  const pool = page.getByTestId('pool');
  const item = pool.getByRole('listitem').first();
  const name = (await item.getByRole('link').innerText()).trim();
  await item.getByRole('button', { name: '领取' }).click();
  await page.getByRole('status').filter({ hasText: `已领取“${name}”` }).waitFor();
  await page.getByText('今天还可以领取 4 个客户').waitFor();
  assert.equal(await pool.getByRole('link', { name, exact: true }).count(), 0);

  await openCustomer(page, name);
  const own = page.getByTestId('ownership');
  await own.getByText('王芳').first().waitFor();
  await own.getByTestId('owner-history').getByText('从公海领取').waitFor();
  // Released again, with a reason; it is back in the pool.
  await own.getByRole('button', { name: '放入公海' }).click();
  await page.getByRole('button', { name: '确认放入公海' }).click();
  await page.getByText('必填').first().waitFor();
  await page.getByLabel('原因').fill('客户暂无采购计划');
  await page.getByRole('button', { name: '确认放入公海' }).click();
  await own.getByText('公海客户（无负责人）').waitFor();
  await own.getByText('客户暂无采购计划').waitFor();
});

test('a manager reassigns every customer of one salesperson to another with a reason', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'zhangwei');
  await page.goto('/customers/transfer');
  await hydrated(page);
  const form = page.getByTestId('transfer-form');
  await form.getByLabel('原负责人').selectOption({ label: '王芳' });
  await form.getByText(/将转移 \d+ 个客户/).waitFor();
  const n = Number((await form.getByTestId('transfer-count').innerText()).match(/\d+/)[0]);
  assert.ok(n > 0);
  await form.getByLabel('新负责人').selectOption({ label: '李娜' });
  await form.getByRole('button', { name: '转移客户' }).click();
  await form.getByText('必填').waitFor();
  await form.getByLabel('原因').fill('王芳调岗，客户交接给李娜');
  await form.getByRole('button', { name: '转移客户' }).click();
  await form.getByText(`已转移 ${n} 个客户`).waitFor();
  await form.getByText('将转移 0 个客户').waitFor();

  await openCustomer(page, '上海浦江精密机械股份有限公司');
  const history = page.getByTestId('owner-history');
  await history.getByText('从 王芳 转给 李娜').waitFor();
  await history.getByText('王芳调岗，客户交接给李娜').waitFor();
});

test('a duplicate found on a saved customer is merged with its contacts and the merge is undone', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await page.goto('/customers/new');
  await hydrated(page);
  await page.getByLabel('客户名称').fill('天度网络（北京）科技有限公司');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').filter({ hasText: '可能重复的客户' }).waitFor();
  await page.getByRole('button', { name: '仍然保存' }).click();
  await page.getByRole('heading', { name: '天度网络（北京）科技有限公司', level: 1 }).waitFor();
  await hydrated(page);

  const dups = page.getByTestId('duplicates');
  await dups.getByRole('link', { name: '北京天度网络科技有限公司' }).waitFor();
  await dups.getByRole('button', { name: '合并到本客户' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: '确认合并' }).click();
  await page.getByRole('status').filter({ hasText: '已把“北京天度网络科技有限公司”合并到本客户' }).waitFor();
  const contacts = page.getByTestId('contacts');
  await contacts.getByRole('heading', { name: '陈国栋' }).waitFor();
  await page.getByTestId('timeline').getByText('电话沟通年度采购计划').waitFor();

  await page.getByRole('status').getByRole('button', { name: '撤销合并' }).click();
  await contacts.getByText('还没有联系人').waitFor();
  await openCustomer(page, '北京天度网络科技有限公司');
  await page.getByTestId('contacts').getByRole('heading', { name: '陈国栋' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('on a tablet, an owner shares a customer with a colleague in another team, who then sees it read-only and leaves', async () => {
  const owner = await newPage(env, TABLET);
  await signIn(owner, 'lina');
  await openCustomer(owner, '北京天度网络科技有限公司');
  const team = owner.getByTestId('collaborators');
  await team.getByText('还没有协作人。').waitFor();
  await team.getByRole('button', { name: '添加协作人' }).tap();
  await team.getByText('必填').waitFor();
  await team.getByLabel('同事').selectOption({ label: '王芳' });
  await team.getByRole('button', { name: '添加协作人' }).tap();
  const row = team.getByTestId('collaborator-list').getByRole('listitem').filter({ hasText: '王芳' });
  await row.getByText('可查看').waitFor();

  const colleague = await newPage(env, TABLET);
  await signIn(colleague, 'wangfang');
  await openCustomer(colleague, '北京天度网络科技有限公司');
  assert.equal(await colleague.getByRole('link', { name: '编辑' }).count(), 0, 'view access offers no edit');
  const mine = colleague.getByTestId('collaborators');
  await mine.getByRole('button', { name: '退出协作: 王芳' }).tap();
  await mine.getByText('还没有协作人。').waitFor();
  await colleague.goto(`/customers?q=${encodeURIComponent('北京天度网络科技有限公司')}`);
  await hydrated(colleague);
  await colleague.getByText('没有符合条件的客户').waitFor();
  assert.deepEqual(owner.errors, []);
  assert.deepEqual(colleague.errors, []);
});

test('a flagged customer that is a sister company is linked as related instead of merged', async () => {
  const page = await newPage(env, DESKTOP);
  await signIn(page, 'lina');
  await page.goto('/customers/new');
  await hydrated(page);
  await page.getByLabel('客户名称').fill('天度科技有限公司');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').filter({ hasText: '可能重复的客户' }).waitFor();
  await page.getByRole('button', { name: '仍然保存' }).click();
  await page.getByRole('heading', { name: '天度科技有限公司', level: 1 }).waitFor();
  await hydrated(page);

  const dups = page.getByTestId('duplicates');
  await dups.getByRole('link', { name: '北京天度网络科技有限公司' }).waitFor();
  await dups.getByRole('listitem').filter({ hasText: '北京天度网络科技有限公司' }).getByRole('button', { name: '关联为相关客户' }).click();
  const related = page.getByTestId('related');
  await related.getByRole('link', { name: '北京天度网络科技有限公司' }).waitFor();
  await dups.getByRole('link', { name: '北京天度网络科技有限公司' }).waitFor({ state: 'detached' });

  await openCustomer(page, '北京天度网络科技有限公司');
  await page.getByTestId('related').getByRole('link', { name: '天度科技有限公司' }).waitFor();
  await page.getByRole('button', { name: '取消关联: 天度科技有限公司' }).click();
  await page.getByTestId('related').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});
