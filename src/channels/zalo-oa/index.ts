import type { ChannelContext, ChannelModule } from '../module.js';
import type { RetryOptions } from '../send.js';
import { ZaloOaAdapter } from './adapter.js';
import { ZaloOaClient } from './client.js';
import { ZALO_CHANNEL_ID } from './payload.js';
import { ZaloTokenStore } from './tokens.js';
import { zaloWebhookRouter } from './webhook.js';

/** Knobs tests turn (a fast retry sleep, a short acknowledgement budget). */
export interface ZaloOaChannelOptions {
  retry?: RetryOptions;
  ackBudgetMs?: number;
  tokenMarginMs?: number;
}

/** The Zalo OA channel, or undefined when the app id, app secret or a token is not configured. */
export function zaloOaChannel(ctx: ChannelContext): ChannelModule | undefined {
  return createZaloOaChannel(ctx);
}

export function createZaloOaChannel(
  ctx: ChannelContext,
  options: ZaloOaChannelOptions = {},
): ChannelModule | undefined {
  const { config, logger } = ctx;
  const appId = config.ZALO_OA_APP_ID;
  const secretKey = config.ZALO_OA_SECRET_KEY;
  if (!appId || !secretKey || !(config.ZALO_OA_REFRESH_TOKEN || config.ZALO_OA_ACCESS_TOKEN))
    return undefined;

  const tokens = new ZaloTokenStore({
    redis: ctx.redis.client(),
    keyPrefix: ctx.redis.keyPrefix,
    appId,
    secretKey,
    oauthUrl: config.ZALO_OAUTH_URL,
    seed: { accessToken: config.ZALO_OA_ACCESS_TOKEN, refreshToken: config.ZALO_OA_REFRESH_TOKEN },
    logger,
    marginMs: options.tokenMarginMs,
  });
  const client = new ZaloOaClient({ apiUrl: config.ZALO_OA_API_URL, tokens, logger, retry: options.retry });
  const adapter = ctx.withTurnPipeline(new ZaloOaAdapter(client, ctx.subscribers, logger));
  const router = zaloWebhookRouter({
    adapter,
    logic: ctx.logic,
    subscribers: ctx.subscribers,
    receipts: ctx.receipts,
    logger,
    appId,
    webhookSecret: config.ZALO_OA_WEBHOOK_SECRET ?? secretKey,
    ackBudgetMs: options.ackBudgetMs,
  });
  return {
    name: ZALO_CHANNEL_ID,
    router,
    sender: client,
    // Puts the environment's tokens into Redis before the first send needs them.
    start: () => tokens.seed(),
  };
}
