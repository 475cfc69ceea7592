import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignInput } from '../src/broadcast/campaigns.js';
import { importSubscribers } from '../src/broadcast/csv-import.js';
import { Broadcast } from '../src/broadcast/setup.js';
import type { NewSubscriber } from '../src/broadcast/subscribers.js';
import { messengerChannel } from '../src/channels/messenger/index.js';
import { createLogger } from '../src/platform/logger.js';
import { zonedTimeToUtc } from '../src/platform/time.js';
import { messengerEnv, startTestApp, type TestApp } from './helpers/app.js';
import { startFakeGraph, type FakeGraph, type GraphAnswer } from '../scripts/fakes/graph.js';
import { removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const prefix = testPrefix('broadcast');
let graph: FakeGraph;
let t: TestApp;
/** Answers of the fake Graph API per recipient, set by each test. */
const answers = new Map<string, (index: number) => GraphAnswer>();

const HOUR = 3600_000;
type Where = NonNullable<CampaignInput['segment']['where']>;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

beforeAll(async () => {
  graph = await startFakeGraph({ answer: (req, i) => answers.get(req.recipient)?.(i) ?? { ok: true } });
  t = await startTestApp({
    prefix,
    channels: [messengerChannel],
    env: {
      ...messengerEnv(graph.url),
      BROADCAST_ATTEMPTS: '3',
    },
  });
});

afterAll(async () => {
  await t?.stop();
  await graph?.close();
  await removePrefix(prefix);
});

const service = () => t.app.broadcast.service;
const store = () => t.app.services.subscribers;

async function seed(records: NewSubscriber[]): Promise<void> {
  await store().writeNew(records.map((r) => ({ consent: 'opted_in' as const, ...r })));
}

function campaign(name: string, where: Where, extra: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name,
    content: { text: `${name}: cảnh báo lừa đảo qua điện thoại.` },
    segment: { where },
    ...extra,
  };
}

async function runToEnd(id: string) {
  await waitFor(
    async () => ['completed', 'cancelled'].includes((await service().report(id)).campaign.status),
    {
      what: `campaign ${id} to finish`,
    },
  );
  return service().report(id);
}

const sentTo = (tag: string) =>
  graph.requests.filter((r) => r.body.message.text?.startsWith(tag)).map((r) => r.recipient);

describe('segments', () => {
  it('filters by attributes and topics (folded: "KCN An Nghiệp" = "an nghiep"), consenting subscribers only', async () => {
    await seed([
      {
        channel: 'web',
        userId: 'seg1',
        attributes: { khu_cong_nghiep: 'KCN An Nghiệp' },
        topics: ['lua_dao'],
      },
      { channel: 'web', userId: 'seg2', attributes: { khu_cong_nghiep: 'An Nghiệp' }, topics: ['luong'] },
      {
        channel: 'web',
        userId: 'seg3',
        attributes: { khu_cong_nghiep: 'Khu công nghiệp Tân Tạo' },
        topics: ['lua_dao'],
      },
      {
        channel: 'web',
        userId: 'seg4',
        attributes: { khu_cong_nghiep: 'an nghiep' },
        topics: ['lua_dao'],
        consent: 'opted_out',
      },
    ]);
    const count = (where: Where) => service().preview({ where });
    const zone = [{ field: 'khu_cong_nghiep' as const, values: ['an nghiep'] }];
    expect(await count(zone)).toBe(2);
    expect(await count([...zone, { field: 'topic', values: ['lừa đảo'] }])).toBe(1);
    expect(
      await count([
        { field: 'khu_cong_nghiep', values: ['An Nghiệp', 'Tân Tạo'] },
        { field: 'topic', values: ['lua_dao'] },
      ]),
    ).toBe(2);
    expect(await count([{ field: 'khu_cong_nghiep', values: ['Nhơn Trạch'] }])).toBe(0);
  });

  it('re-indexes a subscriber whose attribute or topics change', async () => {
    await store().setAttributes('web', 'seg1', { khu_cong_nghiep: 'Nhơn Trạch' });
    await store().setTopics('web', 'seg1', ['bhxh']);
    expect(
      await service().preview({
        where: [
          { field: 'khu_cong_nghiep', values: ['Nhơn Trạch'] },
          { field: 'topic', values: ['bhxh'] },
        ],
      }),
    ).toBe(1);
    expect(await service().preview({ where: [{ field: 'khu_cong_nghiep', values: ['An Nghiệp'] }] })).toBe(1);
  });
});

