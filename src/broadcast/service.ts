import type { Redis } from 'ioredis';
import type { ChannelSender } from '../channels/send.js';
import type { Logger } from '../platform/logger.js';
import { zonedTimeToUtc } from '../platform/time.js';
import { CampaignError, type Campaign, type CampaignInput, type CampaignStore } from './campaigns.js';
import { campaignActivities } from './content.js';
import type { PollStore } from './polls.js';
import type { BroadcastQueues, StartJob, TestSendJob } from './pipeline.js';
import { BREAKDOWN_ATTRIBUTES, type RunState, type RunStore } from './runs.js';
import type { Segment, SegmentIndex } from './segments.js';
import { parseSubscriberId, type SubscriberStore } from './subscribers.js';

export interface RunReport extends RunState {
  /** Deliveries queued and not processed yet. */
  queued: number;
  /** Failed and skipped deliveries by reason: { "skipped": { "opted_out": 3 }, "failed": { … } }. */
  reasons: Record<string, Record<string, number>>;
  /** Results by khu công nghiệp and company: { khu_cong_nghiep: { "an_nghiep": { sent: 10, skipped: 2 } } }. */
  breakdown: Record<string, Record<string, Record<string, number>>>;
}

export interface CampaignReport {
  campaign: Campaign;
  runs: RunReport[];
  /** Poll answers per option id. */
  poll?: Record<string, number>;
}

export interface BroadcastServiceDeps {
  redis: Redis;
  campaigns: CampaignStore;
  runs: RunStore;
  segments: SegmentIndex;
  subscribers: SubscriberStore;
  polls: PollStore;
  queues: BroadcastQueues;
  senders: Map<string, ChannelSender>;
  timeZone: string;
  now: () => Date;
  logger: Logger;
}

/**
 * What officers do with campaigns (the CLI and the admin API call this): create, preview the audience,
 * submit (straight to the schedule, or to a second officer for approval), approve, pause, resume, cancel,
 * send a test to themselves, and read the report.
 */
export class BroadcastService {
  constructor(private readonly deps: BroadcastServiceDeps) {}

  create(input: CampaignInput, officer: string): Promise<Campaign> {
    return this.deps.campaigns.create(input, officer);
  }

  /** How many subscribers the segment reaches now (consenting ones only). */
  preview(segment: Segment): Promise<number> {
    return this.deps.segments.count(segment);
  }

  async submit(id: string, officer: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.require(id);
    if (campaign.requiresApproval) {
      return this.deps.campaigns.transition(id, 'awaiting_approval', (c) => (c.approvedBy = undefined));
    }
    this.deps.logger.info({ campaignId: id, officer }, 'campaign submitted');
    return this.schedule(campaign);
  }

  async approve(id: string, officer: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.require(id);
    if (campaign.status !== 'awaiting_approval') throw new CampaignError('chiến dịch không chờ duyệt');
    if (campaign.createdBy === officer) throw new CampaignError('người duyệt phải khác người tạo chiến dịch');
    await this.deps.campaigns.update(id, (c) => (c.approvedBy = officer));
    return this.schedule(campaign);
  }

  private async schedule(campaign: Campaign): Promise<Campaign> {
    const { queues, timeZone, now } = this.deps;
    const data: StartJob = { campaignId: campaign.id };
    const schedule = campaign.schedule;
    if (schedule.type === 'cron') {
      try {
        await queues.control.upsertJobScheduler(
          `cron-${campaign.id}`,
          { pattern: schedule.cron, tz: timeZone },
          { name: 'start', data, opts: CONTROL_JOB },
        );
      } catch (err) {
        throw new CampaignError(`lịch lặp "${schedule.cron}" không hợp lệ: ${(err as Error).message}`);
      }
      return this.deps.campaigns.transition(campaign.id, 'scheduled');
    }
    let delay = 0;
    if (schedule.type === 'at') {
      const at = zonedTimeToUtc(schedule.at, timeZone);
      delay = at.getTime() - now().getTime();
      if (delay < -60_000) throw new CampaignError(`thời điểm gửi ${schedule.at} đã qua`);
    }
    const updated = await this.deps.campaigns.transition(campaign.id, 'scheduled');
    await queues.control.add('start', data, {
      jobId: `start-${campaign.id}-${campaign.runs.length + 1}`,
      delay: Math.max(0, delay),
      ...CONTROL_JOB,
    });
    return updated;
  }

  async pause(id: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.transition(id, 'paused');
    if (campaign.schedule.type === 'cron') await this.deps.queues.control.removeJobScheduler(`cron-${id}`);
    return campaign;
  }

  async resume(id: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.require(id);
    const active = await this.activeRun(campaign);
    if (campaign.schedule.type === 'cron') {
      const { timeZone, queues } = this.deps;
      await queues.control.upsertJobScheduler(
        `cron-${id}`,
        { pattern: campaign.schedule.cron, tz: timeZone },
        { name: 'start', data: { campaignId: id }, opts: CONTROL_JOB },
      );
    }
    return this.deps.campaigns.transition(id, active ? 'running' : 'scheduled');
  }

