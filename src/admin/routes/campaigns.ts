import { z } from 'zod';
import { campaignInputSchema, type CampaignInput } from '../../broadcast/campaigns.js';
import { HttpError } from '../api/errors.js';
import { route, type RouteDef } from '../api/route.js';
import { EventStream } from '../api/sse.js';
import type { AdminServices } from '../services.js';
import { streamCsv } from './subscribers.js';

const campaignSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['draft', 'awaiting_approval', 'scheduled', 'running', 'paused', 'completed', 'cancelled']),
  createdBy: z.string(),
  approvedBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  runs: z.array(z.string()),
  content: z.looseObject({ text: z.string() }),
  segment: z.looseObject({
    where: z.array(z.looseObject({ field: z.string(), values: z.array(z.string()) })),
  }),
  schedule: z.looseObject({ type: z.enum(['now', 'at', 'cron']) }),
  requiresApproval: z.boolean(),
});

const runSchema = z.looseObject({
  runId: z.string(),
  status: z.enum(['expanding', 'sending', 'completed', 'cancelled']),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  targeted: z.number(),
  expanded: z.boolean(),
  processed: z.number(),
  queued: z.number(),
  sent: z.number(),
  failed: z.number(),
  skipped: z.number(),
  unknown: z.number(),
  delivered: z.number(),
  read: z.number(),
  reasons: z.record(z.string(), z.record(z.string(), z.number())),
  breakdown: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number()))),
});

export const reportSchema = z.object({
  campaign: campaignSchema,
  runs: z.array(runSchema),
  poll: z.record(z.string(), z.number()).optional(),
});

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'mã chiến dịch không hợp lệ') });

type Operation = 'submit' | 'approve' | 'pause' | 'resume' | 'cancel';
const OPERATIONS: Record<Operation, string> = {
  submit: 'Gửi chiến dịch đi: vào lịch ngay, hoặc chờ cán bộ thứ hai duyệt nếu cần duyệt',
  approve: 'Duyệt chiến dịch (phải là cán bộ khác người tạo)',
  pause: 'Tạm dừng (các tin đang xếp hàng chờ đến khi tiếp tục)',
  resume: 'Tiếp tục chiến dịch đã tạm dừng',
  cancel: 'Hủy chiến dịch (tin chưa gửi sẽ không gửi nữa)',
};

export function campaignRoutes(s: AdminServices): RouteDef[] {
  const service = s.broadcast.service;
  const operations = (Object.keys(OPERATIONS) as Operation[]).map((op) =>
    route<{ id: string }>({
      method: 'post',
      path: `/campaigns/:id/${op}`,
      tag: 'campaigns',
      summary: OPERATIONS[op],
      role: 'officer',
      params: idParams,
      response: campaignSchema,
      audit: { action: `campaign.${op}` },
      async handler({ params, principal }) {
        const officer = principal.user.username;
        switch (op) {
          case 'submit':
            return service.submit(params.id, officer);
          case 'approve':
            return service.approve(params.id, officer);
          case 'pause':
            return service.pause(params.id);
          case 'resume':
            return service.resume(params.id);
          case 'cancel':
            return service.cancel(params.id);
        }
      },
    }),
  );
  return [
    route({
      method: 'get',
      path: '/campaigns',
      tag: 'campaigns',
      summary: 'Danh sách chiến dịch, mới nhất trước',
      role: 'viewer',
      response: z.object({ items: z.array(campaignSchema) }),
      async handler() {
        return { items: await s.broadcast.campaigns.list() };
      },
    }),
    route<Record<string, never>, Record<string, never>, CampaignInput>({
      method: 'post',
      path: '/campaigns',
      tag: 'campaigns',
      summary: 'Tạo chiến dịch (bản nháp): nội dung theo kênh, nhóm người nhận, lịch gửi',
      role: 'officer',
      status: 201,
      body: campaignInputSchema as unknown as z.ZodType<CampaignInput>,
      response: campaignSchema,
      audit: { action: 'campaign.create', target: (_c, r) => (r as { id: string }).id },
      async handler({ body, principal, note }) {
        const campaign = await service.create(body, principal.user.username);
        note({ name: campaign.name, schedule: campaign.schedule.type });
        return campaign;
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/campaigns/:id',
      tag: 'campaigns',
      summary:
        'Chiến dịch và báo cáo: số người nhắm tới, đã gửi, lỗi, bỏ qua, đã đọc, kết quả bình chọn, theo khu công nghiệp và công ty',
      role: 'viewer',
      params: idParams,
      response: reportSchema,
      handler: ({ params }) => service.report(params.id),
    }),
    ...operations,
    route<{ id: string }, Record<string, never>, { channel: string; userId: string }>({
      method: 'post',
      path: '/campaigns/:id/test',
      tag: 'campaigns',
      summary: 'Gửi thử chiến dịch tới một tài khoản (của cán bộ) ngay bây giờ',
      role: 'officer',
      params: idParams,
      body: z.object({ channel: z.string().min(1).max(40), userId: z.string().min(1).max(200) }).strict(),
      response: z.object({ messageIds: z.array(z.string()) }),
      audit: { action: 'campaign.test' },
      async handler({ params, body, note }) {
        note({ to: `${body.channel}:${body.userId}` });
        return { messageIds: await service.testSend(params.id, body) };
      },
    }),
    route<{ id: string }, { run?: string }>({
      method: 'get',
      path: '/campaigns/:id/export.csv',
      tag: 'campaigns',
      summary: 'Xuất kết quả gửi từng người của một lần chạy ra CSV (mặc định lần chạy cuối)',
      role: 'officer',
      params: idParams,
      query: z.object({ run: z.string().max(100).optional() }),
      produces: 'text/csv',
      async handler({ params, query, res }) {
        const campaign = await s.broadcast.campaigns.require(params.id);
        const run = query.run ?? campaign.runs.at(-1);
        if (!run || !campaign.runs.includes(run))
          throw new HttpError(404, 'not_found', 'Chiến dịch chưa có lần chạy này');
        await streamCsv(res, `chien-dich-${campaign.id}-${run}.csv`, service.exportCsv(run));
        return undefined;
      },
    }),
    route<{ id: string }>({
      method: 'get',
      path: '/campaigns/:id/events',
      tag: 'campaigns',
      summary:
        'Tiến độ trực tiếp (server-sent events: sự kiện "report" mỗi giây, "end" khi xong hoặc bị hủy)',
      role: 'viewer',
      params: idParams,
      produces: 'text/event-stream',
      async handler({ params, req, res }) {
        await s.broadcast.campaigns.require(params.id);
        const stream = new EventStream(req, res);
        s.streams.add(stream);
        stream.onClose(() => s.streams.delete(stream));
        let last = '';
        const tick = async () => {
          if (stream.isClosed) return;
          try {
            const report = await service.report(params.id);
            const json = JSON.stringify(report);
            if (json !== last) stream.send('report', report);
            last = json;
            const run = report.runs.at(-1);
            const finished =
              report.campaign.status === 'cancelled' ||
              (report.campaign.status === 'completed' && (!run || run.status === 'completed'));
            if (finished) {
              stream.send('end', { status: report.campaign.status });
              stream.close();
              return;
            }
          } catch (err) {
            s.logger.warn({ err }, 'campaign event stream failed');
          }
          setTimeout(() => void tick(), 1000).unref();
        };
        await tick();
        return undefined;
      },
    }),
  ];
}
