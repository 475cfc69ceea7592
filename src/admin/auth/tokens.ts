import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { secretDigest } from './digest.js';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

const TOKEN_PATTERN = /^uat_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * API tokens for automation (`Authorization: Bearer uat_<id>_<secret>`): the id finds the record, only a
 * hash of the secret is stored, and the token acts with its owner's current role.
 */
export class ApiTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}admin:token:${id}`;
  }
  private userKey(userId: string): string {
    return `${this.keyPrefix}admin:tokens:${userId}`;
  }

  async create(userId: string, name: string): Promise<{ token: string; record: ApiToken }> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: ApiToken = { id, userId, name, createdAt: this.now().toISOString() };
    await this.redis
      .multi()
      .set(this.key(id), JSON.stringify({ ...record, hash: secretDigest(secret) }))
      .sadd(this.userKey(userId), id)
      .exec();
    return { token: `uat_${id}_${secret}`, record };
  }

  /** The token's record when the secret matches; undefined for anything else. */
  async verify(token: string): Promise<ApiToken | undefined> {
    const m = TOKEN_PATTERN.exec(token);
    if (!m) return undefined;
    const raw = await this.redis.get(this.key(m[1]!));
    if (!raw) return undefined;
    const { hash, ...record } = JSON.parse(raw) as ApiToken & { hash: string };
    if (hash !== secretDigest(m[2]!)) return undefined;
    // Last use is for people reviewing tokens, not security: a lost write here is harmless.
    const lastUsedAt = this.now().toISOString();
    void this.redis.set(this.key(record.id), JSON.stringify({ ...record, hash, lastUsedAt }), 'XX');
    return { ...record, lastUsedAt };
  }

  async list(userId: string): Promise<ApiToken[]> {
    const ids = await this.redis.smembers(this.userKey(userId));
    const rows = await Promise.all(ids.map((id) => this.redis.get(this.key(id))));
    return rows
      .filter((r): r is string => r !== null)
      .map((r) => {
        const { hash: _h, ...record } = JSON.parse(r) as ApiToken & { hash: string };
        return record;
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Revokes one of the user's tokens; false when the user has no such token. */
  async revoke(userId: string, id: string): Promise<boolean> {
    const removed = await this.redis.srem(this.userKey(userId), id);
    if (!removed) return false;
    await this.redis.del(this.key(id));
    return true;
  }

  async revokeAll(userId: string): Promise<void> {
    for (const token of await this.list(userId)) await this.revoke(userId, token.id);
  }
}