  async cancel(id: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.transition(id, 'cancelled');
    await this.deps.queues.control.removeJobScheduler(`cron-${id}`).catch(() => undefined);
    for (const job of await this.deps.queues.control.getJobs(['delayed', 'waiting'])) {
      if ((job.data as StartJob).campaignId === id && job.name === 'start')
        await job.remove().catch(() => undefined);
    }
    for (const runId of campaign.runs) {
      const run = await this.deps.runs.get(runId);
      if (run && run.status !== 'completed') await this.deps.runs.cancel(runId);
    }
    return campaign;
  }

  private async activeRun(campaign: Campaign): Promise<RunState | undefined> {
    const last = campaign.runs.at(-1);
    const run = last ? await this.deps.runs.get(last) : undefined;
    return run && (run.status === 'expanding' || run.status === 'sending') ? run : undefined;
  }

  /** Sends the campaign to one person (the officer's own account) now, whatever its status and segment. */
  async testSend(id: string, to: { channel: string; userId: string }, timeoutMs = 30_000): Promise<string[]> {
    const campaign = await this.deps.campaigns.require(id);
    const sender = this.deps.senders.get(to.channel);
    if (sender) {
      const { messageIds } = await sender.send(
        { userId: to.userId },
        campaignActivities(campaign, to.channel),
        { type: 'update' },
      );
      return messageIds;
    }
    // This process cannot send on that channel (the CLI, a web-only process): a worker that can does it.
    if (!PUSH_CHANNELS.has(to.channel))
      throw new CampaignError(`kênh ${to.channel} không gửi tin chủ động được`);
    const data: TestSendJob = { campaignId: id, userId: to.userId };
    try {
      return await this.deps.queues.run<string[]>(to.channel, 'test', data, timeoutMs);
    } catch (err) {
      throw new CampaignError(`gửi thử không thành công: ${(err as Error).message}`);
    }
  }

  async report(id: string): Promise<CampaignReport> {
    const campaign = await this.deps.campaigns.require(id);
    const runs: RunReport[] = [];
    for (const runId of campaign.runs) {
      const run = await this.deps.runs.get(runId);
      if (!run) continue;
      const reasons: RunReport['reasons'] = {};
      for (const [key, count] of Object.entries(await this.deps.runs.reasons(runId))) {
        const [status = '', reason = ''] = key.split('\t');
        (reasons[status] ??= {})[reason] = count;
      }
      const breakdown: RunReport['breakdown'] = {};
      for (const [key, count] of Object.entries(await this.deps.runs.breakdown(runId))) {
        const [attribute = '', value = '', status = ''] = key.split('\t');
        ((breakdown[attribute] ??= {})[value || '(chưa rõ)'] ??= {})[status] = count;
      }
      runs.push({
        ...run,
        queued: run.expanded ? Math.max(0, run.targeted - run.processed) : run.targeted,
        reasons,
        breakdown,
      });
    }
    const poll = campaign.content.poll ? await this.deps.polls.counts(id) : undefined;
    return { campaign, runs, poll };
  }

  /** CSV of every delivery of a run, with the subscriber's khu công nghiệp and company. */
  async *exportCsv(runId: string): AsyncGenerator<string> {
    yield (
      [
        'subscriber_id',
        'channel',
        'user_id',
        'status',
        'reason',
        'message_id',
        'at',
        ...BREAKDOWN_ATTRIBUTES,
      ].join(',') + '\n'
    );
    let batch: [string, { status: string; reason?: string; messageId?: string; at: string }][] = [];
    const flush = async () => {
      const pipeline = this.deps.redis.pipeline();
      for (const [id] of batch)
        pipeline.hmget(
          `${this.deps.subscribers.keyPrefixOf()}sub:${id}`,
          ...BREAKDOWN_ATTRIBUTES.map((a) => `attr:${a}`),
        );
      const attrs = (await pipeline.exec()) ?? [];
      const lines = batch.map(([id, r], i) => {
        const { channel, userId } = parseSubscriberId(id);
        const values = ((attrs[i]?.[1] as (string | null)[] | undefined) ?? []).map((v) => v ?? '');
        return [id, channel, userId, r.status, r.reason ?? '', r.messageId ?? '', r.at, ...values]
          .map(csvField)
          .join(',');
      });
      batch = [];
      return lines.join('\n') + '\n';
    };
    for await (const entry of this.deps.runs.deliveries(runId)) {
      batch.push(entry);
      if (batch.length === 500) yield await flush();
    }
    if (batch.length) yield await flush();
  }
}

/** A start job that fails (Redis away for a moment) is tried again. */
const CONTROL_JOB = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 1000,
};

/** Channels a campaign can be pushed on (others are counted as skipped). */
const PUSH_CHANNELS = new Set(['web', 'messenger', 'zalo-oa', 'zalo-personal']);

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
