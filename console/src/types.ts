/**
 * Shapes the admin API sends and receives (/work/notes/admin-api.md). Copied from the server modules named
 * beside each type rather than imported, so no server code ends up in the browser bundle.
 */

export type Role = 'viewer' | 'officer' | 'admin';

/** src/admin/auth/users.ts */
export interface User {
  id: string;
  username: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt?: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

export interface NewApiToken {
  id: string;
  name: string;
  token: string;
}

export interface AuditEntry {
  id?: string;
  at: string;
  actor: { id: string; username: string; via?: 'session' | 'token' | 'cli' };
  action: string;
  target?: string;
  details?: unknown;
}

export interface Items<T> {
  items: T[];
}

// ---- Knowledge ----

export interface LeafletSummary {
  id: string;
  title: string;
  topic: string;
  file: string;
  sources: string[];
  sections: number;
  valid_from?: string;
  review_by?: string;
  outdated_note?: string;
}

export interface Leaflet {
  id: string;
  file: string;
  markdown: string;
  meta: Record<string, unknown>;
  sections: { id: string; heading: string }[];
}

export interface ValidationResult {
  ok: boolean;
  errors: string[];
}

export type RebuildStatusName = 'idle' | 'running' | 'done' | 'failed';

export interface RebuildState {
  status: RebuildStatusName;
  progress?: { stage: string; done: number; total: number };
  manifest?: unknown;
  error?: string;
}

/** src/knowledge/types.ts */
export interface AnswerResult {
  answer: string;
  confidence: number;
  answered: boolean;
  citations: { lawId: string; article: string; clause?: string }[];
  sources: { id: string; title: string; score: number }[];
  outdated?: boolean;
  topic?: string;
}

/** src/knowledge/unanswered.ts */
export interface UnansweredQuestion {
  question: string;
  at: string;
  channel: string;
  topic?: string;
  confidence: number;
  sources: { id: string; title: string; score: number }[];
}

export interface UnansweredReport {
  latest: UnansweredQuestion[];
  top: { question: string; count: number }[];
}

export interface Lexicon {
  abbreviations: Record<string, string>;
  synonyms: string[][];
}

export interface FlowSummary {
  id: string;
  file: string;
  description?: string;
}

export interface Flow {
  id: string;
  yaml: string;
}

// ---- Subscribers (src/broadcast/subscribers.ts, profile.ts, csv-import.ts) ----

/** src/broadcast/profile.ts PROFILE_ATTRIBUTES */
export const PROFILE_ATTRIBUTES = {
  name: 'Họ tên',
  phone: 'Số điện thoại',
  khu_cong_nghiep: 'Khu công nghiệp',
  company: 'Công ty',
  union_branch: 'Công đoàn cơ sở',
  province: 'Tỉnh, thành phố',
  district: 'Quận, huyện',
} as const;

export type ProfileAttribute = keyof typeof PROFILE_ATTRIBUTES;

/** src/broadcast/profile.ts SEGMENT_ATTRIBUTES: the attributes segments can filter on. */
export const SEGMENT_ATTRIBUTES = [
  'khu_cong_nghiep',
  'company',
  'union_branch',
  'province',
  'district',
] as const;

export type SegmentAttribute = (typeof SEGMENT_ATTRIBUTES)[number];

/** Every field a segment filter may name (src/broadcast/segments.ts). */
export const SEGMENT_FIELDS = ['channel', 'topic', ...SEGMENT_ATTRIBUTES] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

export interface SegmentFilter {
  field: SegmentField;
  values: string[];
}

export interface Segment {
  where: SegmentFilter[];
}

export type ConsentStatus = 'opted_in' | 'opted_out';

export interface Consent {
  status: ConsentStatus;
  at: string;
  channel: string;
  source: string;
}

export interface Subscriber {
  id: string;
  channel: string;
  userId: string;
  displayName?: string;
  attributes: Partial<Record<ProfileAttribute, string>>;
  topics: string[];
  consent?: Consent;
  lastInteractionAt?: string;
  reachable: boolean;
  unreachableReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriberPage {
  items: Subscriber[];
  next?: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
}

// ---- Campaigns (src/broadcast/campaigns.ts, runs.ts, service.ts) ----

export interface CampaignContent {
  text: string;
  quickReplies?: { title: string; payload: string }[];
  link?: { title: string; url: string };
  imageUrl?: string;
  poll?: { options: { id: string; title: string }[] };
}

export type CampaignSchedule = { type: 'now' } | { type: 'at'; at: string } | { type: 'cron'; cron: string };

export const MESSENGER_TAGS = ['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE'] as const;
export type MessengerTag = (typeof MESSENGER_TAGS)[number];

export interface CampaignInput {
  name: string;
  content: CampaignContent;
  perChannel?: Record<string, Partial<CampaignContent>>;
  segment: Segment;
  schedule?: CampaignSchedule;
  requiresApproval?: boolean;
  messengerTag?: MessengerTag;
}

export type CampaignStatus =
  'draft' | 'awaiting_approval' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface Campaign extends Required<Pick<CampaignInput, 'schedule' | 'requiresApproval'>> {
  id: string;
  name: string;
  content: CampaignContent;
  perChannel?: Record<string, Partial<CampaignContent>>;
  segment: Segment;
  messengerTag?: MessengerTag;
  status: CampaignStatus;
  createdBy: string;
  approvedBy?: string;
  createdAt: string;
  updatedAt: string;
  runs: string[];
}

/** src/broadcast/runs.ts RunState */
export interface RunState {
  runId: string;
  campaignId: string;
  status: 'expanding' | 'sending' | 'completed' | 'cancelled';
  startedAt: string;
  completedAt?: string;
  targeted: number;
  expanded: boolean;
  processed: number;
  sent: number;
  failed: number;
  skipped: number;
  unknown: number;
  delivered: number;
  read: number;
}

/** src/broadcast/service.ts */
export interface RunReport extends RunState {
  queued: number;
  /** { skipped: { opted_out: 3 }, failed: { … } } */
  reasons: Record<string, Record<string, number>>;
  /** { khu_cong_nghiep: { an_nghiep: { sent: 10, skipped: 2 } }, company: { … } } */
  breakdown: Record<string, Record<string, Record<string, number>>>;
}

export interface CampaignReport {
  campaign: Campaign;
  runs: RunReport[];
  poll?: Record<string, number>;
}

// ---- Inbox and tickets ----

export type InboxStatus = 'open' | 'assigned' | 'closed';

export interface InboxItem {
  id: string;
  status: InboxStatus;
  channel: string;
  userId: string;
  displayName?: string;
  reason?: string;
  createdAt: string;
  assignee?: { id: string; name: string };
  lastMessageAt?: string;
  lastText?: string;
}

export type MessageFrom = 'worker' | 'bot' | 'officer' | 'system';

export interface InboxMessage {
  from: MessageFrom;
  text: string;
  at: string;
  officer?: { id: string; name: string };
}

export interface Conversation {
  item: InboxItem;
  messages: InboxMessage[];
}

export interface InboxEvent {
  type: 'created' | 'message' | 'taken' | 'closed';
  id: string;
}

export type TicketStatus = 'new' | 'in_progress' | 'resolved' | 'closed';

export interface Ticket {
  /** The code the worker was given: "PA" and six letters or digits. */
  id: string;
  category: string;
  company?: string;
  khu_cong_nghiep?: string;
  description: string;
  photoUrl?: string;
  /** Absent when the worker chose to stay anonymous. */
  contact?: string;
  urgent?: boolean;
  status: TicketStatus;
  assignee?: { id: string; name: string };
  notes: { at: string; by: { id: string; name: string }; text: string }[];
  createdAt: string;
  updatedAt: string;
  channel: string;
  userId: string;
}

// ---- Reports ----

export interface Dashboard {
  messagesPerDay: { day: string; channel: string; count: number }[];
  topics: { topic: string; count: number }[];
  answers: { answered: number; notSure: number };
  topQuestions: { question: string; count: number }[];
  campaignReach: { khu_cong_nghiep: string; sent: number; targeted: number }[];
  totals: {
    subscribers: number;
    optedIn: number;
    openHandoffs: number;
    openTickets: number;
    campaigns?: number;
  };
}
