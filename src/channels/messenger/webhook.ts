import express, { type Response, type Router } from 'express';
import type { Logger } from '../../platform/logger.js';
import { settleWithin } from '../ack.js';
import type { ChannelAdapter, TurnLogic } from '../adapter.js';
import type { ReceiptSink } from '../receipts.js';
import { toMessengerEvent, webhookBodySchema, type MessengerEvent, type WebhookBody } from './payload.js';
import { isValidSignature } from './signature.js';

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';

/**
 * Meta stops waiting after 20 s and then resends; answering a little earlier leaves room for the network.
 * Whatever is still running then finishes in the background (dedupe by message id covers a resend).
 */
const DEFAULT_ACK_BUDGET_MS = 15_000;

export interface MessengerWebhookOptions {
  appSecret: string;
  verifyToken: string;
  adapter: ChannelAdapter;
  logic: TurnLogic;
  receipts: ReceiptSink;
  logger: Logger;
  ackBudgetMs?: number;
}

type ActionableEvent = Exclude<MessengerEvent, { kind: 'ignore' }>;

/**
 * The Messenger webhook: the subscription handshake (GET) and event delivery (POST). A POST is answered
 * once its events are processed, so a crash before that makes Meta resend them rather than lose them.
 */
export function messengerWebhook(options: MessengerWebhookOptions): Router {
  const router = express.Router();
  const { logger } = options;
  const budget = options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;

  router.get(MESSENGER_WEBHOOK_PATH, (req, res) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (mode === 'subscribe' && token === options.verifyToken && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    logger.warn({ channel: 'messenger', mode }, 'webhook verification refused');
    res.sendStatus(403);
  });

  // The raw bytes are needed for the signature, whatever content type the request claims.
  router.post(MESSENGER_WEBHOOK_PATH, express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!isValidSignature(raw, req.get('x-hub-signature-256'), options.appSecret)) {
      logger.warn({ channel: 'messenger', ip: req.ip }, 'webhook signature missing or invalid');
      res.sendStatus(403);
      return;
    }
    const body = parseBody(raw, res);
    if (!body) return;

    const work = processEvents(collectEvents(body, logger), options);
    let late = false;
    // Attached at once so that a failure after a late acknowledgement is logged, not left unhandled.
    work.catch((err: unknown) => {
      if (late) logger.error({ err, channel: 'messenger' }, 'webhook events failed after acknowledgement');
    });
    try {
      late = (await settleWithin(work, budget)) === 'late';
      if (late)
        logger.warn(
          { channel: 'messenger', budgetMs: budget },
          'webhook acknowledged before its events finished',
        );
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    } catch (err) {
      // Not acknowledged: Meta resends the batch, and events already handled are dropped as duplicates.
      logger.error({ err, channel: 'messenger' }, 'webhook events failed; Meta will resend');
      res.sendStatus(500);
    }
  });

  return router;
}

function parseBody(raw: Buffer, res: Response): WebhookBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    res
      .status(400)
      .json({ error: { code: 'invalid_json', message: 'Nội dung gửi lên không phải JSON hợp lệ' } });
    return undefined;
  }
  const parsed = webhookBodySchema.safeParse(json);
  if (!parsed.success) {
    res.status(400).json({
      error: {
        code: 'invalid_request',
        message: 'Nội dung không đúng dạng webhook Messenger (object "page", entry[])',
      },
    });
    return undefined;
  }
  return parsed.data;
}

/** Every event of every entry, in delivery order, without the ones we do not act on. */
function collectEvents(body: WebhookBody, logger: Logger): ActionableEvent[] {
  const events: ActionableEvent[] = [];
  for (const entry of body.entry) {
    // Standby events belong to a thread another app (or the Page inbox) owns: the bot must stay silent.
    if (entry.standby?.length)
      logger.debug({ count: entry.standby.length }, 'messenger standby events skipped');
    for (const raw of entry.messaging ?? []) {
      const event = toMessengerEvent(raw, entry.time);
      if (event.kind === 'ignore') logger.debug({ reason: event.reason }, 'messenger event ignored');
      else events.push(event);
    }
  }
  return events;
}

/**
 * Each worker's events run in order, one after another; different workers' events run side by side so a
 * busy batch does not wait on its slowest turn. Fails with the first error once all have settled.
 */
async function processEvents(events: ActionableEvent[], options: MessengerWebhookOptions): Promise<void> {
  const byWorker = new Map<string, ActionableEvent[]>();
  for (const event of events) {
    const worker = event.kind === 'activity' ? (event.activity.from?.id ?? '') : event.receipt.userId;
    byWorker.set(worker, [...(byWorker.get(worker) ?? []), event]);
  }
  const results = await Promise.allSettled(
    [...byWorker.values()].map(async (queue) => {
      for (const event of queue) {
        if (event.kind === 'activity') await options.adapter.processActivity(event.activity, options.logic);
        else await options.receipts(event.receipt);
      }
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
