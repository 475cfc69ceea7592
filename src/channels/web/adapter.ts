import { randomUUID } from 'node:crypto';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { ChannelAdapter, type TurnLogic } from '../adapter.js';
import { toWebMessage, type WebChatRequest, type WebMessage } from './contract.js';

const REPLIES = Symbol('webReplies');

/**
 * The web chat channel: a request carries one message and its response carries the replies. Messages
 * sent outside a request (an officer answering later) wait in a per-user outbox the page polls.
 */
export class WebChatAdapter extends ChannelAdapter {
  readonly channelId = 'web';
  override readonly replaysDuplicates = true;

  constructor(
    private readonly redis: Redis,
    private readonly options: { keyPrefix: string; outboxTtlSeconds?: number },
  ) {
    super();
  }

  private outboxKey(userId: string): string {
    return `${this.options.keyPrefix}web:outbox:${userId}`;
  }

  toActivity(request: WebChatRequest): Partial<Activity> {
    return {
      type: 'message',
      id: request.id ?? randomUUID(),
      channelId: this.channelId,
      serviceUrl: 'web',
      timestamp: new Date(),
      from: { id: request.userId, name: request.name ?? '', role: 'user' },
      recipient: { id: 'union-assistant', name: 'Trợ lý Công đoàn', role: 'bot' },
      conversation: { id: request.userId, isGroup: false, conversationType: 'personal', name: '' },
      text: request.text?.trim() ?? '',
      value: request.payload ? { payload: request.payload } : undefined,
      locale: 'vi-VN',
    };
  }

  /** Runs the turn for one request and returns the replies in the contract's shape. */
  async handle(request: WebChatRequest, logic: TurnLogic): Promise<WebMessage[]> {
    const replies: Partial<Activity>[] = [];
    await this.processActivity(this.toActivity(request), logic, (ctx) => ctx.turnState.set(REPLIES, replies));
    return replies.map(toWebMessage);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const box = context.turnState.get(REPLIES) as Partial<Activity>[] | undefined;
    const messages = activities.filter((a) => (a.type ?? 'message') === 'message');
    if (box) {
      box.push(...messages);
    } else {
      const userId = context.activity.conversation?.id ?? context.activity.from?.id;
      if (!userId) throw new Error('web chat: a proactive message needs a conversation id');
      await this.pushToOutbox(userId, messages);
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  /**
   * Leaves messages for a user who is not in a request now; the page fetches them when it polls. With a
   * delivery key, a marker of it is written in the same transaction (see {@link delivered}).
   */
  async pushToOutbox(
    userId: string,
    activities: Partial<Activity>[],
    deliveryKey?: string,
  ): Promise<string[]> {
    const key = this.outboxKey(userId);
    const ttl = this.options.outboxTtlSeconds ?? 7 * 24 * 3600;
    const multi = this.redis.multi();
    for (const a of activities) multi.rpush(key, JSON.stringify(toWebMessage(a)));
    multi.expire(key, ttl);
    if (deliveryKey) multi.set(this.deliveredKey(deliveryKey), '1', 'EX', ttl);
    await multi.exec();
    return activities.map(() => randomUUID());
  }

  /** Whether a delivery with this key was put in an outbox (in the last week). */
  async delivered(deliveryKey: string): Promise<boolean> {
    return (await this.redis.exists(this.deliveredKey(deliveryKey))) === 1;
  }

  private deliveredKey(deliveryKey: string): string {
    return `${this.options.keyPrefix}web:delivered:${deliveryKey}`;
  }

  /** Takes the messages waiting for a user (sent while no request was open). */
  async drainOutbox(userId: string): Promise<WebMessage[]> {
    const key = this.outboxKey(userId);
    const [[, items]] = (await this.redis.multi().lrange(key, 0, -1).del(key).exec()) as [
      [null, string[]],
      unknown,
    ];
    return items.map((i) => JSON.parse(i) as WebMessage);
  }
}
