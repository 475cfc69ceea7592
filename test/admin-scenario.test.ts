import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, createRoleUsers, editableDirs, PASSWORD } from './helpers/admin.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

const prefix = testPrefix('admin-scenario');
let t: TestApp;
let officer: AdminClient;
let admin: AdminClient;
let users: Awaited<ReturnType<typeof createRoleUsers>>;

/** Reads server-sent events until `until` says stop; returns the events seen. */
async function readEvents(
  url: string,
  cookie: string,
  until: (events: { event: string; data: unknown }[]) => boolean,
  timeoutMs = 20_000,
): Promise<{ event: string; data: unknown }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(url, { headers: { cookie }, signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

async function updates(userId: string): Promise<string[]> {
  const res = await fetch(`${t.url}/api/chat/updates?userId=${userId}`);
  return ((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

beforeAll(async () => {
  const dirs = await editableDirs();
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: dirs.knowledge, FLOWS_DIR: dirs.flows } });
  users = await createRoleUsers(t.app);
  officer = new AdminClient(t.url);
  await officer.login('officer1', PASSWORD);
  admin = new AdminClient(t.url);
  await admin.login('admin1', PASSWORD);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await removePrefix(prefix);
});

describe('an officer runs a campaign from the admin API', () => {
  it('imports subscribers, previews the segment, sends, follows live progress and exports the report', async () => {
    const csv = [
      'channel,user_id,display_name,khu_cong_nghiep,company,consent',
      'web,cn-1,Lan,An Nghiệp,Công ty A,opted_in',
      'web,cn-2,Hùng,An Nghiệp,Công ty B,opted_in',
      'web,cn-3,Mai,Trà Nóc,Công ty A,opted_in',
      'web,cn-4,Tư,An Nghiệp,Công ty A,opted_out',
      'web,,Thiếu mã,An Nghiệp,,opted_in',
    ].join('\n');
    const imported = await officer.call<{ created: number; errors: { line: number }[] }>(
      'POST',
      '/subscribers/import',
      csv,
      {
        contentType: 'text/csv',
      },
    );
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(4);
    expect(imported.body.errors.map((e) => e.line)).toEqual([6]);

    const found = await officer.call<{ items: { userId: string }[] }>('GET', '/subscribers?q=an nghiep');
    expect(found.body.items.map((s) => s.userId).sort()).toEqual(['cn-1', 'cn-2', 'cn-4']);

    const segment = { where: [{ field: 'khu_cong_nghiep', values: ['KCN An Nghiệp'] }] };
    const preview = await officer.call<{ count: number }>('POST', '/segments/preview', segment);
    expect(preview.body.count).toBe(2);

    const created = await officer.call<{ id: string; status: string }>('POST', '/campaigns', {
      name: 'Cảnh báo lừa đảo',
      content: { text: 'Cảnh báo: không chuyển tiền cho người tự xưng công an qua điện thoại.' },
      segment,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const live = readEvents(`${t.url}/admin/api/campaigns/${id}/events`, officer.cookie!, (events) =>
      events.some((e) => e.event === 'end'),
    );
    expect((await officer.call('POST', `/campaigns/${id}/submit`)).status).toBe(200);
    const events = await live;
    const last = events.filter((e) => e.event === 'report').at(-1)!.data as {
      runs: {
        sent: number;
        targeted: number;
        breakdown: Record<string, Record<string, Record<string, number>>>;
      }[];
    };
    expect(last.runs[0]!.sent).toBe(2);
    expect(last.runs[0]!.breakdown.khu_cong_nghiep!['An Nghiệp']!.sent).toBe(2);
    expect(allText((await updates('cn-1')).map((text) => ({ text })))).toContain('Cảnh báo');

    const exported = await fetch(`${t.url}/admin/api/campaigns/${id}/export.csv`, {
      headers: { cookie: officer.cookie! },
    });
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const rows = (await exported.text()).trim().split('\n');
    expect(rows).toHaveLength(3);

    const dashboard = await officer.call<{ campaignReach: { khu_cong_nghiep: string; sent: number }[] }>(
      'GET',
      '/reports/dashboard',
    );
    expect(dashboard.body.campaignReach).toContainEqual(
      expect.objectContaining({ khu_cong_nghiep: 'An Nghiệp', sent: 2 }),
    );

    const subscribersCsv = await fetch(`${t.url}/admin/api/subscribers/export`, {
      headers: { cookie: officer.cookie! },
    });
    expect(await subscribersCsv.text()).toContain('cn-3');
  }, 60_000);

  it('needs a second officer to approve, and can be paused, resumed, cancelled and test-sent', async () => {
    const segment = { where: [{ field: 'company', values: ['Công ty A'] }] };
    const { body: campaign } = await officer.call<{ id: string }>('POST', '/campaigns', {
      name: 'Lớp tuyên truyền pháp luật',
      content: { text: 'Mời anh chị dự lớp tuyên truyền pháp luật lao động.' },
      segment,
      schedule: { type: 'at', at: '2099-01-01T08:00' },
      requiresApproval: true,
    });
    const submitted = await officer.call<{ status: string }>('POST', `/campaigns/${campaign.id}/submit`);
    expect(submitted.body.status).toBe('awaiting_approval');
    const self = await officer.call<{ error: { code: string } }>('POST', `/campaigns/${campaign.id}/approve`);
    expect(self.status).toBe(409);
    const approved = await admin.call<{ status: string }>('POST', `/campaigns/${campaign.id}/approve`);
    expect(approved.body.status).toBe('scheduled');
    expect(
      (await officer.call<{ status: string }>('POST', `/campaigns/${campaign.id}/pause`)).body.status,
    ).toBe('paused');
    expect(
      (await officer.call<{ status: string }>('POST', `/campaigns/${campaign.id}/resume`)).body.status,
    ).toBe('scheduled');
    const test = await officer.call<{ messageIds: string[] }>('POST', `/campaigns/${campaign.id}/test`, {
      channel: 'web',
      userId: 'can-bo-thu',
    });
    expect(test.status).toBe(200);
    expect(await updates('can-bo-thu')).toEqual(['Mời anh chị dự lớp tuyên truyền pháp luật lao động.']);
    expect(
      (await officer.call<{ status: string }>('POST', `/campaigns/${campaign.id}/cancel`)).body.status,
    ).toBe('cancelled');
    const invalid = await officer.call<{ error: { issues: { path: string }[] } }>('POST', '/campaigns', {
      name: '',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.length).toBeGreaterThan(0);

    expect((await officer.call('POST', '/subscribers/web:cn-2/opt-out')).status).toBe(200);
    expect((await officer.call<{ count: number }>('POST', '/segments/preview', segment)).body.count).toBe(2);
  });
});

describe('the inbox', () => {
  it('lists a handed-off conversation live, lets an officer take it, reply on the worker channel and close it', async () => {
    const events = readEvents(`${t.url}/admin/api/inbox/events`, officer.cookie!, (e) =>
      e.some((x) => (x.data as { type: string }).type === 'closed'),
    );
    await new Promise((r) => setTimeout(r, 200));
    await t.say('tho-may', 'công ty nợ lương 2 tháng');
    await t.say('tho-may', 'gặp cán bộ');
    const list = await officer.call<{ items: { id: string; userId: string }[] }>('GET', '/inbox?status=open');
    const item = list.body.items.find((i) => i.userId === 'tho-may')!;
    expect(item).toBeDefined();
    const detail = await officer.call<{ messages: { from: string; text: string }[] }>(
      'GET',
      `/inbox/${item.id}`,
    );
    expect(detail.body.messages.map((m) => m.text).join('\n')).toContain('nợ lương');

    expect((await officer.call('POST', `/inbox/${item.id}/reply`, { text: 'Chào bạn' })).status).toBe(409);
    expect((await officer.call<{ status: string }>('POST', `/inbox/${item.id}/take`, {})).body.status).toBe(
      'assigned',
    );
    expect((await updates('tho-may')).join('\n')).toContain('đã tham gia');
    expect(await t.say('tho-may', 'em làm ở công ty A')).toEqual([]);
    const replied = await officer.call<{ messages: { from: string; text: string }[] }>(
      'POST',
      `/inbox/${item.id}/reply`,
      {
        text: 'Chào bạn, bạn cho mình xin tên công ty nhé.',
      },
    );
    expect(replied.body.messages.some((m) => m.from === 'worker' && m.text.includes('công ty A'))).toBe(true);
    expect(await updates('tho-may')).toContain('Chào bạn, bạn cho mình xin tên công ty nhé.');
    const other = new AdminClient(t.url);
    await other.login('admin1', PASSWORD);
    expect((await other.call('POST', `/inbox/${item.id}/reply`, { text: 'xen vào' })).status).toBe(409);
    expect((await officer.call<{ status: string }>('POST', `/inbox/${item.id}/close`)).body.status).toBe(
      'closed',
    );
    const types = (await events).map((e) => (e.data as { type: string }).type);
    expect(types).toEqual(expect.arrayContaining(['created', 'taken', 'message', 'closed']));
    expect((await t.say('tho-may', 'menu')).length).toBeGreaterThan(0);
  }, 30_000);
});

describe('tickets, lexicon, tokens and the audit trail', () => {
  it('officers follow up a ticket; every change route has left an audit entry', async () => {
    const ticket = await t.app.services.tickets.create({
      category: 'cham_no_luong',
      description: 'Công ty chậm lương 2 tháng',
      company: 'Công ty A',
      channel: 'web',
      userId: 'tho-may',
    });
    const patched = await officer.call<{ status: string; assignee: { name: string } }>(
      'PATCH',
      `/tickets/${ticket.id}`,
      {
        status: 'in_progress',
        assigneeId: users.officer.id,
      },
    );
    expect(patched.body.status).toBe('in_progress');
    expect(patched.body.assignee.name).toBe('Cán bộ officer');
    const noted = await officer.call<{ notes: { text: string }[] }>('POST', `/tickets/${ticket.id}/notes`, {
      text: 'Đã gọi điện cho công ty',
    });
    expect(noted.body.notes).toHaveLength(1);
    expect((await officer.call('GET', '/tickets?status=in_progress')).body).toMatchObject({
      items: [{ id: ticket.id }],
    });

    const lexicon = await admin.call<{ abbreviations: Record<string, string>; synonyms: string[][] }>(
      'GET',
      '/knowledge/lexicon',
    );
    lexicon.body.abbreviations.tc = 'tăng ca';
    expect((await admin.call('PUT', '/knowledge/lexicon', lexicon.body)).status).toBe(200);
    expect(
      (await admin.call<{ abbreviations: Record<string, string> }>('GET', '/knowledge/lexicon')).body
        .abbreviations.tc,
    ).toBe('tăng ca');

    const token = await officer.call<{ id: string; token: string }>('POST', '/tokens', {
      name: 'báo cáo tự động',
    });
    expect(token.body.token).toMatch(/^uat_/);
    expect((await officer.call('DELETE', `/tokens/${token.body.id}`)).status).toBe(204);

    const dashboard = await officer.call<{
      messagesPerDay: { channel: string; count: number }[];
      answers: { answered: number; notSure: number };
    }>('GET', '/reports/dashboard?days=7');
    expect(dashboard.body.messagesPerDay.find((d) => d.channel === 'web')!.count).toBeGreaterThan(0);

    // Every route that changes something, exercised in this file or in admin-api, writes its action.
    const audit = await t.app.admin!.services.audit.list({ limit: 1000 });
    const actions = new Set(audit.map((e) => e.action));
    const covered = [
      'campaign.create',
      'campaign.submit',
      'campaign.approve',
      'campaign.pause',
      'campaign.resume',
      'campaign.cancel',
      'campaign.test',
      'subscribers.import',
      'subscriber.opt_out',
      'inbox.take',
      'inbox.reply',
      'inbox.close',
      'ticket.update',
      'ticket.note',
      'lexicon.update',
      'token.create',
      'token.revoke',
      'auth.login',
    ];
    for (const action of covered) expect(actions, action).toContain(action);
    const withAudit = t.app.admin!.routes.flatMap((r) => (r.audit ? [r.audit.action] : []));
    const elsewhere = new Set([
      'auth.logout',
      'user.create',
      'user.update',
      'user.delete',
      'leaflet.create',
      'leaflet.update',
      'leaflet.delete',
      'knowledge.rebuild',
      'flow.update',
      'minimum_wage.update',
      // test/events.test.ts and test/surveys.test.ts
      'event.create',
      'event.update',
      'event.cancel',
      'event.attendance',
      'survey.create',
      'survey.close',
    ]);
    expect(withAudit.filter((a) => !actions.has(a) && !elsewhere.has(a))).toEqual([]);
    const take = audit.find((e) => e.action === 'inbox.take')!;
    expect(take.actor.username).toBe('officer1');
  }, 30_000);
});
