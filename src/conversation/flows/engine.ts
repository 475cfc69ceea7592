import type { Metrics } from '../../platform/metrics.js';
import type { ActionRegistry } from '../actions/registry.js';
import { selectableOptions, type Button, type OutMessage, type QuickReply } from '../messages.js';
import type { Session } from '../session.js';
import type { TurnIdentity, TurnServices } from '../turn-context.js';
import { commandKey } from '../../knowledge/normalize.js';
import { evaluate } from './conditions.js';
import type { FlowSet, Position } from './flow-set.js';
import { isSkip, validateInput } from './inputs.js';
import type { InputAttachment } from './inputs.js';
import type { AskNode, FlowButton, FlowOption } from './schema.js';
import { renderTemplate, type TemplateValues } from './template.js';
import type { TriggerMatch } from './triggers.js';

export interface EngineInput {
  text?: string;
  payload?: string;
  /** Pictures or files sent with the message (answers a `photo` question). */
  attachments?: InputAttachment[];
}

export interface EngineResult {
  messages: OutMessage[];
  session: Session;
}

/** Payload of a quick reply that jumps to a node (`goto:` in a flow file). */
const GOTO_PREFIX = 'GOTO:';
/** Payload of an answer to an `ask` choice, kept apart from trigger payloads. */
const ANSWER_PREFIX = 'ANS:';
const SKIP_PAYLOAD = `${ANSWER_PREFIX}__skip__`;
const MAX_STEPS = 100;
/** Built-in payloads of answer follow-ups: read a whole article, or answer from one leaflet section. */
const ARTICLE_PREFIX = 'ARTICLE:';
const ASK_PREFIX = 'ASK:';
/** A tapped option of a campaign poll: `POLL:<campaign>:<option>`. */
const POLL_PREFIX = 'POLL:';
const STAY = Symbol('stay');

export interface EngineOptions {
  timeZone: string;
  metrics?: Metrics;
}

/** Everything one turn needs; built by the bot for each incoming message. */
export interface TurnScope {
  identity: TurnIdentity;
  services: TurnServices;
  /** The worker's profile as flows see it (`profile.*`); actions update it in place. */
  profile: Record<string, unknown>;
}

/**
 * Runs flows: decides where an incoming message goes (global intent, the waiting question, a trigger, or
 * the fallback Q&A flow), then executes nodes until one waits for the worker or the flow ends.
 */
export class FlowEngine {
  constructor(
    private readonly flows: () => FlowSet,
    private readonly actions: ActionRegistry,
    private readonly options: EngineOptions,
  ) {}

  async run(input: EngineInput, previous: Session, scope: TurnScope): Promise<EngineResult> {
    const flows = this.flows();
    const session: Session = structuredClone(previous);
    session.turns += 1;
    session.lastActiveAt = scope.services.now().toISOString();
    const out: OutMessage[] = [];
    const text = input.text?.trim() || undefined;
    const values = (): TemplateValues => ({
      vars: session.vars,
      profile: scope.profile,
      input: { text, payload: input.payload },
      user: { id: scope.identity.userId, name: scope.identity.userName },
      channel: scope.identity.channel,
    });

    // A question waits only if its node still exists (flows may have been edited since).
    let waiting: AskNode | undefined;
    if (session.flow && session.node) {
      const node = flows.node({ flow: session.flow, node: session.node });
      if (node?.type === 'ask') waiting = node;
      else this.endFlow(session);
    }

    // A picture alone means something only to a question waiting for one; the bot says it reads text.
    if (!text && !input.payload && waiting?.input.type !== 'photo') return { messages: [], session: previous };

    const turn: TurnState = {};
    const routed = await this.route(flows, session, input, text, waiting, out, values, scope, turn);
    // STAY: the waiting question was asked again (or an article was shown); the worker's place does not change.
    if (routed !== STAY) {
      const waitingAt = await this.execute(flows, routed, session, scope, out, values, turn);
      if (!waitingAt) this.endFlow(session);
    }
    gatherQuickReplies(out);

    // Remember the choices of the last message that offered some, so "2" or a typed title picks one.
    const lastWithOptions = [...out].reverse().find((m) => selectableOptions(m).length > 0);
    session.offered = out.length === 0 ? session.offered : lastWithOptions ? selectableOptions(lastWithOptions) : [];
    return { messages: out, session };
  }

