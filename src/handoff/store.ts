import type { Redis } from 'ioredis';
import { luaScript } from '../platform/redis.js';
import { CLOSE, REQUEST, TAKE, ADD_MESSAGE } from './store-scripts.js';
import { randomCode } from '../platform/codes.js';

export type HandoffStatus = 'open' | 'assigned' | 'closed';

/** An officer as the inbox records them (the admin user's id and display name). */
export interface Officer {
  id: string;
  name: string;
}

/** Who closed a request: an officer, or the worker by typing an end phrase. */
export interface ClosedBy extends Officer {
  role: 'officer' | 'worker';
}

/** A worker's request to talk to a person; the officer inbox lists them. */
export interface HandoffRequest {
  id: string;
  status: HandoffStatus;
  channel: string;
  userId: string;
  conversationId: string;
  /** botbuilder ConversationReference, so an officer's reply can go out on the worker's own channel. */
  reference: Record<string, unknown>;
  reason?: string;
  createdAt: string;
  /** The worker's name when the platform or the subscriber record gives one. */
  displayName?: string;
  assignee?: Officer;
  takenAt?: string;
  closedAt?: string;
  closedBy?: ClosedBy;
  /** Time and text of the last worker, bot or officer message recorded during the handoff. */
  lastMessageAt?: string;
  lastText?: string;
}

/** A message exchanged while a request is open or assigned. */
export interface HandoffMessage {
  from: 'worker' | 'bot' | 'officer' | 'system';
  text: string;
  at: string;
  officer?: Officer;
}

export type TakeResult =
  | { ok: true; request: HandoffRequest; changed: boolean; previousAssignee?: Officer }
  | { ok: false; reason: 'not_found' | 'closed' | 'assigned_to_other'; request?: HandoffRequest };

export type CloseResult =
  | { ok: true; request: HandoffRequest }
  | { ok: false; reason: 'not_found' | 'closed' | 'assigned_to_other'; request?: HandoffRequest };

export interface HandoffStoreOptions {
  /** Messages kept per request (the oldest go first). */
  maxMessages?: number;
  /** Closed requests listed (newest first); older ones stay readable by id until they expire. */
  maxClosedListed?: number;
  /** How long a closed request and its messages are kept. */
  closedTtlSeconds?: number;
}

type Script = (...keysThenArgs: (string | number)[]) => Promise<unknown>;
type CreatedListener = (request: HandoffRequest) => Promise<void> | void;

const LAST_TEXT_MAX = 200;

/**
 * Handoff requests in Redis: one hash per request (plain fields, so transitions are short Lua scripts that
 * check the status and change it in one step), a list of its messages, and one sorted set per status.
 * Transitions are atomic because two officers may click "take" on the same request at the same moment.
 */
