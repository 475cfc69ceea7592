import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: an HMAC-SHA256 of the raw request body keyed with
 * the app secret. It must be computed over the bytes as received — Meta signs its own (unicode-escaped) JSON,
 * so re-serialising the parsed body would give a different signature.
 */
export function isValidSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = header ? HEADER.exec(header.trim()) : null;
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Both are 32 bytes here (the pattern demands 64 hex digits); timingSafeEqual throws on unequal lengths.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
