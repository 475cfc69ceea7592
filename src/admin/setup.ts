import type { Broadcast } from '../broadcast/setup.js';
import type { ActionRegistry } from '../conversation/actions/registry.js';
import { FlowFiles } from '../conversation/flows/files.js';
import type { TurnServices } from '../conversation/turn-context.js';
import type { Inbox } from '../handoff/inbox.js';
import type { EventService } from '../events/service.js';
import { KnowledgeEditor } from '../knowledge/editor.js';
import { RebuildJob } from '../knowledge/rebuild-job.js';
import type { KnowledgeService } from '../knowledge/service.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { RedisFactory } from '../platform/redis.js';
import { APP_VERSION } from '../platform/version.js';
import { AuditLog } from './audit.js';
import { LoginGuard } from './auth/login-guard.js';
import { AdminSessionStore } from './auth/sessions.js';
import { ApiTokenStore } from './auth/tokens.js';
import { UserStore } from './auth/users.js';
import { AdminConsole } from './index.js';
import path from 'node:path';

export interface AdminParts {
  config: Config;
  logger: Logger;
  redis: RedisFactory;
  services: TurnServices;
  broadcast: Broadcast;
  inbox: Inbox;
  events: EventService;
  knowledge: KnowledgeService | undefined;
  actions: ActionRegistry;
  reloadFlows: () => Promise<void>;
  /** Channels this process can send on: their delivery queues appear in bull-board. */
  channels: string[];
}

/** Builds the admin API and console of a web process from the application's parts. */
export function createAdminConsole(parts: AdminParts): AdminConsole {
  const { config, logger, redis, services } = parts;
  const client = redis.client();
  const prefix = redis.keyPrefix;
  const now = services.now;
  return new AdminConsole(
    {
      config,
      logger: logger.child({ part: 'admin' }),
      now,
      users: new UserStore(client, prefix, now),
      sessions: new AdminSessionStore(
        client,
        prefix,
        { idleSeconds: config.ADMIN_SESSION_IDLE_SECONDS, maxSeconds: config.ADMIN_SESSION_MAX_SECONDS },
        now,
      ),
      tokens: new ApiTokenStore(client, prefix, now),
      loginGuard: new LoginGuard(client, prefix, {
        maxFailures: config.ADMIN_LOGIN_MAX_FAILURES,
        lockSeconds: config.ADMIN_LOGIN_LOCK_SECONDS,
        perAddressPerMinute: config.ADMIN_LOGIN_PER_MINUTE,
      }),
      audit: new AuditLog(client, prefix, now),
      broadcast: parts.broadcast,
      subscribers: services.subscribers,
      answerer: services.answerer,
      knowledgeEditor: new KnowledgeEditor(config.paths.knowledge),
      rebuild: new RebuildJob(parts.knowledge, client, prefix, logger, now),
      unanswered: services.unanswered,
      flows: new FlowFiles(config.paths.flows, parts.actions, parts.reloadFlows),
      inbox: parts.inbox,
      tickets: services.tickets,
      events: parts.events,
      surveys: services.surveys,
      stats: services.stats,
      streams: new Set(),
    },
    {
      redis: client,
      consoleDir: path.resolve(config.ADMIN_CONSOLE_DIR),
      queues: [
        parts.broadcast.queues.control,
        ...parts.channels.map((c) => parts.broadcast.queues.deliveryQueue(c)),
        parts.events.reminders.queue,
      ],
      version: APP_VERSION,
    },
  );
}
