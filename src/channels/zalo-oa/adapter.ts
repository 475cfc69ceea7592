import { PushChannelAdapter } from '../push-adapter.js';
import { ZALO_CHANNEL_ID } from './payload.js';

/**
 * The Zalo Official Account channel: webhook events become turns (see webhook.ts) and replies are pushed
 * through the customer-service message API (see client.ts). Unreachable workers and refusals for the
 * interaction window are handled by {@link PushChannelAdapter}.
 */
export class ZaloOaAdapter extends PushChannelAdapter {
  readonly channelId = ZALO_CHANNEL_ID;
}
