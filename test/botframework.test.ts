import { readFile } from 'node:fs/promises';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { botFrameworkChannel } from '../src/channels/botframework/index.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const prefix = testPrefix('botframework');
const SERVICE_URL = 'http://localhost:54321';
let t: TestApp;
let fixture: Activity;
let replies: Partial<Activity>[];

beforeAll(async () => {
  fixture = JSON.parse(
    await readFile('test/fixtures/botframework/emulator-message.json', 'utf8'),
  ) as Activity;
  t = await startTestApp({ prefix, channels: [botFrameworkChannel], env: { BOTFRAMEWORK_ENABLED: 'true' } });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await t.stop();
  await removePrefix(prefix);
});
beforeEach(() => {
  nock.cleanAll();
  replies = [];
  // The Bot Connector "reply to activity" endpoint the CloudAdapter calls for each reply.
  nock(SERVICE_URL)
    .persist()
    .post(/\/v3\/conversations\/.+\/activities\/.+/)
    .reply(200, (_uri, body) => {
      replies.push(body as Partial<Activity>);
      return { id: `reply-${replies.length}` };
    });
});

async function post(activity: Partial<Activity>): Promise<number> {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return res.status;
}

describe('Bot Framework channel (CloudAdapter on /api/messages)', () => {
  it('answers an Emulator message through the Bot Connector API, with options as suggested actions', async () => {
    expect(await post({ ...fixture, id: 'm-1' })).toBe(200);
    const menu = replies.find((r) => r.text?.includes('Bạn cần hỗ trợ gì?'));
    expect(menu?.suggestedActions?.actions).toHaveLength(8);
    expect(menu?.suggestedActions?.actions[0]).toMatchObject({
      type: 'postBack',
      title: 'Hỏi đáp pháp luật lao động',
      value: { payload: 'GOTO:law/start' },
    });
    expect(menu?.replyToId).toBe('m-1');
  });

  it('reads a tapped option as a payload, whether the value is an object or a string', async () => {
    await post({ ...fixture, id: 'm-2', text: '', value: { payload: 'HELP' } });
    expect(replies.some((r) => r.text?.startsWith('Cách dùng Trợ lý Công đoàn'))).toBe(true);
    replies = [];
    await post({ ...fixture, id: 'm-3', text: '', value: 'MENU' });
    expect(replies.some((r) => r.text?.includes('Bạn cần hỗ trợ gì?'))).toBe(true);
  });

  it('answers a repeated activity id once', async () => {
    await post({ ...fixture, id: 'm-dup', text: 'help' });
    const first = replies.length;
    expect(first).toBeGreaterThan(0);
    await post({ ...fixture, id: 'm-dup', text: 'help' });
    expect(replies.length).toBe(first);
  });

  it('refuses an unauthenticated request when an app id is configured', async () => {
    const secured = await startTestApp({
      prefix: `${prefix}secured:`,
      channels: [botFrameworkChannel],
      env: {
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'not-a-real-secret',
      },
    });
    try {
      const res = await fetch(`${secured.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fixture, id: 'm-4' }),
      });
      expect(res.status).toBe(401);
      expect(replies).toEqual([]);
    } finally {
      await secured.stop();
      await removePrefix(`${prefix}secured:`);
    }
  });
});
