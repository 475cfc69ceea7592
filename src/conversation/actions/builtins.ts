import { z } from 'zod';
import { createTicket, detectUrgency, ticketStatus } from '../../tickets/actions.js';
import { scamCheck } from '../../scam/actions.js';
import {
  eventCancelRegistration,
  eventList,
  eventMine,
  eventPick,
  eventRegister,
} from '../../events/actions.js';
import { surveyAnswer, surveyFinish, surveyList, surveyNext, surveyStart } from '../../surveys/actions.js';
import { calculateAction, minimumWageLookupAction } from '../../calculators/actions.js';
import { PROFILE_ATTRIBUTES, type ProfileAttribute } from '../../broadcast/profile.js';
import { describeHours, describeNextOpening, isOpen } from '../../handoff/office-hours.js';
import { ActionRegistry, type ActionDefinition } from './registry.js';

const attributeName = z.enum(Object.keys(PROFILE_ATTRIBUTES) as [ProfileAttribute, ...ProfileAttribute[]]);
const topic = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const subscribe: ActionDefinition<{ topics?: string[]; source?: string }> = {
  name: 'subscribe',
  description: 'Ghi nhận đồng ý nhận tin (thời điểm, kênh, nguồn) và các chủ đề quan tâm',
  args: z.object({ topics: z.array(topic).optional(), source: z.string().optional() }).strict(),
  outcomes: ['subscribed', 'already_subscribed'],
  async run(ctx, args) {
    const { channel, userId } = ctx.identity;
    const previous = await ctx.services.subscribers.setConsent(
      channel,
      userId,
      'opted_in',
      args.source ?? `flow:${ctx.flowId}`,
    );
    ctx.profile.subscribed = true;
    if (args.topics?.length) {
      const topics = [...new Set([...((ctx.profile.topics as string[] | undefined) ?? []), ...args.topics])];
      await ctx.services.subscribers.setTopics(channel, userId, topics);
      ctx.profile.topics = topics;
    }
    return { outcome: previous === 'opted_in' ? 'already_subscribed' : 'subscribed' };
  },
};

export const unsubscribe: ActionDefinition<{ source?: string }> = {
  name: 'unsubscribe',
  description: 'Ghi nhận từ chối nhận tin; các tin đã xếp hàng cũng không được gửi',
  args: z.object({ source: z.string().optional() }).strict(),
  outcomes: ['unsubscribed', 'not_subscribed'],
  async run(ctx, args) {
    const { channel, userId } = ctx.identity;
    const previous = await ctx.services.subscribers.setConsent(
      channel,
      userId,
      'opted_out',
      args.source ?? `flow:${ctx.flowId}`,
    );
    ctx.profile.subscribed = false;
    return { outcome: previous === 'opted_in' ? 'unsubscribed' : 'not_subscribed' };
  },
};

export const handoff: ActionDefinition<{ reason?: string }> = {
  name: 'handoff',
  description: 'Chuyển cuộc trò chuyện cho cán bộ công đoàn (ghi vào hộp thư cán bộ)',
  args: z.object({ reason: z.string().optional() }).strict(),
  outputs: ['handoff_code', 'office_open', 'office_next', 'office_hours'],
  outcomes: ['requested', 'already_open'],
  async run(ctx, args) {
    const { channel, userId, conversationId, reference, userName } = ctx.identity;
    // A new request is announced to the officer inbox by the store's `onCreated` hook.
    const { request, created } = await ctx.services.handoffs.request({
      channel,
      userId,
      conversationId,
      reference,
      displayName: userName,
      reason: args.reason ? ctx.render(args.reason) : undefined,
    });
    const hours = ctx.services.officeHours;
    const now = ctx.services.now();
    ctx.services.logger.info({ handoff: request.id, channel, created }, 'handoff requested');
    return {
      outcome: created ? 'requested' : 'already_open',
      vars: {
        handoff_code: request.id,
        office_open: isOpen(hours, now),
        office_next: describeNextOpening(hours, now),
        office_hours: describeHours(hours),
      },
    };
  },
};

export const setAttribute: ActionDefinition<{ name: ProfileAttribute; value: string | null }> = {
  name: 'set_attribute',
  description: 'Lưu một thuộc tính hồ sơ (khu công nghiệp, công ty …); value là mẫu, null để xóa',
  args: z.object({ name: attributeName, value: z.string().nullable() }).strict(),
  async run(ctx, args) {
    const value = args.value === null ? null : ctx.render(args.value).trim();
    await ctx.services.subscribers.setAttributes(ctx.identity.channel, ctx.identity.userId, {
      [args.name]: value,
    });
    // Later nodes of this turn read the new value.
    if (value) ctx.profile[args.name] = value;
    else delete ctx.profile[args.name];
    return {};
  },
};

export const setVar: ActionDefinition<{ name: string; value: string | number | boolean | null }> = {
  name: 'set_var',
  description: 'Gán giá trị cho một biến của luồng (chuỗi là mẫu)',
  args: z
    .object({
      name: z.string().regex(/^[a-z][a-z0-9_]*$/),
      value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    })
    .strict(),
  declaredVars: (args) => [args.name],
  async run(ctx, args) {
    const value = typeof args.value === 'string' ? ctx.render(args.value) : args.value;
    return { vars: { [args.name]: value } };
  },
};

/** The registry every deployment starts with; later parts (tickets, calculators …) register more. */
export function builtinActions(): ActionRegistry {
  return new ActionRegistry()
    .register(subscribe)
    .register(unsubscribe)
    .register(handoff)
    .register(setAttribute)
    .register(setVar)
    .register(createTicket)
    .register(detectUrgency)
    .register(ticketStatus)
    .register(scamCheck)
    .register(eventList)
    .register(eventPick)
    .register(eventRegister)
    .register(eventCancelRegistration)
    .register(eventMine)
    .register(surveyList)
    .register(surveyStart)
    .register(surveyNext)
    .register(surveyAnswer)
    .register(surveyFinish)
    .register(calculateAction)
    .register(minimumWageLookupAction);
}
