import type { Redis } from 'ioredis';
import { z } from 'zod';
import { randomCode } from '../platform/codes.js';

export const SURVEY_STATUSES = ['open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export const QUESTION_TYPES = ['single_choice', 'scale', 'text'] as const;

const localId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_]{0,19}$/,
    'mã viết thường, số hoặc "_", bắt đầu bằng chữ hoặc số (tối đa 20 ký tự)',
  );
const text = z.string().trim().min(1);

const optionSchema = z.object({ id: localId.optional(), title: text.max(80) }).strict();
const common = { id: localId.optional(), text: text.max(1000), required: z.boolean().default(true) };

export const questionSchema = z.discriminatedUnion('type', [
  z
    .object({ ...common, type: z.literal('single_choice'), options: z.array(optionSchema).min(2).max(10) })
    .strict(),
  /** 1 to 5; the labels say what the ends mean ("Rất không hài lòng" … "Rất hài lòng"). */
  z
    .object({
      ...common,
      type: z.literal('scale'),
      lowLabel: text.max(60).optional(),
      highLabel: text.max(60).optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('text'),
      maxLength: z.number().int().min(1).max(2000).default(1000),
    })
    .strict(),
]);

export const surveyInputSchema = z
  .object({
    title: text.max(200),
    /** Said before the first question. */
    intro: text.max(1000).optional(),
    questions: z.array(questionSchema).min(1).max(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = s.questions.map((q, i) => q.id ?? `q${i + 1}`);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `mã câu hỏi "${id}" trùng` });
    });
    s.questions.forEach((q, i) => {
      if (q.type !== 'single_choice') return;
      const options = q.options.map((o, j) => o.id ?? String(j + 1));
      options.forEach((id, j) => {
        if (options.indexOf(id) !== j)
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'options', j, 'id'],
            message: `mã lựa chọn "${id}" trùng`,
          });
      });
    });
  });
export type SurveyInput = z.input<typeof surveyInputSchema>;

export type SurveyQuestion =
  | {
      id: string;
      text: string;
      required: boolean;
      type: 'single_choice';
      options: { id: string; title: string }[];
    }
  | { id: string; text: string; required: boolean; type: 'scale'; lowLabel?: string; highLabel?: string }
  | { id: string; text: string; required: boolean; type: 'text'; maxLength: number };

