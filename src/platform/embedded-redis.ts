import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export interface RedisEndpoint {
  url: string;
  /** True when this process started the server (it then stops it on shutdown). */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  url: string;
  /** Only the default URL may be replaced by a local server: an explicit REDIS_URL is never second-guessed. */
  urlIsDefault: boolean;
  allowEmbedded: boolean;
  /** Where the embedded server keeps its append-only file. */
  dataDir: string;
  logger?: Logger;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export async function isRedisReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export function findOnPath(command: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * The start rule of the contracts: use REDIS_URL when it answers; when the default URL does not answer and
 * `redis-server` is installed, run one as a child process with its data under DATA_DIR/redis (append-only
 * file on); otherwise fail with one line that says how to get Redis.
 */
export async function ensureRedis(opts: EnsureRedisOptions): Promise<RedisEndpoint> {
  const noop = async () => undefined;
  if (await isRedisReachable(opts.url)) return { url: opts.url, embedded: false, stop: noop };

  const howTo = 'install Redis (apt-get install redis-server) or set REDIS_URL to a reachable server';
  if (!opts.urlIsDefault) {
    throw new RedisUnavailableError(
      `Redis at ${redactUrl(opts.url)} does not answer: check REDIS_URL, or unset it to use a local redis-server.`,
    );
  }
  const binary = opts.allowEmbedded ? findOnPath('redis-server') : undefined;
  if (!binary) {
    throw new RedisUnavailableError(
      `Redis at ${opts.url} does not answer and redis-server is not available: ${howTo}.`,
    );
  }

  const { hostname, port } = new URL(opts.url);
  const dir = path.join(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    binary,
    [
      '--port',
      port || '6379',
      '--bind',
      hostname || '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  opts.logger?.info({ pid: child.pid, dir }, 'started embedded redis-server');

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await isRedisReachable(opts.url, 500)) {
      return { url: opts.url, embedded: true, stop: () => stopChild(child) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(
    `Could not start redis-server on ${opts.url}${stderr ? ` (${stderr.trim().split('\n').pop()})` : ''}: ${howTo}.`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // SIGTERM makes redis-server flush its append-only file before exiting.
    child.kill('SIGTERM');
  });
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** {@link ensureRedis} with the settings of a loaded configuration (what every entry point wants). */
export function ensureRedisFor(
  config: {
    REDIS_URL: string;
    redisUrlIsDefault: boolean;
    EMBEDDED_REDIS: 'auto' | 'off';
    paths: { data: string };
  },
  logger?: Logger,
): Promise<RedisEndpoint> {
  return ensureRedis({
    url: config.REDIS_URL,
    urlIsDefault: config.redisUrlIsDefault,
    allowEmbedded: config.EMBEDDED_REDIS === 'auto',
    dataDir: config.paths.data,
    logger,
  });
}
