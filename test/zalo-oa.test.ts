import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelContext, ChannelModule } from '../src/channels/module.js';
import type { Receipt } from '../src/channels/receipts.js';
import { ChannelSendError, type ChannelSender } from '../src/channels/send.js';
import { toZaloMessages, ZaloOaClient, type ZaloMessage } from '../src/channels/zalo-oa/client.js';
import { createZaloOaChannel, zaloOaChannel } from '../src/channels/zalo-oa/index.js';
import { parseZaloWebhook, toZaloEvent } from '../src/channels/zalo-oa/payload.js';
import { ZaloTokenStore } from '../src/channels/zalo-oa/tokens.js';
import { NON_TEXT_REPLY } from '../src/conversation/bot.js';
import { createLogger } from '../src/platform/logger.js';
import { listen, portOf } from '../src/platform/http.js';
import { FIXTURES, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix, testRedis } from './helpers/redis.js';

const APP_ID = '360846524940903967';
const APP_SECRET = 'app-secret-for-tests';
const WEBHOOK_SECRET = 'oa-webhook-secret-for-tests';
const API = 'https://openapi.zalo.me';
const OAUTH = 'https://oauth.zaloapp.com';
const prefix = testPrefix('zalo-oa');
const silent = createLogger({ level: 'silent' });

let t: TestApp;
let zalo: ChannelModule;
let server: Server;
let webhookUrl: string;
const receipts: Receipt[] = [];
/** Requests nock could not match outside our own server (a second token refresh, a stray call). */
const unmatched: string[] = [];

function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'zalo-oa', `${name}.json`), 'utf8')) as T;
}

let msgSeq = 0;
function userEvent(name: string, userId: string, message: Record<string, unknown> = {}) {
  const event = fixture<{ sender: object; message: object; timestamp: string }>(name);
  return {
    ...event,
    sender: { id: userId },
    message: { ...event.message, msg_id: `msg${++msgSeq}${Date.now()}`, ...message },
    timestamp: String(Date.now()),
  };
}
const userText = (userId: string, text: string) => userEvent('user_send_text', userId, { text });

/** Signs as Zalo does (written out here so a wrong formula in the code cannot pass). */
function sign(raw: string, timestamp: string, secret = WEBHOOK_SECRET): string {
  return createHash('sha256')
    .update(APP_ID + raw + timestamp + secret)
    .digest('hex');
}

async function postEvent(event: object, signature: 'mac' | 'bare' | 'bad' | 'none' = 'mac') {
  const raw = JSON.stringify(event);
  const mac = sign(raw, String((event as { timestamp: unknown }).timestamp));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature === 'mac') headers['X-ZEvent-Signature'] = `mac=${mac}`;
  if (signature === 'bare') headers['X-ZEvent-Signature'] = mac;
  if (signature === 'bad') headers['X-ZEvent-Signature'] = `mac=${sign(raw, '0', 'wrong')}`;
  const res = await fetch(webhookUrl, { method: 'POST', headers, body: raw });
  return res.status;
}

// ---- The fake customer-service API ------------------------------------------------------------------

interface CsCall {
  token: string;
  userId: string;
  message: ZaloMessage;
}
/** CS requests in the order Zalo answered them. */
let sent: CsCall[] = [];
let csRequests = 0;

interface CsAnswer {
  body?: object;
  delayMs?: number;
}

/** Answers CS requests with `answers` in order, then with success. */
function fakeCsApi(...answers: CsAnswer[]): void {
  const success = fixture<{ data: object }>('cs_send_success');
  nock(API)
    .persist()
    .post('/v3.0/oa/message/cs')
    .reply(async function (_uri, body) {
      const answer = answers[csRequests++] ?? {};
      const request = body as { recipient: { user_id: string }; message: ZaloMessage };
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      sent.push({
        token: this.req.headers['access_token']!,
        userId: request.recipient.user_id,
        message: request.message,
      });
      return [
        200,
        answer.body ?? { ...success, data: { ...success.data, message_id: `zmid-${sent.length}` } },
      ];
    });
}

const zaloError = (error: number, message: string): CsAnswer => ({ body: { error, message } });

