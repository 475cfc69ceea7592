import { randomUUID } from 'node:crypto';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { SubscriberStore } from '../broadcast/subscribers.js';
import type { Logger } from '../platform/logger.js';
import { ChannelAdapter } from './adapter.js';
import { ChannelSendError, type ChannelSender, type Recipient } from './send.js';

export function recipientOf(activity: Partial<Activity>): Recipient {
  const userId = activity.from?.id ?? '';
  const conversationId = activity.conversation?.id;
  return conversationId && conversationId !== userId
    ? { userId, conversationId, isGroup: Boolean(activity.conversation?.isGroup) }
    : { userId };
}

/**
 * Base of channels whose replies are pushed through a platform API (Messenger, Zalo): a turn's replies go
 * out through the channel's {@link ChannelSender}; a person the platform says is unreachable is marked so
 * (broadcasts skip them), and a reply refused for the messaging window is logged, not retried.
 */
export abstract class PushChannelAdapter extends ChannelAdapter {
  constructor(
    protected readonly sender: ChannelSender,
    protected readonly subscribers: SubscriberStore,
    protected readonly logger: Logger,
  ) {
    super();
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const messages = activities.filter((a) => (a.type ?? 'message') === 'message');
    if (messages.length === 0) return activities.map(() => ({ id: randomUUID() }));
    const to = recipientOf(context.activity);
    try {
      const { messageIds } = await this.sender.send(to, messages, { type: 'response' });
      return activities.map((_, i) => ({ id: messageIds[i] ?? randomUUID() }));
    } catch (err) {
      if (!(err instanceof ChannelSendError)) throw err;
      const log = { channel: this.channelId, kind: err.kind, code: err.details.platformCode, err };
      if (err.kind === 'unreachable') {
        await this.subscribers.markUnreachable(this.channelId, to.userId, err.message);
        this.logger.warn(log, 'reply not delivered: person unreachable');
      } else if (err.kind === 'outside_window') {
        this.logger.warn(log, 'reply not sent: outside the messaging window');
      } else {
        this.logger.error(log, 'reply could not be sent');
      }
      return [];
    }
  }
}
