import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import type { Redis } from 'ioredis';

const PAGE_SIZE = 50;

/**
 * botbuilder `TranscriptStore` in Redis: the last activities of each conversation (capped), which an
 * officer reads when a worker is handed over. Kept compact: text, payload, sender, time.
 */
export class RedisTranscriptStore implements TranscriptStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: { keyPrefix: string; maxActivities: number; ttlSeconds: number },
  ) {}

  private key(channelId: string, conversationId: string): string {
    return `${this.options.keyPrefix}transcript:${channelId}:${conversationId}`;
  }
  private indexKey(channelId: string): string {
    return `${this.options.keyPrefix}transcripts:${channelId}`;
  }

  async logActivity(activity: Activity): Promise<void> {
    if (activity.type !== 'message' || !activity.conversation?.id) return;
    const compact = {
      id: activity.id,
      type: activity.type,
      timestamp: activity.timestamp ?? new Date(),
      from: activity.from && { id: activity.from.id, name: activity.from.name, role: activity.from.role },
      text: activity.text,
      value: activity.value,
      // Pictures and files workers send are kept (by link) for the officer who takes over the conversation.
      attachments: activity.attachments?.map((a) => ({
        contentType: a.contentType,
        contentUrl: a.contentUrl,
        name: a.name,
      })),
      suggestedActions: activity.suggestedActions,
      channelData: (activity.channelData as { ua?: unknown } | undefined)?.ua
        ? { ua: (activity.channelData as { ua: unknown }).ua }
        : undefined,
    };
    const key = this.key(activity.channelId, activity.conversation.id);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(compact))
      .ltrim(key, -this.options.maxActivities, -1)
      .expire(key, this.options.ttlSeconds)
      .zadd(this.indexKey(activity.channelId), Date.now(), activity.conversation.id)
      .exec();
  }

  /** Oldest first; the continuation token is the index of the next page. */
  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const start = Number(continuationToken ?? 0) || 0;
    const raw = await this.redis.lrange(this.key(channelId, conversationId), start, start + PAGE_SIZE - 1);
    const items = raw
      .map((r) => JSON.parse(r) as Activity)
      .filter((a) => !startDate || new Date(a.timestamp ?? 0) >= startDate);
    return { items, continuationToken: raw.length === PAGE_SIZE ? String(start + PAGE_SIZE) : '' };
  }

  /** Most recently active first. */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const start = Number(continuationToken ?? 0) || 0;
    const rows = await this.redis.zrevrange(
      this.indexKey(channelId),
      start,
      start + PAGE_SIZE - 1,
      'WITHSCORES',
    );
    const items: TranscriptInfo[] = [];
    for (let i = 0; i < rows.length; i += 2)
      items.push({ channelId, id: rows[i]!, created: new Date(Number(rows[i + 1])) });
    return { items, continuationToken: items.length === PAGE_SIZE ? String(start + PAGE_SIZE) : '' };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.key(channelId, conversationId))
      .zrem(this.indexKey(channelId), conversationId)
      .exec();
  }
}
