import type { Middleware, TurnContext } from 'botbuilder';
import type { RedisLock } from '../../platform/redis-lock.js';
import { turnKey } from './turn-key.js';

/**
 * Two messages of one worker are never processed at the same time, in this process or any other:
 * inside a process turns of one worker queue in arrival order; across processes a Redis lock excludes
 * the others (a crashed holder's lock expires).
 */
export class SerializeByUser implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly lock: RedisLock,
    private readonly keyPrefix: string,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = turnKey(context.activity);
    const previous = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous;
      await this.lock.withLock(`${this.keyPrefix}lock:turn:${key}`, next);
    } finally {
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
