import { z } from 'zod';
import { parseSubscriberId } from '../../broadcast/subscribers.js';
import { eventPayload } from '../../events/payloads.js';
import { eventReport } from '../../events/report.js';
import {
  EVENT_KINDS,
  EVENT_STATUSES,
  EventError,
  eventInputSchema,
  eventPatchSchema,
  type EventInput,
  type EventPatch,
  type EventStatus,
  type UnionEvent,
} from '../../events/store.js';
import { localDate, zonedTimeToUtc } from '../../platform/time.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const eventSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  kind: z.enum(EVENT_KINDS),
  description: z.string().optional(),
  place: z.string(),
  startsAt: z.string(),
  startsAtUtc: z.string(),
  capacity: z.number().optional(),
  khu_cong_nghiep: z.string().optional(),
  topic: z.string().optional(),
  status: z.enum(EVENT_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  walkIns: z.number().optional(),
  reminder: z.object({ jobId: z.string(), fireAt: z.string(), fireAtLocal: z.string() }).optional(),
  /** Places taken (active registrations). */
  registered: z.number(),
  /** The quick-reply payload that invites to this event from a campaign. */
  invitePayload: z.string(),
});

const registrationSchema = z.looseObject({
  subscriberId: z.string(),
  channel: z.string(),
  userId: z.string(),
  displayName: z.string().optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  company: z.string().optional(),
  khu_cong_nghiep: z.string().optional(),
  registeredAt: z.string(),
  cancelledAt: z.string().optional(),
  attended: z.boolean().optional(),
  remindedAt: z.string().optional(),
  reminderSkipped: z.string().optional(),
});

const figuresSchema = z.object({
  held: z.number(),
  registrations: z.number(),
  attended: z.number(),
  walkIns: z.number(),
  participants: z.number(),
});

const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: figuresSchema.extend({ cancelled: z.number(), upcoming: z.number() }),
  byKind: z.record(z.enum(EVENT_KINDS), figuresSchema),
  byZone: z.array(figuresSchema.extend({ khu_cong_nghiep: z.string() })),
  events: z.array(z.looseObject({ id: z.string(), title: z.string(), held: z.boolean() })),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày dạng 2026-01-31');
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'mã sự kiện gồm chữ và số') });

