import type { Activity, TurnContext } from 'botbuilder';
import type { SubscriberStore } from '../../broadcast/subscribers.js';
import type { Logger } from '../../platform/logger.js';
import type { TurnLogic } from '../adapter.js';
import { PushChannelAdapter, recipientOf } from '../push-adapter.js';
import type { MessengerClient } from './client.js';
import { MESSENGER_CHANNEL } from './payload.js';

/**
 * The Messenger channel's adapter: replies go out through the Send API (see {@link PushChannelAdapter}).
 * While the bot works out an answer the worker sees "typing…": the indicator is switched on when the bot
 * logic starts — after the pipeline, so a dropped duplicate or a rate-limited message shows nothing — and
 * the first reply replaces it.
 */
export class MessengerAdapter extends PushChannelAdapter {
  readonly channelId = MESSENGER_CHANNEL;

  constructor(
    private readonly client: MessengerClient,
    subscribers: SubscriberStore,
    logger: Logger,
  ) {
    super(client, subscribers, logger);
  }

  override processActivity(
    activity: Partial<Activity>,
    logic: TurnLogic,
    prepare?: (context: TurnContext) => void,
  ): Promise<TurnContext> {
    return super.processActivity(
      activity,
      async (context) => {
        await this.showTyping(context, true);
        await logic(context);
        // A turn that said nothing must not leave the indicator running until it times out.
        if (!context.responded) await this.showTyping(context, false);
      },
      prepare,
    );
  }

  /** Best effort: a missing typing indicator is no reason to fail or delay the reply. */
  private async showTyping(context: TurnContext, on: boolean): Promise<void> {
    try {
      await this.client.typing(recipientOf(context.activity), on);
    } catch (err) {
      this.logger.debug({ err, channel: this.channelId }, 'typing indicator not sent');
    }
  }
}
