import type { Activity } from 'botbuilder';
import type { SubscriberStore } from '../../broadcast/subscribers.js';
import { fold, nfc } from '../../knowledge/normalize.js';
import type { Logger } from '../../platform/logger.js';
import type { TurnLogic } from '../adapter.js';
import { PushChannelAdapter } from '../push-adapter.js';
import {
  ChannelSendError,
  RequestRunner,
  type SendControl,
  type ChannelSender,
  type Recipient,
  type RetryOptions,
  type SendPurpose,
  type SendResult,
} from '../send.js';
import {
  ZaloClientError,
  type IncomingZaloMessage,
  type ThreadKind,
  type ZaloPersonalClient,
} from './client.js';

export const ZALO_PERSONAL_CHANNEL_ID = 'zalo-personal';

/**
 * What a worker who only calls the bot ("trợ lý ơi", or a bare @mention) is taken to have said: a
 * greeting, which the flows answer, rather than an empty message (answered "I read text only").
 */
const CALLED_BY_NAME = 'xin chào';

/** The word that may follow the bot's name when calling it ("trợ lý ơi"), folded. */
const VOCATIVE = 'oi';

/**
 * The Zalo personal-account channel: messages from the listener become turns; replies go back to the same
 * chat as plain text through {@link ZaloPersonalSender}. In groups the bot answers only when addressed,
 * so it does not reply to every member's chatter.
 */
export class ZaloPersonalAdapter extends PushChannelAdapter {
  readonly channelId = ZALO_PERSONAL_CHANNEL_ID;
  private readonly keywords: string[][];

  constructor(
    sender: ChannelSender,
    subscribers: SubscriberStore,
    logger: Logger,
    private readonly options: { groupKeywords: string; ownId: () => string },
  ) {
    super(sender, subscribers, logger);
    this.keywords = parseKeywords(options.groupKeywords);
  }

  /** Runs the turn for one received message, or does nothing when the bot is not meant to answer it. */
  async handle(message: IncomingZaloMessage, logic: TurnLogic): Promise<void> {
    const activity = this.toActivity(message);
    if (activity) await this.processActivity(activity, logic);
  }

  /** The Activity for a message, or undefined for our own messages and group messages not addressed to us. */
  toActivity(message: IncomingZaloMessage): Partial<Activity> | undefined {
    const ownId = this.options.ownId();
    if (message.isSelf || (ownId !== '' && message.fromId === ownId)) return undefined;
    const text = message.kind === 'group' ? this.addressedText(message) : message.text;
    if (text === undefined) return undefined;
    const isGroup = message.kind === 'group';
    return {
      type: 'message',
      id: message.id,
      channelId: this.channelId,
      serviceUrl: this.channelId,
      timestamp: new Date(message.timestamp),
      from: { id: message.fromId, name: message.fromName ?? '', role: 'user' },
      recipient: { id: ownId || this.channelId, name: 'Trợ lý Công đoàn', role: 'bot' },
      conversation: {
        id: message.threadId,
        isGroup,
        conversationType: isGroup ? 'group' : 'personal',
        name: '',
      },
      text,
      ...(message.attachments?.length
        ? {
            attachments: message.attachments.map((a) => ({
              contentType: 'application/octet-stream',
              contentUrl: a.url,
            })),
          }
        : {}),
      locale: 'vi-VN',
    };
  }

  /** A group message's text for the bot when it is addressed (mention, reply, keyword), else undefined. */
  private addressedText(message: IncomingZaloMessage): string | undefined {
    const text = message.mentionsMe ? message.text : afterKeyword(message.text, this.keywords);
    if (text === undefined) return undefined;
    return text === '' ? CALLED_BY_NAME : text;
  }
}

/** "trợ lý,công đoàn ơi" → [["tro","ly"],["cong","doan","oi"]], longest first so the longest name wins. */
export function parseKeywords(list: string): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const keyword of list.split(',')) {
    const tokens = tokensOf(keyword).map((t) => t.folded);
    const key = tokens.join(' ');
    if (tokens.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(tokens);
  }
  return out.sort((a, b) => b.length - a.length);
}

/**
 * When `text` starts with one of the keywords (compared without diacritics, word by word), the rest of the
 * text without the keyword, a following "ơi" and separating punctuation; otherwise undefined.
 * "Tro ly oi, nghi phep may ngay?" → "nghi phep may ngay?".
 */
export function afterKeyword(text: string, keywords: string[][]): string | undefined {
  const normalized = nfc(text);
  const tokens = tokensOf(normalized);
  const keyword = keywords.find(
    (k) => k.length <= tokens.length && k.every((w, i) => tokens[i]!.folded === w),
  );
  if (!keyword) return undefined;
  let used = keyword.length;
  if (tokens[used]?.folded === VOCATIVE) used++;
  const end = used > 0 ? tokens[used - 1]!.end : 0;
  return normalized
    .slice(end)
    .replace(/^[\s,.:;!?-]+/u, '')
    .trim();
}

function tokensOf(text: string): { folded: string; end: number }[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    folded: fold(m[0]),
    end: m.index + m[0].length,
  }));
}

/**
 * Sends rendered Activities as plain-text messages, one per Activity, to a person or a group: replies in
 * a chat and broadcasts to groups both come through here.
 */
export class ZaloPersonalSender implements ChannelSender {
  readonly channel = ZALO_PERSONAL_CHANNEL_ID;

  constructor(
    /** The client once the channel has started (absent before, or when the login failed). */
    private readonly client: () => ZaloPersonalClient | undefined,
    private readonly retry: RetryOptions = {},
  ) {}

  async send(
    to: Recipient,
    activities: Partial<Activity>[],
    _purpose?: SendPurpose,
    control?: SendControl,
  ): Promise<SendResult> {
    const client = this.client();
    if (!client) throw new ChannelSendError('auth', 'zalo-personal is not logged in');
    const thread: { id: string; kind: ThreadKind } =
      to.isGroup && to.conversationId
        ? { id: to.conversationId, kind: 'group' }
        : { id: to.conversationId ?? to.userId, kind: 'user' };
    const runner = new RequestRunner(control, this.retry);
    const messageIds: string[] = [];
    for (const activity of activities) {
      const text = activity.text?.trim();
      if (!text) continue;
      const id = await runner.run(() => sendOne(client, thread, text));
      if (id !== undefined) messageIds.push(id);
    }
    return { messageIds };
  }
}

async function sendOne(
  client: ZaloPersonalClient,
  thread: { id: string; kind: ThreadKind },
  text: string,
): Promise<string> {
  try {
    return await client.sendText(thread.id, thread.kind, text);
  } catch (err) {
    throw toSendError(err);
  }
}

/** Network and server failures are retried; anything else (refused, bad request) is not. */
export function toSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const transient = err instanceof ZaloClientError ? err.transient : isNetworkError(err);
  const code = err instanceof ZaloClientError ? err.code : undefined;
  return new ChannelSendError(
    transient ? 'transient' : 'invalid',
    message,
    code !== undefined ? { platformCode: code } : {},
  );
}

function isNetworkError(err: unknown): boolean {
  const code =
    (err as { code?: unknown; cause?: { code?: unknown } } | null)?.cause?.code ??
    (err as { code?: unknown } | null)?.code;
  return (
    (err instanceof TypeError && err.message === 'fetch failed') ||
    (typeof code === 'string' &&
      /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|UND_ERR)/.test(code))
  );
}
