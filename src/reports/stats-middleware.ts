import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { ConversationStats } from './conversation-stats.js';

/** Counts every message a worker sends, per channel and local day, for the dashboard. */
export class StatsMiddleware implements Middleware {
  constructor(
    private readonly stats: ConversationStats,
    private readonly now: () => Date,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === ActivityTypes.Message) {
      // Counting must never cost a worker their answer.
      await this.stats.recordMessage(context.activity.channelId, this.now()).catch(() => undefined);
    }
    await next();
  }
}
