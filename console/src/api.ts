/**
 * The admin API client (/work/notes/admin-api.md): same-origin cookie session, JSON bodies, the CSRF token
 * on every non-GET request, and error bodies `{error: {code, message, issues}}` turned into {@link ApiError}
 * whose message is shown to the officer as it is.
 */
import type {
  AnswerResult,
  ApiToken,
  AttendanceResult,
  AuditEntry,
  Campaign,
  CampaignInput,
  CampaignReport,
  Conversation,
  Dashboard,
  EventInput,
  EventPatch,
  EventRegistration,
  EventReport,
  EventStatus,
  Flow,
  FlowSummary,
  ImportReport,
  InboxItem,
  InboxMessage,
  InboxStatus,
  Items,
  Leaflet,
  LeafletSummary,
  Lexicon,
  MinimumWageData,
  NewApiToken,
  RebuildState,
  Role,
  Segment,
  Session,
  Subscriber,
  SubscriberPage,
  Survey,
  SurveyInput,
  SurveyResults,
  SurveyStatus,
  Ticket,
  TicketStatus,
  UnansweredReport,
  UnionEvent,
  User,
  ValidationResult,
} from './types';

export const API_BASE = '/admin/api';

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let unauthorizedHandler: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server answers 401 (session expired or logged out elsewhere): show the login screen. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Dữ liệu gửi lên không hợp lệ.',
  401: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  403: 'Bạn không có quyền làm việc này.',
  404: 'Không tìm thấy.',
  409: 'Dữ liệu đã bị thay đổi hoặc xung đột.',
  413: 'Tệp quá lớn.',
  429: 'Thử quá nhiều lần. Vui lòng đợi rồi thử lại.',
};

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)
    ?.error;
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : (STATUS_MESSAGES[res.status] ?? `Máy chủ báo lỗi (mã ${res.status}).`);
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  const issues = Array.isArray(error?.issues) ? (error.issues as ApiIssue[]) : [];
  return new ApiError(res.status, code, message, issues);
}

