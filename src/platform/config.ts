import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The Redis URL used when REDIS_URL is not set; only this default may be replaced by an embedded server. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const optionalSecret = z.string().trim().min(1).optional();

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "40/s" or "10/min" → at most `max` per `durationMs`. */
const rate = z
  .string()
  .regex(/^[1-9]\d*\/(s|min)$/, 'dạng "40/s" hoặc "10/min" (ít nhất 1)')
  .transform((v) => {
    const [count, unit] = v.split('/') as [string, string];
    return { max: Number(count), durationMs: unit === 's' ? 1000 : 60_000 };
  });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intIn(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('loopback'),
  APP_TIMEZONE: z.string().default('Asia/Ho_Chi_Minh'),

  REDIS_URL: z.string().url().optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]*$/, 'chỉ dùng chữ, số và : _ . -')
    .default('ua:'),
  EMBEDDED_REDIS: z.enum(['auto', 'off']).default('auto'),

  DATA_DIR: z.string().default('data'),
  FLOWS_DIR: z.string().default('flows'),
  KNOWLEDGE_DIR: z.string().default('knowledge'),

  SESSION_IDLE_TTL_SECONDS: intIn(60, 365 * 24 * 3600).default(30 * 24 * 3600),
  DEDUPE_TTL_SECONDS: intIn(60, 7 * 24 * 3600).default(24 * 3600),
  TURN_LOCK_TTL_MS: intIn(1000, 10 * 60_000).default(30_000),
  TURN_LOCK_WAIT_MS: intIn(100, 10 * 60_000).default(60_000),
  RATE_LIMIT_PER_MINUTE: intIn(0, 10_000).default(30),
  SHUTDOWN_GRACE_MS: intIn(0, 10 * 60_000).default(15_000),
  TRANSCRIPT_MAX_ACTIVITIES: intIn(10, 10_000).default(200),

  /** Embeddings of the vector index: `hashed` works offline with no model; the others call an endpoint. */
  EMBEDDINGS_PROVIDER: z.enum(['hashed', 'openai', 'ollama']).default('hashed'),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_API_KEY: optionalSecret,
  /** Optional LLM step that rephrases an extractive answer from the retrieved text only. Off by default. */
  LLM_PROVIDER: z.enum(['none', 'openai', 'ollama']).default('none'),
  LLM_MODEL: z.string().optional(),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: optionalSecret,
  LLM_TIMEOUT_MS: intIn(100, 120_000).default(6000),
  /** Answers below this confidence (0..1) are "not sure": the bot says so and offers an officer. */
  ANSWER_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),

  WEB_CHAT_ENABLED: bool.default(true),
  WEB_CHAT_FRAME_ANCESTORS: z.string().default('*'),
  WEB_CHAT_MAX_TEXT: intIn(1, 20_000).default(2000),

  HANDOFF_OFFICE_HOURS: z
    .string()
    .regex(/^[1-7]-[1-7] \d{2}:\d{2}-\d{2}:\d{2}$/, 'dạng "1-5 07:30-17:00" (thứ 2 = 1 … chủ nhật = 7)')
    .default('1-5 07:30-17:00'),

  MESSENGER_APP_SECRET: optionalSecret,
  MESSENGER_VERIFY_TOKEN: optionalSecret,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalSecret,
  MESSENGER_API_URL: z.string().url().default('https://graph.facebook.com/v25.0'),

  ZALO_OA_APP_ID: optionalSecret,
  ZALO_OA_SECRET_KEY: optionalSecret,
  ZALO_OA_ACCESS_TOKEN: optionalSecret,
  ZALO_OA_REFRESH_TOKEN: optionalSecret,
  ZALO_OA_API_URL: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: z.string().url().default('https://oauth.zaloapp.com'),
  /**
   * Key of the webhook signature (the "OA Secret Key" of the app's webhook settings). Zalo's documents and
   * integrators disagree on whether it differs from the app secret, so it can be set apart; defaults to
   * ZALO_OA_SECRET_KEY.
   */
  ZALO_OA_WEBHOOK_SECRET: optionalSecret,

  ZALO_PERSONAL_ENABLED: bool.default(false),
  /** JSON file with {cookie, imei, userAgent} written by `npm run zalo:login`. */
  ZALO_PERSONAL_CREDENTIALS_FILE: z.string().default('data/zalo-personal/credentials.json'),
  /** Credentials given directly (take precedence over the file): cookie as JSON, imei, user agent. */
  ZALO_PERSONAL_COOKIE: optionalSecret,
  ZALO_PERSONAL_IMEI: optionalSecret,
  ZALO_PERSONAL_USER_AGENT: z.string().optional(),
  /** In groups the bot answers only when mentioned or when a message starts with one of these words. */
  ZALO_PERSONAL_GROUP_KEYWORDS: z
    .string()
    .default('trợ lý ơi,tro ly oi,công đoàn ơi,cong doan oi,bot ơi,bot oi'),

  /**
   * Broadcast sending rate per channel, as "<count>/s" or "<count>/min": stay under each platform's limit
   * (Zalo OA API: 4000 requests per minute; Messenger has no fixed number, a few hundred per second per
   * page is known to work; a personal Zalo account should send slowly).
   */
  BROADCAST_RATE_MESSENGER: rate.prefault('40/s'),
  BROADCAST_RATE_ZALO_OA: rate.prefault('50/s'),
  BROADCAST_RATE_ZALO_PERSONAL: rate.prefault('10/min'),
  BROADCAST_RATE_WEB: rate.prefault('500/s'),
  /** Deliveries a worker process sends at the same time on each channel. */
  BROADCAST_CONCURRENCY: intIn(1, 1000).default(20),
  /** A crashed worker's deliveries are picked up again after this long (BullMQ lock and stalled check). */
  BROADCAST_LOCK_MS: intIn(1000, 10 * 60_000).default(30_000),
  /** Attempts per delivery for transient errors, with exponential backoff from BROADCAST_BACKOFF_MS. */
  BROADCAST_ATTEMPTS: intIn(1, 20).default(6),
  BROADCAST_BACKOFF_MS: intIn(10, 600_000).default(2000),
  /** How often a delivery of a paused campaign looks again whether it was resumed. */
  BROADCAST_PAUSE_RECHECK_MS: intIn(100, 600_000).default(5000),

  /** Local time (APP_TIMEZONE) on the day before an event or class when its registrants are reminded. */
  EVENT_REMINDER_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'giờ dạng "18:00" (00:00–23:59)')
    .default('18:00'),

  /** Console sessions end after this long without use, and in any case after ADMIN_SESSION_MAX_SECONDS. */
  ADMIN_SESSION_IDLE_SECONDS: intIn(300, 7 * 24 * 3600).default(8 * 3600),
  ADMIN_SESSION_MAX_SECONDS: intIn(3600, 30 * 24 * 3600).default(7 * 24 * 3600),
  /** Failed logins on one username before it is locked for ADMIN_LOGIN_LOCK_SECONDS. */
  ADMIN_LOGIN_MAX_FAILURES: intIn(1, 100).default(5),
  ADMIN_LOGIN_LOCK_SECONDS: intIn(10, 24 * 3600).default(15 * 60),
  /** Login attempts per client address per minute. */
  ADMIN_LOGIN_PER_MINUTE: intIn(1, 10_000).default(20),
  /** Where the built console is (npm run console:build writes it). */
  ADMIN_CONSOLE_DIR: z.string().default('dist/console'),

  /** Bot Framework (Azure Bot Service, Emulator); botbuilder reads these exact names. */
  BOTFRAMEWORK_ENABLED: bool.default(false),
  MicrosoftAppId: optionalSecret,
  MicrosoftAppPassword: optionalSecret,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalSecret,
});

export type RawConfig = z.infer<typeof configSchema>;

export type Config = Omit<RawConfig, 'REDIS_URL'> & {
  REDIS_URL: string;
  /** True when REDIS_URL was not given, so the embedded-server rule may apply. */
  redisUrlIsDefault: boolean;
  /** Absolute directories, resolved against the working directory. */
  paths: { data: string; flows: string; knowledge: string };
};

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Cấu hình không hợp lệ:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses configuration from an env-like object; every problem is reported at once. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  // An empty assignment (`KEY=` in .env) means "not set", so defaults apply.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = configSchema.safeParse(given);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const raw = result.data;
  return {
    ...raw,
    REDIS_URL: raw.REDIS_URL ?? DEFAULT_REDIS_URL,
    redisUrlIsDefault: raw.REDIS_URL === undefined,
    paths: {
      data: path.resolve(cwd, raw.DATA_DIR),
      flows: path.resolve(cwd, raw.FLOWS_DIR),
      knowledge: path.resolve(cwd, raw.KNOWLEDGE_DIR),
    },
  };
}

/** Loads `.env` from the working directory when present (real environment variables win), then parses. */
export function loadConfig(cwd = process.cwd()): Config {
  const envFile = path.join(cwd, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env, cwd);
}
