import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { AuditLog } from '../src/admin/audit.js';
import { newUserSchema, UserError, UserStore } from '../src/admin/auth/users.js';
import { ROLES, type Role } from '../src/admin/roles.js';
import { loadConfig } from '../src/platform/config.js';
import { ensureRedisFor } from '../src/platform/embedded-redis.js';
import { createLogger } from '../src/platform/logger.js';
import { RedisFactory } from '../src/platform/redis.js';

/**
 * `npm run admin:create -- --username lan --name "Nguyễn Thị Lan"`: creates a console user (the first
 * admin, or anyone later). The password comes from ADMIN_PASSWORD or standard input (--password-stdin);
 * otherwise a strong one is generated and printed once.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const options = new Command()
    .name('admin:create')
    .requiredOption('--username <name>', 'tên đăng nhập (chữ không dấu, số, . _ -)')
    .requiredOption('--name <full name>', 'họ tên hiển thị')
    .addOption(new Option('--role <role>', 'vai trò').choices([...ROLES]).default('admin'))
    .option('--password-stdin', 'đọc mật khẩu từ đầu vào chuẩn')
    .parse()
    .opts<{ username: string; name: string; role: Role; passwordStdin?: boolean }>();

  const generated = !options.passwordStdin && !process.env.ADMIN_PASSWORD;
  const password = options.passwordStdin
    ? await readStdin()
    : (process.env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url'));
  const input = newUserSchema.safeParse({ ...options, password });
  if (!input.success) {
    console.error(
      `Không tạo được: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    process.exit(2);
  }

  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  const endpoint = await ensureRedisFor(config, logger);
  const redis = new RedisFactory({ url: endpoint.url, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  try {
    const client = redis.client();
    const user = await new UserStore(client, config.REDIS_KEY_PREFIX).create(input.data);
    await new AuditLog(client, config.REDIS_KEY_PREFIX).record({
      actor: { id: 'cli', username: process.env.USER ?? 'cli', via: 'cli' },
      action: 'user.create',
      target: user.id,
      details: { username: user.username, role: user.role },
    });
    console.log(`Đã tạo ${user.role} "${user.username}" (${user.name}).`);
    if (generated) console.log(`Mật khẩu (chỉ hiện một lần, hãy đổi sau khi đăng nhập): ${password}`);
    console.log(`Đăng nhập tại http://localhost:${config.PORT}/admin/`);
  } catch (err) {
    if (err instanceof UserError) {
      console.error(err.message);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await redis.closeAll();
    await endpoint.stop();
  }
}

await main();
