import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebMessage } from '../src/channels/web/contract.js';
import { messengerChannel } from '../src/channels/messenger/index.js';
import { InboxError, type InboxEvent } from '../src/handoff/inbox.js';
import { HandoffStore, type HandoffRequest } from '../src/handoff/store.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix, testRedis } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const OFFICER_A = { id: 'officer-a', name: 'Nguyễn Văn A' };
const OFFICER_B = { id: 'officer-b', name: 'Trần Thị B' };

/** The InboxError a promise rejects with, for asserting on its code. */
async function inboxError(promise: Promise<unknown>): Promise<InboxError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof InboxError) return err;
    throw err;
  }
  throw new Error('expected an InboxError');
}

// ——— the store: atomic transitions on plain Redis data ———

describe('HandoffStore transitions', () => {
  const prefix = testPrefix('handoff-store');
  let redis: Redis;
  let store: HandoffStore;
  const input = (conversationId: string) => ({
    channel: 'web',
    userId: conversationId,
    conversationId,
    reference: { channelId: 'web', conversation: { id: conversationId } },
    reason: 'gặp cán bộ',
  });

  beforeAll(() => {
    redis = testRedis();
    store = new HandoffStore(redis, prefix, () => new Date(), { maxMessages: 3, maxClosedListed: 2 });
  });
  afterAll(async () => {
    redis.disconnect();
    await removePrefix(prefix);
  });

  it('opens one request per conversation, even when two turns race', async () => {
    const results = await Promise.all([store.request(input('c1')), store.request(input('c1'))]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results[0].request.id).toBe(results[1].request.id);
    expect(results[0].request).toMatchObject({ status: 'open', reason: 'gặp cán bộ', channel: 'web' });
    expect((await store.listOpen()).map((r) => r.id)).toContain(results[0].request.id);
  });

  it('take: open → assigned; again by the same officer changes nothing; another officer needs force', async () => {
    const { request } = await store.request(input('c2'));
    const taken = await store.take(request.id, OFFICER_A);
    expect(taken).toMatchObject({
      ok: true,
      changed: true,
      request: { status: 'assigned', assignee: OFFICER_A },
    });
    expect(await store.take(request.id, OFFICER_A)).toMatchObject({ ok: true, changed: false });
    expect(await store.take(request.id, OFFICER_B)).toMatchObject({
      ok: false,
      reason: 'assigned_to_other',
      request: { assignee: OFFICER_A },
    });
    const forced = await store.take(request.id, OFFICER_B, { force: true });
    expect(forced).toMatchObject({ ok: true, changed: true, previousAssignee: OFFICER_A });
    expect((await store.list('assigned')).map((r) => r.id)).toContain(request.id);
    expect((await store.list('open')).map((r) => r.id)).not.toContain(request.id);
    // Still the conversation's live request: the worker asking again gets the same one.
    expect(await store.request(input('c2'))).toMatchObject({ created: false, request: { id: request.id } });
  });

  it('only one of two officers taking at the same moment wins', async () => {
    const { request } = await store.request(input('c3'));
    const results = await Promise.all([store.take(request.id, OFFICER_A), store.take(request.id, OFFICER_B)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ reason: 'assigned_to_other' }]);
  });

  it('close: refused for another officer without force, once only; frees the conversation', async () => {
    const { request } = await store.request(input('c4'));
    await store.take(request.id, OFFICER_A);
    const officerB = { ...OFFICER_B, role: 'officer' as const };
    expect(await store.close(request.id, officerB)).toMatchObject({ ok: false, reason: 'assigned_to_other' });
    const closed = await store.close(request.id, { ...OFFICER_A, role: 'officer' });
    expect(closed).toMatchObject({ ok: true, request: { status: 'closed', closedBy: { id: OFFICER_A.id } } });
    expect(await store.close(request.id, { ...OFFICER_A, role: 'officer' })).toMatchObject({
      ok: false,
      reason: 'closed',
    });
    expect(await store.take(request.id, OFFICER_A)).toMatchObject({ ok: false, reason: 'closed' });
    expect(await store.openFor('web', 'c4')).toBeUndefined();
    expect(await redis.ttl(`${prefix}handoff:${request.id}`)).toBeGreaterThan(0);
    const again = await store.request(input('c4'));
    expect(again.created).toBe(true);
    expect(again.request.id).not.toBe(request.id);
    expect(await store.take('NOPE42', OFFICER_A)).toEqual({ ok: false, reason: 'not_found' });
    expect(await store.close('NOPE42', officerB)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lists closed requests newest first, capped; an open one may be closed by any officer', async () => {
    const ids: string[] = [];
    for (const c of ['c5', 'c6', 'c7']) {
      const { request } = await store.request(input(c));
      await store.close(request.id, { ...OFFICER_B, role: 'officer' });
      ids.push(request.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await store.list('closed')).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    // Trimmed from the list, still readable by id until it expires.
    expect(await store.get(ids[0]!)).toMatchObject({ status: 'closed' });
  });

  it('keeps the last messages; system notes do not change the preview', async () => {
    const { request } = await store.request(input('c8'));
    for (const text of ['một', 'hai', 'ba', 'bốn'])
      await store.addMessage(request.id, { from: 'worker', text, at: new Date().toISOString() });
    await store.addMessage(request.id, { from: 'system', text: 'ghi chú', at: new Date().toISOString() });
    expect((await store.messages(request.id)).map((m) => m.text)).toEqual(['ba', 'bốn', 'ghi chú']);
    expect((await store.get(request.id))?.lastText).toBe('bốn');
    expect(await store.addMessage('NOPE42', { from: 'worker', text: 'x', at: '' })).toBe(false);
  });
});

// ——— the inbox over the web chat channel ———

describe('officer inbox with a web chat worker', () => {
  const prefix = testPrefix('inbox-web');
  let t: TestApp;
  const events: InboxEvent[] = [];
  const secondListener: InboxEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    t = await startTestApp({ prefix });
    unsubscribe = await t.app.inbox.subscribe((e) => events.push(e));
    await t.app.inbox.subscribe((e) => secondListener.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await t.stop();
    await removePrefix(prefix);
  });

  async function updates(userId: string): Promise<WebMessage[]> {
    const res = await fetch(`${t.url}/api/chat/updates?userId=${encodeURIComponent(userId)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: WebMessage[] }).messages;
  }

  it('runs a whole handoff: request, take, silent bot, officer reply, refusals, close, bot back', async () => {
    const user = 'worker-inbox';
    const answer = await t.say(user, 'chim cánh cụt được nghỉ đông mấy ngày?');
    expect(allText(answer)).toContain('99 ngày');

    // The worker asks for a person: the request is listed with what was said before.
    const asked = await t.say(user, 'gặp cán bộ');
    expect(allText(asked)).toMatch(/đã chuyển cuộc trò chuyện cho cán bộ công đoàn \(mã [A-Z0-9]{6}\)/);
    const [item] = await t.app.inbox.list('open');
    expect(item).toMatchObject({ status: 'open', channel: 'web', userId: user, reason: 'gặp cán bộ' });
    const id = item!.id;
    const before = await waitFor(
      async () => {
        const d = await t.app.inbox.detail(id);
        return d && d.messages.some((m) => m.from === 'bot') ? d : undefined;
      },
      { what: 'the transcript history' },
    );
    expect(before.messages.slice(0, 3)).toMatchObject([
      { from: 'worker', text: 'chim cánh cụt được nghỉ đông mấy ngày?' },
      { from: 'bot', text: expect.stringContaining('99 ngày') as string },
      { from: 'bot' },
    ]);
    expect(before.messages.filter((m) => m.from === 'worker').map((m) => m.text)).toEqual([
      'chim cánh cụt được nghỉ đông mấy ngày?',
      'gặp cán bộ',
    ]);
    expect(before.messages.at(-1)).toMatchObject({
      from: 'system',
      text: expect.stringContaining('gặp cán bộ'),
    });

    // Waiting for an officer: the bot still answers, and the officer sees both sides.
    const waiting = await t.say(user, 'công ty nợ lương hai tháng thì sao');
    expect(waiting.length).toBeGreaterThan(0);
    const again = await t.say(user, 'gặp cán bộ');
    expect(allText(again)).toContain(`(mã ${id}) đã được ghi nhận`);
    const whileOpen = (await t.app.inbox.detail(id))!.messages;
    expect(whileOpen.filter((m) => m.from === 'worker').map((m) => m.text)).toEqual([
      'chim cánh cụt được nghỉ đông mấy ngày?',
      'gặp cán bộ',
      'công ty nợ lương hai tháng thì sao',
      'gặp cán bộ',
    ]);
    expect(whileOpen.at(-1)).toMatchObject({
      from: 'bot',
      text: expect.stringContaining('đã được ghi nhận'),
    });

    // Officer A takes it: the worker is told on their own channel.
    const taken = await t.app.inbox.take(id, OFFICER_A);
    expect(taken).toMatchObject({ id, status: 'assigned', assignee: OFFICER_A });
    expect((await updates(user)).map((m) => m.text)).toEqual([
      'Cán bộ công đoàn Nguyễn Văn A đã tham gia cuộc trò chuyện. Bạn cứ nhắn, cán bộ sẽ trả lời ngay tại đây.',
    ]);
    expect((await t.app.inbox.list('assigned')).map((i) => i.id)).toContain(id);
    expect((await t.app.inbox.list('open')).map((i) => i.id)).not.toContain(id);

    // The worker writes: the bot stays quiet, the officer sees the message.
    const quiet = await t.post({ userId: user, text: 'Em làm ở KCN VSIP, công ty chưa trả lương' });
    expect(quiet).toEqual({ status: 200, body: { messages: [] } });
    const quietToo = await t.say(user, 'gặp cán bộ');
    expect(quietToo).toEqual([]);
    const afterQuiet = await t.app.inbox.detail(id);
    expect(afterQuiet!.item).toMatchObject({ lastText: 'gặp cán bộ', status: 'assigned' });
    expect(afterQuiet!.messages.map((m) => m.text)).toContain('Em làm ở KCN VSIP, công ty chưa trả lương');

    // The officer answers: it reaches the worker's web chat and is recorded.
    const sent = await t.app.inbox.reply(id, OFFICER_A, 'Chào bạn, bạn cho mình biết tên công ty nhé.');
    expect(sent).toMatchObject({ from: 'officer', officer: OFFICER_A });
    expect((await updates(user)).map((m) => m.text)).toEqual([
      'Chào bạn, bạn cho mình biết tên công ty nhé.',
    ]);
    expect((await t.app.inbox.detail(id))!.messages.at(-1)).toMatchObject({
      from: 'officer',
      text: 'Chào bạn, bạn cho mình biết tên công ty nhé.',
      officer: OFFICER_A,
    });

    // Another officer is refused; so is an empty reply.
    expect((await inboxError(t.app.inbox.take(id, OFFICER_B))).code).toBe('assigned_to_other');
    expect((await inboxError(t.app.inbox.reply(id, OFFICER_B, 'xin chào'))).code).toBe('assigned_to_other');
    expect((await inboxError(t.app.inbox.close(id, OFFICER_B))).code).toBe('assigned_to_other');
    expect((await inboxError(t.app.inbox.reply(id, OFFICER_A, '   '))).code).toBe('invalid');
    // Taking one's own again is harmless and tells the worker nothing new.
    await t.app.inbox.take(id, OFFICER_A);
    expect(await updates(user)).toEqual([]);

    // Officer A closes: the worker is told, and the bot answers again.
    const closed = await t.app.inbox.close(id, OFFICER_A);
    expect(closed).toMatchObject({ id, status: 'closed' });
    expect((await updates(user)).map((m) => m.text)).toEqual([
      'Cán bộ đã kết thúc cuộc trò chuyện. Trợ lý sẽ tiếp tục hỗ trợ bạn; gõ "gặp cán bộ" nếu cần gặp lại.',
    ]);
    const back = await t.say(user, 'chim cánh cụt được nghỉ đông mấy ngày?');
    expect(allText(back)).toContain('99 ngày');
    expect((await t.app.inbox.list('closed'))[0]).toMatchObject({ id, status: 'closed' });
    expect((await inboxError(t.app.inbox.reply(id, OFFICER_A, 'còn đó không?'))).code).toBe('closed');
    expect((await inboxError(t.app.inbox.close(id, OFFICER_A))).code).toBe('closed');
    // Nothing after the close was recorded in the finished handoff.
    expect((await t.app.inbox.detail(id))!.messages.at(-1)).toMatchObject({ from: 'system' });

    // Every change was published, in order, to every listener of the process.
    const expected = [
      'created',
      'message', // worker, while open
      'message', // bot reply, while open
      'message', // the second "gặp cán bộ"
      'message', // its "already queued" reply
      'taken',
      'message', // worker, while assigned
      'message', // worker's second message, while assigned
      'message', // officer reply
      'closed',
    ];
    const mine = await waitFor(() => {
      const list = events.filter((e) => e.id === id);
      return list.length >= expected.length ? list : undefined;
    });
    expect(mine.map((e) => e.type)).toEqual(expected);
    await waitFor(() => secondListener.filter((e) => e.id === id).length === expected.length);
  });

  it('the worker can end the handoff with "kết thúc" and gets the bot back', async () => {
    const user = 'worker-ends';
    await t.say(user, 'tôi muốn gặp cán bộ');
    const request = (await t.app.services.handoffs.openFor('web', user))!;
    await t.app.inbox.take(request.id, OFFICER_B);
    await updates(user);
    const ended = await t.say(user, 'Kết thúc ạ');
    expect(ended.map((m) => m.text)).toEqual([
      'Bạn đã kết thúc cuộc trò chuyện với cán bộ. Trợ lý sẽ tiếp tục hỗ trợ bạn; gõ "gặp cán bộ" nếu cần gặp lại.',
    ]);
    expect(await t.app.services.handoffs.get(request.id)).toMatchObject({
      status: 'closed',
      closedBy: { role: 'worker', id: user },
    });
    await waitFor(() => events.some((e) => e.id === request.id && e.type === 'closed'));
    expect(allText(await t.say(user, 'chim cánh cụt được nghỉ đông mấy ngày?'))).toContain('99 ngày');
    // "kết thúc" while only waiting is an ordinary message for the bot, not an end.
    const other = 'worker-ends-open';
    await t.say(other, 'gặp cán bộ');
    await t.say(other, 'kết thúc');
    expect((await t.app.services.handoffs.openFor('web', other))?.status).toBe('open');
  });

  it('refuses a reply before anyone took the request, and unknown ids', async () => {
    await t.say('worker-waiting', 'gặp cán bộ');
    const request = (await t.app.services.handoffs.openFor('web', 'worker-waiting'))!;
    const error = await inboxError(t.app.inbox.reply(request.id, OFFICER_A, 'xin chào'));
    expect(error.code).toBe('not_assigned');
    expect(error.message).toContain('nhận cuộc trò chuyện');
    expect((await inboxError(t.app.inbox.take('NOPE42', OFFICER_A))).code).toBe('not_found');
    expect((await inboxError(t.app.inbox.reply('NOPE42', OFFICER_A, 'x'))).code).toBe('not_found');
    expect(await t.app.inbox.detail('NOPE42')).toBeUndefined();
    // Without a status the inbox lists what needs officers: open and assigned.
    const active = await t.app.inbox.list();
    expect(active.map((i) => i.id)).toContain(request.id);
    expect(active.every((i) => i.status !== 'closed')).toBe(true);
  });
});

// ——— the inbox over Messenger (Send API faked with nock) ———

const GRAPH = 'https://graph.facebook.com';
const SEND_PATH = '/v25.0/me/messages';
const APP_SECRET = 'inbox-app-secret';
const PAGE_TOKEN = 'EAAinboxpagetoken';

interface SentRequest {
  recipient: { id: string };
  messaging_type?: string;
  tag?: string;
  sender_action?: string;
  message?: { text?: string };
}

describe('officer inbox with a Messenger worker', () => {
  const prefix = testPrefix('inbox-messenger');
  let t: TestApp;
  const sent: SentRequest[] = [];
  /** Error responses for the next message requests; afterwards every request succeeds. */
  const planned: [number, Record<string, unknown>][] = [];
  let mid = 0;

  const messagesTo = (psid: string) => sent.filter((r) => r.recipient.id === psid && r.message);

  async function deliver(psid: string, text: string): Promise<void> {
    const body = {
      object: 'page',
      entry: [
        {
          id: '1234567890',
          time: Date.now(),
          messaging: [
            {
              sender: { id: psid },
              recipient: { id: '1234567890' },
              timestamp: Date.now(),
              message: { mid: `m.inbox.${++mid}`, text },
            },
          ],
        },
      ],
    };
    // Meta escapes non-ASCII characters in the JSON it signs.
    const raw = JSON.stringify(body).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
    const res = await fetch(`${t.url}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(GRAPH)
      .persist()
      .post(SEND_PATH)
      .query({ access_token: PAGE_TOKEN })
      .reply((_uri, body) => {
        const request = (typeof body === 'string' ? JSON.parse(body) : body) as SentRequest;
        sent.push(request);
        const next = request.message ? planned.shift() : undefined;
        return next ?? [200, { recipient_id: request.recipient.id, message_id: `m_${sent.length}` }];
      });
    t = await startTestApp({
      prefix,
      channels: [(ctx) => messengerChannel(ctx, { retry: { sleep: async () => {} } })],
      env: {
        MESSENGER_APP_SECRET: APP_SECRET,
        MESSENGER_VERIFY_TOKEN: 'verify',
        MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
        MESSENGER_API_URL: `${GRAPH}/v25.0`,
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await removePrefix(prefix);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('sends the officer on the Send API: RESPONSE in 24 h, HUMAN_AGENT after, refused after 7 days', async () => {
    const psid = '2900000000000001';
    await deliver(psid, 'gặp cán bộ');
    const request: HandoffRequest = await waitFor(() => t.app.services.handoffs.openFor('messenger', psid), {
      what: 'the handoff request',
    });
    await waitFor(() => messagesTo(psid).length > 0);

    await t.app.inbox.take(request.id, OFFICER_A);
    expect(messagesTo(psid).at(-1)).toEqual({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: expect.stringContaining('Cán bộ công đoàn Nguyễn Văn A đã tham gia') as string },
    });

    // While the officer has it, the worker's messages get no bot answer on Messenger either.
    const before = messagesTo(psid).length;
    await deliver(psid, 'Em bị trừ lương vô lý');
    await waitFor(async () =>
      (await t.app.inbox.detail(request.id))!.messages.some((m) => m.text === 'Em bị trừ lương vô lý'),
    );
    expect(messagesTo(psid)).toHaveLength(before);

    await t.app.inbox.reply(request.id, OFFICER_A, 'Bạn gửi giúp mình ảnh phiếu lương nhé.');
    expect(messagesTo(psid).at(-1)).toMatchObject({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Bạn gửi giúp mình ảnh phiếu lương nhé.' },
    });

    // 30 hours after the worker's last message: only a human agent may answer, with the tag.
    const subscriberKey = `${prefix}sub:messenger:${psid}`;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    await t.app.redis.client().hset(subscriberKey, 'lastInteractionAt', hoursAgo(30));
    await t.app.inbox.reply(request.id, OFFICER_A, 'Bạn còn cần hỗ trợ không?');
    expect(messagesTo(psid).at(-1)).toEqual({
      recipient: { id: psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Bạn còn cần hỗ trợ không?' },
    });

    // After 7 days nothing may be sent: refused before reaching Meta, and not recorded.
    await t.app.redis.client().hset(subscriberKey, 'lastInteractionAt', hoursAgo(24 * 8));
    const count = sent.length;
    const late = await inboxError(t.app.inbox.reply(request.id, OFFICER_A, 'Muộn quá rồi'));
    expect(late).toMatchObject({ code: 'send_failed', reason: 'outside_window' });
    expect(late.message).toContain('Không gửi được');
    expect(sent).toHaveLength(count);
    const texts = (await t.app.inbox.detail(request.id))!.messages.map((m) => m.text);
    expect(texts).not.toContain('Muộn quá rồi');
  });

  it('a platform refusal surfaces as send_failed with its reason and is not recorded', async () => {
    const psid = '2900000000000002';
    await deliver(psid, 'gặp cán bộ');
    const request = await waitFor(() => t.app.services.handoffs.openFor('messenger', psid));
    await t.app.inbox.take(request.id, OFFICER_B);
    planned.push([
      400,
      {
        error: { message: 'This person isn\u2019t available right now.', type: 'OAuthException', code: 551 },
      },
    ]);
    const error = await inboxError(t.app.inbox.reply(request.id, OFFICER_B, 'Chào bạn'));
    expect(error).toMatchObject({ code: 'send_failed', reason: 'unreachable' });
    const messages = (await t.app.inbox.detail(request.id))!.messages;
    expect(messages.some((m) => m.from === 'officer')).toBe(false);
    expect((await t.app.services.subscribers.get('messenger', psid))?.reachable).toBe(false);
  });
});
