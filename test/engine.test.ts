import path from 'node:path';
import { ConversationStats } from '../src/reports/conversation-stats.js';
import { TicketStore } from '../src/tickets/store.js';
import { ScamLibrary } from '../src/scam/patterns.js';
import { EventStore } from '../src/events/store.js';
import { SurveyStore } from '../src/surveys/store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SubscriberStore, profileView } from '../src/broadcast/subscribers.js';
import { builtinActions } from '../src/conversation/actions/builtins.js';
import { FlowEngine } from '../src/conversation/flows/engine.js';
import { FlowSet } from '../src/conversation/flows/flow-set.js';
import { parseFlowFile } from '../src/conversation/flows/load.js';
import type { OutMessage } from '../src/conversation/messages.js';
import { newSession, type Session } from '../src/conversation/session.js';
import type { TurnServices } from '../src/conversation/turn-context.js';
import { HandoffStore } from '../src/handoff/store.js';
import { parseOfficeHours } from '../src/handoff/office-hours.js';
import { HashedNgramEmbeddings } from '../src/knowledge/embeddings/hashed.js';
import { KnowledgeService } from '../src/knowledge/service.js';
import { UnansweredLog } from '../src/knowledge/unanswered.js';
import { PollStore } from '../src/broadcast/polls.js';
import os from 'node:os';
import { createLogger } from '../src/platform/logger.js';
import { removePrefix, testPrefix, testRedis } from './helpers/redis.js';
import { FIXTURE_MIN_CONFIDENCE } from './helpers/app.js';

const prefix = testPrefix('engine');
const redis = testRedis();

const flows = {
  main: {
    id: 'main',
    title: 'Menu',
    triggers: [
      { intent: 'menu', interrupt: true, keywords: ['menu'], payloads: ['MENU'], start: 'menu' },
      { keywords: ['khảo sát'], payloads: ['SURVEY'], start: 'hours' },
    ],
    start: 'menu',
    nodes: {
      menu: {
        type: 'say',
        text: 'Menu chính',
        quick_replies: [
          { title: 'Khảo sát giờ làm', goto: 'hours' },
          { title: 'Chọn màu', goto: 'colour' },
        ],
      },
      hours: {
        type: 'ask',
        text: 'Bạn làm bao nhiêu giờ mỗi ngày?',
        var: 'hours',
        input: { type: 'number', min: 1, max: 24 },
        max_retries: 1,
        skippable: true,
        on_skip: 'skipped',
        next: 'check',
      },
      check: {
        type: 'branch',
        cases: [{ when: { var: 'hours', gt: 10 }, next: 'long' }],
        else: 'normal',
      },
      long: { type: 'say', text: '{{hours}} giờ là dài.' },
      normal: { type: 'say', text: '{{hours}} giờ.' },
      skipped: { type: 'say', text: 'Đã bỏ qua.' },
      colour: {
        type: 'ask',
        text: 'Màu gì?',
        var: 'colour',
        input: {
          type: 'choice',
          choices: [
            { title: 'Đỏ', value: 'red', next: 'red' },
            { title: 'Xanh', value: 'blue' },
          ],
        },
        on_fail: 'gave_up',
        max_retries: 0,
        next: 'saved',
      },
      red: {
        type: 'action',
        action: 'set_attribute',
        args: { name: 'company', value: 'Công ty Đỏ' },
        next: 'saved',
      },
      saved: { type: 'say', text: 'Đã chọn {{colour}} ({{profile.company | "chưa có công ty"}}).' },
      gave_up: { type: 'end', text: 'Thôi nhé.' },
    },
  },
  other: {
    id: 'other',
    title: 'Khác',
    fallback: true,
    triggers: [
      { intent: 'help', interrupt: true, keywords: ['help'] },
      { intent: 'stop', interrupt: true, keywords: ['huy'], start: 'bye' },
      { intent: 'human', interrupt: true, keywords: ['can bo'], start: 'human' },
    ],
    start: 'answer',
    nodes: {
      answer: { type: 'answer', next: 'done', on_unsure: 'unsure' },
      done: { type: 'end', text: 'Hết.' },
      unsure: { type: 'end', text: 'Chưa chắc.' },
      bye: { type: 'action', action: 'unsubscribe', next: 'done' },
      human: { type: 'action', action: 'handoff', next: 'done' },
    },
  },
};

let engine: FlowEngine;
let services: TurnServices;
const identity = { channel: 'web', userId: 'e1', conversationId: 'e1', reference: {} };

beforeAll(async () => {
  const actions = builtinActions();
  const loaded = Object.values(flows).map((f) => parseFlowFile(`${f.id}.yaml`, stringify(f)).flow!);
  const set = FlowSet.compile(loaded, actions);
  engine = new FlowEngine(() => set, actions, { timeZone: 'Asia/Ho_Chi_Minh' });
  const embeddings = new HashedNgramEmbeddings();
  const answerer = new KnowledgeService({
    knowledgeDir: path.resolve('test/fixtures/knowledge'),
    dataDir: path.join(os.tmpdir(), 'ua-test-data', prefix),
    embeddings: { embeddings, id: embeddings.id },
    engine: { minConfidence: FIXTURE_MIN_CONFIDENCE },
  });
  await answerer.start();
  services = {
    answerer,
    unanswered: new UnansweredLog(redis, prefix),
    polls: new PollStore(redis, prefix),
    subscribers: new SubscriberStore(redis, prefix),
    handoffs: new HandoffStore(redis, prefix),
    officeHours: parseOfficeHours('1-5 07:30-17:00', 'Asia/Ho_Chi_Minh'),
    tickets: new TicketStore(redis, prefix),
    scams: new ScamLibrary(path.resolve('knowledge')),
    stats: new ConversationStats(redis, prefix, 'Asia/Ho_Chi_Minh'),
    events: new EventStore(redis, prefix, 'Asia/Ho_Chi_Minh'),
    surveys: new SurveyStore(redis, prefix),
    now: () => new Date(),
    logger: createLogger({ level: 'silent' }),
  };
});
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

