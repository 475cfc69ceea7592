import { z } from 'zod';

/**
 * The shape of a `flows/*.yaml` file. Structural rules live here; rules that need the whole flow set
 * (targets, reachability, actions, variables) live in check.ts.
 */

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'chỉ dùng chữ thường không dấu, số và "_", bắt đầu bằng chữ');

/** `node` in the same flow or `flow/node` in another flow. */
export const targetSchema = z
  .string()
  .regex(/^([a-z][a-z0-9_]*\/)?[a-z][a-z0-9_]*$/, 'đích phải là "nút" hoặc "luồng/nút"');

const text = z.string().trim().min(1, 'không được để trống');
const texts = z.union([text, z.array(text).min(1)]);

const payload = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'payload viết HOA, số và "_" (ví dụ MENU_LAW)');
/** "EVENT_" matches the payloads "EVENT_<id>" of data-driven options (an event, a survey). */
const payloadPrefix = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*_$/, 'tiền tố payload viết HOA, số, kết thúc bằng "_" (ví dụ EVENT_)');

/** A quick reply: goes to a flow node, or sends a payload that a trigger handles. */
export const optionSchema = z
  .object({
    title: text.max(80),
    /** A shorter label for channels with tight title limits (Messenger: 20 characters). */
    short: text.max(20).optional(),
    payload: payload.optional(),
    goto: targetSchema.optional(),
  })
  .strict()
  .refine((o) => (o.payload === undefined) !== (o.goto === undefined), {
    message: 'mỗi lựa chọn cần đúng một trong hai: payload hoặc goto',
  });

export const buttonSchema = z.union([
  z.object({ title: text.max(80), short: text.max(20).optional(), url: z.url() }).strict(),
  optionSchema,
]);

const next = targetSchema.optional();

const sayNode = z
  .object({
    type: z.literal('say'),
    text: texts,
    quick_replies: z.array(optionSchema).min(1).optional(),
    buttons: z.array(buttonSchema).min(1).optional(),
    next,
  })
  .strict();

const choiceSchema = z
  .object({
    title: text.max(80),
    short: text.max(20).optional(),
    value: z.string().min(1),
    synonyms: z.array(text).optional(),
    next,
  })
  .strict();

const inputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choice'), choices: z.array(choiceSchema).min(1) }).strict(),
  z
    .object({
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('phone') }).strict(),
  /** A picture the worker sends (or a link to one typed in); the value is its URL. */
  z.object({ type: z.literal('photo') }).strict(),
  z
    .object({
      type: z.literal('date'),
      /** Refuse dates after today (a start date of work) or before today (an appointment). */
      past_only: z.boolean().optional(),
      future_only: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('text'),
      min_length: z.number().int().min(1).optional(),
      max_length: z.number().int().min(1).max(5000).optional(),
      pattern: z.string().optional(),
    })
    .strict(),
]);

const askNode = z
  .object({
    type: z.literal('ask'),
    text: texts,
    var: id,
    input: inputSchema,
    reprompt: text.optional(),
    max_retries: z.number().int().min(0).max(10).default(2),
    skippable: z.boolean().default(false),
    next: targetSchema,
    on_fail: next,
    on_skip: next,
    /**
     * Options an action put in this variable (`[{ title, value }]`), shown besides the node's own: for
     * questions that are data rather than flow text (a survey's). A tapped one answers with its value.
     */
    options_var: id.optional(),
  })
  .strict();

const subject = {
  var: id.optional(),
  profile: id.optional(),
  channel: z.literal(true).optional(),
};
const operators = {
  eq: z.union([z.string(), z.number(), z.boolean()]).optional(),
  ne: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z.array(z.union([z.string(), z.number()])).optional(),
  exists: z.boolean().optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  contains: z.string().optional(),
};
const subjectKeys = Object.keys(subject) as (keyof typeof subject)[];
const operatorKeys = Object.keys(operators) as (keyof typeof operators)[];

export type Comparison = { var?: string; profile?: string; channel?: true } & {
  [K in keyof typeof operators]?: z.infer<(typeof operators)[K]>;
};
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z
      .object({ ...subject, ...operators })
      .strict()
      .refine((c) => subjectKeys.filter((k) => c[k] !== undefined).length === 1, {
        message: 'điều kiện cần đúng một chủ thể: var, profile hoặc channel',
      })
      .refine((c) => operatorKeys.filter((k) => c[k] !== undefined).length === 1, {
        message: `điều kiện cần đúng một phép so sánh: ${operatorKeys.join(', ')}`,
      }),
  ]),
);

