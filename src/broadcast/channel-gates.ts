import type { Redis } from 'ioredis';
import { RateGate } from '../platform/rate-gate.js';

/** The time between passing the gate and the request reaching the platform. */
const GATE_MARGIN_MS = 50;

export interface ChannelRate {
  max: number;
  durationMs: number;
}

/**
 * One rate gate per channel, shared by everything that pushes messages to a platform (campaign deliveries,
 * event reminders) in every process: together they stay under the platform's limit.
 */
export class ChannelGates {
  private readonly gates = new Map<string, RateGate>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly rates: Record<string, ChannelRate>,
  ) {}

  /** The gate of `channel`, or undefined when no rate is configured for it. */
  for(channel: string): RateGate | undefined {
    let gate = this.gates.get(channel);
    const rate = this.rates[channel];
    if (!gate && rate) {
      gate = new RateGate(this.redis, `${this.prefix}:rate-gate:${channel}`, {
        max: rate.max,
        windowMs: rate.durationMs + GATE_MARGIN_MS,
      });
      this.gates.set(channel, gate);
    }
    return gate;
  }
}