const attendanceSchema = z
  .object({
    marks: z
      .array(z.object({ subscriberId: z.string().min(3).max(300), attended: z.boolean() }).strict())
      .max(10_000)
      .default([]),
    /** People who came without registering. */
    walkIns: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
type Attendance = z.infer<typeof attendanceSchema>;

/** Domain errors as the officer sees them. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof EventError)
      throw new HttpError(err.code === 'not_found' ? 404 : 409, err.code, err.message);
    throw err;
  }
}

/** The half-year a union reports on: 1/1–30/6 or 1/7–31/12 of the current year (local). */
function currentHalfYear(now: Date, timeZone: string): { from: string; to: string } {
  const today = localDate(now, timeZone);
  const year = today.slice(0, 4);
  return today.slice(5) < '07-01'
    ? { from: `${year}-01-01`, to: `${year}-06-30` }
    : { from: `${year}-07-01`, to: `${year}-12-31` };
}

export function eventRoutes(s: AdminServices): RouteDef[] {
  const events = s.events;
  const tz = s.config.APP_TIMEZONE;
  const view = async (e: UnionEvent) => ({
    ...e,
    registered: await events.store.activeCount(e.id),
    invitePayload: eventPayload(e.id),
  });
  return [
    route<Record<string, never>, { from?: string; to?: string; status?: EventStatus }>({
      method: 'get',
      path: '/events',
      tag: 'events',
      summary:
        'Lớp học, sự kiện theo thời gian bắt đầu (mặc định: từ 30 ngày trước trở đi), kèm số người đã đăng ký',
      role: 'viewer',
      query: z.object({
        from: day.optional(),
        to: day.optional(),
        status: z.enum(EVENT_STATUSES).optional(),
      }),
      response: z.object({ items: z.array(eventSchema) }),
      async handler({ query }) {
        const from = query.from
          ? zonedTimeToUtc(`${query.from}T00:00`, tz)
          : new Date(s.now().getTime() - 30 * 24 * 3600 * 1000);
        const to = query.to
          ? new Date(zonedTimeToUtc(`${query.to}T00:00`, tz).getTime() + 24 * 3600 * 1000)
          : undefined;
        const list = (await events.store.between(from, to, 1000)).filter(
          (e) => !query.status || e.status === query.status,
        );
        return { items: await Promise.all(list.map(view)) };
      },
    }),
    route<Record<string, never>, Record<string, never>, EventInput>({
      method: 'post',
      path: '/events',
      tag: 'events',
      summary:
        'Tạo lớp học hoặc sự kiện (giờ bắt đầu theo giờ Việt Nam, sức chứa); lời nhắc hôm trước được hẹn sẵn',
      role: 'officer',
      status: 201,
      body: eventInputSchema as unknown as z.ZodType<EventInput>,
      response: eventSchema,
      audit: { action: 'event.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ body, principal, note }) {
        const event = await events.create(body, principal.user.username);
        note({ title: event.title, kind: event.kind, startsAt: event.startsAt, capacity: event.capacity });
        return view(event);
      },
    }),
    route<Record<string, never>, { from?: string; to?: string }>({
      method: 'get',
      path: '/events/report',
      tag: 'events',
      summary:
        'Báo cáo định kỳ (mặc định 6 tháng hiện tại): số lớp, sự kiện đã tổ chức, lượt đăng ký, số người tham dự, theo loại và khu công nghiệp',
      role: 'viewer',
      query: z.object({ from: day.optional(), to: day.optional() }),
      response: reportSchema,
      async handler({ query }) {
        const period = { ...currentHalfYear(s.now(), tz), ...query };
        if (period.from > period.to)
          throw new HttpError(400, 'invalid_input', 'Ngày bắt đầu phải trước ngày kết thúc');
        return eventReport(events.store, period, tz, s.now());
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/events/:id',
      tag: 'events',
      summary: 'Một lớp học hoặc sự kiện',
      role: 'viewer',
      params: idParams,
      response: eventSchema,
      handler: ({ params }) => guard(async () => view(await events.store.require(params.id))),
    }),
    route<{ id: string }, Record<string, never>, EventPatch>({
      method: 'patch',
      path: '/events/:id',
      tag: 'events',
      summary: 'Sửa sự kiện (đổi giờ thì lời nhắc được hẹn lại); status closed để ngừng nhận đăng ký',
      role: 'officer',
      params: idParams,
      body: eventPatchSchema,
      response: eventSchema,
      audit: { action: 'event.update' },
      async handler({ params, body, note }) {
        note({ fields: Object.keys(body) });
        return guard(async () => view(await events.update(params.id, body)));
      },
    }),
    route<{ id: string }>({
      method: 'post',
      path: '/events/:id/cancel',
      tag: 'events',
      summary: 'Hủy sự kiện: không nhận đăng ký nữa, bỏ lời nhắc (các đăng ký được giữ lại để đối chiếu)',
      role: 'officer',
      params: idParams,
      response: eventSchema,
      audit: { action: 'event.cancel' },
      handler: ({ params }) => guard(async () => view(await events.cancel(params.id))),
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/events/:id/registrations',
      tag: 'events',
      summary:
        'Người đã đăng ký (cả người đã hủy), với tên, số điện thoại, công ty nếu có, điểm danh và lời nhắc',
      role: 'viewer',
      params: idParams,
      response: z.object({ items: z.array(registrationSchema) }),
      async handler({ params }) {
        return guard(async () => {
          const event = await events.store.require(params.id);
          const items = await Promise.all(
            (await events.store.registrations(event.id)).map(async (r) => {
              const subscriber = await s.subscribers.getById(r.subscriberId);
              const a = subscriber?.attributes ?? {};
              return {
                ...r,
                ...parseSubscriberId(r.subscriberId),
                displayName: r.displayName ?? subscriber?.displayName,
                name: a.name,
                phone: a.phone,
                company: a.company,
                khu_cong_nghiep: a.khu_cong_nghiep,
              };
            }),
          );
          return { items };
        });
      },
    }),
    route<{ id: string }, Record<string, never>, Attendance>({
      method: 'post',
      path: '/events/:id/attendance',
      tag: 'events',
      summary: 'Điểm danh: đánh dấu người đã đăng ký có đến hay không, và số người đến không đăng ký trước',
      role: 'officer',
      params: idParams,
      body: attendanceSchema,
      response: z.object({ event: eventSchema, marked: z.number(), unknown: z.array(z.string()) }),
      audit: { action: 'event.attendance' },
      async handler({ params, body, note }) {
        return guard(async () => {
          const result = await events.markAttendance(params.id, body.marks, body.walkIns);
          note({
            attended: body.marks.filter((m) => m.attended).length,
            absent: body.marks.filter((m) => !m.attended).length,
            walkIns: body.walkIns,
            unknown: result.unknown.length,
          });
          return { ...result, event: await view(result.event) };
        });
      },
    }),
  ];
}
