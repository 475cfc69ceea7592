/**
 * `npm run bench:chat -- [--connections 20] [--duration 10] [--users 500] [--json]`
 *
 * Load test of POST /api/chat over loopback with autocannon: an in-process server with the shipped flows
 * and knowledge, a real Redis (own key prefix, removed afterwards), many workers each sending a realistic
 * mix (menu, menu choice, free questions). Prints turns/s and latency percentiles.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { App } from '../../src/app.js';
import { parseConfig } from '../../src/platform/config.js';
import { ensureRedisFor } from '../../src/platform/embedded-redis.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteByPrefix } from '../../src/platform/redis.js';

const opts = new Command()
  .option('--connections <n>', 'concurrent connections', '20')
  .option('--duration <s>', 'seconds', '10')
  .option('--users <n>', 'distinct workers', '500')
  .option('--json', 'print one JSON object')
  .parse()
  .opts<{ connections: string; duration: string; users: string; json?: boolean }>();

const MESSAGES = [
  { text: 'menu' },
  { text: '1' },
  { text: 'nghỉ phép năm được mấy ngày' },
  { text: 'cong ty no luong 2 thang thi lam sao' },
  { text: 'làm thêm giờ được trả lương thế nào' },
  { text: 'bhxh tra ve 1 lan' },
];

const prefix = `bench:${randomBytes(3).toString('hex')}:`;
const config = parseConfig({
  ...process.env,
  REDIS_KEY_PREFIX: prefix,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '0',
});
const redis = await ensureRedisFor(config);
const app = await App.create({ config, logger: createLogger({ level: 'silent' }) });
const port = await app.start();

const users = Number(opts.users);
let n = 0;
const result = await autocannon({
  url: `http://127.0.0.1:${port}/api/chat`,
  connections: Number(opts.connections),
  duration: Number(opts.duration),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const i = n++;
        const message = MESSAGES[Math.floor(i / users) % MESSAGES.length]!;
        return { ...req, body: JSON.stringify({ userId: `bench-${i % users}`, ...message }) };
      },
    },
  ],
});

const summary = {
  connections: Number(opts.connections),
  duration_s: Number(opts.duration),
  users,
  turns: result.requests.total,
  turns_per_s: Math.round(result.requests.average),
  p50_ms: result.latency.p50,
  p90_ms: result.latency.p90,
  p99_ms: result.latency.p99,
  errors: result.errors + result.timeouts,
  non_2xx: result.non2xx,
};
if (opts.json) console.log(JSON.stringify(summary));
else console.table(summary);

await deleteByPrefix(app.redis.client(), prefix);
await app.stop();
await redis.stop();
