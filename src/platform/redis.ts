import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';

export type { Redis };

export interface RedisFactoryOptions {
  url: string;
  /** Prefix of every key this application writes; BullMQ gets it as its own `prefix`. */
  keyPrefix: string;
  logger?: Logger;
}

/**
 * The one place that opens Redis connections. Every part of the app asks it for a connection by purpose
 * so that connection options stay identical and shutdown can close them all.
 */
export class RedisFactory {
  private readonly open = new Set<Redis>();
  private shared?: Redis;

  constructor(readonly options: RedisFactoryOptions) {}

  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  /** Builds a key in this application's keyspace: key('session', 'web', 'u1') → "ua:session:web:u1". */
  key(...parts: string[]): string {
    return this.options.keyPrefix + parts.join(':');
  }

  /** The shared command connection (most callers want this one). */
  client(): Redis {
    this.shared ??= this.create('shared');
    return this.shared;
  }

  /**
   * A dedicated connection: for subscribers, blocking commands and BullMQ (which requires
   * `maxRetriesPerRequest: null`).
   */
  create(purpose: string, extra: RedisOptions = {}): Redis {
    const conn = new Redis(this.options.url, {
      connectionName: `union-assistant:${purpose}`,
      maxRetriesPerRequest: 3,
      enableReadyCheck: true,
      retryStrategy: (times) => Math.min(times * 200, 5000),
      ...extra,
    });
    conn.on('error', (err) => this.options.logger?.warn({ err, purpose }, 'redis connection error'));
    conn.on('end', () => this.open.delete(conn));
    this.open.add(conn);
    return conn;
  }

  async ping(timeoutMs = 1000): Promise<boolean> {
    try {
      const reply = await withTimeout(this.client().ping(), timeoutMs);
      return reply === 'PONG';
    } catch {
      return false;
    }
  }

  /** Closes every connection opened through the factory (QUIT, then disconnect if it hangs). */
  async closeAll(): Promise<void> {
    const conns = [...this.open];
    this.open.clear();
    this.shared = undefined;
    await Promise.all(
      conns.map(async (c) => {
        try {
          await withTimeout(c.quit(), 2000);
        } catch {
          c.disconnect();
        }
      }),
    );
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Deletes every key under a prefix (tests and `data:reset`); uses SCAN so it never blocks Redis. */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Registers a Lua script on a connection (sent once, then run by SHA) and returns a function calling it
 * with the keys first, then the arguments.
 */
export function luaScript(
  redis: Redis,
  name: string,
  numberOfKeys: number,
  lua: string,
): (...keysThenArgs: (string | number)[]) => Promise<unknown> {
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  return (...args) => commands[name]!(...args);
}
