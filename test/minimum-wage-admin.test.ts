import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, createRoleUsers, editableDirs, PASSWORD } from './helpers/admin.js';
import { allText, startTestApp, type TestApp } from './helpers/app.js';
import { removePrefix, testPrefix } from './helpers/redis.js';

/**
 * The admin API of the regional minimum wage data file: read by viewers, replaced by admins after
 * validation against the shipped decree, audited, and used by the chat's next lookup.
 */

const prefix = testPrefix('mw-admin');
let t: TestApp;
let knowledge: string;
const clients = {} as Record<'admin' | 'officer' | 'viewer', AdminClient>;

interface MinimumWageDoc {
  regions: Record<string, { monthly: number; hourly: number }>;
  provinces: { province: string; aliases?: string[] }[];
  localities: { province: string; area: string; region: string }[];
}

beforeAll(async () => {
  const dirs = await editableDirs();
  knowledge = dirs.knowledge;
  await mkdir(path.join(knowledge, 'data'), { recursive: true });
  await cp(
    path.resolve('knowledge/data/minimum-wage.json'),
    path.join(knowledge, 'data', 'minimum-wage.json'),
  );
  await cp(
    path.resolve('knowledge/laws/293-2025-ND-CP.json'),
    path.join(knowledge, 'laws', '293-2025-ND-CP.json'),
  );
  t = await startTestApp({ prefix, env: { KNOWLEDGE_DIR: knowledge, FLOWS_DIR: dirs.flows } });
  await createRoleUsers(t.app);
  for (const role of ['admin', 'officer', 'viewer'] as const) {
    clients[role] = new AdminClient(t.url);
    expect((await clients[role].login(`${role}1`, PASSWORD)).status).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await t?.app.admin?.settle();
  await t?.stop();
  await removePrefix(prefix);
});

describe('GET and PUT /admin/api/minimum-wage', () => {
  it('lets a viewer read the file and only an admin replace it', async () => {
    const read = await clients.viewer.call<MinimumWageDoc>('GET', '/minimum-wage');
    expect(read.status).toBe(200);
    expect(read.body.regions.I).toEqual({ monthly: 5_310_000, hourly: 25_500 });
    expect(read.body.provinces).toHaveLength(34);
    expect((await clients.officer.call('PUT', '/minimum-wage', read.body)).status).toBe(403);
    expect((await clients.viewer.call('PUT', '/minimum-wage', read.body)).status).toBe(403);
  });

  it('refuses an invalid file naming the entry, and amounts the decree does not state; the file stays', async () => {
    const before = await readFile(path.join(knowledge, 'data', 'minimum-wage.json'), 'utf8');
    const doc = (await clients.admin.call<MinimumWageDoc>('GET', '/minimum-wage')).body;
    const bad = structuredClone(doc);
    bad.localities[0]!.region = 'V';
    const refused = await clients.admin.call<{ error: { code: string; message: string } }>(
      'PUT',
      '/minimum-wage',
      bad,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain(
      `localities[0].region (${doc.localities[0]!.area}, ${doc.localities[0]!.province})`,
    );

    const wrongAmount = structuredClone(doc);
    wrongAmount.regions.II!.monthly = 4_800_000;
    const noLaw = await clients.admin.call<{ error: { message: string } }>(
      'PUT',
      '/minimum-wage',
      wrongAmount,
    );
    expect(noLaw.status).toBe(422);
    expect(noLaw.body.error.message).toContain('4.800.000 không có trong Điều 3 văn bản 293/2025/NĐ-CP');
    expect(await readFile(path.join(knowledge, 'data', 'minimum-wage.json'), 'utf8')).toBe(before);
  });

  it('saves a valid file, records minimum_wage.update in the audit log, and the next chat lookup uses it', async () => {
    const before = await t.say('mw-admin-worker', 'lương tối thiểu vùng');
    expect(allText(before)).toContain('Công ty bạn ở tỉnh, thành phố nào');
    expect(allText(await t.say('mw-admin-worker', 'xã Yên Phong, BN'))).toContain('Mình không tìm thấy');

    const doc = (await clients.admin.call<MinimumWageDoc>('GET', '/minimum-wage')).body;
    doc.provinces.find((p) => p.province === 'Tỉnh Bắc Ninh')!.aliases = ['BN'];
    const saved = await clients.admin.call<MinimumWageDoc>('PUT', '/minimum-wage', doc);
    expect(saved.status).toBe(200);
    expect(saved.body.provinces.find((p) => p.province === 'Tỉnh Bắc Ninh')!.aliases).toEqual(['BN']);

    const entries = await t.app.admin!.services.audit.list({ limit: 50 });
    const entry = entries.find((e) => e.action === 'minimum_wage.update')!;
    expect(entry).toBeDefined();
    expect(entry.actor.username).toBe('admin1');
    expect(entry.target).toBe('knowledge/data/minimum-wage.json');
    expect(entry.details).toMatchObject({
      legal_source: '293/2025/NĐ-CP',
      effective: '2026-01-01',
      provinces: 34,
    });

    const after = await t.say('mw-admin-worker', 'xã Yên Phong, BN');
    expect(allText(after)).toContain(
      'Xã Yên Phong (Tỉnh Bắc Ninh) thuộc vùng II: lương tối thiểu 4.730.000 đồng/tháng',
    );
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/admin/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/minimum-wage'] ?? {}).sort()).toEqual(['get', 'put']);
  });
});