  /** Decides where this message enters the flows, or STAY when the waiting question was asked again. */
  private async route(
    flows: FlowSet,
    session: Session,
    input: EngineInput,
    text: string | undefined,
    waiting: AskNode | undefined,
    out: OutMessage[],
    values: () => TemplateValues,
    scope: TurnScope,
    turn: TurnState,
  ): Promise<Position | typeof STAY> {
    const now = scope.services.now();
    let payload = input.payload;
    if (payload?.startsWith(ARTICLE_PREFIX)) {
      out.push(articleMessage(scope, payload.slice(ARTICLE_PREFIX.length)));
      return STAY;
    }
    if (payload?.startsWith(POLL_PREFIX)) {
      const [campaignId = '', optionId = ''] = payload.slice(POLL_PREFIX.length).split(':');
      await scope.services.polls.record(campaignId, optionId, `${scope.identity.channel}:${scope.identity.userId}`);
      out.push({ text: 'Cảm ơn bạn đã trả lời! Ý kiến của bạn đã được ghi nhận.' });
      return STAY;
    }
    if (payload?.startsWith(ASK_PREFIX)) {
      turn.pinnedSection = payload.slice(ASK_PREFIX.length);
      return this.startAt(session, { flow: flows.fallback.id, node: flows.fallback.start }, 'related_question');
    }
    // A typed "2" or a typed title selects from the last offered options — unless a question waits: it
    // interprets the text itself (a "1" may be the answer to "how many hours?").
    if (!payload && text && !waiting) {
      payload = matchOffered(session.offered, text)?.payload;
    }

    if (payload?.startsWith(GOTO_PREFIX)) {
      // Only targets that some flow offers as a button: a hand-made payload cannot skip a consent question.
      const target = flows.resolve('', payload.slice(GOTO_PREFIX.length));
      if (flows.isOfferedGoto(target) && flows.node(target)) return this.startAt(session, target, 'goto');
    }
    if (payload && !payload.startsWith(ANSWER_PREFIX)) {
      const match = flows.triggers.byPayload(payload);
      if (match) return this.startTrigger(session, match);
    }
    if (text && !input.payload) {
      const interrupt = flows.triggers.byText(text, true);
      if (interrupt) return this.startTrigger(session, interrupt);
    }

    if (waiting && session.flow) {
      return this.answerQuestion(flows, session, waiting, { text, payload }, out, values, now);
    }

    if (text && !payload) {
      const match = flows.triggers.byText(text, false);
      if (match) return this.startTrigger(session, match);
      return this.startAt(session, { flow: flows.fallback.id, node: flows.fallback.start }, 'fallback');
    }
    // An unknown payload (a button from an old message): show the menu rather than guess.
    return this.startAt(session, flows.intent('menu'), 'stale_payload');
  }

  private answerQuestion(
    flows: FlowSet,
    session: Session,
    node: AskNode,
    input: EngineInput,
    out: OutMessage[],
    values: () => TemplateValues,
    now: Date,
  ): Position | typeof STAY {
    const flowId = session.flow!;
    const payload = input.payload?.startsWith(ANSWER_PREFIX) ? input.payload.slice(ANSWER_PREFIX.length) : undefined;
    // A tapped option an action offered (`options_var`) answers with its value, whatever the input type.
    if (payload !== undefined && dynamicOptions(node, session.vars).some((o) => o.value === payload)) {
      session.vars[node.var] = payload;
      session.retries = 0;
      return flows.resolve(flowId, node.next);
    }
    if (node.skippable && (input.payload === SKIP_PAYLOAD || (!payload && isSkip(input.text)))) {
      delete session.vars[node.var];
      session.retries = 0;
      return flows.resolve(flowId, node.on_skip ?? node.next);
    }
    const result = validateInput(
      node.input,
      { text: input.text, payload, attachments: input.attachments },
      now,
      this.options.timeZone,
    );
    if (result.ok) {
      session.vars[node.var] = result.value;
      session.retries = 0;
      return flows.resolve(flowId, result.choice?.next ?? node.next);
    }
    session.retries += 1;
    this.options.metrics?.flowEvents.inc({ event: 'ask_retry', flow: flowId });
    if (session.retries <= node.max_retries) {
      const reprompt = node.reprompt ? renderTemplate(node.reprompt, values()) : result.reason;
      out.push({ text: reprompt, quickReplies: askOptions(node, session.vars) });
      return STAY;
    }
    this.options.metrics?.flowEvents.inc({ event: 'ask_failed', flow: flowId });
    session.retries = 0;
    if (node.on_fail) return flows.resolve(flowId, node.on_fail);
    // Out of retries: the worker was probably asking something else; treat the text as a free question.
    this.endFlow(session);
    if (input.text) return { flow: flows.fallback.id, node: flows.fallback.start };
    return flows.intent('menu');
  }

