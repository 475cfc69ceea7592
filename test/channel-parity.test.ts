import { createHash, createHmac } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { botFrameworkChannel } from '../src/channels/botframework/index.js';
import { messengerChannel } from '../src/channels/messenger/index.js';
import { zaloOaChannel } from '../src/channels/zalo-oa/index.js';
import type {
  IncomingZaloMessage,
  ThreadKind,
  ZaloPersonalClient,
} from '../src/channels/zalo-personal/client.js';
import { zaloPersonalChannelWith } from '../src/channels/zalo-personal/index.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

/**
 * One scripted conversation — greeting, skipping the profile questions, choosing a topic from the menu, a
 * free question, opting out — through web chat and through every other channel. Channels render options
 * differently (buttons or a numbered list), so replies are compared without the option list.
 */
const SCRIPT = ['xin chào', 'bỏ qua', 'bỏ qua', '1', 'chim cánh cụt được nghỉ đông mấy ngày', 'hủy'];

const MESSENGER_SECRET = 'parity-app-secret';
const ZALO_APP_ID = '360846524940903967';
const ZALO_SECRET = 'parity-zalo-secret';
const GRAPH = 'https://graph.facebook.com/v25.0';
const ZALO_API = 'https://openapi.zalo.me';
const CONNECTOR = 'http://localhost:54399';

const prefix = testPrefix('parity');
let t: TestApp;
const sent: Record<string, string[]> = {
  messenger: [],
  'zalo-oa': [],
  botframework: [],
  'zalo-personal': [],
};

/** A fake personal Zalo account: messages are pushed in by the test, replies collected. */
class FakeZalo implements ZaloPersonalClient {
  static current?: FakeZalo;
  ownId = 'bot-account';
  private handler?: (m: IncomingZaloMessage) => void;
  constructor() {
    FakeZalo.current = this;
  }
  onMessage(handler: (m: IncomingZaloMessage) => void) {
    this.handler = handler;
  }
  onClosed() {}
  async start() {}
  async stop() {}
  async sendText(_thread: string, _kind: ThreadKind, text: string) {
    sent['zalo-personal']!.push(text);
    return `z-${sent['zalo-personal']!.length}`;
  }
  deliver(message: IncomingZaloMessage) {
    this.handler?.(message);
  }
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock(GRAPH)
    .persist()
    .post('/me/messages')
    .query(true)
    .reply(200, (_uri, body) => {
      const text = (body as { message?: { text?: string } }).message?.text;
      if (text) sent.messenger!.push(text);
      return { recipient_id: 'psid-parity', message_id: `m_${sent.messenger!.length}` };
    });
  nock(ZALO_API)
    .persist()
    .post('/v3.0/oa/message/cs')
    .reply(200, (_uri, body) => {
      sent['zalo-oa']!.push((body as { message: { text: string } }).message.text);
      return {
        data: { message_id: `z_${sent['zalo-oa']!.length}`, user_id: 'zalo-user' },
        error: 0,
        message: 'Success',
      };
    });
  nock(CONNECTOR)
    .persist()
    .post(/\/v3\/conversations\/.+\/activities\/.+/)
    .reply(200, (_uri, body) => {
      const text = (body as Partial<Activity>).text;
      if (text) sent.botframework!.push(text);
      return { id: `bf-${sent.botframework!.length}` };
    });
  t = await startTestApp({
    prefix,
    channels: [
      messengerChannel,
      zaloOaChannel,
      botFrameworkChannel,
      zaloPersonalChannelWith(() => new FakeZalo()),
    ],
    env: {
      MESSENGER_APP_SECRET: MESSENGER_SECRET,
      MESSENGER_VERIFY_TOKEN: 'verify',
      MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
      MESSENGER_API_URL: GRAPH,
      ZALO_OA_APP_ID: ZALO_APP_ID,
      ZALO_OA_SECRET_KEY: ZALO_SECRET,
      ZALO_OA_ACCESS_TOKEN: 'zalo-access',
      ZALO_OA_REFRESH_TOKEN: 'zalo-refresh',
      ZALO_OA_API_URL: ZALO_API,
      BOTFRAMEWORK_ENABLED: 'true',
      ZALO_PERSONAL_ENABLED: 'true',
      ZALO_PERSONAL_COOKIE: JSON.stringify([
        { key: 'zpw_sek', value: 'parity-cookie', domain: 'chat.zalo.me' },
      ]),
      ZALO_PERSONAL_IMEI: 'imei-parity',
      ZALO_PERSONAL_USER_AGENT: 'Mozilla/5.0',
    },
  });
}, 60_000);

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await t.stop();
  await removePrefix(prefix);
});

