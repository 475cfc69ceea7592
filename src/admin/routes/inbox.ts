import { z } from 'zod';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import { EventStream } from '../api/sse.js';
import type { AdminServices } from '../services.js';

const officerSchema = z.object({ id: z.string(), name: z.string() });
const itemSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'assigned', 'closed']),
  channel: z.string(),
  userId: z.string(),
  displayName: z.string().optional(),
  reason: z.string().optional(),
  createdAt: z.string(),
  assignee: officerSchema.optional(),
  lastMessageAt: z.string().optional(),
  lastText: z.string().optional(),
});
const messageSchema = z.object({
  from: z.enum(['worker', 'bot', 'officer', 'system']),
  text: z.string(),
  at: z.string(),
  officer: officerSchema.optional(),
});
const idParams = z.object({ id: z.string().regex(/^[A-Z0-9]{4,12}$/, 'mã yêu cầu không hợp lệ') });

export function inboxRoutes(s: AdminServices): RouteDef[] {
  const officerOf = (p: { user: { id: string; name: string } }) => ({ id: p.user.id, name: p.user.name });
  return [
    route<Record<string, never>, { status?: 'open' | 'assigned' | 'closed'; limit: number }>({
      method: 'get',
      path: '/inbox',
      tag: 'inbox',
      summary: 'Các cuộc trò chuyện người lao động xin gặp cán bộ',
      role: 'officer',
      query: z.object({
        status: z.enum(['open', 'assigned', 'closed']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.object({ items: z.array(itemSchema) }),
      async handler({ query }) {
        return { items: await s.inbox.list(query.status, query.limit) };
      },
    }),
    route({
      method: 'get',
      path: '/inbox/events',
      tag: 'inbox',
      summary:
        'Thay đổi trong hộp thư, trực tiếp (server-sent events: "ready" khi bắt đầu nghe, rồi "inbox": created, message, taken, closed)',
      role: 'officer',
      produces: 'text/event-stream',
      async handler({ req, res }) {
        const stream = new EventStream(req, res);
        s.streams.add(stream);
        const unsubscribe = await s.inbox.subscribe((event) => stream.send('inbox', event));
        // From here no change is missed: the console reads the list again on `ready`.
        stream.send('ready', {});
        stream.onClose(() => {
          s.streams.delete(stream);
          void unsubscribe();
        });
        return undefined;
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/inbox/:id',
      tag: 'inbox',
      summary: 'Một cuộc trò chuyện: lịch sử với bot và các tin trao đổi với cán bộ',
      role: 'officer',
      params: idParams,
      response: z.object({ item: itemSchema, messages: z.array(messageSchema) }),
      async handler({ params }) {
        const detail = await s.inbox.detail(params.id);
        if (!detail) throw new HttpError(404, 'not_found', 'Không tìm thấy yêu cầu gặp cán bộ này');
        return detail;
      },
    }),
    route<{ id: string }, Record<string, never>, { force: boolean }>({
      method: 'post',
      path: '/inbox/:id/take',
      tag: 'inbox',
      summary: 'Nhận trả lời cuộc trò chuyện (bot im lặng; người lao động được báo có cán bộ tham gia)',
      role: 'officer',
      params: idParams,
      body: z.object({ force: z.boolean().default(false) }).strict(),
      response: itemSchema,
      audit: { action: 'inbox.take' },
      handler: ({ params, principal, body }) =>
        s.inbox.take(params.id, officerOf(principal), { force: body.force }),
    }),
    route<{ id: string }, Record<string, never>, { text: string }>({
      method: 'post',
      path: '/inbox/:id/reply',
      tag: 'inbox',
      summary: 'Trả lời người lao động qua chính kênh của họ (Zalo, Messenger, web)',
      role: 'officer',
      params: idParams,
      body: z.object({ text: z.string().trim().min(1, 'tin trả lời trống').max(2000) }).strict(),
      response: z.object({ item: itemSchema, messages: z.array(messageSchema) }),
      audit: { action: 'inbox.reply' },
      async handler({ params, principal, body, note }) {
        note({ length: body.text.length });
        await s.inbox.reply(params.id, officerOf(principal), body.text);
        return (await s.inbox.detail(params.id))!;
      },
    }),
    route<{ id: string }>({
      method: 'post',
      path: '/inbox/:id/close',
      tag: 'inbox',
      summary: 'Kết thúc: trả cuộc trò chuyện lại cho bot',
      role: 'officer',
      params: idParams,
      response: itemSchema,
      audit: { action: 'inbox.close' },
      handler: ({ params, principal }) => s.inbox.close(params.id, officerOf(principal)),
    }),
  ];
}
