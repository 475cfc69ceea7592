import type { Broadcast } from '../broadcast/setup.js';
import type { SubscriberStore } from '../broadcast/subscribers.js';
import type { FlowFiles } from '../conversation/flows/files.js';
import type { Inbox } from '../handoff/inbox.js';
import type { KnowledgeEditor } from '../knowledge/editor.js';
import type { RebuildJob } from '../knowledge/rebuild-job.js';
import type { KnowledgeAnswerer } from '../knowledge/types.js';
import type { UnansweredLog } from '../knowledge/unanswered.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { ConversationStats } from '../reports/conversation-stats.js';
import type { TicketStore } from '../tickets/store.js';
import type { EventService } from '../events/service.js';
import type { SurveyStore } from '../surveys/store.js';
import type { EventStream } from './api/sse.js';
import type { AuditLog } from './audit.js';
import type { LoginGuard } from './auth/login-guard.js';
import type { AdminSessionStore } from './auth/sessions.js';
import type { ApiTokenStore } from './auth/tokens.js';
import type { UserStore } from './auth/users.js';

/** Everything the admin API works with; the application builds it once. */
export interface AdminServices {
  config: Config;
  logger: Logger;
  now: () => Date;
  users: UserStore;
  sessions: AdminSessionStore;
  tokens: ApiTokenStore;
  loginGuard: LoginGuard;
  audit: AuditLog;
  broadcast: Broadcast;
  subscribers: SubscriberStore;
  answerer: KnowledgeAnswerer;
  knowledgeEditor: KnowledgeEditor;
  rebuild: RebuildJob;
  unanswered: UnansweredLog;
  flows: FlowFiles;
  inbox: Inbox;
  tickets: TicketStore;
  /** Events and classes, registrations, attendance and reminders. */
  events: EventService;
  surveys: SurveyStore;
  stats: ConversationStats;
  /** Open server-sent-event streams, closed when the application stops. */
  streams: Set<EventStream>;
}
