import type { Redis } from 'ioredis';
import { matchKey } from '../knowledge/normalize.js';
import { luaScript } from '../platform/redis.js';
import { isProfileAttribute, isSegmentAttribute, type ProfileAttribute } from './profile.js';

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

/** A record for {@link SubscriberStore.writeNew}. */
export interface NewSubscriber {
  channel: string;
  userId: string;
  displayName?: string;
  attributes?: Partial<Record<ProfileAttribute, string>>;
  topics?: string[];
  consent?: ConsentStatus;
  consentSource?: string;
  lastInteractionAt?: string;
  createdAt?: string;
}

export function subscriberId(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}

/** The channel and user of a subscriber id (channel names never contain ":"; user ids may). */
export function parseSubscriberId(id: string): { channel: string; userId: string } {
  const i = id.indexOf(':');
  return { channel: id.slice(0, i), userId: id.slice(i + 1) };
}

/** What flows see as `profile.*`: the attributes plus derived read-only fields. */
export function profileView(sub: Subscriber | undefined): Record<string, unknown> {
  if (!sub) return { subscribed: false, topics: [] };
  return { ...sub.attributes, subscribed: sub.consent?.status === 'opted_in', topics: sub.topics };
}

// KEYS[1] subscriber hash; ARGV: index prefix, subscriber id, attribute, new value ('' = remove), its
// index key ('' = not indexed). The folded key is stored beside the value so the old index entry can be
// removed atomically.
const SET_ATTRIBUTE = `
local old = redis.call('HGET', KEYS[1], 'ak:' .. ARGV[3])
if old then redis.call('SREM', ARGV[1] .. 'attr:' .. ARGV[3] .. ':' .. old, ARGV[2]) end
redis.call('HDEL', KEYS[1], 'ak:' .. ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'attr:' .. ARGV[3])
else
  redis.call('HSET', KEYS[1], 'attr:' .. ARGV[3], ARGV[4])
  if ARGV[5] ~= '' then
    redis.call('HSET', KEYS[1], 'ak:' .. ARGV[3], ARGV[5])
    redis.call('SADD', ARGV[1] .. 'attr:' .. ARGV[3] .. ':' .. ARGV[5], ARGV[2])
  end
end
return 1
`;

// KEYS[1] subscriber hash; ARGV: index prefix, subscriber id, topics as JSON, then each topic.
const SET_TOPICS = `
local old = redis.call('HGET', KEYS[1], 'topics')
if old then
  for _, t in ipairs(cjson.decode(old)) do redis.call('SREM', ARGV[1] .. 'topic:' .. t, ARGV[2]) end
end
redis.call('HSET', KEYS[1], 'topics', ARGV[3])
for i = 4, #ARGV do redis.call('SADD', ARGV[1] .. 'topic:' .. ARGV[i], ARGV[2]) end
return 1
`;

/**
 * The folded form an attribute value (or topic) is indexed under: "KCN An Nghiệp", "Khu công nghiệp An
 * Nghiệp" and "an nghiep" are one industrial zone; "lừa đảo" is the topic `lua_dao`.
 */
export function attributeKey(value: string, attribute?: string): string {
  const key = matchKey(value).replace(/[\s-]+/g, '_');
  return attribute === 'khu_cong_nghiep' ? key.replace(/^(khu_cong_nghiep|kcn)_(?=.)/, '') : key;
}

/**
 * Subscribers in Redis: one hash per subscriber with one field per fact, so concurrent writers (a turn,
 * an import, an officer) each change their own fields and never overwrite one another's. Index sets (by
 * channel, attribute value, topic and consent) let segments be computed with set operations.
 */
