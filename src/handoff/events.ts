import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';

export type InboxEventType = 'created' | 'message' | 'taken' | 'closed';

/** What changed in the inbox; listeners read the request again for the details. */
export interface InboxEvent {
  type: InboxEventType;
  id: string;
}

export type InboxListener = (event: InboxEvent) => void;

const EVENT_TYPES = new Set<string>(['created', 'message', 'taken', 'closed']);

function parseEvent(raw: string): InboxEvent | undefined {
  try {
    const value = JSON.parse(raw) as Partial<InboxEvent>;
    return typeof value.id === 'string' && EVENT_TYPES.has(value.type ?? '')
      ? (value as InboxEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Inbox changes over Redis pub/sub, so every web process (and each officer's open console there) hears of
 * a change made in any other. One subscriber connection per process serves all listeners: a connection
 * in subscribe mode can run no other command, and one per officer would not scale.
 */
export class InboxEvents {
  private readonly listeners = new Set<InboxListener>();
  private subscriber?: Redis;
  private subscribed?: Promise<void>;

  constructor(
    private readonly publisher: Redis,
    private readonly createSubscriber: () => Redis,
    readonly channel: string,
    private readonly logger?: Logger,
  ) {}

  async publish(event: InboxEvent): Promise<void> {
    try {
      await this.publisher.publish(this.channel, JSON.stringify(event));
    } catch (err) {
      // The change itself is saved; a missed event only delays a console's refresh.
      this.logger?.warn({ err, event }, 'inbox event not published');
    }
  }

  /** Resolves once the subscription is active; the returned function removes this listener. */
  async subscribe(listener: InboxListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (err) {
      this.listeners.delete(listener);
      throw err;
    }
    return async () => {
      this.listeners.delete(listener);
    };
  }

  private connect(): Promise<void> {
    this.subscribed ??= (async () => {
      const conn = this.createSubscriber();
      this.subscriber = conn;
      conn.on('message', (channel: string, raw: string) => {
        if (channel !== this.channel) return;
        const event = parseEvent(raw);
        if (!event) return;
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            this.logger?.error({ err, event }, 'inbox listener failed');
          }
        }
      });
      await conn.subscribe(this.channel);
    })().catch((err: unknown) => {
      this.subscribed = undefined;
      this.subscriber?.disconnect();
      this.subscriber = undefined;
      throw err;
    });
    return this.subscribed;
  }

  /** Closes the subscriber connection (shutdown). */
  async stop(): Promise<void> {
    this.listeners.clear();
    const conn = this.subscriber;
    this.subscriber = undefined;
    this.subscribed = undefined;
    if (!conn) return;
    try {
      await conn.quit();
    } catch {
      conn.disconnect();
    }
  }
}
