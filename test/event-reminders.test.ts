import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberStore } from '../src/broadcast/subscribers.js';
import { ChannelSendError, type ChannelSender, type SendPurpose } from '../src/channels/send.js';
import { EventReminders } from '../src/events/reminders.js';
import { EventService } from '../src/events/service.js';
import { EventStore, type Registration } from '../src/events/store.js';
import { parseConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { RedisFactory } from '../src/platform/redis.js';
import { redisUrl, removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

/**
 * Reminders on channels with messaging windows, with the platforms replaced by recording senders: what
 * goes out, with which purpose (Messenger's CONFIRMED_EVENT_UPDATE tag after 24 hours), and what is skipped.
 */

const prefix = testPrefix('event-reminders');
const TZ = 'Asia/Ho_Chi_Minh';
// The event is on Sunday 20/12 at 09:00; with EVENT_REMINDER_TIME=07:45 its reminder is due on Saturday
// 19/12 at 07:45 local (00:45 UTC). The clock starts two seconds before.
const FIRE_AT = Date.parse('2026-12-19T00:45:00Z');
let offset = FIRE_AT - 2000 - Date.now();
const now = () => new Date(Date.now() + offset);
const hoursAgo = (h: number) => new Date(now().getTime() - h * 3600_000).toISOString();

interface Sent {
  channel: string;
  userId: string;
  purpose: SendPurpose;
  activities: Partial<Activity>[];
}
const sent: Sent[] = [];
let flakyFailures = 1;

function recordingSender(channel: string): ChannelSender {
  return {
    channel,
    async send(to, activities, purpose, control) {
      await control?.beforeRequest?.();
      if (to.userId === 'blocked') throw new ChannelSendError('unreachable', 'người dùng đã chặn trang');
      if (to.userId === 'flaky' && flakyFailures-- > 0)
        throw new ChannelSendError('transient', 'lỗi tạm thời');
      sent.push({ channel, userId: to.userId, purpose, activities });
      return { messageIds: [`m-${sent.length}`] };
    },
  };
}

const redis = new RedisFactory({ url: redisUrl(), keyPrefix: prefix });
let store: EventStore;
let subscribers: SubscriberStore;
let reminders: EventReminders;
let service: EventService;

beforeAll(() => {
  const config = parseConfig({
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: prefix,
    EVENT_REMINDER_TIME: '07:45',
    BROADCAST_BACKOFF_MS: '50',
  });
  store = new EventStore(redis.client(), prefix, TZ, now);
  subscribers = new SubscriberStore(redis.client(), prefix, now);
  const senders = new Map([
    ['messenger', recordingSender('messenger')],
    ['zalo-oa', recordingSender('zalo-oa')],
  ]);
  const logger = createLogger({ level: 'silent' });
  reminders = new EventReminders({ redis, config, store, subscribers, senders, logger, now });
  service = new EventService(store, reminders, now);
  reminders.startWorkers(['messenger', 'zalo-oa', 'web'], { control: true });
});

afterAll(async () => {
  await reminders.close();
  await redis.closeAll();
  await removePrefix(prefix);
});

describe('event reminders on Messenger and Zalo OA', () => {
  it('respects each platform’s window, tags Messenger after 24 hours, and records what happened', async () => {
    await subscribers.writeNew([
      { channel: 'messenger', userId: 'recent', lastInteractionAt: hoursAgo(2), consent: 'opted_in' },
      { channel: 'messenger', userId: 'old', lastInteractionAt: hoursAgo(72) },
      { channel: 'messenger', userId: 'blocked', lastInteractionAt: hoursAgo(1) },
      { channel: 'messenger', userId: 'flaky', lastInteractionAt: hoursAgo(1) },
      { channel: 'zalo-oa', userId: 'recent', lastInteractionAt: hoursAgo(24) },
      { channel: 'zalo-oa', userId: 'old', lastInteractionAt: hoursAgo(8 * 24) },
    ]);
    const event = await service.create(
      {
        title: 'Lớp pháp luật về hợp đồng',
        kind: 'class',
        place: 'Nhà văn hóa',
        startsAt: '2026-12-20T09:00',
      },
      'officer1',
    );
    expect(event.reminder).toEqual({
      jobId: `remind-${event.id}-20261220`,
      fireAt: '2026-12-19T00:45:00.000Z',
      fireAtLocal: '2026-12-19T07:45',
    });
    const who = [
      'messenger:recent',
      'messenger:old',
      'messenger:blocked',
      'messenger:flaky',
      'zalo-oa:recent',
      'zalo-oa:old',
      'console:terminal',
    ];
    for (const id of who) expect((await store.register(event.id, id)).outcome).toBe('registered');

    const done = await waitFor(async () => {
      const list = await store.registrations(event.id);
      return list.every((r) => r.remindedAt || r.reminderSkipped) ? list : undefined;
    });
    expect(now().getTime()).toBeGreaterThanOrEqual(FIRE_AT);
    const by = (id: string): Registration => done.find((r) => r.subscriberId === id)!;
    const purpose = (channel: string, userId: string) =>
      sent.find((s) => s.channel === channel && s.userId === userId)?.purpose;

    expect(purpose('messenger', 'recent')).toEqual({ type: 'update' });
    expect(purpose('messenger', 'old')).toEqual({ type: 'tag', tag: 'CONFIRMED_EVENT_UPDATE' });
    expect(purpose('messenger', 'flaky')).toEqual({ type: 'update' }); // retried after a transient error
    expect(purpose('zalo-oa', 'recent')).toEqual({ type: 'update' });
    expect(by('zalo-oa:old').reminderSkipped).toBe('outside_7_day_window');
    expect(by('messenger:blocked').reminderSkipped).toBe('send_failed:unreachable');
    expect((await subscribers.get('messenger', 'blocked'))?.reachable).toBe(false);
    expect(by('console:terminal').reminderSkipped).toBe('channel_cannot_push');
    for (const id of ['messenger:recent', 'messenger:old', 'messenger:flaky', 'zalo-oa:recent']) {
      expect(by(id).remindedAt, id).toBeDefined();
    }
    expect(sent).toHaveLength(4);
    const message = sent.find((s) => s.channel === 'messenger')!.activities[0]!;
    expect(message.text).toContain('Nhắc lịch: ngày mai, Chủ nhật 20/12/2026 lúc 09:00');
    expect(message.suggestedActions?.actions.map((a) => a.value)).toEqual([
      `EVENTCANCEL_${event.id}`,
      'MENU',
    ]);
  }, 30_000);

  it('a reminder left behind by an event moved without rescheduling sends nothing', async () => {
    sent.length = 0;
    // Two seconds before the reminder of an event on 21/12.
    offset = Date.parse('2026-12-20T00:45:00Z') - 2000 - Date.now();
    const event = await service.create(
      { title: 'Ngày hội', kind: 'festival', place: 'Công viên', startsAt: '2026-12-21T16:00' },
      'officer1',
    );
    await store.register(event.id, 'messenger:recent');
    // Straight in the store: the scheduled job still says 20/12.
    await store.change(event.id, (e) => (e.startsAt = '2026-12-27T16:00'));
    const jobId = event.reminder!.jobId;
    await waitFor(async () => (await reminders.job(jobId)) === undefined, {
      what: 'the reminder job to run',
    });
    expect(sent).toEqual([]);
    expect((await store.registration(event.id, 'messenger:recent'))?.remindedAt).toBeUndefined();
  });

  it('tells everyone registered when an event is cancelled, once, within the platform rules', async () => {
    sent.length = 0;
    const event = await service.create(
      { title: 'Tết sum vầy', kind: 'festival', place: 'Sân nhà văn hóa', startsAt: '2027-01-30T08:00' },
      'officer1',
    );
    for (const id of ['messenger:recent', 'messenger:old', 'zalo-oa:old']) await store.register(event.id, id);
    await store.cancelRegistration(event.id, 'messenger:recent');
    await store.register(event.id, 'zalo-oa:recent');
    await service.cancel(event.id);
    const done = await waitFor(async () => {
      const list = (await store.registrations(event.id)).filter((r) => !r.cancelledAt);
      return list.every((r) => r.cancelNoticeAt || r.cancelNoticeSkipped) ? list : undefined;
    });
    const by = (id: string) => done.find((r) => r.subscriberId === id)!;
    expect(by('messenger:old').cancelNoticeAt).toBeDefined();
    expect(by('zalo-oa:recent').cancelNoticeAt).toBeDefined();
    expect(by('zalo-oa:old').cancelNoticeSkipped).toBe('outside_7_day_window');
    // Who cancelled their own registration is not told again.
    expect(sent.map((s) => `${s.channel}:${s.userId}`).sort()).toEqual(['messenger:old', 'zalo-oa:recent']);
    expect(sent.find((s) => s.userId === 'old')!.purpose).toEqual({
      type: 'tag',
      tag: 'CONFIRMED_EVENT_UPDATE',
    });
    expect(sent[0]!.activities[0]!.text).toContain('"Tết sum vầy"');
    expect(sent[0]!.activities[0]!.text).toContain('đã bị hủy');
    // Cancelling again is refused and sends nothing more.
    await expect(service.cancel(event.id)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(sent).toHaveLength(2);
  }, 30_000);
});
