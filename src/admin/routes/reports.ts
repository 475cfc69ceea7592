import { z } from 'zod';
import type { SubscriberDirectory } from '../../broadcast/directory.js';
import { route, type RouteDef } from '../api/route.js';
import type { AdminServices } from '../services.js';

const dashboardSchema = z.object({
  days: z.number(),
  messagesPerDay: z.array(z.object({ day: z.string(), channel: z.string(), count: z.number() })),
  topics: z.array(z.object({ topic: z.string(), count: z.number() })),
  answers: z.object({ answered: z.number(), notSure: z.number() }),
  topQuestions: z.array(z.object({ question: z.string(), count: z.number() })),
  campaignReach: z.array(z.object({ khu_cong_nghiep: z.string(), sent: z.number(), targeted: z.number() })),
  totals: z.object({
    subscribers: z.number(),
    optedIn: z.number(),
    openHandoffs: z.number(),
    openTickets: z.number(),
    campaigns: z.number(),
  }),
});

/** Sums the last campaigns' results by khu công nghiệp: who was reached where. */
async function campaignReach(
  s: AdminServices,
  since: Date,
): Promise<z.infer<typeof dashboardSchema>['campaignReach']> {
  const reach = new Map<string, { sent: number; targeted: number }>();
  const campaigns = (await s.broadcast.campaigns.list(200)).filter((c) => new Date(c.updatedAt) >= since);
  for (const campaign of campaigns) {
    if (campaign.runs.length === 0) continue;
    const report = await s.broadcast.service.report(campaign.id);
    for (const run of report.runs) {
      for (const [kcn, counts] of Object.entries(run.breakdown.khu_cong_nghiep ?? {})) {
        const entry = reach.get(kcn) ?? { sent: 0, targeted: 0 };
        entry.sent += counts.sent ?? 0;
        entry.targeted += Object.values(counts).reduce((a, b) => a + b, 0);
        reach.set(kcn, entry);
      }
    }
  }
  return [...reach]
    .map(([khu_cong_nghiep, v]) => ({ khu_cong_nghiep, ...v }))
    .sort((a, b) => b.sent - a.sent);
}

export function reportRoutes(s: AdminServices, directory: SubscriberDirectory): RouteDef[] {
  return [
    route<Record<string, never>, { days: number }>({
      method: 'get',
      path: '/reports/dashboard',
      tag: 'reports',
      summary:
        'Số liệu bảng tin: tin nhắn theo ngày và kênh, theo chủ đề, tỉ lệ trả lời được, câu hỏi nhiều nhất, độ phủ chiến dịch theo khu công nghiệp',
      role: 'viewer',
      query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      response: dashboardSchema,
      async handler({ query }) {
        const now = s.now();
        const since = new Date(now.getTime() - query.days * 86_400_000);
        const [figures, reach, subscribers, optedIn, open, assigned, newTickets, working, campaigns] =
          await Promise.all([
            s.stats.figures(now, query.days),
            campaignReach(s, since),
            directory.count(),
            directory.countOptedIn(),
            s.inbox.list('open', 500),
            s.inbox.list('assigned', 500),
            s.tickets.count('new'),
            s.tickets.count('in_progress'),
            s.broadcast.campaigns.list(1000),
          ]);
        return {
          days: query.days,
          ...figures,
          campaignReach: reach,
          totals: {
            subscribers,
            optedIn,
            openHandoffs: open.length + assigned.length,
            openTickets: newTickets + working,
            campaigns: campaigns.length,
          },
        };
      },
    }),
  ];
}
