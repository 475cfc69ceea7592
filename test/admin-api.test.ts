import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../src/admin/api/route.js';
import { roleAllows, ROLES, type Role } from '../src/admin/roles.js';
import { AdminClient, createRoleUsers, editableDirs, PASSWORD, penguinLeaflet } from './helpers/admin.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const prefix = testPrefix('admin-api');
let t: TestApp;
let users: Awaited<ReturnType<typeof createRoleUsers>>;
const tokens = {} as Record<Role, string>;

/** Placeholder values that satisfy each path parameter's pattern, so the request reaches the handler. */
function concretePath(def: RouteDef): string {
  return def.path.replace(
    ':id',
    def.path.startsWith('/inbox')
      ? 'ZZZZZZ'
      : def.path.startsWith('/tickets')
        ? 'PAZZZZZZ'
        : def.path.startsWith('/subscribers')
          ? 'web:nobody'
          : def.path.startsWith('/flows')
            ? 'khong_co'
            : def.path.startsWith('/knowledge')
              ? 'khong-co'
              : 'khongco',
  );
}

async function request(def: RouteDef, client: AdminClient): Promise<number> {
  const controller = new AbortController();
  const headers: Record<string, string> = {};
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (def.method !== 'get') headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}/admin/api${concretePath(def)}`, {
    method: def.method.toUpperCase(),
    headers,
    body: def.method === 'get' ? undefined : '{}',
    signal: controller.signal,
  });
  // Event streams never end on their own: the status is all this test needs.
  controller.abort();
  return res.status;
}

beforeAll(async () => {
  const dirs = await editableDirs();
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: dirs.knowledge, FLOWS_DIR: dirs.flows } });
  users = await createRoleUsers(t.app);
  for (const role of ROLES) {
    const { token } = await t.app.admin!.services.tokens.create(users[role].id, 'kiểm thử');
    tokens[role] = token;
  }
}, 60_000);

afterAll(async () => {
  await t?.app.admin?.settle();
  await t?.stop();
  await removePrefix(prefix);
});

describe('roles', () => {
  it('every route refuses callers without credentials and roles below its own, and lets the others through', async () => {
    const routes = t.app.admin!.routes.filter((r) => r.role !== 'public');
    expect(routes.length).toBeGreaterThan(40);
    const anonymous = new AdminClient(t.url);
    const failures: string[] = [];
    for (const def of routes) {
      const name = `${def.method.toUpperCase()} ${def.path}`;
      const status = await request(def, anonymous);
      if (status !== 401) failures.push(`${name} anonymous → ${status}`);
      for (const role of ROLES) {
        const client = new AdminClient(t.url);
        client.token = tokens[role];
        const got = await request(def, client);
        const allowed = roleAllows(role, def.role as Role);
        if (allowed && (got === 401 || got === 403)) failures.push(`${name} ${role} refused (${got})`);
        if (!allowed && got !== 403) failures.push(`${name} ${role} → ${got}, expected 403`);
      }
    }
    await t.app.admin!.settle();
    expect(failures).toEqual([]);
  }, 120_000);

  it('a bad or revoked token is refused', async () => {
    const client = new AdminClient(t.url);
    client.token = 'uat_000000000000_' + 'x'.repeat(43);
    expect((await client.call('GET', '/campaigns')).status).toBe(401);
    const { token, record } = await t.app.admin!.services.tokens.create(users.officer.id, 'tạm');
    client.token = token;
    expect((await client.call('GET', '/campaigns')).status).toBe(200);
    await t.app.admin!.services.tokens.revoke(users.officer.id, record.id);
    expect((await client.call('GET', '/campaigns')).status).toBe(401);
  });
});

describe('login and sessions', () => {
  it('sets an HttpOnly, SameSite=Strict cookie, Secure behind TLS, and needs the CSRF token for changes', async () => {
    const client = new AdminClient(t.url);
    const answer = await client.login('officer1', PASSWORD);
    expect(answer.status).toBe(200);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const me = await client.call<{ user: { role: string } }>('GET', '/auth/me');
    expect(me.body.user.role).toBe('officer');

    const withoutCsrf = await client.call('POST', '/segments/preview', { where: [] }, { csrf: false });
    expect(withoutCsrf.status).toBe(403);
    expect((withoutCsrf.body as { error: { code: string } }).error.code).toBe('csrf');
    expect((await client.call('POST', '/segments/preview', { where: [] })).status).toBe(200);

    // Behind a TLS-terminating proxy on the same host (TRUST_PROXY=loopback) the cookie is Secure.
    const tls = await fetch(`${t.url}/admin/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'officer1', password: PASSWORD }),
    });
    expect(tls.headers.get('set-cookie')).toMatch(/Secure/);

    expect((await client.call('POST', '/auth/logout')).status).toBe(204);
    expect((await client.call('GET', '/auth/me')).status).toBe(401);
  });

  it('locks a username after repeated failures, without telling whether it exists', async () => {
    const client = new AdminClient(t.url);
    for (let i = 0; i < 5; i++) {
      const bad = await client.login('viewer1', 'sai-mat-khau-roi');
      expect(bad.status).toBe(401);
    }
    const locked = await client.login('viewer1', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const unknown = await client.login('khong-ai-ca', 'sai-mat-khau-roi');
    expect(unknown.status).toBe(401);
    expect((unknown.body as unknown as { error: { message: string } }).error.message).toBe(
      'Sai tên đăng nhập hoặc mật khẩu',
    );
    // Someone else can still log in meanwhile.
    expect((await new AdminClient(t.url).login('admin1', PASSWORD)).status).toBe(200);
  });

  it('ends sessions when the password changes or the user is disabled; the last admin stays', async () => {
    const admin = new AdminClient(t.url);
    await admin.login('admin1', PASSWORD);
    const created = await admin.call<{ id: string }>('POST', '/users', {
      username: 'tam.thoi',
      name: 'Người Tạm',
      role: 'officer',
      password: 'mot-mat-khau-dai',
    });
    expect(created.status).toBe(201);
    const other = new AdminClient(t.url);
    expect((await other.login('tam.thoi', 'mot-mat-khau-dai')).status).toBe(200);
    await admin.call('PATCH', `/users/${created.body.id}`, { password: 'mat-khau-moi-dai' });
    expect((await other.call('GET', '/auth/me')).status).toBe(401);
    await other.login('tam.thoi', 'mat-khau-moi-dai');
    await admin.call('PATCH', `/users/${created.body.id}`, { disabled: true });
    expect((await other.call('GET', '/auth/me')).status).toBe(401);
    expect((await other.login('tam.thoi', 'mat-khau-moi-dai')).status).toBe(401);

    const weak = await admin.call('POST', '/users', {
      username: 'yeu',
      name: 'Yếu',
      role: 'viewer',
      password: '123',
    });
    expect(weak.status).toBe(400);
    const demoteSelf = await admin.call('PATCH', `/users/${users.admin.id}`, { role: 'viewer' });
    expect(demoteSelf.status).toBe(409);
    expect((await admin.call('DELETE', `/users/${created.body.id}`)).status).toBe(204);
  });
});

