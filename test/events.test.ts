import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebMessage } from '../src/channels/web/contract.js';
import type { EventReport } from '../src/events/report.js';
import type { Registration, UnionEvent } from '../src/events/store.js';
import type { Role } from '../src/admin/roles.js';
import { AdminClient, createRoleUsers } from './helpers/admin.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const prefix = testPrefix('events');
const TZ = 'Asia/Ho_Chi_Minh';

/**
 * The app's clock, which tests move: "now" is the real time shifted by `offset`, so it keeps ticking and
 * BullMQ's real-time delays line up with it (a reminder due 4 s after the fake now fires 4 s from now).
 */
const clock = { offset: 0 };
const now = () => new Date(Date.now() + clock.offset);
function setNow(iso: string): void {
  clock.offset = Date.parse(iso) - Date.now();
}

let t: TestApp;
let officer: AdminClient;
let admin: AdminClient;
let viewer: AdminClient;

type EventView = UnionEvent & { registered: number; invitePayload: string };

async function createEvent(body: Record<string, unknown>): Promise<EventView> {
  const created = await officer.call<EventView>('POST', '/events', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function updates(userId: string): Promise<WebMessage[]> {
  const res = await fetch(`${t.url}/api/chat/updates?userId=${userId}`);
  return ((await res.json()) as { messages: WebMessage[] }).messages;
}

async function registrations(id: string): Promise<(Registration & { userId: string })[]> {
  return (
    await officer.call<{ items: (Registration & { userId: string })[] }>('GET', `/events/${id}/registrations`)
  ).body.items;
}

/** Opens the event by its payload (as a tapped invitation does) and answers "có". */
async function register(user: string, event: { id: string }): Promise<string> {
  const confirm = await t.say(user, 'Đăng ký', `EVENT_${event.id}`);
  if (!allText(confirm).includes('Bạn muốn đăng ký tham gia không?')) return allText(confirm);
  return allText(await t.say(user, 'có'));
}

/** API tokens (console sessions would expire as the tests move the clock by months). */
const tokens: Partial<Record<Role, string>> = {};
function clients(app: TestApp): void {
  const client = (role: Role) => Object.assign(new AdminClient(app.url), { token: tokens[role] });
  officer = client('officer');
  admin = client('admin');
  viewer = client('viewer');
}

beforeAll(async () => {
  t = await startTestApp({ prefix, now });
  const users = await createRoleUsers(t.app);
  for (const role of ['admin', 'officer', 'viewer'] as const) {
    tokens[role] = (await t.app.admin!.services.tokens.create(users[role].id, 'kiểm thử')).token;
  }
  clients(t);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
});

describe('registering for a class in chat', () => {
  let event: EventView;

  it('an officer creates a class; workers list it, register, are told of the reminder and cannot take a place twice', async () => {
    setNow('2026-12-01T09:00:00+07:00');
    event = await createEvent({
      title: 'Lớp tuyên truyền pháp luật lao động',
      kind: 'class',
      description: 'Hợp đồng lao động, tiền lương, bảo hiểm xã hội.',
      place: 'Nhà văn hóa công nhân KCN An Nghiệp',
      startsAt: '2026-12-12T08:00',
      capacity: 2,
      khu_cong_nghiep: 'An Nghiệp',
      topic: 'phap_luat',
    });
    expect(event.id).toMatch(/^[A-Z0-9]{6}$/);
    expect(event.invitePayload).toBe(`EVENT_${event.id}`);
    expect(event.startsAtUtc).toBe('2026-12-12T01:00:00.000Z');
    expect(event.reminder).toMatchObject({
      fireAt: '2026-12-11T11:00:00.000Z',
      fireAtLocal: '2026-12-11T18:00',
    });

    const list = await t.say('ev-lan', 'lớp học');
    expect(allText(list)).toContain('Lớp tuyên truyền pháp luật lao động — Thứ Bảy 12/12/2026 lúc 08:00');
    const options = list.at(-1)!.quickReplies!;
    expect(options.map((o) => o.payload)).toEqual([`EVENT_${event.id}`, 'EVENTS_MINE', 'MENU']);

    const details = await t.say('ev-lan', options[0]!.title, options[0]!.payload);
    expect(allText(details)).toContain('Địa điểm: Nhà văn hóa công nhân KCN An Nghiệp');
    expect(allText(details)).toContain('Còn 2/2 chỗ.');
    expect(details.at(-1)!.quickReplies!.map((o) => o.title)).toEqual(['Đăng ký tham gia', 'Không, cảm ơn']);
    const done = allText(await t.say('ev-lan', 'có'));
    expect(done).toContain('Bạn đã đăng ký "Lớp tuyên truyền pháp luật lao động" thành công.');
    expect(done).toContain('Mình sẽ nhắn nhắc bạn vào Thứ Sáu 11/12/2026 lúc 18:00.');

    // Mai opens the invitation while one place is left …
    const mai = await t.say('ev-mai', 'Đăng ký', `EVENT_${event.id}`);
    expect(allText(mai)).toContain('Còn 1/2 chỗ.');
    // … Hùng takes it meanwhile, typing the number of the listed class instead of tapping …
    await t.say('ev-hung', 'dang ky lop');
    expect(allText(await t.say('ev-hung', '1'))).toContain('Bạn muốn đăng ký tham gia không?');
    expect(allText(await t.say('ev-hung', 'đăng ký'))).toContain('thành công');
    // … so Mai's "yes" finds the class full.
    expect(allText(await t.say('ev-mai', 'có'))).toContain('đã đủ chỗ');
    expect(await register('ev-tu', event)).toContain('đã đủ chỗ');
    expect(await register('ev-lan', event)).toContain(
      'Bạn đã đăng ký "Lớp tuyên truyền pháp luật lao động" rồi',
    );

    const listed = await officer.call<EventView>('GET', `/events/${event.id}`);
    expect(listed.body.registered).toBe(2);
    expect((await registrations(event.id)).map((r) => r.userId)).toEqual(['ev-lan', 'ev-hung']);
  });

  it('gives the last places atomically when many register at once', async () => {
    const small = await createEvent({
      title: 'Tết sum vầy',
      kind: 'festival',
      place: 'Sân vận động',
      startsAt: '2027-01-30T17:00',
      capacity: 3,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.app.services.events.register(small.id, `web:rush-${i}`)),
    );
    expect(outcomes.filter((o) => o.outcome === 'registered')).toHaveLength(3);
    expect(outcomes.filter((o) => o.outcome === 'full')).toHaveLength(9);
    expect(await t.app.services.events.activeCount(small.id)).toBe(3);
    // Registering again changes nothing.
    const again = await t.app.services.events.register(small.id, 'web:rush-0');
    expect(again.outcome === 'already' || again.outcome === 'full').toBe(true);
    expect(await t.app.services.events.activeCount(small.id)).toBe(3);
  });

  it('cancels in chat ("hủy đăng ký lớp"), frees the place, and "hủy" alone still stops notices', async () => {
    await t.say('ev-lan', 'đăng ký');
    expect(allText(await t.say('ev-lan', 'có'))).toContain('Cảm ơn bạn đã đăng ký nhận tin');

    const mine = await t.say('ev-lan', 'hủy đăng ký lớp');
    expect(allText(mine)).toContain('Bạn đã đăng ký:\n1. Lớp tuyên truyền pháp luật lao động');
    const cancel = mine.at(-1)!.quickReplies![0]!;
    expect(cancel).toMatchObject({ payload: `EVENTCANCEL_${event.id}` });
    expect(cancel.title).toMatch(/^Hủy: Lớp tuyên truyền/);
    const confirm = await t.say('ev-lan', cancel.title, cancel.payload);
    expect(allText(confirm)).toContain('Bạn chắc chắn muốn hủy đăng ký không?');
    const yes = confirm.at(-1)!.quickReplies!.find((q) => q.title === 'Hủy đăng ký')!;
    expect(allText(await t.say('ev-lan', yes.title, yes.payload))).toContain(
      'Bạn đã hủy đăng ký "Lớp tuyên truyền pháp luật lao động"',
    );
    // Cancelling twice is harmless.
    expect(allText(await t.say('ev-lan', cancel.title, cancel.payload))).toContain(
      'Bạn không có đăng ký nào',
    );
    expect(allText(await t.say('ev-lan', 'lớp của tôi'))).toContain(
      'Bạn chưa đăng ký lớp học hay sự kiện nào',
    );

    // The freed place goes to the next worker.
    expect(await register('ev-mai', event)).toContain('thành công');
    const regs = await registrations(event.id);
    expect(regs.find((r) => r.userId === 'ev-lan')?.cancelledAt).toBeDefined();
    expect(regs.filter((r) => !r.cancelledAt).map((r) => r.userId)).toEqual(['ev-hung', 'ev-mai']);

    // "hủy" alone is the opt-out word everywhere, and leaves registrations alone.
    expect(allText(await t.say('ev-mai', 'Hủy'))).toContain('Bạn đã hủy nhận tin');
    expect(allText(await t.say('ev-lan', 'hủy'))).toContain('Bạn đã hủy nhận tin');
    expect((await t.app.services.subscribers.get('web', 'ev-lan'))?.consent?.status).toBe('opted_out');
    expect(await t.app.services.events.isRegistered(event.id, 'web:ev-mai')).toBe(true);
  });

  it('a campaign invites with EVENT_<id>, and the tapped invitation starts registration', async () => {
    const festival = await createEvent({
      title: 'Ngày hội công nhân 2026',
      kind: 'festival',
      place: 'Công viên KCN Trà Nóc',
      startsAt: '2026-12-20T07:30',
      khu_cong_nghiep: 'Trà Nóc',
    });
    await t.say('ev-invite', 'đăng ký');
    await t.say('ev-invite', 'có');
    const campaign = await officer.call<{ id: string }>('POST', '/campaigns', {
      name: 'Mời ngày hội',
      content: {
        text: 'Mời bạn tham gia Ngày hội công nhân 2026 tại Công viên KCN Trà Nóc!',
        quickReplies: [{ title: 'Đăng ký tham gia', payload: festival.invitePayload }],
      },
      segment: { where: [{ field: 'channel', values: ['web'] }] },
    });
    expect(campaign.status).toBe(201);
    expect((await officer.call('POST', `/campaigns/${campaign.body.id}/submit`)).status).toBe(200);
    const invitation = await waitFor(async () => (await updates('ev-invite')).find((m) => m.quickReplies), {
      what: 'the invitation in the web outbox',
    });
    const tap = invitation.quickReplies!.find((q) => q.payload === `EVENT_${festival.id}`)!;
    expect(tap.title).toBe('Đăng ký tham gia');
    const confirm = await t.say('ev-invite', tap.title, tap.payload);
    expect(allText(confirm)).toContain('Ngày hội: Ngày hội công nhân 2026');
    expect(allText(confirm)).not.toContain('chỗ'); // no capacity, no count of places
    expect(allText(await t.say('ev-invite', 'có'))).toContain(
      'Bạn đã đăng ký "Ngày hội công nhân 2026" thành công.',
    );
    expect(await t.app.services.events.isRegistered(festival.id, 'web:ev-invite')).toBe(true);
  });
});

describe('reminders the day before', () => {
  /** The local date and time (Asia/Ho_Chi_Minh) at which a delayed job runs, by the app's clock. */
  function localRunTime(job: { timestamp: number; opts: { delay?: number } }): string {
    const at = new Date(job.timestamp + (job.opts.delay ?? 0) + clock.offset);
    return new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' }).format(
      at,
    );
  }

  it('schedules the reminder of an event tomorrow at 18:00 local today, and moves or removes it with the event', async () => {
    setNow('2026-12-11T09:00:00+07:00');
    const event = await createEvent({
      title: 'Lớp an toàn lao động',
      kind: 'class',
      place: 'Hội trường công ty A',
      startsAt: '2026-12-12T08:00',
      capacity: 50,
    });
    const jobId = `remind-${event.id}-20261212`;
    expect(event.reminder).toEqual({
      jobId,
      fireAt: '2026-12-11T11:00:00.000Z',
      fireAtLocal: '2026-12-11T18:00',
    });
    const job = (await t.app.events.reminders.job(jobId))!;
    expect(job.data).toEqual({ eventId: event.id, day: '2026-12-12', fireAt: '2026-12-11T11:00:00.000Z' });
    // 09:00 → 18:00 the same day: nine hours (UTC+7 all year, so 18:00 local is 11:00 UTC).
    expect(Math.abs(job.opts.delay! - 9 * 3600_000)).toBeLessThan(2000);
    expect(localRunTime(job)).toBe('2026-12-11 18:00');

    // Moved to another day: the old job is gone and the new one is due the evening before the new day.
    const moved = await officer.call<EventView>('PATCH', `/events/${event.id}`, {
      startsAt: '2026-12-15T13:30',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.reminder).toMatchObject({
      jobId: `remind-${event.id}-20261215`,
      fireAt: '2026-12-14T11:00:00.000Z',
    });
    expect(await t.app.events.reminders.job(jobId)).toBeUndefined();
    const movedJob = (await t.app.events.reminders.job(`remind-${event.id}-20261215`))!;
    expect(localRunTime(movedJob)).toBe('2026-12-14 18:00');
    // A change that does not move it keeps the job.
    await officer.call('PATCH', `/events/${event.id}`, {
      title: 'Lớp an toàn, vệ sinh lao động',
      capacity: 60,
    });
    expect(await t.app.events.reminders.job(`remind-${event.id}-20261215`)).toBeDefined();

    // Cancelled: no reminder, and workers are told.
    const cancelled = await officer.call<EventView>('POST', `/events/${event.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.reminder).toBeUndefined();
    expect(await t.app.events.reminders.job(`remind-${event.id}-20261215`)).toBeUndefined();
    expect(await register('ev-late', event)).toContain('đã bị hủy');
    expect((await officer.call('POST', `/events/${event.id}/cancel`)).status).toBe(409);
  });

  it('creates no reminder once its time has passed', async () => {
    setNow('2026-12-11T19:00:00+07:00');
    const event = await createEvent({
      title: 'Giao lưu văn nghệ',
      kind: 'other',
      place: 'Nhà văn hóa',
      startsAt: '2026-12-12T08:00',
    });
    expect(event.reminder).toBeUndefined();
    const done = await register('ev-late', event);
    expect(done).toContain('thành công');
    expect(done).not.toContain('nhắc');
  });

  it('fires at its time and reaches the worker through web chat; cancelled and opted-out registrants get nothing', async () => {
    // The reminder of an event on 20/12 is due on 19/12 at 18:00 local: put the clock six seconds before.
    setNow('2026-12-19T17:59:54+07:00');
    const event = await createEvent({
      title: 'Lớp kỹ năng an toàn giao thông',
      kind: 'class',
      place: 'Nhà văn hóa công nhân',
      startsAt: '2026-12-20T07:30',
      capacity: 30,
    });
    expect(event.reminder?.fireAt).toBe('2026-12-19T11:00:00.000Z');
    expect(await register('ev-remind', event)).toContain('thành công');
    expect(await register('ev-changed-mind', event)).toContain('thành công');
    expect(await t.app.services.events.cancelRegistration(event.id, 'web:ev-changed-mind')).toBe('cancelled');
    expect(await register('ev-quiet', event)).toContain('thành công');
    await t.say('ev-quiet', 'hủy');

    const reminder = await waitFor(async () => (await updates('ev-remind'))[0], { what: 'the reminder' });
    expect(now().toISOString() >= '2026-12-19T11:00:00.000Z').toBe(true);
    expect(reminder.text).toContain(
      'Nhắc lịch: ngày mai, Chủ nhật 20/12/2026 lúc 07:30, bạn đã đăng ký tham gia "Lớp kỹ năng an toàn giao thông"',
    );
    expect(reminder.quickReplies).toEqual([
      { title: 'Hủy đăng ký', payload: `EVENTCANCEL_${event.id}` },
      { title: 'Menu', payload: 'MENU' },
    ]);
    const regs = await waitFor(async () => {
      const list = await registrations(event.id);
      return list.find((r) => r.userId === 'ev-quiet')?.reminderSkipped ? list : undefined;
    });
    expect(regs.find((r) => r.userId === 'ev-remind')?.remindedAt).toBeDefined();
    expect(regs.find((r) => r.userId === 'ev-quiet')?.reminderSkipped).toBe('opted_out');
    expect(regs.find((r) => r.userId === 'ev-changed-mind')?.remindedAt).toBeUndefined();
    expect(await updates('ev-changed-mind')).toEqual([]);
    expect(await updates('ev-quiet')).toEqual([]);

    // The reminder's button cancels the registration.
    const tap = reminder.quickReplies![0]!;
    await t.say('ev-remind', tap.title, tap.payload);
    expect(allText(await t.say('ev-remind', 'có'))).toContain('Bạn đã hủy đăng ký');
  }, 30_000);
});

describe('attendance and the six-month report', () => {
  it('counts classes and events held, registrations and participants, by kind and khu công nghiệp', async () => {
    setNow('2026-03-01T08:00:00+07:00');
    const a = await createEvent({
      title: 'Lớp pháp luật quý I',
      kind: 'class',
      place: 'Nhà văn hóa',
      startsAt: '2026-03-10T08:00',
      khu_cong_nghiep: 'KCN An Nghiệp',
    });
    const b = await createEvent({
      title: 'Ngày hội công nhân',
      kind: 'festival',
      place: 'Công viên',
      startsAt: '2026-04-20T19:00',
      khu_cong_nghiep: 'Khu công nghiệp An Nghiệp',
    });
    const c = await createEvent({
      title: 'Lớp an toàn lao động',
      kind: 'class',
      place: 'Hội trường',
      startsAt: '2026-06-30T20:00',
      khu_cong_nghiep: 'Trà Nóc',
    });
    const d = await createEvent({
      title: 'Hội thao',
      kind: 'other',
      place: 'Sân',
      startsAt: '2026-05-06T07:00',
    });
    const e = await createEvent({
      title: 'Lớp tháng 7',
      kind: 'class',
      place: 'Hội trường',
      startsAt: '2026-07-15T08:00',
    });
    for (const user of ['rp-1', 'rp-2', 'rp-3']) expect(await register(user, a)).toContain('thành công');
    expect(await t.app.services.events.cancelRegistration(a.id, 'web:rp-3')).toBe('cancelled');
    for (const user of ['rp-1', 'rp-4']) expect(await register(user, b)).toContain('thành công');
    expect(await register('rp-5', c)).toContain('thành công');
    expect(await register('rp-5', e)).toContain('thành công');
    expect((await officer.call('POST', `/events/${d.id}/cancel`)).status).toBe(200);

    setNow('2026-07-02T09:00:00+07:00');
    // A class that has begun takes no more registrations.
    expect(await register('rp-6', c)).toContain('đã diễn ra rồi');
    const marked = await officer.call<{ marked: number; unknown: string[]; event: EventView }>(
      'POST',
      `/events/${a.id}/attendance`,
      {
        marks: [
          { subscriberId: 'web:rp-1', attended: true },
          { subscriberId: 'web:rp-2', attended: false },
          { subscriberId: 'web:nobody', attended: true },
        ],
        walkIns: 4,
      },
    );
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ marked: 2, unknown: ['web:nobody'], event: { walkIns: 4 } });
    await officer.call('POST', `/events/${b.id}/attendance`, {
      marks: [
        { subscriberId: 'web:rp-1', attended: true },
        { subscriberId: 'web:rp-4', attended: true },
      ],
    });
    expect((await registrations(a.id)).map((r) => [r.userId, r.attended])).toEqual([
      ['rp-1', true],
      ['rp-2', false],
      ['rp-3', undefined],
    ]);
    expect((await officer.call('POST', `/events/${d.id}/attendance`, { walkIns: 1 })).status).toBe(409);

    const report = await viewer.call<EventReport>('GET', '/events/report?from=2026-01-01&to=2026-06-30');
    expect(report.status).toBe(200);
    expect(report.body.totals).toEqual({
      held: 3,
      registrations: 5,
      attended: 3,
      walkIns: 4,
      participants: 7,
      cancelled: 1,
      upcoming: 0,
    });
    expect(report.body.byKind).toEqual({
      class: { held: 2, registrations: 3, attended: 1, walkIns: 4, participants: 5 },
      festival: { held: 1, registrations: 2, attended: 2, walkIns: 0, participants: 2 },
      other: { held: 0, registrations: 0, attended: 0, walkIns: 0, participants: 0 },
    });
    expect(report.body.byZone).toEqual([
      {
        khu_cong_nghiep: 'KCN An Nghiệp',
        held: 2,
        registrations: 4,
        attended: 3,
        walkIns: 4,
        participants: 7,
      },
      { khu_cong_nghiep: 'Trà Nóc', held: 1, registrations: 1, attended: 0, walkIns: 0, participants: 0 },
    ]);
    expect(report.body.events.map((r) => r.id)).toEqual([a.id, b.id, d.id, c.id]);

    // Without dates: the current half-year (1/7–31/12), where the July class is still to come.
    const current = await viewer.call<EventReport>('GET', '/events/report');
    expect(current.body).toMatchObject({ from: '2026-07-01', to: '2026-12-31' });
    expect(current.body.events.find((r) => r.id === e.id)).toMatchObject({ held: false, registrations: 1 });
    // Viewers read; only officers change.
    expect((await viewer.call('POST', `/events/${a.id}/attendance`, { walkIns: 5 })).status).toBe(403);
  });

  it('writes an audit entry for every change', async () => {
    const audit = await admin.call<{
      items: { action: string; actor: { username: string }; target?: string }[];
    }>('GET', '/audit?limit=1000');
    for (const action of ['event.create', 'event.update', 'event.cancel', 'event.attendance']) {
      const entry = audit.body.items.find((i) => i.action === action);
      expect(entry, action).toBeDefined();
      expect(entry!.actor.username).toBe('officer1');
      expect(entry!.target).toMatch(/^[A-Z0-9]{6}$/);
    }
  });
});

describe('restart', () => {
  it('keeps events, registrations and reminders when the app stops and starts again on the same Redis', async () => {
    setNow('2026-12-01T09:00:00+07:00');
    const event = await createEvent({
      title: 'Lớp hòa giải tranh chấp lao động',
      kind: 'class',
      place: 'Trụ sở công đoàn',
      startsAt: '2026-12-22T14:00',
      capacity: 10,
    });
    expect(await register('ev-restart', event)).toContain('thành công');
    // Half-way through a registration when the server stops.
    expect(allText(await t.say('ev-restart-2', 'Đăng ký', `EVENT_${event.id}`))).toContain(
      'Bạn muốn đăng ký',
    );
    await t.stop();

    t = await startTestApp({ prefix, now });
    clients(t);
    expect(allText(await t.say('ev-restart-2', 'có'))).toContain('thành công');
    expect(allText(await t.say('ev-restart', 'lớp của tôi'))).toContain('Lớp hòa giải tranh chấp lao động');
    const after = await officer.call<EventView>('GET', `/events/${event.id}`);
    expect(after.body).toMatchObject({ registered: 2, capacity: 10, reminder: event.reminder });
    expect((await registrations(event.id)).map((r) => r.userId)).toEqual(['ev-restart', 'ev-restart-2']);
    expect(await t.app.events.reminders.job(event.reminder!.jobId)).toBeDefined();
  }, 60_000);
});
