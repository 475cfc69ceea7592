import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export type ReadinessCheck = () => Promise<boolean> | boolean;

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** Named checks for /readyz; all must pass. */
  readiness: Record<string, ReadinessCheck>;
  trustProxy: string;
}

/** The express application with the operational endpoints every process serves. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          checks[name] = await check();
        } catch {
          checks[name] = false;
        }
      }),
    );
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
  });
  return app;
}

/** Last handlers: unknown paths and uncaught errors become JSON, never an HTML stack trace. */
export function finishHttpApp(app: Express, logger: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'Không tìm thấy đường dẫn này' } });
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'invalid_json', message: 'Nội dung gửi lên không phải JSON hợp lệ' } });
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'Nội dung gửi lên quá lớn' } });
      return;
    }
    logger.error({ err, path: req.path }, 'request failed');
    if (!res.headersSent)
      res.status(500).json({ error: { code: 'internal', message: 'Lỗi hệ thống, vui lòng thử lại sau' } });
  };
  app.use(onError);
}

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections; idle keep-alive sockets close now, busy ones after their response. */
export function stopAccepting(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