describe('a campaign from draft to completed', () => {
  it('sends once to each eligible subscriber, skips and counts the rest, and reports by khu công nghiệp', async () => {
    const zone = { khu_cong_nghiep: 'VSIP', company: 'Công ty A' };
    await seed([
      { channel: 'messenger', userId: '9001', attributes: zone, lastInteractionAt: ago(2 * HOUR) },
      { channel: 'messenger', userId: '9002', attributes: zone, lastInteractionAt: ago(3 * HOUR) },
      // Last wrote 30 hours ago: outside Messenger's 24-hour window, no tag.
      { channel: 'messenger', userId: '9003', attributes: zone, lastInteractionAt: ago(30 * HOUR) },
      // Imported, never wrote to the Page: Messenger allows nothing.
      { channel: 'messenger', userId: '9004', attributes: zone },
      {
        channel: 'messenger',
        userId: '9005',
        attributes: zone,
        lastInteractionAt: ago(HOUR),
        consent: 'opted_out',
      },
      { channel: 'web', userId: 'vsip-web', attributes: { khu_cong_nghiep: 'VSIP', company: 'Công ty B' } },
      // A console user cannot be pushed to.
      { channel: 'console', userId: 'vsip-console', attributes: zone },
    ]);
    const created = await service().create(
      campaign('VSIP1', [{ field: 'khu_cong_nghiep', values: ['VSIP'] }]),
      'can_bo_a',
    );
    expect(created.status).toBe('draft');
    expect(await service().preview(created.segment)).toBe(6);
    await service().submit(created.id, 'can_bo_a');
    const report = await runToEnd(created.id);

    expect(report.campaign.status).toBe('completed');
    expect(sentTo('VSIP1').sort()).toEqual(['9001', '9002']);
    expect(graph.requests.find((r) => r.recipient === '9001')!.body.messaging_type).toBe('UPDATE');
    const [run] = report.runs;
    expect(run).toMatchObject({
      status: 'completed',
      targeted: 6,
      processed: 6,
      sent: 3,
      failed: 0,
      skipped: 3,
      unknown: 0,
      queued: 0,
    });
    expect(run!.reasons.skipped).toEqual({
      outside_24h_window: 1,
      never_interacted: 1,
      channel_cannot_broadcast: 1,
    });
    expect(run!.breakdown.company).toMatchObject({
      'Công ty A': { sent: 2, skipped: 3 },
      'Công ty B': { sent: 1 },
    });
    expect(await t.app.web.drainOutbox('vsip-web')).toEqual([
      expect.objectContaining({ text: expect.stringContaining('VSIP1') }),
    ]);

    let csv = '';
    for await (const chunk of service().exportCsv(run!.runId)) csv += chunk;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'subscriber_id,channel,user_id,status,reason,message_id,at,khu_cong_nghiep,company',
    );
    expect(lines).toHaveLength(7);
    expect(lines).toContainEqual(
      expect.stringMatching(/^messenger:9003,messenger,9003,skipped,outside_24h_window,,.*,VSIP,Công ty A$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^messenger:9001,messenger,9001,sent,,m_\d+,/));
  });

  it('sends tagged messages outside the 24-hour window when the campaign has a Messenger tag', async () => {
    await seed([
      {
        channel: 'messenger',
        userId: '9101',
        attributes: { khu_cong_nghiep: 'Tag Zone' },
        lastInteractionAt: ago(30 * HOUR),
      },
    ]);
    const c = await service().create(
      campaign('TAG1', [{ field: 'khu_cong_nghiep', values: ['Tag Zone'] }], {
        messengerTag: 'CONFIRMED_EVENT_UPDATE',
      }),
      'a',
    );
    await service().submit(c.id, 'a');
    const report = await runToEnd(c.id);
    expect(report.runs[0]).toMatchObject({ sent: 1 });
    const request = graph.requests.find((r) => r.recipient === '9101')!;
    expect(request.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' });
  });

  it('honours an opt-out typed after the deliveries were queued, and pause and resume', async () => {
    const zone = { khu_cong_nghiep: 'Opt Zone' };
    await seed([
      { channel: 'web', userId: 'opt1', attributes: zone },
      { channel: 'web', userId: 'opt2', attributes: zone },
    ]);
    const c = await service().create(
      campaign('OPT1', [{ field: 'khu_cong_nghiep', values: ['Opt Zone'] }]),
      'a',
    );
    await service().submit(c.id, 'a');
    await service().pause(c.id);
    const runId = await waitFor(async () => {
      const report = await service().report(c.id);
      return report.runs[0]?.expanded ? report.runs[0].runId : undefined;
    });
    expect((await service().report(c.id)).runs[0]).toMatchObject({ targeted: 2, queued: 2 });
    // The worker types "hủy" (without diacritics) while the campaign waits.
    const reply = await t.say('opt2', 'huy');
    expect(reply[0]!.text).toContain('hủy nhận tin');
    await new Promise((r) => setTimeout(r, 300));
    expect((await service().report(c.id)).campaign.status).toBe('paused');
    await service().resume(c.id);
    const report = await runToEnd(c.id);
    expect(report.runs[0]).toMatchObject({ runId, sent: 1, skipped: 1 });
    expect(report.runs[0]!.reasons.skipped).toEqual({ opted_out: 1 });
    expect((await t.app.web.drainOutbox('opt1')).map((m) => m.text)).toEqual([
      expect.stringContaining('OPT1'),
    ]);
    expect((await t.app.web.drainOutbox('opt2')).some((m) => m.text.includes('OPT1'))).toBe(false);
  });

  it('cancels a running campaign: what was not sent yet is skipped as cancelled', async () => {
    await seed([{ channel: 'web', userId: 'can1', attributes: { khu_cong_nghiep: 'Cancel Zone' } }]);
    const c = await service().create(
      campaign('CAN1', [{ field: 'khu_cong_nghiep', values: ['Cancel Zone'] }]),
      'a',
    );
    await service().submit(c.id, 'a');
    await service().pause(c.id);
    await waitFor(async () => (await service().report(c.id)).runs[0]?.expanded);
    await service().cancel(c.id);
    await waitFor(async () => (await service().report(c.id)).runs[0]?.processed === 1);
    const report = await service().report(c.id);
    expect(report.campaign.status).toBe('cancelled');
    expect(report.runs[0]!.reasons.skipped).toEqual({ cancelled: 1 });
    await expect(service().resume(c.id)).rejects.toThrow(/không thể chuyển/);
  });
});

