import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../src/conversation/session.js';
import { RedisStorage } from '../src/conversation/redis-storage.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const prefix = testPrefix('chat');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ prefix });
});
afterAll(async () => {
  await t.stop();
  await removePrefix(prefix);
});

describe('POST /api/chat: a scripted conversation', () => {
  it('greets, captures the optional profile, shows the menu, routes a topic and answers with a citation', async () => {
    const user = 'worker-script';
    const hello = await t.say(user, '', 'GET_STARTED');
    expect(hello[0]!.text).toMatch(/^Chào bạn! Mình là Trợ lý Công đoàn/);
    // New worker: the skippable profile question comes next, with a "Bỏ qua" button.
    expect(hello.at(-1)!.text).toContain('khu công nghiệp nào');
    expect(hello.at(-1)!.quickReplies?.map((q) => q.title)).toEqual(['Bỏ qua']);

    const company = await t.say(user, 'KCN An Nghiệp');
    expect(allText(company)).toContain('công ty nào');
    const menu = await t.say(user, 'bo qua'); // skipping works without diacritics
    expect(allText(menu)).toContain('Bạn cần hỗ trợ gì?');
    const titles = menu.at(-1)!.quickReplies!.map((q) => q.title);
    expect(titles).toEqual([
      'Hỏi đáp pháp luật lao động',
      'Bảo hiểm xã hội, bảo hiểm y tế',
      'Phòng chống lừa đảo, tội phạm',
      'Công đoàn và phúc lợi',
      'Phản ánh vấn đề',
      'Tính quyền lợi, lớp học, khảo sát',
      'Gặp cán bộ công đoàn',
      'Đăng ký / hủy nhận tin',
    ]);

    const law = menu.at(-1)!.quickReplies![0]!;
    const prompt = await t.say(user, law.title, law.payload);
    expect(allText(prompt)).toContain('Bạn hỏi gì về pháp luật lao động?');

    const answer = await t.say(user, 'chim canh cut duoc nghi dong may ngay');
    expect(answer[0]!.text).toContain('99 ngày');
    expect(answer[0]!.citations).toEqual([{ lawId: '99/2099/TEST', article: '7' }]);
    expect(allText(answer)).toContain('Bạn cần hỏi thêm gì');

    const subscriber = await t.app.services.subscribers.get('web', user);
    expect(subscriber?.attributes).toEqual({ khu_cong_nghiep: 'KCN An Nghiệp' });
  });

  it('offers the full article and related questions after an answer, and answers them when tapped', async () => {
    const user = 'worker-followups';
    const answer = await t.say(user, 'chim cánh cụt được nghỉ đông mấy ngày?');
    expect(answer[0]!.citations).toEqual([{ lawId: '99/2099/TEST', article: '7' }]);
    // The answer's follow-ups join the flow's own options under the last message.
    const options = answer.at(-1)!.quickReplies!;
    expect(options.map((o) => o.payload)).toEqual([
      'ARTICLE:99/2099/TEST:7',
      'ASK:chim-canh-cut#2',
      'MENU',
      'HUMAN',
    ]);
    const article = await t.say(user, options[0]!.title, options[0]!.payload);
    expect(article[0]!.text).toMatch(/^Điều 7\. Ngày nghỉ đông của chim cánh cụt/);
    expect(article[0]!.text).toContain('được nghỉ thêm 3 ngày');
    const related = await t.say(user, options[1]!.title, options[1]!.payload);
    expect(related[0]!.text).toContain('ngày thứ năm hằng tuần');
    expect(related[0]!.citations).toEqual([{ lawId: '99/2099/TEST', article: '8' }]);
  });

  it('records unanswered questions for the knowledge-gap report', async () => {
    await t.say('worker-gap', 'mua xe máy trả góp lãi suất bao nhiêu');
    const latest = await t.app.services.unanswered.latest(5);
    expect(latest.map((u) => u.question)).toContain('mua xe máy trả góp lãi suất bao nhiêu');
  });

  it('a returning worker with a profile goes straight to the menu, and "2" picks the second item', async () => {
    const user = 'worker-returning';
    await t.app.services.subscribers.setAttributes('web', user, { khu_cong_nghiep: 'VSIP' });
    const hello = await t.say(user, 'xin chao');
    expect(allText(hello)).toContain('Bạn cần hỗ trợ gì?');
    const insurance = await t.say(user, '2');
    expect(allText(insurance)).toContain('bảo hiểm xã hội');
  });

  it('says honestly when it is not sure and offers an officer', async () => {
    const reply = await t.say('worker-unsure', 'quy trình đăng ký kết hôn với người nước ngoài');
    expect(allText(reply)).toContain('chưa trả lời chắc chắn');
    expect(reply.at(-1)!.quickReplies?.map((q) => q.payload)).toContain('HUMAN');
  });

  it('records a handoff request with the conversation reference', async () => {
    const reply = await t.say('worker-human', 'tôi muốn gặp cán bộ');
    expect(allText(reply)).toMatch(/đã chuyển cuộc trò chuyện cho cán bộ công đoàn \(mã [A-Z0-9]{6}\)/);
    const open = await t.app.services.handoffs.openFor('web', 'worker-human');
    expect(open?.status).toBe('open');
    expect(open?.reason).toBe('tôi muốn gặp cán bộ');
    expect((open?.reference as { channelId: string }).channelId).toBe('web');
    const again = await t.say('worker-human', 'gặp cán bộ');
    expect(allText(again)).toContain(`mã ${open!.id}`);
  });

  it('subscribes with recorded consent after an explicit yes', async () => {
    const user = 'worker-subscribe';
    const ask = await t.say(user, 'đăng ký nhận tin');
    expect(allText(ask)).toContain('Bạn có đồng ý nhận tin không?');
    const done = await t.say(user, 'dong y');
    expect(allText(done)).toContain('Cảm ơn bạn đã đăng ký');
    const sub = await t.app.services.subscribers.get('web', user);
    expect(sub?.consent).toMatchObject({ status: 'opted_in', channel: 'web', source: 'flow:subscription' });
    expect(Date.parse(sub!.consent!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('rejects invalid requests with a clear error and processes nothing', async () => {
    const missing = await t.post({ userId: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toContain('cần text hoặc payload');
    const badUser = await t.post({ userId: 'a b', text: 'hi' });
    expect(badUser.status).toBe(400);
    const notJson = await fetch(`${t.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await t.app.services.subscribers.get('web', 'x')).toBeUndefined();
  });
});

describe('"huy" unsubscribes from any point in any flow', () => {
  const variants = ['huy', 'Hủy', 'HUỶ ạ', 'dung', 'stop', 'không nhận tin nữa'];

  it('from every question of every flow, in every spelling', async () => {
    const flows = t.app.flows;
    const storage = new RedisStorage(t.app.redis.client(), { keyPrefix: prefix, idleTtlSeconds: 3600 });
    const sessions = new SessionStore(storage);
    const waitingPoints = flows.ids.flatMap((flow) =>
      Object.entries(flows.flow(flow)!.nodes)
        .filter(([, node]) => node.type === 'ask')
        .map(([node]) => ({ flow, node })),
    );
    expect(waitingPoints.length).toBeGreaterThanOrEqual(8);

    let n = 0;
    for (const point of waitingPoints) {
      for (const word of variants) {
        const user = `worker-huy-${n++}`;
        await t.app.services.subscribers.setConsent('web', user, 'opted_in', 'test');
        // Put the worker at this question exactly as a previous turn would have left them.
        const key = SessionStore.keyFor('web', user, user);
        const loaded = await sessions.load(key);
        await sessions.save(loaded, { ...loaded.session, flow: point.flow, node: point.node, vars: {} });

        const reply = await t.say(user, word);
        expect(allText(reply), `${point.flow}/${point.node} "${word}"`).toContain('Bạn đã hủy nhận tin');
        const sub = await t.app.services.subscribers.get('web', user);
        expect(sub?.consent?.status, `${point.flow}/${point.node} "${word}"`).toBe('opted_out');
        const after = await sessions.load(key);
        expect(after.session.flow).toBeUndefined();
      }
    }
  });

  it('but "hủy" inside a sentence is a question, not an opt-out', async () => {
    const user = 'worker-sentence';
    await t.app.services.subscribers.setConsent('web', user, 'opted_in', 'test');
    await t.say(user, 'công ty đòi hủy hợp đồng của tôi thì sao');
    expect((await t.app.services.subscribers.get('web', user))?.consent?.status).toBe('opted_in');
  });
});
