import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Activity } from 'botbuilder';
import type { Redis } from 'ioredis';
import { ChannelSendError, type ChannelSender } from '../channels/send.js';
import type { Logger } from '../platform/logger.js';
import type { RateGate } from '../platform/rate-gate.js';
import { ChannelGates } from './channel-gates.js';
import type { RedisFactory } from '../platform/redis.js';
import type { Campaign, CampaignStore } from './campaigns.js';
import { campaignActivities } from './content.js';
import type { DeliveryRecord, FinalStatus, RunStore } from './runs.js';
import type { SegmentIndex } from './segments.js';
import { parseSubscriberId, type Subscriber, type SubscriberStore } from './subscribers.js';
import { windowDecision } from './windows.js';

/**
 * The BullMQ side of broadcasting:
 * - the `campaigns` queue runs `start` jobs (now, delayed to a local time, or from a cron job scheduler),
 *   which open a run, and `expand` jobs, which page through the run's audience and add one delivery job
 *   per subscriber in bulk — with the job id `<run>/<subscriber>`, so an expansion retried after a crash
 *   adds nothing twice;
 * - one `deliver-<channel>` queue per channel, whose workers are rate-limited to the platform's limit and
 *   send each delivery after checking consent, reachability and the messaging window at that moment.
 */

export const CONTROL_QUEUE = 'campaigns';

/**
 * The delivery's job id: the same for the same run and subscriber, so adding it twice adds one job.
 * BullMQ keeps ":" for its own ids, so the subscriber id's colons are escaped.
 */
