import { afterAll, describe, expect, it } from 'vitest';
import { broadcastProcess, type BroadcastProcess } from '../scripts/cli-broadcast.js';
import { deliveryJobId } from '../src/broadcast/pipeline.js';
import { pipelineOptions } from '../src/broadcast/setup.js';
import { WebChatAdapter } from '../src/channels/web/adapter.js';
import { WebOutboxSender } from '../src/channels/web/sender.js';
import { parseConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { redisUrl, removePrefix, testPrefix } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

/**
 * A delivery BullMQ gives up on because its workers kept dying (more stalls than allowed): BullMQ 6 puts it
 * back with a deferred failure, and the next worker fails it without running it. The run must still
 * complete, with that delivery counted, not hang at "sending" forever.
 */
const prefix = testPrefix('broadcast-stall');
let proc: BroadcastProcess | undefined;

afterAll(async () => {
  await proc?.close();
  await removePrefix(prefix);
});

describe('a delivery over the stall limit', () => {
  it('is recorded as failed and the run completes', async () => {
    const config = parseConfig({
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: prefix,
      BROADCAST_BACKOFF_MS: '50',
    });
    proc = broadcastProcess(config, {
      logger: createLogger({ level: 'silent' }),
      senders: (client, keyPrefix) =>
        new Map([['web', new WebOutboxSender(new WebChatAdapter(client, { keyPrefix }))]]),
    });
    const { broadcast, subscribers, client } = proc;
    await subscribers.writeNew(
      ['s1', 's2', 's3'].map((userId) => ({ channel: 'web', userId, consent: 'opted_in' as const })),
    );
    // Expansion only: the delivery jobs wait in their queue with no worker to take them yet.
    broadcast.startWorkers([], { control: true });
    const campaign = await broadcast.service.create(
      { name: 'Thử giới hạn treo', content: { text: 'Thông báo thử' }, segment: { where: [] } },
      'officer1',
    );
    await broadcast.service.submit(campaign.id, 'officer1');
    const expanded = await waitFor(async () => {
      const run = (await broadcast.service.report(campaign.id)).runs[0];
      return run?.expanded ? run : undefined;
    });
    expect(expanded.targeted).toBe(3);

    // What BullMQ's stalled-job check does to a job that stalled more than maxStalledCount times.
    const jobKey = `${pipelineOptions(config, prefix).prefix}:deliver-web:${deliveryJobId(expanded.runId, 'web:s2')}`;
    expect(await client.hexists(jobKey, 'data')).toBe(1);
    await client.hset(jobKey, 'defa', 'job stalled more than allowable limit');

    broadcast.startWorkers(['web'], { control: false });
    const done = await waitFor(async () => {
      const run = (await broadcast.service.report(campaign.id)).runs[0]!;
      return run.status === 'completed' ? run : undefined;
    });
    expect(done).toMatchObject({ targeted: 3, processed: 3, sent: 2, failed: 1 });
    expect(done.reasons.failed).toEqual({ worker_error: 1 });
    expect((await broadcast.runs.delivery(expanded.runId, 'web:s2'))?.status).toBe('failed');
  }, 30_000);
});
