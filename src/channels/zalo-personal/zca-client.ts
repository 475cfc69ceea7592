/**
 * The only file that imports zca-js, the unofficial Zalo Web library: it logs in with a saved session (or
 * a QR code, for `npm run zalo:login`), runs the library's listener and reduces its messages and errors to
 * the channel's narrow types.
 */
import * as zcaJs from 'zca-js';
import type { Logger } from '../../platform/logger.js';
import {
  ZaloClientError,
  type IncomingZaloMessage,
  type ThreadKind,
  type ZaloClientFactory,
  type ZaloPersonalClient,
} from './client.js';
import type { CookieRecord, ZaloPersonalCredentials } from './credentials.js';

// ---------------------------------------------------------------------------------------------------
// The part of zca-js we use, restated from its declarations (zca-js 2.2.0: dist/zalo.d.ts,
// dist/apis/listen.d.ts, dist/apis/sendMessage.d.ts, dist/apis/loginQR.d.ts, dist/models/Message.d.ts).
// The package's own index.d.ts re-exports "./dist" without a file extension, which TypeScript's NodeNext
// resolution cannot follow, so its types do not reach us; this restatement keeps us typed and shows
// exactly what an upgrade must keep.

/** `{ User = 0, Group = 1 }` (dist/models/Enum.d.ts). */
type ZcaThreadType = 0 | 1;

interface ZcaMention {
  uid: string;
  pos: number;
  len: number;
  /** 1 = "@All". */
  type: 0 | 1;
}

/** TMessage / TGroupMessage: one item of the `msgs` / `groupMsgs` arrays the listener decodes. */
export interface ZcaMessageData {
  msgId: string;
  cliMsgId?: string;
  msgType?: string;
  /** Sender uid; "0" on the wire for the account itself (the library rewrites it to the own uid). */
  uidFrom: string;
  idTo: string;
  dName?: string;
  ts: string;
  /** A string for text; an object for photos, links, stickers, files. */
  content: string | Record<string, unknown>;
  quote?: { ownerId: string | number } | null;
  /** Groups only. */
  mentions?: ZcaMention[] | null;
}

/** UserMessage | GroupMessage (dist/models/Message.d.ts). */
export interface ZcaMessage {
  type: ZcaThreadType;
  threadId: string;
  isSelf: boolean;
  data: ZcaMessageData;
}

export interface ZcaListener {
  on(event: 'connected', cb: () => void): void;
  on(event: 'message', cb: (message: ZcaMessage) => void): void;
  on(event: 'closed', cb: (code: number, reason: string) => void): void;
  on(event: 'error', cb: (error: unknown) => void): void;
  off(event: 'connected', cb: () => void): void;
  off(event: 'closed', cb: (code: number, reason: string) => void): void;
  start(options?: { retryOnClose?: boolean }): void;
  stop(): void;
}

export interface ZcaApi {
  listener: ZcaListener;
  getOwnId(): string;
  getContext(): { imei: string; userAgent: string };
  getCookie(): { toJSON(): { cookies: CookieRecord[] } | undefined };
  sendMessage(
    message: string,
    threadId: string,
    type: ZcaThreadType,
  ): Promise<{ message: { msgId: number | string } | null }>;
}

type ZcaQrEvent =
  | {
      type: 0;
      data: { code: string; image: string };
      actions: { saveToFile(path?: string): Promise<unknown> };
    }
  | { type: 1; data: null; actions: { retry(): unknown; abort(): unknown } }
  | { type: 2; data: { display_name: string }; actions: unknown }
  | { type: 3; data: unknown; actions: { abort(): unknown } }
  | { type: 4; data: unknown; actions: null };

interface ZcaModule {
  Zalo: new (options: { selfListen: boolean; checkUpdate: boolean; logging: boolean }) => {
    login(credentials: {
      cookie: unknown;
      imei: string;
      userAgent: string;
      language?: string;
    }): Promise<ZcaApi>;
    loginQR(
      options: { userAgent?: string; language?: string; qrPath?: string },
      callback: (event: ZcaQrEvent) => unknown,
    ): Promise<ZcaApi>;
  };
  ZaloApiError: abstract new (...args: never[]) => Error & { code: number | null };
  UserMessage: new (ownId: string, data: ZcaMessageData) => ZcaMessage;
  GroupMessage: new (ownId: string, data: ZcaMessageData) => ZcaMessage;
}

const zca = zcaJs as unknown as ZcaModule;
const USER: ZcaThreadType = 0;
const GROUP: ZcaThreadType = 1;

// No update check (it calls the npm registry at every login) and no library console output: our logger
// reports what matters. selfListen off: the account's own messages are not delivered.
const LIBRARY_OPTIONS = { selfListen: false, checkUpdate: false, logging: false };

// ---------------------------------------------------------------------------------------------------

export interface ZcaClientOptions {
  logger?: Logger;
  /** How long login, and then opening the listener, may each take before the attempt counts as failed. */
  timeoutMs?: number;
}