/** One token refresh that must happen exactly once (a second one would be unmatched). */
function fakeRefresh(spentRefreshToken: string, fresh: { access: string; refresh: string }, delayMs = 0) {
  return nock(OAUTH, { reqheaders: { secret_key: APP_SECRET } })
    .post('/v4/oa/access_token', {
      refresh_token: spentRefreshToken,
      app_id: APP_ID,
      grant_type: 'refresh_token',
    })
    .delay(delayMs)
    .once()
    .reply(200, { access_token: fresh.access, refresh_token: fresh.refresh, expires_in: '90000' });
}

/** A token store over its own Redis connection, as another process would have. */
function tokenStore(): ZaloTokenStore {
  return new ZaloTokenStore({
    redis: testRedis(),
    keyPrefix: prefix,
    appId: APP_ID,
    secretKey: APP_SECRET,
    oauthUrl: OAUTH,
    seed: {},
    logger: silent,
  });
}

const texts = (calls: CsCall[]) => calls.map((c) => c.message.text);

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  type Target = { hostname?: string; host?: string; path?: string };
  nock.emitter.on('no match', (req: Target, options?: Target) => {
    const target = options ?? req;
    const host = target.hostname ?? target.host ?? '';
    if (!host.startsWith('127.0.0.1')) unmatched.push(`${host}${target.path ?? ''}`);
  });
  t = await startTestApp({
    prefix,
    env: {
      ZALO_OA_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: APP_SECRET,
      ZALO_OA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ZALO_OA_ACCESS_TOKEN: 'access-from-env',
      ZALO_OA_REFRESH_TOKEN: 'refresh-from-env',
    },
  });
  // Built from the app's parts as the application's channel wiring will (see ChannelContext).
  const context: ChannelContext = {
    config: t.app.config,
    logger: t.app.logger,
    redis: t.app.redis,
    metrics: t.app.metrics,
    subscribers: t.app.services.subscribers,
    logic: t.app.botLogic,
    withTurnPipeline: (adapter) => t.app.withTurnPipeline(adapter),
    receipts: async (receipt) => {
      if (receipt.userId === 'receipts-down') throw new Error('delivery reports unavailable');
      receipts.push(receipt);
    },
  };
  zalo = createZaloOaChannel(context, { retry: { sleep: async () => undefined } })!;
  await zalo.start?.();
  const http = express();
  http.use(zalo.router!);
  server = await listen(http, 0, '127.0.0.1');
  webhookUrl = `http://127.0.0.1:${portOf(server)}/webhooks/zalo`;
});

beforeEach(() => {
  sent = [];
  csRequests = 0;
  unmatched.length = 0;
  receipts.length = 0;
});

afterEach(() => {
  nock.cleanAll();
  expect(unmatched).toEqual([]);
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.stop();
  await removePrefix(prefix);
  nock.enableNetConnect();
  nock.restore();
});

describe('Zalo OA channel: configuration', () => {
  it('is off unless the app id, the app secret and a token are set', () => {
    const base = { config: t.app.config } as ChannelContext;
    for (const missing of ['ZALO_OA_APP_ID', 'ZALO_OA_SECRET_KEY'] as const)
      expect(zaloOaChannel({ ...base, config: { ...t.app.config, [missing]: undefined } })).toBeUndefined();
    const noTokens = { ...t.app.config, ZALO_OA_ACCESS_TOKEN: undefined, ZALO_OA_REFRESH_TOKEN: undefined };
    expect(zaloOaChannel({ ...base, config: noTokens })).toBeUndefined();
    expect(zalo.name).toBe('zalo-oa');
    expect(zalo.sender?.channel).toBe('zalo-oa');
  });

  it('seeds the tokens from the environment once', async () => {
    const stored = await tokenStore().current();
    expect(stored).toMatchObject({ accessToken: 'access-from-env', refreshToken: 'refresh-from-env' });
  });
});

