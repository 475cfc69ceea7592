import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, createRoleUsers, editableDirs, PASSWORD, penguinLeaflet } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { removePrefix, testPrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) against a real server:
 * the four things officers do most. Screenshots land in test-artifacts/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test-artifacts/screenshots');
const prefix = testPrefix('console');
let t: TestApp;
let browser: Browser;
let page: Page;
let api: AdminClient;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function updates(userId: string): Promise<string[]> {
  const res = await fetch(`${t.url}/api/chat/updates?userId=${userId}`);
  return ((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  if (!existsSync('dist/console/index.html'))
    throw new Error('the console is not built: npm run console:build');
  await mkdir(SHOTS, { recursive: true });
  const dirs = await editableDirs();
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: dirs.knowledge, FLOWS_DIR: dirs.flows } });
  await createRoleUsers(t.app);
  api = new AdminClient(t.url);
  await api.login('admin1', PASSWORD);
  // What the officer finds when they arrive: a leaflet to edit and workers to reach.
  await api.call('POST', '/knowledge/leaflets', {
    markdown: penguinLeaflet('Chim cánh cụt được nghỉ đông 99 ngày mỗi năm.'),
  });
  await api.call('POST', '/knowledge/rebuild');
  await t.app.admin!.settle();
  await api.call(
    'POST',
    '/subscribers/import',
    [
      'channel,user_id,display_name,khu_cong_nghiep,consent',
      'web,b-1,Lan,An Nghiệp,opted_in',
      'web,b-2,Hùng,An Nghiệp,opted_in',
      'web,b-3,Mai,Trà Nóc,opted_in',
    ].join('\n'),
    { contentType: 'text/csv' },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.app.admin?.settle();
  await t?.stop();
  await removePrefix(prefix);
});

describe('the officer console in Chromium', () => {
  it('logs in', async () => {
    await page.goto(`${t.url}/admin/`);
    await page.fill('input[name=username]', 'officer1');
    await page.fill('input[name=password]', 'sai-mat-khau-nhe');
    await page.click('button[type=submit]');
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('Sai tên đăng nhập');
    await page.fill('input[name=username]', 'admin1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.getByTestId('nav-dashboard').waitFor();
    await shot('01-dashboard');
  });

  it('edits a leaflet and the ask-test answer changes', async () => {
    const ask = async () => {
      await page.getByTestId('nav-knowledge').click();
      await page.getByTestId('ask-input').fill('chim cánh cụt nghỉ đông bao lâu');
      await page.getByTestId('ask-submit').click();
      await page.getByTestId('ask-answer').waitFor();
      return (await page.getByTestId('ask-answer').textContent()) ?? '';
    };
    const before = await ask();
    expect(before).toContain('99 ngày');
    expect(before).not.toContain('băng trôi');
    await page.locator('[data-testid=leaflet-row][data-id=nghi-dong-chim] a').click();
    const editor = page.getByTestId('leaflet-editor');
    await expect.poll(() => editor.inputValue()).toContain('99 ngày');
    await editor.fill(
      penguinLeaflet(
        'Chim cánh cụt được nghỉ đông 99 ngày mỗi năm; làm trên băng trôi được nghỉ thêm 3 ngày.',
      ),
    );
    await page.getByTestId('leaflet-save').click();
    await expect
      .poll(() => page.getByTestId('rebuild-status').textContent(), { timeout: 30_000 })
      .toContain('Xong');
    await shot('02-leaflet-saved');
    const after = await ask();
    expect(after).toContain('băng trôi');
    await shot('03-ask-test');
  }, 60_000);

  it('composes and schedules a campaign and watches it complete', async () => {
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('campaign-name').fill('Cảnh báo lừa đảo tháng 11');
    await page.getByTestId('campaign-text').fill('Cảnh báo: không bấm vào đường link lạ gửi qua tin nhắn.');
    await page.getByTestId('segment-add').click();
    await page.getByTestId('segment-field').selectOption('khu_cong_nghiep');
    await page.getByTestId('segment-values').fill('An Nghiệp');
    await expect.poll(() => page.getByTestId('segment-count').textContent()).toBe('2');
    await page.getByTestId('schedule-type').selectOption('now');
    await shot('04-campaign-compose');
    await page.getByTestId('campaign-save').click();
    await page.getByTestId('campaign-submit').click();
    await expect
      .poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 30_000 })
      .toBe('completed');
    await expect.poll(() => page.getByTestId('campaign-sent').textContent()).toBe('2');
    await shot('05-campaign-completed');
    expect(await updates('b-1')).toContain('Cảnh báo: không bấm vào đường link lạ gửi qua tin nhắn.');
    expect(await updates('b-3')).toEqual([]);
  }, 60_000);

  it('takes a handed-off conversation and replies on the worker channel', async () => {
    await page.getByTestId('nav-inbox').click();
    await t.say('cong-nhan-x', 'công ty không đóng bhxh cho em');
    await t.say('cong-nhan-x', 'gặp cán bộ');
    // The list updates by itself (server-sent events).
    const row = page.getByTestId('inbox-item').first();
    await row.waitFor();
    await row.click();
    await expect
      .poll(() => page.getByTestId('inbox-message').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('không đóng bhxh')]));
    await page.getByTestId('inbox-take').click();
    await waitFor(async () => (await updates('cong-nhan-x')).some((m) => m.includes('đã tham gia')), {
      timeoutMs: 10_000,
    });
    await t.say('cong-nhan-x', 'em làm ở công ty may Hòa Bình');
    await expect
      .poll(() => page.locator('[data-testid=inbox-message][data-from=worker]').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('may Hòa Bình')]));
    await page.getByTestId('inbox-reply-input').fill('Chào bạn, mình sẽ liên hệ công ty trong tuần này.');
    await page.getByTestId('inbox-reply-send').click();
    await expect
      .poll(() => page.locator('[data-testid=inbox-message][data-from=officer]').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('liên hệ công ty')]));
    expect(await updates('cong-nhan-x')).toContain('Chào bạn, mình sẽ liên hệ công ty trong tuần này.');
    await shot('06-inbox-reply');
    // Closing asks for confirmation: the officer agrees.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('inbox-close').click();
    await waitFor(async () => (await updates('cong-nhan-x')).some((m) => m.includes('kết thúc')), {
      timeoutMs: 10_000,
    });
  }, 60_000);
});
