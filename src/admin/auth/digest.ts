import { createHash } from 'node:crypto';

/**
 * What is stored in place of a secret (a session cookie, an API token): its SHA-256, so a copy of Redis
 * does not hand out live credentials. The secrets are long random values, so no salt or slow hash is needed.
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
