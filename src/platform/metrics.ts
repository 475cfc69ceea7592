import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one application instance. A registry per instance (not the global one) lets tests
 * start several apps in one process without "metric already registered" errors.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly turns = new Counter({
    name: 'ua_turns_total',
    help: 'Incoming activities processed, by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly turnDuration = new Histogram({
    name: 'ua_turn_duration_seconds',
    help: 'Time to process one incoming activity, including waiting for the user lock',
    labelNames: ['channel'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly turnsInFlight = new Gauge({
    name: 'ua_turns_in_flight',
    help: 'Turns being processed right now',
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: 'ua_messages_sent_total',
    help: 'Outgoing messages, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly answers = new Counter({
    name: 'ua_answers_total',
    help: 'Knowledge answers given, by whether the bot was sure',
    labelNames: ['answered', 'topic'] as const,
    registers: [this.registry],
  });

  readonly flowEvents = new Counter({
    name: 'ua_flow_events_total',
    help: 'Flow engine events: flow started, intent interrupt, ask retry, ask failed',
    labelNames: ['event', 'flow'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'ua_' });
  }
}
