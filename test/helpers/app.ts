import os from 'node:os';
import path from 'node:path';
import { App, type ChannelFactory, type ProcessRole } from '../../src/app.js';
import type { ReceiptSink } from '../../src/channels/receipts.js';
import type { WebMessage } from '../../src/channels/web/contract.js';
import type { KnowledgeAnswerer } from '../../src/knowledge/types.js';
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { redisUrl } from './redis.js';

export const FIXTURES = path.resolve('test/fixtures');

/**
 * The confidence model is calibrated on the shipped corpus; on the tiny fixture corpus, answers that match
 * score a few hundredths and unrelated questions zero, so fixture-based tests set their own threshold.
 */
export const FIXTURE_MIN_CONFIDENCE = 0.02;

export interface TestApp {
  app: App;
  url: string;
  /** POST /api/chat; returns the status and the parsed body. */
  post(
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: { messages: WebMessage[]; error?: { message: string } } }>;
  /** Sends text (or a payload) as `userId` and returns the replies; fails the test on a non-200 answer. */
  say(userId: string, text: string, payload?: string): Promise<WebMessage[]>;
  stop(): Promise<void>;
}

export async function startTestApp(options: {
  prefix: string;
  env?: Record<string, string>;
  answerer?: KnowledgeAnswerer;
  now?: () => Date;
  /** Channels besides web chat (none by default). */
  channels?: ChannelFactory[];
  receipts?: ReceiptSink;
  role?: ProcessRole;
}): Promise<TestApp> {
  const config = parseConfig({
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: options.prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    KNOWLEDGE_DIR: path.join(FIXTURES, 'knowledge'),
    DATA_DIR: path.join(os.tmpdir(), 'ua-test-data', options.prefix),
    FLOWS_DIR: 'flows',
    RATE_LIMIT_PER_MINUTE: '10000',
    // Broadcast tests wait on retries and paused campaigns: keep those short.
    BROADCAST_BACKOFF_MS: '50',
    BROADCAST_PAUSE_RECHECK_MS: '200',
    ANSWER_MIN_CONFIDENCE: String(FIXTURE_MIN_CONFIDENCE),
    ...options.env,
  });
  const app = await App.create({
    config,
    logger: createLogger({ level: 'silent' }),
    answerer: options.answerer,
    now: options.now,
    channels: options.channels ?? [],
    receipts: options.receipts,
    role: options.role,
  });
  const port = await app.start();
  const url = `http://127.0.0.1:${port}`;
  const post: TestApp['post'] = async (body) => {
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Awaited<ReturnType<TestApp['post']>>['body'] };
  };
  return {
    app,
    url,
    post,
    async say(userId, text, payload) {
      const { status, body } = await post({ userId, text, ...(payload ? { payload } : {}) });
      if (status !== 200) throw new Error(`POST /api/chat answered ${status}: ${JSON.stringify(body)}`);
      return body.messages;
    },
    stop: () => app.stop(),
  };
}

/** All reply texts joined, for assertions that do not care how a reply was split. */
export function allText(messages: WebMessage[]): string {
  return messages.map((m) => m.text).join('\n');
}

/** Messenger credentials for a test app, with the Graph API at `apiUrl` (a local fake). */
export function messengerEnv(apiUrl: string): Record<string, string> {
  return {
    MESSENGER_APP_SECRET: 'secret',
    MESSENGER_VERIFY_TOKEN: 'verify',
    MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
    MESSENGER_API_URL: apiUrl,
  };
}
