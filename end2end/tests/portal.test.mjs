// The customer self-service portal, end to end. The account manager opens portal access
// on the customer's page (bad input is refused next to the fields); the customer signs
// in on a phone, finds their own requests, submits a new one (a missing subject is
// shown next to the field and nothing typed is lost), and talks with the service desk,
// whose reply and whose view of the customer's answer are checked on both sides. The
// FAQ shows public articles only, orders show, and the staff app stays closed to a
// portal login. On a tablet in English the portal switches to Traditional Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, open, noSideScroll, DEMO_PASSWORD, PHONE, TABLET, DESKTOP } from '../lib.mjs';

const CUSTOMER = '杭州西溪数字营销策划有限公司';
let env;
before(async () => { env = await startServer(); });
after(async () => { await env?.stop(); });

test('a customer asks for help on a phone and talks with the service desk', async () => {
  // The account manager opens access.
  const lina = await newPage(env, DESKTOP);
  await signIn(lina, 'lina');
  await open(lina, '/customers');
  await lina.getByRole('link', { name: CUSTOMER }).first().click();
  await lina.waitForURL(/\/customers\/\d+$/);
  await hydrated(lina);
  const access = lina.getByTestId('portal-access');
  await access.locator('[data-testid="portal-login"][data-login="zhoumin@xixi.example.cn"]').waitFor();
  await lina.locator('#portal-name').fill('吴刚');
  await lina.locator('#portal-login').fill('wugang@');
  await lina.locator('#portal-password').fill('short');
  await lina.getByTestId('portal-create').click();
  await lina.locator('#portal-login-error').filter({ hasText: '请输入邮箱或手机号' }).waitFor();
  await lina.locator('#portal-password-error').filter({ hasText: '密码至少 8 个字符' }).waitFor();
  await lina.locator('#portal-login').fill('139 0571 0001');
  await lina.locator('#portal-password').fill('wugang-pass-2026');
  await lina.getByTestId('portal-create').click();
  await lina.getByTestId('portal-created').waitFor();
  await access.locator('[data-testid="portal-login"][data-login="13905710001"]').waitFor();
  assert.deepEqual(lina.errors, []);

  // The customer signs in on a phone.
  const phone = await newPage(env, PHONE);
  await phone.goto('/portal');
  await phone.waitForURL(/\/portal\/login$/);
  await phone.getByLabel('登录邮箱或手机号').fill('13905710001');
  await phone.getByLabel('密码').fill('not-the-password');
  await phone.getByRole('button', { name: '登录' }).tap();
  await phone.getByRole('alert').filter({ hasText: '账号或密码不正确' }).waitFor();
  await phone.getByLabel('密码').fill('wugang-pass-2026');
  await phone.getByRole('button', { name: '登录' }).tap();
  await phone.waitForURL(/\/portal$/);
  await phone.getByTestId('portal-who').filter({ hasText: CUSTOMER }).waitFor();
  // Their own requests, the demo repair among them; the page fits the phone.
  await phone.getByTestId('portal-request-link').filter({ hasText: '主轴高速运转时异响' }).waitFor();
  assert.equal(await phone.getByTestId('portal-request-link').filter({ hasText: '五轴' }).count(), 1, 'the resolved consultation is theirs too');
  assert.ok(await noSideScroll(phone));

  // A new request: the missing subject is shown by its field, the details stay.
  await phone.getByTestId('portal-new-request').tap();
  await phone.waitForURL(/\/portal\/requests\/new$/);
  await phone.locator('#kind').selectOption('repair');
  await phone.locator('#description').fill('加工中心换刀时报警，屏幕显示 ATC-12。');
  await phone.getByTestId('portal-submit').tap();
  await phone.locator('#subject-error').filter({ hasText: '必填' }).waitFor();
  assert.equal(await phone.locator('#description').inputValue(), '加工中心换刀时报警，屏幕显示 ATC-12。');
  assert.equal(await phone.locator('#kind').inputValue(), 'repair');
  await phone.locator('#subject').fill('换刀报警 ATC-12');
  await phone.locator('#asset').selectOption({ index: 1 });
  await phone.getByTestId('portal-submit').tap();
  await phone.waitForURL(/\/portal\/requests\/\d+\?done=sent$/);
  await phone.getByTestId('portal-notice').waitFor();
  await phone.locator('[data-testid="portal-status"][data-status="open"]').waitFor();
  assert.ok(await noSideScroll(phone));

  // The service desk finds it (routed to the repair queue's agent) and replies.
  const agent = await newPage(env, DESKTOP);
  await signIn(agent, 'liuyang');
  await open(agent, '/service');
  await agent.getByTestId('service-row').filter({ hasText: '换刀报警 ATC-12' }).getByRole('link').click();
  await agent.waitForURL(/\/service\/\d+$/);
  await hydrated(agent);
  await agent.getByText('VMC850-2025-0117').first().waitFor();
  await agent.getByTestId('service-reply-note').fill('请先断电重启，明天上午工程师上门检查刀库。');
  await agent.getByTestId('service-reply-save').click();
  await agent.locator('[data-testid="service-message"][data-from-customer="false"]').waitFor();
  // The desk now waits for the customer: the resolution clock stops.
  await agent.getByTestId('service-move-waiting').click();
  await agent.locator('[data-testid="sla-resolution"][data-state="paused"]').waitFor();

  // The customer reads the reply and answers; the desk sees the answer.
  await phone.reload();
  await phone.locator('[data-testid="portal-message"][data-from-customer="false"]').filter({ hasText: '明天上午工程师上门' }).waitFor();
  await phone.locator('[data-testid="portal-status"][data-status="waiting"]').waitFor();
  await phone.getByTestId('portal-send').tap();
  await phone.locator('#body-error').filter({ hasText: '必填' }).waitFor();
  await phone.locator('#body').fill('已重启，仍然报警。');
  await phone.getByTestId('portal-send').tap();
  await phone.waitForURL(/done=posted$/);
  await phone.locator('[data-testid="portal-message"][data-from-customer="true"]').filter({ hasText: '仍然报警' }).waitFor();
  await agent.reload();
  await hydrated(agent);
  await agent.locator('[data-testid="service-message"][data-from-customer="true"]').filter({ hasText: '仍然报警' }).waitFor();
  // The answer put the request back to work and restarted the clock.
  await agent.locator('[data-testid="sla-resolution"]:not([data-state="paused"])').first().waitFor();
  await agent.getByTestId('service-move-waiting').waitFor();

  // Resolved, the customer rates it: unhappy, with a reason, which reopens it.
  await agent.getByTestId('service-resolution-input').fill('更换刀库定位传感器，试机正常。');
  await agent.getByTestId('service-move-resolved').click();
  await agent.locator('[data-testid="sla-resolution"][data-state="met"], [data-testid="sla-resolution"][data-state="met_late"]').first().waitFor();
  await phone.reload();
  const rateForm = phone.getByTestId('portal-rate-form');
  await rateForm.waitFor();
  await phone.getByTestId('portal-rate-send').tap();
  await phone.locator('#score-error').filter({ hasText: '请选择满意程度' }).waitFor();
  await rateForm.getByText('不满意', { exact: true }).tap();
  await phone.getByTestId('portal-rate-send').tap();
  await phone.locator('#comment-error').filter({ hasText: '请告诉我们哪里没有做好' }).waitFor();
  assert.equal(await phone.getByTestId('portal-rate-2').isChecked(), true, 'the choice is kept');
  await phone.locator('#comment').fill('第二天又报警了');
  await phone.getByTestId('portal-rate-send').tap();
  await phone.waitForURL(/done=reopened$/);
  await phone.locator('[data-testid="portal-status"][data-status="in_progress"]').waitFor();
  assert.ok(await noSideScroll(phone));
  await agent.reload();
  await hydrated(agent);
  const visit = agent.locator('[data-testid="service-visit"][data-score="2"]');
  await visit.getByText('客户门户').waitFor();
  await visit.getByText('第二天又报警了').waitFor();
  assert.deepEqual(agent.errors, []);

  // The FAQ: public articles only, searchable in Chinese.
  await phone.goto('/portal/faq');
  await phone.getByTestId('portal-faq-link').first().waitFor();
  const titles = await phone.getByTestId('portal-faq-link').locator('span.font-medium').allInnerTexts();
  assert.deepEqual(titles.sort(), ['主轴异响排查步骤', '收银终端无法开机怎么办'].sort());
  await phone.locator('#q').fill('轴承');
  await phone.getByRole('button', { name: '搜索' }).tap();
  await phone.waitForURL(/q=/);
  assert.equal(await phone.getByTestId('portal-faq-link').count(), 1);
  await phone.getByTestId('portal-faq-link').tap();
  await phone.getByTestId('portal-article-title').filter({ hasText: '主轴异响排查步骤' }).waitFor();

  // Orders, and nothing of the staff app.
  await phone.goto('/portal/orders');
  await phone.locator('[data-testid="portal-orders"], [data-testid="portal-no-orders"]').first().waitFor();
  await phone.goto('/customers');
  await phone.waitForURL(/\/login\?next=/);
});