const branchNode = z
  .object({
    type: z.literal('branch'),
    cases: z.array(z.object({ when: conditionSchema, next: targetSchema }).strict()).min(1),
    else: targetSchema,
  })
  .strict();

const answerNode = z
  .object({
    type: z.literal('answer'),
    /** Template of the question; defaults to what the worker just typed. */
    question: text.default('{{input.text}}'),
    topic: id.optional(),
    next,
    on_unsure: next,
  })
  .strict();

const actionNode = z
  .object({
    type: z.literal('action'),
    action: id,
    args: z.record(z.string(), z.unknown()).default({}),
    next,
    /** Where to go for a given outcome of the action; other outcomes go to `next`. */
    on: z.record(id, targetSchema).optional(),
  })
  .strict();

const gotoNode = z.object({ type: z.literal('goto'), target: targetSchema }).strict();

const endNode = z
  .object({
    type: z.literal('end'),
    text: texts.optional(),
    quick_replies: z.array(optionSchema).min(1).optional(),
  })
  .strict();

export const nodeSchema = z.discriminatedUnion('type', [
  sayNode,
  askNode,
  branchNode,
  answerNode,
  actionNode,
  gotoNode,
  endNode,
]);

export const GLOBAL_INTENTS = ['menu', 'help', 'stop', 'human'] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

export const triggerSchema = z
  .object({
    /** The whole message, folded, equals one of these ("huy" matches "Hủy ạ"). */
    keywords: z.array(text).optional(),
    /** The message contains one of these as whole words ("tôi muốn gặp cán bộ"). */
    phrases: z.array(text).optional(),
    payloads: z.array(payload).optional(),
    /** Payloads starting with one of these ("EVENT_K7M2Q9"); the rest ("K7M2Q9") goes into `var`. */
    payload_prefixes: z.array(payloadPrefix).optional(),
    var: id.optional(),
    /** Interrupts any flow, even while a question waits for an answer. */
    interrupt: z.boolean().default(false),
    /** Declares that this trigger implements one of the global intents every deployment must have. */
    intent: z.enum(GLOBAL_INTENTS).optional(),
    /** Node to enter; the flow's `start` when absent. */
    start: id.optional(),
  })
  .strict()
  .refine(
    (t) =>
      (t.keywords?.length ?? 0) + (t.phrases?.length ?? 0) + (t.payloads?.length ?? 0) + (t.payload_prefixes?.length ?? 0) > 0,
    { message: 'trigger cần ít nhất một keywords, phrases, payloads hoặc payload_prefixes' },
  )
  .refine((t) => ((t.payload_prefixes?.length ?? 0) > 0) === (t.var !== undefined), {
    message: 'payload_prefixes cần var (biến nhận phần sau tiền tố); var chỉ dùng cùng payload_prefixes',
  });

export const flowSchema = z
  .object({
    id,
    title: text,
    description: z.string().optional(),
    /** The flow that receives free text no trigger claimed (knowledge Q&A). Exactly one flow sets it. */
    fallback: z.boolean().default(false),
    triggers: z.array(triggerSchema).default([]),
    /** Variables this flow reads that another flow or a trigger sets before entering it. */
    variables: z.array(id).default([]),
    start: id,
    nodes: z.record(id, nodeSchema).refine((n) => Object.keys(n).length > 0, 'luồng cần ít nhất một nút'),
  })
  .strict();

export type FlowDefinition = z.infer<typeof flowSchema>;
export type FlowNode = z.infer<typeof nodeSchema>;
export type SayNode = z.infer<typeof sayNode>;
export type AskNode = z.infer<typeof askNode>;
export type AnswerNode = z.infer<typeof answerNode>;
export type ActionNode = z.infer<typeof actionNode>;
export type InputSpec = z.infer<typeof inputSchema>;
export type Choice = z.infer<typeof choiceSchema>;
export type FlowOption = z.infer<typeof optionSchema>;
export type FlowButton = z.infer<typeof buttonSchema>;
export type Trigger = z.infer<typeof triggerSchema>;
