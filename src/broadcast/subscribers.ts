import type { Redis } from 'ioredis';
import { isProfileAttribute, type ProfileAttribute } from './profile.js';

export type ConsentStatus = 'opted_in' | 'opted_out';

/** A consent decision with the facts a union must be able to show later: when, where, how. */
export interface Consent {
  status: ConsentStatus;
  at: string;
  channel: string;
  /** What recorded it: "flow:subscription", "opt-out word", "zalo follow", "csv import", "admin:<user>" … */
  source: string;
}

export interface Subscriber {
  /** `${channel}:${userId}` — one record per person per channel identity. */
  id: string;
  channel: string;
  userId: string;
  displayName?: string;
  attributes: Partial<Record<ProfileAttribute, string>>;
  topics: string[];
  consent?: Consent;
  lastInteractionAt?: string;
  reachable: boolean;
  unreachableReason?: string;
  createdAt: string;
  updatedAt: string;
}

export function subscriberId(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}

/** What flows see as `profile.*`: the attributes plus derived read-only fields. */
export function profileView(sub: Subscriber | undefined): Record<string, unknown> {
  if (!sub) return { subscribed: false, topics: [] };
  return { ...sub.attributes, subscribed: sub.consent?.status === 'opted_in', topics: sub.topics };
}

/**
 * Subscribers in Redis: one hash per subscriber with one field per fact, so concurrent writers (a turn,
 * an import, an officer) each change their own fields and never overwrite one another's.
 */
export class SubscriberStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}sub:${id}`;
  }

  private get allKey(): string {
    return `${this.keyPrefix}subs:all`;
  }

  private consentLogKey(id: string): string {
    return `${this.keyPrefix}sub:${id}:consent-log`;
  }

  async get(channel: string, userId: string): Promise<Subscriber | undefined> {
    const id = subscriberId(channel, userId);
    const h = await this.redis.hgetall(this.key(id));
    if (!h.createdAt) return undefined;
    const attributes: Partial<Record<ProfileAttribute, string>> = {};
    for (const [field, value] of Object.entries(h)) {
      const name = field.startsWith('attr:') ? field.slice(5) : undefined;
      if (name && isProfileAttribute(name)) attributes[name] = value;
    }
    return {
      id,
      channel: h.channel ?? channel,
      userId: h.userId ?? userId,
      displayName: h.displayName || undefined,
      attributes,
      topics: h.topics ? (JSON.parse(h.topics) as string[]) : [],
      consent: h.consent ? (JSON.parse(h.consent) as Consent) : undefined,
      lastInteractionAt: h.lastInteractionAt || undefined,
      reachable: h.reachable !== '0',
      unreachableReason: h.unreachableReason || undefined,
      createdAt: h.createdAt,
      updatedAt: h.updatedAt ?? h.createdAt,
    };
  }

  /** Creates the record on first contact and records the interaction time (used by messaging-window rules). */
  async touch(channel: string, userId: string, displayName?: string): Promise<void> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    const multi = this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', at)
      .hset(this.key(id), { channel, userId, lastInteractionAt: at, reachable: '1' })
      .hdel(this.key(id), 'unreachableReason')
      .sadd(this.allKey, id);
    if (displayName) multi.hset(this.key(id), 'displayName', displayName);
    await multi.exec();
  }

  /** The platform says this person cannot receive messages (blocked, unavailable, left): stop sending. */
  async markUnreachable(channel: string, userId: string, reason: string): Promise<void> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    await this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', at)
      .hset(this.key(id), { channel, userId, reachable: '0', unreachableReason: reason, updatedAt: at })
      .sadd(this.allKey, id)
      .exec();
  }

  async setAttributes(
    channel: string,
    userId: string,
    values: Partial<Record<ProfileAttribute, string | null>>,
  ): Promise<void> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    const multi = this.redis.multi().hsetnx(this.key(id), 'createdAt', at).sadd(this.allKey, id);
    for (const [name, value] of Object.entries(values)) {
      if (!isProfileAttribute(name)) throw new Error(`unknown profile attribute "${name}"`);
      if (value === null || value === '') multi.hdel(this.key(id), `attr:${name}`);
      else multi.hset(this.key(id), `attr:${name}`, value);
    }
    multi.hset(this.key(id), { channel, userId, updatedAt: at });
    await multi.exec();
  }

  async setTopics(channel: string, userId: string, topics: string[]): Promise<void> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    await this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', at)
      .hset(this.key(id), { channel, userId, topics: JSON.stringify([...new Set(topics)]), updatedAt: at })
      .sadd(this.allKey, id)
      .exec();
  }

  /**
   * Records a consent decision and appends it to the subscriber's consent log (kept for audit).
   * Returns the previous status so callers can tell "already subscribed" apart.
   */
  async setConsent(
    channel: string,
    userId: string,
    status: ConsentStatus,
    source: string,
  ): Promise<ConsentStatus | undefined> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    const consent: Consent = { status, at, channel, source };
    const previous = await this.redis.hget(this.key(id), 'consent');
    await this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', at)
      .hset(this.key(id), { channel, userId, consent: JSON.stringify(consent), updatedAt: at })
      .sadd(this.allKey, id)
      .rpush(this.consentLogKey(id), JSON.stringify(consent))
      .exec();
    return previous ? (JSON.parse(previous) as Consent).status : undefined;
  }

  async consentLog(channel: string, userId: string): Promise<Consent[]> {
    const items = await this.redis.lrange(this.consentLogKey(subscriberId(channel, userId)), 0, -1);
    return items.map((i) => JSON.parse(i) as Consent);
  }
}
