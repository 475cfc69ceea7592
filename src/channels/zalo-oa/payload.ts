import type { Activity, Attachment } from 'botbuilder';
import { z } from 'zod';
import type { Receipt } from '../receipts.js';

export const ZALO_CHANNEL_ID = 'zalo-oa';

/**
 * Our buttons are `oa.query.hide` buttons whose payload is this prefix plus the option's payload; Zalo
 * returns a click as an ordinary `user_send_text` whose text is that payload, so the prefix is what tells
 * a click apart from typed text.
 */
export const BUTTON_PAYLOAD_PREFIX = 'ua:';

/**
 * Ids are strings only: Zalo's ids exceed 2^53, so one that arrived as a JSON number would already have
 * lost digits and would address someone else.
 */
const id = z.string().min(1);

/** Epoch milliseconds as a string in every documented example; a number still fits in 2^53. */
const timestamp = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform(String);

// Attachment payloads are only partly documented (url + thumbnail for images; other fields vary by type).
const attachmentSchema = z.object({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      thumbnail: z.string().optional(),
      name: z.string().optional(),
    })
    .nullish(),
});

export const USER_MESSAGE_EVENTS = [
  'user_send_text',
  'user_send_image',
  'user_send_link',
  'user_send_sticker',
  'user_send_file',
  'user_send_audio',
  'user_send_video',
  'user_send_location',
  'user_send_gif',
  'user_send_business_card',
] as const;

/** A worker wrote to the OA (text, a button click, or media). */
const userMessageSchema = z.object({
  event_name: z.enum(USER_MESSAGE_EVENTS),
  app_id: z.string().optional(),
  sender: z.object({ id }),
  recipient: z.object({ id }),
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: z.array(attachmentSchema).optional(),
  }),
  timestamp,
});

/** Follow events name the worker `follower` (not `sender`) and the OA `oa_id`. */
const followSchema = z.object({
  event_name: z.enum(['follow', 'unfollow']),
  app_id: z.string().optional(),
  oa_id: z.string().optional(),
  follower: z.object({ id }),
  source: z.string().optional(),
  timestamp,
});

/**
 * Receipts of the OA's messages: sender is the OA, recipient the worker (documented for
 * `user_received_message`; assumed the same for `user_seen_message`, whose example was not readable).
 * Delivery names one `msg_id`, seen names several `msg_ids`.
 */
const receiptSchema = z.object({
  event_name: z.enum(['user_received_message', 'user_seen_message']),
  app_id: z.string().optional(),
  sender: z.object({ id }),
  recipient: z.object({ id }),
  message: z.object({ msg_id: z.string().optional(), msg_ids: z.array(z.string()).optional() }),
  timestamp,
});

const knownEventSchema = z.discriminatedUnion('event_name', [userMessageSchema, followSchema, receiptSchema]);
const KNOWN_EVENTS: ReadonlySet<string> = new Set(
  [userMessageSchema, followSchema, receiptSchema].flatMap((s) => s.shape.event_name.options),
);

export type ZaloWebhook = z.infer<typeof knownEventSchema>;
export type ZaloUserMessage = z.infer<typeof userMessageSchema>;

export type ParsedWebhook =
  | { ok: true; webhook: ZaloWebhook }
  /** An event we do not act on: the OA's own messages echoed back (`oa_send_*`), tags, forms … */
  | { ok: true; webhook: undefined; eventName: string }
  | { ok: false; error: string };

/**
 * Validates a webhook body. Unknown event names are accepted (and ignored) so that an event type ticked
 * in the console later does not make Zalo retry; a known event with a wrong shape is an error.
 */
export function parseZaloWebhook(body: unknown): ParsedWebhook {
  const envelope = z.object({ event_name: z.string().min(1) }).safeParse(body);
  if (!envelope.success) return { ok: false, error: 'event_name is missing' };
  const eventName = envelope.data.event_name;
  if (!KNOWN_EVENTS.has(eventName)) return { ok: true, webhook: undefined, eventName };
  const parsed = knownEventSchema.safeParse(body);
  return parsed.success
    ? { ok: true, webhook: parsed.data }
    : { ok: false, error: `${eventName}: ${z.prettifyError(parsed.error)}` };
}

/** The payload of the flow that greets a new worker. */
export const GET_STARTED = 'GET_STARTED';

