import { z } from 'zod';
import { subscriberId } from '../broadcast/subscribers.js';
import type { ActionContext, ActionDefinition } from '../conversation/actions/registry.js';
import { isSkip, matchChoice, parseVietnameseNumber } from '../conversation/flows/inputs.js';
import { parseCode, surveyPayload } from '../events/payloads.js';
import { SurveyError, type AnswerValue, type Survey, type SurveyQuestion } from './store.js';

/**
 * The survey runner. Questions are data (made in the console), so one small loop in flows/surveys.yaml
 * asks them all: `survey_next` puts the next question and its options into variables, an `ask` node shows
 * them (`options_var`), `survey_answer` checks the reply and moves on, `survey_finish` stores the set.
 */

const SKIP_VALUE = '__skip__';

/** A dynamic option of the ask node (see the ask node's `options_var`). */
interface AskOption {
  title: string;
  short?: string;
  value: string;
  typed?: string;
}

const me = (ctx: ActionContext) => subscriberId(ctx.identity.channel, ctx.identity.userId);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function position(ctx: ActionContext): {
  surveyId: string;
  pos: number;
  answers: Record<string, AnswerValue>;
} {
  return {
    surveyId: String(ctx.vars.survey_id ?? ''),
    pos: Number(ctx.vars.survey_pos ?? 0),
    answers: { ...((ctx.vars.survey_answers as Record<string, AnswerValue> | undefined) ?? {}) },
  };
}

function questionText(survey: Survey, q: SurveyQuestion, index: number): string {
  const head = `Câu ${index + 1}/${survey.questions.length}: ${q.text}`;
  if (q.type === 'scale') {
    return `${head}\n(Chọn từ 1 đến 5: 1 = ${q.lowLabel ?? 'rất không hài lòng'}, 5 = ${q.highLabel ?? 'rất hài lòng'})`;
  }
  if (q.type === 'text') return `${head}\n(Bạn gõ câu trả lời của mình.)`;
  return head;
}

function questionOptions(q: SurveyQuestion): AskOption[] {
  const options: AskOption[] =
    q.type === 'single_choice'
      ? q.options.map((o) => ({ title: o.title, short: clip(o.title, 20), value: o.id }))
      : q.type === 'scale'
        ? [1, 2, 3, 4, 5].map((n) => ({ title: String(n), value: String(n) }))
        : [];
  if (!q.required) options.push({ title: 'Bỏ qua', value: SKIP_VALUE, typed: 'bỏ qua' });
  return options;
}

/** The reply as this question's answer: a value, `skip`, or why it is not one. */
export function interpretReply(
  q: SurveyQuestion,
  reply: string,
): { value: AnswerValue } | { skip: true } | { invalid: string } {
  const text = reply.trim();
  const skipWanted = text === SKIP_VALUE || isSkip(text);
  if (q.type === 'single_choice') {
    const choice = matchChoice(
      q.options.map((o) => ({ title: o.title, value: o.id })),
      text,
      text,
    );
    if (choice) return { value: choice.value };
    if (skipWanted && !q.required) return { skip: true };
    return { invalid: `Bạn chọn một ý bên dưới, hoặc gõ số từ 1 đến ${q.options.length} nhé.` };
  }
  if (q.type === 'scale') {
    const n = parseVietnameseNumber(text);
    if (n !== undefined && Number.isInteger(n) && n >= 1 && n <= 5) return { value: n };
    if (skipWanted && !q.required) return { skip: true };
    return { invalid: 'Bạn chọn một số từ 1 đến 5 nhé.' };
  }
  if (skipWanted && !q.required) return { skip: true };
  if (text === SKIP_VALUE || text.length === 0)
    return { invalid: 'Câu này cần bạn trả lời, bạn gõ vài chữ nhé.' };
  if (text.length > q.maxLength) return { invalid: `Bạn viết gọn trong ${q.maxLength} ký tự nhé.` };
  return { value: text };
}

