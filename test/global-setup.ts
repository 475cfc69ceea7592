import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_REDIS_URL } from '../src/platform/config.js';
import { ensureRedis } from '../src/platform/embedded-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Tests find Redis by the same rule as `npm start`: REDIS_URL, or the default, or an embedded server. */
export default async function setup(project: TestProject) {
  const endpoint = await ensureRedis({
    url: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    urlIsDefault: !process.env.REDIS_URL,
    allowEmbedded: true,
    dataDir: path.resolve('data/test'),
  });
  project.provide('redisUrl', endpoint.url);
  return () => endpoint.stop();
}
