import type { Queue } from 'bullmq';
import express, { type Router } from 'express';
import { CampaignError } from '../broadcast/campaigns.js';
import { HeaderError } from '../broadcast/csv-import.js';
import { SubscriberDirectory } from '../broadcast/directory.js';
import { FlowEditError } from '../conversation/flows/files.js';
import { INBOX_ERROR_STATUS, InboxError } from '../handoff/inbox.js';
import { KnowledgeEditError } from '../knowledge/editor.js';
import { RebuildUnavailableError } from '../knowledge/rebuild-job.js';
import type { Redis } from '../platform/redis.js';
import { TicketError } from '../tickets/store.js';
import { HttpError } from './api/errors.js';
import { bodyParsers, mountRoutes, sendError, type ErrorMapper } from './api/mount.js';
import { openApiDocument } from './api/openapi.js';
import type { RouteDef } from './api/route.js';
import { UserError } from './auth/users.js';
import { queuesRouter } from './bull-board.js';
import { consoleRouter } from './console-static.js';
import { authRoutes } from './routes/auth.js';
import { campaignRoutes } from './routes/campaigns.js';
import { flowRoutes } from './routes/flows.js';
import { inboxRoutes } from './routes/inbox.js';
import { knowledgeRoutes } from './routes/knowledge.js';
import { minimumWageRoutes } from './routes/minimum-wage.js';
import { reportRoutes } from './routes/reports.js';
import { subscriberRoutes } from './routes/subscribers.js';
import { ticketRoutes } from './routes/tickets.js';
import { userRoutes } from './routes/users.js';
import { eventRoutes } from './routes/events.js';
import { surveyRoutes } from './routes/surveys.js';
import type { AdminServices } from './services.js';

export const API_BASE = '/admin/api';

/** Domain errors and the HTTP answers officers get for them. */
const ERROR_MAPPERS: ErrorMapper[] = [
  (err) => (err instanceof CampaignError ? new HttpError(409, 'campaign', err.message) : undefined),
  (err) => (err instanceof HeaderError ? new HttpError(400, 'csv_header', err.message) : undefined),
  (err) => {
    if (!(err instanceof UserError)) return undefined;
    return new HttpError(err.code === 'not_found' ? 404 : 409, err.code, err.message);
  },
  (err) => {
    if (!(err instanceof KnowledgeEditError)) return undefined;
    const status = { not_found: 404, invalid: 422, exists: 409 }[err.code];
    return new HttpError(status, err.code, err.message, {
      issues: err.problems.map((message) => ({ path: 'markdown', message })),
    });
  },
  (err) => {
    if (!(err instanceof FlowEditError)) return undefined;
    return new HttpError(err.code === 'not_found' ? 404 : 422, err.code, err.message, {
      issues: err.problems.map((message) => ({ path: 'yaml', message })),
    });
  },
  (err) => {
    if (!(err instanceof InboxError)) return undefined;
    return new HttpError(INBOX_ERROR_STATUS[err.code], err.code, err.message);
  },
  (err) =>
    err instanceof RebuildUnavailableError ? new HttpError(503, 'not_available', err.message) : undefined,
  (err) => (err instanceof TicketError ? new HttpError(409, 'ticket', err.message) : undefined),
];

export function adminRoutes(s: AdminServices, directory: SubscriberDirectory): RouteDef[] {
  return [
    ...authRoutes(s),
    ...userRoutes(s),
    ...knowledgeRoutes(s),
    ...minimumWageRoutes(s),
    ...flowRoutes(s),
    ...subscriberRoutes(s, directory),
    ...campaignRoutes(s),
    ...inboxRoutes(s),
    ...ticketRoutes(s),
    ...eventRoutes(s),
    ...surveyRoutes(s),
    ...reportRoutes(s, directory),
  ];
}

/** The admin side of the web process: the API under /admin/api, bull-board, and the console at /admin/. */
export class AdminConsole {
  readonly routes: RouteDef[];
  readonly router: Router;
  readonly openApi: Record<string, unknown>;

  constructor(
    readonly services: AdminServices,
    options: { redis: Redis; consoleDir: string; queues: Queue[]; version: string },
  ) {
    const directory = new SubscriberDirectory(options.redis, services.subscribers);
    this.routes = adminRoutes(services, directory);
    this.openApi = openApiDocument(this.routes, { version: options.version, basePath: API_BASE });
    const principals = { users: services.users, sessions: services.sessions, tokens: services.tokens };

    const api = express.Router();
    api.use((_req, res, next) => {
      // Answers carry personal data: never kept by a browser or a shared cache.
      res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      next();
    });
    api.use(...bodyParsers());
    api.get('/openapi.json', (_req, res) => {
      res.json(this.openApi);
    });
    mountRoutes(api, this.routes, {
      principals,
      audit: services.audit,
      logger: services.logger,
      errorMappers: ERROR_MAPPERS,
    });
    api.use((_req, res) => sendError(res, new HttpError(404, 'not_found', 'Không có đường dẫn API này')));

    this.router = express.Router();
    this.router.use(API_BASE, api);
    this.router.use(queuesRouter(options.queues, principals));
    this.router.get('/admin', (req, res, next) =>
      req.path === '/admin' && !req.originalUrl.startsWith('/admin/') ? res.redirect(301, '/admin/') : next(),
    );
    this.router.use('/admin', consoleRouter(options.consoleDir));
  }

  /** Ends open event streams so the server can close. */
  close(): void {
    for (const stream of this.services.streams) stream.close();
  }

  /** Waits for work started from the console that must not be cut (an index rebuild). */
  async settle(): Promise<void> {
    await this.services.rebuild.settled();
  }
}