export class ZcaClient implements ZaloPersonalClient {
  private api?: ZcaApi;
  /** True between the listener's "connected" and its close; only such closes are reported. */
  private connected = false;
  private readonly messageHandlers: ((m: IncomingZaloMessage) => void)[] = [];
  private readonly closedHandlers: ((reason: string) => void)[] = [];

  constructor(
    private readonly credentials: ZaloPersonalCredentials,
    private readonly options: ZcaClientOptions = {},
  ) {}

  get ownId(): string {
    return this.api?.getOwnId() ?? '';
  }

  onMessage(handler: (m: IncomingZaloMessage) => void): void {
    this.messageHandlers.push(handler);
  }

  onClosed(handler: (reason: string) => void): void {
    this.closedHandlers.push(handler);
  }

  async start(): Promise<void> {
    const api = (this.api ??= await this.login());
    try {
      await this.listen(api);
    } catch (err) {
      // A session that cannot open its listener is dropped: the next attempt logs in afresh, which also
      // tells an expired session apart from a network problem.
      if (this.api === api) this.api = undefined;
      api.listener.stop();
      throw toClientError(err);
    }
  }

  async stop(): Promise<void> {
    this.connected = false;
    this.api?.listener.stop();
  }

  async sendText(threadId: string, kind: ThreadKind, text: string): Promise<string> {
    const api = this.api;
    if (!api) throw new ZaloClientError('not logged in to Zalo', true);
    try {
      const result = await api.sendMessage(text, threadId, kind === 'group' ? GROUP : USER);
      return String(result.message?.msgId ?? '');
    } catch (err) {
      throw toClientError(err);
    }
  }

  /** Logs in with the saved session (a separate step so that a test can hand in a local session). */
  protected async openSession(): Promise<ZcaApi> {
    const { cookie, imei, userAgent } = this.credentials;
    const zalo = new zca.Zalo(LIBRARY_OPTIONS);
    return withTimeout(zalo.login({ cookie, imei, userAgent }), this.timeoutMs, 'login');
  }

  private async login(): Promise<ZcaApi> {
    let api: ZcaApi;
    try {
      api = await this.openSession();
    } catch (err) {
      throw toClientError(err);
    }
    // Handlers check that their session is still the current one, since a dropped session's socket may
    // still report. The error handler must stay: an EventEmitter "error" without a handler throws.
    api.listener.on('message', (m) => {
      if (this.api === api) this.dispatch(m, api.getOwnId());
    });
    api.listener.on('closed', (code, reason) => {
      if (this.api !== api || !this.connected) return;
      this.connected = false;
      for (const h of this.closedHandlers) h(describeClose(code, reason));
    });
    api.listener.on('error', (err) => this.options.logger?.warn({ err }, 'zalo-personal listener error'));
    return api;
  }

  /** Starts the listener and waits for its socket to open. We reconnect ourselves: no library retry. */
  private listen(api: ZcaApi): Promise<void> {
    const listener = api.listener;
    return new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        listener.off('connected', onConnected);
        listener.off('closed', onClosed);
      };
      const onConnected = () => {
        cleanup();
        this.connected = true;
        resolve();
      };
      const onClosed = (code: number, reason: string) => {
        cleanup();
        reject(
          new ZaloClientError(
            `listener closed before connecting (${describeClose(code, reason)})`,
            true,
            code,
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new ZaloClientError(`listener did not connect within ${this.timeoutMs} ms`, true));
      }, this.timeoutMs);
      listener.on('connected', onConnected);
      listener.on('closed', onClosed);
      try {
        listener.start({ retryOnClose: false });
      } catch (err) {
        cleanup();
        reject(toClientError(err));
      }
    });
  }

  private dispatch(message: ZcaMessage, ownId: string): void {
    let incoming: IncomingZaloMessage;
    try {
      incoming = toIncomingMessage(message, ownId);
    } catch (err) {
      this.options.logger?.warn({ err }, 'zalo-personal message could not be read');
      return;
    }
    for (const h of this.messageHandlers) h(incoming);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }
}

/** The factory the channel uses outside tests. */
export function zcaClientFactory(options: ZcaClientOptions = {}): ZaloClientFactory {
  return (credentials) => new ZcaClient(credentials, options);
}

// ---------------------------------------------------------------------------------------------------

/**
 * zca-js message → our message. Direct chats: the thread is the other person (the library already set
 * `threadId`, also for our own messages). Groups: the thread is the group and the sender is `uidFrom`;
 * the account is addressed by an @mention of its uid ("@All" does not count) or by a reply quoting one of
 * its messages.
 */
