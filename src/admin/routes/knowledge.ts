import { z } from 'zod';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const leafletSummary = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.string(),
  file: z.string(),
  sources: z.array(z.string()),
  sections: z.number(),
  valid_from: z.string().optional(),
  review_by: z.string().optional(),
  outdated_note: z.string().optional(),
});
const idParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'mã tờ rơi: chữ thường, số và -') });
const markdownBody = z.object({ markdown: z.string().min(1, 'cần nội dung Markdown').max(200_000) });
const answerSchema = z.object({
  answer: z.string(),
  confidence: z.number(),
  answered: z.boolean(),
  citations: z.array(z.object({ lawId: z.string(), article: z.string(), clause: z.string().optional() })),
  sources: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
  outdated: z.boolean().optional(),
  topic: z.string().optional(),
});
const rebuildSchema = z.object({
  status: z.enum(['idle', 'running', 'done', 'failed']),
  progress: z.object({ stage: z.string(), done: z.number(), total: z.number() }).optional(),
  manifest: z.object({ version: z.string(), chunks: z.number(), buildMs: z.number() }).optional(),
  error: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  by: z.string().optional(),
});
const lexiconSchema = z.object({
  abbreviations: z.record(z.string(), z.string()),
  synonyms: z.array(z.array(z.string())),
});

export function knowledgeRoutes(s: AdminServices): RouteDef[] {
  const editor = s.knowledgeEditor;
  return [
    route({
      method: 'get',
      path: '/knowledge/leaflets',
      tag: 'knowledge',
      summary: 'Danh sách tờ rơi',
      role: 'viewer',
      response: z.object({ items: z.array(leafletSummary) }),
      async handler() {
        return { items: await editor.list() };
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/knowledge/leaflets/:id',
      tag: 'knowledge',
      summary: 'Một tờ rơi: nội dung Markdown và các mục',
      role: 'viewer',
      params: idParams,
      response: z.object({
        id: z.string(),
        file: z.string(),
        markdown: z.string(),
        meta: z.record(z.string(), z.unknown()),
        sections: z.array(z.object({ id: z.string(), heading: z.string() })),
      }),
      handler: ({ params }) => editor.read(params.id),
    }),
    route<Record<string, never>, Record<string, never>, { markdown: string; file?: string }>({
      method: 'post',
      path: '/knowledge/leaflets',
      tag: 'knowledge',
      summary: 'Tạo tờ rơi mới (JSON hoặc tải lên tệp Markdown); kiểm tra trước khi lưu',
      role: 'admin',
      status: 201,
      body: markdownBody.extend({ file: z.string().max(300).optional() }),
      textBody: { contentType: 'text/markdown', field: 'markdown' },
      response: leafletSummary,
      audit: { action: 'leaflet.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ body, note }) {
        const created = await editor.create(body.markdown, body.file);
        note({ file: created.file, sections: created.sections });
        return created;
      },
    }),
    route<{ id: string }, Record<string, never>, { markdown: string }>({
      method: 'put',
      path: '/knowledge/leaflets/:id',
      tag: 'knowledge',
      summary: 'Sửa tờ rơi; kiểm tra trước khi lưu (nguồn, số liệu theo điều luật được trích)',
      role: 'admin',
      params: idParams,
      body: markdownBody,
      textBody: { contentType: 'text/markdown', field: 'markdown' },
      response: leafletSummary,
      audit: { action: 'leaflet.update' },
      async handler({ params, body, note }) {
        const updated = await editor.update(params.id, body.markdown);
        note({ file: updated.file, sections: updated.sections });
        return updated;
      },
    }),
    route<{ id: string }>({
      method: 'delete',
      path: '/knowledge/leaflets/:id',
      tag: 'knowledge',
      summary: 'Xóa tờ rơi',
      role: 'admin',
      params: idParams,
      status: 204,
      audit: { action: 'leaflet.delete' },
      async handler({ params }) {
        await editor.remove(params.id);
        return undefined;
      },
    }),
    route<Record<string, never>, Record<string, never>, { markdown: string; file?: string }>({
      method: 'post',
      path: '/knowledge/validate',
      tag: 'knowledge',
      summary: 'Kiểm tra một tờ rơi mà không lưu',
      role: 'viewer',
      body: markdownBody.extend({ file: z.string().max(300).optional() }),
      textBody: { contentType: 'text/markdown', field: 'markdown' },
      response: z.object({ ok: z.boolean(), errors: z.array(z.string()) }),
      // Reads only.
      audit: false,
      async handler({ body }) {
        const { problems } = await editor.validate(body.markdown, body.file);
        return { ok: problems.length === 0, errors: problems };
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/rebuild',
      tag: 'knowledge',
      summary: 'Xây lại chỉ mục tri thức (chạy nền; xem tiến độ bằng GET)',
      role: 'admin',
      status: 202,
      response: rebuildSchema,
      audit: { action: 'knowledge.rebuild' },
      async handler({ principal }) {
        return s.rebuild.start(principal.user.username);
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/rebuild',
      tag: 'knowledge',
      summary: 'Tiến độ xây lại chỉ mục',
      role: 'viewer',
      response: rebuildSchema,
      handler: () => s.rebuild.state(),
    }),
    route<Record<string, never>, Record<string, never>, { question: string; topic?: string }>({
      method: 'post',
      path: '/knowledge/ask',
      tag: 'knowledge',
      summary: 'Hỏi thử: câu trả lời, độ tin cậy, trích dẫn và các nguồn tìm được với điểm số',
      role: 'viewer',
      body: z.object({ question: z.string().trim().min(1).max(2000), topic: z.string().max(50).optional() }),
      response: answerSchema,
      // Reads only.
      audit: false,
      async handler({ body }) {
        if (!s.answerer.ready) throw new HttpError(503, 'not_ready', 'Chỉ mục tri thức chưa sẵn sàng');
        const { followUps: _f, ...answer } = await s.answerer.ask(body.question, {
          topic: body.topic,
          at: s.now(),
        });
        return answer;
      },
    }),
    route<Record<string, never>, { limit: number }>({
      method: 'get',
      path: '/knowledge/unanswered',
      tag: 'knowledge',
      summary: 'Câu hỏi bot chưa trả lời chắc chắn: mới nhất và hỏi nhiều nhất',
      role: 'viewer',
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: z.object({
        latest: z.array(
          z.object({
            question: z.string(),
            at: z.string(),
            channel: z.string(),
            topic: z.string().optional(),
            confidence: z.number(),
            sources: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
          }),
        ),
        top: z.array(z.object({ question: z.string(), count: z.number() })),
      }),
      async handler({ query }) {
        const [latest, top] = await Promise.all([s.unanswered.latest(query.limit), s.unanswered.top(20)]);
        return { latest, top };
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/lexicon',
      tag: 'knowledge',
      summary: 'Từ điển: chữ viết tắt và nhóm từ đồng nghĩa',
      role: 'viewer',
      response: lexiconSchema,
      handler: () => editor.readLexicon(),
    }),
    route<Record<string, never>, Record<string, never>, z.infer<typeof lexiconSchema>>({
      method: 'put',
      path: '/knowledge/lexicon',
      tag: 'knowledge',
      summary: 'Lưu từ điển (có hiệu lực sau khi xây lại chỉ mục)',
      role: 'admin',
      body: lexiconSchema,
      response: lexiconSchema,
      audit: { action: 'lexicon.update', target: () => 'knowledge/lexicon' },
      async handler({ body, note }) {
        note({ abbreviations: Object.keys(body.abbreviations).length, synonymGroups: body.synonyms.length });
        return editor.writeLexicon(body);
      },
    }),
  ];
}