  private startTrigger(session: Session, match: TriggerMatch): Position {
    this.options.metrics?.flowEvents.inc({ event: match.interrupt ? `intent_${match.intent ?? 'interrupt'}` : 'trigger', flow: match.flow });
    const position = this.startAt(session, { flow: match.flow, node: match.node }, match.via);
    // A payload prefix ("EVENT_K7M2Q9") hands the rest of the payload to the flow.
    if (match.var && match.arg !== undefined) session.vars[match.var] = match.arg;
    return position;
  }

  private startAt(session: Session, position: Position, why: string): Position {
    this.endFlow(session);
    this.options.metrics?.flowEvents.inc({ event: `start_${why}`, flow: position.flow });
    return position;
  }

  private endFlow(session: Session): void {
    session.flow = undefined;
    session.node = undefined;
    session.retries = 0;
    session.vars = {};
  }

  /** Runs nodes from `position` until one waits (returns its position) or the flow ends (undefined). */
  private async execute(
    flows: FlowSet,
    start: Position,
    session: Session,
    scope: TurnScope,
    out: OutMessage[],
    values: () => TemplateValues,
    turn: TurnState,
  ): Promise<Position | undefined> {
    let position: Position | undefined = start;
    for (let step = 0; position; step++) {
      if (step >= MAX_STEPS) throw new Error(`flow ${position.flow} ran ${MAX_STEPS} nodes without waiting`);
      const node = flows.node(position);
      if (!node) throw new Error(`flow node ${position.flow}/${position.node} does not exist`);
      session.flow = position.flow;
      session.node = position.node;
      const render = (t: string) => renderTemplate(t, values());
      const here: string = position.flow;
      const to = (target: string | undefined): Position | undefined => (target ? flows.resolve(here, target) : undefined);

      switch (node.type) {
        case 'say':
          out.push(...this.messages(node.text, render, node.quick_replies, node.buttons, here));
          position = to(node.next);
          break;
        case 'end':
          if (node.text) out.push(...this.messages(node.text, render, node.quick_replies, undefined, here));
          position = undefined;
          break;
        case 'ask':
          out.push(...this.messages(node.text, render, undefined, undefined, here));
          out[out.length - 1]!.quickReplies = askOptions(node, session.vars);
          session.retries = 0;
          return position;
        case 'branch': {
          const facts = { vars: session.vars, profile: scope.profile, channel: scope.identity.channel };
          position = to(node.cases.find((c) => evaluate(c.when, facts))?.next ?? node.else);
          break;
        }
        case 'answer': {
          const question = render(node.question).trim();
          if (!question) {
            position = to(node.on_unsure ?? node.next);
            break;
          }
          const { answerer, unanswered } = scope.services;
          const pinned = turn.pinnedSection ? answerer.section?.(turn.pinnedSection) : undefined;
          turn.pinnedSection = undefined;
          const result = pinned ?? (await answerer.ask(question, { topic: node.topic, at: scope.services.now() }));
          this.options.metrics?.answers.inc({ answered: String(result.answered), topic: node.topic ?? 'all' });
          session.vars.answered = result.answered;
          await scope.services.stats.recordAnswer(
            { question, topic: result.topic ?? node.topic, answered: result.answered },
            scope.services.now(),
          );
          if (!result.answered) {
            await unanswered.record({
              question,
              at: scope.services.now().toISOString(),
              channel: scope.identity.channel,
              topic: node.topic,
              confidence: result.confidence,
              sources: result.sources,
            });
          }
          // When unsure, a flow with its own `on_unsure` node says so in its words (and offers an officer).
          if (result.answered || !node.on_unsure) {
            out.push({
              text: result.answer,
              citations: result.citations.length ? result.citations : undefined,
              quickReplies: result.followUps?.length ? result.followUps : undefined,
            });
          }
          position = to(result.answered ? node.next : (node.on_unsure ?? node.next));
          break;
        }
        case 'action': {
          const action = this.actions.get(node.action);
          if (!action) throw new Error(`unknown action ${node.action}`);
          const args = action.args.parse(node.args);
          const result = await action.run(
            { identity: scope.identity, services: scope.services, flowId: here, vars: session.vars, profile: scope.profile, render },
            args,
          );
          Object.assign(session.vars, result.vars);
          if (result.say) out.push(...result.say);
          position = to((result.outcome && node.on?.[result.outcome]) || node.next);
          break;
        }
        case 'goto':
          position = to(node.target);
          break;
      }
    }
    return undefined;
  }