export function toIncomingMessage(message: ZcaMessage, ownId: string): IncomingZaloMessage {
  const { data } = message;
  const isGroup = message.type === GROUP;
  const mine =
    isGroup && ownId ? (data.mentions ?? []).filter((m) => String(m.uid) === ownId && m.type !== 1) : [];
  const quotesMe = ownId !== '' && data.quote != null && String(data.quote.ownerId) === ownId;
  const fromId = String(data.uidFrom);
  const attachments = attachmentsOf(data.content);
  return {
    id: String(data.msgId),
    threadId: String(message.threadId),
    kind: isGroup ? 'group' : 'user',
    fromId,
    ...(data.dName ? { fromName: data.dName } : {}),
    text: typeof data.content === 'string' ? withoutMentions(data.content, mine) : '',
    mentionsMe: mine.length > 0 || quotesMe,
    // The library rewrites a self sender ("0") to our uid, so either test finds our own messages.
    isSelf: message.isSelf || (ownId !== '' && fromId === ownId),
    ...(attachments ? { attachments } : {}),
    timestamp: Number(data.ts) || Date.now(),
  };
}

/**
 * Builds the library's message object from one decoded payload item exactly as its listener does
 * (`new UserMessage(uid, msg)` / `new GroupMessage(uid, msg)` in dist/apis/listen.js), so recorded
 * payloads can be run through {@link toIncomingMessage} without logging in.
 */
export function messageFromPayload(kind: ThreadKind, ownId: string, data: ZcaMessageData): ZcaMessage {
  const copy = structuredClone(data);
  return kind === 'group' ? new zca.GroupMessage(ownId, copy) : new zca.UserMessage(ownId, copy);
}

/** Removes the mention spans (UTF-16 offsets into the content) and the separator left in front. */
function withoutMentions(content: string, mentions: ZcaMention[]): string {
  if (mentions.length === 0) return content.trim();
  let out = '';
  let cursor = 0;
  for (const m of [...mentions].sort((a, b) => a.pos - b.pos)) {
    if (m.pos > cursor) out += content.slice(cursor, m.pos);
    cursor = Math.max(cursor, m.pos + m.len);
  }
  out += content.slice(cursor);
  return out
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;!?])/g, '$1')
    .replace(/^[\s,.:;!-]+/, '')
    .trim();
}

/** Photos, files and link previews carry their address in `href`. */
function attachmentsOf(content: ZcaMessageData['content']): { url: string }[] | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const href = content.href;
  return typeof href === 'string' && href !== '' ? [{ url: href }] : undefined;
}

/**
 * Library and network errors → {@link ZaloClientError}. zca-js reports HTTP failures as "Request failed
 * with status code N" and Zalo's refusals with Zalo's error code; an error that is not a ZaloApiError
 * comes from below the library (fetch failed, connection reset, timeout).
 */
export function toClientError(err: unknown): ZaloClientError {
  if (err instanceof ZaloClientError) return err;
  if (err instanceof zca.ZaloApiError) {
    const status = /status code (\d{3})/.exec(err.message)?.[1];
    const transient = status !== undefined && (Number(status) >= 500 || status === '429');
    return new ZaloClientError(err.message, transient, err.code ?? status);
  }
  return new ZaloClientError(err instanceof Error ? err.message : String(err), true);
}

/** "1006" or "3000 duplicate connection": the close code (see the library's CloseReason) and reason. */
function describeClose(code: number, reason: string): string {
  return reason ? `${code} ${reason}` : String(code);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ZaloClientError(`${what} took longer than ${ms} ms`, true)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------

export type QrLoginEvent =
  | { type: 'qr'; path: string }
  | { type: 'expired'; retrying: boolean }
  | { type: 'scanned'; name: string }
  | { type: 'declined' };

/**
 * Logs in by QR code (scanned with the Zalo app of the account) and returns the session to save. The
 * library writes the QR image to `qrPath`; a code expires after 100 s and is renewed `renewals` times.
 */
export async function loginWithQr(options: {
  qrPath: string;
  userAgent?: string;
  renewals?: number;
  onEvent: (event: QrLoginEvent) => void;
}): Promise<{ credentials: ZaloPersonalCredentials; ownId: string }> {
  let renewalsLeft = options.renewals ?? 2;
  const zalo = new zca.Zalo(LIBRARY_OPTIONS);
  const api = await zalo.loginQR(
    {
      qrPath: options.qrPath,
      language: 'vi',
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    },
    (event) => {
      switch (event.type) {
        case 0:
          void event.actions
            .saveToFile(options.qrPath)
            .then(() => options.onEvent({ type: 'qr', path: options.qrPath }));
          break;
        case 1: {
          const retrying = renewalsLeft-- > 0;
          options.onEvent({ type: 'expired', retrying });
          if (retrying) event.actions.retry();
          else event.actions.abort();
          break;
        }
        case 2:
          options.onEvent({ type: 'scanned', name: event.data.display_name });
          break;
        case 3:
          options.onEvent({ type: 'declined' });
          event.actions.abort();
          break;
      }
    },
  );
  // The session after login, not the one at the scan: logging in may have refreshed cookies.
  const context = api.getContext();
  return {
    credentials: {
      cookie: api.getCookie().toJSON()?.cookies ?? [],
      imei: context.imei,
      userAgent: context.userAgent,
    },
    ownId: api.getOwnId(),
  };
}
