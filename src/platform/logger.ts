import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger };

// Vietnamese numbers: 0xxxxxxxxx, +84xxxxxxxxx or 84xxxxxxxxx, digits possibly grouped by spaces, dots or dashes.
const PHONE = /(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\d])/g;
// Bearer tokens and long opaque secrets (Facebook page tokens start with EAA; Zalo tokens are long base64url strings).
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const LONG_TOKEN = /\b(?:EAA[A-Za-z0-9]{20,}|[A-Za-z0-9_-]{60,})\b/g;

/** Masks phone numbers and tokens inside free text, keeping the last digits of a phone so officers can still match it. */
export function maskSensitive(text: string): string {
  return text
    .replace(PHONE, (m) => {
      const digits = m.replace(/\D/g, '');
      return `***${digits.slice(-3)}`;
    })
    .replace(BEARER, '$1[redacted]')
    .replace(LONG_TOKEN, '[redacted]');
}

const SECRET_KEYS = new Set([
  'token',
  'accesstoken',
  'access_token',
  'refreshtoken',
  'refresh_token',
  'pageaccesstoken',
  'password',
  'passwordhash',
  'secret',
  'appsecret',
  'secretkey',
  'authorization',
  'cookie',
  'set-cookie',
  'imei',
  'microsoftapppassword',
  'webhooksecret',
]);

/** Deep copy with secret keys replaced and phone numbers masked in every string; cycles and depth are bounded. */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskSensitive(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskSensitive(value.message),
      stack: value.stack && maskSensitive(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) ? '[redacted]' : redactValue(v, depth + 1, seen);
  }
  return out;
}

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.name ?? 'union-assistant' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Runs on every merged log object, so nested payloads (webhook bodies, errors) are covered too.
      log: (obj) => redactValue(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskSensitive(a) : a)) as Parameters<
          typeof method
        >;
        method.apply(this, masked);
      },
    },
  };
  return destination ? pino(opts, destination) : pino(opts);
}
