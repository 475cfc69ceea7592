import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SEGMENT_ATTRIBUTES } from './profile.js';
import { attributeKey, type SubscriberStore } from './subscribers.js';

/**
 * A segment: who a campaign reaches. Every filter must hold (AND); within a filter any value may match
 * (OR). Only subscribers who agreed to receive news are ever in a segment.
 *
 *   { "where": [ { "field": "khu_cong_nghiep", "values": ["An Nghiệp"] }, { "field": "topic", "values": ["lua_dao"] } ] }
 */
export const segmentFilterSchema = z
  .object({
    field: z.enum(['channel', 'topic', ...SEGMENT_ATTRIBUTES]),
    values: z.array(z.string().trim().min(1)).min(1, 'cần ít nhất một giá trị'),
  })
  .strict();

export const segmentSchema = z.object({ where: z.array(segmentFilterSchema).default([]) }).strict();

export type Segment = z.infer<typeof segmentSchema>;
export type SegmentFilter = z.infer<typeof segmentFilterSchema>;

const TEMP_TTL_SECONDS = 60;

export class SegmentIndex {
  constructor(
    private readonly redis: Redis,
    private readonly subscribers: SubscriberStore,
  ) {}

  private setsOf(filter: SegmentFilter): string[] {
    const idx = this.subscribers.indexPrefix;
    switch (filter.field) {
      case 'channel':
        return filter.values.map((v) => `${idx}channel:${v}`);
      case 'topic':
        return filter.values.map((v) => `${idx}topic:${attributeKey(v)}`);
      default:
        return filter.values.map((v) => `${idx}attr:${filter.field}:${attributeKey(v, filter.field)}`);
    }
  }

  /** Writes the segment's members into `destination` (a set) and returns how many there are. */
  async materialise(segment: Segment, destination: string, ttlSeconds?: number): Promise<number> {
    const consenting = `${this.subscribers.indexPrefix}consent:opted_in`;
    const temps: string[] = [];
    const parts = [consenting];
    const multi = this.redis.multi();
    for (const filter of segment.where) {
      const sets = this.setsOf(filter);
      if (sets.length === 1) {
        parts.push(sets[0]!);
      } else {
        const temp = `${this.subscribers.indexPrefix}tmp:${randomBytes(6).toString('hex')}`;
        temps.push(temp);
        multi.sunionstore(temp, ...sets).expire(temp, TEMP_TTL_SECONDS);
        parts.push(temp);
      }
    }
    multi.sinterstore(destination, ...parts);
    if (ttlSeconds) multi.expire(destination, ttlSeconds);
    if (temps.length) multi.del(...temps);
    multi.scard(destination);
    const replies = (await multi.exec()) ?? [];
    const [err, count] = replies[replies.length - 1] ?? [];
    if (err) throw err;
    return Number(count);
  }

  /** How many subscribers a segment reaches now (the preview an officer sees before sending). */
  async count(segment: Segment): Promise<number> {
    const temp = `${this.subscribers.indexPrefix}tmp:${randomBytes(6).toString('hex')}`;
    try {
      return await this.materialise(segment, temp, TEMP_TTL_SECONDS);
    } finally {
      await this.redis.del(temp);
    }
  }
}
