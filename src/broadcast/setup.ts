import type { ChannelSender } from '../channels/send.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { RedisFactory } from '../platform/redis.js';
import { CampaignStore } from './campaigns.js';
import { BroadcastQueues, BroadcastWorkers, type ChannelRate, type PipelineOptions } from './pipeline.js';
import type { PollStore } from './polls.js';
import { RunStore } from './runs.js';
import { SegmentIndex } from './segments.js';
import { BroadcastService } from './service.js';
import type { SubscriberStore } from './subscribers.js';

export interface BroadcastParts {
  config: Config;
  redis: RedisFactory;
  logger: Logger;
  subscribers: SubscriberStore;
  polls: PollStore;
  /** The senders this process holds, by channel (none in the CLI). */
  senders: Map<string, ChannelSender>;
  now: () => Date;
}

/** The per-channel send rates from the configuration. */
export function channelRates(config: Config): Record<string, ChannelRate> {
  return {
    messenger: config.BROADCAST_RATE_MESSENGER,
    'zalo-oa': config.BROADCAST_RATE_ZALO_OA,
    'zalo-personal': config.BROADCAST_RATE_ZALO_PERSONAL,
    web: config.BROADCAST_RATE_WEB,
  };
}

export function pipelineOptions(config: Config, keyPrefix: string): PipelineOptions {
  return {
    prefix: `${keyPrefix}bull`,
    rates: channelRates(config),
    concurrency: config.BROADCAST_CONCURRENCY,
    lockMs: config.BROADCAST_LOCK_MS,
    attempts: config.BROADCAST_ATTEMPTS,
    backoffMs: config.BROADCAST_BACKOFF_MS,
    pauseRecheckMs: config.BROADCAST_PAUSE_RECHECK_MS,
  };
}

/**
 * Broadcasting as one object: the stores, the queues and the service every process needs, and the
 * workers, which only processes in the worker role start.
 */
export class Broadcast {
  readonly campaigns: CampaignStore;
  readonly runs: RunStore;
  readonly segments: SegmentIndex;
  readonly queues: BroadcastQueues;
  readonly service: BroadcastService;
  private readonly workers: BroadcastWorkers[] = [];
  private readonly options: PipelineOptions;

  constructor(private readonly parts: BroadcastParts) {
    const { config, redis, logger, subscribers, polls, senders, now } = parts;
    const client = redis.client();
    this.options = pipelineOptions(config, redis.keyPrefix);
    this.campaigns = new CampaignStore(client, redis.keyPrefix, now);
    this.runs = new RunStore(client, redis.keyPrefix, now);
    this.segments = new SegmentIndex(client, subscribers);
    this.queues = new BroadcastQueues(redis, this.options);
    this.service = new BroadcastService({
      redis: client,
      campaigns: this.campaigns,
      runs: this.runs,
      segments: this.segments,
      subscribers,
      polls,
      queues: this.queues,
      senders,
      timeZone: config.APP_TIMEZONE,
      now,
      logger: logger.child({ part: 'broadcast' }),
    });
  }

  /**
   * Starts the control worker (expansion) and a delivery worker for each channel in `channels` that this
   * process has a sender for.
   */
  startWorkers(channels: string[], options: { control: boolean }): string[] {
    const { redis, logger, subscribers, senders, now } = this.parts;
    const served = channels.filter((c) => senders.has(c));
    const workers = new BroadcastWorkers(
      {
        redis,
        logger: logger.child({ part: 'broadcast' }),
        campaigns: this.campaigns,
        runs: this.runs,
        segments: this.segments,
        subscribers,
        senders,
        now,
      },
      this.queues,
      this.options,
    );
    workers.start(served, options);
    this.workers.push(workers);
    logger.info({ channels: served, control: options.control }, 'broadcast workers started');
    return served;
  }

  /** Stops taking jobs (jobs in progress finish first), then closes the queues. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.queues.close();
  }
}