export function deliveryJobId(runId: string, subscriberId: string): string {
  return `${runId}/${subscriberId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}
export const deliveryQueueName = (channel: string) => `deliver-${channel}`;

export interface StartJob {
  campaignId: string;
}

export interface ExpandJob {
  campaignId: string;
  runId: string;
  /** SSCAN cursor of the audience reached so far (a retried expansion resumes there). */
  cursor?: string;
  queued?: number;
}

export interface DeliveryJob {
  campaignId: string;
  runId: string;
  subscriberId: string;
  /** Platform requests an earlier attempt sent (a message in two parts that failed after the first). */
  sentRequests?: number;
  firstMessageId?: string;
}

/** A test send to an officer, run by whichever process holds the channel's sender. */
export interface TestSendJob {
  campaignId: string;
  userId: string;
}

import type { ChannelRate } from './channel-gates.js';
export type { ChannelRate };

export interface PipelineOptions {
  /** BullMQ key prefix (inside the application's keyspace). */
  prefix: string;
  /** Sends at most `max` per `durationMs` on each channel (the platform's limit, with a margin). */
  rates: Record<string, ChannelRate>;
  concurrency: number;
  /** How long a worker holds a job before it counts as stalled (a crashed worker's jobs come back after it). */
  lockMs: number;
  attempts: number;
  backoffMs: number;
  pauseRecheckMs: number;
}

export interface PipelineDeps {
  redis: RedisFactory;
  logger: Logger;
  campaigns: CampaignStore;
  runs: RunStore;
  segments: SegmentIndex;
  subscribers: SubscriberStore;
  senders: Map<string, ChannelSender>;
  now: () => Date;
}

const EXPAND_PAGE = 1000;
/** How far before the "sending" mark a recovered delivery's message is looked for (clock skew, seconds-only times). */
const RECOVERY_SLACK_MS = 5000;

/** Another attempt took this delivery over (this one was thought stalled): it must not send. */
class ClaimLost extends Error {}

/** The queues, for anything that schedules or inspects campaigns (web, CLI, workers). */
export class BroadcastQueues {
  readonly control: Queue;
  private readonly delivery = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();
  private readonly connection: Redis;

  constructor(
    private readonly redis: RedisFactory,
    private readonly options: Pick<PipelineOptions, 'prefix' | 'attempts' | 'backoffMs'>,
  ) {
    this.connection = redis.create('bullmq-producer', { maxRetriesPerRequest: null });
    this.control = new Queue(CONTROL_QUEUE, { connection: this.connection, prefix: options.prefix });
  }

  deliveryQueue(channel: string): Queue {
    let q = this.delivery.get(channel);
    if (!q) {
      q = new Queue(deliveryQueueName(channel), {
        connection: this.connection,
        prefix: this.options.prefix,
        defaultJobOptions: {
          attempts: this.options.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      });
      this.delivery.set(channel, q);
    }
    return q;
  }

  /** Adds a job to a delivery queue and waits for its result (test sends run by a worker). */
  async run<T>(channel: string, name: string, data: unknown, timeoutMs: number): Promise<T> {
    let events = this.events.get(channel);
    if (!events) {
      events = new QueueEvents(deliveryQueueName(channel), {
        connection: this.redis.create(`bullmq-events-${channel}`, { maxRetriesPerRequest: null }),
        prefix: this.options.prefix,
      });
      this.events.set(channel, events);
    }
    // Listening before the job exists, so a fast worker's "completed" is not missed.
    await events.waitUntilReady();
    const job = await this.deliveryQueue(channel).add(name, data, {
      attempts: 1,
      removeOnComplete: 100,
      removeOnFail: 100,
    });
    return (await job.waitUntilFinished(events, timeoutMs)) as T;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.control.close(),
      ...[...this.delivery.values()].map((q) => q.close()),
      ...[...this.events.values()].map((e) => e.close()),
    ]);
  }
}

/** Workers of the control queue and of the delivery queues this process serves. */
export class BroadcastWorkers {
  private readonly workers: Worker[] = [];
  private gateSet?: ChannelGates;
  private readonly campaignCache = new Map<
    string,
    { campaign: Campaign; at: number; rendered: Map<string, Partial<Activity>[]> }
  >();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly queues: BroadcastQueues,
    private readonly options: PipelineOptions,
  ) {}

  /** Starts the control worker and a delivery worker for each channel in `channels`. */
  start(channels: string[], options: { control: boolean } = { control: true }): void {
    const base = {
      prefix: this.options.prefix,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
    };
    if (options.control) {
      this.workers.push(
        new Worker(CONTROL_QUEUE, (job) => this.control(job), {
          ...base,
          connection: this.deps.redis.create('bullmq-control', { maxRetriesPerRequest: null }),
          concurrency: 2,
        }),
      );
    }
    for (const channel of channels) {
      const rate = this.options.rates[channel];
      const worker: Worker = new Worker(
        deliveryQueueName(channel),
        (job, token) =>
          job.name === 'test'
            ? this.testSend(channel, job as Job<TestSendJob>)
            : this.deliver(channel, job as Job<DeliveryJob>, token, worker),
        {
          ...base,
          connection: this.deps.redis.create(`bullmq-deliver-${channel}`, { maxRetriesPerRequest: null }),
          concurrency: this.options.concurrency,
          limiter: rate ? { max: rate.max, duration: rate.durationMs } : undefined,
          // A delivery whose worker died comes back after the lock expires; only one that keeps killing
          // its workers is given up.
          maxStalledCount: 5,
        },
      );
      this.workers.push(worker);
    }
    for (const w of this.workers)
      w.on('error', (err) => this.deps.logger.error({ err, queue: w.name }, 'broadcast worker error'));
    for (const w of this.workers.slice(options.control ? 1 : 0)) {
      w.on('failed', (job, err) => {
        if (job?.name === 'deliver' && job.finishedOn) void this.abandoned(job as Job<DeliveryJob>, err);
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }

  // ---- control queue -------------------------------------------------------------------------------

  private async control(job: Job): Promise<void> {
    if (job.name === 'start') await this.startRun(job as Job<StartJob>);
    else if (job.name === 'expand') await this.expand(job as Job<ExpandJob>);
  }

  /** Opens a run of a campaign: one per start job (a retried start job finds the run it opened). */
  private async startRun(job: Job<StartJob>): Promise<void> {
    const { campaigns, runs, redis } = this.deps;
    const { campaignId } = job.data;
    const client = redis.client();
    const startKey = `${this.options.prefix}:start-run:${job.id}`;
    await client.set(startKey, `${campaignId}-${Date.now().toString(36)}`, 'EX', 30 * 24 * 3600, 'NX');
    const runId = (await client.get(startKey))!;
    let opened = false;
    const campaign = await campaigns.update(campaignId, (c) => {
      if (c.status === 'cancelled' || c.status === 'draft' || c.status === 'awaiting_approval') return;
      opened = true;
      if (!c.runs.includes(runId)) c.runs.push(runId);
      if (c.status !== 'paused') c.status = 'running';
    });
    if (!opened) {
      this.deps.logger.info({ campaignId, status: campaign.status }, 'campaign start skipped');
      return;
    }
    await runs.create(runId, campaignId);
    await this.queues.control.add('expand', { campaignId, runId } satisfies ExpandJob, {
      jobId: `expand-${runId}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
    });
  }

  /** Materialises the audience once per run, then queues one delivery per subscriber, page by page. */
  private async expand(job: Job<ExpandJob>): Promise<void> {
    const { campaigns, runs, segments, redis } = this.deps;
    const { campaignId, runId } = job.data;
    const campaign = await campaigns.require(campaignId);
    const client = redis.client();
    const audience = runs.audienceKey(runId);
    let size = Number(await client.hget(runs.key(runId), 'audienceSize'));
    if (!(await client.hexists(runs.key(runId), 'audienceSize'))) {
      size = await segments.materialise(campaign.segment, audience);
      await client.hset(runs.key(runId), 'audienceSize', size);
    }
    let cursor = job.data.cursor ?? '0';
    let queued = job.data.queued ?? 0;
    do {
      const [next, members] = await client.sscan(audience, cursor, 'COUNT', EXPAND_PAGE);
      const byChannel = new Map<string, DeliveryJob[]>();
      for (const subscriberId of members) {
        const { channel } = parseSubscriberId(subscriberId);
        if (!this.deps.senders.has(channel)) {
          // Channels without a way to push (the terminal, Bot Framework conversations) are counted, not queued.
          const subscriber = await this.deps.subscribers.getById(subscriberId);
          await runs.begin(runId, subscriberId);
          await runs.finish(
            runId,
            subscriberId,
            { status: 'skipped', reason: 'channel_cannot_broadcast' },
            subscriber?.attributes,
          );
          continue;
        }
        const list = byChannel.get(channel) ?? [];
        list.push({ campaignId, runId, subscriberId });
        byChannel.set(channel, list);
      }
      for (const [channel, jobs] of byChannel) {
        await this.queues.deliveryQueue(channel).addBulk(
          jobs.map((data) => ({
            name: 'deliver',
            data,
            opts: { jobId: deliveryJobId(runId, data.subscriberId) },
          })),
        );
        queued += jobs.length;
      }
      cursor = next;
      await job.updateData({ ...job.data, cursor, queued });
      await job.updateProgress(size ? Math.round((Math.min(queued, size) / size) * 100) : 100);
    } while (cursor !== '0');
    if (await runs.expanded(runId, size)) await this.runCompleted(runId, campaignId);
  }

  // ---- delivery queues -----------------------------------------------------------------------------

  private async campaign(
    id: string,
  ): Promise<{ campaign: Campaign; rendered: Map<string, Partial<Activity>[]> }> {
    const cached = this.campaignCache.get(id);
    // A short cache: pause, resume and cancel take effect within two seconds.
    if (cached && Date.now() - cached.at < 2000) return cached;
    const campaign = await this.deps.campaigns.require(id);
    const entry = {
      campaign,
      at: Date.now(),
      rendered: cached?.campaign.updatedAt === campaign.updatedAt ? cached.rendered : new Map(),
    };
    this.campaignCache.set(id, entry);
    return entry;
  }

  private async testSend(channel: string, job: Job<TestSendJob>): Promise<string[]> {
    const campaign = await this.deps.campaigns.require(job.data.campaignId);
    const sender = this.deps.senders.get(channel)!;
    const { messageIds } = await sender.send(
      { userId: job.data.userId },
      campaignActivities(campaign, channel),
      { type: 'update' },
      {
        beforeRequest: () => this.gate(channel)?.wait() ?? Promise.resolve(),
      },
    );
    return messageIds;
  }

  /**
   * A worker died while its request was on the way: the platform may or may not have the message. Sending
   * again blindly could send it twice, so the platform is asked first (where it can tell): there → sent;
   * not there → this attempt sends it; no answer → recorded as unknown, never sent twice.
   */
  private async recover(
    channel: string,
    { runId, campaignId, subscriberId }: DeliveryJob,
    left: DeliveryRecord,
    attempt: string,
    rendered: Map<string, Partial<Activity>[]>,
    campaign: Campaign,
  ): Promise<'done' | 'send'> {
    const sender = this.deps.senders.get(channel)!;
    const { userId } = parseSubscriberId(subscriberId);
    const activities = this.activitiesFor(channel, campaign, rendered);
    const probe = {
      text: activities[0]?.text ?? '',
      since: new Date(Date.parse(left.at) - RECOVERY_SLACK_MS),
      deliveryKey: deliveryJobId(runId, subscriberId),
    };
    const check = sender.wasSent
      ? await sender.wasSent({ userId }, probe).catch(() => 'cannot_tell' as const)
      : 'cannot_tell';
    if (
      check === 'not_sent' &&
      left.token &&
      (await this.deps.runs.reclaim(runId, subscriberId, left.token, attempt))
    )
      return 'send';
    if (check === 'sent') {
      await this.finish(runId, subscriberId, campaignId, {
        status: 'sent',
        reason: 'confirmed_after_restart',
      });
    } else if (check === 'cannot_tell') {
      await this.finish(runId, subscriberId, campaignId, {
        status: 'unknown',
        reason: 'worker_stopped_during_send',
      });
    }
    return 'done';
  }

  private activitiesFor(
    channel: string,
    campaign: Campaign,
    rendered: Map<string, Partial<Activity>[]>,
  ): Partial<Activity>[] {
    let activities = rendered.get(channel);
    if (!activities) rendered.set(channel, (activities = campaignActivities(campaign, channel)));
    return activities;
  }

  private gate(channel: string): RateGate | undefined {
    this.gateSet ??= new ChannelGates(this.deps.redis.client(), this.options.prefix, this.options.rates);
    return this.gateSet.for(channel);
  }

  private async deliver(
    channel: string,
    job: Job<DeliveryJob>,
    token: string | undefined,
    worker: Worker,
  ): Promise<void> {
    const { runs, subscribers } = this.deps;
    const { runId, campaignId, subscriberId } = job.data;
    const { campaign, rendered } = await this.campaign(campaignId);

    if (campaign.status === 'paused') {
      await job.moveToDelayed(Date.now() + this.options.pauseRecheckMs, token);
      throw new DelayedError();
    }
    const attempt = randomUUID();
    const claim = await runs.begin(runId, subscriberId, attempt);
    if (claim !== 'go') {
      if (claim.status !== 'sending') return;
      if ((await this.recover(channel, job.data, claim, attempt, rendered, campaign)) === 'done') return;
    }
    const subscriber = await subscribers.getById(subscriberId);
    const done = (status: 'skipped' | 'failed', reason: string) =>
      this.finish(runId, subscriberId, campaignId, { status, reason }, subscriber?.attributes);
    if (campaign.status === 'cancelled') return done('skipped', 'cancelled');
    if (!subscriber || subscriber.consent?.status !== 'opted_in') return done('skipped', 'opted_out');
    if (!subscriber.reachable) return done('skipped', 'unreachable');
    const window = windowDecision(channel, subscriber.lastInteractionAt, this.deps.now(), {
      messengerTag: campaign.messengerTag,
    });
    if (!window.send) return done('skipped', window.reason);

    const activities = this.activitiesFor(channel, campaign, rendered);
    const { userId } = parseSubscriberId(subscriberId);
    const progress = { sentRequests: job.data.sentRequests ?? 0, firstMessageId: job.data.firstMessageId };
    const gate = this.gate(channel);
    let marked = false;
    let failure: unknown;
    try {
      await this.deps.senders.get(channel)!.send({ userId }, activities, window.purpose, {
        singleAttempt: true,
        skipRequests: progress.sentRequests,
        deliveryKey: deliveryJobId(runId, subscriberId),
        beforeRequest: async () => {
          await gate?.wait();
          if (marked) return;
          // Marked as late as possible, so that a crash before this point leaves a delivery another
          // worker may safely take over.
          if (!(await runs.markSending(runId, subscriberId, attempt))) throw new ClaimLost();
          marked = true;
        },
        afterRequest: async (messageId) => {
          progress.sentRequests += 1;
          progress.firstMessageId ??= messageId;
        },
      });
    } catch (err) {
      failure = err;
    }
    // Outside the try: if recording the result fails, the retry finds "sending" and does not send again.
    if (failure === undefined) {
      await this.finish(
        runId,
        subscriberId,
        campaignId,
        { status: 'sent', messageId: progress.firstMessageId ?? '' },
        subscriber.attributes,
      );
      return;
    }
    if (failure instanceof ClaimLost) return;
    // A message in several parts that failed after its first part: a retry sends only the rest.
    if (progress.sentRequests > (job.data.sentRequests ?? 0))
      await job.updateData({ ...job.data, ...progress });
    await this.sendFailed(failure, { channel, job, worker, subscriber });
  }

  /** What a failed send leads to: a retry later, a slower channel, or a recorded failure or skip. */
  private async sendFailed(
    err: unknown,
    {
      channel,
      job,
      worker,
      subscriber,
    }: { channel: string; job: Job<DeliveryJob>; worker: Worker; subscriber: Subscriber },
  ): Promise<void> {
    const { runs, subscribers, logger } = this.deps;
    const { runId, campaignId, subscriberId } = job.data;
    const record = (status: FinalStatus, reason: string) =>
      this.finish(runId, subscriberId, campaignId, { status, reason }, subscriber.attributes);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!(err instanceof ChannelSendError)) {
      await runs.release(runId, subscriberId);
      if (lastAttempt) return record('failed', 'error');
      throw err;
    }
    if (err.kind === 'rate_limited') {
      // The platform asked us to slow down: the whole channel waits, and this delivery is not failed.
      await runs.release(runId, subscriberId);
      await worker.rateLimit(err.details.retryAfterMs ?? 1000);
      throw Worker.RateLimitError();
    }
    // The platform did not answer in time: it may have the message. At most once, so not again.
    if (err.details.maybeDelivered) return record('unknown', 'platform_timeout');
    if (err.kind === 'transient') {
      await runs.release(runId, subscriberId);
      if (lastAttempt) return record('failed', 'transient');
      throw err;
    }
    if (err.kind === 'unreachable') {
      await subscribers.markUnreachable(channel, subscriber.userId, err.message);
      return record('failed', 'unreachable');
    }
    if (err.kind === 'outside_window') return record('skipped', 'outside_window');
    logger.error({ err, channel, campaignId }, 'campaign delivery refused by the platform');
    return record('failed', err.kind);
  }

  /**
   * BullMQ gave up on a delivery outside our handling (it stalled too often, or failed unexpectedly on its
   * last attempt): record it, so that the run still completes and the report says what happened.
   */
  private async abandoned(job: Job<DeliveryJob>, err: Error): Promise<void> {
    const { runId, subscriberId, campaignId } = job.data;
    try {
      const record = await this.deps.runs.delivery(runId, subscriberId);
      const status = record?.status === 'sending' ? 'unknown' : 'failed';
      await this.finish(runId, subscriberId, campaignId, { status, reason: 'worker_error' });
      this.deps.logger.error({ err, runId, subscriberId }, 'delivery abandoned');
    } catch (e) {
      this.deps.logger.error({ err: e, runId, subscriberId }, 'could not record an abandoned delivery');
    }
  }

  private async finish(
    runId: string,
    subscriberId: string,
    campaignId: string,
    outcome: Parameters<RunStore['finish']>[2],
    attributes?: Parameters<RunStore['finish']>[3],
  ): Promise<void> {
    if (await this.deps.runs.finish(runId, subscriberId, outcome, attributes))
      await this.runCompleted(runId, campaignId);
  }

  /** The last delivery of a run is recorded: a one-off campaign is completed, a recurring one waits for its next run. */
  private async runCompleted(runId: string, campaignId: string): Promise<void> {
    await this.deps.redis.client().del(this.deps.runs.audienceKey(runId));
    await this.deps.campaigns.update(campaignId, (c) => {
      if (c.status === 'running') c.status = c.schedule.type === 'cron' ? 'scheduled' : 'completed';
    });
    this.deps.logger.info({ campaignId, runId }, 'campaign run completed');
  }
}
