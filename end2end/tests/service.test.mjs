// The service desk, end to end: the administrator routes repairs to the service agent
// with escalation to himself and a one-minute urgent response target; the agent, on a
// tablet, records an installed asset out of warranty, logs an urgent repair against it
// (bad input explained next to the field), replies, resolves and closes it; a second
// urgent repair left unanswered is escalated by the SLA job and shows on the
// administrator's dashboard and in his plan. A salesperson on a phone, in English, turns
// a pre-sales consultation into a lead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newPage, signIn, hydrated, PHONE, TABLET, DESKTOP, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib.mjs';

let env;
// The SLA job every 2 seconds, so the escalation shows while the test runs.
before(async () => { env = await startServer({ CRM_SLA_EVERY_SECS: '2' }); });
after(async () => { await env?.stop(); });

async function open(page, path) {
  await page.goto(path);
  await hydrated(page);
}

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/// Logs an urgent repair for customer 1 from the customer's page; returns its number.
async function logRepair(page, subject, { asset = false } = {}) {
  await open(page, '/customers/1');
  await page.getByTestId('customer-new-service').tap();
  await page.waitForURL(/\/service\/new\?customer=1/);
  await hydrated(page);
  await page.getByTestId('picked-customer').filter({ hasText: '北京天度网络科技有限公司' }).waitFor();
  if (asset) {
    await page.getByTestId('service-asset').selectOption({ label: '螺杆空压机 · LG37-2019-0042' });
    await page.getByTestId('service-asset-warranty').locator('[data-testid="warranty"][data-state="out"]').waitFor();
  }
  await page.getByTestId('service-priority').selectOption('urgent');
  await page.locator('#subject').fill(subject);
  await page.locator('#description').fill('设备运行时异响，压力不足');
  await page.getByTestId('service-save').tap();
  await page.waitForURL(/\/service\/\d+$/);
  await hydrated(page);
  const title = await page.locator('h1').innerText();
  return title.split(' · ')[0].trim();
}

