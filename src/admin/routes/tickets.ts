import { z } from 'zod';
import { TICKET_CATEGORIES, TICKET_STATUSES, type TicketStatus } from '../../tickets/store.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const personSchema = z.object({ id: z.string(), name: z.string() });
const ticketSchema = z.object({
  id: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  company: z.string().optional(),
  khu_cong_nghiep: z.string().optional(),
  description: z.string(),
  photoUrl: z.string().optional(),
  contact: z.string().optional(),
  urgent: z.boolean(),
  channel: z.string(),
  userId: z.string(),
  status: z.enum(TICKET_STATUSES),
  assignee: personSchema.optional(),
  notes: z.array(z.object({ at: z.string(), by: personSchema, text: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const idParams = z.object({ id: z.string().regex(/^PA[A-Z0-9]{6}$/i, 'mã phản ánh dạng PAxxxxxx') });

export function ticketRoutes(s: AdminServices): RouteDef[] {
  const load = async (id: string) => {
    const ticket = await s.tickets.get(id);
    if (!ticket) throw new HttpError(404, 'not_found', `Không có phản ánh mã ${id}`);
    return ticket;
  };
  return [
    route<Record<string, never>, { status?: TicketStatus; limit: number }>({
      method: 'get',
      path: '/tickets',
      tag: 'tickets',
      summary: 'Phản ánh của người lao động, mới nhất trước',
      role: 'officer',
      query: z.object({
        status: z.enum(TICKET_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      }),
      response: z.object({ items: z.array(ticketSchema) }),
      async handler({ query }) {
        return { items: await s.tickets.list(query) };
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/tickets/:id',
      tag: 'tickets',
      summary: 'Một phản ánh',
      role: 'officer',
      params: idParams,
      response: ticketSchema,
      handler: ({ params }) => load(params.id.toUpperCase()),
    }),
    route<{ id: string }, Record<string, never>, { status?: TicketStatus; assigneeId?: string | null }>({
      method: 'patch',
      path: '/tickets/:id',
      tag: 'tickets',
      summary: 'Đổi trạng thái hoặc người phụ trách',
      role: 'officer',
      params: idParams,
      body: z
        .object({
          status: z.enum(TICKET_STATUSES).optional(),
          assigneeId: z.string().max(100).nullable().optional(),
        })
        .strict(),
      response: ticketSchema,
      audit: { action: 'ticket.update' },
      async handler({ params, body, note }) {
        const id = params.id.toUpperCase();
        const before = await load(id);
        let assignee: { id: string; name: string } | null | undefined;
        if (body.assigneeId === null) assignee = null;
        else if (body.assigneeId) {
          const user = await s.users.get(body.assigneeId);
          if (!user || user.role === 'viewer')
            throw new HttpError(400, 'invalid_input', 'Người phụ trách phải là cán bộ hoặc quản trị viên');
          assignee = { id: user.id, name: user.name };
        }
        note({
          ...(body.status && { status: { from: before.status, to: body.status } }),
          ...(assignee !== undefined && { assignee: assignee?.name ?? null }),
        });
        return s.tickets.update(id, { status: body.status, assignee });
      },
    }),
    route<{ id: string }, Record<string, never>, { text: string }>({
      method: 'post',
      path: '/tickets/:id/notes',
      tag: 'tickets',
      summary: 'Thêm ghi chú xử lý',
      role: 'officer',
      params: idParams,
      body: z.object({ text: z.string().trim().min(1).max(4000) }).strict(),
      response: ticketSchema,
      audit: { action: 'ticket.note' },
      async handler({ params, principal, body }) {
        await load(params.id.toUpperCase());
        return s.tickets.addNote(
          params.id.toUpperCase(),
          { id: principal.user.id, name: principal.user.name },
          body.text,
        );
      },
    }),
  ];
}
