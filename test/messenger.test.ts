import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import express from 'express';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../src/channels/adapter.js';
import { MessengerClient, sendFailureKind, toSendApiMessages } from '../src/channels/messenger/client.js';
import { messengerChannel } from '../src/channels/messenger/index.js';
import { toMessengerEvent } from '../src/channels/messenger/payload.js';
import { messengerWebhook } from '../src/channels/messenger/webhook.js';
import type { Receipt } from '../src/channels/receipts.js';
import { NON_TEXT_REPLY } from '../src/conversation/bot.js';
import { createLogger } from '../src/platform/logger.js';
import { FIXTURES, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'test-verify-token';
const PAGE_TOKEN = 'EAAtestpagetoken';
const PAGE_ID = '1234567890';
const GRAPH = 'https://graph.facebook.com';
const SEND_PATH = '/v25.0/me/messages';

// ——— fixtures ———

interface FixtureEvent {
  sender: { id: string };
  recipient: { id: string };
  timestamp?: number;
  message?: {
    mid: string;
    text?: string;
    quick_reply?: { payload: string };
    attachments?: { type: string; payload: { url: string } }[];
  };
  postback?: { title?: string; payload?: string };
  delivery?: { mids?: string[]; watermark: number };
}

interface FixtureBody {
  object: string;
  entry: { id: string; time: number; messaging?: FixtureEvent[]; standby?: FixtureEvent[] }[];
}

/**
 * Reads a webhook fixture, fills Meta's `<PLACEHOLDER>`s and makes its message ids unique to this worker,
 * so fixtures can be delivered again for other workers without being dropped as duplicates.
 */
function webhookFixture(name: string, vars: Record<string, string>): FixtureBody {
  let text = readFileSync(path.join(FIXTURES, 'messenger', `${name}.json`), 'utf8');
  for (const [key, value] of Object.entries({ PAGE_ID, ...vars })) text = text.replaceAll(`<${key}>`, value);
  const suffix = Object.values(vars).join('.');
  return JSON.parse(text, (key, value: unknown) => {
    if (key === 'mid' && typeof value === 'string') return `${value}.${suffix}`;
    if (key === 'mids' && Array.isArray(value)) return value.map((m) => `${String(m)}.${suffix}`);
    return value;
  }) as FixtureBody;
}

function firstEvent(body: FixtureBody): FixtureEvent {
  return body.entry[0]!.messaging![0]!;
}

function graphResponse(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'messenger', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

// ——— fake Send API ———

interface SentRequest {
  recipient: { id: string };
  messaging_type?: string;
  tag?: string;
  sender_action?: string;
  message?: {
    text?: string;
    quick_replies?: { content_type: string; title: string; payload: string }[];
    attachment?: { type: string; payload: { template_type: string; text: string; buttons: unknown[] } };
  };
}

const sent: SentRequest[] = [];
/** Responses to give to a worker's next message requests, in order; afterwards every request succeeds. */
const planned = new Map<string, [number, Record<string, unknown>][]>();
let nextMessageId = 0;

function messagesTo(psid: string): SentRequest[] {
  return sent.filter((r) => r.recipient.id === psid && r.message);
}

function textsTo(psid: string): string {
  return messagesTo(psid)
    .map((r) => r.message!.text ?? r.message!.attachment?.payload.text ?? '')
    .join('\n');
}

function installSendApi(): void {
  nock(GRAPH)
    .persist()
    .post(SEND_PATH)
    .query({ access_token: PAGE_TOKEN })
    .reply((_uri, body) => {
      const request = (typeof body === 'string' ? JSON.parse(body) : body) as SentRequest;
      sent.push(request);
      const next = request.message ? planned.get(request.recipient.id)?.shift() : undefined;
      return next ?? [200, { recipient_id: request.recipient.id, message_id: `m_${++nextMessageId}` }];
    });
}

// ——— the app ———

const prefix = testPrefix('messenger');
const receipts: Receipt[] = [];
const logs: { level: number; msg: string; kind?: string; code?: string | number }[] = [];
let t: TestApp;
let psidCounter = 0;

/** A fresh worker for each test: sessions, dedupe and subscriber records never leak between tests. */
function newWorker(): string {
  return `2${String(Date.now()).slice(-9)}${String(++psidCounter).padStart(3, '0')}`;
}

function sign(raw: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** Meta escapes non-ASCII characters in the JSON it signs (`ä` → `\u00e4`). */
function asMetaSendsIt(body: unknown): string {
  return JSON.stringify(body).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

async function deliver(
  body: unknown,
  options: { signature?: string | null; raw?: string } = {},
): Promise<{ status: number; text: string }> {
  const raw = options.raw ?? asMetaSendsIt(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? sign(raw) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${t.url}/webhooks/messenger`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  installSendApi();
  const logger = createLogger(
    { level: 'debug' },
    {
      write: (line: string) => logs.push(JSON.parse(line) as (typeof logs)[number]),
    },
  );
  t = await startTestApp({
    prefix,
    channels: [
      (ctx) =>
        messengerChannel(
          { ...ctx, logger, receipts: async (receipt) => void receipts.push(receipt) },
          { retry: { sleep: async () => {} } },
        ),
    ],
    env: {
      MESSENGER_APP_SECRET: APP_SECRET,
      MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
      MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
      MESSENGER_API_URL: 'https://graph.facebook.com/v25.0',
    },
  });
});

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
  nock.cleanAll();
  nock.enableNetConnect();
});

// ——— tests ———

describe('GET /webhooks/messenger: subscription handshake', () => {
  it('answers the challenge when the verify token matches', async () => {
    const res = await fetch(
      `${t.url}/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode', async () => {
    const wrongToken = await fetch(
      `${t.url}/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock`,
    );
    expect(wrongToken.status).toBe(403);
    const wrongMode = await fetch(
      `${t.url}/webhooks/messenger?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`,
    );
    expect(wrongMode.status).toBe(403);
  });
});

describe('POST /webhooks/messenger: signature and shape', () => {
  it.each([
    ['signed with another secret', sign('{}', 'not-the-app-secret')],
    ['not signed', null],
    ['malformed header', 'sha1=abc'],
  ])('answers 403 and processes nothing when %s', async (_case, signature) => {
    const psid = newWorker();
    const body = webhookFixture('text-message', { PSID: psid });
    const res = await deliver(body, { signature });
    expect(res.status).toBe(403);
    expect(sent.filter((r) => r.recipient.id === psid)).toEqual([]);
    expect(await t.app.services.subscribers.get('messenger', psid)).toBeUndefined();
    const transcript = await t.app.transcripts.getTranscriptActivities('messenger', psid);
    expect(transcript.items).toEqual([]);
  });

  it('rejects a signature computed over a re-serialised body (raw bytes are signed)', async () => {
    const psid = newWorker();
    const body = webhookFixture('text-message', { PSID: psid });
    firstEvent(body).message!.text = 'Chào bạn';
    // Meta signs the escaped form; a signature over the unescaped JSON does not match those bytes.
    const res = await deliver(body, { signature: sign(JSON.stringify(body)) });
    expect(res.status).toBe(403);
  });

  it('answers 400 to a signed body that is not JSON or not a page webhook', async () => {
    expect((await deliver(undefined, { raw: '{"object":' })).status).toBe(400);
    expect((await deliver({ object: 'instagram', entry: [] })).status).toBe(400);
  });
});

describe('POST /webhooks/messenger: events reach the flows', () => {
  it('answers a free question with messaging_type RESPONSE, after a typing indicator', async () => {
    const psid = newWorker();
    const body = webhookFixture('text-message', { PSID: psid });
    firstEvent(body).message!.text = 'chim cánh cụt được nghỉ đông mấy ngày?';
    const res = await deliver(body);
    expect(res).toEqual({ status: 200, text: 'EVENT_RECEIVED' });

    const toWorker = sent.filter((r) => r.recipient.id === psid);
    expect(toWorker[0]).toEqual({ recipient: { id: psid }, sender_action: 'typing_on' });
    expect(textsTo(psid)).toContain('99 ngày');
    for (const request of messagesTo(psid)) expect(request.messaging_type).toBe('RESPONSE');
    const subscriber = await t.app.services.subscribers.get('messenger', psid);
    expect(subscriber?.reachable).toBe(true);
  });

  it('routes a quick reply by its payload: MENU shows the main menu as quick replies within limits', async () => {
    const psid = newWorker();
    const res = await deliver(
      webhookFixture('quick-reply', { PSID: psid, DEVELOPER_DEFINED_PAYLOAD: 'MENU' }),
    );
    expect(res.status).toBe(200);
    const last = messagesTo(psid).at(-1)!;
    expect(last.message!.text).toContain('Bạn cần hỗ trợ gì?');
    const quickReplies = last.message!.quick_replies!;
    expect(quickReplies.map((q) => q.title)).toEqual([
      'Luật lao động',
      'BHXH, BHYT',
      'Chống lừa đảo',
      'Công đoàn',
      'Phản ánh vấn đề',
      'Tiện ích',
      'Gặp cán bộ công đoàn',
      'Nhận tin',
    ]);
    expect(quickReplies.length).toBeLessThanOrEqual(13);
    for (const q of quickReplies) {
      expect(q.content_type).toBe('text');
      expect(q.title.length).toBeLessThanOrEqual(20);
      expect(q.payload.length).toBeGreaterThan(0);
      expect(q.payload.length).toBeLessThanOrEqual(1000);
    }
    expect(last.messaging_type).toBe('RESPONSE');
  });

  it('routes a postback by its payload: Get Started greets the worker', async () => {
    const psid = newWorker();
    const res = await deliver(
      webhookFixture('postback', {
        PSID: psid,
        TITLE_FOR_THE_CTA: 'Bắt đầu',
        USER_DEFINED_PAYLOAD: 'GET_STARTED',
      }),
    );
    expect(res.status).toBe(200);
    expect(messagesTo(psid)[0]!.message!.text).toMatch(/^Chào bạn! Mình là Trợ lý Công đoàn/);
  });

  it('answers a picture politely in text and keeps its link in the transcript for officers', async () => {
    const psid = newWorker();
    const url = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/picture.jpg';
    const res = await deliver(webhookFixture('attachment-image', { PSID: psid, ATTACHMENT_URL: url }));
    expect(res.status).toBe(200);
    expect(messagesTo(psid).map((r) => r.message!.text)).toEqual([NON_TEXT_REPLY]);
    const transcript = await t.app.transcripts.getTranscriptActivities('messenger', psid);
    const incoming = transcript.items.find((a) => a.from?.id === psid);
    expect(incoming?.attachments).toEqual([{ contentType: 'image', contentUrl: url }]);
  });

  it('ignores echoes of the Page’s own messages and standby events', async () => {
    const psid = newWorker();
    expect((await deliver(webhookFixture('message-echo', { PSID: psid }))).status).toBe(200);
    expect((await deliver(webhookFixture('standby', { PSID: psid }))).status).toBe(200);
    expect(sent.filter((r) => r.recipient.id === psid || r.recipient.id === PAGE_ID)).toEqual([]);
    expect(await t.app.services.subscribers.get('messenger', psid)).toBeUndefined();
  });

  it('hands delivery and read events to the receipt sink', async () => {
    const psid = newWorker();
    await deliver(webhookFixture('message-deliveries', { PSID: psid }));
    await deliver(webhookFixture('message-reads', { PSID: psid }));
    expect(receipts.filter((r) => r.userId === psid)).toEqual([
      {
        channel: 'messenger',
        userId: psid,
        kind: 'delivered',
        messageIds: [`mid.1458668856218:ed81099e15d3f4f233.${psid}`],
        watermark: 1458668856253,
        at: new Date(1458668856451).toISOString(),
      },
      {
        channel: 'messenger',
        userId: psid,
        kind: 'read',
        watermark: 1458668856253,
        at: new Date(1458668856463).toISOString(),
      },
    ]);
    expect(sent.filter((r) => r.recipient.id === psid)).toEqual([]);
  });

  it('processes a batch of two entries event by event, in order for each worker', async () => {
    const a = newWorker();
    const b = newWorker();
    const res = await deliver(webhookFixture('batch', { PSID_A: a, PSID_B: b }));
    expect(res.status).toBe(200);

    // Worker A: the menu (quick reply) is answered before the question that came after it.
    const textsA = messagesTo(a).map((r) => r.message!.text ?? '');
    const menuAt = textsA.findIndex((x) => x.includes('Bạn cần hỗ trợ gì?'));
    const answerAt = textsA.findIndex((x) => x.includes('99 ngày'));
    expect(menuAt).toBeGreaterThanOrEqual(0);
    expect(answerAt).toBeGreaterThan(menuAt);
    const transcriptA = await t.app.transcripts.getTranscriptActivities('messenger', a);
    expect(transcriptA.items.filter((x) => x.from?.id === a).map((x) => x.text)).toEqual([
      'Menu',
      'chim canh cut duoc nghi dong may ngay',
    ]);
    // Worker B: greeted; the echo in the batch was not answered.
    expect(textsTo(b)).toMatch(/^Chào bạn! Mình là Trợ lý Công đoàn/);
    expect(sent.some((r) => r.recipient.id === PAGE_ID)).toBe(false);
    expect(receipts.filter((r) => r.userId === a).map((r) => r.kind)).toEqual(['delivered']);
    expect(receipts.filter((r) => r.userId === b).map((r) => r.kind)).toEqual(['read']);
  });

  it('answers a message delivered twice (same mid) once', async () => {
    const psid = newWorker();
    const body = webhookFixture('text-message', { PSID: psid });
    firstEvent(body).message!.text = 'menu';
    expect((await deliver(body)).status).toBe(200);
    const afterFirst = messagesTo(psid).length;
    expect(afterFirst).toBeGreaterThan(0);
    expect((await deliver(body)).status).toBe(200);
    expect(messagesTo(psid)).toHaveLength(afterFirst);
  });
});

describe('Send API failures', () => {
  function menuRequest(psid: string): FixtureBody {
    return webhookFixture('quick-reply', { PSID: psid, DEVELOPER_DEFINED_PAYLOAD: 'MENU' });
  }

  it('retries a rate-limited reply (613) and delivers it', async () => {
    const psid = newWorker();
    planned.set(psid, [[400, graphResponse('send-api-error-613-rate-limit')]]);
    expect((await deliver(menuRequest(psid))).status).toBe(200);
    const requests = messagesTo(psid);
    // The refused first message was sent again, unchanged; the rest followed.
    expect(requests[1]).toEqual(requests[0]);
    expect(requests.at(-1)!.message!.text).toContain('Bạn cần hỗ trợ gì?');
    expect((await t.app.services.subscribers.get('messenger', psid))?.reachable).toBe(true);
  });

  it('marks a worker who cannot be reached (551/1545041) and does not retry', async () => {
    const psid = newWorker();
    planned.set(psid, [[400, graphResponse('send-api-error-551-unavailable')]]);
    expect((await deliver(menuRequest(psid))).status).toBe(200);
    expect(messagesTo(psid)).toHaveLength(1);
    const subscriber = await t.app.services.subscribers.get('messenger', psid);
    expect(subscriber?.reachable).toBe(false);
    expect(subscriber?.unreachableReason).toContain('551');
  });

  it('does not retry a reply outside the messaging window (10/2018278) and logs it', async () => {
    const psid = newWorker();
    planned.set(psid, [[400, graphResponse('send-api-error-10-outside-window')]]);
    expect((await deliver(menuRequest(psid))).status).toBe(200);
    expect(messagesTo(psid)).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'reply not sent: outside the messaging window',
        kind: 'outside_window',
        code: '10/2018278',
      }),
    );
    expect((await t.app.services.subscribers.get('messenger', psid))?.reachable).toBe(true);
  });

  it('does not retry with an invalid page token (190) and logs an error', async () => {
    const psid = newWorker();
    planned.set(psid, [[400, graphResponse('send-api-error-190-token')]]);
    expect((await deliver(menuRequest(psid))).status).toBe(200);
    expect(messagesTo(psid)).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'reply could not be sent', kind: 'auth', level: 50 }),
    );
  });

  it('maps Graph error codes to send failure kinds', () => {
    expect(sendFailureKind(400, 4)).toBe('rate_limited');
    expect(sendFailureKind(400, 17)).toBe('rate_limited');
    expect(sendFailureKind(400, 32)).toBe('rate_limited');
    expect(sendFailureKind(400, 613)).toBe('rate_limited');
    expect(sendFailureKind(400, 551, 1545041)).toBe('unreachable');
    expect(sendFailureKind(400, 10, 2018108)).toBe('unreachable');
    expect(sendFailureKind(400, 100, 2018001)).toBe('unreachable');
    expect(sendFailureKind(403, 230)).toBe('unreachable');
    expect(sendFailureKind(400, 10, 2018278)).toBe('outside_window');
    expect(sendFailureKind(401, 190)).toBe('auth');
    expect(sendFailureKind(500, 1)).toBe('transient');
    expect(sendFailureKind(503)).toBe('transient');
    expect(sendFailureKind(400, 100)).toBe('invalid');
    expect(sendFailureKind(400, 10)).toBe('invalid');
  });
});

