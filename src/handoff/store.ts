import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';

export type HandoffStatus = 'open' | 'assigned' | 'closed';

/** A worker's request to talk to a person; the officer inbox lists the open ones. */
export interface HandoffRequest {
  id: string;
  status: HandoffStatus;
  channel: string;
  userId: string;
  conversationId: string;
  /** botbuilder ConversationReference, so an officer's reply can go out on the worker's own channel. */
  reference: Record<string, unknown>;
  reason?: string;
  createdAt: string;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export class HandoffStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}handoff:${id}`;
  }
  private byConversationKey(channel: string, conversationId: string): string {
    return `${this.keyPrefix}handoff:by-conv:${channel}:${conversationId}`;
  }
  private get openKey(): string {
    return `${this.keyPrefix}handoff:open`;
  }

  /** Opens a request, or returns the one already open for this conversation (a worker asking twice). */
  async request(
    input: Omit<HandoffRequest, 'id' | 'status' | 'createdAt'>,
  ): Promise<{ request: HandoffRequest; created: boolean }> {
    const existing = await this.openFor(input.channel, input.conversationId);
    if (existing) return { request: existing, created: false };
    const request: HandoffRequest = {
      ...input,
      id: newCode(),
      status: 'open',
      createdAt: this.now().toISOString(),
    };
    const claimed = await this.redis.set(
      this.byConversationKey(input.channel, input.conversationId),
      request.id,
      'NX',
    );
    if (claimed !== 'OK') {
      const raced = await this.openFor(input.channel, input.conversationId);
      if (raced) return { request: raced, created: false };
    }
    await this.redis
      .multi()
      .set(this.key(request.id), JSON.stringify(request))
      .zadd(this.openKey, Date.parse(request.createdAt), request.id)
      .set(this.byConversationKey(input.channel, input.conversationId), request.id)
      .exec();
    return { request, created: true };
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as HandoffRequest) : undefined;
  }

  async openFor(channel: string, conversationId: string): Promise<HandoffRequest | undefined> {
    const id = await this.redis.get(this.byConversationKey(channel, conversationId));
    const request = id ? await this.get(id) : undefined;
    return request && request.status !== 'closed' ? request : undefined;
  }

  async listOpen(limit = 100): Promise<HandoffRequest[]> {
    const ids = await this.redis.zrange(this.openKey, 0, limit - 1);
    const requests = await Promise.all(ids.map((id) => this.get(id)));
    return requests.filter((r): r is HandoffRequest => r !== undefined);
  }
}
