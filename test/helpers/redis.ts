import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { deleteByPrefix } from '../../src/platform/redis.js';

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix unique to one test file run, so files never see each other's keys. */
export function testPrefix(name: string): string {
  return `test:${name}:${randomBytes(4).toString('hex')}:`;
}

export function testRedis(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: 3 });
}

export async function removePrefix(prefix: string): Promise<void> {
  const redis = testRedis();
  try {
    await deleteByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
