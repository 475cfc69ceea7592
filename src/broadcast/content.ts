import type { Activity } from 'botbuilder';
import { capabilitiesFor } from '../channels/capabilities.js';
import { renderMessages } from '../channels/render.js';
import type { Button, OutMessage, QuickReply } from '../conversation/messages.js';
import type { Campaign, CampaignContent } from './campaigns.js';

/** Payload of a poll option: the bot records the answer when a worker taps it. */
export function pollPayload(campaignId: string, optionId: string): string {
  return `POLL:${campaignId}:${optionId}`;
}

export function contentFor(campaign: Campaign, channel: string): CampaignContent {
  return { ...campaign.content, ...(campaign.perChannel?.[channel] ?? {}) } as CampaignContent;
}

/** The campaign as channel-neutral messages, then rendered within the channel's limits. */
export function campaignActivities(campaign: Campaign, channel: string): Partial<Activity>[] {
  const content = contentFor(campaign, channel);
  const quickReplies: QuickReply[] = [
    ...(content.poll?.options.map((o) => ({ title: o.title, payload: pollPayload(campaign.id, o.id) })) ??
      []),
    ...(content.quickReplies ?? []),
  ];
  const buttons: Button[] = [];
  if (content.link) buttons.push({ title: content.link.title, url: content.link.url });
  if (content.imageUrl) buttons.push({ title: 'Xem hình ảnh', url: content.imageUrl });
  const message: OutMessage = { text: content.text };
  if (quickReplies.length) message.quickReplies = quickReplies;
  if (buttons.length) message.buttons = buttons;
  return renderMessages([message], capabilitiesFor(channel));
}
