import type { Redis } from 'ioredis';
import { matchKey } from '../knowledge/normalize.js';
import { localDate } from '../platform/time.js';

const KEEP_SECONDS = 400 * 24 * 3600;

export interface DailyFigures {
  messagesPerDay: { day: string; channel: string; count: number }[];
  topics: { topic: string; count: number }[];
  answers: { answered: number; notSure: number };
  topQuestions: { question: string; count: number }[];
}

/**
 * The figures behind the dashboard and the unions' six-month reports: messages per day and channel,
 * questions per topic, answered against not-sure, and the most asked questions. Counters per local day
 * (the union's time zone), kept for about 13 months.
 */
export class ConversationStats {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeZone: string,
  ) {}

  private key(kind: string, day: string): string {
    return `${this.keyPrefix}stats:${kind}:${day}`;
  }

  async recordMessage(channel: string, at: Date): Promise<void> {
    const key = this.key('messages', localDate(at, this.timeZone));
    await this.redis.multi().hincrby(key, channel, 1).expire(key, KEEP_SECONDS).exec();
  }

  async recordAnswer(
    answer: { question: string; topic?: string; answered: boolean },
    at: Date,
  ): Promise<void> {
    const day = localDate(at, this.timeZone);
    const topics = this.key('topics', day);
    const answers = this.key('answers', day);
    const questions = this.key('questions', day);
    await this.redis
      .multi()
      .hincrby(topics, answer.topic ?? 'khac', 1)
      .hincrby(answers, answer.answered ? 'answered' : 'not_sure', 1)
      .zincrby(questions, 1, matchKey(answer.question).slice(0, 200))
      .expire(topics, KEEP_SECONDS)
      .expire(answers, KEEP_SECONDS)
      .expire(questions, KEEP_SECONDS)
      .exec();
  }

  /** The local days from `days - 1` days before `until` up to `until`, oldest first. */
  private daysUntil(until: Date, days: number): string[] {
    const out: string[] = [];
    for (let i = days - 1; i >= 0; i--)
      out.push(localDate(new Date(until.getTime() - i * 86_400_000), this.timeZone));
    return [...new Set(out)];
  }

  async figures(until: Date, days: number, topN = 10): Promise<DailyFigures> {
    const dayList = this.daysUntil(until, days);
    const pipeline = this.redis.pipeline();
    for (const day of dayList) {
      pipeline.hgetall(this.key('messages', day));
      pipeline.hgetall(this.key('topics', day));
      pipeline.hgetall(this.key('answers', day));
    }
    const rows = ((await pipeline.exec()) ?? []).map(([, v]) => (v ?? {}) as Record<string, string>);
    const messagesPerDay: DailyFigures['messagesPerDay'] = [];
    const topics = new Map<string, number>();
    const answers = { answered: 0, notSure: 0 };
    dayList.forEach((day, i) => {
      for (const [channel, count] of Object.entries(rows[i * 3]!))
        messagesPerDay.push({ day, channel, count: Number(count) });
      for (const [topic, count] of Object.entries(rows[i * 3 + 1]!))
        topics.set(topic, (topics.get(topic) ?? 0) + Number(count));
      const a = rows[i * 3 + 2]!;
      answers.answered += Number(a.answered ?? 0);
      answers.notSure += Number(a.not_sure ?? 0);
    });
    const union = `${this.keyPrefix}stats:questions:tmp:${Math.random().toString(36).slice(2)}`;
    const keys = dayList.map((d) => this.key('questions', d));
    await this.redis.zunionstore(union, keys.length, ...keys);
    const top = await this.redis.zrevrange(union, 0, topN - 1, 'WITHSCORES');
    await this.redis.del(union);
    const topQuestions: DailyFigures['topQuestions'] = [];
    for (let i = 0; i < top.length; i += 2)
      topQuestions.push({ question: top[i]!, count: Number(top[i + 1]) });
    return {
      messagesPerDay,
      topics: [...topics].map(([topic, count]) => ({ topic, count })).sort((a, b) => b.count - a.count),
      answers,
      topQuestions,
    };
  }
}
