import type { ChannelContext, ChannelModule } from '../module.js';
import type { RetryOptions } from '../send.js';
import { MessengerAdapter } from './adapter.js';
import { MessengerClient } from './client.js';
import { MESSENGER_CHANNEL } from './payload.js';
import { messengerWebhook } from './webhook.js';

export interface MessengerChannelOptions {
  /** Send API backoff (tests pass a sleep that does not wait). */
  retry?: RetryOptions;
  /** How long a webhook POST may run before it is acknowledged anyway. */
  ackBudgetMs?: number;
}

/**
 * The Facebook Messenger channel: webhook at /webhooks/messenger, replies and broadcasts through the Send
 * API. Off unless the app secret, the verify token and the page access token are all configured.
 */
export function messengerChannel(
  ctx: ChannelContext,
  options: MessengerChannelOptions = {},
): ChannelModule | undefined {
  const {
    MESSENGER_APP_SECRET: appSecret,
    MESSENGER_VERIFY_TOKEN: verifyToken,
    MESSENGER_PAGE_ACCESS_TOKEN: pageAccessToken,
    MESSENGER_API_URL: apiUrl,
  } = ctx.config;
  if (!appSecret || !verifyToken || !pageAccessToken) return undefined;

  const client = new MessengerClient({ apiUrl, pageAccessToken, retry: options.retry, metrics: ctx.metrics });
  const adapter = ctx.withTurnPipeline(new MessengerAdapter(client, ctx.subscribers, ctx.logger));
  const router = messengerWebhook({
    appSecret,
    verifyToken,
    adapter,
    logic: ctx.logic,
    receipts: ctx.receipts,
    logger: ctx.logger,
    ackBudgetMs: options.ackBudgetMs,
  });
  return { name: MESSENGER_CHANNEL, router, sender: client };
}
