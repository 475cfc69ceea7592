/**
 * The narrow surface the Zalo personal-account channel depends on. Only `zca-client.ts` knows the
 * unofficial library behind it, so the library can be swapped or upgraded in one file, and tests run a
 * fake client with no network.
 */

import type { ZaloPersonalCredentials } from './credentials.js';

export type ThreadKind = 'user' | 'group';

/** A message received by the account, already reduced to what the bot needs. */
export interface IncomingZaloMessage {
  /** Platform message id (unique per message; used to drop redeliveries). */
  id: string;
  /** The chat: the other person's id in a direct chat, the group id in a group. */
  threadId: string;
  kind: ThreadKind;
  /** Who wrote it (in a group: the member, not the group). */
  fromId: string;
  fromName?: string;
  /** Plain text without the @mentions of this account; empty for photos, stickers, files. */
  text: string;
  /** The message is addressed to this account: it @mentions it, or replies to (quotes) one of its messages. */
  mentionsMe: boolean;
  /** Sent by this account itself (from a phone or another session). */
  isSelf: boolean;
  attachments?: { url: string }[];
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export interface ZaloPersonalClient {
  /** The account's own user id; empty until `start()` has logged in. */
  readonly ownId: string;
  onMessage(handler: (message: IncomingZaloMessage) => void): void;
  /** Called when an established connection drops (not when `stop()` closes it). */
  onClosed(handler: (reason: string) => void): void;
  /** Logs in if needed and opens the listener; resolves once it is connected, rejects if it cannot be. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends one plain-text message; resolves to the platform message id. Throws {@link ZaloClientError}. */
  sendText(threadId: string, kind: ThreadKind, text: string): Promise<string>;
}

export type ZaloClientFactory = (credentials: ZaloPersonalCredentials) => ZaloPersonalClient;

/**
 * A failure of the client, classified by the one file that understands the library's errors: `transient`
 * failures (network, server errors) are worth retrying; the others are not.
 */
export class ZaloClientError extends Error {
  override name = 'ZaloClientError';
  constructor(
    message: string,
    readonly transient: boolean,
    readonly code?: string | number,
  ) {
    super(message);
  }
}
