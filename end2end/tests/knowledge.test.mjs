// The knowledge base, end to end: the service agent writes an article (a missing title
// is explained next to the field), finds it by Chinese words of two and of four
// characters, finds it suggested on the demo repair whose text it matches and links it;
// deletes another and undoes it. A salesperson on a phone, in English, reads it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, PHONE, TABLET, DEMO_PASSWORD } from '../lib.mjs';

let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('articles are written, found in Chinese, suggested on a request and linked', async () => {
  const agent = await newPage(env, TABLET);
  await signIn(agent, 'liuyang');
  await open(agent, '/kb');
  await agent.getByTestId('kb-new').tap();
  await agent.waitForURL(/\/kb\/new$/);
  await hydrated(agent);
  await agent.locator('#kb-body').fill('主轴高速运转后温升超过 15℃ 时：\n1. 停机冷却；\n2. 检查冷却液流量；\n3. 复查轴承预紧力。');
  await agent.getByTestId('kb-save').tap();
  await agent.locator('#kb-title[aria-invalid="true"]').waitFor();
  await agent.locator('#kb-title-error').filter({ hasText: '必填' }).waitFor();
  await agent.locator('#kb-title').fill('主轴温升过高的处理');
  await agent.locator('#kb-category').fill('数控机床');
  await agent.locator('#kb-tags').fill('主轴，温升');
  await agent.getByTestId('kb-save').tap();
  await agent.waitForURL(/\/kb\/\d+$/);
  await hydrated(agent);
  await agent.getByTestId('kb-body').filter({ hasText: '复查轴承预紧力' }).waitFor();
  const articleUrl = new URL(agent.url()).pathname;

  // Two-character and four-character searches.
  for (const words of ['温升', '冷却液流量']) {
    await open(agent, `/kb?q=${encodeURIComponent(words)}`);
    await agent.getByTestId('kb-row').filter({ hasText: '主轴温升过高的处理' }).waitFor();
  }
  await agent.getByTestId('kb-search').fill('没有这样的文章');
  await agent.getByTestId('kb-search-go').tap();
  await agent.getByTestId('kb-empty').waitFor();

  // Suggested on the demo repair about the spindle, and linked in one tap.
  await open(agent, '/service');
  await agent.getByTestId('service-row').filter({ hasText: '主轴高速运转时异响' }).getByRole('link').tap();
  await agent.waitForURL(/\/service\/\d+$/);
  await hydrated(agent);
  const suggested = agent.getByTestId('kb-suggested').filter({ hasText: '主轴温升过高的处理' });
  await suggested.waitFor();
  await suggested.getByTestId('kb-link').tap();
  await agent.getByTestId('kb-linked').filter({ hasText: '主轴温升过高的处理' }).waitFor();
  assert.equal(await agent.getByTestId('kb-suggested').filter({ hasText: '主轴温升过高的处理' }).count(), 0);
  assert.ok(await noSideScroll(agent));

  // The article lists the request; deleting it can be undone.
  await open(agent, articleUrl);
  await agent.getByText('主轴高速运转时异响').waitFor();
  await agent.getByTestId('kb-delete').tap();
  await agent.getByTestId('kb-deleted').waitFor();
  await agent.getByTestId('kb-undo').tap();
  await agent.getByTestId('kb-body').waitFor();
  assert.deepEqual(agent.errors, []);

  // A salesperson on a phone reads it in English, without the editing buttons.
  const sales = await newPage(env, PHONE, 'en');
  await sales.goto('/login');
  await sales.locator('input[name=username]').fill('lina');
  await sales.locator('input[name=password]').fill(DEMO_PASSWORD);
  await sales.getByRole('button', { name: 'Sign in' }).tap();
  await sales.waitForURL((u) => !u.pathname.startsWith('/login'));
  await open(sales, '/kb?q=%E6%B8%A9%E5%8D%87');
  await sales.getByTestId('kb-row').filter({ hasText: '主轴温升过高的处理' }).getByRole('link').tap();
  await sales.waitForURL(/\/kb\/\d+$/);
  await hydrated(sales);
  await sales.getByTestId('kb-body').waitFor();
  await sales.getByText(/^Updated .* by 刘洋$/).waitFor();
  assert.equal(await sales.getByTestId('kb-edit').count(), 0);
  assert.equal(await sales.getByTestId('kb-new').count(), 0);
  assert.ok(await noSideScroll(sales));
  assert.deepEqual(sales.errors, []);
});
