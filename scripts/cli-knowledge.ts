/** Shared start-up of the knowledge CLIs: configuration, a logger on stderr, the knowledge service. */
import { pino } from 'pino';
import { createKnowledgeService } from '../src/knowledge/setup.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import type { RedisFactory } from '../src/platform/redis.js';

export function knowledgeCli(options: { redis?: RedisFactory; level?: string } = {}) {
  const config = loadConfig();
  // stdout carries the command's result (one JSON object for --json); logs go to stderr.
  const logger = createLogger(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'warn' },
    pino.destination(2),
  );
  const service = createKnowledgeService(config, logger, options.redis);
  return { config, logger, service };
}