describe('MessengerClient: rendering Activities for the Send API', () => {
  const client = new MessengerClient({
    apiUrl: 'https://graph.facebook.com/v25.0',
    pageAccessToken: PAGE_TOKEN,
    retry: { sleep: async () => {} },
  });
  const links = [
    { title: 'Bộ luật Lao động 2019', url: 'https://thuvienphapluat.vn/blld' },
    { title: 'Cổng dịch vụ công', url: 'https://dichvucong.gov.vn' },
  ];

  it('puts URL buttons in a button template with the text when it fits in 640 characters', () => {
    const [message, ...rest] = toSendApiMessages({
      type: 'message',
      text: 'Bạn xem thêm văn bản gốc:',
      channelData: { ua: { links } },
      suggestedActions: { to: [], actions: [{ type: 'postBack', title: 'Menu', value: 'MENU' }] },
    });
    expect(rest).toEqual([]);
    expect(message).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'Bạn xem thêm văn bản gốc:',
          buttons: [
            { type: 'web_url', url: links[0]!.url, title: 'Bộ luật Lao động 20…' },
            { type: 'web_url', url: links[1]!.url, title: 'Cổng dịch vụ công' },
          ],
        },
      },
      quick_replies: [{ content_type: 'text', title: 'Menu', payload: 'MENU' }],
    });
  });

  it('sends a longer text on its own and the buttons under "Xem thêm:"', () => {
    const text = 'Người lao động được nghỉ phép năm theo quy định. '.repeat(20).trim();
    const messages = toSendApiMessages({ type: 'message', text, channelData: { ua: { links } } });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({ text });
    expect(messages[1]!.attachment!.payload.text).toBe('Xem thêm:');
  });

  it('keeps quick replies within Messenger limits even for a malformed Activity', () => {
    const actions = Array.from({ length: 15 }, (_, i) => ({
      type: 'postBack',
      title: `Lựa chọn rất dài số ${i + 1} vượt giới hạn`,
      value: `OPT_${i + 1}`,
    }));
    actions.unshift({ type: 'postBack', title: 'Quá dài', value: 'X'.repeat(1001) });
    const [message] = toSendApiMessages({
      type: 'message',
      text: 'x'.repeat(2500),
      suggestedActions: { to: [], actions },
    }).slice(-1);
    expect(message!.text!.length).toBeLessThan(2000);
    expect(message!.quick_replies).toHaveLength(13);
    expect(message!.quick_replies![0]!.payload).toBe('OPT_1');
    for (const q of message!.quick_replies!) expect(q.title.length).toBeLessThanOrEqual(20);
  });

  it('sends UPDATE and MESSAGE_TAG messages as asked and returns the message ids', async () => {
    const psid = newWorker();
    const activity: Partial<Activity> = { type: 'message', text: 'Thông báo lịch họp công đoàn' };
    const update = await client.send({ userId: psid }, [activity], { type: 'update' });
    const tagged = await client.send({ userId: psid }, [activity], { type: 'tag', tag: 'HUMAN_AGENT' });
    expect(update.messageIds).toHaveLength(1);
    expect(tagged.messageIds[0]).toMatch(/^m_\d+$/);
    expect(messagesTo(psid).map(({ messaging_type, tag }) => ({ messaging_type, tag }))).toEqual([
      { messaging_type: 'UPDATE', tag: undefined },
      { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    ]);
  });
});

