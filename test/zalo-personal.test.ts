import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChannelModule } from '../src/channels/module.js';
import { ChannelSendError } from '../src/channels/send.js';
import { afterKeyword, parseKeywords } from '../src/channels/zalo-personal/adapter.js';
import {
  ZaloClientError,
  type IncomingZaloMessage,
  type ThreadKind,
  type ZaloPersonalClient,
} from '../src/channels/zalo-personal/client.js';
import { ZaloConnection } from '../src/channels/zalo-personal/connection.js';
import {
  CredentialsError,
  loadCredentials,
  saveCredentials,
} from '../src/channels/zalo-personal/credentials.js';
import { zaloPersonalChannel, zaloPersonalChannelWith } from '../src/channels/zalo-personal/index.js';
import {
  messageFromPayload,
  toClientError,
  toIncomingMessage,
  type ZcaMessageData,
} from '../src/channels/zalo-personal/zca-client.js';
import type { Logger } from '../src/platform/logger.js';
import { FIXTURES, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const BOT = 'bot-uid-1';

/** A ZaloPersonalClient with no library and no network: tests push messages in and read what was sent. */
class FakeZaloClient implements ZaloPersonalClient {
  readonly ownId = BOT;
  sent: { threadId: string; kind: ThreadKind; text: string }[] = [];
  starts = 0;
  stops = 0;
  /** How many of the next `start()` calls fail. */
  failStarts = 0;
  /** Errors the next `sendText()` calls throw, in order. */
  sendFailures: Error[] = [];
  private messageHandlers: ((m: IncomingZaloMessage) => void)[] = [];
  private closedHandlers: ((reason: string) => void)[] = [];

  onMessage(handler: (m: IncomingZaloMessage) => void): void {
    this.messageHandlers.push(handler);
  }
  onClosed(handler: (reason: string) => void): void {
    this.closedHandlers.push(handler);
  }
  async start(): Promise<void> {
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new ZaloClientError('network down', true);
    }
  }
  async stop(): Promise<void> {
    this.stops++;
  }
  async sendText(threadId: string, kind: ThreadKind, text: string): Promise<string> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    this.sent.push({ threadId, kind, text });
    return `sent-${this.sent.length}`;
  }
  receive(message: Partial<IncomingZaloMessage> & { id: string; text: string }): void {
    const full: IncomingZaloMessage = {
      threadId: message.fromId ?? 'worker-1',
      kind: 'user',
      fromId: 'worker-1',
      mentionsMe: false,
      isSelf: false,
      timestamp: Date.now(),
      ...message,
    };
    for (const h of this.messageHandlers) h(full);
  }
  close(reason = '1006'): void {
    for (const h of this.closedHandlers) h(reason);
  }
  sentTo(threadId: string) {
    return this.sent.filter((s) => s.threadId === threadId);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let seq = 0;
/** A message id unique to this run (dedupe keys outlive a test run only under its own prefix, but be safe). */
const nextId = () => `msg-${Date.now()}-${++seq}`;

const ENV = {
  ZALO_PERSONAL_ENABLED: 'true',
  ZALO_PERSONAL_COOKIE: JSON.stringify([{ key: 'zpw_sek', value: 'test-cookie', domain: 'chat.zalo.me' }]),
  ZALO_PERSONAL_IMEI: 'test-imei',
  ZALO_PERSONAL_USER_AGENT: 'Mozilla/5.0 (test)',
};

describe('Zalo personal channel in the application', () => {
  const prefix = testPrefix('zalo-personal');
  const fake = new FakeZaloClient();
  let t: TestApp;
  let channel: ChannelModule;

  beforeAll(async () => {
    fake.failStarts = 1; // the first login fails: the server must still start, and retry
    t = await startTestApp({
      prefix,
      env: ENV,
      channels: [
        zaloPersonalChannelWith(() => fake, {
          reconnect: { baseMs: 20, maxMs: 200 },
          retry: { sleep: async () => {} },
        }),
      ],
    });
    channel = t.app.channels.get('zalo-personal')!;
  });
  afterAll(async () => {
    await t.stop();
    await removePrefix(prefix);
  });

  it('survives a failed first login and connects on retry', async () => {
    expect(channel).toBeDefined();
    await waitFor(() => fake.starts >= 2, 'the retried start');
  });

  it('answers a direct message in the same chat', async () => {
    fake.receive({
      id: nextId(),
      fromId: 'worker-dm',
      threadId: 'worker-dm',
      text: 'xin chào',
      fromName: 'Lan',
    });
    await waitFor(() => fake.sentTo('worker-dm').length > 0, 'a reply to the worker');
    const replies = fake.sentTo('worker-dm');
    expect(replies.every((r) => r.kind === 'user' && r.text.trim() !== '')).toBe(true);
    // Plain text: choices are written into the text ("Gõ 1 …" / "Gõ \"bỏ qua\" …"), not sent as buttons.
    expect(replies.map((r) => r.text).join('\n')).toMatch(/^Gõ /m);
  });

  it('ignores group chatter that neither mentions the bot nor starts with a keyword', async () => {
    fake.receive({
      id: nextId(),
      kind: 'group',
      threadId: 'group-quiet',
      fromId: 'member-1',
      text: 'Mai họp lúc mấy giờ?',
    });
    fake.receive({
      id: nextId(),
      kind: 'group',
      threadId: 'group-quiet',
      fromId: 'member-2',
      text: 'hỏi trợ lý xem',
    });
    // A message that is answered, sent after them: once it is answered, the others would have been too.
    fake.receive({
      id: nextId(),
      kind: 'group',
      threadId: 'group-loud',
      fromId: 'member-1',
      text: 'trợ lý ơi',
    });
    await waitFor(() => fake.sentTo('group-loud').length > 0, 'the addressed group reply');
    await sleep(100);
    expect(fake.sentTo('group-quiet')).toEqual([]);
  });

  it('answers in the group when the bot is mentioned', async () => {
    fake.receive({
      id: nextId(),
      kind: 'group',
      threadId: 'group-mention',
      fromId: 'member-3',
      text: 'nghỉ phép năm được mấy ngày?',
      mentionsMe: true,
    });
    await waitFor(() => fake.sentTo('group-mention').length > 0, 'a reply in the group');
    expect(fake.sentTo('group-mention').every((r) => r.kind === 'group')).toBe(true);
    expect(fake.sentTo('member-3')).toEqual([]);
  });

  it('answers a keyword typed without diacritics, without the keyword in the question', async () => {
    fake.receive({
      id: nextId(),
      kind: 'group',
      threadId: 'group-keyword',
      fromId: 'member-4',
      text: 'tro ly oi, nghi phep may ngay',
    });
    await waitFor(() => fake.sentTo('group-keyword').length > 0, 'a reply to the keyword');
    expect(fake.sentTo('group-keyword')[0]!.kind).toBe('group');
    // The turn ran in the group's conversation (transcripts are kept per conversation) with the question only.
    const transcript = await t.app.transcripts.getTranscriptActivities('zalo-personal', 'group-keyword');
    const incoming = transcript.items.find((a) => a.from?.id === 'member-4');
    expect(incoming?.text).toBe('nghi phep may ngay');
  });

  it("ignores the account's own messages", async () => {
    fake.receive({ id: nextId(), fromId: BOT, threadId: 'worker-self', text: 'xin chào', isSelf: true });
    fake.receive({
      id: nextId(),
      kind: 'group',
      fromId: BOT,
      threadId: 'group-self',
      text: 'trợ lý ơi',
      isSelf: true,
    });
    fake.receive({
      id: nextId(),
      fromId: 'worker-after-self',
      threadId: 'worker-after-self',
      text: 'xin chào',
    });
    await waitFor(() => fake.sentTo('worker-after-self').length > 0, 'the later reply');
    await sleep(100);
    expect(fake.sentTo('worker-self')).toEqual([]);
    expect(fake.sentTo('group-self')).toEqual([]);
  });

  it('answers the same message id once', async () => {
    // Baseline: how many messages one greeting produces, for a fresh worker.
    fake.receive({ id: nextId(), fromId: 'worker-once', threadId: 'worker-once', text: 'xin chào' });
    await waitFor(() => fake.sentTo('worker-once').length > 0, 'the baseline reply');
    await sleep(100);
    const perTurn = fake.sentTo('worker-once').length;

    const id = nextId();
    fake.receive({ id, fromId: 'worker-twice', threadId: 'worker-twice', text: 'xin chào' });
    fake.receive({ id, fromId: 'worker-twice', threadId: 'worker-twice', text: 'xin chào' });
    await waitFor(() => fake.sentTo('worker-twice').length >= perTurn, 'the reply');
    fake.receive({ id, fromId: 'worker-twice', threadId: 'worker-twice', text: 'xin chào' });
    await sleep(300);
    expect(fake.sentTo('worker-twice')).toHaveLength(perTurn);
  });

  it('reconnects after the listener closes', async () => {
    const before = fake.starts;
    fake.close('1006 abnormal closure');
    await waitFor(() => fake.starts === before + 1, 'the reconnect');
    // Still answering after the reconnect.
    fake.receive({ id: nextId(), fromId: 'worker-after', threadId: 'worker-after', text: 'xin chào' });
    await waitFor(() => fake.sentTo('worker-after').length > 0, 'a reply after reconnecting');
  });

  it('sends to a group thread through the channel sender (broadcasts)', async () => {
    const result = await channel.sender!.send(
      { userId: 'officer-1', conversationId: 'group-broadcast', isGroup: true },
      [
        { type: 'message', text: 'Thông báo: họp công đoàn lúc 15 giờ.' },
        { type: 'message', text: 'Phần 2' },
      ],
      { type: 'update' },
    );
    expect(fake.sentTo('group-broadcast')).toEqual([
      { threadId: 'group-broadcast', kind: 'group', text: 'Thông báo: họp công đoàn lúc 15 giờ.' },
      { threadId: 'group-broadcast', kind: 'group', text: 'Phần 2' },
    ]);
    expect(result.messageIds).toHaveLength(2);
  });

  it('sends to a person by user id, retrying transient failures only', async () => {
    fake.sendFailures = [new ZaloClientError('Request failed with status code 502', true)];
    await channel.sender!.send({ userId: 'worker-push' }, [{ type: 'message', text: 'Tin mới' }], {
      type: 'update',
    });
    expect(fake.sentTo('worker-push')).toEqual([{ threadId: 'worker-push', kind: 'user', text: 'Tin mới' }]);

    fake.sendFailures = [new ZaloClientError('Tham số không hợp lệ', false, 114)];
    const refused = channel.sender!.send({ userId: 'worker-refused' }, [{ type: 'message', text: 'x' }], {
      type: 'update',
    });
    await expect(refused).rejects.toMatchObject({ name: 'ChannelSendError', kind: 'invalid' });
    await expect(refused).rejects.toHaveProperty('details.platformCode', 114);
    expect(fake.sentTo('worker-refused')).toEqual([]);
  });
});

describe('Zalo personal channel configuration', () => {
  it('is off unless ZALO_PERSONAL_ENABLED', async () => {
    const prefix = testPrefix('zalo-personal-off');
    const fake = new FakeZaloClient();
    const t = await startTestApp({ prefix, channels: [zaloPersonalChannelWith(() => fake)] });
    try {
      expect(t.app.channels.has('zalo-personal')).toBe(false);
      expect(fake.starts).toBe(0);
    } finally {
      await t.stop();
      await removePrefix(prefix);
    }
  });

  it('logs a missing session and keeps the server running; sending then fails as a configuration error', async () => {
    const prefix = testPrefix('zalo-personal-nosession');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zalo-personal-'));
    const t = await startTestApp({
      prefix,
      env: { ZALO_PERSONAL_ENABLED: 'true', ZALO_PERSONAL_CREDENTIALS_FILE: path.join(dir, 'missing.json') },
      channels: [(ctx) => zaloPersonalChannel(ctx, () => new FakeZaloClient())],
    });
    try {
      expect(await t.say('web-user', 'xin chào')).not.toHaveLength(0);
      const sending = t.app.channels
        .get('zalo-personal')!
        .sender!.send({ userId: 'x' }, [{ type: 'message', text: 'x' }], { type: 'update' });
      await expect(sending).rejects.toBeInstanceOf(ChannelSendError);
      await expect(sending).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await t.stop();
      await removePrefix(prefix);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credentials', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zalo-credentials-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const fileCreds = {
    cookie: [{ key: 'zpw_sek', value: 'from-file', domain: 'chat.zalo.me' }],
    imei: 'imei-from-file',
    userAgent: 'UA from file',
  };
  const settings = (file: string, env: Record<string, string> = {}) => ({
    ZALO_PERSONAL_CREDENTIALS_FILE: file,
    ZALO_PERSONAL_COOKIE: env.cookie,
    ZALO_PERSONAL_IMEI: env.imei,
    ZALO_PERSONAL_USER_AGENT: env.userAgent,
  });

  it('reads the file written by zalo:login, owner-only', async () => {
    const file = path.join(dir, 'nested', 'credentials.json');
    await saveCredentials(file, fileCreds);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadCredentials(settings(file))).toEqual(fileCreds);
  });

  it('takes each field from the environment before the file', async () => {
    const file = path.join(dir, 'env-beats-file.json');
    await writeFile(file, JSON.stringify(fileCreds));
    const creds = await loadCredentials(
      settings(file, {
        cookie: JSON.stringify([{ key: 'zpw_sek', value: 'from-env' }]),
        imei: 'imei-from-env',
      }),
    );
    expect(creds.cookie).toEqual([{ key: 'zpw_sek', value: 'from-env' }]);
    expect(creds.imei).toBe('imei-from-env');
    expect(creds.userAgent).toBe('UA from file');
  });

  it('needs no file when the environment has everything', async () => {
    const creds = await loadCredentials(
      settings(path.join(dir, 'absent.json'), {
        cookie: JSON.stringify({ url: 'https://chat.zalo.me', cookies: [{ name: 'zpw_sek', value: 'v' }] }),
        imei: 'i',
        userAgent: 'ua',
      }),
    );
    expect(creds).toMatchObject({ imei: 'i', userAgent: 'ua' });
  });

  it('says what is missing and how to get it', async () => {
    const missing = loadCredentials(settings(path.join(dir, 'absent.json')));
    await expect(missing).rejects.toBeInstanceOf(CredentialsError);
    await expect(missing).rejects.toThrow(/cookie, imei, userAgent.*npm run zalo:login/s);

    const onlyImei = loadCredentials(settings(path.join(dir, 'absent.json'), { imei: 'i' }));
    await expect(onlyImei).rejects.toThrow(/\(cookie, userAgent;/);

    const badJson = loadCredentials(settings(path.join(dir, 'absent.json'), { cookie: '{not json' }));
    await expect(badJson).rejects.toThrow(/ZALO_PERSONAL_COOKIE không phải JSON hợp lệ/);
  });
});

describe('group keywords', () => {
  const keywords = parseKeywords('trợ lý,tro ly,công đoàn ơi,cong doan oi,bot ơi,bot oi');

  it('folds and dedupes the configured keywords, longest first', () => {
    expect(keywords).toEqual([
      ['cong', 'doan', 'oi'],
      ['tro', 'ly'],
      ['bot', 'oi'],
    ]);
  });

  it.each([
    ['tro ly oi, nghi phep may ngay', 'nghi phep may ngay'],
    ['Trợ lý ơi: nghỉ phép năm được mấy ngày?', 'nghỉ phép năm được mấy ngày?'],
    ['TRỢ LÝ, lương tối thiểu?', 'lương tối thiểu?'],
    ['Công đoàn ơi cho hỏi', 'cho hỏi'],
    ['bot oi!!! luong', 'luong'],
    ['trợ lý', ''],
  ])('%s → %s', (text, rest) => {
    expect(afterKeyword(text, keywords)).toBe(rest);
  });

  it.each(['hỏi trợ lý xem', 'trolyoi giúp', 'công đoàn họp', 'robot ơi'])('ignores "%s"', (text) => {
    expect(afterKeyword(text, keywords)).toBeUndefined();
  });
});

describe('reconnecting', () => {
  function quietLogger() {
    const info = vi.fn();
    const logger = { info, warn: vi.fn(), error: vi.fn() } as unknown as Logger;
    const delays = () =>
      info.mock.calls
        .filter(([, msg]) => msg === 'zalo-personal reconnecting')
        .map(([o]) => (o as { delayMs: number }).delayMs);
    return { logger, delays };
  }

  it('waits longer after each failure, and starts over after a stable connection', async () => {
    const fake = new FakeZaloClient();
    const { logger, delays } = quietLogger();
    let clock = 0;
    const connection = new ZaloConnection(fake, logger, {
      baseMs: 5,
      maxMs: 30,
      stableMs: 1000,
      now: () => clock,
    });
    expect(await connection.start()).toBe(true);

    fake.failStarts = 3;
    fake.close();
    await waitFor(() => fake.starts === 5, 'three failures and a success');
    expect(delays()).toEqual([5, 10, 20, 30]);

    clock += 1000; // the connection held long enough
    fake.close();
    await waitFor(() => fake.starts === 6, 'the reconnect');
    expect(delays().at(-1)).toBe(5);
    await connection.stop();
  });

  it('stop() cancels a pending reconnect', async () => {
    const fake = new FakeZaloClient();
    const connection = new ZaloConnection(fake, quietLogger().logger, { baseMs: 50 });
    await connection.start();
    fake.close();
    await connection.stop();
    await sleep(120);
    expect(fake.starts).toBe(1);
    expect(fake.stops).toBe(1);
    fake.close(); // a late close after stop is ignored
    await sleep(80);
    expect(fake.starts).toBe(1);
  });
});

describe('zca-js message mapping (fixtures)', () => {
  function load(name: string) {
    const raw = JSON.parse(readFileSync(path.join(FIXTURES, 'zalo-personal', `${name}.json`), 'utf8')) as {
      threadType: ThreadKind;
      ownId: string;
      data: ZcaMessageData;
    };
    return toIncomingMessage(messageFromPayload(raw.threadType, raw.ownId, raw.data), raw.ownId);
  }

  it('maps a direct text message to the person as the thread', () => {
    expect(load('direct-text')).toEqual({
      id: '7354000000000000101',
      threadId: '4100000000000000002',
      kind: 'user',
      fromId: '4100000000000000002',
      fromName: 'Nguyễn Thị Lan',
      text: 'Cho mình hỏi nghỉ phép năm được mấy ngày?',
      mentionsMe: false,
      isSelf: false,
      timestamp: 1790000000101,
    });
  });

  it("recognises the account's own messages, in direct chats and groups", () => {
    expect(load('direct-self')).toMatchObject({
      isSelf: true,
      threadId: '4100000000000000002',
      fromId: '6820000000000000001',
    });
    expect(load('group-self')).toMatchObject({
      isSelf: true,
      kind: 'group',
      threadId: '5500000000000000009',
    });
  });

  it('gives a photo no text and its address as an attachment', () => {
    expect(load('direct-photo')).toMatchObject({
      text: '',
      attachments: [{ url: 'https://photo-stal-1.zdn.vn/example/bang-luong.jpg' }],
    });
  });

  it('maps a group message to the group as the thread and the member as the sender', () => {
    expect(load('group-plain')).toMatchObject({
      kind: 'group',
      threadId: '5500000000000000009',
      fromId: '4100000000000000003',
      fromName: 'Trần Văn Hùng',
      text: 'Mai họp tổ lúc mấy giờ mọi người?',
      mentionsMe: false,
    });
  });

  it('detects a mention of the account and removes it from the text', () => {
    expect(load('group-mention')).toMatchObject({
      mentionsMe: true,
      text: 'Cảm ơn, cho hỏi lương tối thiểu vùng 1?',
    });
  });

  it('does not take "@All" as addressing the bot', () => {
    expect(load('group-mention-all')).toMatchObject({
      mentionsMe: false,
      text: '@All chiều nay 3 giờ họp công đoàn bộ phận nhé',
    });
  });

  it('takes a reply quoting the bot as addressing it', () => {
    expect(load('group-reply-to-bot')).toMatchObject({ mentionsMe: true, text: '2' });
  });

  it('classifies library errors: server and network failures are transient, refusals are not', async () => {
    const { ZaloApiError } = (await import('zca-js')) as unknown as {
      ZaloApiError: new (message: string, code?: number) => Error;
    };
    expect(toClientError(new ZaloApiError('Request failed with status code 502')).transient).toBe(true);
    expect(toClientError(new ZaloApiError('Request failed with status code 404')).transient).toBe(false);
    const refused = toClientError(new ZaloApiError('Tham số không hợp lệ', 114));
    expect(refused).toMatchObject({ transient: false, code: 114 });
    expect(toClientError(new TypeError('fetch failed')).transient).toBe(true);
  });
});

// The credentials file must never be left readable by others, whatever mode an older copy had.
it('tightens the mode of an existing credentials file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zalo-mode-'));
  const file = path.join(dir, 'credentials.json');
  await writeFile(file, '{}', { mode: 0o644 });
  await saveCredentials(file, { cookie: [{ value: 'v' }], imei: 'i', userAgent: 'u' });
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ imei: 'i' });
  await rm(dir, { recursive: true, force: true });
});
