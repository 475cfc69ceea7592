/**
 * `npm run index:build [-- --if-changed]`: builds the knowledge index from knowledge/ with a progress bar,
 * makes it current atomically, and — when Redis answers — announces it so running servers swap it in.
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { isRedisReachable } from '../src/platform/embedded-redis.js';
import { loadConfig } from '../src/platform/config.js';
import { RedisFactory } from '../src/platform/redis.js';
import type { BuildPhase } from '../src/knowledge/index/store.js';
import { knowledgeCli } from './cli-knowledge.js';

const opts = new Command()
  .name('index:build')
  .option('--if-changed', 'chỉ dựng lại khi kho tri thức đã thay đổi')
  .parse()
  .opts<{ ifChanged?: boolean }>();

const base = loadConfig();
const redis = (await isRedisReachable(base.REDIS_URL))
  ? new RedisFactory({ url: base.REDIS_URL, keyPrefix: base.REDIS_KEY_PREFIX })
  : undefined;
const { service } = knowledgeCli({ redis });

const labels: Record<BuildPhase, string> = {
  corpus: 'Đọc kho tri thức',
  embeddings: 'Tính vector',
  index: 'Dựng chỉ mục',
  write: 'Ghi ra đĩa',
};
const bar = new cliProgress.SingleBar(
  { format: '{phase} |{bar}| {value}/{total}', stream: process.stderr, hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let phase: BuildPhase | undefined;
const progress = (p: BuildPhase, done: number, total: number) => {
  if (p !== phase) {
    if (phase) bar.stop();
    phase = p;
    bar.start(total, done, { phase: labels[p].padEnd(16) });
  }
  bar.update(done);
};

const started = performance.now();
let manifest;
if (opts.ifChanged) {
  await service.start(progress);
  manifest = service.manifest!;
} else {
  manifest = await service.rebuild(progress);
}
bar.stop();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `Chỉ mục ${manifest.version}: ${manifest.chunks} đoạn từ ${manifest.laws} văn bản luật và ${manifest.leaflets} tờ rơi, ` +
    `vector ${manifest.embeddingId} (${manifest.dimensions} chiều), ${seconds} giây${redis ? ', đã báo cho các tiến trình đang chạy' : ''}.`,
);
await service.stop();
await redis?.closeAll();
