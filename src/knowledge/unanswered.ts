import type { Redis } from 'ioredis';
import { matchKey } from './normalize.js';

/** A question the bot could not answer with confidence: the raw material of the knowledge-gap report. */
export interface UnansweredQuestion {
  question: string;
  at: string;
  channel: string;
  topic?: string;
  confidence: number;
  /** Best (rejected) sources, to show an admin what the engine found. */
  sources: { id: string; title: string; score: number }[];
}

const KEEP = 5000;

/**
 * Unanswered questions in Redis: the latest ones (capped list) and how often each question (folded) was
 * asked, so admins write the leaflet sections workers need most.
 */
export class UnansweredLog {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private get listKey(): string {
    return `${this.keyPrefix}knowledge:unanswered`;
  }
  private get countsKey(): string {
    return `${this.keyPrefix}knowledge:unanswered:counts`;
  }

  async record(entry: UnansweredQuestion): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.listKey, JSON.stringify(entry))
      .ltrim(this.listKey, 0, KEEP - 1)
      .zincrby(this.countsKey, 1, matchKey(entry.question).slice(0, 300))
      .exec();
  }

  async latest(limit = 100): Promise<UnansweredQuestion[]> {
    return (await this.redis.lrange(this.listKey, 0, limit - 1)).map((r) => JSON.parse(r) as UnansweredQuestion);
  }

  /** Most asked unanswered questions (folded text) with their counts. */
  async top(limit = 20): Promise<{ question: string; count: number }[]> {
    const rows = await this.redis.zrevrange(this.countsKey, 0, limit - 1, 'WITHSCORES');
    const out: { question: string; count: number }[] = [];
    for (let i = 0; i < rows.length; i += 2) out.push({ question: rows[i]!, count: Number(rows[i + 1]) });
    return out;
  }
}
