import type { Activity } from 'botbuilder';
import {
  RequestRunner,
  type ChannelSender,
  type Recipient,
  type SendControl,
  type SendPurpose,
  type SendResult,
  type SentCheck,
  type SentProbe,
} from '../send.js';
import type { WebChatAdapter } from './adapter.js';

/**
 * Broadcasts to web chat users land in their outbox; the chat page shows them at its next poll. A
 * broadcast delivery is written together with a marker of its key, so after a crash it is known exactly
 * whether it went out.
 */
export class WebOutboxSender implements ChannelSender {
  readonly channel = 'web';

  constructor(private readonly adapter: WebChatAdapter) {}

  async send(
    to: Recipient,
    activities: Partial<Activity>[],
    _purpose?: SendPurpose,
    control?: SendControl,
  ): Promise<SendResult> {
    // The whole message goes into the outbox at once: one "request".
    const runner = new RequestRunner({ ...control, singleAttempt: true });
    const ids: string[] = [];
    await runner.run(async () => {
      ids.push(...(await this.adapter.pushToOutbox(to.userId, activities, control?.deliveryKey)));
      return ids[0] ?? '';
    });
    return { messageIds: ids };
  }

  async wasSent(_to: Recipient, probe: SentProbe): Promise<SentCheck> {
    if (!probe.deliveryKey) return 'cannot_tell';
    return (await this.adapter.delivered(probe.deliveryKey)) ? 'sent' : 'not_sent';
  }
}
