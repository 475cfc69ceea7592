import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { principalOf, type PrincipalDeps } from './auth/principal.js';
import { roleAllows } from './roles.js';

export const QUEUES_PATH = '/admin/queues';

/**
 * bull-board (the BullMQ dashboard) for admins only. Its own screens send no CSRF header, so changes it
 * makes (retry, clean) must come from this site: SameSite=Strict keeps the cookie off other sites'
 * requests and the Origin check refuses what slips through.
 */
export function queuesRouter(queues: Queue[], principals: PrincipalDeps): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Hàng đợi gửi tin' } },
  });
  const guard = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = await principalOf(req, principals);
      if (!principal) return res.redirect(303, '/admin/');
      if (!roleAllows(principal.user.role, 'admin'))
        return res.status(403).type('text/plain; charset=utf-8').send('Chỉ quản trị viên được xem hàng đợi');
      const origin = req.get('origin');
      if (req.method !== 'GET' && req.method !== 'HEAD' && origin && new URL(origin).host !== req.get('host'))
        return res.status(403).type('text/plain; charset=utf-8').send('Yêu cầu từ trang khác bị từ chối');
      next();
    } catch (err) {
      next(err);
    }
  };
  const router = express.Router();
  router.use(QUEUES_PATH, guard, adapter.getRouter() as Router);
  return router;
}
