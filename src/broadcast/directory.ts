import { fold } from '../knowledge/normalize.js';
import { PROFILE_ATTRIBUTES, type ProfileAttribute } from './profile.js';
import type { Subscriber, SubscriberStore } from './subscribers.js';
import type { Redis } from 'ioredis';

const ATTRIBUTES = Object.keys(PROFILE_ATTRIBUTES) as ProfileAttribute[];

export interface SearchPage {
  items: Subscriber[];
  /** Pass back to read the next page; absent on the last page. */
  next?: string;
}

function matches(sub: Subscriber, needle: string): boolean {
  if (!needle) return true;
  const hay = [sub.userId, sub.displayName ?? '', ...Object.values(sub.attributes)].map((v) =>
    fold(String(v)).toLowerCase(),
  );
  return hay.some((v) => v.includes(needle));
}

function csvCell(value: string): string {
  // Cells starting with = + - @ are neutralised: spreadsheets would run them as formulas.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Officers' view over the subscriber records: search without diacritics across names and attributes
 * (a cursor over the index set, so a large list is read page by page) and a CSV export in the import
 * format, so an exported file can be edited and imported again.
 */
export class SubscriberDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly store: SubscriberStore,
  ) {}

  private setFor(channel?: string): string {
    return channel ? `${this.store.indexPrefix}channel:${channel}` : this.store.allKey;
  }

  async search(options: {
    q?: string;
    channel?: string;
    limit?: number;
    cursor?: string;
  }): Promise<SearchPage> {
    const limit = options.limit ?? 50;
    const needle = fold(options.q?.trim() ?? '').toLowerCase();
    const items: Subscriber[] = [];
    let cursor = options.cursor ?? '0';
    do {
      const [nextCursor, ids] = await this.redis.sscan(this.setFor(options.channel), cursor, 'COUNT', 500);
      cursor = nextCursor;
      const subs = await Promise.all(ids.map((id) => this.store.getById(id)));
      for (const sub of subs) if (sub && matches(sub, needle)) items.push(sub);
    } while (cursor !== '0' && items.length < limit);
    // A scan step may return more than asked; the extra ones are kept rather than lost between pages.
    return { items, next: cursor === '0' ? undefined : cursor };
  }

  async count(channel?: string): Promise<number> {
    return this.redis.scard(this.setFor(channel));
  }

  async countOptedIn(): Promise<number> {
    return this.redis.scard(`${this.store.indexPrefix}consent:opted_in`);
  }

  async *exportCsv(): AsyncGenerator<string> {
    yield (
      ['channel', 'user_id', 'display_name', ...ATTRIBUTES, 'topics', 'consent', 'consent_at'].join(',') +
      '\n'
    );
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.store.allKey, cursor, 'COUNT', 1000);
      cursor = next;
      const subs = await Promise.all(ids.map((id) => this.store.getById(id)));
      let chunk = '';
      for (const s of subs) {
        if (!s) continue;
        const row = [
          s.channel,
          s.userId,
          s.displayName ?? '',
          ...ATTRIBUTES.map((a) => s.attributes[a] ?? ''),
          s.topics.join(';'),
          s.consent?.status ?? '',
          s.consent?.at ?? '',
        ];
        chunk += row.map(csvCell).join(',') + '\n';
      }
      if (chunk) yield chunk;
    } while (cursor !== '0');
  }
}