test('routing, SLA, reply, resolution and escalation at the service desk', async () => {
  const admin = await newPage(env, DESKTOP);
  await signIn(admin, 'admin', ADMIN_PASSWORD);
  await open(admin, '/admin/settings/service');
  await admin.getByTestId('route-repair-assignee').selectOption({ label: '刘洋' });
  await admin.getByTestId('route-repair-escalate_to').selectOption({ label: '系统管理员' });
  // A resolution time shorter than the response time is refused next to the cell.
  await admin.getByTestId('sla-repair-urgent-resolution').fill('0');
  await admin.getByTestId('service-settings-save').click();
  await admin.locator('[data-testid="sla-repair-urgent-resolution"][aria-invalid="true"]').waitFor();
  await admin.getByTestId('sla-repair-urgent-resolution').fill('240');
  await admin.getByTestId('sla-repair-urgent-response').fill('1');
  await admin.getByTestId('service-settings-save').click();
  await admin.getByTestId('service-settings-saved').waitFor();
  assert.deepEqual(admin.errors, []);

  // The agent on a tablet: an asset out of warranty on the customer's page.
  const agent = await newPage(env, TABLET);
  await signIn(agent, 'liuyang');
  await open(agent, '/customers/1');
  const assets = agent.getByTestId('customer-assets');
  await assets.getByText('添加设备').first().tap();
  await agent.getByTestId('asset-name').fill('螺杆空压机');
  await agent.getByTestId('asset-save').tap();
  await agent.getByTestId('asset-serial_no-error').filter({ hasText: '必填' }).waitFor();
  await agent.getByTestId('asset-serial_no').fill('LG37-2019-0042');
  await agent.getByTestId('asset-installed_on').fill('2019-03-01');
  await agent.getByTestId('asset-warranty_ends_on').fill('2021-02-28');
  await agent.getByTestId('asset-save').tap();
  await assets.getByTestId('asset-row').filter({ hasText: 'LG37-2019-0042' }).locator('[data-testid="warranty"][data-state="out"]').waitFor();

  // An urgent repair on that asset: the subject is required.
  await agent.getByTestId('customer-new-service').tap();
  await agent.waitForURL(/\/service\/new\?customer=1/);
  await hydrated(agent);
  await agent.getByTestId('picked-customer').waitFor();
  await agent.getByTestId('service-save').tap();
  await agent.locator('#subject-error').filter({ hasText: '必填' }).waitFor();
  const number = await logRepair(agent, '空压机停机', { asset: true });
  assert.match(number, /^SR\d{8}-\d{4}$/);
  await agent.locator('[data-testid="service-status"][data-status="open"]').waitFor();
  await agent.locator('[data-testid="sla-response"][data-state="on_track"]').waitFor();
  await agent.getByText('刘洋').first().waitFor();
  await agent.locator('[data-testid="warranty"][data-state="out"]').waitFor();
  assert.ok(await noSideScroll(agent));

  // Reply, resolve, close.
  await agent.getByTestId('service-reply-save').tap();
  await agent.getByTestId('service-reply-error').filter({ hasText: '必填' }).waitFor();
  await agent.getByTestId('service-reply-note').fill('已安排工程师今天下午上门');
  await agent.getByTestId('service-reply-save').tap();
  await agent.locator('[data-testid="service-status"][data-status="in_progress"]').waitFor();
  await agent.locator('[data-testid="sla-response"][data-state="met"]').waitFor();
  await agent.getByTestId('service-move-resolved').tap();
  await agent.getByTestId('service-status-error').filter({ hasText: '必填' }).waitFor();
  await agent.getByTestId('service-resolution-input').fill('更换皮带后恢复正常');
  await agent.getByTestId('service-move-resolved').tap();
  await agent.locator('[data-testid="service-status"][data-status="resolved"]').waitFor();
  await agent.getByTestId('service-resolution').filter({ hasText: '更换皮带后恢复正常' }).waitFor();
  await agent.getByTestId('service-move-closed').tap();
  await agent.locator('[data-testid="service-status"][data-status="closed"]').waitFor();

  // A second urgent repair nobody answers: a minute later the job escalates it.
  const late = await logRepair(agent, '冷干机报警');
  const latePath = new URL(agent.url()).pathname;
  await open(agent, '/service');
  await agent.getByTestId('service-row').filter({ hasText: late }).waitFor();
  for (let i = 0; i < 60; i++) {
    await open(agent, latePath);
    if (await agent.getByTestId('service-escalated').count()) break;
    await agent.waitForTimeout(2000);
  }
  await agent.getByTestId('service-escalated').waitFor();
  await agent.locator('[data-testid="sla-response"][data-state="breached"]').waitFor();
  await open(agent, '/service');
  await agent.getByTestId('service-at-risk').tap();
  await agent.getByTestId('service-row').filter({ hasText: late }).waitFor();
  assert.equal(await agent.getByTestId('service-row').filter({ hasText: number }).count(), 0);
  assert.deepEqual(agent.errors, []);

  // The administrator sees it on the dashboard and has the escalation in his plan.
  await open(admin, '/dashboard');
  await admin.getByTestId('at-risk-row').filter({ hasText: late }).waitFor();
  // This month's service summary counts the requests logged above.
  const tile = admin.getByTestId('service-stats-tile');
  await tile.getByTestId('tile-total').waitFor();
  assert.ok(Number(await tile.getByTestId('tile-total').innerText()) >= 2);
  await open(admin, '/activities/plan');
  await admin.getByText(`升级：${late} 未按时响应`).first().waitFor();
  // The customer's 360° page lists both requests.
  await open(admin, '/customers/1');
  const section = admin.getByTestId('customer-service');
  await section.getByText(number).waitFor();
  await section.getByText(late).waitFor();
  await admin.locator('[data-testid="timeline-document"][data-kind="service_request"]').filter({ hasText: late }).waitFor();
  assert.deepEqual(admin.errors, []);
});