describe('knowledge from the console', () => {
  it('refuses a leaflet whose numbers are not in the cited article, saves a valid one, and the ask-test follows a rebuild', async () => {
    const admin = new AdminClient(t.url);
    await admin.login('admin1', PASSWORD);
    const wrong = await admin.call<{ error: { code: string; issues: { message: string }[] } }>(
      'POST',
      '/knowledge/leaflets',
      penguinLeaflet('Chim cánh cụt được nghỉ đông 100 ngày mỗi năm.'),
      { contentType: 'text/markdown' },
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues.map((i) => i.message).join(' ')).toMatch(/số "100"/);

    const created = await admin.call('POST', '/knowledge/leaflets', {
      markdown: penguinLeaflet('Chim cánh cụt được nghỉ đông 99 ngày mỗi năm.'),
    });
    expect(created.status).toBe(201);
    const rebuild = async () => {
      expect((await admin.call('POST', '/knowledge/rebuild')).status).toBe(202);
      await t.app.admin!.settle();
      const state = await admin.call<{ status: string }>('GET', '/knowledge/rebuild');
      expect(state.body.status).toBe('done');
    };
    await rebuild();
    const ask = async () =>
      (
        await admin.call<{ answer: string; sources: { id: string; score: number }[] }>(
          'POST',
          '/knowledge/ask',
          {
            question: 'chim cánh cụt nghỉ đông bao lâu',
          },
        )
      ).body;
    const before = await ask();
    expect(before.answer).toContain('99 ngày');
    expect(before.sources[0]!.score).toBeGreaterThan(0);

    const updated = await admin.call('PUT', '/knowledge/leaflets/nghi-dong-chim', {
      markdown: penguinLeaflet(
        'Chim cánh cụt được nghỉ đông 99 ngày mỗi năm; làm trên băng trôi được nghỉ thêm 3 ngày.',
      ),
    });
    expect(updated.status).toBe(200);
    await rebuild();
    expect((await ask()).answer).toContain('nghỉ thêm 3 ngày');

    const read = await admin.call<{ markdown: string }>('GET', '/knowledge/leaflets/nghi-dong-chim');
    expect(read.body.markdown).toContain('băng trôi');
    expect((await admin.call('DELETE', '/knowledge/leaflets/nghi-dong-chim')).status).toBe(204);
    expect((await admin.call('GET', '/knowledge/leaflets/nghi-dong-chim')).status).toBe(404);
  }, 60_000);

  it('validates and hot-reloads a flow; a broken flow is refused and the running flows stay', async () => {
    const admin = new AdminClient(t.url);
    await admin.login('admin1', PASSWORD);
    const { body } = await admin.call<{ yaml: string }>('GET', '/flows/help');
    const broken = body.yaml.replace('start: explain', 'start: khong_ton_tai');
    expect(broken).not.toBe(body.yaml);
    const check = await admin.call<{ ok: boolean; errors: string[] }>('POST', '/flows/validate', {
      id: 'help',
      yaml: broken,
    });
    expect(check.body.ok).toBe(false);
    expect((await admin.call('PUT', '/flows/help', { yaml: broken })).status).toBe(422);
    expect((await admin.call('PUT', '/flows/help', { yaml: body.yaml })).status).toBe(200);
    expect(t.app.flows.ids).toContain('help');
  });
});

