import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { RedisFactory } from '../platform/redis.js';
import { createEmbeddings } from './embeddings/index.js';
import { createRephraser, rephraseSafely } from './rephrase.js';
import { KnowledgeService } from './service.js';

/** Builds the knowledge service a process runs, from configuration. */
export function createKnowledgeService(config: Config, logger: Logger, redis?: RedisFactory): KnowledgeService {
  const rephraser = createRephraser({
    provider: config.LLM_PROVIDER,
    model: config.LLM_MODEL,
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
  });
  return new KnowledgeService({
    knowledgeDir: config.paths.knowledge,
    dataDir: config.paths.data,
    embeddings: createEmbeddings({
      provider: config.EMBEDDINGS_PROVIDER,
      model: config.EMBEDDINGS_MODEL,
      baseUrl: config.EMBEDDINGS_BASE_URL,
      apiKey: config.EMBEDDINGS_API_KEY,
    }),
    engine: {
      minConfidence: config.ANSWER_MIN_CONFIDENCE,
      rephrase: rephraser ? (input) => rephraseSafely(rephraser, input, config.LLM_TIMEOUT_MS) : undefined,
    },
    logger,
    redis: redis && {
      client: redis.client(),
      subscriber: () => redis.create('knowledge-subscriber'),
      keyPrefix: redis.keyPrefix,
    },
  });
}
