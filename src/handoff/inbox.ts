import type { Redis } from 'ioredis';
import type { SubscriberStore } from '../broadcast/subscribers.js';
import { capabilitiesFor } from '../channels/capabilities.js';
import { renderMessages } from '../channels/render.js';
import { ChannelSendError, type ChannelSender } from '../channels/send.js';
import type { OutMessage } from '../conversation/messages.js';
import type { RedisTranscriptStore } from '../conversation/transcript-store.js';
import type { TurnIdentity } from '../conversation/turn-context.js';
import type { Logger } from '../platform/logger.js';
import { InboxEvents, type InboxListener } from './events.js';
import { historyBefore } from './history.js';
import { officerSendDecision, recipientOfRequest } from './reply-window.js';
import type { HandoffMessage, HandoffRequest, HandoffStore, Officer } from './store.js';
import {
  isEndPhrase,
  NOTES,
  officerJoinedText,
  OFFICER_CLOSED_MESSAGE,
  WORKER_ENDED_MESSAGE,
} from './texts.js';

export type { InboxEvent, InboxListener } from './events.js';
export type { HandoffMessage, Officer } from './store.js';

/** One row of the officer inbox. */
export interface InboxItem {
  id: string;
  status: 'open' | 'assigned' | 'closed';
  channel: string;
  userId: string;
  displayName?: string;
  reason?: string;
  createdAt: string;
  assignee?: Officer;
  lastMessageAt?: string;
  lastText?: string;
}

export interface InboxDetail {
  item: InboxItem;
  /** The conversation before the request (from the transcript), then what was said during the handoff. */
  messages: HandoffMessage[];
}

export type InboxErrorCode =
  'not_found' | 'not_assigned' | 'assigned_to_other' | 'closed' | 'send_failed' | 'invalid';

/** HTTP status an API answers each error with. */
export const INBOX_ERROR_STATUS: Record<InboxErrorCode, number> = {
  not_found: 404,
  not_assigned: 409,
  assigned_to_other: 409,
  closed: 409,
  send_failed: 502,
  invalid: 400,
};