  private messages(
    text: string | string[],
    render: (t: string) => string,
    quickReplies: FlowOption[] | undefined,
    buttons: FlowButton[] | undefined,
    flow: string,
  ): OutMessage[] {
    const msgs: OutMessage[] = (Array.isArray(text) ? text : [text]).map((t) => ({ text: render(t) }));
    const last = msgs[msgs.length - 1]!;
    if (quickReplies) last.quickReplies = quickReplies.map((o) => toQuickReply(o, render, flow));
    if (buttons) {
      last.buttons = buttons.map((b): Button =>
        'url' in b ? { title: render(b.title), short: b.short, url: b.url } : toQuickReply(b, render, flow),
      );
    }
    return msgs;
  }
}

function toQuickReply(o: FlowOption, render: (t: string) => string, flow: string): QuickReply {
  const payload = o.payload ?? `${GOTO_PREFIX}${o.goto!.includes('/') ? o.goto : `${flow}/${o.goto}`}`;
  return { title: render(o.title), short: o.short, payload };
}

/** The options an action put in the ask node's `options_var`: `[{ title, short?, value, typed? }]`. */
function dynamicOptions(node: AskNode, vars: Record<string, unknown>): { title: string; short?: string; value: string; typed?: string }[] {
  const list = node.options_var ? vars[node.options_var] : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((o): o is { title: string; value: string } => typeof o?.title === 'string' && typeof o?.value === 'string');
}

function askOptions(node: AskNode, vars: Record<string, unknown>): QuickReply[] | undefined {
  const options: QuickReply[] =
    node.input.type === 'choice'
      ? node.input.choices.map((c) => ({ title: c.title, short: c.short, payload: `${ANSWER_PREFIX}${c.value}` }))
      : [];
  for (const o of dynamicOptions(node, vars)) {
    options.push({ title: o.title, short: o.short, payload: `${ANSWER_PREFIX}${o.value}`, ...(o.typed ? { typed: o.typed } : {}) });
  }
  if (node.skippable) options.push({ title: 'Bỏ qua', payload: SKIP_PAYLOAD, typed: 'bỏ qua' });
  return options.length > 0 ? options : undefined;
}

/** "2" picks the second offered option; a typed title (with or without diacritics) picks that option. */
export function matchOffered(offered: QuickReply[], text: string): QuickReply | undefined {
  const key = commandKey(text);
  if (/^\d{1,2}$/.test(key)) return offered[Number(key) - 1];
  return offered.find((o) => commandKey(o.title) === key || (o.short !== undefined && commandKey(o.short) === key));
}

interface TurnState {
  /** A tapped related question: answer from this leaflet section instead of searching. */
  pinnedSection?: string;
}

function articleMessage(scope: TurnScope, ref: string): OutMessage {
  const i = ref.lastIndexOf(':');
  const article = scope.services.answerer.article?.(ref.slice(0, i), ref.slice(i + 1));
  if (!article) return { text: 'Xin lỗi, mình không tìm thấy điều luật này trong tài liệu hiện có.' };
  const outdated = article.supersededBy
    ? `\n\nLưu ý: văn bản này đã được thay thế bởi văn bản số ${article.supersededBy}; quy định hiện hành có thể đã khác.`
    : '';
  return {
    text: `Điều ${article.article}. ${article.title} (${article.lawName})\n\n${article.text}${outdated}`,
    citations: [{ lawId: article.lawId, article: article.article }],
  };
}

/**
 * Most platforms show quick replies only under the last message, so options offered by earlier messages of
 * the same turn (an answer's "read the article" and related questions) move down to the last one that has
 * options, in order and without duplicates.
 */
export function gatherQuickReplies(out: OutMessage[]): void {
  const lastIndex = out.findLastIndex((m) => (m.quickReplies?.length ?? 0) > 0);
  if (lastIndex < 0) return;
  const gathered: QuickReply[] = [];
  out.forEach((m, i) => {
    if (i < lastIndex && m.quickReplies?.length) {
      gathered.push(...m.quickReplies);
      delete m.quickReplies;
    }
  });
  if (gathered.length === 0) return;
  const last = out[lastIndex]!;
  const seen = new Set<string>();
  last.quickReplies = [...gathered, ...(last.quickReplies ?? [])].filter((q) => !seen.has(q.payload) && seen.add(q.payload));
}