/** A reply without the option list a channel appends when it cannot show buttons. */
function core(text: string): string {
  return text
    .replace(/\n\n(?:\d+\. .*\n?)+(?:Gõ .*)?$/u, '')
    .replace(/\n\nGõ .*$/u, '')
    .replace(/\n\n(?:Hoặc gõ .*)$/u, '')
    .trim();
}

async function viaWeb(): Promise<string[]> {
  const out: string[] = [];
  for (const text of SCRIPT) out.push(...(await t.say('parity-web', text)).map((m) => m.text));
  return out.map(core);
}

async function collect(channel: string, send: (text: string, i: number) => Promise<void>): Promise<string[]> {
  sent[channel] = [];
  for (const [i, text] of SCRIPT.entries()) await send(text, i);
  return sent[channel]!.map(core);
}

async function settle(channel: string): Promise<void> {
  // The personal-account listener processes messages in the background: wait until replies stop coming.
  let seen = -1;
  while (seen !== sent[channel]!.length) {
    seen = sent[channel]!.length;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the same conversation through every channel', () => {
  let expected: string[];
  beforeAll(async () => {
    expected = await viaWeb();
    expect(expected.some((t) => t.startsWith('Chào bạn!'))).toBe(true);
    expect(expected.some((t) => t.includes('99 ngày'))).toBe(true);
    expect(expected.at(-1)).toContain('Bạn đã hủy nhận tin');
  });

  it('Messenger', async () => {
    const got = await collect('messenger', async (text, i) => {
      const body = JSON.stringify({
        object: 'page',
        entry: [
          {
            id: 'page-1',
            time: Date.now(),
            messaging: [
              {
                sender: { id: 'psid-parity' },
                recipient: { id: 'page-1' },
                timestamp: Date.now(),
                message: { mid: `m-parity-${i}`, text },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac('sha256', MESSENGER_SECRET).update(body).digest('hex')}`;
      const res = await fetch(`${t.url}/webhooks/messenger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body,
      });
      expect(res.status).toBe(200);
    });
    expect(got).toEqual(expected);
  });

  it('Zalo Official Account', async () => {
    const got = await collect('zalo-oa', async (text, i) => {
      const timestamp = String(Date.now());
      const body = JSON.stringify({
        app_id: ZALO_APP_ID,
        sender: { id: 'zalo-user' },
        recipient: { id: '388613280878808645' },
        user_id_by_app: '552177279717587730',
        event_name: 'user_send_text',
        message: { text, msg_id: `zmsg-parity-${i}` },
        timestamp,
      });
      const mac = createHash('sha256')
        .update(ZALO_APP_ID + body + timestamp + ZALO_SECRET)
        .digest('hex');
      const res = await fetch(`${t.url}/webhooks/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` },
        body,
      });
      expect(res.status).toBe(200);
    });
    expect(got).toEqual(expected);
  });

  it('Bot Framework (Emulator)', async () => {
    const got = await collect('botframework', async (text, i) => {
      const res = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `bf-parity-${i}`,
          serviceUrl: CONNECTOR,
          channelId: 'emulator',
          from: { id: 'bf-user', name: '', role: 'user' },
          conversation: { id: 'bf-conversation' },
          recipient: { id: 'bot', name: 'Bot', role: 'bot' },
          text,
        }),
      });
      expect(res.status).toBe(200);
    });
    expect(got).toEqual(expected);
  });

  it('Zalo personal account', async () => {
    const got = await collect('zalo-personal', async (text, i) => {
      FakeZalo.current!.deliver({
        id: `zp-parity-${i}`,
        threadId: 'zp-user',
        kind: 'user',
        fromId: 'zp-user',
        text,
        mentionsMe: false,
        isSelf: false,
        timestamp: Date.now(),
      });
      await settle('zalo-personal');
    });
    expect(got).toEqual(expected);
  });
});
