import { PassThrough } from 'node:stream';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../src/channels/console/adapter.js';
import type { AnswerResult, KnowledgeAnswerer } from '../src/knowledge/types.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

/** An answerer that takes its time and records when each question was being answered. */
class SlowAnswerer implements KnowledgeAnswerer {
  readonly ready = true;
  calls: { question: string; start: number; end: number }[] = [];
  constructor(private readonly delayMs: number) {}
  async ask(question: string): Promise<AnswerResult> {
    const start = performance.now();
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.calls.push({ question, start, end: performance.now() });
    return { answer: `Trả lời cho: ${question}`, confidence: 1, answered: true, citations: [], sources: [] };
  }
}

const prefix = testPrefix('pipeline');
const answerer = new SlowAnswerer(150);
let one: TestApp;
let two: TestApp;

beforeAll(async () => {
  // Two application instances on one Redis: what two server processes would be.
  one = await startTestApp({ prefix, answerer });
  two = await startTestApp({ prefix, answerer });
});
afterAll(async () => {
  await one.stop();
  await two.stop();
  await removePrefix(prefix);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

describe('per-user ordering', () => {
  it('processes two concurrent messages of one user one after the other, in arrival order', async () => {
    answerer.calls = [];
    const first = one.say('same-user', 'câu hỏi thứ nhất');
    await sleep(10);
    const second = one.say('same-user', 'câu hỏi thứ hai');
    const [a, b] = await Promise.all([first, second]);
    expect(allText(a)).toContain('Trả lời cho: câu hỏi thứ nhất');
    expect(allText(b)).toContain('Trả lời cho: câu hỏi thứ hai');
    expect(answerer.calls.map((c) => c.question)).toEqual(['câu hỏi thứ nhất', 'câu hỏi thứ hai']);
    expect(overlaps(answerer.calls[0]!, answerer.calls[1]!)).toBe(false);
  });

  it('excludes one another across processes sharing Redis', async () => {
    answerer.calls = [];
    const first = one.say('shared-user', 'gửi vào tiến trình một');
    await sleep(10);
    const second = two.say('shared-user', 'gửi vào tiến trình hai');
    await Promise.all([first, second]);
    expect(answerer.calls.map((c) => c.question)).toEqual([
      'gửi vào tiến trình một',
      'gửi vào tiến trình hai',
    ]);
    expect(overlaps(answerer.calls[0]!, answerer.calls[1]!)).toBe(false);
  });

  it('does not serialise different users', async () => {
    answerer.calls = [];
    await Promise.all([one.say('user-a', 'câu của A'), two.say('user-b', 'câu của B')]);
    expect(answerer.calls).toHaveLength(2);
    expect(overlaps(answerer.calls[0]!, answerer.calls[1]!)).toBe(true);
  });
});

describe('dedupe of repeated event ids', () => {
  it('answers a repeated web request once, replaying the first replies to the retry', async () => {
    answerer.calls = [];
    const body = { userId: 'retrying-user', id: 'msg-42', text: 'lương tháng này chậm' };
    const [a, b] = await Promise.all([one.post(body), two.post(body)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.messages).toEqual(a.body.messages);
    const later = await one.post(body);
    expect(later.body.messages).toEqual(a.body.messages);
    expect(answerer.calls.map((c) => c.question)).toEqual(['lương tháng này chậm']);
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toMatch(/ua_turns_total\{channel="web",outcome="duplicate"\} [1-9]/);
  });

  it('drops a repeated event on a push channel without replying twice', async () => {
    answerer.calls = [];
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => (printed += d.toString()));
    const adapter = one.app.withTurnPipeline(new ConsoleAdapter(out, { id: 'push-user' }));
    const activity: Partial<Activity> = {
      type: 'message',
      id: 'evt-1',
      channelId: 'console',
      from: { id: 'push-user', name: '' },
      conversation: { id: 'push-user', name: '', isGroup: false, conversationType: 'personal' },
      recipient: { id: 'bot', name: '' },
      text: 'tin nhắn gửi lại',
    };
    await adapter.processActivity(activity, one.app.botLogic);
    await adapter.processActivity(activity, one.app.botLogic);
    expect(answerer.calls).toHaveLength(1);
    expect(printed.match(/Trả lời cho: tin nhắn gửi lại/g)).toHaveLength(1);
  });
});

describe('rate limit', () => {
  it('tells a flooding user once to slow down and drops the rest of the minute', async () => {
    const limited = await startTestApp({
      prefix: `${prefix}rl:`,
      answerer,
      env: { RATE_LIMIT_PER_MINUTE: '3' },
    });
    try {
      const replies: string[] = [];
      for (let i = 0; i < 5; i++) replies.push(allText(await limited.say('flooder', `menu`)));
      expect(replies.slice(0, 3).every((r) => r.includes('Bạn cần hỗ trợ gì?'))).toBe(true);
      expect(replies[3]).toContain('Bạn gửi tin hơi nhanh');
      expect(replies[4]).toBe('');
    } finally {
      await limited.stop();
      await removePrefix(`${prefix}rl:`);
    }
  });
});
