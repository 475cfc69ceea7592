import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunState } from '../src/broadcast/runs.js';
import type { Broadcast } from '../src/broadcast/setup.js';
import { parseConfig } from '../src/platform/config.js';
import { broadcastProcess, messengerAndWebSenders } from '../scripts/cli-broadcast.js';
import { receivedBy } from '../scripts/fakes/graph.js';
import { seedSubscribers } from '../scripts/seed-subscribers.js';
import { messengerEnv } from './helpers/app.js';
import { redisUrl, removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

/**
 * Broadcasting at scale and through a crash, against the real Redis and a fake Messenger Send API running
 * in its own process (so that a worker in another process reaches it too).
 */

let fake: ChildProcess;
let graphUrl: string;
const prefixes: string[] = [];
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  fake = spawn(process.execPath, ['--import', 'tsx', 'scripts/fakes/graph.ts', '--delay', '5'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  graphUrl = (await createInterface({ input: fake.stdout! })[Symbol.asyncIterator]().next()).value as string;
});

afterAll(async () => {
  for (const o of opened) await o.close();
  fake?.kill('SIGKILL');
  for (const p of prefixes) await removePrefix(p);
});

const env = (prefix: string, extra: Record<string, string> = {}) => ({
  REDIS_URL: redisUrl(),
  REDIS_KEY_PREFIX: prefix,
  EMBEDDED_REDIS: 'off',
  LOG_LEVEL: 'warn',
  ...messengerEnv(graphUrl),
  ...extra,
});

/** The broadcast part of a process: with senders (a worker) or without (the officer's CLI). */
function broadcastFor(prefix: string, extra: Record<string, string>, withSenders: boolean) {
  const handle = broadcastProcess(parseConfig(env(prefix, extra)), {
    senders: withSenders ? messengerAndWebSenders(graphUrl, 'page-token') : undefined,
  });
  opened.push(handle);
  return handle;
}

async function latestRun(broadcast: Broadcast, campaignId: string): Promise<RunState | undefined> {
  const runId = (await broadcast.campaigns.require(campaignId)).runs.at(-1);
  return runId ? broadcast.runs.get(runId) : undefined;
}

/** What the platform received (from the `skip`-th request on) and the run's delivery records. */
async function outcome(broadcast: Broadcast, run: RunState, skip = 0) {
  const received = (await receivedBy(graphUrl)).slice(skip);
  const perRecipient = new Map<string, number>();
  for (const r of received) perRecipient.set(r.recipient, (perRecipient.get(r.recipient) ?? 0) + 1);
  const records = new Map<string, string>();
  for await (const [id, record] of broadcast.runs.deliveries(run.runId)) records.set(id, record.status);
  return { perRecipient, records };
}

describe('broadcast at scale', () => {
  it('a 100,000-subscriber campaign sends exactly once to each eligible subscriber and counts the skips', async () => {
    const prefix = testPrefix('broadcast-100k');
    prefixes.push(prefix);
    const w = broadcastFor(
      prefix,
      { BROADCAST_RATE_MESSENGER: '100000/s', BROADCAST_RATE_WEB: '100000/s', BROADCAST_CONCURRENCY: '50' },
      true,
    );
    const seeded = await seedSubscribers(w.subscribers, {
      count: 100_000,
      channels: ['web', 'messenger'],
      optedOut: 0.05,
      stale: 0.05,
      now: new Date(),
      seed: 7,
    });
    const c = await w.broadcast.service.create(
      {
        name: '100k',
        content: { text: 'Cảnh báo lừa đảo: không chuyển tiền cho người tự xưng cán bộ BHXH.' },
        segment: { where: [] },
      },
      'a',
    );
    await w.broadcast.service.submit(c.id, 'a');
    w.broadcast.startWorkers(['web', 'messenger'], { control: true });
    const run = await waitFor(
      async () => {
        const r = await latestRun(w.broadcast, c.id);
        return r?.status === 'completed' ? r : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 500, what: 'the 100k campaign' },
    );

    const optedIn = seeded.filter((s) => s.eligible.optedIn);
    // Web chat has no messaging window; Messenger's is 24 hours.
    const eligible = optedIn.filter((s) => s.channel === 'web' || s.eligible.fresh);
    const stale = optedIn.filter((s) => s.channel === 'messenger' && !s.eligible.fresh);
    expect(run).toMatchObject({
      targeted: optedIn.length,
      processed: optedIn.length,
      sent: eligible.length,
      skipped: stale.length,
      failed: 0,
      unknown: 0,
    });

    const { perRecipient, records } = await outcome(w.broadcast, run);
    expect(records.size).toBe(optedIn.length);
    const messenger = eligible.filter((s) => s.channel === 'messenger');
    expect(perRecipient.size).toBe(messenger.length);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    for (const s of messenger) expect(perRecipient.get(s.userId)).toBe(1);
    for (const s of stale) expect(records.get(s.id)).toBe('skipped');
    const report = await w.broadcast.service.report(c.id);
    expect(report.runs[0]!.reasons.skipped).toEqual({ outside_24h_window: stale.length });
    expect(report.campaign.status).toBe('completed');
    // Opted-out subscribers are not even targeted, so no record, no message.
    for (const s of seeded.filter((x) => !x.eligible.optedIn).slice(0, 500)) {
      expect(records.has(s.id)).toBe(false);
      expect(perRecipient.has(s.userId)).toBe(false);
    }
  }, 300_000);
});

describe('a worker killed in the middle of a campaign', () => {
  function startWorker(prefix: string): ChildProcess {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/main.ts'), '--role', 'worker'],
      {
        env: {
          ...process.env,
          ...env(prefix, {
            PORT: '0',
            BROADCAST_LOCK_MS: '2000',
            BROADCAST_CONCURRENCY: '20',
            BROADCAST_RATE_MESSENGER: '100000/s',
            BROADCAST_BACKOFF_MS: '100',
            FLOWS_DIR: 'flows',
          }),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    return child;
  }

  it('completes after kill -9 and a restart with no subscriber missed and none sent twice', async () => {
    const prefix = testPrefix('broadcast-fault');
    prefixes.push(prefix);
    const officer = broadcastFor(prefix, {}, false);
    const before = (await receivedBy(graphUrl)).length;
    const seeded = await seedSubscribers(officer.subscribers, {
      count: 6000,
      channels: ['messenger'],
      optedOut: 0.05,
      stale: 0.05,
      now: new Date(),
      seed: 11,
    });
    // Recipients unique to this test (the fake is shared with the 100k test).
    const c = await officer.broadcast.service.create(
      { name: 'fault', content: { text: 'Thông báo: họp công đoàn tối thứ Sáu.' }, segment: { where: [] } },
      'a',
    );
    await officer.broadcast.service.submit(c.id, 'a');

    let worker = startWorker(prefix);
    const atKill = await waitFor(
      async () => {
        const r = await latestRun(officer.broadcast, c.id);
        return r && r.processed >= 1500 ? r.processed : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the first worker to send 1500' },
    );
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    const afterKill = (await latestRun(officer.broadcast, c.id))!;
    expect(afterKill.status).toBe('sending');
    expect(afterKill.processed).toBeLessThan(afterKill.targeted);

    worker = startWorker(prefix);
    try {
      const run = await waitFor(
        async () => {
          const r = await latestRun(officer.broadcast, c.id);
          return r?.status === 'completed' ? r : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, what: 'the campaign to complete after the restart' },
      );

      const { perRecipient, records } = await outcome(officer.broadcast, run, before);

      const optedIn = seeded.filter((s) => s.eligible.optedIn);
      const eligible = optedIn.filter((s) => s.eligible.fresh);
      // None twice.
      expect(Math.max(...perRecipient.values())).toBe(1);
      // Every targeted subscriber has a final record.
      expect(records.size).toBe(optedIn.length);
      expect([...records.values()].every((s) => ['sent', 'skipped', 'unknown'].includes(s))).toBe(true);
      // None missed: every eligible subscriber got the message, exactly once. Deliveries the first worker
      // left "sending" were settled by reading the conversation back: there → recorded sent; not there
      // (the request died with the worker) → sent by the second worker.
      const missed = eligible.filter((s) => perRecipient.get(s.userId) !== 1);
      expect(missed.map((s) => `${s.id}=${records.get(s.id)}`)).toEqual([]);
      expect(perRecipient.size).toBe(eligible.length);
      expect(run).toMatchObject({
        sent: eligible.length,
        unknown: 0,
        failed: 0,
        skipped: optedIn.length - eligible.length,
      });
      const report = await officer.broadcast.service.report(c.id);
      const confirmed = report.runs[0]!.reasons.sent?.confirmed_after_restart ?? 0;
      process.stderr.write(
        `fault test: killed after ${atKill} processed; ${confirmed} in-flight deliveries confirmed sent by reading the conversation back\n`,
      );
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
  }, 200_000);
});
