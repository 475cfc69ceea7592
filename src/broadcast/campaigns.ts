import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RedisLock } from '../platform/redis-lock.js';
import { segmentSchema } from './segments.js';

/** What an officer sends: text, options, a link, a picture, or a poll whose answers are counted. */
export const contentSchema = z
  .object({
    text: z.string().trim().min(1, 'nội dung không được để trống').max(4000),
    quickReplies: z
      .array(
        z
          .object({ title: z.string().trim().min(1).max(80), payload: z.string().regex(/^[A-Z][A-Z0-9_]*$/) })
          .strict(),
      )
      .max(10)
      .optional(),
    link: z
      .object({ title: z.string().trim().min(1).max(80), url: z.url() })
      .strict()
      .optional(),
    imageUrl: z.url().optional(),
    poll: z
      .object({
        options: z
          .array(
            z
              .object({ id: z.string().regex(/^[a-z0-9_]+$/), title: z.string().trim().min(1).max(80) })
              .strict(),
          )
          .min(2)
          .max(10),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CampaignContent = z.infer<typeof contentSchema>;

export const scheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('now') }).strict(),
  /** A local date-time in the app's time zone (Asia/Ho_Chi_Minh): "2026-12-01T08:00". */
  z
    .object({ type: z.literal('at'), at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/) })
    .strict(),
  /** A cron pattern in the app's time zone: "0 8 * * 1" = Mondays at 8:00. */
  z.object({ type: z.literal('cron'), cron: z.string().trim().min(9) }).strict(),
]);

export type CampaignSchedule = z.infer<typeof scheduleSchema>;

export const campaignInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    content: contentSchema,
    /** Replaces parts of the content on one channel (a shorter text for Zalo, say). */
    perChannel: z.record(z.string(), contentSchema.partial()).optional(),
    segment: segmentSchema,
    schedule: scheduleSchema.default({ type: 'now' }),
    /** A second officer must approve before it runs. */
    requiresApproval: z.boolean().default(false),
    /** Messenger message tag that allows sending after the 24-hour window (e.g. CONFIRMED_EVENT_UPDATE). */
    messengerTag: z.enum(['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE']).optional(),
  })
  .strict();

export type CampaignInput = z.input<typeof campaignInputSchema>;

export type CampaignStatus =
  'draft' | 'awaiting_approval' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface Campaign extends z.infer<typeof campaignInputSchema> {
  id: string;
  status: CampaignStatus;
  createdBy: string;
  approvedBy?: string;
  createdAt: string;
  updatedAt: string;
  /** Runs so far (a one-off campaign has one; a recurring one, one per occurrence). */
  runs: string[];
}

export class CampaignError extends Error {
  override name = 'CampaignError';
}

/** Which status may follow which (anything else is refused with a clear message). */
const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ['awaiting_approval', 'scheduled', 'cancelled'],
  awaiting_approval: ['scheduled', 'draft', 'cancelled'],
  scheduled: ['running', 'paused', 'cancelled', 'draft'],
  running: ['paused', 'completed', 'cancelled', 'scheduled'],
  paused: ['running', 'scheduled', 'cancelled'],
  completed: ['scheduled'],
  cancelled: [],
};

export class CampaignStore {
  private readonly lock: RedisLock;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lock = new RedisLock(redis, { ttlMs: 10_000, waitMs: 10_000 });
  }

  private key(id: string): string {
    return `${this.keyPrefix}campaign:${id}`;
  }

  private get listKey(): string {
    return `${this.keyPrefix}campaigns`;
  }

  async create(input: CampaignInput, createdBy: string): Promise<Campaign> {
    const result = campaignInputSchema.safeParse(input);
    if (!result.success)
      throw new CampaignError(`chiến dịch không hợp lệ:\n${z.prettifyError(result.error)}`);
    const parsed = result.data;
    const at = this.now().toISOString();
    const campaign: Campaign = {
      ...parsed,
      id: `c${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      status: 'draft',
      createdBy,
      createdAt: at,
      updatedAt: at,
      runs: [],
    };
    await this.redis
      .multi()
      .set(this.key(campaign.id), JSON.stringify(campaign))
      .zadd(this.listKey, Date.parse(at), campaign.id)
      .exec();
    return campaign;
  }

  async get(id: string): Promise<Campaign | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Campaign) : undefined;
  }

  async require(id: string): Promise<Campaign> {
    const campaign = await this.get(id);
    if (!campaign) throw new CampaignError(`không có chiến dịch ${id}`);
    return campaign;
  }

  async list(limit = 100): Promise<Campaign[]> {
    const ids = await this.redis.zrevrange(this.listKey, 0, limit - 1);
    return (await Promise.all(ids.map((id) => this.get(id)))).filter((c): c is Campaign => c !== undefined);
  }

  /** Saves changes made by `change` under a per-campaign lock, so two officers' edits cannot overwrite each other. */
  async update(id: string, change: (c: Campaign) => void): Promise<Campaign> {
    return this.lock.withLock(`${this.keyPrefix}lock:campaign:${id}`, async () => {
      const campaign = await this.require(id);
      change(campaign);
      campaign.updatedAt = this.now().toISOString();
      await this.redis.set(this.key(id), JSON.stringify(campaign));
      return campaign;
    });
  }

  async transition(id: string, to: CampaignStatus, change?: (c: Campaign) => void): Promise<Campaign> {
    return this.update(id, (c) => {
      if (!TRANSITIONS[c.status].includes(to)) {
        throw new CampaignError(`không thể chuyển chiến dịch từ "${c.status}" sang "${to}"`);
      }
      c.status = to;
      change?.(c);
    });
  }
}
