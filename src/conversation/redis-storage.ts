import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { luaScript } from '../platform/redis.js';

/** Thrown when a write carries an eTag that is no longer the stored one (someone else wrote first). */
export class ETagConflictError extends Error {
  override name = 'ETagConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

// KEYS[1] item hash; ARGV: expected eTag ('' or '*' = unconditional), new eTag, JSON body, ttl seconds.
// Same rule as botbuilder's MemoryStorage: an item that does not exist yet is written whatever the eTag.
const WRITE_IF_MATCH = `
local current = redis.call('HGET', KEYS[1], 'e')
local expected = ARGV[1]
if current and expected ~= '' and expected ~= '*' and current ~= expected then
  return 0
end
redis.call('HSET', KEYS[1], 'e', ARGV[2], 'd', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return 1
`;

/**
 * botbuilder `Storage` on Redis with optimistic concurrency: each item carries an `eTag`; a write whose
 * eTag does not match the stored one fails with {@link ETagConflictError}. Items expire after
 * `idleTtlSeconds` without a write, which is how idle conversations are forgotten.
 */
export class RedisStorage implements Storage {
  private readonly writeIfMatch: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly options: { keyPrefix: string; idleTtlSeconds: number },
  ) {
    this.writeIfMatch = luaScript(redis, 'uaStorageWriteIfMatch', 1, WRITE_IF_MATCH);
  }

  private redisKey(key: string): string {
    return `${this.options.keyPrefix}state:${key}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.redisKey(key), 'e', 'd');
    const replies = (await pipeline.exec()) ?? [];
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const [err, value] = replies[i] ?? [];
      if (err) throw err;
      const [eTag, body] = (value as [string | null, string | null]) ?? [null, null];
      if (eTag !== null && body !== null) items[key] = { ...JSON.parse(body), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...body } = (item ?? {}) as { eTag?: string };
      const ok = await this.writeIfMatch(
        this.redisKey(key),
        eTag ?? '',
        randomUUID(),
        JSON.stringify(body),
        this.options.idleTtlSeconds,
      );
      if (ok !== 1) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((k) => this.redisKey(k)));
  }
}