/** A conversation helper: keeps the session between turns like the bot does. */
function conversation(userId = `u${Math.random()}`) {
  let session: Session = newSession();
  return {
    get session() {
      return session;
    },
    async send(text?: string, payload?: string): Promise<OutMessage[]> {
      const sub = await services.subscribers.get('web', userId);
      const r = await engine.run({ text, payload }, session, {
        identity: { ...identity, userId, conversationId: userId },
        services,
        profile: profileView(sub),
      });
      session = r.session;
      return r.messages;
    },
  };
}
const texts = (m: OutMessage[]) => m.map((x) => x.text);

describe('flow engine', () => {
  it('asks, validates, branches, and renders variables', async () => {
    const c = conversation();
    expect(texts(await c.send('khảo sát'))).toEqual(['Bạn làm bao nhiêu giờ mỗi ngày?']);
    expect(c.session.node).toBe('hours');
    expect(texts(await c.send('12 tiếng'))).toEqual(['12 giờ là dài.']);
    expect(c.session.flow).toBeUndefined();
  });

  it('reprompts with the reason, then treats the text as a free question once retries are used up', async () => {
    const c = conversation();
    await c.send('khảo sát');
    expect(texts(await c.send('nhiều lắm'))).toEqual([
      'Bạn gõ giúp mình một con số thôi nhé (ví dụ: 8 hoặc 5.000.000).',
    ]);
    expect(c.session.retries).toBe(1);
    const out = await c.send('chim cánh cụt được nghỉ đông mấy ngày');
    expect(out[0]!.text).toContain('99 ngày');
    expect(texts(out).at(-1)).toBe('Hết.');
  });

  it('follows on_fail, per-choice next, and actions that change the profile within the turn', async () => {
    const a = conversation();
    await a.send(undefined, 'MENU');
    await a.send('2'); // the second offered option: "Chọn màu"
    expect(texts(await a.send('tím'))).toEqual(['Thôi nhé.']);

    const b = conversation();
    await b.send('menu');
    await b.send('chon mau');
    expect(texts(await b.send('do'))).toEqual(['Đã chọn red (Công ty Đỏ).']);
    const c = conversation();
    await c.send('menu');
    await c.send('Chọn màu');
    expect(texts(await c.send('2'))).toEqual(['Đã chọn blue (chưa có công ty).']);
  });

  it('skips a skippable question by word or button', async () => {
    const a = conversation();
    const ask = await a.send('khảo sát');
    expect(ask[0]!.quickReplies).toEqual([{ title: 'Bỏ qua', payload: 'ANS:__skip__', typed: 'bỏ qua' }]);
    expect(texts(await a.send('bo qua'))).toEqual(['Đã bỏ qua.']);
    const b = conversation();
    await b.send('khảo sát');
    expect(texts(await b.send('Bỏ qua', 'ANS:__skip__'))).toEqual(['Đã bỏ qua.']);
  });

  it('lets global intents interrupt a question, but not ordinary keywords', async () => {
    const c = conversation();
    await c.send('khảo sát');
    expect(texts(await c.send('Menu ạ'))).toEqual(['Menu chính']);
    await c.send('Chọn màu');
    // "khảo sát" is a trigger, but while a question waits it is just an (invalid) answer.
    expect(texts(await c.send('khảo sát'))).toEqual(['Thôi nhé.']);
  });

  it('starts a flow when an old menu button is tapped during a question', async () => {
    const c = conversation();
    await c.send('Chọn màu', 'GOTO:main/colour');
    expect(c.session.node).toBe('colour');
    expect(texts(await c.send(undefined, 'SURVEY'))).toEqual(['Bạn làm bao nhiêu giờ mỗi ngày?']);
  });

  it('shows the menu for unknown payloads and refuses jumps to nodes no button offers', async () => {
    const c = conversation();
    expect(texts(await c.send(undefined, 'OLD_BUTTON'))).toEqual(['Menu chính']);
    expect(texts(await c.send(undefined, 'GOTO:main/red'))).toEqual(['Menu chính']);
    expect((await services.subscribers.get('web', 'x'))?.attributes.company).toBeUndefined();
  });

  it('answers free text through the fallback flow, and says when it is unsure', async () => {
    const c = conversation();
    const sure = await c.send('tien ca tra vao ngay nao');
    expect(sure[0]!.citations).toEqual([{ lawId: '99/2099/TEST', article: '8' }]);
    expect(texts(await c.send('thủ tục ly hôn đơn phương'))).toEqual(['Chưa chắc.']);
  });
});
