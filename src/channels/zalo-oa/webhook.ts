import express, { type Response, type Router } from 'express';
import type { SubscriberStore } from '../../broadcast/subscribers.js';
import type { Logger } from '../../platform/logger.js';
import { settleWithin } from '../ack.js';
import type { TurnLogic } from '../adapter.js';
import type { ReceiptSink } from '../receipts.js';
import type { ZaloOaAdapter } from './adapter.js';
import { parseZaloWebhook, toZaloEvent, ZALO_CHANNEL_ID, type ZaloEvent } from './payload.js';
import { SIGNATURE_HEADER, verifyZaloSignature } from './signature.js';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

export interface ZaloWebhookOptions {
  adapter: ZaloOaAdapter;
  logic: TurnLogic;
  subscribers: SubscriberStore;
  receipts: ReceiptSink;
  logger: Logger;
  appId: string;
  /** Key of the X-ZEvent-Signature header. */
  webhookSecret: string;
  /** Zalo wants an answer within 2 seconds; what is not done by then finishes in the background. */
  ackBudgetMs?: number;
}

/**
 * `POST /webhooks/zalo`: one event per request. Nothing is processed unless the signature matches.
 * The answer waits for the event to be processed (within the budget), so that a failure answers 500 and
 * Zalo sends the event again; turns are idempotent on the message id.
 */
export function zaloWebhookRouter(options: ZaloWebhookOptions): Router {
  const { logger } = options;
  const router = express.Router();

  router.post(ZALO_WEBHOOK_PATH, express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    // The signature covers the bytes as sent, so the body is read raw and parsed here.
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const signature = req.get(SIGNATURE_HEADER);
    if (!signature) return reject(res, 401, 'missing_signature');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return reject(res, 400, 'invalid_json');
    }
    const timestamp = (body as { timestamp?: unknown } | null)?.timestamp;
    const signed = verifyZaloSignature({
      appId: options.appId,
      secret: options.webhookSecret,
      rawBody,
      timestamp: typeof timestamp === 'string' || typeof timestamp === 'number' ? String(timestamp) : '',
      header: signature,
    });
    if (!signed) {
      logger.warn({ channel: ZALO_CHANNEL_ID, ip: req.ip }, 'Zalo webhook: bad signature');
      return reject(res, 403, 'bad_signature');
    }

    const parsed = parseZaloWebhook(body);
    if (!parsed.ok) {
      logger.warn({ channel: ZALO_CHANNEL_ID, reason: parsed.error }, 'Zalo webhook: invalid event');
      return reject(res, 400, 'invalid_event');
    }
    const event = toZaloEvent(parsed.webhook);
    if (event === 'ignore') {
      res.json({ ok: true });
      return;
    }

    const work = handle(event, options);
    try {
      if ((await settleWithin(work, options.ackBudgetMs ?? 1500)) === 'late') {
        work.catch((err: unknown) =>
          logger.error({ err, channel: ZALO_CHANNEL_ID, kind: event.kind }, 'Zalo event failed after ack'),
        );
      }
      res.json({ ok: true });
    } catch (err) {
      logger.error({ err, channel: ZALO_CHANNEL_ID, kind: event.kind }, 'Zalo event failed');
      reject(res, 500, 'processing_failed');
    }
  });
  return router;
}

async function handle(event: ZaloEvent, options: ZaloWebhookOptions): Promise<void> {
  const { adapter, logic, subscribers } = options;
  switch (event.kind) {
    case 'message':
      await adapter.processActivity(event.activity, logic);
      return;
    case 'follow':
      await recordConsent(subscribers, event.userId, 'opted_in', 'zalo follow');
      await adapter.processActivity(event.greeting, logic);
      return;
    case 'unfollow':
      // No goodbye: Zalo does not deliver messages to someone who no longer follows the OA.
      await recordConsent(subscribers, event.userId, 'opted_out', 'zalo unfollow');
      return;
    case 'receipt':
      await options.receipts(event.receipt);
      return;
  }
}

/** Skips a decision already on record, so a follow Zalo resends does not log the consent twice. */
async function recordConsent(
  subscribers: SubscriberStore,
  userId: string,
  status: 'opted_in' | 'opted_out',
  source: string,
): Promise<void> {
  const current = await subscribers.get(ZALO_CHANNEL_ID, userId);
  if (current?.consent?.status === status) return;
  await subscribers.setConsent(ZALO_CHANNEL_ID, userId, status, source);
}

function reject(res: Response, status: number, code: string): void {
  res.status(status).json({ error: { code } });
}
