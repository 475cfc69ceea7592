import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { TurnLogic } from '../adapter.js';
import { LockTimeoutError } from '../../platform/redis-lock.js';
import { webChatRequestSchema } from './contract.js';
import type { WebChatAdapter } from './adapter.js';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');

export interface WebChatRoutesOptions {
  maxText: number;
  /** CSP frame-ancestors: which union portals may embed the page in an iframe. */
  frameAncestors: string;
}

export function webChatRoutes(
  adapter: WebChatAdapter,
  logic: TurnLogic,
  options: WebChatRoutesOptions,
): Router {
  const router = express.Router();

  router.post('/api/chat', express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = webChatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: {
          code: 'invalid_request',
          message:
            'Yêu cầu không hợp lệ: ' +
            parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        },
      });
      return;
    }
    if ((parsed.data.text?.length ?? 0) > options.maxText) {
      res.status(413).json({
        error: {
          code: 'text_too_long',
          message: `Tin nhắn dài quá ${options.maxText} ký tự, bạn chia nhỏ giúp mình nhé.`,
        },
      });
      return;
    }
    try {
      const messages = await adapter.handle(parsed.data, logic);
      res.json({ messages });
    } catch (err) {
      if (err instanceof LockTimeoutError) {
        res
          .set('Retry-After', '2')
          .status(503)
          .json({ error: { code: 'busy', message: 'Hệ thống đang bận, bạn gửi lại sau giây lát nhé.' } });
        return;
      }
      throw err;
    }
  });

  router.get('/api/chat/updates', async (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    if (!/^[\w.:@-]{1,128}$/.test(userId)) {
      res.status(400).json({ error: { code: 'invalid_request', message: 'Thiếu hoặc sai userId' } });
      return;
    }
    res.json({ messages: await adapter.drainOutbox(userId) });
  });

  router.use(
    '/',
    (_req, res, next) => {
      res.set('Content-Security-Policy', `default-src 'self'; frame-ancestors ${options.frameAncestors}`);
      res.set('Cache-Control', 'no-cache');
      next();
    },
    express.static(PAGE_DIR, { index: 'index.html' }),
  );
  return router;
}
