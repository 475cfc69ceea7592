import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type CardAction,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import express, { type Router } from 'express';
import type { ChannelContext, ChannelModule } from '../module.js';

/**
 * Bot Framework channels (Azure Bot Service: Web Chat, Direct Line, Teams …, and the Bot Framework
 * Emulator) through botbuilder's CloudAdapter on POST /api/messages. The CloudAdapter does the
 * authentication and replies; our turn pipeline runs on it like on every other adapter.
 */
export function botFrameworkChannel(ctx: ChannelContext): ChannelModule | undefined {
  const { config, logger } = ctx;
  if (!config.BOTFRAMEWORK_ENABLED && !config.MicrosoftAppId) return undefined;
  if (!config.MicrosoftAppId && config.NODE_ENV === 'production') {
    // Without an app id the CloudAdapter accepts unauthenticated requests: fine for the Emulator on a
    // developer's machine, never on a public server.
    logger.error(
      'Bot Framework channel off: MicrosoftAppId is required in production (authentication would be disabled)',
    );
    return undefined;
  }
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.use(payloadsAsValues);
  ctx.withTurnPipeline(adapter);

  const router: Router = express.Router();
  router.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await adapter.process(req, res, ctx.logic);
  });
  logger.info({ authenticated: Boolean(config.MicrosoftAppId) }, 'Bot Framework channel on /api/messages');
  return { name: 'botframework', router };
}

/**
 * Our options carry their payload in `value`; Web Chat and the Emulator send a tapped postBack's string
 * value back as the message text. Sending `{ payload }` objects instead makes the tap arrive as
 * `activity.value.payload`, which the bot reads on every channel; a string value that still arrives (older
 * clients) is read the same way.
 */
const payloadsAsValues: Middleware = {
  async onTurn(context: TurnContext, next: () => Promise<void>) {
    const value: unknown = context.activity.value;
    if (typeof value === 'string' && value !== '') context.activity.value = { payload: value };
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      for (const a of activities) rewriteActions(a);
      return nextSend();
    });
    await next();
  },
};

function rewriteActions(activity: Partial<Activity>): void {
  const actions = activity.suggestedActions?.actions;
  if (!actions) return;
  activity.suggestedActions!.actions = actions.map((a): CardAction =>
    a.type === 'postBack' && typeof a.value === 'string' ? { ...a, value: { payload: a.value } } : a,
  );
}
