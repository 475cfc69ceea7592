import type { Redis } from 'ioredis';
import { z } from 'zod';
import { randomCode } from '../platform/codes.js';

export const TICKET_STATUSES = ['new', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = [
  'cham_no_luong',
  'khong_dong_bhxh',
  'tang_ca_qua_gio',
  'mat_an_toan',
  'xuc_pham_quay_roi',
  'lua_dao_trom_cap',
  'khac',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const newTicketSchema = z
  .object({
    category: z.enum(TICKET_CATEGORIES),
    company: z.string().trim().max(200).optional(),
    khu_cong_nghiep: z.string().trim().max(200).optional(),
    description: z.string().trim().min(1).max(4000),
    photoUrl: z.url().optional(),
    /** Absent when the worker chose to stay anonymous. */
    contact: z.string().trim().max(200).optional(),
    urgent: z.boolean().default(false),
    channel: z.string(),
    userId: z.string(),
  })
  .strict();
export type NewTicket = z.input<typeof newTicketSchema>;

export interface TicketNote {
  at: string;
  by: { id: string; name: string };
  text: string;
}

export interface Ticket extends z.infer<typeof newTicketSchema> {
  /** The code the worker quotes to ask for news ("tra cứu phản ánh PA7K2Q"). */
  id: string;
  status: TicketStatus;
  assignee?: { id: string; name: string };
  notes: TicketNote[];
  createdAt: string;
  updatedAt: string;
}

export class TicketError extends Error {
  override name = 'TicketError';
}

/** Problems workers report (phản ánh), kept in Redis and followed by officers. */
export class TicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}ticket:${id}`;
  }
  private statusKey(status: TicketStatus): string {
    return `${this.keyPrefix}tickets:status:${status}`;
  }
  private get allKey(): string {
    return `${this.keyPrefix}tickets:all`;
  }

  async create(input: NewTicket): Promise<Ticket> {
    const parsed = newTicketSchema.parse(input);
    const at = this.now();
    for (;;) {
      const code = `PA${randomCode()}`;
      const ticket: Ticket = {
        ...parsed,
        id: code,
        status: 'new',
        notes: [],
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      if ((await this.redis.set(this.key(code), JSON.stringify(ticket), 'NX')) !== 'OK') continue;
      await this.redis
        .multi()
        .zadd(this.allKey, at.getTime(), code)
        .zadd(this.statusKey('new'), at.getTime(), code)
        .exec();
      return ticket;
    }
  }

  async get(id: string): Promise<Ticket | undefined> {
    const raw = await this.redis.get(this.key(id.trim().toUpperCase()));
    return raw ? (JSON.parse(raw) as Ticket) : undefined;
  }

  /** Newest first. */
  async list(options: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
    const key = options.status ? this.statusKey(options.status) : this.allKey;
    const ids = await this.redis.zrevrange(key, 0, (options.limit ?? 200) - 1);
    const tickets = await Promise.all(ids.map((id) => this.get(id)));
    return tickets.filter((t): t is Ticket => t !== undefined);
  }

  async count(status: TicketStatus): Promise<number> {
    return this.redis.zcard(this.statusKey(status));
  }

  private async change(id: string, apply: (t: Ticket) => void): Promise<Ticket> {
    const key = this.key(id);
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.redis.watch(key);
      const raw = await this.redis.get(key);
      if (!raw) {
        await this.redis.unwatch();
        throw new TicketError(`Không có phản ánh mã ${id}`);
      }
      const ticket = JSON.parse(raw) as Ticket;
      const before = ticket.status;
      apply(ticket);
      ticket.updatedAt = this.now().toISOString();
      const tx = this.redis.multi().set(key, JSON.stringify(ticket));
      if (before !== ticket.status) {
        tx.zrem(this.statusKey(before), id).zadd(
          this.statusKey(ticket.status),
          Date.parse(ticket.createdAt),
          id,
        );
      }
      if (await tx.exec()) return ticket;
    }
    throw new TicketError('Phản ánh đang được người khác sửa, hãy thử lại');
  }

  update(
    id: string,
    change: { status?: TicketStatus; assignee?: { id: string; name: string } | null },
  ): Promise<Ticket> {
    return this.change(id, (t) => {
      if (change.status) t.status = change.status;
      if (change.assignee === null) delete t.assignee;
      else if (change.assignee) t.assignee = change.assignee;
    });
  }

  addNote(id: string, by: { id: string; name: string }, text: string): Promise<Ticket> {
    return this.change(id, (t) => {
      t.notes.push({ at: this.now().toISOString(), by, text });
    });
  }
}
