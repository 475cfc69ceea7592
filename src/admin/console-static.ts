import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * The built console (dist/console): hashed assets cached for a long time, index.html never cached, and
 * every other path under /admin/ answered with index.html so the single-page app's routes reload.
 */
export function consoleRouter(dir: string): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  const security = (res: express.Response) =>
    res.set({
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    security(res);
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Bảng điều khiển chưa được build. Chạy: npm run console:build');
      return;
    }
    res.set('Cache-Control', 'no-store').sendFile(index);
  });
  return router;
}
