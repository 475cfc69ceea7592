import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

/** The shipped knowledge base (real law texts and leaflets) behind the real web chat. */
const prefix = testPrefix('knowledge-chat');
let t: TestApp;

beforeAll(async () => {
  // The shipped corpus with the calibrated confidence threshold (not the fixture one).
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: 'knowledge', ANSWER_MIN_CONFIDENCE: '' } });
}, 120_000);
afterAll(async () => {
  await t.stop();
  await removePrefix(prefix);
});

describe('answers from the shipped knowledge base through /api/chat', () => {
  it('answers a labour question typed without diacritics, citing the Labour Code', async () => {
    const reply = await t.say('kc-1', 'lam them gio ngay chu nhat duoc tra luong the nao');
    const cited = reply.flatMap((m) => m.citations ?? []);
    expect(cited).toContainEqual({ lawId: '45/2019/QH14', article: '98', clause: '1' });
    expect(allText(reply)).toMatch(/Căn cứ: .*Điều 98 Bộ luật Lao động 2019/);
    expect(allText(reply)).toContain('200%');
  });

  it('says it is not sure about a question no shipped text answers', async () => {
    const reply = await t.say('kc-2', 'doi bong nao vo dich world cup nam nay');
    expect(allText(reply)).toContain('chưa trả lời chắc chắn');
    expect(reply.flatMap((m) => m.citations ?? [])).toEqual([]);
  });
});
