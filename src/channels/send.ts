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
    readonly details: {
      platformCode?: string | number;
      retryAfterMs?: number;
      /** The request may have reached the platform (it timed out): sending again may send twice. */
      maybeDelivered?: boolean;
    } = {},
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

/** A fetch that failed: a timeout may have reached the platform, a refused connection did not. */
export function networkFailure(prefix: string, err: unknown): ChannelSendError {
  const name = (err as Error).name;
  return new ChannelSendError('transient', `${prefix} (${name})`, {
    maybeDelivered: name === 'TimeoutError',
  });
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

/**
 * How a broadcast drives a send, one platform request at a time: it paces every request through a limiter
 * shared by all processes, retries through its queue rather than inside the sender, and resumes a delivery
 * that failed half-way without sending its first part again.
 */
export interface SendControl {
  /** Requests an earlier attempt already sent: they are skipped. */
  skipRequests?: number;
  /** One attempt per request; the caller (the queue) decides about retries. */
  singleAttempt?: boolean;
  /** Awaited before each platform request. */
  beforeRequest?: () => Promise<void>;
  /** Awaited after each request the platform accepted, with the id it gave the message. */
  afterRequest?: (messageId: string) => Promise<void>;
  /** Identifies the delivery (run and subscriber), for senders that can record it with the message. */
  deliveryKey?: string;
}

/** Whether the platform has a message a crashed worker may or may not have sent. */
export type SentCheck = 'sent' | 'not_sent' | 'cannot_tell';

/** What a sender looks for when asked whether a message arrived. */
export interface SentProbe {
  /** The text of the message's first request. */
  text: string;
  /** When the request may have left (a little before it was marked as leaving). */
  since: Date;
  /** The delivery's key, for senders that record it themselves (web chat). */
  deliveryKey?: string;
}

/** Pushes rendered Activities to one platform; throws {@link ChannelSendError}. Broadcasts use it too. */
export interface ChannelSender {
  readonly channel: string;
  send(
    to: Recipient,
    activities: Partial<Activity>[],
    purpose: SendPurpose,
    control?: SendControl,
  ): Promise<SendResult>;
  /**
   * After a worker died between starting a request and recording the answer: asks the platform (by reading
   * the conversation back) whether the message arrived. Senders that cannot tell leave it out.
   */
  wasSent?(to: Recipient, probe: SentProbe): Promise<SentCheck>;
}

/** Sends a sender's requests one by one under a {@link SendControl}; one runner per `send` call. */
export class RequestRunner {
  private index = 0;

  constructor(
    private readonly control: SendControl = {},
    private readonly retry?: RetryOptions,
  ) {}

  /** The platform's message id, or undefined when an earlier attempt sent this request already. */
  async run(post: () => Promise<string>): Promise<string | undefined> {
    if (this.index++ < (this.control.skipRequests ?? 0)) return undefined;
    await this.control.beforeRequest?.();
    const id = this.control.singleAttempt ? await post() : await withRetry(post, this.retry);
    await this.control.afterRequest?.(id);
    return id;
  }
}
