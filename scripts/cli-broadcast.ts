import { Broadcast } from '../src/broadcast/setup.js';
import { PollStore } from '../src/broadcast/polls.js';
import { SubscriberStore } from '../src/broadcast/subscribers.js';
import { MessengerClient } from '../src/channels/messenger/client.js';
import type { ChannelSender } from '../src/channels/send.js';
import { WebChatAdapter } from '../src/channels/web/adapter.js';
import { WebOutboxSender } from '../src/channels/web/sender.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { ensureRedisFor, type RedisEndpoint } from '../src/platform/embedded-redis.js';
import { createLogger, type Logger } from '../src/platform/logger.js';
import { RedisFactory, type Redis } from '../src/platform/redis.js';

/** The broadcast part of a process without the web side: the officers' tools, benchmarks, tests. */
export interface BroadcastProcess {
  config: Config;
  redis: RedisFactory;
  client: Redis;
  subscribers: SubscriberStore;
  broadcast: Broadcast;
  close(): Promise<void>;
}

/**
 * Builds the stores, queues and service on `redisUrl`. Senders are given by the caller: none for a
 * command-line tool (test sends then go to a worker through the queue), real clients for a worker.
 */
export function broadcastProcess(
  config: Config,
  options: {
    redisUrl?: string;
    logger?: Logger;
    senders?: (client: Redis, keyPrefix: string) => Map<string, ChannelSender>;
  } = {},
): BroadcastProcess {
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const keyPrefix = config.REDIS_KEY_PREFIX;
  const redis = new RedisFactory({ url: options.redisUrl ?? config.REDIS_URL, keyPrefix, logger });
  const client = redis.client();
  const now = () => new Date();
  const subscribers = new SubscriberStore(client, keyPrefix, now);
  const broadcast = new Broadcast({
    config,
    redis,
    logger,
    subscribers,
    polls: new PollStore(client, keyPrefix),
    senders: options.senders?.(client, keyPrefix) ?? new Map(),
    now,
  });
  return {
    config,
    redis,
    client,
    subscribers,
    broadcast,
    async close() {
      await broadcast.close();
      await redis.closeAll();
    },
  };
}

/** Senders for Messenger (at `apiUrl`) and web chat, as a worker holds them. */
export function messengerAndWebSenders(apiUrl: string, pageAccessToken: string) {
  return (client: Redis, keyPrefix: string) =>
    new Map<string, ChannelSender>([
      ['messenger', new MessengerClient({ apiUrl, pageAccessToken })],
      ['web', new WebOutboxSender(new WebChatAdapter(client, { keyPrefix }))],
    ]);
}

/** For the officers' command-line tools: the configured Redis (started if it is the embedded one). */
export async function openBroadcastCli(): Promise<BroadcastProcess> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn' });
  const endpoint: RedisEndpoint = await ensureRedisFor(config, logger);
  const process_ = broadcastProcess(config, { redisUrl: endpoint.url, logger });
  return {
    ...process_,
    async close() {
      await process_.close();
      await endpoint.stop();
    },
  };
}
