import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { secretDigest } from './digest.js';

export interface AdminSession {
  userId: string;
  /** Sent back by the console in X-CSRF-Token on every change (synchroniser token). */
  csrfToken: string;
  createdAt: string;
}

/** Console sessions in Redis with an idle timeout, renewed on use, and an absolute lifetime. */
export class AdminSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: { idleSeconds: number; maxSeconds: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(secret: string): string {
    return `${this.keyPrefix}admin:session:${secretDigest(secret)}`;
  }

  async create(userId: string): Promise<{ secret: string; session: AdminSession }> {
    const secret = randomBytes(32).toString('base64url');
    const session: AdminSession = {
      userId,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: this.now().toISOString(),
    };
    await this.redis.set(this.key(secret), JSON.stringify(session), 'EX', this.options.idleSeconds);
    return { secret, session };
  }

  async get(secret: string): Promise<AdminSession | undefined> {
    const key = this.key(secret);
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as AdminSession;
    const age = (this.now().getTime() - Date.parse(session.createdAt)) / 1000;
    if (age > this.options.maxSeconds) {
      await this.redis.del(key);
      return undefined;
    }
    await this.redis.expire(key, this.options.idleSeconds);
    return session;
  }

  async destroy(secret: string): Promise<void> {
    await this.redis.del(this.key(secret));
  }
}
