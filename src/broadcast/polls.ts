import type { Redis } from 'ioredis';
import { luaScript } from '../platform/redis.js';

// KEYS: answers hash, counts hash; ARGV: subscriber, option. A worker may change their answer: the old
// choice loses the vote.
const RECORD = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old == ARGV[2] then return 0 end
if old then redis.call('HINCRBY', KEYS[2], old, -1) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 1
`;

/** Answers to campaign polls: one per subscriber (the latest), with counts per option. */
export class PollStore {
  private readonly recordScript: (...a: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.recordScript = luaScript(redis, 'uaPollRecord', 2, RECORD);
  }

  private key(campaignId: string, part: 'answers' | 'counts'): string {
    return `${this.keyPrefix}poll:${campaignId}:${part}`;
  }

  async record(campaignId: string, optionId: string, subscriber: string): Promise<void> {
    await this.recordScript(
      this.key(campaignId, 'answers'),
      this.key(campaignId, 'counts'),
      subscriber,
      optionId,
    );
  }

  async counts(campaignId: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.key(campaignId, 'counts'));
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  async answerOf(campaignId: string, subscriber: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(campaignId, 'answers'), subscriber)) ?? undefined;
  }
}
