import type { Redis } from 'ioredis';
import { z } from 'zod';
import { luaScript } from '../platform/redis.js';
import { zonedTimeToUtc } from '../platform/time.js';
import { isValidLocalDateTime } from './time.js';
import { randomCode } from '../platform/codes.js';

export const EVENT_KINDS = ['class', 'festival', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** What each kind is called when a worker or an officer reads it. */
export const KIND_LABELS: Record<EventKind, string> = {
  class: 'Lớp học',
  festival: 'Ngày hội',
  other: 'Sự kiện',
};

const localDateTime = z
  .string()
  .refine(isValidLocalDateTime, 'thời gian dạng 2026-12-12T08:00 (giờ Việt Nam), ngày giờ có thật');

export const eventInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    /** class: lớp tuyên truyền pháp luật …; festival: ngày hội công nhân, Tết sum vầy …; other. */
    kind: z.enum(EVENT_KINDS),
    description: z.string().trim().max(4000).optional(),
    place: z.string().trim().min(1).max(300),
    /** Local date-time in APP_TIMEZONE (Asia/Ho_Chi_Minh). */
    startsAt: localDateTime,
    /** Places; absent means no limit. */
    capacity: z.number().int().min(1).max(1_000_000).optional(),
    khu_cong_nghiep: z.string().trim().min(1).max(200).optional(),
    topic: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type EventInput = z.input<typeof eventInputSchema>;

/** A change an officer makes; `null` removes an optional field. Cancelling has its own operation. */
export const eventPatchSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(EVENT_KINDS).optional(),
    description: z.string().trim().max(4000).nullable().optional(),
    place: z.string().trim().min(1).max(300).optional(),
    startsAt: localDateTime.optional(),
    capacity: z.number().int().min(1).max(1_000_000).nullable().optional(),
    khu_cong_nghiep: z.string().trim().min(1).max(200).nullable().optional(),
    topic: z.string().trim().min(1).max(100).nullable().optional(),
    /** `closed` stops new registrations (the event still takes place); `open` takes them again. */
    status: z.enum(['open', 'closed']).optional(),
  })
  .strict();
export type EventPatch = z.infer<typeof eventPatchSchema>;

export interface UnionEvent extends z.infer<typeof eventInputSchema> {
  /** Upper-case letters and digits, so that a campaign's quick reply can carry `EVENT_<id>`. */
  id: string;
  status: EventStatus;
  /** The instant `startsAt` denotes (ISO, UTC). */
  startsAtUtc: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  /** People who came without registering, counted by the officer at the door. */
  walkIns?: number;
  /** The reminder job scheduled for this event, when there is one: its instant and local time. */
  reminder?: { jobId: string; fireAt: string; fireAtLocal: string };
}

export interface Registration {
  /** `${channel}:${userId}`, as subscribers are named. */
  subscriberId: string;
  displayName?: string;
  registeredAt: string;
  cancelledAt?: string;
  attended?: boolean;
  attendanceMarkedAt?: string;
  remindedAt?: string;
  /** Why the reminder was not sent (outside the messaging window, opted out …). */
  reminderSkipped?: string;
  /** When the person was told the event was cancelled, or why they could not be. */
  cancelNoticeAt?: string;
  cancelNoticeSkipped?: string;
}

export type RegisterOutcome =
  'registered' | 'already' | 'full' | 'closed' | 'cancelled' | 'started' | 'not_found';
export type CancelOutcome = 'cancelled' | 'not_registered';

export class EventError extends Error {
  override name = 'EventError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

// KEYS: event, registrations hash, active set, events by start (zset), the subscriber's events set.
// ARGV: event id, subscriber id, registration JSON, now (ms). Capacity is checked and taken in one step,
// so two workers registering for the last place at the same moment cannot both get it.
const REGISTER = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {'not_found', 0} end
local ev = cjson.decode(raw)
if ev.status == 'cancelled' then return {'cancelled', 0} end
local count = redis.call('SCARD', KEYS[3])
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 1 then return {'already', count} end
if ev.status ~= 'open' then return {'closed', count} end
local starts = tonumber(redis.call('ZSCORE', KEYS[4], ARGV[1]))
if starts and starts <= tonumber(ARGV[4]) then return {'started', count} end
if type(ev.capacity) == 'number' and count >= ev.capacity then return {'full', count} end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[5], ARGV[1])
return {'registered', count + 1}
`;

// KEYS: registrations hash, active set, the subscriber's events set. ARGV: event id, subscriber id, now.
const CANCEL = `
if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 'not_registered' end
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if raw then
  local r = cjson.decode(raw)
  r.cancelledAt = ARGV[3]
  redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(r))
