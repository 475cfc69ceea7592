import type { Logger } from '../platform/logger.js';
import type { KnowledgeAnswerer } from '../knowledge/types.js';
import type { UnansweredLog } from '../knowledge/unanswered.js';
import type { PollStore } from '../broadcast/polls.js';
import type { SubscriberStore } from '../broadcast/subscribers.js';
import type { HandoffStore } from '../handoff/store.js';
import type { OfficeHours } from '../handoff/office-hours.js';
import type { ConversationStats } from '../reports/conversation-stats.js';
import type { TicketStore } from '../tickets/store.js';
import type { ScamLibrary } from '../scam/patterns.js';
import type { EventStore } from '../events/store.js';
import type { SurveyStore } from '../surveys/store.js';

/** Who and where the current turn is, independent of the platform. */
export interface TurnIdentity {
  channel: string;
  userId: string;
  conversationId: string;
  userName?: string;
  /** botbuilder ConversationReference of this conversation (for replies sent later by officers). */
  reference: Record<string, unknown>;
}

/** Services the flow engine and actions use; one set per application. */
export interface TurnServices {
  answerer: KnowledgeAnswerer;
  unanswered: UnansweredLog;
  polls: PollStore;
  subscribers: SubscriberStore;
  handoffs: HandoffStore;
  officeHours: OfficeHours;
  /** Problems workers report (phản ánh). */
  tickets: TicketStore;
  /** Scam patterns of the knowledge base, for "kiểm tra tin nhắn lạ". */
  scams: ScamLibrary;
  /** Dashboard counters: messages, answers, topics. */
  stats: ConversationStats;
  /** Events and classes and their registrations. */
  events: EventStore;
  /** Surveys and the answers workers give in chat. */
  surveys: SurveyStore;
  /** knowledge/ of this deployment (config.paths.knowledge): data files the calculators read. */
  knowledgeDir?: string;
  now: () => Date;
  logger: Logger;
}
