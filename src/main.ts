import { Command, Option } from 'commander';
import { App, type ProcessRole } from './app.js';
import { FlowSetError } from './conversation/flows/flow-set.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { ensureRedisFor, RedisUnavailableError } from './platform/embedded-redis.js';
import { createLogger } from './platform/logger.js';

/**
 * `npm start`: one process serving the web chat and the API with the shipped flows and knowledge, and
 * running the broadcast workers. `--role web` and `--role worker` split the two.
 */
async function main(): Promise<void> {
  const { role } = new Command()
    .name('union-assistant')
    .addOption(
      new Option('--role <role>', 'what this process runs').choices(['all', 'web', 'worker']).default('all'),
    )
    .parse()
    .opts<{ role: ProcessRole }>();
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const redisEndpoint = await ensureRedisFor(config, logger);

  let app: App;
  try {
    app = await App.create({ config, logger, role });
  } catch (err) {
    await redisEndpoint.stop();
    throw err;
  }
  await app.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    // Supervisors often signal a whole process group (npm, tsx and node each get one): act once.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 10_000);
    force.unref();
    await app.stop();
    await redisEndpoint.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // One clear message for the problems an operator can fix; a stack trace for everything else.
  if (err instanceof ConfigError || err instanceof FlowSetError || err instanceof RedisUnavailableError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
