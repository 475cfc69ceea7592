import { settleWithin } from '../ack.js';
import type { ChannelContext, ChannelModule } from '../module.js';
import type { RetryOptions } from '../send.js';
import { LockTimeoutError } from '../../platform/redis-lock.js';
import { ZALO_PERSONAL_CHANNEL_ID, ZaloPersonalAdapter, ZaloPersonalSender } from './adapter.js';
import type { ZaloClientFactory, ZaloPersonalClient } from './client.js';
import { ZaloConnection, type ReconnectOptions } from './connection.js';
import { loadCredentials } from './credentials.js';

/** Knobs tests turn: a fake client, fast reconnects and retries. */
export interface ZaloPersonalChannelOptions {
  /** Builds the client from the saved session; by default the zca-js client. */
  makeClient?: ZaloClientFactory;
  reconnect?: ReconnectOptions;
  retry?: RetryOptions;
  /** How long start-up waits for the first connection before leaving it to the background. */
  startWaitMs?: number;
}

/** The Zalo personal-account channel, or undefined unless ZALO_PERSONAL_ENABLED. */
export function zaloPersonalChannel(
  ctx: ChannelContext,
  makeClient?: ZaloClientFactory,
): ChannelModule | undefined {
  return createZaloPersonalChannel(ctx, makeClient ? { makeClient } : {});
}

/** A channel factory with its client (and knobs) injected, in the shape the application takes. */
export function zaloPersonalChannelWith(
  makeClient: ZaloClientFactory,
  options: Omit<ZaloPersonalChannelOptions, 'makeClient'> = {},
): (ctx: ChannelContext) => ChannelModule | undefined {
  return (ctx) => createZaloPersonalChannel(ctx, { ...options, makeClient });
}

export function createZaloPersonalChannel(
  ctx: ChannelContext,
  options: ZaloPersonalChannelOptions = {},
): ChannelModule | undefined {
  const { config } = ctx;
  if (!config.ZALO_PERSONAL_ENABLED) return undefined;
  const logger = ctx.logger.child({ channel: ZALO_PERSONAL_CHANNEL_ID });

  let client: ZaloPersonalClient | undefined;
  let connection: ZaloConnection | undefined;
  const sender = new ZaloPersonalSender(() => client, options.retry);
  const adapter = ctx.withTurnPipeline(
    new ZaloPersonalAdapter(sender, ctx.subscribers, logger, {
      groupKeywords: config.ZALO_PERSONAL_GROUP_KEYWORDS,
      ownId: () => client?.ownId ?? '',
    }),
  );

  return {
    name: ZALO_PERSONAL_CHANNEL_ID,
    sender,
    // A missing session or a failed login is logged and leaves the rest of the server running; the
    // connection keeps retrying in the background.
    async start() {
      let credentials;
      try {
        credentials = await loadCredentials(config);
      } catch (err) {
        logger.error({ err }, 'zalo-personal not started: no usable session');
        return;
      }
      // Loaded only now, so that the library is not even imported when the channel is off or faked.
      const makeClient = options.makeClient ?? (await import('./zca-client.js')).zcaClientFactory({ logger });
      const current = makeClient(credentials);
      client = current;
      current.onMessage((message) => {
        adapter.handle(message, ctx.logic).catch((err: unknown) => {
          // A push channel has no platform retry: a turn that could not get its lock is lost, say so.
          const busy = err instanceof LockTimeoutError;
          logger.error(
            { err, messageId: message.id },
            busy ? 'zalo-personal message dropped: worker busy' : 'zalo-personal turn failed',
          );
        });
      });
      connection = new ZaloConnection(current, logger, options.reconnect);
      const first = await settleWithin(connection.start(), options.startWaitMs ?? 10_000);
      if (first === 'late') logger.warn('zalo-personal still connecting; continuing in the background');
    },
    async stop() {
      await connection?.stop();
    },
  };
}
