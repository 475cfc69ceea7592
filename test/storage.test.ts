import { afterAll, describe, expect, it } from 'vitest';
import { ETagConflictError, RedisStorage } from '../src/conversation/redis-storage.js';
import { SessionStore } from '../src/conversation/session.js';
import { RedisTranscriptStore } from '../src/conversation/transcript-store.js';
import { SubscriberStore } from '../src/broadcast/subscribers.js';
import { RedisLock, LockTimeoutError } from '../src/platform/redis-lock.js';
import { removePrefix, testPrefix, testRedis } from './helpers/redis.js';

const prefix = testPrefix('storage');
const redis = testRedis();
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

describe('RedisStorage (botbuilder Storage)', () => {
  const storage = new RedisStorage(redis, { keyPrefix: prefix, idleTtlSeconds: 60 });

  it('reads what it wrote, with an eTag, and nothing for unknown keys', async () => {
    await storage.write({ a: { n: 1 }, b: { n: 2 } });
    const items = await storage.read(['a', 'b', 'missing']);
    expect(items.a).toMatchObject({ n: 1 });
    expect(items.b.eTag).toEqual(expect.any(String));
    expect(items.missing).toBeUndefined();
  });

  it('refuses a write with a stale eTag and accepts the current one or "*"', async () => {
    await storage.write({ c: { v: 'first' } });
    const { c } = await storage.read(['c']);
    await storage.write({ c: { ...c, v: 'second' } });
    await expect(storage.write({ c: { ...c, v: 'stale' } })).rejects.toBeInstanceOf(ETagConflictError);
    const fresh = (await storage.read(['c'])).c;
    expect(fresh.v).toBe('second');
    await storage.write({ c: { ...fresh, v: 'third' } });
    await storage.write({ c: { v: 'forced', eTag: '*' } });
    expect((await storage.read(['c'])).c.v).toBe('forced');
  });

  it('expires idle items and deletes on request', async () => {
    await storage.write({ d: { v: 1 } });
    expect(await redis.ttl(`${prefix}state:d`)).toBeGreaterThan(50);
    await storage.delete(['d']);
    expect(await storage.read(['d'])).toEqual({});
  });

  it('lets the session store detect a concurrent save', async () => {
    const sessions = new SessionStore(storage);
    const key = SessionStore.keyFor('web', 'u1', 'u1');
    await sessions.save(await sessions.load(key), { ...(await sessions.load(key)).session, turns: 1 });
    const one = await sessions.load(key);
    const two = await sessions.load(key);
    await sessions.save(one, { ...one.session, turns: 2 });
    await expect(sessions.save(two, { ...two.session, turns: 99 })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await sessions.load(key)).session.turns).toBe(2);
  });
});

describe('RedisLock', () => {
  it('excludes, waits, and gives up after the wait limit', async () => {
    const lock = new RedisLock(redis, { ttlMs: 2000, waitMs: 150 });
    const order: string[] = [];
    let release!: () => void;
    const held = lock.withLock(
      `${prefix}lock:x`,
      () =>
        new Promise<void>(
          (r) =>
            (release = () => {
              order.push('first done');
              r();
            }),
        ),
    );
    await new Promise((r) => setTimeout(r, 20));
    await expect(lock.withLock(`${prefix}lock:x`, async () => order.push('never'))).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    const patient = new RedisLock(redis, { ttlMs: 2000, waitMs: 2000 }).withLock(
      `${prefix}lock:x`,
      async () => order.push('second'),
    );
    release();
    await Promise.all([held, patient]);
    expect(order).toEqual(['first done', 'second']);
  });

  it('keeps the lock alive while a long holder works', async () => {
    const lock = new RedisLock(redis, { ttlMs: 300, waitMs: 100 });
    await lock.withLock(`${prefix}lock:long`, async () => {
      await new Promise((r) => setTimeout(r, 700));
      expect(await redis.exists(`${prefix}lock:long`)).toBe(1);
    });
    expect(await redis.exists(`${prefix}lock:long`)).toBe(0);
  });
});

describe('SubscriberStore', () => {
  const subs = new SubscriberStore(redis, prefix, () => new Date('2026-11-24T08:00:00Z'));
  it('records consent with time, channel and source, and keeps a consent log', async () => {
    expect(await subs.setConsent('zalo', 'z1', 'opted_in', 'zalo follow')).toBeUndefined();
    expect(await subs.setConsent('zalo', 'z1', 'opted_out', 'opt-out word')).toBe('opted_in');
    const s = await subs.get('zalo', 'z1');
    expect(s?.consent).toEqual({
      status: 'opted_out',
      at: '2026-11-24T08:00:00.000Z',
      channel: 'zalo',
      source: 'opt-out word',
    });
    expect((await subs.consentLog('zalo', 'z1')).map((c) => c.status)).toEqual(['opted_in', 'opted_out']);
  });

  it('keeps attributes per field and rejects unknown ones', async () => {
    await subs.setAttributes('web', 'w1', { company: 'Cty A', khu_cong_nghiep: 'VSIP' });
    await subs.setAttributes('web', 'w1', { company: null });
    await subs.touch('web', 'w1', 'Lan');
    const s = await subs.get('web', 'w1');
    expect(s?.attributes).toEqual({ khu_cong_nghiep: 'VSIP' });
    expect(s?.displayName).toBe('Lan');
    expect(s?.lastInteractionAt).toBe('2026-11-24T08:00:00.000Z');
    await expect(subs.setAttributes('web', 'w1', { shoe: 'x' } as never)).rejects.toThrow(
      /unknown profile attribute/,
    );
  });
});

describe('RedisTranscriptStore', () => {
  it('keeps the last activities of a conversation in order and pages them', async () => {
    const store = new RedisTranscriptStore(redis, { keyPrefix: prefix, maxActivities: 60, ttlSeconds: 60 });
    for (let i = 0; i < 70; i++) {
      await store.logActivity({
        type: 'message',
        channelId: 'web',
        conversation: { id: 'c1' },
        text: `tin ${i}`,
        from: { id: 'u' },
      } as never);
    }
    const page1 = await store.getTranscriptActivities('web', 'c1');
    expect(page1.items).toHaveLength(50);
    expect(page1.items[0]!.text).toBe('tin 10');
    const page2 = await store.getTranscriptActivities('web', 'c1', page1.continuationToken);
    expect(page2.items.at(-1)!.text).toBe('tin 69');
    expect(page2.continuationToken).toBe('');
    expect((await store.listTranscripts('web')).items.map((i) => i.id)).toEqual(['c1']);
  });
});
