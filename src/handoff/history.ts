import type { Activity } from 'botbuilder';
import type { RedisTranscriptStore } from '../conversation/transcript-store.js';
import type { HandoffMessage, HandoffRequest } from './store.js';

/** How much of the conversation before the handoff an officer sees. */
export const HISTORY_MAX = 50;

/**
 * The conversation before the worker asked for a person, from the transcript every channel writes: the
 * worker's and the bot's messages, oldest first. What came after the request is in the handoff's own
 * messages, so the transcript is cut at the request's time to show nothing twice.
 */
export async function historyBefore(
  transcripts: RedisTranscriptStore,
  request: HandoffRequest,
  max = HISTORY_MAX,
): Promise<HandoffMessage[]> {
  const activities: Activity[] = [];
  let token: string | undefined;
  // The transcript is capped (TRANSCRIPT_MAX_ACTIVITIES), so reading every page is bounded.
  do {
    const page = await transcripts.getTranscriptActivities(request.channel, request.conversationId, token);
    activities.push(...page.items);
    token = page.continuationToken || undefined;
  } while (token);
  const cutoff = Date.parse(request.createdAt);
  const messages: HandoffMessage[] = [];
  for (const activity of activities) {
    const at = new Date(activity.timestamp ?? 0);
    if (!(at.getTime() <= cutoff)) continue;
    const text = textOf(activity);
    if (!text) continue;
    // Workers' messages carry their own id; everything else in the transcript is the bot's reply.
    const from = activity.from?.id === request.userId ? 'worker' : 'bot';
    messages.push({ from, text, at: at.toISOString() });
  }
  return messages.slice(-max);
}

/** The text of a message, with the links of pictures or files the worker sent. */
export function textOf(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (typeof activity.text === 'string' && activity.text.trim()) parts.push(activity.text.trim());
  for (const a of activity.attachments ?? []) {
    if (a.contentUrl) parts.push(`[${a.name ?? a.contentType ?? 'tệp'}] ${a.contentUrl}`);
  }
  return parts.join('\n');
}