describe('webhook acknowledgement', () => {
  /** The webhook alone, in front of a fake adapter, to control how long and how well events are processed. */
  async function webhookWith(
    processActivity: () => Promise<unknown>,
    ackBudgetMs = 5000,
  ): Promise<{ url: string; close: () => void }> {
    const app = express();
    app.use(
      messengerWebhook({
        appSecret: APP_SECRET,
        verifyToken: VERIFY_TOKEN,
        adapter: { processActivity } as unknown as ChannelAdapter,
        logic: async () => {},
        receipts: async () => {},
        logger: createLogger({ level: 'silent' }),
        ackBudgetMs,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/messenger`,
      close: () => server.close(),
    };
  }

  async function post(url: string): Promise<number> {
    const raw = asMetaSendsIt(webhookFixture('text-message', { PSID: newWorker() }));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
      body: raw,
    });
    return res.status;
  }

  it('answers 500 when processing fails, so Meta resends', async () => {
    const hook = await webhookWith(async () => {
      throw new Error('Redis went away');
    });
    try {
      expect(await post(hook.url)).toBe(500);
    } finally {
      hook.close();
    }
  });

  it('acknowledges at the budget when processing is slow, and lets it finish', async () => {
    let finished = false;
    const hook = await webhookWith(async () => {
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    }, 50);
    try {
      const started = Date.now();
      expect(await post(hook.url)).toBe(200);
      expect(Date.now() - started).toBeLessThan(300);
      expect(finished).toBe(false);
      await new Promise((r) => setTimeout(r, 400));
      expect(finished).toBe(true);
    } finally {
      hook.close();
    }
  });
});

describe('toMessengerEvent', () => {
  it('gives postbacks without a mid a stable id, and ignores events it cannot use', () => {
    const body = webhookFixture('postback', {
      PSID: '42',
      TITLE_FOR_THE_CTA: 'Menu',
      USER_DEFINED_PAYLOAD: 'MENU',
    });
    const event = toMessengerEvent(firstEvent(body), body.entry[0]!.time);
    expect(event).toMatchObject({
      kind: 'activity',
      activity: {
        id: '42:1458692752478:MENU',
        text: 'Menu',
        value: { payload: 'MENU' },
        channelId: 'messenger',
      },
    });
    expect(toMessengerEvent({ sender: {}, recipient: {} }, 0)).toEqual({
      kind: 'ignore',
      reason: 'no sender id',
    });
    expect(toMessengerEvent({ nonsense: true }, 0)).toEqual({ kind: 'ignore', reason: 'malformed event' });
    expect(
      toMessengerEvent(
        { sender: { id: '42' }, recipient: { id: PAGE_ID }, reaction: { reaction: 'love', action: 'react' } },
        0,
      ),
    ).toEqual({ kind: 'ignore', reason: 'unsupported event' });
  });
});
