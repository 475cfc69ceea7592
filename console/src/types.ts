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

// ---- Events and classes (src/events/store.ts, report.ts; src/admin/routes/events.ts) ----

export const EVENT_KINDS = ['class', 'festival', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type EventStatus = 'open' | 'closed' | 'cancelled';

/** What POST /events takes. `startsAt` is a local date-time in Việt Nam ("2026-12-12T08:00"). */
export interface EventInput {
  title: string;
  kind: EventKind;
  description?: string;
  place: string;
  startsAt: string;
  capacity?: number;
  khu_cong_nghiep?: string;
  topic?: string;
}

/** PATCH /events/:id: `null` removes an optional field; `closed` stops new registrations. */
export interface EventPatch {
  title?: string;
  kind?: EventKind;
  description?: string | null;
  place?: string;
  startsAt?: string;
  capacity?: number | null;
  khu_cong_nghiep?: string | null;
  topic?: string | null;
  status?: 'open' | 'closed';
}

export interface UnionEvent extends EventInput {
  id: string;
  status: EventStatus;
  /** The instant `startsAt` denotes (ISO, UTC). */
  startsAtUtc: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  walkIns?: number;
  reminder?: { jobId: string; fireAt: string; fireAtLocal: string };
  /** Places taken (active registrations). */
  registered: number;
  /** The quick-reply payload that invites to this event from a campaign: EVENT_<id>. */
  invitePayload: string;
}

export interface EventRegistration {
  subscriberId: string;
  channel: string;
  userId: string;
  displayName?: string;
  name?: string;
  phone?: string;
  company?: string;
  khu_cong_nghiep?: string;
  registeredAt: string;
  cancelledAt?: string;
  attended?: boolean;
  attendanceMarkedAt?: string;
  remindedAt?: string;
  reminderSkipped?: string;
}

export interface AttendanceResult {
  event: UnionEvent;
  marked: number;
  unknown: string[];
}

export interface EventFigures {
  held: number;
  registrations: number;
  attended: number;
  walkIns: number;
  /** attended + walkIns. */
  participants: number;
}

export interface EventReportRow extends Omit<EventFigures, 'held'> {
  id: string;
  title: string;
  kind: EventKind;
  status: EventStatus;
  startsAt: string;
  khu_cong_nghiep?: string;
  held: boolean;
  cancelledRegistrations: number;
}

export interface EventReport {
  from: string;
  to: string;
  totals: EventFigures & { cancelled: number; upcoming: number };
  byKind: Record<EventKind, EventFigures>;
  byZone: (EventFigures & { khu_cong_nghiep: string })[];
  events: EventReportRow[];
}

// ---- Surveys (src/surveys/store.ts; src/admin/routes/surveys.ts) ----

export type SurveyStatus = 'open' | 'closed';
export const QUESTION_TYPES = ['single_choice', 'scale', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A question as POST /surveys takes it (ids are given by the server: q1, q2 … and 1, 2 …). */
export type SurveyQuestionInput =
  | { text: string; required: boolean; type: 'single_choice'; options: { title: string }[] }
  | { text: string; required: boolean; type: 'scale'; lowLabel?: string; highLabel?: string }
  | { text: string; required: boolean; type: 'text'; maxLength: number };

export interface SurveyInput {
  title: string;
  intro?: string;
  questions: SurveyQuestionInput[];
}

export type SurveyQuestion =
  | {
      id: string;
      text: string;
      required: boolean;
      type: 'single_choice';
      options: { id: string; title: string }[];
    }
  | { id: string; text: string; required: boolean; type: 'scale'; lowLabel?: string; highLabel?: string }
  | { id: string; text: string; required: boolean; type: 'text'; maxLength: number };

export interface Survey {
  id: string;
  title: string;
  intro?: string;
  questions: SurveyQuestion[];
  status: SurveyStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  respondents: number;
  /** The quick-reply payload that starts this survey from a campaign: SURVEY_<id>. */
  startPayload: string;
}

export interface QuestionResult {
  id: string;
  text: string;
  type: QuestionType;
  answered: number;
  /** single_choice and scale ("1" … "5"): every option with its count, in order. */
  options?: { id: string; title: string; count: number }[];
  /** scale: the mean (two decimals); absent while nobody answered. */
  average?: number;
  /** text: the answers, newest first (at most 500). */
  texts?: { text: string; at: string }[];
}

export interface SurveyResults {
  survey: Survey;
  respondents: number;
  questions: QuestionResult[];
}

// ---- Regional minimum wage (src/calculators/minimum-wage.ts minimumWageFileSchema) ----

export const REGIONS = ['I', 'II', 'III', 'IV'] as const;
export type Region = (typeof REGIONS)[number];

export interface MinimumWageProvince {
  item?: string;
  province: string;
  aliases?: string[];
  remaining_region: Region;
  remaining_text?: string;
  appendix_text?: string;
}

export interface MinimumWageLocality {
  province: string;
  /** "phường Dĩ An", "xã Củ Chi", "đặc khu Côn Đảo". */
  area: string;
  region: Region;
}

export interface MinimumWageData {
  legal_source: string;
  article: string;
  /** YYYY-MM-DD */
  effective: string;
  source_note: string;
  regions: Record<Region, { monthly: number; hourly: number }>;
  provinces: MinimumWageProvince[];
  localities: MinimumWageLocality[];
  missing_provinces: string[];
}
