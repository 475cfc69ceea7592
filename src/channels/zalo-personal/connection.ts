import type { Logger } from '../../platform/logger.js';
import type { ZaloPersonalClient } from './client.js';

export interface ReconnectOptions {
  /** First wait after a drop or a failed attempt. */
  baseMs?: number;
  /** Longest wait; the delay doubles up to it. */
  maxMs?: number;
  /** A connection that lasted this long was healthy: the next drop starts again from `baseMs`. */
  stableMs?: number;
  now?: () => number;
}

/**
 * Keeps the listener connected. The library's own retry follows limits Zalo's server hands out and then
 * gives up for good, so it is off and we reconnect here instead: after a drop or a failed attempt, wait
 * (1 s, 2 s, 4 s … up to 5 min) and start again, logging every attempt, until `stop()`.
 */
export class ZaloConnection {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly stableMs: number;
  private readonly now: () => number;
  /** Consecutive failures since the last healthy connection; sets the next delay. */
  private failures = 0;
  private connectedAt?: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly client: ZaloPersonalClient,
    private readonly logger: Logger,
    options: ReconnectOptions = {},
  ) {
    this.baseMs = options.baseMs ?? 1000;
    this.maxMs = options.maxMs ?? 5 * 60_000;
    this.stableMs = options.stableMs ?? 60_000;
    this.now = options.now ?? Date.now;
    client.onClosed((reason) => this.closed(reason));
  }

  /** Connects once; on failure the error is logged and retried in the background. Never throws. */
  async start(): Promise<boolean> {
    this.stopped = false;
    return this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.client.stop();
  }

  private async attempt(): Promise<boolean> {
    try {
      await this.client.start();
    } catch (err) {
      if (this.stopped) return false;
      this.logger.error(
        { err, attempt: this.failures + 1 },
        'zalo-personal could not connect (if the session expired, run `npm run zalo:login`)',
      );
      this.schedule();
      return false;
    }
    if (this.stopped) {
      await this.client.stop();
      return false;
    }
    this.connectedAt = this.now();
    this.logger.info({ ownId: this.client.ownId, afterFailures: this.failures }, 'zalo-personal connected');
    return true;
  }

  private closed(reason: string): void {
    if (this.stopped) return;
    const lasted = this.connectedAt === undefined ? 0 : this.now() - this.connectedAt;
    this.connectedAt = undefined;
    if (lasted >= this.stableMs) this.failures = 0;
    this.logger.warn({ reason, connectedForMs: lasted }, 'zalo-personal connection closed');
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delayMs = Math.min(this.maxMs, this.baseMs * 2 ** this.failures);
    this.failures++;
    this.logger.info({ attempt: this.failures, delayMs }, 'zalo-personal reconnecting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, delayMs);
  }
}
