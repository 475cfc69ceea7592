import type { Redis } from 'ioredis';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; username: string; via: 'session' | 'token' | 'cli' };
  /** What was done, as `<area>.<verb>`: "campaign.create", "leaflet.update", "user.delete". */
  action: string;
  /** What it was done to (an id, a file), when there is one. */
  target?: string;
  details?: Record<string, unknown>;
}

const MAX_ENTRIES = 100_000;

/**
 * Who changed what and when, in a Redis stream (append-only, ordered, capped at about the last 100,000
 * changes). Stream ids carry the time, so entries can be listed newest first or from a date.
 */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get key(): string {
    return `${this.keyPrefix}admin:audit`;
  }

  async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const at = this.now().toISOString();
    const id = await this.redis.xadd(
      this.key,
      'MAXLEN',
      '~',
      String(MAX_ENTRIES),
      '*',
      'entry',
      JSON.stringify({ ...entry, at }),
    );
    return { id: id ?? '', at, ...entry };
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(options: { limit?: number; before?: string; action?: string } = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? 100;
    const out: AuditEntry[] = [];
    let end = options.before ? `(${options.before}` : '+';
    while (out.length < limit) {
      const rows = await this.redis.xrevrange(this.key, end, '-', 'COUNT', Math.max(limit, 100));
      if (rows.length === 0) break;
      for (const [id, fields] of rows) {
        const entry = { id, ...(JSON.parse(fields[1] ?? '{}') as Omit<AuditEntry, 'id'>) };
        if (!options.action || entry.action === options.action) out.push(entry);
        if (out.length >= limit) break;
      }
      end = `(${rows[rows.length - 1]![0]}`;
    }
    return out;
  }
}