interface RequestOptions {
  /** A raw body (CSV, Markdown) sent with this Content-Type instead of JSON. */
  contentType?: string;
  signal?: AbortSignal;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    if (options.contentType) {
      headers['Content-Type'] = options.contentType;
      payload = body as BodyInit;
    } else {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.');
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    // A wrong password on the login form is a 401 too: that one is shown on the form itself.
    if (res.status === 401 && path !== '/auth/login') unauthorizedHandler?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, { signal });
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
const del = (path: string) => request<void>('DELETE', path);

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Absolute URLs for links the browser opens itself (CSV downloads) and for EventSource. */
export const urls = {
  campaignExport: (id: string, run?: string) =>
    `${API_BASE}/campaigns/${enc(id)}/export.csv${query({ run })}`,
  subscribersExport: () => `${API_BASE}/subscribers/export`,
  campaignEvents: (id: string) => `${API_BASE}/campaigns/${enc(id)}/events`,
  inboxEvents: () => `${API_BASE}/inbox/events`,
  queues: () => '/admin/queues',
};

export const api = {
  // Auth and users
  login: (username: string, password: string) => post<Session>('/auth/login', { username, password }),
  logout: () => post<void>('/auth/logout'),
  me: () => get<Session>('/auth/me'),
  users: () => get<Items<User>>('/users'),
  createUser: (input: { username: string; name: string; role: Role; password: string }) =>
    post<User>('/users', input),
  updateUser: (id: string, change: { name?: string; role?: Role; password?: string; disabled?: boolean }) =>
    patch<User>(`/users/${enc(id)}`, change),
  deleteUser: (id: string) => del(`/users/${enc(id)}`),
  tokens: () => get<Items<ApiToken>>('/tokens'),
  createToken: (name: string) => post<NewApiToken>('/tokens', { name }),
  revokeToken: (id: string) => del(`/tokens/${enc(id)}`),
  audit: (limit = 100) => get<Items<AuditEntry>>(`/audit${query({ limit })}`),

  // Knowledge
  leaflets: () => get<Items<LeafletSummary>>('/knowledge/leaflets'),
  leaflet: (id: string) => get<Leaflet>(`/knowledge/leaflets/${enc(id)}`),
  createLeaflet: (markdown: string, file?: string) =>
    post<LeafletSummary>('/knowledge/leaflets', file ? { markdown, file } : { markdown }),
  uploadLeaflet: (markdown: string) =>
    request<LeafletSummary>('POST', '/knowledge/leaflets', markdown, { contentType: 'text/markdown' }),
  saveLeaflet: (id: string, markdown: string) =>
    put<LeafletSummary>(`/knowledge/leaflets/${enc(id)}`, { markdown }),
  deleteLeaflet: (id: string) => del(`/knowledge/leaflets/${enc(id)}`),
  validateLeaflet: (markdown: string) => post<ValidationResult>('/knowledge/validate', { markdown }),
  startRebuild: () => post<{ status: string }>('/knowledge/rebuild'),
  rebuildStatus: () => get<RebuildState>('/knowledge/rebuild'),
  ask: (question: string) => post<AnswerResult>('/knowledge/ask', { question }),
  unanswered: () => get<UnansweredReport>('/knowledge/unanswered'),
  lexicon: () => get<Lexicon>('/knowledge/lexicon'),
  saveLexicon: (lexicon: Lexicon) => put<Lexicon>('/knowledge/lexicon', lexicon),

  // Flows
  flows: () => get<Items<FlowSummary>>('/flows'),
  flow: (id: string) => get<Flow>(`/flows/${enc(id)}`),
  validateFlow: (id: string, yaml: string) => post<ValidationResult>('/flows/validate', { id, yaml }),
  saveFlow: (id: string, yaml: string) => put<{ ok: true }>(`/flows/${enc(id)}`, { yaml }),

  // Subscribers
  subscribers: (params: { q?: string; channel?: string; limit?: number; cursor?: string }) =>
    get<SubscriberPage>(`/subscribers${query(params)}`),
  importSubscribers: (csv: string) =>
    request<ImportReport>('POST', '/subscribers/import', csv, { contentType: 'text/csv' }),
  optOut: (id: string) => post<Subscriber>(`/subscribers/${enc(id)}/opt-out`),
  previewSegment: (segment: Segment) => post<{ count: number }>('/segments/preview', segment),

  // Campaigns
  campaigns: () => get<Items<Campaign>>('/campaigns'),
  createCampaign: (input: CampaignInput) => post<Campaign>('/campaigns', input),
  campaign: (id: string) => get<CampaignReport>(`/campaigns/${enc(id)}`),
  campaignAction: (id: string, action: 'submit' | 'approve' | 'pause' | 'resume' | 'cancel') =>
    post<Campaign>(`/campaigns/${enc(id)}/${action}`),
  testSend: (id: string, channel: string, userId: string) =>
    post<{ messageIds: string[] }>(`/campaigns/${enc(id)}/test`, { channel, userId }),

  // Inbox
  inbox: (status: InboxStatus) => get<Items<InboxItem>>(`/inbox${query({ status })}`),
  conversation: (id: string) => get<Conversation>(`/inbox/${enc(id)}`),
  /** `force` takes over a conversation another officer has. */
  take: (id: string, force = false) => post<InboxItem>(`/inbox/${enc(id)}/take`, force ? { force } : {}),
  reply: (id: string, text: string) =>
    post<{ item?: InboxItem; messages: InboxMessage[] }>(`/inbox/${enc(id)}/reply`, { text }),
  closeHandoff: (id: string) => post<InboxItem>(`/inbox/${enc(id)}/close`),

  // Tickets
  tickets: (status?: TicketStatus) => get<Items<Ticket>>(`/tickets${query({ status })}`),
  ticket: (id: string) => get<Ticket>(`/tickets/${enc(id)}`),
  /** `assigneeId`: a user id (officer or admin), or null to unassign (the server's field name). */
  updateTicket: (id: string, change: { status?: TicketStatus; assigneeId?: string | null }) =>
    patch<Ticket>(`/tickets/${enc(id)}`, change),
  addTicketNote: (id: string, text: string) => post<Ticket>(`/tickets/${enc(id)}/notes`, { text }),

  // Events and classes
  events: (params: { from?: string; to?: string; status?: EventStatus } = {}) =>
    get<Items<UnionEvent>>(`/events${query(params)}`),
  event: (id: string) => get<UnionEvent>(`/events/${enc(id)}`),
  createEvent: (input: EventInput) => post<UnionEvent>('/events', input),
  updateEvent: (id: string, change: EventPatch) => patch<UnionEvent>(`/events/${enc(id)}`, change),
  cancelEvent: (id: string) => post<UnionEvent>(`/events/${enc(id)}/cancel`),
  registrations: (id: string) => get<Items<EventRegistration>>(`/events/${enc(id)}/registrations`),
  saveAttendance: (
    id: string,
    body: { marks: { subscriberId: string; attended: boolean }[]; walkIns?: number },
  ) => post<AttendanceResult>(`/events/${enc(id)}/attendance`, body),
  eventReport: (params: { from?: string; to?: string }) => get<EventReport>(`/events/report${query(params)}`),

  // Surveys
  surveys: (status?: SurveyStatus) => get<Items<Survey>>(`/surveys${query({ status })}`),
  survey: (id: string) => get<Survey>(`/surveys/${enc(id)}`),
  createSurvey: (input: SurveyInput) => post<Survey>('/surveys', input),
  closeSurvey: (id: string) => post<Survey>(`/surveys/${enc(id)}/close`),
  surveyResults: (id: string) => get<SurveyResults>(`/surveys/${enc(id)}/results`),

  // Regional minimum wage (knowledge/data/minimum-wage.json)
  minimumWage: () => get<MinimumWageData>('/minimum-wage'),
  saveMinimumWage: (data: unknown) => put<MinimumWageData>('/minimum-wage', data),

  // Reports
  dashboard: (days = 30) => get<Dashboard>(`/reports/dashboard${query({ days })}`),
};

/** The message to show for anything thrown by an API call (or by code around it). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.issues.length && !err.message.includes(err.issues[0]!.message)) {
      return `${err.message} ${err.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    }
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
