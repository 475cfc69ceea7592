import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { splitText, uaData } from '../render.js';
import {
  ChannelSendError,
  networkFailure,
  RequestRunner,
  type SendControl,
  type ChannelSender,
  type Recipient,
  type RetryOptions,
  type SendFailureKind,
  type SendPurpose,
  type SendResult,
} from '../send.js';
import { BUTTON_PAYLOAD_PREFIX, ZALO_CHANNEL_ID } from './payload.js';
import type { ZaloTokenStore } from './tokens.js';

/** Limits of a customer-service message (Zalo OA API v3). */
export const ZALO_LIMITS = { buttons: 5, title: 100, payload: 1000, text: 2000 } as const;

export type ZaloButton =
  | { title: string; type: 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } };

export interface ZaloMessage {
  text: string;
  attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
}

/**
 * What each error code means for us (table "Mã lỗi" of the OA API). -216 (invalid) and -220 (expired)
 * mean the access token: refreshed and tried once more before they become 'auth'.
 */
const FAILURE_BY_CODE: Record<number, SendFailureKind> = {
  [-32]: 'rate_limited',
  [-216]: 'auth',
  [-220]: 'auth',
  [-213]: 'unreachable', // not following the OA
  [-217]: 'unreachable', // blocked the OA
  [-227]: 'unreachable', // banned, or inactive for over 45 days
  [-244]: 'unreachable', // refuses this message type from the OA
  [-230]: 'outside_window', // no interaction in the past 7 days
  [-232]: 'outside_window', // no interaction, or it has expired
  [-201]: 'invalid',
  [-210]: 'invalid',
  [-233]: 'invalid',
};

const TOKEN_REJECTED = new Set([-216, -220]);

// Zalo answers HTTP 200 with `error: 0` on success and a negative code otherwise.
const responseSchema = z.object({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.looseObject({ message_id: z.string().optional() }).nullish(),
});
type ZaloResponse = z.infer<typeof responseSchema>;

export interface ZaloOaClientOptions {
  /** https://openapi.zalo.me */
  apiUrl: string;
  tokens: Pick<ZaloTokenStore, 'getAccessToken' | 'refreshAfterRejection'>;
  logger: Logger;
  retry?: RetryOptions;
  timeoutMs?: number;
}

/**
 * Sends customer-service ("tư vấn") messages: replies, and updates within the 7 days after a worker's last
 * interaction (Zalo refuses later ones with -230). Zalo has no message tags, so every purpose goes the
 * same way and Zalo decides.
 */
export class ZaloOaClient implements ChannelSender {
  readonly channel = ZALO_CHANNEL_ID;

  constructor(private readonly options: ZaloOaClientOptions) {}

  async send(
    to: Recipient,
    activities: Partial<Activity>[],
    _purpose: SendPurpose,
    control?: SendControl,
  ): Promise<SendResult> {
    if (to.isGroup) throw new ChannelSendError('invalid', 'Zalo OA: group chats are not supported');
    const runner = new RequestRunner(control, this.options.retry);
    const messageIds: string[] = [];
    for (const activity of activities) {
      let lastId = '';
      for (const message of toZaloMessages(activity, this.options.logger))
        lastId = (await runner.run(() => this.post(to.userId, message))) ?? lastId;
      messageIds.push(lastId);
    }
    return { messageIds };
  }

  /** One message; a rejected token is refreshed (once across processes) and the message sent again. */
  private async post(userId: string, message: ZaloMessage): Promise<string> {
    const body = JSON.stringify({ recipient: { user_id: userId }, message });
    const token = await this.options.tokens.getAccessToken();
    let response = await this.call(token, body);
    if (TOKEN_REJECTED.has(response.error)) {
      const fresh = await this.options.tokens.refreshAfterRejection(token);
      response = await this.call(fresh, body);
    }
    if (response.error === 0) return response.data?.message_id ?? '';
    throw failureOf(response);
  }

  private async call(accessToken: string, body: string): Promise<ZaloResponse> {
    let res: Response;
    try {
      res = await fetch(`${this.options.apiUrl}/v3.0/oa/message/cs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: accessToken },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw networkFailure('Zalo OA not reached', err);
    }
    if (res.status === 429) throw new ChannelSendError('rate_limited', 'Zalo OA: HTTP 429');
    if (res.status >= 500) throw new ChannelSendError('transient', `Zalo OA: HTTP ${res.status}`);
    const parsed = responseSchema.safeParse(await res.json().catch(() => undefined));
    if (!res.ok) throw new ChannelSendError('invalid', `Zalo OA: HTTP ${res.status}`);
    if (!parsed.success) throw new ChannelSendError('transient', 'Zalo OA: unreadable response');
    return parsed.data;
  }
}

function failureOf(response: ZaloResponse): ChannelSendError {
  const kind = FAILURE_BY_CODE[response.error] ?? 'invalid';
  return new ChannelSendError(kind, `Zalo OA error ${response.error}: ${response.message ?? ''}`.trim(), {
    platformCode: response.error,
  });
}

/**
 * One Activity as Zalo messages: options become `oa.query.hide` buttons (their payload comes back as
 * text), links `oa.open.url` buttons. Zalo shows at most five buttons, so options come first and links
 * that do not fit are written into the text; text longer than Zalo's limit is split, with the buttons
 * under the last piece.
 */
export function toZaloMessages(activity: Partial<Activity>, logger?: Logger): ZaloMessage[] {
  const queries: ZaloButton[] = [];
  const links = [...(uaData(activity).links ?? [])];
  for (const action of activity.suggestedActions?.actions ?? []) {
    const title = String(action.title ?? action.value ?? '');
    if (action.type === 'openUrl') {
      links.unshift({ title, url: String(action.value) });
      continue;
    }
    const payload = BUTTON_PAYLOAD_PREFIX + String(action.value ?? '');
    if (payload.length > ZALO_LIMITS.payload) {
      logger?.warn({ channel: ZALO_CHANNEL_ID, title }, 'Zalo OA: button payload too long, button left out');
      continue;
    }
    queries.push({ title: clip(title, ZALO_LIMITS.title), type: 'oa.query.hide', payload });
  }
  const buttons = queries.slice(0, ZALO_LIMITS.buttons);
  const room = ZALO_LIMITS.buttons - buttons.length;
  for (const link of links.slice(0, room))
    buttons.push({
      title: clip(link.title, ZALO_LIMITS.title),
      type: 'oa.open.url',
      payload: { url: link.url },
    });

  // Vietnamese typed on some keyboards arrives decomposed (NFD), which counts more characters.
  let text = (activity.text ?? '').normalize('NFC');
  const overflow = links.slice(room);
  if (overflow.length > 0) text += `\n\n${overflow.map((l) => `${l.title}: ${l.url}`).join('\n')}`;
  if (!text.trim() && buttons.length === 0) return [];

  const pieces = splitText(text, ZALO_LIMITS.text);
  return pieces.map((piece, i) =>
    i === pieces.length - 1 && buttons.length > 0
      ? { text: piece, attachment: { type: 'template', payload: { buttons } } }
      : { text: piece },
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
