import { afterEach, describe, expect, it } from 'vitest';
import { messengerChannel } from '../src/channels/messenger/index.js';
import { messengerEnv, startTestApp, type TestApp } from './helpers/app.js';
import { startFakeGraph, type FakeGraph, type GraphAnswer } from '../scripts/fakes/graph.js';
import { removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  rate: string,
  answer?: (index: number) => GraphAnswer,
  concurrency = 20,
): Promise<{ t: TestApp; graph: FakeGraph }> {
  const prefix = testPrefix('broadcast-rate');
  const graph = await startFakeGraph({ answer: (_req, i) => answer?.(i) ?? { ok: true } });
  const t = await startTestApp({
    prefix,
    channels: [messengerChannel],
    env: {
      ...messengerEnv(graph.url),
      BROADCAST_RATE_MESSENGER: rate,
      BROADCAST_CONCURRENCY: String(concurrency),
    },
  });
  cleanups.push(
    () => removePrefix(prefix),
    () => graph.close(),
    () => t.stop(),
  );
  return { t, graph };
}

async function campaignTo(t: TestApp, count: number): Promise<string> {
  await t.app.services.subscribers.writeNew(
    Array.from({ length: count }, (_, i) => ({
      channel: 'messenger',
      userId: String(8000 + i),
      consent: 'opted_in' as const,
      lastInteractionAt: new Date(Date.now() - 3600_000).toISOString(),
    })),
  );
  const service = t.app.broadcast.service;
  const c = await service.create(
    { name: 'rate', content: { text: 'Thông báo lịch họp công đoàn.' }, segment: { where: [] } },
    'a',
  );
  await service.submit(c.id, 'a');
  await waitFor(async () => (await service.report(c.id)).campaign.status === 'completed', {
    timeoutMs: 30_000,
    what: 'campaign',
  });
  return c.id;
}

describe('broadcast rate limits', () => {
  it('never lets the platform see more than N requests in any one-second window', async () => {
    const { t, graph } = await setup('10/s');
    const started = Date.now();
    const id = await campaignTo(t, 45);
    const elapsed = Date.now() - started;

    expect(graph.received).toHaveLength(45);
    expect([...graph.countsByRecipient().values()].every((n) => n === 1)).toBe(true);
    expect(graph.maxInWindow(1000)).toBeLessThanOrEqual(10);
    // 45 messages at 10 per second cannot take less than four full windows.
    expect(elapsed).toBeGreaterThanOrEqual(4000);
    expect((await t.app.broadcast.service.report(id)).runs[0]).toMatchObject({ sent: 45, failed: 0 });
  }, 40_000);

  it('slows the channel down on a rate-limit answer instead of failing messages', async () => {
    // Requests 5 and 6 get Graph's "Calls to this api have exceeded the rate limit" (code 613). One
    // delivery at a time, so the pause is visible between consecutive requests.
    const { t, graph } = await setup(
      '1000/s',
      (i) =>
        i === 5 || i === 6
          ? {
              status: 400,
              error: {
                message: 'Calls to this api have exceeded the rate limit.',
                type: 'OAuthException',
                code: 613,
              },
            }
          : { ok: true },
      1,
    );
    const id = await campaignTo(t, 30);
    const report = await t.app.broadcast.service.report(id);

    expect(report.runs[0]).toMatchObject({ sent: 30, failed: 0, skipped: 0 });
    expect(graph.received).toHaveLength(32);
    expect(graph.requests).toHaveLength(30);
    expect([...graph.countsByRecipient().values()].every((n) => n === 1)).toBe(true);
    // After each refusal the channel waited (a second by default) before its next request.
    const at = graph.received.map((r) => r.at);
    expect(at[6]! - at[5]!).toBeGreaterThanOrEqual(900);
    expect(at[7]! - at[6]!).toBeGreaterThanOrEqual(900);
    expect(at[5]! - at[4]!).toBeLessThan(800);
  }, 40_000);
});
