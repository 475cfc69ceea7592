import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { luaScript } from '../../platform/redis.js';
import { LockTimeoutError, RedisLock } from '../../platform/redis-lock.js';
import { ChannelSendError } from '../send.js';

/** The OA's tokens as stored in Redis (one JSON value, so a new pair replaces the old in one write). */
export interface ZaloTokens {
  /** Empty when only a refresh token was configured. */
  accessToken: string;
  refreshToken: string;
  /** Ms since epoch; absent when unknown (a token pasted into the environment): used until Zalo rejects it. */
  expiresAt?: number;
  updatedAt: string;
}

export interface ZaloTokenStoreOptions {
  redis: Redis;
  keyPrefix: string;
  appId: string;
  /** The app secret, sent as the `secret_key` header of the token request. */
  secretKey: string;
  /** https://oauth.zaloapp.com */
  oauthUrl: string;
  /** Tokens from the environment (ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN). */
  seed: { accessToken?: string; refreshToken?: string };
  logger: Logger;
  /** A token with less than this left is refreshed before use (default 10 minutes). */
  marginMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

const refreshResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  // Documented as a string of seconds ("90000"); the example shows a bare number.
  expires_in: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional(),
});

/**
 * Applies the environment's tokens unless they were applied before. Redis holds the tokens that are
 * current: the refresh token is single-use, so the environment's copy is spent after the first refresh and
 * must never overwrite a newer pair — even when an older release restarts. A pair never seen before
 * (an admin authorised the app again and updated the environment) replaces the stored one.
 */
