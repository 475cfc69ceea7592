import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnswerResult, KnowledgeAnswerer } from '../src/knowledge/types.js';
import { ensureRedis, isRedisReachable } from '../src/platform/embedded-redis.js';
import { allText, startTestApp } from './helpers/app.js';
import { redisUrl, removePrefix, testPrefix } from './helpers/redis.js';

const prefix = testPrefix('lifecycle');
afterAll(() => removePrefix(prefix));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
}

describe('restart', () => {
  it('keeps the worker’s place in a flow across a server restart', async () => {
    const first = await startTestApp({ prefix });
    const ask = await first.say('restart-user', 'đăng ký nhận tin');
    expect(allText(ask)).toContain('Bạn có đồng ý nhận tin không?');
    await first.stop();

    const second = await startTestApp({ prefix });
    try {
      const done = await second.say('restart-user', 'có');
      expect(allText(done)).toContain('Cảm ơn bạn đã đăng ký');
      expect((await second.app.services.subscribers.get('web', 'restart-user'))?.consent?.status).toBe(
        'opted_in',
      );
    } finally {
      await second.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a turn in flight, then stops accepting requests', async () => {
    const slow: KnowledgeAnswerer = {
      ready: true,
      async ask(question): Promise<AnswerResult> {
        await new Promise((r) => setTimeout(r, 400));
        return {
          answer: `Đã trả lời: ${question}`,
          confidence: 1,
          answered: true,
          citations: [],
          sources: [],
        };
      },
    };
    const t = await startTestApp({ prefix, answerer: slow });
    const inFlight = t.say('shutdown-user', 'một câu hỏi dài');
    await new Promise((r) => setTimeout(r, 100));
    expect(t.app.inFlight.count).toBe(1);
    const stopped = t.stop();
    expect(allText(await inFlight)).toContain('Đã trả lời: một câu hỏi dài');
    await stopped;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });
});

describe('npm start', () => {
  it('serves the chat page, answers /readyz 200 and /api/chat, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      detached: true,
      env: {
        ...process.env,
        PORT: String(port),
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: `${prefix}start:`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // 'close' waits for the pipes, which the server process (a grandchild of npm) holds until it exits.
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Trợ lý Công đoàn</title>');
      expect(page.headers.get('content-security-policy')).toContain('frame-ancestors');
      const chat = await fetch(`http://127.0.0.1:${port}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'npm-start-user', text: 'menu' }),
      });
      expect(allText(((await chat.json()) as { messages: { text: string }[] }).messages)).toContain(
        'Bạn cần hỗ trợ gì?',
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    expect(output).toContain('"msg":"stopped"');
    await removePrefix(`${prefix}start:`);
  }, 60_000);

  it('exits with one clear line when an explicit REDIS_URL does not answer', async () => {
    const port = await freePort();
    const child = spawn('npx', ['tsx', 'src/main.ts'], {
      env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`Redis at redis://127.0.0.1:${port} does not answer: check REDIS_URL`);
  });
});

describe('embedded Redis rule', () => {
  it('starts redis-server with an append-only file when the default URL does not answer, and stops it', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ua-redis-'));
    try {
      const endpoint = await ensureRedis({ url, urlIsDefault: true, allowEmbedded: true, dataDir });
      expect(endpoint.embedded).toBe(true);
      expect(await isRedisReachable(url)).toBe(true);
      await endpoint.stop();
      expect(await isRedisReachable(url)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('never replaces an explicit REDIS_URL, and says how to get Redis when it cannot start one', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    await expect(
      ensureRedis({ url, urlIsDefault: false, allowEmbedded: true, dataDir: os.tmpdir() }),
    ).rejects.toThrow(/does not answer: check REDIS_URL/);
    await expect(
      ensureRedis({ url, urlIsDefault: true, allowEmbedded: false, dataDir: os.tmpdir() }),
    ).rejects.toThrow(/redis-server is not available: install Redis \(apt-get install redis-server\)/);
  });
});
