import type { Middleware, TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { TURN_OUTCOME } from './in-flight.js';
import { turnKey } from './turn-key.js';

/**
 * Caps messages per worker per minute (a stuck client or a flood must not starve everyone else). The
 * first message over the limit gets one polite notice; the rest of that minute is dropped.
 */
export class RateLimitPerUser implements Middleware {
  constructor(
    private readonly redis: Redis,
    private readonly options: { keyPrefix: string; perMinute: number },
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (this.options.perMinute <= 0 || context.activity.type !== 'message') return next();
    const minute = Math.floor(Date.now() / 60_000);
    const key = `${this.options.keyPrefix}ratelimit:${turnKey(context.activity)}:${minute}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [
      [null, number],
      unknown,
    ];
    if (count <= this.options.perMinute) return next();
    context.turnState.set(TURN_OUTCOME, 'rate_limited');
    if (count === this.options.perMinute + 1) {
      await context.sendActivity(
        'Bạn gửi tin hơi nhanh, mình chưa kịp đọc hết. Bạn đợi khoảng một phút rồi nhắn tiếp nhé.',
      );
    }
  }
}
