import type { Activity } from 'botbuilder';

/**
 * What can go wrong when a message is pushed to a platform, in the terms the rest of the system acts on:
 * retry (rate limited, transient), stop trying this person (unreachable), wait for them to write first
 * (outside the messaging window), fix the configuration (auth), or fix the message (invalid).
 */
export type SendFailureKind =
  'rate_limited' | 'transient' | 'unreachable' | 'outside_window' | 'auth' | 'invalid';

export class ChannelSendError extends Error {
  override name = 'ChannelSendError';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly details: { platformCode?: string | number; retryAfterMs?: number } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `fn`, retrying rate-limited and transient failures with exponential backoff and jitter. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 8000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ChannelSendError) || !err.retryable || attempt >= attempts) throw err;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      await sleep(err.details.retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}

/** Who a pushed message goes to. */
export interface Recipient {
  userId: string;
  /** The group or conversation, when it is not the one-to-one chat with `userId`. */
  conversationId?: string;
  isGroup?: boolean;
}

/**
 * Why a message is sent, which decides what the platform allows: a reply to the worker's message, a
 * proactive update inside the messaging window, or a tagged message outside it (Messenger's HUMAN_AGENT,
 * CONFIRMED_EVENT_UPDATE …).
 */
export type SendPurpose = { type: 'response' } | { type: 'update' } | { type: 'tag'; tag: string };

export interface SendResult {
  messageIds: string[];
}

/** Pushes rendered Activities to one platform; throws {@link ChannelSendError}. Broadcasts use it too. */
export interface ChannelSender {
  readonly channel: string;
  send(to: Recipient, activities: Partial<Activity>[], purpose: SendPurpose): Promise<SendResult>;
}