end
redis.call('SREM', KEYS[3], ARGV[1])
return 'cancelled'
`;

// KEYS: registrations hash. ARGV: subscriber id, JSON of the fields to set. Returns 0 when there is no
// registration (so attendance is only marked for people who registered).
const PATCH_REGISTRATION = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local r = cjson.decode(raw)
for k, v in pairs(cjson.decode(ARGV[2])) do r[k] = v end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(r))
return 1
`;

/**
 * Events and classes with their registrations, in Redis: the event as JSON, its registrations in a hash
 * (one per subscriber, kept after a cancellation for the report), the active registrants in a set whose
 * size is the number of places taken, and each subscriber's events in a set for "my registrations".
 */
export class EventStore {
  private readonly registerScript: (...args: (string | number)[]) => Promise<unknown>;
  private readonly cancelScript: (...args: (string | number)[]) => Promise<unknown>;
  private readonly patchScript: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.registerScript = luaScript(redis, 'uaEventRegister', 5, REGISTER);
    this.cancelScript = luaScript(redis, 'uaEventCancel', 3, CANCEL);
    this.patchScript = luaScript(redis, 'uaEventPatchRegistration', 1, PATCH_REGISTRATION);
  }

  private key(id: string): string {
    return `${this.keyPrefix}event:${id}`;
  }
  private registrationsKey(id: string): string {
    return `${this.keyPrefix}event:${id}:registrations`;
  }
  private activeKey(id: string): string {
    return `${this.keyPrefix}event:${id}:active`;
  }
  private get byStartKey(): string {
    return `${this.keyPrefix}events:by-start`;
  }
  private mineKey(subscriberId: string): string {
    return `${this.keyPrefix}events:of:${subscriberId}`;
  }

  async create(input: EventInput, createdBy: string): Promise<UnionEvent> {
    const parsed = eventInputSchema.parse(input);
    const at = this.now().toISOString();
    const startsAtUtc = zonedTimeToUtc(parsed.startsAt, this.timeZone);
    for (;;) {
      const id = randomCode();
      const event: UnionEvent = {
        ...parsed,
        id,
        status: 'open',
        startsAtUtc: startsAtUtc.toISOString(),
        createdBy,
        createdAt: at,
        updatedAt: at,
      };
      if ((await this.redis.set(this.key(id), JSON.stringify(event), 'NX')) !== 'OK') continue;
      await this.redis.zadd(this.byStartKey, startsAtUtc.getTime(), id);
      return event;
    }
  }

  async get(id: string): Promise<UnionEvent | undefined> {
    if (!/^[A-Z0-9]{1,20}$/i.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id.toUpperCase()));
    return raw ? (JSON.parse(raw) as UnionEvent) : undefined;
  }

  async require(id: string): Promise<UnionEvent> {
    const event = await this.get(id);
    if (!event) throw new EventError('not_found', `Không có sự kiện mã ${id}`);
    return event;
  }

  /** Events starting in [from, to) (instants), soonest first. */
  async between(from: Date | undefined, to: Date | undefined, limit = 1000): Promise<UnionEvent[]> {
    const ids = await this.redis.zrangebyscore(
      this.byStartKey,
      from ? from.getTime() : '-inf',
      to ? `(${to.getTime()}` : '+inf',
      'LIMIT',
      0,
      limit,
    );
    return this.many(ids);
  }

  /** Events open for registration that have not started yet, soonest first. */
  async upcoming(limit = 10): Promise<UnionEvent[]> {
    const events = await this.between(this.now(), undefined, 200);
    return events.filter((e) => e.status === 'open').slice(0, limit);
  }

  private async many(ids: string[]): Promise<UnionEvent[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.key(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as UnionEvent);
  }

  /** Changes an event atomically (optimistic: retried when another writer got there first). */
  async change(id: string, apply: (event: UnionEvent) => void): Promise<UnionEvent> {
    const key = this.key(id);
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.redis.watch(key);
      const raw = await this.redis.get(key);
      if (!raw) {
        await this.redis.unwatch();
        throw new EventError('not_found', `Không có sự kiện mã ${id}`);
      }
      const event = JSON.parse(raw) as UnionEvent;
      try {
        apply(event);
      } catch (err) {
        await this.redis.unwatch();
        throw err;
      }
      event.startsAtUtc = zonedTimeToUtc(event.startsAt, this.timeZone).toISOString();
      event.updatedAt = this.now().toISOString();
      const done = await this.redis
        .multi()
        .set(key, JSON.stringify(event))
        .zadd(this.byStartKey, Date.parse(event.startsAtUtc), id)
        .exec();
      if (done) return event;
    }
    throw new EventError('conflict', 'Sự kiện đang được người khác sửa, hãy thử lại');
  }

  async update(id: string, patch: EventPatch): Promise<UnionEvent> {
    const taken = await this.activeCount(id);
    return this.change(id, (e) => {
      if (e.status === 'cancelled') throw new EventError('conflict', 'Sự kiện đã hủy, không sửa được nữa');
      if (patch.capacity && patch.capacity < taken) {
        throw new EventError(
          'conflict',
          `Sức chứa mới (${patch.capacity}) nhỏ hơn số người đã đăng ký (${taken}); hãy chọn số lớn hơn`,
        );
      }
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        const target = e as unknown as Record<string, unknown>;
        if (value === null) delete target[field];
        else target[field] = value;
      }
    });
  }

  async register(
    id: string,
    subscriberId: string,
    displayName?: string,
  ): Promise<{ outcome: RegisterOutcome; taken: number }> {
    const now = this.now();
    const registration: Registration = { subscriberId, displayName, registeredAt: now.toISOString() };
    const [outcome, taken] = (await this.registerScript(
      this.key(id),
      this.registrationsKey(id),
      this.activeKey(id),
      this.byStartKey,
      this.mineKey(subscriberId),
      id,
      subscriberId,
      JSON.stringify(registration),
      now.getTime(),
    )) as [RegisterOutcome, number];
    return { outcome, taken: Number(taken) };
  }

  async cancelRegistration(id: string, subscriberId: string): Promise<CancelOutcome> {
    return (await this.cancelScript(
      this.registrationsKey(id),
      this.activeKey(id),
      this.mineKey(subscriberId),
      id,
      subscriberId,
      this.now().toISOString(),
    )) as CancelOutcome;
  }

  async activeCount(id: string): Promise<number> {
    return this.redis.scard(this.activeKey(id));
  }

  async isRegistered(id: string, subscriberId: string): Promise<boolean> {
    return (await this.redis.sismember(this.activeKey(id), subscriberId)) === 1;
  }

  async activeRegistrants(id: string): Promise<string[]> {
    return this.redis.smembers(this.activeKey(id));
  }

  /** Every registration of an event, cancelled ones too, in registration order. */
  async registrations(id: string): Promise<Registration[]> {
    const all = await this.redis.hvals(this.registrationsKey(id));
    return all
      .map((r) => JSON.parse(r) as Registration)
      .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt));
  }

  async registration(id: string, subscriberId: string): Promise<Registration | undefined> {
    const raw = await this.redis.hget(this.registrationsKey(id), subscriberId);
    return raw ? (JSON.parse(raw) as Registration) : undefined;
  }

  /** The events a subscriber is registered for now, soonest first. */
  async registeredEvents(subscriberId: string): Promise<UnionEvent[]> {
    const events = await this.many(await this.redis.smembers(this.mineKey(subscriberId)));
    return events.sort((a, b) => a.startsAtUtc.localeCompare(b.startsAtUtc));
  }

  /** Sets fields of an existing registration; false when that subscriber never registered. */
  async patchRegistration(id: string, subscriberId: string, fields: Partial<Registration>): Promise<boolean> {
    return (
      Number(await this.patchScript(this.registrationsKey(id), subscriberId, JSON.stringify(fields))) === 1
    );
  }
}
