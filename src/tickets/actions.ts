import { z } from 'zod';
import type { ActionDefinition } from '../conversation/actions/registry.js';
import { localDate } from '../platform/time.js';
import { TICKET_CATEGORIES, type TicketCategory, type TicketStatus } from './store.js';
import { looksUrgent } from './urgency.js';

export const CATEGORY_NAMES: Record<TicketCategory, string> = {
  cham_no_luong: 'Chậm hoặc nợ lương',
  khong_dong_bhxh: 'Không đóng BHXH',
  tang_ca_qua_gio: 'Tăng ca quá giờ',
  mat_an_toan: 'Mất an toàn lao động',
  xuc_pham_quay_roi: 'Bị xúc phạm hoặc quấy rối',
  lua_dao_trom_cap: 'Bị lừa đảo hoặc trộm cắp',
  khac: 'Việc khác',
};

const STATUS_NAMES: Record<TicketStatus, string> = {
  new: 'đã tiếp nhận, đang chờ cán bộ xem',
  in_progress: 'cán bộ đang xử lý',
  resolved: 'đã xử lý xong',
  closed: 'đã đóng',
};

const optional = z.string().optional();

/** Files a phản ánh as a ticket officers follow up; the worker keeps its code. */
export const createTicket: ActionDefinition<{
  category: string;
  description: string;
  company?: string;
  khu_cong_nghiep?: string;
  contact?: string;
  photo?: string;
  urgent?: string;
}> = {
  name: 'create_ticket',
  description: 'Ghi phản ánh của người lao động thành một phiếu cho cán bộ (mã PAxxxxxx)',
  args: z
    .object({
      category: z.string(),
      description: z.string(),
      company: optional,
      khu_cong_nghiep: optional,
      contact: optional,
      photo: optional,
      urgent: optional,
    })
    .strict(),
  outputs: ['ticket_code'],
  async run(ctx, args) {
    const value = (template?: string) => {
      const v = template === undefined ? '' : ctx.render(template).trim();
      return v === '' ? undefined : v;
    };
    const rendered = value(args.category) ?? 'khac';
    const category = (TICKET_CATEGORIES as readonly string[]).includes(rendered)
      ? (rendered as TicketCategory)
      : 'khac';
    const description = value(args.description) ?? '';
    const ticket = await ctx.services.tickets.create({
      category,
      description,
      company: value(args.company),
      khu_cong_nghiep: value(args.khu_cong_nghiep),
      contact: value(args.contact),
      photoUrl: value(args.photo),
      urgent: value(args.urgent) === 'true' || looksUrgent(description),
      channel: ctx.identity.channel,
      userId: ctx.identity.userId,
    });
    ctx.services.logger.info({ ticket: ticket.id, category, urgent: ticket.urgent }, 'ticket created');
    return { vars: { ticket_code: ticket.id } };
  },
};

/** Whether a worker's words describe danger happening now (then the flow shows 113, 114, 115 first). */
export const detectUrgency: ActionDefinition<{ text: string }> = {
  name: 'detect_urgency',
  description: 'Xem lời kể có dấu hiệu khẩn cấp (bạo lực, tai nạn, tội phạm đang xảy ra) không',
  args: z.object({ text: z.string() }).strict(),
  outcomes: ['urgent', 'normal'],
  async run(ctx, args) {
    return { outcome: looksUrgent(ctx.render(args.text)) ? 'urgent' : 'normal' };
  },
};

const CODE = /\bPA[A-Z0-9]{6}\b/;

/**
 * "tra cứu phản ánh PA7K2Q9X": the status of a ticket by its code. Anyone holding the code learns only
 * the status and dates, never what was reported.
 */
export const ticketStatus: ActionDefinition<{ text: string }> = {
  name: 'ticket_status',
  description: 'Tra cứu tình trạng một phản ánh theo mã trong câu (PAxxxxxx)',
  args: z.object({ text: z.string() }).strict(),
  outputs: ['ticket_code', 'ticket_status', 'ticket_category', 'ticket_created', 'ticket_updated'],
  outcomes: ['found', 'not_found', 'no_code'],
  async run(ctx, args) {
    const code = CODE.exec(ctx.render(args.text).toUpperCase())?.[0];
    if (!code) return { outcome: 'no_code' };
    const ticket = await ctx.services.tickets.get(code);
    if (!ticket) return { outcome: 'not_found', vars: { ticket_code: code } };
    const zone = ctx.services.officeHours.timeZone;
    const day = (iso: string) => localDate(new Date(iso), zone).split('-').reverse().join('/');
    return {
      outcome: 'found',
      vars: {
        ticket_code: code,
        ticket_status: STATUS_NAMES[ticket.status],
        ticket_category: CATEGORY_NAMES[ticket.category],
        ticket_created: day(ticket.createdAt),
        ticket_updated: day(ticket.updatedAt),
      },
    };
  },
};
