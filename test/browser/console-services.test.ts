import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, createRoleUsers, editableDirs, PASSWORD } from '../helpers/admin.js';
import { allText, startTestApp, type TestApp } from '../helpers/app.js';
import { removePrefix, testPrefix } from '../helpers/redis.js';

/**
 * The console's event, survey and minimum wage screens in a real browser (Debian's Chromium driven by
 * playwright-core) against a real server: an officer creates a class, a worker registers in chat, the
 * officer takes the roll; a survey is created, answered in chat and its results shown; a place is looked
 * up without diacritics. Screenshots land in test-artifacts/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test-artifacts/screenshots');
const prefix = testPrefix('console-services');
let t: TestApp;
let browser: Browser;
let page: Page;
let api: AdminClient;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(target: Page, username: string): Promise<void> {
  await target.goto(`${t.url}/admin/`);
  await target.fill('input[name=username]', username);
  await target.fill('input[name=password]', PASSWORD);
  await target.click('button[type=submit]');
  await target.getByTestId('nav-dashboard').waitFor();
}

/** A local date-time in Việt Nam `days` from now, as a datetime-local input takes it. */
function localInDays(days: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date(Date.now() + days * 24 * 3600_000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T08:00`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  if (!existsSync('dist/console/index.html'))
    throw new Error('the console is not built: npm run console:build');
  await mkdir(SHOTS, { recursive: true });
  const dirs = await editableDirs();
  // The minimum wage screen reads the shipped data file (and its decree, which a save is checked against).
  await mkdir(path.join(dirs.knowledge, 'data'), { recursive: true });
  await cp(
    path.resolve('knowledge/data/minimum-wage.json'),
    path.join(dirs.knowledge, 'data', 'minimum-wage.json'),
  );
  await cp(
    path.resolve('knowledge/laws/293-2025-ND-CP.json'),
    path.join(dirs.knowledge, 'laws', '293-2025-ND-CP.json'),
  );
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: dirs.knowledge, FLOWS_DIR: dirs.flows } });
  await createRoleUsers(t.app);
  api = new AdminClient(t.url);
  await api.login('admin1', PASSWORD);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  page.setDefaultTimeout(15_000);
  await login(page, 'officer1');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.app.admin?.settle();
  await t?.stop();
  await removePrefix(prefix);
});

describe('events, surveys and the minimum wage in the console', () => {
  let eventId = '';

  it('creates a class; a worker registers in chat; the officer takes the roll', async () => {
    await page.getByTestId('nav-events').click();
    await page.getByTestId('event-new').click();
    await page.getByTestId('event-title').fill('Lớp tuyên truyền pháp luật lao động');
    await page.getByTestId('event-kind').selectOption('class');
    await page.getByTestId('event-place').fill('Nhà văn hóa công nhân KCN An Nghiệp');
    await page.getByTestId('event-starts-at').fill(localInDays(20));
    await page.getByTestId('event-capacity').fill('30');
    await page.getByTestId('event-save').click();
    const payload = (await page.getByTestId('event-invite-payload').textContent())?.trim() ?? '';
    expect(payload).toMatch(/^EVENT_[A-Z0-9]{6}$/);
    eventId = payload.slice('EVENT_'.length);

    await page.getByTestId('nav-events').click();
    await page.locator(`[data-testid=event-row][data-id="${eventId}"]`).waitFor();

    const offer = await t.say('cs-lan', 'Đăng ký', payload);
    expect(allText(offer)).toContain('Bạn muốn đăng ký tham gia không?');
    expect(allText(await t.say('cs-lan', 'có'))).toContain('thành công');

    await page.locator(`[data-testid=event-row][data-id="${eventId}"] a`).click();
    const row = page.locator('[data-testid=registration-row][data-id="web:cs-lan"]');
    await row.waitFor();
    await row.getByTestId('attendance-checkbox').check();
    await page.getByTestId('attendance-save').click();
    await expect.poll(() => page.getByTestId('attendance-count').textContent()).toBe('1');
    await page.getByText('Đã lưu điểm danh').waitFor();
    await shot('services-01-event-attendance');
    const regs = await api.call<{ items: { userId: string; attended?: boolean }[] }>(
      'GET',
      `/events/${eventId}/registrations`,
    );
    expect(regs.body.items).toEqual([expect.objectContaining({ userId: 'cs-lan', attended: true })]);

    // The invitation opens the campaign composer with the payload as a quick reply.
    await page.getByTestId('event-invite-campaign').click();
    await expect.poll(() => page.getByTestId('campaign-invite-payload').textContent()).toBe(payload);

    await page.getByTestId('nav-events').click();
    await page.getByTestId('event-report-link').click();
    await page.getByTestId('event-report').waitFor();
    await shot('services-02-event-report');
  }, 60_000);

  it('creates a survey with two questions; a worker answers it in chat; the results show', async () => {
    await page.getByTestId('nav-surveys').click();
    await page.getByTestId('survey-new').click();
    await page.getByTestId('survey-title').fill('Khảo sát bữa ăn ca');
    const questions = page.getByTestId('survey-question');
    await questions.nth(0).getByTestId('survey-question-text').fill('Bạn thấy bữa ăn ca thế nào?');
    await questions.nth(0).getByTestId('survey-option').nth(0).fill('Ngon');
    await questions.nth(0).getByTestId('survey-option').nth(1).fill('Không ngon');
    await page.getByTestId('survey-add-question').click();
    await questions
      .nth(1)
      .getByTestId('survey-question-text')
      .fill('Bạn hài lòng với giờ nghỉ giữa ca không?');
    await questions.nth(1).getByTestId('survey-question-type').selectOption('scale');
    await page.getByTestId('survey-save').click();
    await page.getByTestId('survey-results').waitFor();
    const start = (await page.getByTestId('survey-start-payload').textContent())?.trim() ?? '';
    expect(start).toMatch(/^SURVEY_[A-Z0-9]{6}$/);

    const first = await t.say('cs-mai', 'Trả lời khảo sát', start);
    const option = first.at(-1)!.quickReplies!.find((q) => q.title === 'Ngon')!;
    await t.say('cs-mai', option.title, option.payload);
    expect(allText(await t.say('cs-mai', '4'))).toContain('Cảm ơn bạn đã trả lời khảo sát');

    await page.getByTestId('survey-reload').click();
    await expect.poll(() => page.getByTestId('survey-respondents').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('survey-average').textContent()).toBe('4/5');
    await shot('services-03-survey-results');
    await page.getByTestId('nav-surveys').click();
    await page.locator(`[data-testid=survey-row][data-id="${start.slice('SURVEY_'.length)}"]`).waitFor();
  }, 60_000);

  it('finds a place of the regional minimum wage without diacritics', async () => {
    await page.getByTestId('nav-minimum-wage').click();
    await page.getByTestId('minimum-wage-search').fill('thu duc');
    await expect
      .poll(() => page.getByTestId('locality-row').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('phường Thủ Đức')]));
    // Editing the file is for admins only.
    expect(await page.getByTestId('minimum-wage-edit').count()).toBe(0);
    await shot('services-04-minimum-wage');
  }, 30_000);

  it('hides write controls from a viewer', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    viewer.setDefaultTimeout(15_000);
    try {
      await login(viewer, 'viewer1');
      await viewer.getByTestId('nav-events').click();
      await viewer.locator(`[data-testid=event-row][data-id="${eventId}"] a`).click();
      await viewer.locator('[data-testid=registration-row]').first().waitFor();
      expect(await viewer.getByTestId('attendance-save').count()).toBe(0);
      expect(await viewer.getByTestId('attendance-checkbox').first().isDisabled()).toBe(true);
      await viewer.getByTestId('nav-events').click();
      await viewer.getByTestId('event-row').first().waitFor();
      expect(await viewer.getByTestId('event-new').count()).toBe(0);
      await viewer.getByTestId('nav-surveys').click();
      await viewer.getByTestId('survey-row').first().waitFor();
      expect(await viewer.getByTestId('survey-new').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  }, 30_000);
});
