import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { luaScript } from './redis.js';

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * A mutual-exclusion lock in Redis shared by all processes: SET NX PX with a random token, extended while
 * the holder works (so a long turn keeps it) and expiring on its own if the holder dies.
 */
export class RedisLock {
  private readonly release: (...a: (string | number)[]) => Promise<unknown>;
  private readonly extend: (...a: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly options: { ttlMs: number; waitMs: number; retryMs?: number },
  ) {
    this.release = luaScript(redis, 'uaLockRelease', 1, RELEASE);
    this.extend = luaScript(redis, 'uaLockExtend', 1, EXTEND);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    let delay = this.options.retryMs ?? 5;
    while ((await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline)
        throw new LockTimeoutError(`could not lock ${key} within ${this.options.waitMs} ms`);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    const keepAlive = setInterval(
      () => {
        this.extend(key, token, this.options.ttlMs).catch(() => undefined);
      },
      Math.max(this.options.ttlMs / 3, 100),
    );
    keepAlive.unref();
    try {
      return await fn();
    } finally {
      clearInterval(keepAlive);
      await this.release(key, token).catch(() => undefined);
    }
  }
}
