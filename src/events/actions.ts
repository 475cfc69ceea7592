import { z } from 'zod';
import { subscriberId } from '../broadcast/subscribers.js';
import type { ActionContext, ActionDefinition } from '../conversation/actions/registry.js';
import type { QuickReply } from '../conversation/messages.js';
import { eventCancelPayload, eventPayload, parseCode } from './payloads.js';
import { KIND_LABELS, type UnionEvent } from './store.js';
import { describeLocal, shortDate } from './time.js';

/** The flow passes the event id as a template (`"{{event_ref}}"`), so the flow check sees the variable. */
const eventArgs = z.object({ event: z.string().min(1) }).strict();

const me = (ctx: ActionContext) => subscriberId(ctx.identity.channel, ctx.identity.userId);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Labels fit most channels' 40 characters (the date is in the list above them), 20 for Messenger. */
function option(event: UnionEvent, payload: string, prefix = ''): QuickReply {
  const dated = `${prefix}${event.title} (${shortDate(event.startsAt)})`;
  return {
    title: dated.length <= 40 ? dated : clip(`${prefix}${event.title}`, 40),
    short: clip(`${prefix}${event.title}`, 20),
    payload,
  };
}

function seats(event: UnionEvent, taken: number): string {
  if (!event.capacity) return '';
  const left = Math.max(0, event.capacity - taken);
  return left > 0 ? `Còn ${left}/${event.capacity} chỗ.` : 'Đã đủ chỗ.';
}

function summary(event: UnionEvent, taken: number): string {
  return [
    `${KIND_LABELS[event.kind]}: ${event.title}`,
    `Thời gian: ${describeLocal(event.startsAt)}`,
    `Địa điểm: ${event.place}`,
    event.description,
    seats(event, taken),
  ]
    .filter(Boolean)
    .join('\n');
}

async function load(ctx: ActionContext, ref: string): Promise<UnionEvent | undefined> {
  const id = parseCode(ctx.render(ref));
  return id ? ctx.services.events.get(id) : undefined;
}

export const eventList: ActionDefinition<Record<string, never>> = {
  name: 'event_list',
  description: 'Liệt kê các lớp học, sự kiện sắp tới còn nhận đăng ký (mỗi mục một lựa chọn EVENT_<mã>)',
  args: z.object({}).strict(),
  outcomes: ['none', 'listed'],
  async run(ctx) {
    const events = await ctx.services.events.upcoming(10);
    if (events.length === 0) return { outcome: 'none' };
    const lines = events.map((e, i) => `${i + 1}. ${e.title} — ${describeLocal(e.startsAt)}, ${e.place}`);
    return {
      outcome: 'listed',
      say: [
        {
          text: `Các lớp học, sự kiện sắp tới của Công đoàn:\n${lines.join('\n')}`,
          quickReplies: events.map((e) => option(e, eventPayload(e.id))),
        },
      ],
    };
  },
};

export const eventPick: ActionDefinition<{ event: string; for: 'register' | 'cancel' }> = {
  name: 'event_pick',
  description:
    'Tìm sự kiện theo mã (từ payload EVENT_<mã>) và cho biết đăng ký được không (for: register) hoặc bạn đã đăng ký chưa (for: cancel)',
  args: eventArgs.extend({ for: z.enum(['register', 'cancel']).default('register') }).strict(),
  outputs: ['event_id', 'event_title', 'event_summary'],
  outcomes: [
    'not_found',
    'cancelled',
    'closed',
    'started',
    'full',
    'already',
    'registered',
    'not_registered',
  ],
  async run(ctx, args) {
    const event = await load(ctx, args.event);
    if (!event) return { outcome: 'not_found' };
    const store = ctx.services.events;
    const taken = await store.activeCount(event.id);
    const registered = await store.isRegistered(event.id, me(ctx));
    const vars = { event_id: event.id, event_title: event.title, event_summary: summary(event, taken) };
    if (args.for === 'cancel') return { outcome: registered ? 'registered' : 'not_registered', vars };
    if (event.status === 'cancelled') return { outcome: 'cancelled', vars };
    if (registered) return { outcome: 'already', vars };
    if (Date.parse(event.startsAtUtc) <= ctx.services.now().getTime()) return { outcome: 'started', vars };
    if (event.status !== 'open') return { outcome: 'closed', vars };
    if (event.capacity && taken >= event.capacity) return { outcome: 'full', vars };
    return { vars };
  },
};

export const eventRegister: ActionDefinition<{ event: string }> = {
  name: 'event_register',
  description:
    'Đăng ký người lao động vào sự kiện (giữ chỗ trong giới hạn sức chứa); đăng ký lại không tạo bản trùng',
  args: eventArgs,
  outputs: ['event_reminder'],
  outcomes: ['registered', 'already', 'full', 'closed', 'cancelled', 'started', 'not_found'],
  async run(ctx, args) {
    const event = await load(ctx, args.event);
    if (!event) return { outcome: 'not_found' };
    const { outcome } = await ctx.services.events.register(event.id, me(ctx), ctx.identity.userName);
    let reminder = '';
    if (event.reminder && Date.parse(event.reminder.fireAt) > ctx.services.now().getTime()) {
      reminder = ` Mình sẽ nhắn nhắc bạn vào ${describeLocal(event.reminder.fireAtLocal)}.`;
    }
    ctx.services.logger.info({ event: event.id, outcome }, 'event registration');
    return { outcome, vars: { event_reminder: reminder } };
  },
};

export const eventCancelRegistration: ActionDefinition<{ event: string }> = {
  name: 'event_cancel_registration',
  description: 'Hủy đăng ký sự kiện của người lao động (hủy lần nữa không sao)',
  args: eventArgs,
  outcomes: ['cancelled', 'not_registered'],
  async run(ctx, args) {
    const event = await load(ctx, args.event);
    if (!event) return { outcome: 'not_registered' };
    return { outcome: await ctx.services.events.cancelRegistration(event.id, me(ctx)) };
  },
};

export const eventMine: ActionDefinition<Record<string, never>> = {
  name: 'event_mine',
  description:
    'Liệt kê các sự kiện người lao động đã đăng ký và chưa diễn ra, mỗi mục một lựa chọn hủy (EVENTCANCEL_<mã>)',
  args: z.object({}).strict(),
  outcomes: ['none', 'listed'],
  async run(ctx) {
    const now = ctx.services.now().getTime();
    const events = (await ctx.services.events.registeredEvents(me(ctx))).filter(
      (e) => e.status !== 'cancelled' && Date.parse(e.startsAtUtc) > now,
    );
    if (events.length === 0) return { outcome: 'none' };
    const lines = events.map((e, i) => `${i + 1}. ${e.title} — ${describeLocal(e.startsAt)}, ${e.place}`);
    return {
      outcome: 'listed',
      say: [
        {
          text: `Bạn đã đăng ký:\n${lines.join('\n')}\nMuốn hủy lớp nào, bạn chọn lớp đó bên dưới.`,
          quickReplies: events.map((e) => option(e, eventCancelPayload(e.id), 'Hủy: ')),
        },
      ],
    };
  },
};

export const eventActions = [eventList, eventPick, eventRegister, eventCancelRegistration, eventMine];
