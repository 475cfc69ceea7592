import type { BotAdapter } from 'botbuilder';
import type { Router } from 'express';
import type { SubscriberStore } from '../broadcast/subscribers.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { RedisFactory } from '../platform/redis.js';
import type { TurnLogic } from './adapter.js';
import type { ReceiptSink } from './receipts.js';
import type { ChannelSender } from './send.js';

/** What the application gives every channel. */
export interface ChannelContext {
  config: Config;
  logger: Logger;
  redis: RedisFactory;
  metrics: Metrics;
  subscribers: SubscriberStore;
  /** The one bot handler. */
  logic: TurnLogic;
  /** Puts the shared turn pipeline (dedupe, ordering, rate limit, transcript) on an adapter. */
  withTurnPipeline<A extends BotAdapter>(adapter: A): A;
  /** Where delivery and read receipts go (delivery reports). */
  receipts: ReceiptSink;
}

/** A channel as the application runs it: its HTTP routes, its sender for broadcasts, its lifecycle. */
export interface ChannelModule {
  name: string;
  router?: Router;
  sender?: ChannelSender;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
