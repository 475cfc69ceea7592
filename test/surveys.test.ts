import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/admin/roles.js';
import type { WebMessage } from '../src/channels/web/contract.js';
import type { Survey, SurveyResults } from '../src/surveys/store.js';
import { AdminClient, createRoleUsers } from './helpers/admin.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const prefix = testPrefix('surveys');
let t: TestApp;
const clients = {} as Record<Role, AdminClient>;

type SurveyView = Survey & { respondents: number; startPayload: string };

async function updates(userId: string): Promise<WebMessage[]> {
  const res = await fetch(`${t.url}/api/chat/updates?userId=${userId}`);
  return ((await res.json()) as { messages: WebMessage[] }).messages;
}

async function results(id: string): Promise<SurveyResults> {
  const answer = await clients.viewer.call<SurveyResults>('GET', `/surveys/${id}/results`);
  expect(answer.status).toBe(200);
  return answer.body;
}

const last = (messages: WebMessage[]) => messages.at(-1)!;
const titles = (messages: WebMessage[]) => (last(messages).quickReplies ?? []).map((q) => q.title);
/** Taps the offered option with this title. */
async function tap(user: string, messages: WebMessage[], title: string): Promise<WebMessage[]> {
  const option = last(messages).quickReplies!.find((q) => q.title === title)!;
  expect(option, title).toBeDefined();
  return t.say(user, option.title, option.payload);
}

beforeAll(async () => {
  t = await startTestApp({ prefix });
  const users = await createRoleUsers(t.app);
  for (const role of ['admin', 'officer', 'viewer'] as const) {
    const { token } = await t.app.admin!.services.tokens.create(users[role].id, 'kiểm thử');
    clients[role] = Object.assign(new AdminClient(t.url), { token });
  }
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
});