describe('platform answers', () => {
  it('records a blocked person as failed (unreachable), marks them, and does not retry', async () => {
    answers.set('9201', () => ({
      status: 400,
      error: { message: 'This person isn\u2019t available right now.', type: 'OAuthException', code: 551 },
    }));
    await seed([
      {
        channel: 'messenger',
        userId: '9201',
        attributes: { khu_cong_nghiep: 'Blocked Zone' },
        lastInteractionAt: ago(HOUR),
      },
    ]);
    const c = await service().create(
      campaign('BLK1', [{ field: 'khu_cong_nghiep', values: ['Blocked Zone'] }]),
      'a',
    );
    await service().submit(c.id, 'a');
    const report = await runToEnd(c.id);
    expect(report.runs[0]).toMatchObject({ failed: 1, sent: 0 });
    expect(report.runs[0]!.reasons.failed).toEqual({ unreachable: 1 });
    expect(graph.received.filter((r) => r.recipient === '9201')).toHaveLength(1);
    expect((await store().get('messenger', '9201'))!.reachable).toBe(false);
  });

  it('retries a transient error with backoff and sends once it clears', async () => {
    let calls = 0;
    answers.set('9202', () =>
      ++calls === 1
        ? {
            status: 500,
            error: {
              message: 'An unexpected error has occurred. Please retry your request later.',
              type: 'OAuthException',
              code: 2,
            },
          }
        : { ok: true },
    );
    await seed([
      {
        channel: 'messenger',
        userId: '9202',
        attributes: { khu_cong_nghiep: 'Flaky Zone' },
        lastInteractionAt: ago(HOUR),
      },
    ]);
    const c = await service().create(
      campaign('FLK1', [{ field: 'khu_cong_nghiep', values: ['Flaky Zone'] }]),
      'a',
    );
    await service().submit(c.id, 'a');
    const report = await runToEnd(c.id);
    expect(report.runs[0]).toMatchObject({ sent: 1, failed: 0 });
    expect(sentTo('FLK1')).toEqual(['9202']);
    expect(calls).toBe(2);
  });

  it('gives up after the configured attempts and records the failure', async () => {
    answers.set('9203', () => ({
      status: 503,
      error: { message: 'Service unavailable', type: 'OAuthException', code: 2 },
    }));
    await seed([
      {
        channel: 'messenger',
        userId: '9203',
        attributes: { khu_cong_nghiep: 'Down Zone' },
        lastInteractionAt: ago(HOUR),
      },
    ]);
    const c = await service().create(
      campaign('DWN1', [{ field: 'khu_cong_nghiep', values: ['Down Zone'] }]),
      'a',
    );
    await service().submit(c.id, 'a');
    const report = await runToEnd(c.id);
    expect(report.runs[0]!.reasons.failed).toEqual({ transient: 1 });
    expect(graph.received.filter((r) => r.recipient === '9203')).toHaveLength(3);
  });
});