/** A refused inbox operation; `message` is for the officer (Vietnamese). */
export class InboxError extends Error {
  override name = 'InboxError';
  constructor(
    readonly code: InboxErrorCode,
    message: string,
    /** For send_failed: the platform's reason (outside_window, unreachable, auth …). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** What the bot should do with a worker's message, given the conversation's handoff. */
export type WorkerMessageOutcome =
  /** No handoff: the bot answers. */
  | { state: 'none' }
  /** Waiting for an officer: the bot still answers (and its replies are recorded too). */
  | { state: 'open'; id: string }
  /** An officer has it: the bot says nothing. */
  | { state: 'assigned'; id: string }
  /** The worker typed an end phrase: the handoff is closed and the bot says it is back. */
  | { state: 'ended'; id: string; reply: OutMessage };

export interface InboxDeps {
  handoffs: HandoffStore;
  transcripts: RedisTranscriptStore;
  /** Filled by the app as channels start: looked up at send time. */
  senders: ReadonlyMap<string, ChannelSender>;
  subscribers: SubscriberStore;
  /** Connection for publishing events (the shared one will do). */
  publisher: Redis;
  /** Opens the one dedicated connection for receiving events. */
  createSubscriber: () => Redis;
  keyPrefix: string;
  now?: () => Date;
  logger?: Logger;
}

const TEXT_MAX = 4000;

const NOT_FOUND = 'Không tìm thấy yêu cầu này (mã sai hoặc đã quá hạn lưu).';
const CLOSED = 'Cuộc trò chuyện này đã kết thúc; người lao động cần gõ "gặp cán bộ" để mở yêu cầu mới.';
const NOT_ASSIGNED = 'Bạn cần nhận cuộc trò chuyện này trước khi trả lời.';
const otherOfficer = (name?: string) =>
  `Cuộc trò chuyện này đang do cán bộ ${name ?? 'khác'} phụ trách. Chọn "nhận lại" nếu cần tiếp quản.`;
const SEND_REASONS: Record<string, string> = {
  outside_window: 'đã quá thời hạn nền tảng cho phép nhắn cho người này; chờ họ nhắn lại',
  never_interacted: 'người này chưa từng nhắn tin trên kênh này',
  unreachable: 'người này đã chặn hoặc không còn nhận được tin nhắn',
  rate_limited: 'nền tảng đang giới hạn tốc độ gửi; thử lại sau ít phút',
  transient: 'nền tảng tạm thời không phản hồi; thử lại sau ít phút',
  auth: 'mã truy cập của kênh không hợp lệ; báo quản trị viên',
  invalid: 'nền tảng từ chối nội dung tin nhắn',
  no_sender: 'kênh này chưa được cấu hình trên máy chủ',
};

/**
 * The officer inbox: lists handoff requests, shows a conversation, lets an officer take it, answer on the
 * worker's own channel and hand it back to the bot. Every change is published (see {@link InboxEvents})
 * so every open console refreshes.
 */
export class Inbox {
  private readonly events: InboxEvents;
  private readonly now: () => Date;

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? (() => new Date());
    this.events = new InboxEvents(
      deps.publisher,
      deps.createSubscriber,
      `${deps.keyPrefix}inbox:events`,
      deps.logger,
    );
    // Requests are created by the flows' `handoff` action; the store tells us so the inbox hears of them.
    deps.handoffs.onCreated(async (request) => {
      await this.note(request.id, NOTES.created(request.reason));
      await this.events.publish({ type: 'created', id: request.id });
    });
  }

  /** The pub/sub channel events go out on. */
  get eventChannel(): string {
    return this.events.channel;
  }

  /** Without a status: what needs officers (open, then assigned). */
  async list(status?: InboxItem['status'], limit = 100): Promise<InboxItem[]> {
    const requests = status
      ? await this.deps.handoffs.list(status, limit)
      : [
          ...(await this.deps.handoffs.list('open', limit)),
          ...(await this.deps.handoffs.list('assigned', limit)),
        ].slice(0, limit);
    return Promise.all(requests.map((r) => this.toItem(r)));
  }

  async detail(id: string): Promise<InboxDetail | undefined> {
    const request = await this.deps.handoffs.get(id);
    if (!request) return undefined;
    const [item, before, during] = await Promise.all([
      this.toItem(request),
      historyBefore(this.deps.transcripts, request),
      this.deps.handoffs.messages(id),
    ]);
    return { item, messages: [...before, ...during] };
  }

  /**
   * Assigns the request to `officer` and tells the worker who joined. Taking one's own again changes
   * nothing; one assigned to someone else needs `force`.
   */
  async take(id: string, officer: Officer, options: { force?: boolean } = {}): Promise<InboxItem> {
    const result = await this.deps.handoffs.take(id, officer, options);
    if (!result.ok) throw refusal(result.reason, result.request);
    const { request } = result;
    if (result.changed) {
      const previous = result.previousAssignee;
      await this.note(
        id,
        previous ? NOTES.takenOver(officer.name, previous.name) : NOTES.taken(officer.name),
        officer,
      );
      await this.notifyWorker(request, { text: officerJoinedText(officer.name) });
      await this.events.publish({ type: 'taken', id });
    }
    return this.toItem(request);
  }

  /**
   * Sends the officer's text to the worker's channel and records it. Only the assigned officer may answer;
   * a message the platform refused is not recorded as sent.
   */
  async reply(id: string, officer: Officer, text: string): Promise<HandoffMessage> {
    const body = text.trim();
    if (!body) throw new InboxError('invalid', 'Tin nhắn trống: hãy nhập nội dung trả lời.');
    if (body.length > TEXT_MAX)
      throw new InboxError('invalid', `Tin nhắn dài quá ${TEXT_MAX} ký tự; hãy chia thành nhiều tin.`);
    const request = await this.deps.handoffs.get(id);
    if (!request) throw new InboxError('not_found', NOT_FOUND);
    if (request.status === 'closed') throw new InboxError('closed', CLOSED);
    if (request.status === 'open') throw new InboxError('not_assigned', NOT_ASSIGNED);
    if (request.assignee?.id !== officer.id)
      throw new InboxError('assigned_to_other', otherOfficer(request.assignee?.name));

    await this.send(request, { text: body });
    const message: HandoffMessage = { from: 'officer', text: body, at: this.now().toISOString(), officer };
    await this.deps.handoffs.addMessage(id, message);
    await this.events.publish({ type: 'message', id });
    return message;
  }

  /**
   * Ends the handoff: the worker is told the bot is back, and the bot answers their next message. A
   * request assigned to another officer needs `force`.
   */
  async close(id: string, officer: Officer, options: { force?: boolean } = {}): Promise<InboxItem> {
    const result = await this.deps.handoffs.close(id, { ...officer, role: 'officer' }, options);
    if (!result.ok) throw refusal(result.reason, result.request);
    await this.note(id, NOTES.closedByOfficer(officer.name), officer);
    await this.notifyWorker(result.request, OFFICER_CLOSED_MESSAGE);
    await this.events.publish({ type: 'closed', id });
    return this.toItem(result.request);
  }

  /**
   * Called by the bot for every message a worker sends: records it when the conversation has a handoff
   * (so the officer sees it) and says whether the bot should answer.
   */
  async onWorkerMessage(
    identity: TurnIdentity,
    text: string,
    payload?: string,
  ): Promise<WorkerMessageOutcome> {
    const request = await this.deps.handoffs.openFor(identity.channel, identity.conversationId);
    if (!request) return { state: 'none' };
    const at = this.now().toISOString();
    if (text) await this.deps.handoffs.addMessage(request.id, { from: 'worker', text, at });
    if (request.status === 'assigned' && isEndPhrase(text, payload)) {
      const name = identity.userName ?? request.displayName ?? 'Người lao động';
      const closed = await this.deps.handoffs.close(request.id, {
        id: identity.userId,
        name,
        role: 'worker',
      });
      if (closed.ok) {
        await this.note(request.id, NOTES.closedByWorker);
        await this.events.publish({ type: 'closed', id: request.id });
        return { state: 'ended', id: request.id, reply: WORKER_ENDED_MESSAGE };
      }
      // Closed by the officer a moment ago: the bot answers as usual.
      return { state: 'none' };
    }
    if (text) await this.events.publish({ type: 'message', id: request.id });
    return request.status === 'assigned'
      ? { state: 'assigned', id: request.id }
      : { state: 'open', id: request.id };
  }

  /** The bot's replies while a request waits for an officer, so the officer sees what was already said. */
  async recordBotReplies(id: string, texts: string[]): Promise<void> {
    const at = this.now().toISOString();
    let recorded = false;
    for (const text of texts) {
      if (text.trim())
        recorded = (await this.deps.handoffs.addMessage(id, { from: 'bot', text, at })) || recorded;
    }
    if (recorded) await this.events.publish({ type: 'message', id });
  }

  /** Listens to every inbox change of every process; resolves once listening. */
  subscribe(listener: InboxListener): Promise<() => Promise<void>> {
    return this.events.subscribe(listener);
  }

  /** Closes the event connection (application shutdown). */
  stop(): Promise<void> {
    return this.events.stop();
  }

  private async toItem(request: HandoffRequest): Promise<InboxItem> {
    const displayName =
      request.displayName ??
      (await this.deps.subscribers.get(request.channel, request.userId).catch(() => undefined))?.displayName;
    const item: InboxItem = {
      id: request.id,
      status: request.status,
      channel: request.channel,
      userId: request.userId,
      createdAt: request.createdAt,
    };
    if (displayName) item.displayName = displayName;
    if (request.reason) item.reason = request.reason;
    if (request.assignee) item.assignee = request.assignee;
    if (request.lastMessageAt) item.lastMessageAt = request.lastMessageAt;
    if (request.lastText) item.lastText = request.lastText;
    return item;
  }

  /** A system note in the conversation (who took it, who closed it …). */
  private async note(id: string, text: string, officer?: Officer): Promise<void> {
    const message: HandoffMessage = { from: 'system', text, at: this.now().toISOString() };
    if (officer) message.officer = officer;
    await this.deps.handoffs.addMessage(id, message);
  }

  /**
   * A notice to the worker (officer joined, conversation ended): the change has happened either way, so a
   * failure is written into the conversation for the officer instead of undoing it.
   */
  private async notifyWorker(request: HandoffRequest, message: OutMessage): Promise<void> {
    try {
      await this.send(request, message);
    } catch (err) {
      if (!(err instanceof InboxError)) throw err;
      this.deps.logger?.warn({ handoff: request.id, reason: err.reason }, 'handoff notice not delivered');
      await this.note(request.id, NOTES.notDelivered(SEND_REASONS[err.reason ?? ''] ?? err.message));
    }
  }

  /** Sends on the worker's channel within its messaging rules; refusals become `send_failed`. */
  private async send(request: HandoffRequest, message: OutMessage): Promise<void> {
    const sender = this.deps.senders.get(request.channel);
    if (!sender) throw sendFailed('no_sender');
    const subscriber = await this.deps.subscribers.get(request.channel, request.userId);
    const decision = officerSendDecision(request.channel, subscriber?.lastInteractionAt, this.now());
    if (!decision.send) throw sendFailed(decision.reason);
    const activities = renderMessages([message], capabilitiesFor(request.channel));
    const to = recipientOfRequest(request);
    try {
      await sender.send(to, activities, decision.purpose);
    } catch (err) {
      if (!(err instanceof ChannelSendError)) throw err;
      this.deps.logger?.warn(
        { handoff: request.id, channel: request.channel, kind: err.kind, code: err.details.platformCode },
        'officer message not sent',
      );
      if (err.kind === 'unreachable')
        await this.deps.subscribers.markUnreachable(request.channel, request.userId, err.message);
      throw sendFailed(err.kind, err.message);
    }
  }
}

function sendFailed(reason: string, detail?: string): InboxError {
  const why = SEND_REASONS[reason] ?? detail ?? reason;
  return new InboxError('send_failed', `Không gửi được tin nhắn cho người lao động: ${why}.`, reason);
}

function refusal(reason: 'not_found' | 'closed' | 'assigned_to_other', request?: HandoffRequest): InboxError {
  if (reason === 'not_found') return new InboxError('not_found', NOT_FOUND);
  if (reason === 'closed') return new InboxError('closed', CLOSED);
  return new InboxError('assigned_to_other', otherOfficer(request?.assignee?.name));
}
