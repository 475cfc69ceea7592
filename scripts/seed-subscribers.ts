/**
 * `npm run subscribers:seed -- --count 100000`: fills Redis with made-up subscribers for load tests and
 * benchmarks (never on a production Redis: it refuses unless REDIS_KEY_PREFIX starts with "test" or
 * "bench", or --force is given). The mix is deterministic for a given --seed, and the function is what the
 * broadcast tests and `scripts/bench/broadcast.ts` use.
 */
import { pathToFileURL } from 'node:url';
import type { NewSubscriber, SubscriberStore } from '../src/broadcast/subscribers.js';

export interface SeedOptions {
  count: number;
  /** Channels, assigned round-robin. */
  channels: string[];
  /** Share of subscribers who opted out (never sent to). */
  optedOut: number;
  /** Share whose last message is too old for the channel's messaging window (skipped on Messenger, Zalo OA). */
  stale: number;
  /** The time "now" for interaction ages. */
  now: Date;
  seed?: number;
  batch?: number;
}

export const ZONES = ['An Nghiệp', 'Nhơn Trạch', 'Tân Tạo', 'VSIP'];
export const COMPANIES = ['Công ty May Sóc Trăng', 'Công ty Giày Bình Tiên', 'Công ty Điện tử Sao Mai'];
export const TOPICS = ['lua_dao', 'luong', 'bhxh', 'an_toan'];

/** What one seeded subscriber is, so tests can tell who must be reached. */
export interface SeededSubscriber extends NewSubscriber {
  id: string;
  eligible: { optedIn: boolean; fresh: boolean };
}

/** A small deterministic generator (mulberry32), so a seed always yields the same people. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* generateSubscribers(options: SeedOptions): Generator<SeededSubscriber> {
  const rnd = random(options.seed ?? 1);
  for (let i = 0; i < options.count; i++) {
    const channel = options.channels[i % options.channels.length]!;
    const optedIn = rnd() >= options.optedOut;
    const fresh = rnd() >= options.stale;
    // Fresh: written within the last 20 hours; stale: 10 to 30 days ago (outside every window).
    const ageMs = fresh ? rnd() * 20 * 3600_000 : (10 + rnd() * 20) * 24 * 3600_000;
    const userId = channel === 'messenger' ? String(7_000_000_000_000_000 + i) : `u${i}`;
    yield {
      id: `${channel}:${userId}`,
      channel,
      userId,
      displayName: `Công nhân ${i}`,
      attributes: {
        khu_cong_nghiep: ZONES[i % ZONES.length]!,
        company: COMPANIES[Math.floor(i / ZONES.length) % COMPANIES.length]!,
      },
      topics: [TOPICS[i % TOPICS.length]!, ...(rnd() < 0.5 ? ['lua_dao'] : [])],
      consent: optedIn ? 'opted_in' : 'opted_out',
      lastInteractionAt: new Date(options.now.getTime() - ageMs).toISOString(),
      eligible: { optedIn, fresh },
    };
  }
}

/** Writes the generated subscribers in batches; returns them (without the write fields) for checks. */
export async function seedSubscribers(
  store: SubscriberStore,
  options: SeedOptions,
  onProgress?: (done: number) => void,
): Promise<SeededSubscriber[]> {
  const all: SeededSubscriber[] = [];
  let batch: SeededSubscriber[] = [];
  const size = options.batch ?? 2000;
  for (const s of generateSubscribers(options)) {
    all.push(s);
    batch.push(s);
    if (batch.length === size) {
      await store.writeNew(batch);
      batch = [];
      onProgress?.(all.length);
    }
  }
  if (batch.length) await store.writeNew(batch);
  onProgress?.(all.length);
  return all;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { Command } = await import('commander');
  const { openBroadcastCli } = await import('./cli-broadcast.js');
  const opts = new Command()
    .name('subscribers:seed')
    .option('--count <n>', 'số người', (v) => Number.parseInt(v, 10), 100_000)
    .option('--channels <list>', 'các kênh, cách nhau bởi dấu phẩy', 'web,messenger')
    .option('--opted-out <share>', 'tỉ lệ đã hủy nhận tin', Number.parseFloat, 0.05)
    .option('--stale <share>', 'tỉ lệ quá hạn cửa sổ nhắn tin', Number.parseFloat, 0.05)
    .option('--seed <n>', 'hạt giống ngẫu nhiên', (v) => Number.parseInt(v, 10), 1)
    .option('--force', 'cho phép với tiền tố khóa bất kỳ')
    .parse()
    .opts<{
      count: number;
      channels: string;
      optedOut: number;
      stale: number;
      seed: number;
      force?: boolean;
    }>();
  const cli = await openBroadcastCli();
  if (!opts.force && !/^(test|bench)/.test(cli.config.REDIS_KEY_PREFIX)) {
    console.error(
      `REDIS_KEY_PREFIX="${cli.config.REDIS_KEY_PREFIX}": dùng tiền tố bắt đầu bằng "test" hoặc "bench", hoặc --force.`,
    );
    await cli.close();
    process.exit(2);
  }
  const started = performance.now();
  const seeded = await seedSubscribers(cli.subscribers, {
    count: opts.count,
    channels: opts.channels.split(',').map((c) => c.trim()),
    optedOut: opts.optedOut,
    stale: opts.stale,
    seed: opts.seed,
    now: new Date(),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${seeded.length} người trong ${seconds.toFixed(1)} giây (${Math.round(seeded.length / seconds)}/giây).`,
  );
  await cli.close();
}