describe('approval, schedules, polls and test sends', () => {
  it('needs a second officer to approve', async () => {
    await seed([{ channel: 'web', userId: 'apr1', attributes: { khu_cong_nghiep: 'Approve Zone' } }]);
    const c = await service().create(
      campaign('APR1', [{ field: 'khu_cong_nghiep', values: ['Approve Zone'] }], { requiresApproval: true }),
      'lan',
    );
    expect((await service().submit(c.id, 'lan')).status).toBe('awaiting_approval');
    await new Promise((r) => setTimeout(r, 300));
    expect((await service().report(c.id)).runs).toHaveLength(0);
    await expect(service().approve(c.id, 'lan')).rejects.toThrow(/khác người tạo/);
    await service().approve(c.id, 'minh');
    const report = await runToEnd(c.id);
    expect(report.campaign).toMatchObject({ status: 'completed', approvedBy: 'minh', createdBy: 'lan' });
  });

  it('sends at a local time in Asia/Ho_Chi_Minh, and refuses a time already past', async () => {
    await seed([{ channel: 'web', userId: 'at1', attributes: { khu_cong_nghiep: 'At Zone' } }]);
    // Two seconds from now, written as Vietnamese wall-clock time (UTC+7).
    const local = new Date(Date.now() + 7 * HOUR + 2000).toISOString().slice(0, 19);
    expect(zonedTimeToUtc(local, 'Asia/Ho_Chi_Minh').getTime()).toBeGreaterThan(Date.now());
    const c = await service().create(
      campaign('AT1', [{ field: 'khu_cong_nghiep', values: ['At Zone'] }], {
        schedule: { type: 'at', at: local },
      }),
      'a',
    );
    await service().submit(c.id, 'a');
    const [job] = await t.app.broadcast.queues.control.getJobs(['delayed']);
    expect(job?.data).toEqual({ campaignId: c.id });
    expect((await service().report(c.id)).campaign.status).toBe('scheduled');
    const report = await runToEnd(c.id);
    expect(Date.parse(report.runs[0]!.startedAt)).toBeGreaterThanOrEqual(
      zonedTimeToUtc(local, 'Asia/Ho_Chi_Minh').getTime(),
    );

    const past = await service().create(
      campaign('AT2', [], { schedule: { type: 'at', at: '2020-01-01T08:00' } }),
      'a',
    );
    await expect(service().submit(past.id, 'a')).rejects.toThrow(/đã qua/);
  });

  it('repeats on a cron schedule until paused', async () => {
    await seed([{ channel: 'web', userId: 'cron1', attributes: { khu_cong_nghiep: 'Cron Zone' } }]);
    const c = await service().create(
      campaign('CRON1', [{ field: 'khu_cong_nghiep', values: ['Cron Zone'] }], {
        schedule: { type: 'cron', cron: '*/2 * * * * *' },
      }),
      'a',
    );
    await service().submit(c.id, 'a');
    await waitFor(
      async () => {
        const report = await service().report(c.id);
        return report.runs.filter((r) => r.status === 'completed').length >= 2;
      },
      { timeoutMs: 15_000, what: 'two cron runs' },
    );
    await service().pause(c.id);
    const runs = (await service().report(c.id)).campaign.runs.length;
    await new Promise((r) => setTimeout(r, 2500));
    const after = await service().report(c.id);
    expect(after.campaign.runs.length).toBeLessThanOrEqual(runs + 1);
    expect(after.runs.every((r) => r.sent === 1)).toBe(true);
    const outbox = await t.app.web.drainOutbox('cron1');
    expect(outbox.filter((m) => m.text.includes('CRON1')).length).toBe(after.runs.length);
    await service().cancel(c.id);
    expect(await t.app.broadcast.queues.control.getJobSchedulers()).toEqual([]);
  });

  it('records poll answers once per person (a changed answer moves the vote)', async () => {
    await seed(
      ['p1', 'p2', 'p3'].map((userId) => ({
        channel: 'web',
        userId,
        attributes: { khu_cong_nghiep: 'Poll Zone' },
      })),
    );
    const c = await service().create(
      {
        ...campaign('POLL1', [{ field: 'khu_cong_nghiep', values: ['Poll Zone'] }]),
        content: {
          text: 'POLL1: Bạn có muốn dự lớp pháp luật tối thứ Bảy?',
          poll: {
            options: [
              { id: 'co', title: 'Có' },
              { id: 'khong', title: 'Không' },
            ],
          },
        },
      },
      'a',
    );
    await service().submit(c.id, 'a');
    await runToEnd(c.id);
    const [message] = await t.app.web.drainOutbox('p1');
    expect(message!.quickReplies).toEqual([
      { title: 'Có', payload: `POLL:${c.id}:co` },
      { title: 'Không', payload: `POLL:${c.id}:khong` },
    ]);
    const thanks = await t.say('p1', 'Có', `POLL:${c.id}:co`);
    expect(thanks[0]!.text).toContain('Cảm ơn bạn đã trả lời');
    await t.say('p2', 'Có', `POLL:${c.id}:co`);
    await t.say('p1', 'Không', `POLL:${c.id}:khong`);
    await t.say('p3', 'Không', `POLL:${c.id}:khong`);
    expect((await service().report(c.id)).poll).toEqual({ co: 1, khong: 2 });
  });

  it('test-sends to the officer, also from a process without senders (through a worker)', async () => {
    const c = await service().create(campaign('TEST1', []), 'a');
    await service().testSend(c.id, { channel: 'web', userId: 'officer-lan' });
    // The CLI's view: no senders of its own, so a worker sends for it.
    const cli = new Broadcast({
      config: t.app.config,
      redis: t.app.redis,
      logger: createLogger({ level: 'silent' }),
      subscribers: store(),
      polls: t.app.services.polls,
      senders: new Map(),
      now: () => new Date(),
    });
    try {
      const ids = await cli.service.testSend(c.id, { channel: 'web', userId: 'officer-lan' }, 10_000);
      expect(ids).toHaveLength(1);
    } finally {
      await cli.close();
    }
    const outbox = await t.app.web.drainOutbox('officer-lan');
    expect(outbox.map((m) => m.text)).toEqual([
      expect.stringContaining('TEST1'),
      expect.stringContaining('TEST1'),
    ]);
    expect((await service().report(c.id)).campaign.status).toBe('draft');
  });

  it('rejects invalid campaigns with a message saying what is wrong', async () => {
    await expect(
      service().create({ name: 'x', content: { text: '' }, segment: { where: [] } }, 'a'),
    ).rejects.toThrow(/nội dung không được để trống/);
    await expect(
      service().create(
        {
          name: 'x',
          content: { text: 'a' },
          segment: { where: [{ field: 'phone' as never, values: ['1'] }] },
        },
        'a',
      ),
    ).rejects.toThrow(/không hợp lệ/);
    const c = await service().create(
      campaign('BADCRON', [], { schedule: { type: 'cron', cron: 'every monday' } }),
      'a',
    );
    await expect(service().submit(c.id, 'a')).rejects.toThrow(/lịch lặp/);
  });
});

