import type { Storage } from 'botbuilder';
import type { QuickReply } from './messages.js';

/** Where a worker is in the flows, and what the current flow has captured. Plain data, stored as JSON. */
export interface Session {
  /** Current flow and node while a question waits for the worker's answer. */
  flow?: string;
  node?: string;
  /** Failed answers to the current question. */
  retries: number;
  vars: Record<string, unknown>;
  /** Choices offered by the last reply, so "2" or a typed title selects one. */
  offered: QuickReply[];
  turns: number;
  lastActiveAt?: string;
}

export function newSession(): Session {
  return { retries: 0, vars: {}, offered: [], turns: 0 };
}

export interface LoadedSession {
  key: string;
  session: Session;
  eTag?: string;
}

/**
 * Sessions on top of botbuilder `Storage`. Saves carry the eTag read at the start of the turn, so if two
 * processes ever handled the same worker at once, the second save fails instead of silently losing data.
 */
export class SessionStore {
  constructor(private readonly storage: Storage) {}

  static keyFor(channel: string, conversationId: string, userId: string): string {
    return conversationId === userId
      ? `session/${channel}/${userId}`
      : `session/${channel}/${conversationId}/${userId}`;
  }

  async load(key: string): Promise<LoadedSession> {
    const items = await this.storage.read([key]);
    const item = items[key] as (Session & { eTag?: string }) | undefined;
    if (!item) return { key, session: newSession() };
    const { eTag, ...session } = item;
    return { key, session: { ...newSession(), ...session }, eTag };
  }

  async save(loaded: LoadedSession, session: Session): Promise<void> {
    await this.storage.write({ [loaded.key]: { ...session, eTag: loaded.eTag ?? '*' } });
  }

  async clear(key: string): Promise<void> {
    await this.storage.delete([key]);
  }
}