describe('POST /webhooks/zalo: signature', () => {
  it('processes a correctly signed event, with or without the "mac=" prefix', async () => {
    fakeCsApi();
    expect(await postEvent(userText('sig-good', 'xin chào'))).toBe(200);
    expect(await postEvent(userText('sig-bare', 'xin chào'), 'bare')).toBe(200);
    expect(sent.map((c) => c.userId)).toContain('sig-good');
    expect(sent.map((c) => c.userId)).toContain('sig-bare');
  });

  it('rejects a bad or missing signature and processes nothing', async () => {
    fakeCsApi();
    expect(await postEvent(userText('sig-bad', 'xin chào'), 'bad')).toBe(403);
    expect(await postEvent(userText('sig-missing', 'xin chào'), 'none')).toBe(401);
    expect(await postEvent(fixture('follow'), 'bad')).toBe(403);
    expect(csRequests).toBe(0);
    expect(await t.app.services.subscribers.get('zalo-oa', 'sig-bad')).toBeUndefined();
    expect(await t.app.services.subscribers.get('zalo-oa', 'sig-missing')).toBeUndefined();
    expect((await t.app.services.subscribers.get('zalo-oa', '24684588352919792'))?.consent).toBeUndefined();
  });

  it('answers 400 to a signed event of the wrong shape, and 200 to events it does not act on', async () => {
    fakeCsApi();
    const noMsgId = userText('bad-shape', 'xin chào');
    delete (noMsgId.message as { msg_id?: string }).msg_id;
    expect(await postEvent(noMsgId)).toBe(400);
    // An id sent as a JSON number would already have lost digits: refused.
    const numericSender = { ...userText('x', 'hi'), sender: { id: 2468458835 } };
    expect(await postEvent(numericSender)).toBe(400);
    expect(await postEvent(fixture('oa_send_text'))).toBe(200);
    expect(await postEvent({ ...fixture('oa_send_text'), event_name: 'user_submit_info' })).toBe(200);
    expect(csRequests).toBe(0);
  });
});

describe('POST /webhooks/zalo: follow and unfollow', () => {
  it('records consent on follow and greets the worker through the CS API, once per event', async () => {
    fakeCsApi();
    const follow = { ...fixture('follow'), follower: { id: 'follower-1' }, timestamp: String(Date.now()) };
    expect(await postEvent(follow)).toBe(200);

    const sub = await t.app.services.subscribers.get('zalo-oa', 'follower-1');
    expect(sub?.consent).toMatchObject({ status: 'opted_in', channel: 'zalo-oa', source: 'zalo follow' });
    expect(Date.parse(sub!.consent!.at)).toBeGreaterThan(Date.now() - 60_000);

    expect(sent.every((c) => c.userId === 'follower-1')).toBe(true);
    expect(sent[0]!.message.text).toMatch(/^Chào bạn! Mình là Trợ lý Công đoàn/);
    const last = sent.at(-1)!.message;
    expect(last.text).toContain('khu công nghiệp nào');
    expect(last.attachment?.payload.buttons).toEqual([
      { title: 'Bỏ qua', type: 'oa.query.hide', payload: expect.stringMatching(/^ua:/) },
    ]);

    // Zalo resends an event it thinks was not delivered: no second greeting, no second consent entry.
    const greetings = sent.length;
    expect(await postEvent(follow)).toBe(200);
    expect(sent.length).toBe(greetings);
    expect(await t.app.services.subscribers.consentLog('zalo-oa', 'follower-1')).toHaveLength(1);
  });

  it('records the opt-out on unfollow and sends nothing', async () => {
    fakeCsApi();
    await t.app.services.subscribers.setConsent('zalo-oa', 'follower-2', 'opted_in', 'zalo follow');
    const unfollow = {
      ...fixture('unfollow'),
      follower: { id: 'follower-2' },
      timestamp: String(Date.now()),
    };
    expect(await postEvent(unfollow)).toBe(200);
    const sub = await t.app.services.subscribers.get('zalo-oa', 'follower-2');
    expect(sub?.consent).toMatchObject({ status: 'opted_out', channel: 'zalo-oa', source: 'zalo unfollow' });
    expect(csRequests).toBe(0);
  });
});

