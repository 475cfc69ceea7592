import type { Redis } from 'ioredis';

export interface LoginGuardOptions {
  /** Failed attempts on one username before it is locked. */
  maxFailures: number;
  /** How long the lock lasts, and the window in which failures add up. */
  lockSeconds: number;
  /** Login attempts per address per minute, whatever the username (password spraying). */
  perAddressPerMinute: number;
}

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Brute-force protection for the console login: a lockout per username after repeated failures and a rate
 * limit per client address. Unknown usernames count the same as known ones, so the answers reveal nothing.
 */
export class LoginGuard {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: LoginGuardOptions,
  ) {}

  private failKey(username: string): string {
    return `${this.keyPrefix}admin:login:fail:${username}`;
  }
  private addressKey(address: string): string {
    return `${this.keyPrefix}admin:login:addr:${address}`;
  }

  /** Counts this attempt against the address and tells whether it may go ahead. */
  async check(username: string, address: string): Promise<GuardVerdict> {
    const addressKey = this.addressKey(address);
    const [[, attempts], [, addressTtl], [, failures], [, lockTtl]] = (await this.redis
      .multi()
      .incr(addressKey)
      .ttl(addressKey)
      .get(this.failKey(username))
      .ttl(this.failKey(username))
      .exec()) as [[null, number], [null, number], [null, string | null], [null, number]];
    if (addressTtl < 0) await this.redis.expire(addressKey, 60);
    if (attempts > this.options.perAddressPerMinute)
      return { allowed: false, retryAfterSeconds: Math.max(1, addressTtl) };
    if (Number(failures ?? 0) >= this.options.maxFailures)
      return { allowed: false, retryAfterSeconds: Math.max(1, lockTtl) };
    return { allowed: true };
  }

  async failed(username: string): Promise<void> {
    const key = this.failKey(username);
    const [[, count]] = (await this.redis.multi().incr(key).ttl(key).exec()) as [
      [null, number],
      [null, number],
    ];
    // The window starts at the first failure; the lock runs its full length from the last allowed one.
    if (count === 1 || count >= this.options.maxFailures)
      await this.redis.expire(key, this.options.lockSeconds);
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.failKey(username));
  }
}
