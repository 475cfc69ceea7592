import { z } from 'zod';
import type { Campaign } from '../../broadcast/campaigns.js';
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

/**
 * Sums the last 200 campaigns' results by khu công nghiệp (who was reached where), straight from each run's
 * breakdown counters rather than building whole campaign reports.
 */
async function campaignReach(
  s: AdminServices,
  campaigns: Campaign[],
  since: Date,
): Promise<z.infer<typeof dashboardSchema>['campaignReach']> {
  const reach = new Map<string, { sent: number; targeted: number }>();
  const recent = campaigns.slice(0, 200).filter((c) => new Date(c.updatedAt) >= since);
  for (const runId of recent.flatMap((c) => c.runs)) {
    for (const [key, count] of Object.entries(await s.broadcast.runs.breakdown(runId))) {
      const [attribute, value, status] = key.split('\t');
      if (attribute !== 'khu_cong_nghiep') continue;
      const kcn = value || '(chưa rõ)';
      const entry = reach.get(kcn) ?? { sent: 0, targeted: 0 };
      if (status === 'sent') entry.sent += count;
      entry.targeted += count;
      reach.set(kcn, entry);
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
        const campaigns = await s.broadcast.campaigns.list(1000);
        const [figures, reach, subscribers, optedIn, open, assigned, newTickets, working] = await Promise.all(
          [
            s.stats.figures(now, query.days),
            campaignReach(s, campaigns, since),
            directory.count(),
            directory.countOptedIn(),
            s.inbox.list('open', 500),
            s.inbox.list('assigned', 500),
            s.tickets.count('new'),
            s.tickets.count('in_progress'),
          ],
        );
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
