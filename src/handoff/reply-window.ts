import { capabilitiesFor } from '../channels/capabilities.js';
import type { Recipient, SendPurpose } from '../channels/send.js';
import type { HandoffRequest } from './store.js';

export type OfficerSendDecision = { send: true; purpose: SendPurpose } | { send: false; reason: string };

/**
 * How an officer's message may go to a worker now (capabilities.ts has each platform's window):
 * - channels without a window (web, personal Zalo, console): always, as a reply;
 * - inside the free window: a reply to the worker's last message;
 * - Messenger after 24 hours and up to 7 days: only with the HUMAN_AGENT tag, which Meta allows for
 *   exactly this (a person answering a person);
 * - Zalo OA up to 7 days: customer-service messages are still allowed (billed), no tag exists;
 * - later than that, nothing may be sent: the worker has to write first.
 */
export function officerSendDecision(
  channel: string,
  lastInteractionAt: string | undefined,
  now: Date,
): OfficerSendDecision {
  const window = capabilitiesFor(channel).messagingWindow;
  if (!window) return { send: true, purpose: { type: 'response' } };
  if (!lastInteractionAt) return { send: false, reason: 'never_interacted' };
  const hours = (now.getTime() - Date.parse(lastInteractionAt)) / 3_600_000;
  if (hours <= window.freeHours) return { send: true, purpose: { type: 'response' } };
  if (hours > window.maxHours) return { send: false, reason: 'outside_window' };
  return channel === 'messenger'
    ? { send: true, purpose: { type: 'tag', tag: 'HUMAN_AGENT' } }
    : { send: true, purpose: { type: 'response' } };
}

/** The worker's chat, from the conversation reference kept with the request (a Zalo group, say). */
export function recipientOfRequest(request: HandoffRequest): Recipient {
  const conversation = request.reference.conversation as { isGroup?: boolean } | undefined;
  return request.conversationId && request.conversationId !== request.userId
    ? {
        userId: request.userId,
        conversationId: request.conversationId,
        isGroup: Boolean(conversation?.isGroup),
      }
    : { userId: request.userId };
}
