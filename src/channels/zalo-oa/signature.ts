import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-ZEvent-Signature';

export interface SignatureInput {
  appId: string;
  /** The webhook key ("OA Secret Key" of the app's webhook settings). */
  secret: string;
  /** The request body exactly as received: Zalo signs its own bytes, not a re-serialisation. */
  rawBody: string;
  /** The body's `timestamp` field, as written in the body. */
  timestamp: string;
  /** The header's value; Zalo sends `mac=<hex>` (some integrations see the bare hex). */
  header: string | undefined;
}

/** Zalo's signature: plain sha256 over appId + body + timestamp + secret (a concatenation, not an HMAC). */
export function zaloSignature(appId: string, rawBody: string, timestamp: string, secret: string): string {
  return createHash('sha256')
    .update(appId + rawBody + timestamp + secret, 'utf8')
    .digest('hex');
}

/** True only when the header carries the expected signature; compared in constant time. */
export function verifyZaloSignature(input: SignatureInput): boolean {
  const given = input.header?.trim().replace(/^mac=/i, '').toLowerCase();
  if (!given || !/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = zaloSignature(input.appId, input.rawBody, input.timestamp, input.secret);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
