import type { Activity } from 'botbuilder';

/** The unit of ordering and of session state: one worker in one conversation on one channel. */
export function turnKey(activity: Partial<Activity>): string {
  const channel = activity.channelId ?? 'unknown';
  const user = activity.from?.id ?? 'anonymous';
  const conversation = activity.conversation?.id ?? user;
  return conversation === user ? `${channel}:${user}` : `${channel}:${conversation}:${user}`;
}