describe('subscribers from CSV', () => {
  const csv = [
    'channel,user_id,display_name,khu_cong_nghiep,company,topics,consent,consent_at',
    'zalo-oa,1001,Lan,KCN An Nghiệp,Công ty May,lừa đảo;lương,có,12/11/2026',
    'messenger,1002,,An Nghiệp,,lua_dao,opted_in,',
    'web,1003,,,,,maybe,',
    ',1004,,,,,,',
    'zalo-oa,1001,,,,,,',
    'zalo-oa,1005,Hoa,Nhơn Trạch,,,opted_out,',
  ].join('\n');

  it('imports valid rows, reports bad ones by line, and changes nothing on a second import', async () => {
    const first = await importSubscribers(Readable.from([csv]), store(), { sourceName: 'ds.csv' });
    expect(first).toMatchObject({ rows: 6, created: 3, updated: 0, unchanged: 0 });
    expect(first.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(first.errors[0]!.message).toMatch(/consent "maybe"/);
    expect(first.errors[1]!.message).toMatch(/kênh phải là/);
    expect(first.errors[2]!.message).toMatch(/trùng người với dòng 2/);

    const lan = (await store().get('zalo-oa', '1001'))!;
    expect(lan).toMatchObject({
      displayName: 'Lan',
      topics: ['lua_dao', 'luong'],
      attributes: { khu_cong_nghiep: 'KCN An Nghiệp', company: 'Công ty May' },
    });
    // A date alone is midnight in Việt Nam.
    expect(lan.consent).toMatchObject({
      status: 'opted_in',
      source: 'csv import:ds.csv',
      at: '2026-11-11T17:00:00.000Z',
    });

    const second = await importSubscribers(Readable.from([csv]), store(), { sourceName: 'ds.csv' });
    expect(second).toMatchObject({ rows: 6, created: 0, updated: 0, unchanged: 3 });
    expect(await store().consentLog('zalo-oa', '1001')).toHaveLength(1);

    const changed = csv.replace('Công ty May', 'Công ty Giày');
    expect(
      await importSubscribers(Readable.from([changed]), store(), { sourceName: 'ds2.csv' }),
    ).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await service().preview({ where: [{ field: 'company', values: ['công ty giày'] }] })).toBe(1);
    expect(await service().preview({ where: [{ field: 'company', values: ['Công ty May'] }] })).toBe(0);
  });

  it('refuses a file whose header has unknown columns', async () => {
    await expect(
      importSubscribers(Readable.from(['channel,user_id,luong\nweb,1,2']), store(), { sourceName: 'x' }),
    ).rejects.toThrow(/cột không biết: luong/);
  });
});

