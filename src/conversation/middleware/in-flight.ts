import type { Middleware, TurnContext } from 'botbuilder';
import type { Metrics } from '../../platform/metrics.js';

/**
 * Counts turns in progress (graceful shutdown waits for them) and records turn metrics. First in the
 * middleware chain so the duration includes waiting for the worker's lock.
 */
export class InFlightTurns implements Middleware {
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly metrics?: Metrics) {}

  get count(): number {
    return this.active;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const channel = context.activity.channelId ?? 'unknown';
    const stop = this.metrics?.turnDuration.startTimer({ channel });
    this.active += 1;
    this.metrics?.turnsInFlight.inc();
    let outcome = 'ok';
    try {
      await next();
      if (context.turnState.get(TURN_OUTCOME)) outcome = context.turnState.get(TURN_OUTCOME) as string;
    } catch (err) {
      outcome = 'error';
      throw err;
    } finally {
      this.active -= 1;
      this.metrics?.turnsInFlight.dec();
      this.metrics?.turns.inc({ channel, outcome });
      stop?.();
      if (this.active === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Resolves when no turn is running, or after `timeoutMs` (returns false then). */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** Middleware that ends a turn early records why under this key ("duplicate", "rate_limited" …). */
export const TURN_OUTCOME = Symbol('turnOutcome');
