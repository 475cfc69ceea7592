import type { Activity, Attachment } from 'botbuilder';
import { z } from 'zod';
import type { Receipt } from '../receipts.js';

export const MESSENGER_CHANNEL = 'messenger';

/** Meta's ids are strings, but its own examples (app_id, dashboard tests) sometimes give numbers. */
const id = z.union([z.string(), z.number()]).transform(String);
/** Epoch milliseconds; the dashboard's "Test" button sends them as strings. */
const epoch = z.coerce.number().finite();

/**
 * The webhook envelope. Events are only checked here for being an array: each is parsed on its own (see
 * {@link toMessengerEvent}) so that one event of an unexpected shape cannot make Meta resend the whole batch
 * for hours. `standby` holds events for a thread another app owns (handover protocol); we accept and skip it.
 */
export const webhookBodySchema = z.object({
  object: z.literal('page'),
  entry: z.array(
    z.object({
      id,
      time: epoch,
      messaging: z.array(z.unknown()).optional(),
      standby: z.array(z.unknown()).optional(),
    }),
  ),
});

export type WebhookBody = z.infer<typeof webhookBodySchema>;

const attachmentSchema = z.object({
  type: z.string(),
  title: z.string().optional(),
  // Fallback attachments (unsupported shares) may come with no payload or `null`.
  payload: z.object({ url: z.string().optional() }).nullish(),
});

const messagingEventSchema = z.object({
  sender: z.object({ id: id.optional(), user_ref: z.string().optional() }),
  recipient: z.object({ id: id.optional() }),
  timestamp: epoch.optional(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachmentSchema).optional(),
    })
    .optional(),
  postback: z
    .object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() })
    .optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: epoch }).optional(),
  read: z.object({ watermark: epoch }).optional(),
});

type MessagingEvent = z.infer<typeof messagingEventSchema>;

export type MessengerEvent =
  | { kind: 'activity'; activity: Partial<Activity> }
  | { kind: 'receipt'; receipt: Receipt }
  | { kind: 'ignore'; reason: string };

/**
 * Turns one element of `entry[].messaging[]` into what the channel acts on: a message Activity for the bot,
 * a delivery/read receipt, or nothing (our own echoes, reactions and other subscribed fields).
 * `entryTime` stands in for events that carry no timestamp (deliveries).
 */
export function toMessengerEvent(raw: unknown, entryTime: number): MessengerEvent {
  const parsed = messagingEventSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', reason: 'malformed event' };
  const event = parsed.data;
  // A user_ref (checkbox plugin) has no page-scoped id to answer or to record a subscriber under.
  const userId = event.sender.id;
  if (!userId) return { kind: 'ignore', reason: 'no sender id' };
  const time = toMillis(event.timestamp ?? entryTime);

  if (event.message?.is_echo) return { kind: 'ignore', reason: 'echo' };
  if (event.message) return { kind: 'activity', activity: fromMessage(event, event.message, userId, time) };
  if (event.postback)
    return { kind: 'activity', activity: fromPostback(event, event.postback, userId, time) };
  if (event.delivery) {
    const { mids, watermark } = event.delivery;
    return {
      kind: 'receipt',
      receipt: receipt(userId, 'delivered', time, watermark, mids?.length ? mids : undefined),
    };
  }
  if (event.read) return { kind: 'receipt', receipt: receipt(userId, 'read', time, event.read.watermark) };
  return { kind: 'ignore', reason: 'unsupported event' };
}

/** Real deliveries use milliseconds; dashboard tests send seconds ("1527459824"). */
function toMillis(epochValue: number): number {
  return epochValue < 1e12 ? epochValue * 1000 : epochValue;
}

function baseActivity(event: MessagingEvent, userId: string, time: number): Partial<Activity> {
  return {
    type: 'message',
    channelId: MESSENGER_CHANNEL,
    serviceUrl: MESSENGER_CHANNEL,
    timestamp: new Date(time),
    // The page-scoped id (PSID) is the worker's identity on this channel: it is what the Send API takes.
    from: { id: userId, name: '', role: 'user' },
    recipient: { id: event.recipient.id ?? '', name: '', role: 'bot' },
    conversation: { id: userId, name: '', isGroup: false, conversationType: 'personal' },
    locale: 'vi-VN',
  };
}

function fromMessage(
  event: MessagingEvent,
  message: NonNullable<MessagingEvent['message']>,
  userId: string,
  time: number,
): Partial<Activity> {
  const activity: Partial<Activity> = {
    ...baseActivity(event, userId, time),
    id: message.mid,
    text: message.text ?? '',
  };
  // A tapped quick reply arrives as a message whose text is the button title; the payload is what flows match.
  if (message.quick_reply) activity.value = { payload: message.quick_reply.payload };
  if (message.attachments?.length) activity.attachments = message.attachments.map(toAttachment);
  return activity;
}

function fromPostback(
  event: MessagingEvent,
  postback: NonNullable<MessagingEvent['postback']>,
  userId: string,
  time: number,
): Partial<Activity> {
  const activity: Partial<Activity> = {
    ...baseActivity(event, userId, time),
    // Older postbacks carry no mid; sender, time and payload identify a resend of the same tap.
    id: postback.mid ?? `${userId}:${time}:${postback.payload ?? postback.title ?? ''}`,
    text: postback.title ?? '',
  };
  // Standby postbacks come without a payload: then only the title is left to go on.
  if (postback.payload) activity.value = { payload: postback.payload };
  return activity;
}

function toAttachment(attachment: z.infer<typeof attachmentSchema>): Attachment {
  const contentType =
    attachment.type === 'image' || attachment.type === 'video' || attachment.type === 'audio'
      ? attachment.type
      : attachment.type === 'reel' || attachment.type === 'ig_reel'
        ? 'video'
        : 'file';
  const result: Attachment = { contentType };
  if (attachment.payload?.url) result.contentUrl = attachment.payload.url;
  if (attachment.title) result.name = attachment.title;
  return result;
}

function receipt(
  userId: string,
  kind: Receipt['kind'],
  time: number,
  watermark: number,
  messageIds?: string[],
): Receipt {
  const result: Receipt = {
    channel: MESSENGER_CHANNEL,
    userId,
    kind,
    watermark,
    at: new Date(time).toISOString(),
  };
  if (messageIds) result.messageIds = messageIds;
  return result;
}
