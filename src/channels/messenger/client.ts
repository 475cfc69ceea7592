import type { Activity } from 'botbuilder';
import type { Metrics } from '../../platform/metrics.js';
import { capabilitiesFor } from '../capabilities.js';
import { splitText, uaData } from '../render.js';
import {
  ChannelSendError,
  networkFailure,
  RequestRunner,
  type SendControl,
  type SentCheck,
  type SentProbe,
  type ChannelSender,
  type Recipient,
  type RetryOptions,
  type SendFailureKind,
  type SendPurpose,
  type SendResult,
} from '../send.js';
import { MESSENGER_CHANNEL } from './payload.js';

// Send API limits (Meta's Send API, quick replies and button template references). The renderer already
// keeps within the capability table; these guards only stop a malformed Activity from being refused whole.
/** "less than 2000 characters"; the capability table keeps a margin. */
const TEXT_MAX = capabilitiesFor(MESSENGER_CHANNEL).textMax;
const QUICK_REPLIES_MAX = 13;
const QUICK_REPLY_TITLE_MAX = 20;
const QUICK_REPLY_PAYLOAD_MAX = 1000;
const TEMPLATE_TEXT_MAX = 640;
const TEMPLATE_BUTTONS_MAX = 3;
const BUTTON_TITLE_MAX = 20;
/** Text of the button template when the answer itself is too long to carry the buttons. */
const LINKS_INTRO = 'Xem thêm:';
const TYPING_TIMEOUT_MS = 3000;

interface QuickReplyBody {
  content_type: 'text';
  title: string;
  payload: string;
}

interface UrlButtonBody {
  type: 'web_url';
  url: string;
  title: string;
}

export interface SendApiMessage {
  text?: string;
  quick_replies?: QuickReplyBody[];
  attachment?: {
    type: 'template';
    payload: { template_type: 'button'; text: string; buttons: UrlButtonBody[] };
  };
}

type MessagingType =
  { messaging_type: 'RESPONSE' | 'UPDATE' } | { messaging_type: 'MESSAGE_TAG'; tag: string };

type SendApiRequest =
  | ({ recipient: { id: string }; message: SendApiMessage } & MessagingType)
  | { recipient: { id: string }; sender_action: 'typing_on' | 'typing_off' };

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

export interface MessengerClientOptions {
  /** Graph API base with version, e.g. https://graph.facebook.com/v25.0 */
  apiUrl: string;
  pageAccessToken: string;
  /** Backoff for rate-limited and transient failures (tests pass a sleep that does not wait). */
  retry?: RetryOptions;
  /** Per-request timeout. */
  timeoutMs?: number;
  metrics?: Metrics;
}

/**
 * Pushes Activities to the Messenger Send API, one request per message, and reports failures as
 * {@link ChannelSendError}s. Used for turn replies (through the adapter) and for broadcasts.
 */
export class MessengerClient implements ChannelSender {
  readonly channel = MESSENGER_CHANNEL;
  private readonly endpoint: string;
  private readonly base: string;

  constructor(private readonly options: MessengerClientOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.endpoint = `${this.base}/me/messages?access_token=${encodeURIComponent(options.pageAccessToken)}`;
  }

  /**
   * Sends each message Activity (an Activity may take two requests, see {@link toSendApiMessages}).
   * `messageIds` holds one id per Activity sent — that of its first request — so callers can pair them.
   */
  async send(
    to: Recipient,
    activities: Partial<Activity>[],
    purpose: SendPurpose,
    control?: SendControl,
  ): Promise<SendResult> {
    const runner = new RequestRunner(control, this.options.retry);
    const messageIds: string[] = [];
    for (const activity of activities) {
      if ((activity.type ?? 'message') !== 'message') continue;
      let firstId: string | undefined;
      for (const message of toSendApiMessages(activity)) {
        const request: SendApiRequest = { recipient: { id: to.userId }, ...messagingType(purpose), message };
        const id = await runner.run(() => this.post(request));
        if (id === undefined) continue;
        this.options.metrics?.messagesSent.inc({ channel: MESSENGER_CHANNEL });
        firstId ??= id;
      }
      if (firstId !== undefined) messageIds.push(firstId);
    }
    return { messageIds };
  }

  /**
   * Reads the person's conversation with the Page back (Conversations API: `GET /me/conversations` with
   * `platform=messenger&user_id=<PSID>`, which needs the pages_read_engagement permission) and looks for a
   * Page message since `probe.since` with the probe's text. Any doubt — an error, no permission, a Page
   * message that is not this one — is "cannot_tell", so a message is never sent twice on a guess.
   */
  async wasSent(to: Recipient, probe: SentProbe): Promise<SentCheck> {
    const fields = 'messages.limit(20){message,created_time,from}';
    const url =
      `${this.base}/me/conversations?platform=messenger&user_id=${encodeURIComponent(to.userId)}` +
      `&fields=${encodeURIComponent(fields)}&access_token=${encodeURIComponent(this.options.pageAccessToken)}`;
    let body: ConversationsResponse;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      if (!response.ok) return 'cannot_tell';
      body = (await response.json()) as ConversationsResponse;
    } catch {
      return 'cannot_tell';
    }
    let otherPageMessage = false;
    for (const message of body.data?.[0]?.messages?.data ?? []) {
      if (message.from?.id === to.userId) continue;
      if (!(Date.parse(message.created_time ?? '') >= probe.since.getTime())) continue;
      if (sameText(message.message, probe.text)) return 'sent';
      otherPageMessage = true;
    }
    return otherPageMessage ? 'cannot_tell' : 'not_sent';
  }

  /**
   * Shows or hides the typing indicator. One short attempt, no retry: the reply waits for it, and a late
   * indicator is worse than none.
   */
  async typing(to: Recipient, on: boolean): Promise<void> {
    const request: SendApiRequest = {
      recipient: { id: to.userId },
      sender_action: on ? 'typing_on' : 'typing_off',
    };
    await this.post(request, TYPING_TIMEOUT_MS);
  }

  /** One Send API call; returns the message id. */
  private async post(request: SendApiRequest, timeoutMs = this.options.timeoutMs ?? 10_000): Promise<string> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // Only the error's name: network errors may quote the URL, and the URL carries the page token.
      throw networkFailure('Messenger Send API not reached', err);
    }
    const body = (await response.json().catch(() => undefined)) as
      { message_id?: string; error?: GraphError } | undefined;
    if (response.ok) return body?.message_id ?? '';
    const error = body?.error ?? {};
    const platformCode =
      error.code === undefined
        ? response.status
        : error.error_subcode === undefined
          ? error.code
          : `${error.code}/${error.error_subcode}`;
    throw new ChannelSendError(
      sendFailureKind(response.status, error.code, error.error_subcode),
      `(#${error.code ?? response.status}) ${error.message ?? response.statusText}`,
      { platformCode },
    );
  }
}