describe('surveys', () => {
  let survey: SurveyView;

  it('refuses a malformed survey with the reason', async () => {
    const one = await clients.officer.call<{ error: { message: string } }>('POST', '/surveys', {
      title: 'Thiếu lựa chọn',
      questions: [{ text: 'Chọn?', type: 'single_choice', options: [{ title: 'Một' }] }],
    });
    expect(one.status).toBe(400);
    const twice = await clients.officer.call<{ error: { message: string } }>('POST', '/surveys', {
      title: 'Trùng mã',
      questions: [
        { id: 'a', text: 'Một?', type: 'text' },
        { id: 'a', text: 'Hai?', type: 'scale' },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain('mã câu hỏi "a" trùng');
    expect((await clients.viewer.call('POST', '/surveys', { title: 'x', questions: [] })).status).toBe(403);
  });

  it('an officer creates a survey; workers answer it in chat; results are counted per option', async () => {
    const created = await clients.officer.call<SurveyView>('POST', '/surveys', {
      title: 'Khảo sát bữa ăn ca',
      intro: 'Công đoàn muốn biết ý kiến của bạn để kiến nghị với công ty.',
      questions: [
        {
          text: 'Bạn thấy bữa ăn ca thế nào?',
          type: 'single_choice',
          options: [{ title: 'Ngon' }, { title: 'Bình thường' }, { title: 'Không ngon' }],
        },
        { text: 'Bạn hài lòng với điều kiện làm việc ở mức nào?', type: 'scale', required: false },
        { id: 'gop_y', text: 'Bạn có góp ý gì cho Công đoàn?', type: 'text', required: false },
      ],
    });
    expect(created.status).toBe(201);
    survey = created.body;
    expect(survey.id).toMatch(/^[A-Z0-9]{6}$/);
    expect(survey.startPayload).toBe(`SURVEY_${survey.id}`);
    expect(survey.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'gop_y']);
    expect(survey).toMatchObject({ status: 'open', respondents: 0, createdBy: 'officer1' });

    // Lan starts from the menu word and taps her answers.
    const list = await t.say('sv-lan', 'khảo sát');
    expect(allText(list)).toContain('1. Khảo sát bữa ăn ca (3 câu)');
    expect(last(list).quickReplies!.map((q) => q.payload)).toEqual([survey.startPayload, 'MENU']);
    const q1 = await tap('sv-lan', list, 'Khảo sát bữa ăn ca');
    expect(allText(q1)).toContain('Khảo sát: Khảo sát bữa ăn ca (3 câu).\nCông đoàn muốn biết ý kiến');
    expect(last(q1).text).toBe('Câu 1/3: Bạn thấy bữa ăn ca thế nào?');
    expect(titles(q1)).toEqual(['Ngon', 'Bình thường', 'Không ngon']);
    const q2 = await tap('sv-lan', q1, 'Bình thường');
    expect(last(q2).text).toContain('Câu 2/3: Bạn hài lòng với điều kiện làm việc ở mức nào?');
    expect(last(q2).text).toContain('1 = rất không hài lòng, 5 = rất hài lòng');
    expect(titles(q2)).toEqual(['1', '2', '3', '4', '5', 'Bỏ qua']);
    const q3 = await t.say('sv-lan', '4');
    expect(last(q3).text).toContain('Câu 3/3: Bạn có góp ý gì cho Công đoàn?');
    expect(titles(q3)).toEqual(['Bỏ qua']);
    // A free answer may contain words that would otherwise start another flow.
    expect(allText(await t.say('sv-lan', 'Nhà ăn cần thêm quạt, nên mở lớp học nấu ăn'))).toContain(
      'Cảm ơn bạn đã trả lời khảo sát "Khảo sát bữa ăn ca"!',
    );

    // Hùng types instead of tapping, and skips the optional questions.
    await t.say('sv-hung', 'Làm khảo sát', survey.startPayload);
    expect(last(await t.say('sv-hung', 'ngon')).text).toContain('Câu 2/3');
    const skipped = await t.say('sv-hung', 'bo qua');
    expect(last(skipped).text).toContain('Câu 3/3');
    expect(allText(await tap('sv-hung', skipped, 'Bỏ qua'))).toContain('Cảm ơn bạn');

    // Mai gives answers that do not fit first, and is asked again with the reason.
    await t.say('sv-mai', 'Làm khảo sát', survey.startPayload);
    const wrong = await t.say('sv-mai', '7');
    expect(wrong[0]!.text).toBe('Bạn chọn một ý bên dưới, hoặc gõ số từ 1 đến 3 nhé.');
    expect(last(wrong).text).toBe('Câu 1/3: Bạn thấy bữa ăn ca thế nào?');
    expect(titles(wrong)).toEqual(['Ngon', 'Bình thường', 'Không ngon']);
    await t.say('sv-mai', '3');
    expect(allText(await t.say('sv-mai', '6'))).toContain('Bạn chọn một số từ 1 đến 5 nhé.');
    await t.say('sv-mai', '5');
    await t.say('sv-mai', 'Cần tăng tiền ăn ca');

    let counted = await results(survey.id);
    expect(counted.respondents).toBe(3);
    const [choice, scale, text] = counted.questions;
    expect(choice!.options).toEqual([
      { id: '1', title: 'Ngon', count: 1 },
      { id: '2', title: 'Bình thường', count: 1 },
      { id: '3', title: 'Không ngon', count: 1 },
    ]);
    expect(scale).toMatchObject({ answered: 2, average: 4.5 });
    expect(scale!.options!.map((o) => o.count)).toEqual([0, 0, 0, 1, 1]);
    expect(text!.texts!.map((x) => x.text)).toEqual([
      'Cần tăng tiền ăn ca',
      'Nhà ăn cần thêm quạt, nên mở lớp học nấu ăn',
    ]);

    // Answering again replaces the earlier answers.
    const again = await t.say('sv-lan', 'Làm khảo sát', survey.startPayload);
    expect(allText(again)).toContain(
      'Bạn đã trả lời khảo sát này; trả lời lại sẽ thay cho câu trả lời trước.',
    );
    await t.say('sv-lan', 'Ngon');
    await t.say('sv-lan', '1');
    await t.say('sv-lan', 'bỏ qua');
    counted = await results(survey.id);
    expect(counted.respondents).toBe(3);
    expect(counted.questions[0]!.options!.map((o) => o.count)).toEqual([2, 0, 1]);
    expect(counted.questions[1]).toMatchObject({ answered: 2, average: 3 });
    expect(counted.questions[2]!.texts!.map((x) => x.text)).toEqual(['Cần tăng tiền ăn ca']);
    const stored = await t.app.services.surveys.answerSet(survey.id, 'web:sv-lan');
    expect(stored?.answers).toEqual({ q1: '1', q2: 1 });
  });

  it('goes out as a campaign: the tapped SURVEY_<id> starts it', async () => {
    await t.say('sv-invite', 'đăng ký');
    await t.say('sv-invite', 'có');
    const campaign = await clients.officer.call<{ id: string }>('POST', '/campaigns', {
      name: 'Khảo sát bữa ăn ca',
      content: {
        text: 'Công đoàn mời bạn trả lời khảo sát về bữa ăn ca (3 câu, 1 phút).',
        quickReplies: [{ title: 'Làm khảo sát', payload: survey.startPayload }],
      },
      segment: { where: [{ field: 'channel', values: ['web'] }] },
    });
    expect(campaign.status).toBe(201);
    expect((await clients.officer.call('POST', `/campaigns/${campaign.body.id}/submit`)).status).toBe(200);
    const message = await waitFor(async () => (await updates('sv-invite')).find((m) => m.quickReplies), {
      what: 'the survey campaign in the web outbox',
    });
    const q1 = await tap('sv-invite', [message], 'Làm khảo sát');
    expect(last(q1).text).toBe('Câu 1/3: Bạn thấy bữa ăn ca thế nào?');
    await tap('sv-invite', q1, 'Không ngon');
    await t.say('sv-invite', '2');
    expect(allText(await t.say('sv-invite', 'Không có'))).toContain('Cảm ơn bạn');
    const counted = await results(survey.id);
    expect(counted.respondents).toBe(4);
    expect(counted.questions[0]!.options!.map((o) => o.count)).toEqual([2, 0, 2]);
    expect((await clients.viewer.call<SurveyView>('GET', `/surveys/${survey.id}`)).body.respondents).toBe(4);
  });

  it('once closed, takes no more answers (even from someone half-way) and keeps its results', async () => {
    await t.say('sv-mid', 'Làm khảo sát', survey.startPayload);
    expect((await clients.viewer.call('POST', `/surveys/${survey.id}/close`)).status).toBe(403);
    const closed = await clients.officer.call<SurveyView>('POST', `/surveys/${survey.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', respondents: 4 });
    expect(closed.body.closedAt).toBeDefined();
    expect((await clients.officer.call('POST', `/surveys/${survey.id}/close`)).status).toBe(409);

    expect(allText(await t.say('sv-mid', 'Ngon'))).toContain('khảo sát này đã đóng');
    expect(allText(await t.say('sv-late', 'Làm khảo sát', survey.startPayload))).toContain(
      'khảo sát này đã đóng',
    );
    expect(allText(await t.say('sv-late', 'khảo sát'))).toContain('Hiện chưa có khảo sát nào đang mở');
    expect(allText(await t.say('sv-late', 'Làm khảo sát', 'SURVEY_ZZZZZZ'))).toContain(
      'không tìm thấy khảo sát',
    );
    expect((await results(survey.id)).respondents).toBe(4);

    const listed = await clients.viewer.call<{ items: SurveyView[] }>('GET', '/surveys?status=closed');
    expect(listed.body.items.map((s) => s.id)).toEqual([survey.id]);
    expect((await clients.viewer.call('GET', '/surveys/ZZZZZZ/results')).status).toBe(404);
  });

  it('writes an audit entry for creating and closing', async () => {
    const audit = await clients.admin.call<{
      items: { action: string; actor: { username: string }; target?: string }[];
    }>('GET', '/audit?limit=1000');
    for (const action of ['survey.create', 'survey.close']) {
      const entry = audit.body.items.find((i) => i.action === action);
      expect(entry, action).toMatchObject({ actor: { username: 'officer1' }, target: survey.id });
    }
  });
});