export class HandoffStore {
  private readonly createdListeners: CreatedListener[] = [];
  private readonly requestScript: Script;
  private readonly takeScript: Script;
  private readonly closeScript: Script;
  private readonly addMessageScript: Script;
  private readonly maxMessages: number;
  private readonly maxClosedListed: number;
  private readonly closedTtlSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
    options: HandoffStoreOptions = {},
  ) {
    this.requestScript = luaScript(redis, 'uaHandoffRequest', 2, REQUEST);
    this.takeScript = luaScript(redis, 'uaHandoffTake', 3, TAKE);
    this.closeScript = luaScript(redis, 'uaHandoffClose', 6, CLOSE);
    this.addMessageScript = luaScript(redis, 'uaHandoffAddMessage', 2, ADD_MESSAGE);
    this.maxMessages = options.maxMessages ?? 500;
    this.maxClosedListed = options.maxClosedListed ?? 1000;
    this.closedTtlSeconds = options.closedTtlSeconds ?? 180 * 24 * 3600;
  }

  private get recordPrefix(): string {
    return `${this.keyPrefix}handoff:`;
  }
  private key(id: string): string {
    return `${this.recordPrefix}${id}`;
  }
  private messagesKey(id: string): string {
    return `${this.key(id)}:messages`;
  }
  private byConversationKey(channel: string, conversationId: string): string {
    return `${this.keyPrefix}handoff:by-conv:${channel}:${conversationId}`;
  }
  private statusKey(status: HandoffStatus): string {
    return `${this.keyPrefix}handoff:${status}`;
  }

  /** Called after a request is created (not when an open one is returned again): the inbox publishes it. */
  onCreated(listener: CreatedListener): void {
    this.createdListeners.push(listener);
  }

  /**
   * Opens a request, or returns the one already open or assigned for this conversation (a worker asking
   * twice). One script checks and creates, so two turns racing cannot open two requests.
   */
  async request(
    input: Omit<
      HandoffRequest,
      'id' | 'status' | 'createdAt' | 'assignee' | 'takenAt' | 'closedAt' | 'closedBy'
    >,
  ): Promise<{ request: HandoffRequest; created: boolean }> {
    const createdAt = this.now().toISOString();
    const fields: Record<string, string> = {
      status: 'open',
      channel: input.channel,
      userId: input.userId,
      conversationId: input.conversationId,
      reference: JSON.stringify(input.reference),
      createdAt,
    };
    if (input.reason) fields.reason = input.reason;
    if (input.displayName) fields.displayName = input.displayName;
    // Six characters from 32 collide rarely; the script refuses an existing id and we draw again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomCode();
      const [outcome, existingId] = (await this.requestScript(
        this.byConversationKey(input.channel, input.conversationId),
        this.statusKey('open'),
        this.recordPrefix,
        id,
        Date.parse(createdAt),
        ...Object.entries({ id, ...fields }).flat(),
      )) as [number, string];
      if (outcome === -1) continue;
      const request = await this.get(existingId);
      if (!request) throw new Error(`handoff ${existingId} vanished while being requested`);
      if (outcome === 1) await Promise.allSettled(this.createdListeners.map(async (l) => l(request)));
      return { request, created: outcome === 1 };
    }
    throw new Error('could not draw a free handoff code');
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    return fromHash(await this.redis.hgetall(this.key(id)));
  }

  /** The request of this conversation that is not closed yet (open or assigned). */
  async openFor(channel: string, conversationId: string): Promise<HandoffRequest | undefined> {
    const id = await this.redis.get(this.byConversationKey(channel, conversationId));
    const request = id ? await this.get(id) : undefined;
    return request && request.status !== 'closed' ? request : undefined;
  }

  /** Requests waiting for an officer, oldest first. */
  listOpen(limit = 100): Promise<HandoffRequest[]> {
    return this.list('open', limit);
  }

  /** Open and assigned: oldest first (the longest wait on top); closed: newest first. */
  async list(status: HandoffStatus, limit = 100): Promise<HandoffRequest[]> {
    const key = this.statusKey(status);
    const ids =
      status === 'closed'
        ? await this.redis.zrevrange(key, 0, limit - 1)
        : await this.redis.zrange(key, 0, limit - 1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const rows = (await pipeline.exec()) ?? [];
    return rows
      .map(([, h]) => fromHash(h as Record<string, string>))
      .filter((r): r is HandoffRequest => r !== undefined && r.status === status);
  }

  /**
   * Gives the request to `officer`: allowed when it is open or already theirs; one assigned to someone
   * else only with `force` (a supervisor taking over). `changed` is false when it already was theirs.
   */
  async take(id: string, officer: Officer, options: { force?: boolean } = {}): Promise<TakeResult> {
    const at = this.now();
    const [outcome, previousId, previousName] = (await this.takeScript(
      this.key(id),
      this.statusKey('open'),
      this.statusKey('assigned'),
      id,
      officer.id,
      officer.name,
      at.toISOString(),
      at.getTime(),
      options.force ? '1' : '0',
    )) as [string, string?, string?];
    const request = await this.get(id);
    if (outcome === 'taken' || outcome === 'already_yours') {
      if (!request) return { ok: false, reason: 'not_found' };
      return {
        ok: true,
        request,
        changed: outcome === 'taken',
        previousAssignee:
          outcome === 'taken' && previousId ? { id: previousId, name: previousName ?? '' } : undefined,
      };
    }
    return { ok: false, reason: outcome as 'not_found' | 'closed' | 'assigned_to_other', request };
  }

  /**
   * Closes a request that is not closed yet. With `officer` (and no `force`) a request assigned to
   * another officer is refused; the worker ending it themselves passes no officer check.
   */
  async close(id: string, closedBy: ClosedBy, options: { force?: boolean } = {}): Promise<CloseResult> {
    const current = await this.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    const at = this.now();
    const [outcome] = (await this.closeScript(
      this.key(id),
      this.statusKey('open'),
      this.statusKey('assigned'),
      this.statusKey('closed'),
      this.messagesKey(id),
      this.byConversationKey(current.channel, current.conversationId),
      id,
      at.toISOString(),
      at.getTime(),
      JSON.stringify(closedBy),
      closedBy.role === 'officer' && !options.force ? closedBy.id : '',
      this.maxClosedListed,
      this.closedTtlSeconds,
    )) as [string];
    const request = await this.get(id);
    if (outcome === 'closed_now' && request) return { ok: true, request };
    return { ok: false, reason: outcome as 'not_found' | 'closed' | 'assigned_to_other', request };
  }

  /** Appends a message (capped); false when the request does not exist. */
  async addMessage(id: string, message: HandoffMessage): Promise<boolean> {
    // System notes do not change what the inbox list shows as the last message.
    const preview = message.from === 'system' ? '' : message.text.slice(0, LAST_TEXT_MAX);
    const added = await this.addMessageScript(
      this.key(id),
      this.messagesKey(id),
      JSON.stringify(message),
      this.maxMessages,
      message.from === 'system' ? '' : message.at,
      preview,
    );
    return added === 1;
  }

  /** The messages recorded during the handoff, oldest first. */
  async messages(id: string): Promise<HandoffMessage[]> {
    const raw = await this.redis.lrange(this.messagesKey(id), 0, -1);
    return raw.map((r) => JSON.parse(r) as HandoffMessage);
  }
}

function fromHash(h: Record<string, string>): HandoffRequest | undefined {
  if (!h.id || !h.status) return undefined;
  const request: HandoffRequest = {
    id: h.id,
    status: h.status as HandoffStatus,
    channel: h.channel ?? '',
    userId: h.userId ?? '',
    conversationId: h.conversationId ?? '',
    reference: h.reference ? (JSON.parse(h.reference) as Record<string, unknown>) : {},
    createdAt: h.createdAt ?? '',
  };
  if (h.reason) request.reason = h.reason;
  if (h.displayName) request.displayName = h.displayName;
  if (h.assigneeId) request.assignee = { id: h.assigneeId, name: h.assigneeName ?? '' };
  if (h.takenAt) request.takenAt = h.takenAt;
  if (h.closedAt) request.closedAt = h.closedAt;
  if (h.closedBy) request.closedBy = JSON.parse(h.closedBy) as ClosedBy;
  if (h.lastMessageAt) request.lastMessageAt = h.lastMessageAt;
  if (h.lastText) request.lastText = h.lastText;
  return request;
}