describe('process roles', () => {
  it('a web process queues campaigns and a worker process delivers them', async () => {
    const rolePrefix = testPrefix('broadcast-roles');
    const web = await startTestApp({ prefix: rolePrefix, role: 'web' });
    let worker: TestApp | undefined;
    try {
      await web.say('role-user', 'đăng ký nhận tin');
      await web.say('role-user', 'đồng ý');
      const c = await web.app.broadcast.service.create(
        campaign('ROLE1', [{ field: 'channel', values: ['web'] }]),
        'a',
      );
      await web.app.broadcast.service.submit(c.id, 'a');
      await new Promise((r) => setTimeout(r, 500));
      expect((await web.app.broadcast.service.report(c.id)).runs).toHaveLength(0);

      worker = await startTestApp({ prefix: rolePrefix, role: 'worker' });
      expect((await worker.post({ userId: 'x', text: 'menu' })).status).toBe(404);
      await waitFor(
        async () => (await web.app.broadcast.service.report(c.id)).campaign.status === 'completed',
      );
      const updates = await fetch(`${web.url}/api/chat/updates?userId=role-user`).then(
        (r) => r.json() as Promise<{ messages: { text: string }[] }>,
      );
      expect(updates.messages.map((m) => m.text)).toEqual([expect.stringContaining('ROLE1')]);
    } finally {
      await worker?.stop();
      await web.stop();
      await removePrefix(rolePrefix);
    }
  });
});