describe('POST /webhooks/zalo: messages', () => {
  it('answers a question with the cited answer and its options as buttons', async () => {
    fakeCsApi();
    const token = (await tokenStore().current())!.accessToken;
    expect(await postEvent(userText('asker', 'chim cánh cụt được nghỉ đông mấy ngày?'))).toBe(200);

    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((c) => c.token === token && c.userId === 'asker')).toBe(true);
    expect(sent[0]!.message.text).toContain('99 ngày');
    expect(sent[0]!.message.text).toContain('Căn cứ: Điều 7');
    const buttons = sent.at(-1)!.message.attachment!.payload.buttons;
    expect(buttons.map((b) => b.payload)).toEqual([
      'ua:ARTICLE:99/2099/TEST:7',
      'ua:ASK:chim-canh-cut#2',
      'ua:MENU',
      'ua:HUMAN',
    ]);
    expect(buttons.every((b) => b.type === 'oa.query.hide' && b.title.length > 0)).toBe(true);
  });

  it('treats a button click (its payload as text) as the button, not as typed text', async () => {
    fakeCsApi();
    expect(await postEvent(userText('clicker', 'ua:MENU'))).toBe(200);
    const text = texts(sent).join('\n');
    expect(text).toContain('Bạn cần hỗ trợ gì?');
    // Seven options do not fit Zalo's five buttons: a numbered menu in the text.
    expect(text).toContain('1. Hỏi đáp pháp luật lao động');
  });

  it('answers a picture politely in text and keeps its link in the transcript', async () => {
    fakeCsApi();
    const image = userEvent('user_send_image', 'photographer');
    expect(await postEvent(image)).toBe(200);
    expect(texts(sent)).toEqual([NON_TEXT_REPLY]);
    const transcript = await t.app.transcripts.getTranscriptActivities('zalo-oa', 'photographer');
    const incoming = transcript.items.find((a) => a.from?.id === 'photographer');
    expect(incoming?.attachments?.[0]).toMatchObject({
      contentType: 'image/*',
      contentUrl: 'http://f6.photo.talk.zdn.vn/1234567890/abcdef.jpg',
    });
  });

  it('answers a message Zalo delivers twice (same msg_id) once', async () => {
    fakeCsApi();
    const event = userText('twice', 'xin chào');
    expect(await postEvent(event)).toBe(200);
    const first = sent.length;
    expect(first).toBeGreaterThan(0);
    expect(await postEvent(event)).toBe(200);
    expect(sent.length).toBe(first);
  });

  it('answers two messages of one worker sent at once in the order they came', async () => {
    // The first reply is slow at Zalo; the second message must still wait for it.
    fakeCsApi({ delayMs: 400 });
    const menu = postEvent(userText('hurried', 'ua:MENU'));
    await expect.poll(() => csRequests, { interval: 10 }).toBeGreaterThan(0);
    const question = postEvent(userText('hurried', 'chim cánh cụt được nghỉ đông mấy ngày?'));
    expect(await Promise.all([menu, question])).toEqual([200, 200]);
    const all = texts(sent);
    const menuAt = all.findIndex((x) => x.includes('Bạn cần hỗ trợ gì?'));
    const answerAt = all.findIndex((x) => x.includes('99 ngày'));
    expect(menuAt).toBeGreaterThanOrEqual(0);
    expect(answerAt).toBeGreaterThan(menuAt);
  });

  it('passes delivery and read receipts on', async () => {
    expect(await postEvent(fixture('user_received_message'))).toBe(200);
    expect(await postEvent(fixture('user_seen_message'))).toBe(200);
    expect(receipts).toEqual([
      {
        channel: 'zalo-oa',
        userId: '246845883529197922',
        kind: 'delivered',
        messageIds: ['15a0cc0bbb13bd4ce403'],
        at: new Date(1602560967477).toISOString(),
      },
      {
        channel: 'zalo-oa',
        userId: '246845883529197922',
        kind: 'read',
        messageIds: ['15a0cc0bbb13bd4ce403', '25b1dd1ccc24ce5df514'],
        at: new Date(1602560968000).toISOString(),
      },
    ]);
  });
});

