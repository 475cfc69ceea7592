import { Readable } from 'node:stream';
import type { Response } from 'express';
import { z } from 'zod';
import { IMPORT_CHANNELS, importSubscribers } from '../../broadcast/csv-import.js';
import type { SubscriberDirectory } from '../../broadcast/directory.js';
import { segmentSchema, type Segment } from '../../broadcast/segments.js';
import { parseSubscriberId } from '../../broadcast/subscribers.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

export const subscriberSchema = z.object({
  id: z.string(),
  channel: z.string(),
  userId: z.string(),
  displayName: z.string().optional(),
  attributes: z.record(z.string(), z.string()),
  topics: z.array(z.string()),
  consent: z
    .object({
      status: z.enum(['opted_in', 'opted_out']),
      at: z.string(),
      channel: z.string(),
      source: z.string(),
    })
    .optional(),
  lastInteractionAt: z.string().optional(),
  reachable: z.boolean(),
  unreachableReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const importReportSchema = z.object({
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});

async function streamCsv(res: Response, name: string, rows: AsyncIterable<string>): Promise<void> {
  res.set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
  });
  // A BOM so spreadsheet programs read the Vietnamese text as UTF-8.
  res.write('\uFEFF');
  for await (const chunk of rows) if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
  res.end();
}
export { streamCsv };

export function subscriberRoutes(s: AdminServices, directory: SubscriberDirectory): RouteDef[] {
  return [
    route<Record<string, never>, { q?: string; channel?: string; limit: number; cursor?: string }>({
      method: 'get',
      path: '/subscribers',
      tag: 'subscribers',
      summary: 'Tìm người nhận tin (tên, số điện thoại, khu công nghiệp, công ty …; gõ không dấu cũng được)',
      role: 'viewer',
      query: z.object({
        q: z.string().max(200).optional(),
        channel: z.enum(IMPORT_CHANNELS).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().regex(/^\d+$/).optional(),
      }),
      response: z.object({ items: z.array(subscriberSchema), next: z.string().optional() }),
      handler: ({ query }) => directory.search(query),
    }),
    route<Record<string, never>, Record<string, never>, { csv: string }>({
      method: 'post',
      path: '/subscribers/import',
      tag: 'subscribers',
      summary:
        'Nhập danh sách từ tệp CSV (gửi Content-Type: text/csv); báo lỗi theo số dòng, nhập lại không tạo trùng',
      role: 'officer',
      body: z.object({ csv: z.string().min(1, 'tệp CSV trống') }),
      textBody: { contentType: 'text/csv', field: 'csv' },
      response: importReportSchema,
      audit: { action: 'subscribers.import', target: () => 'subscribers' },
      async handler({ body, principal, note }) {
        const report = await importSubscribers(Readable.from([body.csv]), s.subscribers, {
          sourceName: `admin:${principal.user.username}`,
        });
        note({
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          errors: report.errors.length,
        });
        return report;
      },
    }),
    route({
      method: 'get',
      path: '/subscribers/export',
      tag: 'subscribers',
      summary: 'Xuất toàn bộ danh sách ra CSV (cùng định dạng với tệp nhập)',
      role: 'officer',
      produces: 'text/csv',
      async handler({ res }) {
        await streamCsv(res, 'nguoi-nhan-tin.csv', directory.exportCsv());
        return undefined;
      },
    }),
    route<{ id: string }>({
      method: 'post',
      path: '/subscribers/:id/opt-out',
      tag: 'subscribers',
      summary: 'Ghi nhận người này không nhận tin nữa (theo yêu cầu của họ)',
      role: 'officer',
      params: z.object({ id: z.string().regex(/^[a-z-]+:.+$/, 'mã dạng "kênh:id"') }),
      response: subscriberSchema,
      audit: { action: 'subscriber.opt_out' },
      async handler({ params, principal }) {
        const { channel, userId } = parseSubscriberId(params.id);
        if (!(await s.subscribers.get(channel, userId)))
          throw new HttpError(404, 'not_found', 'Không tìm thấy người nhận tin này');
        await s.subscribers.setConsent(channel, userId, 'opted_out', `admin:${principal.user.username}`);
        return (await s.subscribers.get(channel, userId))!;
      },
    }),
    route<Record<string, never>, Record<string, never>, Segment>({
      method: 'post',
      path: '/segments/preview',
      tag: 'campaigns',
      summary: 'Đếm số người đã đồng ý nhận tin thuộc một nhóm (trước khi gửi)',
      role: 'viewer',
      body: segmentSchema,
      response: z.object({ count: z.number() }),
      // Reads only.
      audit: false,
      async handler({ body }) {
        return { count: await s.broadcast.service.preview(body) };
      },
    }),
  ];
}