export class SubscriberStore {
  private readonly setAttributeScript: (...args: (string | number)[]) => Promise<unknown>;
  private readonly setTopicsScript: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.setAttributeScript = luaScript(redis, 'uaSubscriberSetAttribute', 1, SET_ATTRIBUTE);
    this.setTopicsScript = luaScript(redis, 'uaSubscriberSetTopics', 1, SET_TOPICS);
  }

  /** Prefix of this store's keys (the subscriber hash is `<prefix>sub:<id>`). */
  keyPrefixOf(): string {
    return this.keyPrefix;
  }

  /** Prefix of the index sets: `idx:channel:<channel>`, `idx:attr:<name>:<key>`, `idx:topic:<topic>`, `idx:consent:opted_in`. */
  get indexPrefix(): string {
    return `${this.keyPrefix}idx:`;
  }

  get allKey(): string {
    return `${this.keyPrefix}subs:all`;
  }

  private key(id: string): string {
    return `${this.keyPrefix}sub:${id}`;
  }

  private consentLogKey(id: string): string {
    return `${this.keyPrefix}sub:${id}:consent-log`;
  }

  async getById(id: string): Promise<Subscriber | undefined> {
    const { channel, userId } = parseSubscriberId(id);
    return this.get(channel, userId);
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
      .sadd(this.allKey, id)
      .sadd(`${this.indexPrefix}channel:${channel}`, id);
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
    await this.ensure(channel, userId);
    for (const [name, value] of Object.entries(values)) {
      if (!isProfileAttribute(name)) throw new Error(`unknown profile attribute "${name}"`);
      const text = value?.trim() ?? '';
      const indexed = text && isSegmentAttribute(name) ? attributeKey(text, name) : '';
      await this.setAttributeScript(this.key(id), this.indexPrefix, id, name, text, indexed);
    }
  }

  /** Creates the record (and its channel index entry) if it does not exist yet. */
  private async ensure(channel: string, userId: string): Promise<void> {
    const id = subscriberId(channel, userId);
    const at = this.now().toISOString();
    await this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', at)
      .hset(this.key(id), { channel, userId, updatedAt: at })
      .sadd(this.allKey, id)
      .sadd(`${this.indexPrefix}channel:${channel}`, id)
      .exec();
  }

  async setDisplayName(channel: string, userId: string, displayName: string): Promise<void> {
    await this.ensure(channel, userId);
    await this.redis.hset(this.key(subscriberId(channel, userId)), 'displayName', displayName);
  }

  async setTopics(channel: string, userId: string, topics: string[]): Promise<void> {
    const id = subscriberId(channel, userId);
    await this.ensure(channel, userId);
    const unique = [...new Set(topics.map((t) => attributeKey(t)).filter(Boolean))];
    await this.setTopicsScript(this.key(id), this.indexPrefix, id, JSON.stringify(unique), ...unique);
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
    /** When the person decided, if earlier than now (a signed paper form imported later). */
    decidedAt?: string,
  ): Promise<ConsentStatus | undefined> {
    const id = subscriberId(channel, userId);
    const now = this.now().toISOString();
    const consent: Consent = { status, at: decidedAt ?? now, channel, source };
    const previous = await this.redis.hget(this.key(id), 'consent');
    const consenting = `${this.indexPrefix}consent:opted_in`;
    const multi = this.redis
      .multi()
      .hsetnx(this.key(id), 'createdAt', now)
      .hset(this.key(id), { channel, userId, consent: JSON.stringify(consent), updatedAt: now })
      .sadd(this.allKey, id)
      .sadd(`${this.indexPrefix}channel:${channel}`, id);
    if (status === 'opted_in') multi.sadd(consenting, id);
    else multi.srem(consenting, id);
    await multi.rpush(this.consentLogKey(id), JSON.stringify(consent)).exec();
    return previous ? (JSON.parse(previous) as Consent).status : undefined;
  }

  /**
   * Writes many records that are not stored yet in one round trip per batch (seeding test and benchmark
   * data). Same fields and index sets as the methods above, without their clean-up of old index entries.
   */
  async writeNew(records: NewSubscriber[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const r of records) {
      const id = subscriberId(r.channel, r.userId);
      const at = r.createdAt ?? this.now().toISOString();
      const fields: Record<string, string> = {
        channel: r.channel,
        userId: r.userId,
        createdAt: at,
        updatedAt: at,
        reachable: '1',
      };
      if (r.lastInteractionAt) fields.lastInteractionAt = r.lastInteractionAt;
      if (r.displayName) fields.displayName = r.displayName;
      pipeline.sadd(this.allKey, id).sadd(`${this.indexPrefix}channel:${r.channel}`, id);
      for (const [name, value] of Object.entries(r.attributes ?? {})) {
        fields[`attr:${name}`] = value;
        if (!isSegmentAttribute(name)) continue;
        const key = attributeKey(value, name);
        fields[`ak:${name}`] = key;
        pipeline.sadd(`${this.indexPrefix}attr:${name}:${key}`, id);
      }
      const topics = [...new Set((r.topics ?? []).map((t) => attributeKey(t)))];
      fields.topics = JSON.stringify(topics);
      for (const t of topics) pipeline.sadd(`${this.indexPrefix}topic:${t}`, id);
      if (r.consent) {
        const consent: Consent = {
          status: r.consent,
          at,
          channel: r.channel,
          source: r.consentSource ?? 'seed',
        };
        fields.consent = JSON.stringify(consent);
        if (r.consent === 'opted_in') pipeline.sadd(`${this.indexPrefix}consent:opted_in`, id);
        pipeline.rpush(this.consentLogKey(id), fields.consent);
      }
      pipeline.hset(this.key(id), fields);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async consentLog(channel: string, userId: string): Promise<Consent[]> {
    const items = await this.redis.lrange(this.consentLogKey(subscriberId(channel, userId)), 0, -1);
    return items.map((i) => JSON.parse(i) as Consent);
  }
}