test('a salesperson turns a consultation into a lead on a phone, in English', async () => {
  const lina = await newPage(env, PHONE, 'en');
  await lina.goto('/login');
  await lina.locator('input[name=username]').fill('lina');
  await lina.locator('input[name=password]').fill(DEMO_PASSWORD);
  await lina.getByRole('button', { name: 'Sign in' }).tap();
  await lina.waitForURL((u) => !u.pathname.startsWith('/login'));
  await open(lina, '/service/new?customer=1');
  await lina.getByTestId('picked-customer').waitFor();
  await lina.getByTestId('service-kind').selectOption('consultation');
  await lina.getByTestId('service-channel').selectOption('web');
  await lina.locator('#subject').fill('Second-phase capacity: pricing for 20 more scanners');
  await lina.getByTestId('service-save').tap();
  await lina.waitForURL(/\/service\/\d+$/);
  await hydrated(lina);
  await lina.getByText('Consultation').first().waitFor();
  assert.ok(await noSideScroll(lina));
  await lina.getByTestId('service-convert').tap();
  await lina.waitForURL(/\/leads\/\d+$/);
  await hydrated(lina);
  await lina.getByText('北京天度网络科技有限公司').first().waitFor();
  assert.deepEqual(lina.errors, []);
});

test("a complaint's full cycle through return visits, on a tablet", async () => {
  const agent = await newPage(env, TABLET);
  await signIn(agent, 'liuyang');
  await open(agent, '/service/new?customer=1');
  await agent.getByTestId('picked-customer').waitFor();
  await agent.getByTestId('service-kind').selectOption('complaint');
  await agent.locator('#subject').fill('安装工程师迟到两小时');
  await agent.getByTestId('service-save').tap();
  await agent.waitForURL(/\/service\/\d+$/);
  await hydrated(agent);
  const number = (await agent.locator('h1').innerText()).split(' · ')[0].trim();
  await agent.getByTestId('service-reply-note').fill('已致电客户致歉');
  await agent.getByTestId('service-reply-save').tap();
  await agent.locator('[data-testid="service-status"][data-status="in_progress"]').waitFor();
  await agent.getByTestId('service-resolution-input').fill('调整排班，主管上门致歉');
  await agent.getByTestId('service-move-resolved').tap();
  await agent.locator('[data-testid="service-status"][data-status="resolved"]').waitFor();

  // Not closable before a return visit finds the customer satisfied.
  await agent.getByTestId('service-move-closed').tap();
  await agent.getByTestId('service-status-error').filter({ hasText: '回访确认客户满意' }).waitFor();
  await agent.getByTestId('visit-save').tap();
  await agent.getByTestId('visit-score-error').filter({ hasText: '请选择客户满意度' }).waitFor();
  // Dissatisfied: the complaint is worked again.
  await agent.getByTestId('visit-score-2').tap();
  await agent.getByTestId('visit-comment').fill('仍不满意，要求补偿');
  await agent.getByTestId('visit-save').tap();
  await agent.locator('[data-testid="service-status"][data-status="in_progress"]').waitFor();
  await agent.locator('[data-testid="service-visit"][data-score="2"]').waitFor();
  await agent.getByTestId('service-resolution-input').fill('赠送一次免费保养');
  await agent.getByTestId('service-move-resolved').tap();
  await agent.locator('[data-testid="service-status"][data-status="resolved"]').waitFor();
  // Satisfied, with a product issue for the quality list: now it closes.
  await agent.getByTestId('visit-score-5').tap();
  await agent.getByTestId('visit-product-issue').check();
  await agent.getByTestId('visit-save').tap();
  await agent.getByTestId('visit-comment-error').filter({ hasText: '请描述产品问题' }).waitFor();
  await agent.getByTestId('visit-comment').fill('满意；另反映控制面板按键松动');
  await agent.getByTestId('visit-save').tap();
  await agent.getByTestId('service-product-issue').waitFor();
  await agent.getByTestId('service-move-closed').tap();
  await agent.locator('[data-testid="service-status"][data-status="closed"]').waitFor();
  assert.ok(await noSideScroll(agent));

  await open(agent, '/service?quality=1');
  await agent.getByTestId('service-row').filter({ hasText: number }).waitFor();
  assert.deepEqual(agent.errors, []);
});
