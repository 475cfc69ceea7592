/**
 * `npm run bench:broadcast -- [--count 100000] [--concurrency 50] [--json]`
 *
 * A whole campaign against a real Redis (own key prefix, removed afterwards) and a fake Messenger Send API
 * in a child process that answers at once and has no limit: half the subscribers on Messenger, half on web
 * chat (outbox in Redis), 5% opted out, 5% outside the messaging window. Measures, in turn:
 * - enqueue rate: the expansion alone (delivery workers not started yet), deliveries queued per second;
 * - Redis memory per queued delivery: used_memory after the expansion minus before, divided by the
 *   deliveries queued (the audience set the expansion keeps is reported apart);
 * - delivery rate: deliveries processed per second once the delivery workers start, until the run is done;
 * - process RSS: the highest value sampled while delivering;
 * - the segment preview an officer sees (median of 7 counts of a two-filter segment).
 * It checks the result too: every eligible Messenger subscriber received exactly one message.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { parseConfig } from '../../src/platform/config.js';
import { ensureRedisFor } from '../../src/platform/embedded-redis.js';
import { deleteByPrefix } from '../../src/platform/redis.js';
import { broadcastProcess, messengerAndWebSenders } from '../cli-broadcast.js';
import { seedSubscribers } from '../seed-subscribers.js';

const opts = new Command()
  .option('--count <n>', 'subscribers', '100000')
  .option('--concurrency <n>', 'deliveries in flight per channel', '50')
  .option('--json', 'print one JSON object')
  .parse()
  .opts<{ count: string; concurrency: string; json?: boolean }>();
const count = Number(opts.count);
const log = (line: string) => {
  if (!opts.json) console.error(line);
};

// The fake platform runs in its own process, so its work does not count against the workers'.
const fake = spawn(process.execPath, ['--import', 'tsx', 'scripts/fakes/graph.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const fakeLines = createInterface({ input: fake.stdout! })[Symbol.asyncIterator]();
const graphUrl = (await fakeLines.next()).value as string;

const prefix = `bench:broadcast:${randomBytes(3).toString('hex')}:`;
const config = parseConfig({
  ...process.env,
  REDIS_KEY_PREFIX: prefix,
  LOG_LEVEL: 'warn',
  BROADCAST_RATE_MESSENGER: '1000000/s',
  BROADCAST_RATE_WEB: '1000000/s',
  BROADCAST_CONCURRENCY: opts.concurrency,
});
const endpoint = await ensureRedisFor(config);
const { client, subscribers, broadcast, close } = broadcastProcess(config, {
  redisUrl: endpoint.url,
  senders: messengerAndWebSenders(graphUrl, 'bench'),
});
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);

try {
  log(`Seeding ${count} subscribers…`);
  let t0 = performance.now();
  const seeded = await seedSubscribers(subscribers, {
    count,
    channels: ['web', 'messenger'],
    optedOut: 0.05,
    stale: 0.05,
    now: new Date(),
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  const eligibleMessenger = new Set(
    seeded
      .filter((s) => s.channel === 'messenger' && s.eligible.optedIn && s.eligible.fresh)
      .map((s) => s.userId),
  );

  // The count an officer sees before sending: two filters over the index sets.
  const previewMs: number[] = [];
  let previewCount = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    previewCount = await broadcast.service.preview({
      where: [
        { field: 'khu_cong_nghiep', values: ['An Nghiệp', 'VSIP'] },
        { field: 'topic', values: ['lừa đảo'] },
      ],
    });
    previewMs.push(performance.now() - t);
  }
  previewMs.sort((a, b) => a - b);

  // Phase 1: expansion only.
  const memBefore = await usedMemory();
  const campaign = await broadcast.service.create(
    {
      name: 'bench',
      content: { text: 'Cảnh báo: giả danh cán bộ BHXH gọi điện yêu cầu chuyển tiền.' },
      segment: { where: [] },
    },
    'bench',
  );
  t0 = performance.now();
  await broadcast.service.submit(campaign.id, 'bench');
  broadcast.startWorkers([], { control: true });
  let run = await waitRun(campaign.id, (r) => r.expanded);
  const enqueueSeconds = (performance.now() - t0) / 1000;
  const audienceBytes = Number(
    await client.call('MEMORY', 'USAGE', broadcast.runs.audienceKey(run.runId), 'SAMPLES', '0'),
  );
  const memQueued = await usedMemory();
  const queuedDeliveries = run.targeted;
  log(
    `Queued ${queuedDeliveries} deliveries in ${enqueueSeconds.toFixed(1)} s; rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`,
  );

  // Phase 2: delivery.
  let maxRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 200);
  t0 = performance.now();
  broadcast.startWorkers(['web', 'messenger'], { control: false });
  run = await waitRun(
    campaign.id,
    (r) => r.status === 'completed',
    (r) =>
      log(
        `  ${r.processed}/${r.targeted}; rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`,
      ),
  );
  const deliverSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  fake.kill('SIGINT');
  const fakeCount = Number(/(\d+) requests/.exec(((await fakeLines.next()).value as string) ?? '')?.[1]);
  const result = {
    subscribers: count,
    seed_per_s: Math.round(count / seedSeconds),
    queued: queuedDeliveries,
    enqueue_per_s: Math.round(queuedDeliveries / enqueueSeconds),
    redis_bytes_per_queued_delivery: Math.round((memQueued - memBefore - audienceBytes) / queuedDeliveries),
    audience_set_bytes_per_member: Math.round(audienceBytes / queuedDeliveries),
    delivered_per_s: Math.round(run.processed / deliverSeconds),
    sent: run.sent,
    skipped: run.skipped,
    failed: run.failed,
    unknown: run.unknown,
    segment_preview_ms: Number(previewMs[3]!.toFixed(1)),
    segment_preview_count: previewCount,
    rss_mb: Math.round(maxRss / 1048576),
    concurrency: Number(opts.concurrency),
    platform_requests: fakeCount,
    eligible_messenger: eligibleMessenger.size,
  };
  if (opts.json) console.log(JSON.stringify(result));
  else console.table(result);
  if (fakeCount !== eligibleMessenger.size)
    throw new Error(
      `the fake platform saw ${fakeCount} requests for ${eligibleMessenger.size} eligible subscribers`,
    );
} finally {
  fake.kill('SIGINT');
  await deleteByPrefix(client, prefix);
  await close();
  await endpoint.stop();
}

async function waitRun(
  campaignId: string,
  done: (r: Awaited<ReturnType<typeof broadcast.runs.get>> & object) => boolean,
  progress?: (r: Awaited<ReturnType<typeof broadcast.runs.get>> & object) => void,
) {
  let last = 0;
  for (;;) {
    const runId = (await broadcast.campaigns.require(campaignId)).runs.at(-1);
    const run = runId ? await broadcast.runs.get(runId) : undefined;
    if (run && done(run)) return run;
    if (run && progress && Date.now() - last > 5000) {
      last = Date.now();
      progress(run);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