/**
 * What a Send API error means for us (codes from Meta's error-code pages and Graph's rate-limiting doc; see
 * the Messenger research notes). Meta has no single "blocked" code: a person who blocked the Page or turned
 * messages off shows up as 551, 10/2018108, 100/2018001 or 230.
 */
export function sendFailureKind(status: number, code?: number, subcode?: number): SendFailureKind {
  if (code === 4 || code === 17 || code === 32 || code === 613) return 'rate_limited';
  if (code === 551 || code === 230) return 'unreachable';
  if (code === 10 && subcode === 2018108) return 'unreachable';
  if (code === 100 && subcode === 2018001) return 'unreachable';
  // 2018065 is the older form of the same refusal.
  if (code === 10 && (subcode === 2018278 || subcode === 2018065)) return 'outside_window';
  if (code === 190) return 'auth';
  // "An unexpected error … retry later" and "Temporary send message failure".
  if (code === 2 || code === 1200) return 'transient';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid';
}

function messagingType(purpose: SendPurpose): MessagingType {
  switch (purpose.type) {
    case 'response':
      return { messaging_type: 'RESPONSE' };
    case 'update':
      return { messaging_type: 'UPDATE' };
    case 'tag':
      return { messaging_type: 'MESSAGE_TAG', tag: purpose.tag };
  }
}

/**
 * The Send API messages for one rendered Activity: its text (split if it is somehow too long), its URL
 * buttons as a button template, and its quick replies on the last message. The template's text holds
 * at most 640 characters, so a longer answer goes first on its own and the buttons follow under
 * "Xem thêm:".
 */
/** The Conversations API's answer, as far as {@link MessengerClient.wasSent} reads it. */
interface ConversationsResponse {
  data?: {
    id?: string;
    messages?: { data?: { message?: string; created_time?: string; from?: { id?: string } }[] };
  }[];
}

/** A message as read back matches what was sent (a long text was sent in pieces: the first piece). */
function sameText(read: string | undefined, sent: string): boolean {
  const a = (read ?? '').trim().normalize('NFC');
  const b = sent.trim().normalize('NFC');
  return a !== '' && (a === b || (a.length >= 20 && b.startsWith(a)));
}

export function toSendApiMessages(activity: Partial<Activity>): SendApiMessage[] {
  const text = activity.text ?? '';
  const messages: SendApiMessage[] = text ? splitText(text, TEXT_MAX).map((piece) => ({ text: piece })) : [];
  const buttons = urlButtonsOf(activity);
  if (buttons.length > 0) {
    const last = messages.at(-1)?.text;
    const carriesText = last !== undefined && last.length <= TEMPLATE_TEXT_MAX;
    if (carriesText) messages.pop();
    messages.push({
      attachment: {
        type: 'template',
        payload: { template_type: 'button', text: carriesText ? last : LINKS_INTRO, buttons },
      },
    });
  }
  const quickReplies = quickRepliesOf(activity);
  const lastMessage = messages.at(-1);
  if (lastMessage && quickReplies.length > 0) lastMessage.quick_replies = quickReplies;
  return messages;
}

function quickRepliesOf(activity: Partial<Activity>): QuickReplyBody[] {
  const replies: QuickReplyBody[] = [];
  for (const action of activity.suggestedActions?.actions ?? []) {
    const payload = action.value === undefined || action.value === null ? '' : String(action.value);
    // A cut payload would mean something else to the flows: drop the option instead.
    if (!payload || payload.length > QUICK_REPLY_PAYLOAD_MAX) continue;
    const title = fit(action.title || payload, QUICK_REPLY_TITLE_MAX);
    if (title) replies.push({ content_type: 'text', title, payload });
  }
  return replies.slice(0, QUICK_REPLIES_MAX);
}

function urlButtonsOf(activity: Partial<Activity>): UrlButtonBody[] {
  return (uaData(activity).links ?? [])
    .filter((link) => /^https?:\/\//i.test(link.url) && link.title.trim() !== '')
    .slice(0, TEMPLATE_BUTTONS_MAX)
    .map((link) => ({ type: 'web_url', url: link.url, title: fit(link.title, BUTTON_TITLE_MAX) }));
}

/** Shortens a label to `max` characters, marking the cut with an ellipsis. */
function fit(label: string, max: number): string {
  const trimmed = label.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1).trimEnd()}…`;
}
