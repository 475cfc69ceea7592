import { randomBytes } from 'node:crypto';
import type { Logger } from '../../platform/logger.js';
import type { Redis, RedisFactory } from '../../platform/redis.js';

/**
 * Tells every web process that an admin saved a flow, so all of them reload it from the shared flows
 * directory, not only the one that served the save. Each process ignores its own announcement.
 */
export class FlowReloadSync {
  private readonly origin = randomBytes(6).toString('hex');
  private subscriber?: Redis;

  constructor(
    private readonly redis: RedisFactory,
    private readonly reload: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  private get channel(): string {
    return this.redis.key('flows', 'changed');
  }

  async start(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.create('flows-sync');
    this.subscriber.on('message', (_channel: string, origin: string) => {
      if (origin === this.origin) return;
      // A flow another process accepted may still fail here (a different directory): the old set stays.
      this.reload().catch((err: unknown) => this.logger.error({ err }, 'could not reload flows announced by another process'));
    });
    await this.subscriber.subscribe(this.channel);
  }

  async announce(): Promise<void> {
    await this.redis.client().publish(this.channel, this.origin);
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }
}