export interface Survey {
  /** Upper-case letters and digits, so that a campaign's quick reply can carry `SURVEY_<id>`. */
  id: string;
  title: string;
  intro?: string;
  questions: SurveyQuestion[];
  status: SurveyStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

/** An option id (single choice), 1–5 (scale) or the text typed; a skipped optional question is absent. */
export type AnswerValue = string | number;

export interface AnswerSet {
  subscriberId: string;
  answers: Record<string, AnswerValue>;
  at: string;
}

export interface QuestionResult {
  id: string;
  text: string;
  type: SurveyQuestion['type'];
  /** People who answered this question (an optional one may be skipped). */
  answered: number;
  /** single_choice and scale: every option (scale: "1" … "5") with its count, in order, for a chart. */
  options?: { id: string; title: string; count: number }[];
  /** scale: the mean, rounded to two decimals; undefined while nobody answered. */
  average?: number;
  /** text: the answers, newest first (at most 500). */
  texts?: { text: string; at: string }[];
}

export interface SurveyResults {
  survey: Survey;
  respondents: number;
  questions: QuestionResult[];
}

export class SurveyError extends Error {
  override name = 'SurveyError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

const SCALE = [1, 2, 3, 4, 5];

/** Questions as stored: every question and option with its id (given, or q1, q2 … and 1, 2 …). */
function normalise(input: z.infer<typeof surveyInputSchema>): SurveyQuestion[] {
  return input.questions.map((q, i): SurveyQuestion => {
    const id = q.id ?? `q${i + 1}`;
    if (q.type === 'single_choice') {
      return { ...q, id, options: q.options.map((o, j) => ({ id: o.id ?? String(j + 1), title: o.title })) };
    }
    return { ...q, id };
  });
}

/**
 * Surveys and their answers in Redis: the survey as JSON, and one answer set per subscriber in a hash (a
 * new answer set replaces the old one). Results are counted from the answers when asked for, so a changed
 * answer can never be counted twice.
 */
export class SurveyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}survey:${id}`;
  }
  private answersKey(id: string): string {
    return `${this.keyPrefix}survey:${id}:answers`;
  }
  private get allKey(): string {
    return `${this.keyPrefix}surveys:all`;
  }

  async create(input: SurveyInput, createdBy: string): Promise<Survey> {
    const parsed = surveyInputSchema.parse(input);
    const at = this.now();
    for (;;) {
      const id = randomCode();
      const survey: Survey = {
        id,
        title: parsed.title,
        intro: parsed.intro,
        questions: normalise(parsed),
        status: 'open',
        createdBy,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      if ((await this.redis.set(this.key(id), JSON.stringify(survey), 'NX')) !== 'OK') continue;
      await this.redis.zadd(this.allKey, at.getTime(), id);
      return survey;
    }
  }

  async get(id: string): Promise<Survey | undefined> {
    if (!/^[A-Z0-9]{1,20}$/i.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id.toUpperCase()));
    return raw ? (JSON.parse(raw) as Survey) : undefined;
  }

  async require(id: string): Promise<Survey> {
    const survey = await this.get(id);
    if (!survey) throw new SurveyError('not_found', `Không có khảo sát mã ${id}`);
    return survey;
  }

  /** Newest first. */
  async list(options: { status?: SurveyStatus; limit?: number } = {}): Promise<Survey[]> {
    const ids = await this.redis.zrevrange(this.allKey, 0, (options.limit ?? 200) - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.key(id)));
    return raws
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as Survey)
      .filter((s) => !options.status || s.status === options.status);
  }

  async close(id: string): Promise<Survey> {
    const key = this.key((await this.require(id)).id);
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.redis.watch(key);
      const survey = JSON.parse((await this.redis.get(key))!) as Survey;
      if (survey.status === 'closed') {
        await this.redis.unwatch();
        throw new SurveyError('conflict', 'Khảo sát này đã đóng rồi');
      }
      survey.status = 'closed';
      survey.closedAt = survey.updatedAt = this.now().toISOString();
      if (await this.redis.multi().set(key, JSON.stringify(survey)).exec()) return survey;
    }
    throw new SurveyError('conflict', 'Khảo sát đang được người khác sửa, hãy thử lại');
  }

  /** Stores a subscriber's answers, replacing any earlier set. Refused once the survey is closed. */
  async answer(id: string, subscriberId: string, answers: Record<string, AnswerValue>): Promise<AnswerSet> {
    const survey = await this.require(id);
    if (survey.status !== 'open') throw new SurveyError('conflict', 'Khảo sát đã đóng');
    const set: AnswerSet = { subscriberId, answers, at: this.now().toISOString() };
    await this.redis.hset(this.answersKey(survey.id), subscriberId, JSON.stringify(set));
    return set;
  }

  async answerSet(id: string, subscriberId: string): Promise<AnswerSet | undefined> {
    const raw = await this.redis.hget(this.answersKey(id), subscriberId);
    return raw ? (JSON.parse(raw) as AnswerSet) : undefined;
  }

  async respondents(id: string): Promise<number> {
    return this.redis.hlen(this.answersKey(id));
  }

  /** Counts per option and scale point, averages, and the free-text answers: what the console charts. */
  async results(id: string): Promise<SurveyResults> {
    const survey = await this.require(id);
    const sets: AnswerSet[] = [];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.answersKey(survey.id), cursor, 'COUNT', 1000);
      for (let i = 1; i < entries.length; i += 2) sets.push(JSON.parse(entries[i]!) as AnswerSet);
      cursor = next;
    } while (cursor !== '0');
    sets.sort((a, b) => b.at.localeCompare(a.at));

    const questions = survey.questions.map((q): QuestionResult => {
      const values = sets.flatMap((s) =>
        s.answers[q.id] === undefined ? [] : [{ value: s.answers[q.id]!, at: s.at }],
      );
      const result: QuestionResult = { id: q.id, text: q.text, type: q.type, answered: values.length };
      if (q.type === 'single_choice') {
        result.options = q.options.map((o) => ({
          ...o,
          count: values.filter((v) => v.value === o.id).length,
        }));
      } else if (q.type === 'scale') {
        const points = values.map((v) => Number(v.value));
        result.options = SCALE.map((n) => ({
          id: String(n),
          title: String(n),
          count: points.filter((p) => p === n).length,
        }));
        if (points.length)
          result.average = Math.round((points.reduce((a, b) => a + b, 0) / points.length) * 100) / 100;
      } else {
        result.texts = values.slice(0, 500).map((v) => ({ text: String(v.value), at: v.at }));
      }
      return result;
    });
    return { survey, respondents: sets.length, questions };
  }
}