export type ZaloEvent =
  | { kind: 'message'; activity: Partial<Activity> }
  /** A worker followed the OA: consent, and `greeting` — a turn that starts the welcome flow. */
  | { kind: 'follow'; userId: string; greeting: Partial<Activity> }
  | { kind: 'unfollow'; userId: string }
  | { kind: 'receipt'; receipt: Receipt };

/** What a webhook means for the bot, or 'ignore'. Pure: no I/O. */
export function toZaloEvent(webhook: ZaloWebhook | undefined): ZaloEvent | 'ignore' {
  if (!webhook) return 'ignore';
  switch (webhook.event_name) {
    case 'follow':
      return { kind: 'follow', userId: webhook.follower.id, greeting: toGreetingActivity(webhook) };
    case 'unfollow':
      return { kind: 'unfollow', userId: webhook.follower.id };
    case 'user_received_message':
    case 'user_seen_message': {
      const { msg_id, msg_ids } = webhook.message;
      const messageIds = msg_ids ?? (msg_id ? [msg_id] : []);
      if (messageIds.length === 0) return 'ignore';
      return {
        kind: 'receipt',
        receipt: {
          channel: ZALO_CHANNEL_ID,
          userId: webhook.recipient.id,
          kind: webhook.event_name === 'user_received_message' ? 'delivered' : 'read',
          messageIds,
          at: isoTime(webhook.timestamp),
        },
      };
    }
    default:
      return { kind: 'message', activity: toMessageActivity(webhook) };
  }
}

export function toMessageActivity(event: ZaloUserMessage): Partial<Activity> {
  const text = event.message.text ?? '';
  const payload =
    event.event_name === 'user_send_text' && text.startsWith(BUTTON_PAYLOAD_PREFIX)
      ? text.slice(BUTTON_PAYLOAD_PREFIX.length)
      : undefined;
  const attachments = (event.message.attachments ?? []).map(toAttachment);
  return {
    type: 'message',
    id: event.message.msg_id,
    channelId: ZALO_CHANNEL_ID,
    serviceUrl: ZALO_CHANNEL_ID,
    timestamp: toDate(event.timestamp),
    from: { id: event.sender.id, name: '', role: 'user' },
    recipient: { id: event.recipient.id, name: '', role: 'bot' },
    conversation: { id: event.sender.id, isGroup: false, conversationType: 'personal', name: '' },
    text: payload !== undefined ? '' : text,
    value: payload ? { payload } : undefined,
    attachments: attachments.length > 0 ? attachments : undefined,
    locale: 'vi-VN',
  };
}

/**
 * A follow as a turn with the GET_STARTED payload. Its id is built from the event, so a follow Zalo
 * resends is recognised by the turn pipeline and the worker is greeted once.
 */
export function toGreetingActivity(event: z.infer<typeof followSchema>): Partial<Activity> {
  const userId = event.follower.id;
  return {
    type: 'message',
    id: `follow:${userId}:${event.timestamp}`,
    channelId: ZALO_CHANNEL_ID,
    serviceUrl: ZALO_CHANNEL_ID,
    timestamp: toDate(event.timestamp),
    from: { id: userId, name: '', role: 'user' },
    recipient: { id: event.oa_id ?? ZALO_CHANNEL_ID, name: '', role: 'bot' },
    conversation: { id: userId, isGroup: false, conversationType: 'personal', name: '' },
    text: '',
    value: { payload: GET_STARTED },
    locale: 'vi-VN',
  };
}

// Zalo names the kind of media but not its format.
const CONTENT_TYPES: Record<string, string> = {
  image: 'image/*',
  gif: 'image/gif',
  video: 'video/*',
  audio: 'audio/*',
  file: 'application/octet-stream',
  link: 'text/html',
};

/** Media keeps its link (the transcript shows it to the officer who takes over); the rest its payload. */
function toAttachment(attachment: z.infer<typeof attachmentSchema>): Attachment {
  const payload = attachment.payload ?? {};
  return {
    contentType: CONTENT_TYPES[attachment.type] ?? `application/vnd.zalo.${attachment.type}`,
    contentUrl: payload.url,
    thumbnailUrl: payload.thumbnail,
    name: payload.name,
    content: payload.url ? undefined : payload,
  };
}

/** Zalo's epoch-milliseconds string as a Date (the time of arrival if it is out of range). */
function toDate(ms: string): Date {
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

function isoTime(ms: string): string {
  return toDate(ms).toISOString();
}
