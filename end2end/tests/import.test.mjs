// Importing customers from a spreadsheet file, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, TABLET } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

test('a salesperson imports a CSV: maps columns, sees the bad row in the report, and imports the rest', async () => {
  const page = await newPage(env, TABLET);
  await signIn(page, 'lina');
  await page.goto('/customers/import');
  await hydrated(page);
  const csv = [
    '公司名称,电话,电子邮箱,联系人姓名,备注',
    '苏州工业园区星海电子有限公司,0512-6666 1001,info@xinghai.cn,周明,老客户介绍',
    '无锡太湖物流有限公司,0510-8888 2002,not-an-email,,',
    '杭州西溪数字营销策划有限公司,0571-8888 3003,,,',
    '南通江海建设工程有限公司,0513-8555 4004,,,',
  ].join('\n');
  await page.getByLabel('文件').setInputFiles({ name: '客户名单.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + csv) });
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.waitForURL(/\/customers\/import\/\d+$/);
  await hydrated(page);
  await page.getByTestId('import-preview').getByText('无锡太湖物流有限公司').waitFor();
  await page.getByText('共 4 行数据').waitFor();

  // "公司名称" is not a known heading: nothing is mapped to the name until the user picks it.
  await page.getByRole('button', { name: '检查' }).click();
  await page.getByText('请为“客户名称”选择一列').waitFor();
  await page.getByLabel('客户名称 *').selectOption({ label: '公司名称' });
  await page.getByLabel('邮箱', { exact: true }).selectOption({ label: '电子邮箱' });
  await page.getByRole('button', { name: '检查' }).click();
  const report = page.getByTestId('import-report');
  await report.getByText('检查结果（尚未导入）').waitFor();
  const issue = report.getByTestId('import-issue');
  assert.equal(await issue.count(), 1);
  assert.match(await issue.innerText(), /3[\s\S]*not-an-email[\s\S]*邮箱格式不正确/);
  await report.getByText(/第 4 行“杭州西溪数字营销策划有限公司”与“杭州西溪数字营销策划有限公司”重复/).waitFor();

  await page.getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入完成').waitFor();
  const done = page.getByTestId('import-report').filter({ hasText: '导入完成' });
  const counts = await done.locator('dd').allInnerTexts();
  assert.deepEqual(counts.map(Number), [4, 2, 0, 1, 1, 1], 'rows, new, updated, skipped, errors, contacts');
  assert.equal(await page.locator('progress').getAttribute('value'), '100');

  await page.getByRole('link', { name: '查看客户列表' }).click();
  await page.getByRole('link', { name: '苏州工业园区星海电子有限公司' }).click();
  await page.getByTestId('contacts').getByRole('heading', { name: '周明' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a file that is not a spreadsheet is refused with the reason', async () => {
  const page = await newPage(env);
  await signIn(page, 'lina');
  await page.goto('/customers/import');
  await page.getByLabel('文件').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71]) });
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.getByText('只支持 .csv 和 .xlsx 文件').waitFor();
});
