import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { ChannelAdapter } from '../../channels/adapter.js';
import { TURN_OUTCOME } from './in-flight.js';

export interface DedupeOptions {
  keyPrefix: string;
  /** How long an event id is remembered. */
  ttlSeconds: number;
  /** How long a claim stays "in progress" before a crashed turn's event may be processed again. */
  processingTtlMs: number;
}

/**
 * Platforms resend webhooks and clients retry requests: an event id is processed once. The first turn
 * claims the id; a duplicate is dropped, or — on request–response channels — answered with the replies
 * of the first turn once it finishes. A turn that fails releases its claim so a retry can succeed.
 */
export class DedupeMiddleware implements Middleware {
  constructor(
    private readonly redis: Redis,
    private readonly options: DedupeOptions,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { id, channelId, type } = context.activity;
    if (!id || type !== 'message') return next();
    const key = `${this.options.keyPrefix}dedupe:${channelId}:${id}`;
    const claimed = await this.redis.set(key, 'pending', 'PX', this.options.processingTtlMs, 'NX');
    if (claimed === 'OK') {
      const sent: Partial<Activity>[] = [];
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        sent.push(...activities);
        return nextSend();
      });
      try {
        await next();
      } catch (err) {
        await this.redis.del(key);
        throw err;
      }
      await this.redis.set(key, JSON.stringify(sent), 'EX', this.options.ttlSeconds);
      return;
    }

    context.turnState.set(TURN_OUTCOME, 'duplicate');
    if (!(context.adapter instanceof ChannelAdapter) || !context.adapter.replaysDuplicates) return;
    const deadline = Date.now() + this.options.processingTtlMs;
    while (Date.now() < deadline) {
      const value = await this.redis.get(key);
      if (value === null) return; // the first turn failed; the client will retry
      if (value !== 'pending') {
        const replies = JSON.parse(value) as Partial<Activity>[];
        if (replies.length > 0) await context.sendActivities(replies.map(({ id: _id, ...a }) => a));
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