test('the portal on a tablet in English switches to Traditional Chinese and signs out', async () => {
  const tablet = await newPage(env, TABLET, 'en');
  // The FAQ is open without a login, with the way in on the page.
  await tablet.goto('/portal/faq');
  await tablet.getByRole('heading', { name: 'Frequently asked questions' }).waitFor();
  await tablet.getByTestId('portal-sign-in-link').tap();
  await tablet.waitForURL(/\/portal\/login$/);
  await tablet.getByRole('heading', { name: 'Sign in to customer service' }).waitFor();
  await tablet.getByLabel('E-mail or mobile number').fill('zhoumin@xixi.example.cn');
  await tablet.getByLabel('Password').fill(DEMO_PASSWORD);
  await tablet.getByRole('button', { name: 'Sign in' }).tap();
  await tablet.waitForURL(/\/portal$/);
  await tablet.getByRole('heading', { name: 'My service requests' }).waitFor();
  await tablet.getByRole('button', { name: '繁體中文' }).tap();
  await tablet.getByRole('heading', { name: '我的服務申請' }).waitFor();
  assert.equal(await tablet.locator('html').getAttribute('lang'), 'zh-TW');
  assert.ok(await noSideScroll(tablet));
  await tablet.getByTestId('portal-sign-out').tap();
  await tablet.waitForURL(/\/portal\/login$/);
  await tablet.goto('/portal');
  await tablet.waitForURL(/\/portal\/login$/);
});