describe('several web processes', () => {
  it('a flow saved through one process is reloaded by the others', async () => {
    const second = await startTestApp({
      prefix,
      env: { KNOWLEDGE_DIR: t.app.config.paths.knowledge, FLOWS_DIR: t.app.config.paths.flows },
    });
    try {
      const admin = new AdminClient(t.url);
      await admin.login('admin1', PASSWORD);
      const { body } = await admin.call<{ yaml: string }>('GET', '/flows/help');
      const changed = body.yaml.replace(
        'Cách dùng Trợ lý Công đoàn:',
        'Cách dùng Trợ lý Công đoàn (bản mới):',
      );
      expect(changed).not.toBe(body.yaml);
      expect((await admin.call('PUT', '/flows/help', { yaml: changed })).status).toBe(200);
      await waitFor(async () =>
        allText(await second.say('hai-tien-trinh', 'trợ giúp')).includes('(bản mới)'),
      );
      await admin.call('PUT', '/flows/help', { yaml: body.yaml });
    } finally {
      await second.stop();
    }
  }, 30_000);
});

describe('audit', () => {
  it('every change route writes who, what and when', async () => {
    const audit = await t.app.admin!.services.audit.list({ limit: 1000 });
    const actions = new Set(audit.map((e) => e.action));
    // Routes exercised above; the scenario test (admin-scenario) covers campaigns, inbox and tickets.
    for (const action of [
      'auth.login',
      'auth.logout',
      'user.create',
      'user.update',
      'user.delete',
      'leaflet.create',
      'leaflet.update',
      'leaflet.delete',
      'knowledge.rebuild',
      'flow.update',
    ])
      expect(actions, action).toContain(action);
    const entry = audit.find((e) => e.action === 'user.update')!;
    expect(entry.actor.username).toBe('admin1');
    expect(entry.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(entry.target).toBeTruthy();
  });
});

describe('OpenAPI', () => {
  it('is a valid OpenAPI 3.1 document that covers every route', async () => {
    const res = await fetch(`${t.url}/admin/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
    );
    for (const def of t.app.admin!.routes) {
      expect(documented).toContain(`${def.method} ${def.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    }
    expect(documented.size).toBe(t.app.admin!.routes.length);
  });
});

describe('bull-board and the console', () => {
  it('shows the queues to admins only, and serves the console with a strict CSP', async () => {
    const viewer = new AdminClient(t.url);
    await viewer.login('officer1', PASSWORD);
    const refused = await fetch(`${t.url}/admin/queues`, {
      headers: { cookie: viewer.cookie! },
      redirect: 'manual',
    });
    expect(refused.status).toBe(403);
    const admin = new AdminClient(t.url);
    await admin.login('admin1', PASSWORD);
    const board = await fetch(`${t.url}/admin/queues`, { headers: { cookie: admin.cookie! } });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');
    const anonymous = await fetch(`${t.url}/admin/queues`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);

    const page = await fetch(`${t.url}/admin/campaigns/whatever`);
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