describe("POST /webhooks/zalo: answering within Zalo's 2 seconds", () => {
  it('answers 500 when processing fails, so that Zalo sends the event again', async () => {
    const receipt = { ...fixture('user_received_message'), recipient: { id: 'receipts-down' } };
    expect(await postEvent(receipt)).toBe(500);
  });

  it('answers 200 after 1.5 s when a turn is slow, and finishes the turn afterwards', async () => {
    fakeCsApi({ delayMs: 2500 });
    const started = Date.now();
    expect(await postEvent(userText('slow', 'xin chào'))).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sent).toEqual([]);
    await expect.poll(() => sent.length, { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(() => t.app.inFlight.count, { timeout: 5000 }).toBe(0);
  });
});

describe('Zalo OA client: errors', () => {
  const hello = [{ type: 'message', text: 'Xin chào' }];
  const send = () => zalo.sender!.send({ userId: 'worker-x' }, hello, { type: 'update' });

  it('retries after -32 (rate limited) and then succeeds', async () => {
    fakeCsApi(zaloError(-32, 'Your OA reached limit call api'));
    const result = await send();
    expect(csRequests).toBe(2);
    expect(result.messageIds).toEqual(['zmid-2']);
  });

  it('marks a worker who does not follow the OA (-213) unreachable', async () => {
    fakeCsApi(zaloError(-213, 'User has not followed OA'));
    expect(await postEvent(userText('gone', 'xin chào'))).toBe(200);
    expect(csRequests).toBe(1);
    const sub = await t.app.services.subscribers.get('zalo-oa', 'gone');
    expect(sub?.reachable).toBe(false);
    expect(sub?.unreachableReason).toContain('-213');
  });

  it('does not retry outside the interaction window (-230)', async () => {
    fakeCsApi(zaloError(-230, 'User has not interacted with the OA in the past 7 days'));
    await expect(send()).rejects.toMatchObject({ kind: 'outside_window', details: { platformCode: -230 } });
    expect(csRequests).toBe(1);
  });

  it('treats other codes as an invalid message, not to be retried', async () => {
    fakeCsApi(zaloError(-210, 'Parameter exceeds allowable limit'));
    await expect(send()).rejects.toMatchObject({ kind: 'invalid' });
    expect(csRequests).toBe(1);
  });

  it('refreshes a rejected token (-216) once and sends again with the new one', async () => {
    const store = tokenStore();
    await store.save({ accessToken: 'access-revoked', refreshToken: 'refresh-1' });
    fakeCsApi(zaloError(-216, 'Access token is invalid'));
    const refresh = fakeRefresh('refresh-1', { access: 'access-2', refresh: 'refresh-2' });
    const result = await send();
    expect(refresh.isDone()).toBe(true);
    expect(sent.map((c) => c.token)).toEqual(['access-revoked', 'access-2']);
    expect(result.messageIds).toEqual(['zmid-2']);
    expect(await store.current()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it("reports 'auth' when the refresh is refused (an admin must authorise again)", async () => {
    await tokenStore().save({ accessToken: 'access-dead', refreshToken: 'refresh-spent' });
    fakeCsApi(zaloError(-220, 'access_token is expired or removed'));
    nock(OAUTH)
      .post('/v4/oa/access_token')
      .reply(200, { error: -14014, error_name: 'Invalid refresh token' });
    const error = await send().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ kind: 'auth' });
    expect(csRequests).toBe(1);
  });
});

describe('Zalo OA tokens: refresh under concurrency', () => {
  /** Two processes: each its own token store (own Redis connection) and client. */
  function twoProcesses(): { stores: ZaloTokenStore[]; senders: ChannelSender[] } {
    const stores = [tokenStore(), tokenStore()];
    const senders = stores.map((tokens) => new ZaloOaClient({ apiUrl: API, tokens, logger: silent }));
    return { stores, senders };
  }
  const hello = [{ type: 'message', text: 'Xin chào' }];

  it('refreshes a token about to expire exactly once when two processes send at the same time', async () => {
    const { stores, senders } = twoProcesses();
    await stores[0]!.save({
      accessToken: 'access-old',
      refreshToken: 'refresh-old',
      expiresAt: Date.now() + 5 * 60_000, // inside the 10-minute margin
    });
    fakeCsApi();
    // Slow enough that the second process arrives while the first is refreshing.
    const refresh = fakeRefresh('refresh-old', { access: 'access-new', refresh: 'refresh-new' }, 200);

    await Promise.all(senders.map((s, i) => s.send({ userId: `twin-${i}` }, hello, { type: 'update' })));

    expect(refresh.isDone()).toBe(true);
    expect(sent.map((c) => c.token)).toEqual(['access-new', 'access-new']);
    const stored = await stores[1]!.current();
    expect(stored).toMatchObject({ accessToken: 'access-new', refreshToken: 'refresh-new' });
    expect(stored!.expiresAt! - Date.now()).toBeGreaterThan(24 * 3600_000);
  });

  it('refreshes once when two processes have the same token rejected', async () => {
    const { stores, senders } = twoProcesses();
    await stores[0]!.save({ accessToken: 'access-stale', refreshToken: 'refresh-a' });
    fakeCsApi(zaloError(-216, 'Access token is invalid'), zaloError(-216, 'Access token is invalid'));
    const refresh = fakeRefresh('refresh-a', { access: 'access-b', refresh: 'refresh-b' }, 100);

    await Promise.all(senders.map((s, i) => s.send({ userId: `twin-${i}` }, hello, { type: 'update' })));

    expect(refresh.isDone()).toBe(true);
    expect(sent.map((c) => c.token)).toEqual(['access-stale', 'access-stale', 'access-b', 'access-b']);
    expect(await stores[1]!.current()).toMatchObject({ refreshToken: 'refresh-b' });
  });
});

describe('Zalo OA messages: buttons and limits', () => {
  it('puts options first, fills up to five buttons with links and writes the other links into the text', () => {
    const [message, ...rest] = toZaloMessages({
      type: 'message',
      text: 'Chọn một mục',
      suggestedActions: {
        to: [],
        actions: ['A', 'B', 'C'].map((x) => ({ type: 'postBack', title: `Mục ${x}`, value: x })),
      },
      channelData: {
        ua: { links: [1, 2, 3, 4].map((n) => ({ title: `Trang ${n}`, url: `https://congdoan.vn/${n}` })) },
      },
    });
    expect(rest).toEqual([]);
    expect(message!.attachment!.payload.buttons).toEqual([
      { title: 'Mục A', type: 'oa.query.hide', payload: 'ua:A' },
      { title: 'Mục B', type: 'oa.query.hide', payload: 'ua:B' },
      { title: 'Mục C', type: 'oa.query.hide', payload: 'ua:C' },
      { title: 'Trang 1', type: 'oa.open.url', payload: { url: 'https://congdoan.vn/1' } },
      { title: 'Trang 2', type: 'oa.open.url', payload: { url: 'https://congdoan.vn/2' } },
    ]);
    expect(message!.text).toBe(
      'Chọn một mục\n\nTrang 3: https://congdoan.vn/3\nTrang 4: https://congdoan.vn/4',
    );
  });

  it('keeps titles within 100 characters and text within 2000, buttons under the last piece', () => {
    const long = 'Người lao động được nghỉ phép năm theo quy định. '.repeat(60);
    const messages = toZaloMessages({
      type: 'message',
      text: long,
      suggestedActions: { to: [], actions: [{ type: 'postBack', title: 'x'.repeat(150), value: 'MENU' }] },
    });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => m.text.length <= 2000)).toBe(true);
    expect(messages.slice(0, -1).every((m) => !m.attachment)).toBe(true);
    expect(messages.at(-1)!.attachment!.payload.buttons[0]!.title).toHaveLength(100);
  });
});

describe('Zalo OA events: mapping', () => {
  it('keeps the text of a shared link and the link as an attachment', () => {
    const parsed = parseZaloWebhook(fixture('user_send_link'));
    expect(parsed.ok).toBe(true);
    const event = toZaloEvent(parsed.ok ? parsed.webhook : undefined);
    expect(event).toMatchObject({
      kind: 'message',
      activity: {
        id: 'b2c3d4e5f6a70819203',
        channelId: 'zalo-oa',
        from: { id: '246845883529197922' },
        conversation: { id: '246845883529197922' },
        recipient: { id: '388613280878808645' },
        text: 'https://congdoan.vn/tin-tuc',
        attachments: [{ contentType: 'text/html', contentUrl: 'https://congdoan.vn/tin-tuc' }],
      },
    });
  });

  it("ignores the OA's own messages echoed back", () => {
    const parsed = parseZaloWebhook(fixture('oa_send_text'));
    expect(parsed.ok && toZaloEvent(parsed.webhook)).toBe('ignore');
  });
});
