import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { luaScript } from './redis.js';

// KEYS[1] the log of recent passes (a sorted set scored by Redis time in ms).
// ARGV: max passes per window, window in ms, a unique member. Returns 0 when this caller may pass now,
// else how many ms until the oldest pass leaves the window. Redis's clock is the one clock every process
// shares, so the limit holds across machines.
const PASS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

export interface RateGateOptions {
  max: number;
  windowMs: number;
}

/**
 * At most `max` passes in any sliding window of `windowMs`, counted in Redis across every process. A fixed
 * window (BullMQ's limiter counts jobs per window) can let through up to twice the limit around a window's
 * edge, and a job may make more than one request; this gate is what keeps a platform's own per-second
 * count under its limit.
 */
export class RateGate {
  private readonly pass: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    redis: Redis,
    private readonly key: string,
    private readonly options: RateGateOptions,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {
    this.pass = luaScript(redis, 'uaRateGatePass', 1, PASS);
  }

  /** Resolves when the caller may make its request. */
  async wait(): Promise<void> {
    const member = randomUUID();
    for (;;) {
      const waitMs = Number(await this.pass(this.key, this.options.max, this.options.windowMs, member));
      if (waitMs === 0) return;
      // A little jitter so that waiting callers do not all ask again in the same millisecond.
      await this.sleep(waitMs + Math.floor(Math.random() * 5));
    }
  }
}
