import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import { profileView } from '../broadcast/subscribers.js';
import { capabilitiesFor } from '../channels/capabilities.js';
import { renderMessages } from '../channels/render.js';
import type { Inbox } from '../handoff/inbox.js';
import { textOf } from '../handoff/history.js';
import type { FlowEngine, EngineInput } from './flows/engine.js';
import { ETagConflictError } from './redis-storage.js';
import { SessionStore } from './session.js';
import type { TurnIdentity, TurnServices } from './turn-context.js';

/** The payload of a tapped quick reply or button: adapters put it in `activity.value.payload`. */
export function payloadOf(activity: Partial<Activity>): string | undefined {
  const value = activity.value as { payload?: unknown } | undefined;
  return typeof value?.payload === 'string' && value.payload !== '' ? value.payload : undefined;
}

export function identityOf(activity: Partial<Activity>): TurnIdentity {
  const userId = activity.from?.id ?? 'anonymous';
  return {
    channel: activity.channelId ?? 'unknown',
    userId,
    conversationId: activity.conversation?.id ?? userId,
    userName: activity.from?.name || undefined,
    reference: TurnContext.getConversationReference(activity) as Record<string, unknown>,
  };
}

export const NON_TEXT_REPLY =
  'Mình mới đọc được tin nhắn chữ thôi. Bạn gõ câu hỏi giúp mình nhé, hoặc gõ "gặp cán bộ" để nói chuyện với cán bộ công đoàn.';

export const TURN_ERROR_REPLY =
  'Xin lỗi, hệ thống đang gặp trục trặc nên chưa trả lời được. Bạn thử lại sau ít phút nhé.';

/** What the bot needs from the officer inbox (see {@link Inbox.onWorkerMessage}). */
export type HandoffGate = Pick<Inbox, 'onWorkerMessage' | 'recordBotReplies'>;

/**
 * The one bot handler every channel reaches: loads the worker's place and profile, runs the flow engine,
 * saves the new place, and sends the replies rendered for the worker's channel.
 */
export class UnionBot {
  constructor(
    private readonly engine: FlowEngine,
    private readonly sessions: SessionStore,
    private readonly services: TurnServices,
    /** The officer inbox: while an officer has the conversation, the bot only passes messages on. */
    private readonly handoff?: HandoffGate,
  ) {}

  async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return;
    const identity = identityOf(activity);
    const text = typeof activity.text === 'string' ? activity.text.trim() : '';
    const attachments = (activity.attachments ?? []).flatMap((a) =>
      a.contentUrl ? [{ contentType: a.contentType ?? '', url: a.contentUrl }] : [],
    );
    const input: EngineInput = {
      text: text || undefined,
      payload: payloadOf(activity),
      attachments: attachments.length ? attachments : undefined,
    };

    await this.services.subscribers.touch(identity.channel, identity.userId, identity.userName);
    const handoff = await this.handoff?.onWorkerMessage(identity, textOf(activity), input.payload);
    // An officer is answering: a reply from the bot too would talk over them.
    if (handoff?.state === 'assigned') return;
    if (handoff?.state === 'ended') {
      await context.sendActivities(renderMessages([handoff.reply], capabilitiesFor(identity.channel)));
      return;
    }
    if (!input.text && !input.payload && !input.attachments) {
      await context.sendActivity(NON_TEXT_REPLY);
      return;
    }

    const key = SessionStore.keyFor(identity.channel, identity.conversationId, identity.userId);
    // Per-user ordering makes conflicts near impossible; if one happens (an expired lock), run the turn
    // again on fresh state rather than overwrite another process's save.
    for (let attempt = 1; ; attempt++) {
      const [loaded, subscriber] = await Promise.all([
        this.sessions.load(key),
        this.services.subscribers.get(identity.channel, identity.userId),
      ]);
      const scope = { identity, services: this.services, profile: profileView(subscriber) };
      const result = await this.engine.run(input, loaded.session, scope);
      try {
        await this.sessions.save(loaded, result.session);
      } catch (err) {
        if (err instanceof ETagConflictError && attempt < 3) continue;
        throw err;
      }
      const activities = renderMessages(result.messages, capabilitiesFor(identity.channel));
      if (activities.length > 0) await context.sendActivities(activities);
      // A picture no question was waiting for: say what the bot can read.
      else if (!input.text && !input.payload) await context.sendActivity(NON_TEXT_REPLY);
      // Waiting for an officer: they will want to see what the bot told the worker meanwhile.
      if (handoff?.state === 'open')
        await this.handoff?.recordBotReplies(
          handoff.id,
          result.messages.map((m) => m.text),
        );
      return;
    }
  }
}
