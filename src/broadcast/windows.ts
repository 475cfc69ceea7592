import { capabilitiesFor } from '../channels/capabilities.js';
import type { SendPurpose } from '../channels/send.js';

export type WindowDecision = { send: true; purpose: SendPurpose } | { send: false; reason: string };

/**
 * Whether a platform's rules let us write to this person now, and as what. Never violate them: what may
 * not be sent is skipped and counted.
 * - Messenger: within 24 hours of the worker's last message, a normal update; after that only with a
 *   message tag the campaign declares (an event reminder, say); otherwise skipped.
 * - Zalo OA: customer-service messages until 7 days after the last interaction (free for 48 hours);
 *   after that Zalo refuses them, so they are skipped.
 * - Channels without a window (web, personal Zalo): always.
 */
export function windowDecision(
  channel: string,
  lastInteractionAt: string | undefined,
  now: Date,
  options: { messengerTag?: string } = {},
): WindowDecision {
  const window = capabilitiesFor(channel).messagingWindow;
  if (!window) return { send: true, purpose: { type: 'update' } };
  if (!lastInteractionAt) return { send: false, reason: 'never_interacted' };
  const hours = (now.getTime() - Date.parse(lastInteractionAt)) / 3_600_000;
  if (hours <= window.freeHours) return { send: true, purpose: { type: 'update' } };
  if (channel === 'messenger') {
    return options.messengerTag
      ? { send: true, purpose: { type: 'tag', tag: options.messengerTag } }
      : { send: false, reason: 'outside_24h_window' };
  }
  if (hours <= window.maxHours) return { send: true, purpose: { type: 'update' } };
  return { send: false, reason: `outside_${Math.round(window.maxHours / 24)}_day_window` };
}