const SEED = `
if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then return 0 end
local hadTokens = redis.call('EXISTS', KEYS[1]) == 1
local seededBefore = redis.call('EXISTS', KEYS[2]) == 1
redis.call('SADD', KEYS[2], ARGV[2])
if hadTokens and not seededBefore then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

/**
 * The Zalo OA access token, shared by every process through Redis. Zalo access tokens live 25 hours and
 * each refresh spends the refresh token and invalidates the previous access token, so exactly one process
 * refreshes at a time (Redis lock) and every other process uses what it stored.
 */
export class ZaloTokenStore {
  private readonly lock: RedisLock;
  private readonly seedScript: (...a: (string | number)[]) => Promise<unknown>;
  private readonly tokensKey: string;
  private readonly seedsKey: string;
  private readonly lockKey: string;
  private readonly marginMs: number;
  private readonly now: () => number;
  private seeding?: Promise<void>;

  constructor(private readonly options: ZaloTokenStoreOptions) {
    const base = `${options.keyPrefix}zalo-oa:${options.appId}`;
    this.tokensKey = `${base}:tokens`;
    this.seedsKey = `${base}:seeded`;
    this.lockKey = `${options.keyPrefix}lock:zalo-oa:${options.appId}:refresh`;
    // The lock outlives a slow token request; waiters give up before a webhook retry would pile up.
    this.lock = new RedisLock(options.redis, { ttlMs: 30_000, waitMs: 20_000 });
    this.seedScript = luaScript(options.redis, 'uaZaloSeedTokens', 2, SEED);
    this.marginMs = options.marginMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Puts the environment's tokens into Redis when they are new (see SEED); once per process. */
  seed(): Promise<void> {
    this.seeding ??= this.applySeed().catch((err: unknown) => {
      this.seeding = undefined;
      throw err;
    });
    return this.seeding;
  }

  /** A token valid for longer than the margin, refreshing it first if needed. */
  async getAccessToken(): Promise<string> {
    await this.seed();
    const stored = await this.current();
    if (stored && this.isUsable(stored)) return stored.accessToken;
    return this.refresh((latest) => this.isUsable(latest));
  }

  /** Zalo refused `rejected` (-216 invalid, -220 expired): refresh, unless another process already has. */
  async refreshAfterRejection(rejected: string): Promise<string> {
    return this.refresh((latest) => latest.accessToken !== rejected && this.isUsable(latest));
  }

  /**
   * Exchanges the refresh token for a new pair, one process at a time. Under the lock the stored tokens
   * are read again: when `stillGood` accepts them another process refreshed meanwhile, and its token is
   * used — a second exchange would spend the new refresh token and invalidate the new access token.
   */
  async refresh(stillGood: (latest: ZaloTokens) => boolean = () => false): Promise<string> {
    try {
      return await this.lock.withLock(this.lockKey, async () => {
        const latest = await this.current();
        if (latest && stillGood(latest)) return latest.accessToken;
        if (!latest?.refreshToken) {
          this.options.logger.error(
            { channel: 'zalo-oa' },
            'Zalo OA has no refresh token: an OA admin must authorise the app and set ZALO_OA_REFRESH_TOKEN',
          );
          throw new ChannelSendError('auth', 'Zalo OA: no refresh token stored');
        }
        const fresh = await this.exchange(latest.refreshToken);
        await this.options.redis.set(this.tokensKey, JSON.stringify(fresh));
        this.options.logger.info(
          { channel: 'zalo-oa', expiresAt: fresh.expiresAt },
          'Zalo OA token refreshed',
        );
        return fresh.accessToken;
      });
    } catch (err) {
      if (err instanceof LockTimeoutError)
        throw new ChannelSendError('transient', 'Zalo OA: another process is still refreshing the token');
      throw err;
    }
  }

  /**
   * Stores a pair obtained elsewhere — the authorisation-code exchange after an admin authorises the app
   * again — replacing the current one.
   */
  async save(tokens: { accessToken: string; refreshToken: string; expiresAt?: number }): Promise<void> {
    const stored: ZaloTokens = { ...tokens, updatedAt: new Date(this.now()).toISOString() };
    await this.lock.withLock(this.lockKey, () =>
      this.options.redis.set(this.tokensKey, JSON.stringify(stored)),
    );
  }

  async current(): Promise<ZaloTokens | undefined> {
    const raw = await this.options.redis.get(this.tokensKey);
    return raw ? (JSON.parse(raw) as ZaloTokens) : undefined;
  }

  private isUsable(tokens: ZaloTokens): boolean {
    if (!tokens.accessToken) return false;
    return tokens.expiresAt === undefined || tokens.expiresAt - this.now() > this.marginMs;
  }

  private async applySeed(): Promise<void> {
    const { accessToken = '', refreshToken = '' } = this.options.seed;
    if (!accessToken && !refreshToken) return;
    const tokens: ZaloTokens = { accessToken, refreshToken, updatedAt: new Date(this.now()).toISOString() };
    const fingerprint = createHash('sha256').update(`${accessToken}\n${refreshToken}`).digest('hex');
    // Under the refresh lock, so a seed never lands between another process's exchange and its write.
    await this.lock.withLock(this.lockKey, () =>
      this.seedScript(this.tokensKey, this.seedsKey, JSON.stringify(tokens), fingerprint),
    );
  }

  private async exchange(refreshToken: string): Promise<ZaloTokens> {
    const { oauthUrl, appId, secretKey, logger } = this.options;
    let response: Response;
    try {
      response = await fetch(`${oauthUrl}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secretKey },
        body: new URLSearchParams({
          refresh_token: refreshToken,
          app_id: appId,
          grant_type: 'refresh_token',
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ChannelSendError('transient', `Zalo OA token refresh failed: ${(err as Error).message}`);
    }
    if (response.status >= 500)
      throw new ChannelSendError('transient', `Zalo OA token refresh: HTTP ${response.status}`);
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = refreshResponseSchema.safeParse(body);
    if (!response.ok || !parsed.success) {
      const refusal = body as { error?: number; error_name?: string; message?: string } | undefined;
      // Refresh tokens are single-use and last 3 months: a refused one cannot be recovered by retrying.
      logger.error(
        {
          channel: 'zalo-oa',
          status: response.status,
          code: refusal?.error,
          reason: refusal?.error_name ?? refusal?.message,
        },
        'Zalo OA token refresh refused: an OA admin must authorise the app again and set ZALO_OA_REFRESH_TOKEN',
      );
      throw new ChannelSendError('auth', 'Zalo OA token refresh refused', { platformCode: refusal?.error });
    }
    const { access_token, refresh_token, expires_in } = parsed.data;
    const now = this.now();
    return {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresAt: expires_in === undefined ? undefined : now + Number(expires_in) * 1000,
      updatedAt: new Date(now).toISOString(),
    };
  }
}
