import { z } from 'zod';
import { surveyPayload } from '../../events/payloads.js';
import {
  QUESTION_TYPES,
  SURVEY_STATUSES,
  SurveyError,
  surveyInputSchema,
  type Survey,
  type SurveyInput,
  type SurveyStatus,
} from '../../surveys/store.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const surveySchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  intro: z.string().optional(),
  questions: z.array(
    z.looseObject({ id: z.string(), text: z.string(), type: z.enum(QUESTION_TYPES), required: z.boolean() }),
  ),
  status: z.enum(SURVEY_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().optional(),
  respondents: z.number(),
  /** The quick-reply payload that starts this survey from a campaign. */
  startPayload: z.string(),
});

const resultsSchema = z.object({
  survey: surveySchema,
  respondents: z.number(),
  questions: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      type: z.enum(QUESTION_TYPES),
      answered: z.number(),
      options: z.array(z.object({ id: z.string(), title: z.string(), count: z.number() })).optional(),
      average: z.number().optional(),
      texts: z.array(z.object({ text: z.string(), at: z.string() })).optional(),
    }),
  ),
});

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'mã khảo sát gồm chữ và số') });

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SurveyError)
      throw new HttpError(err.code === 'not_found' ? 404 : 409, err.code, err.message);
    throw err;
  }
}

export function surveyRoutes(s: AdminServices): RouteDef[] {
  const surveys = s.surveys;
  const view = async (survey: Survey) => ({
    ...survey,
    respondents: await surveys.respondents(survey.id),
    startPayload: surveyPayload(survey.id),
  });
  return [
    route<Record<string, never>, { status?: SurveyStatus }>({
      method: 'get',
      path: '/surveys',
      tag: 'surveys',
      summary: 'Danh sách khảo sát, mới nhất trước, kèm số người đã trả lời',
      role: 'viewer',
      query: z.object({ status: z.enum(SURVEY_STATUSES).optional() }),
      response: z.object({ items: z.array(surveySchema) }),
      async handler({ query }) {
        return { items: await Promise.all((await surveys.list({ status: query.status })).map(view)) };
      },
    }),
    route<Record<string, never>, Record<string, never>, SurveyInput>({
      method: 'post',
      path: '/surveys',
      tag: 'surveys',
      summary:
        'Tạo khảo sát (mở ngay): câu hỏi một lựa chọn, thang điểm 1–5 hoặc trả lời tự do; gửi trong chiến dịch bằng payload SURVEY_<mã>',
      role: 'officer',
      status: 201,
      body: surveyInputSchema as unknown as z.ZodType<SurveyInput>,
      response: surveySchema,
      audit: { action: 'survey.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ body, principal, note }) {
        const survey = await surveys.create(body, principal.user.username);
        note({ title: survey.title, questions: survey.questions.length });
        return view(survey);
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/surveys/:id',
      tag: 'surveys',
      summary: 'Một khảo sát',
      role: 'viewer',
      params: idParams,
      response: surveySchema,
      handler: ({ params }) => guard(async () => view(await surveys.require(params.id))),
    }),
    route<{ id: string }>({
      method: 'post',
      path: '/surveys/:id/close',
      tag: 'surveys',
      summary: 'Đóng khảo sát: không nhận thêm câu trả lời (kết quả vẫn xem được)',
      role: 'officer',
      params: idParams,
      response: surveySchema,
      audit: { action: 'survey.close' },
      handler: ({ params }) => guard(async () => view(await surveys.close(params.id))),
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/surveys/:id/results',
      tag: 'surveys',
      summary:
        'Kết quả: số người trả lời, số lượt chọn mỗi lựa chọn và mỗi mức điểm (để vẽ biểu đồ), điểm trung bình, các câu trả lời tự do',
      role: 'viewer',
      params: idParams,
      response: resultsSchema,
      async handler({ params }) {
        return guard(async () => {
          const results = await surveys.results(params.id);
          return { ...results, survey: await view(results.survey) };
        });
      },
    }),
  ];
}
