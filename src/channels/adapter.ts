import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';

export type TurnLogic = (context: TurnContext) => Promise<void>;

/**
 * Base of our channel adapters: every platform turns its events into botbuilder Activities and hands them
 * to `processActivity`, which runs the shared middleware (dedupe, per-user order, rate limit, transcript)
 * and then the one bot handler. Subclasses only say how replies leave.
 */
export abstract class ChannelAdapter extends BotAdapter {
  abstract readonly channelId: string;

  /**
   * Request–response channels (web chat) answer a retried request with the replies of the first one;
   * push channels (Messenger, Zalo) must not send them twice.
   */
  readonly replaysDuplicates: boolean = false;

  /** Runs one turn; `prepare` may put request-scoped things into `turnState` before middleware runs. */
  async processActivity(
    activity: Partial<Activity>,
    logic: TurnLogic,
    prepare?: (context: TurnContext) => void,
  ): Promise<TurnContext> {
    const context = new TurnContext(this, activity);
    prepare?.(context);
    await this.runMiddleware(context, logic);
    return context;
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: TurnLogic,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  override async updateActivity(): Promise<ResourceResponse | void> {
    throw new Error(`${this.channelId}: updating a sent message is not supported`);
  }

  override async deleteActivity(): Promise<void> {
    throw new Error(`${this.channelId}: deleting a sent message is not supported`);
  }
}