export const surveyList: ActionDefinition<Record<string, never>> = {
  name: 'survey_list',
  description: 'Liệt kê các khảo sát đang mở (mỗi mục một lựa chọn SURVEY_<mã>)',
  args: z.object({}).strict(),
  outcomes: ['none', 'listed'],
  async run(ctx) {
    const surveys = ctx.services.surveys;
    const open = await surveys.list({ status: 'open', limit: 10 });
    if (open.length === 0) return { outcome: 'none' };
    const done = await Promise.all(
      open.map(async (s) => (await surveys.answerSet(s.id, me(ctx))) !== undefined),
    );
    const lines = open.map(
      (s, i) => `${i + 1}. ${s.title} (${s.questions.length} câu${done[i] ? ', bạn đã trả lời' : ''})`,
    );
    return {
      outcome: 'listed',
      say: [
        {
          text: `Các khảo sát đang mở:\n${lines.join('\n')}`,
          quickReplies: open.map((s) => ({
            title: clip(s.title, 80),
            short: clip(s.title, 20),
            payload: surveyPayload(s.id),
          })),
        },
      ],
    };
  },
};

export const surveyStart: ActionDefinition<{ survey: string }> = {
  name: 'survey_start',
  description: 'Bắt đầu khảo sát theo mã (từ payload SURVEY_<mã>): lời giới thiệu, rồi câu hỏi đầu tiên',
  args: z.object({ survey: z.string().min(1) }).strict(),
  outputs: ['survey_id', 'survey_title', 'survey_pos', 'survey_answers'],
  outcomes: ['not_found', 'closed'],
  async run(ctx, args) {
    const id = parseCode(ctx.render(args.survey));
    const survey = id ? await ctx.services.surveys.get(id) : undefined;
    if (!survey) return { outcome: 'not_found' };
    const vars = { survey_id: survey.id, survey_title: survey.title, survey_pos: 0, survey_answers: {} };
    if (survey.status !== 'open') return { outcome: 'closed', vars };
    const before = await ctx.services.surveys.answerSet(survey.id, me(ctx));
    const intro = [
      `Khảo sát: ${survey.title} (${survey.questions.length} câu).`,
      survey.intro,
      before ? 'Bạn đã trả lời khảo sát này; trả lời lại sẽ thay cho câu trả lời trước.' : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    return { vars, say: [{ text: intro }] };
  },
};

export const surveyNext: ActionDefinition<Record<string, never>> = {
  name: 'survey_next',
  description:
    'Chuẩn bị câu hỏi tiếp theo của khảo sát (survey_question, survey_options) hoặc báo đã hết câu',
  args: z.object({}).strict(),
  outputs: ['survey_question', 'survey_options'],
  outcomes: ['done', 'closed'],
  async run(ctx) {
    const { surveyId, pos } = position(ctx);
    const survey = await ctx.services.surveys.get(surveyId);
    if (!survey || survey.status !== 'open') return { outcome: 'closed' };
    const q = survey.questions[pos];
    if (!q) return { outcome: 'done' };
    return { vars: { survey_question: questionText(survey, q, pos), survey_options: questionOptions(q) } };
  },
};

export const surveyAnswer: ActionDefinition<{ reply: string }> = {
  name: 'survey_answer',
  description: 'Kiểm tra câu trả lời cho câu hỏi hiện tại của khảo sát; sai thì nói lý do (kết quả invalid)',
  args: z.object({ reply: z.string() }).strict(),
  outcomes: ['invalid', 'closed'],
  async run(ctx, args) {
    const { surveyId, pos, answers } = position(ctx);
    const survey = await ctx.services.surveys.get(surveyId);
    const q = survey?.questions[pos];
    if (!survey || !q || survey.status !== 'open') return { outcome: 'closed' };
    const result = interpretReply(q, ctx.render(args.reply));
    if ('invalid' in result) return { outcome: 'invalid', say: [{ text: result.invalid }] };
    if ('value' in result) answers[q.id] = result.value;
    else delete answers[q.id];
    return { vars: { survey_answers: answers, survey_pos: pos + 1 } };
  },
};

export const surveyFinish: ActionDefinition<Record<string, never>> = {
  name: 'survey_finish',
  description: 'Lưu câu trả lời khảo sát của người lao động (thay cho lần trả lời trước)',
  args: z.object({}).strict(),
  outcomes: ['saved', 'closed'],
  async run(ctx) {
    const { surveyId, answers } = position(ctx);
    try {
      await ctx.services.surveys.answer(surveyId, me(ctx), answers);
    } catch (err) {
      if (err instanceof SurveyError) return { outcome: 'closed' };
      throw err;
    }
    ctx.services.logger.info({ survey: surveyId }, 'survey answered');
    return { outcome: 'saved' };
  },
};

export const surveyActions = [surveyList, surveyStart, surveyNext, surveyAnswer, surveyFinish];
