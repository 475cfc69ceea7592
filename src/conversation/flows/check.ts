import { isReadableProfileField } from '../../broadcast/profile.js';
import { commandKey } from '../../knowledge/normalize.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { FlowError, LoadedFlow } from './load.js';
import { GLOBAL_INTENTS, type Condition, type FlowNode, type FlowOption } from './schema.js';
import { TemplateError, templateRefs } from './template.js';

/** A node address: `flow/node`. */
export type NodeAddress = `${string}/${string}`;

export function resolveTarget(currentFlow: string, target: string): { flow: string; node: string } {
  const slash = target.indexOf('/');
  return slash < 0 ? { flow: currentFlow, node: target } : { flow: target.slice(0, slash), node: target.slice(slash + 1) };
}

interface Edge {
  target: string;
  /** Followed without waiting for the worker (matters for endless-loop detection). */
  automatic: boolean;
  label: string;
}

function optionEdges(options: FlowOption[] | undefined, label: string): Edge[] {
  return (options ?? []).flatMap((o, i) => (o.goto ? [{ target: o.goto, automatic: false, label: `${label}[${i}]` }] : []));
}

export function nodeEdges(node: FlowNode): Edge[] {
  const auto = (target: string | undefined, label: string): Edge[] => (target ? [{ target, automatic: true, label }] : []);
  const input = (target: string | undefined, label: string): Edge[] => (target ? [{ target, automatic: false, label }] : []);
  switch (node.type) {
    case 'say':
      return [
        ...auto(node.next, 'next'),
        ...optionEdges(node.quick_replies, 'quick_replies'),
        ...optionEdges((node.buttons ?? []).filter((b): b is FlowOption => !('url' in b)), 'buttons'),
      ];
    case 'ask':
      return [
        ...input(node.next, 'next'),
        ...input(node.on_fail, 'on_fail'),
        ...input(node.on_skip, 'on_skip'),
        ...(node.input.type === 'choice' ? node.input.choices.flatMap((c, i) => input(c.next, `choices[${i}].next`)) : []),
      ];
    case 'branch':
      return [...node.cases.flatMap((c, i) => auto(c.next, `cases[${i}].next`)), ...auto(node.else, 'else')];
    case 'answer':
      return [...auto(node.next, 'next'), ...auto(node.on_unsure, 'on_unsure')];
    case 'action':
      return [...auto(node.next, 'next'), ...Object.entries(node.on ?? {}).flatMap(([k, t]) => auto(t, `on.${k}`))];
    case 'goto':
      return auto(node.target, 'target');
    case 'end':
      return optionEdges(node.quick_replies, 'quick_replies');
  }
}

function conditionSubjects(c: Condition, out: { vars: string[]; profile: string[] }): void {
  if ('all' in c) c.all.forEach((x) => conditionSubjects(x, out));
  else if ('any' in c) c.any.forEach((x) => conditionSubjects(x, out));
  else if ('not' in c) conditionSubjects(c.not, out);
  else {
    if (c.var) out.vars.push(c.var);
    if (c.profile) out.profile.push(c.profile);
  }
}

function nodeTemplates(node: FlowNode): string[] {
  const list = (t: string | string[] | undefined) => (t === undefined ? [] : Array.isArray(t) ? t : [t]);
  const titles = (o: { title: string }[] | undefined) => (o ?? []).map((x) => x.title);
  switch (node.type) {
    case 'say':
      return [...list(node.text), ...titles(node.quick_replies), ...titles(node.buttons)];
    case 'ask':
      return [...list(node.text), ...list(node.reprompt)];
    case 'answer':
      return [node.question];
    case 'action':
      return Object.values(node.args).filter((v): v is string => typeof v === 'string');
    case 'end':
      return [...list(node.text), ...titles(node.quick_replies)];
    default:
      return [];
  }
}

/**
 * Reference checks over the whole flow set: unknown targets and payloads, unreachable nodes, unknown
 * actions and arguments, unknown variables and profile fields, loops that never wait for the worker,
 * and the deployment-wide rules (one fallback flow; the global intents menu, help, stop and human).
 */
export function checkFlows(flows: LoadedFlow[], actions: ActionRegistry): FlowError[] {
  const errors: FlowError[] = [];
  const byId = new Map<string, LoadedFlow>();
  for (const f of flows) {
    const id = f.definition.id;
    const other = byId.get(id);
    if (other) errors.push({ file: f.file, flow: id, message: `id "${id}" trùng với luồng trong ${other.file}` });
    else byId.set(id, f);
  }

  const err = (f: LoadedFlow, node: string | undefined, message: string) =>
    errors.push({ file: f.file, flow: f.definition.id, node, line: node ? f.nodeLines.get(node) : undefined, message });

  const nodeExists = (flow: string, node: string) => Boolean(byId.get(flow)?.definition.nodes[node]);

  const payloads = new Set(flows.flatMap((f) => f.definition.triggers.flatMap((t) => t.payloads ?? [])));
  const prefixes = flows.flatMap((f) => f.definition.triggers.flatMap((t) => t.payload_prefixes ?? []));
  const handled = (p: string) => payloads.has(p) || prefixes.some((x) => p.length > x.length && p.startsWith(x));

  const checkTarget = (f: LoadedFlow, node: string | undefined, label: string, target: string) => {
    const r = resolveTarget(f.definition.id, target);
    if (!byId.has(r.flow)) err(f, node, `${label}: không có luồng "${r.flow}" (đích "${target}")`);
    else if (!nodeExists(r.flow, r.node)) err(f, node, `${label}: không có nút "${r.node}" trong luồng "${r.flow}"`);
  };

  for (const f of byId.values()) {
    const def = f.definition;
    if (!def.nodes[def.start]) err(f, undefined, `start: không có nút "${def.start}"`);
    def.triggers.forEach((t, i) => {
      if (t.start && !def.nodes[t.start]) err(f, undefined, `triggers[${i}].start: không có nút "${t.start}"`);
    });

    const defined = new Set(def.variables);
    for (const t of def.triggers) if (t.var) defined.add(t.var);
    for (const node of Object.values(def.nodes)) {
      if (node.type === 'ask') defined.add(node.var);
      if (node.type === 'action') {
        const action = actions.get(node.action);
        action?.outputs?.forEach((v) => defined.add(v));
        const parsed = action?.args.safeParse(node.args);
        if (action?.declaredVars && parsed?.success) action.declaredVars(parsed.data).forEach((v) => defined.add(v));
      }
    }

    for (const [name, node] of Object.entries(def.nodes)) {
      for (const edge of nodeEdges(node)) checkTarget(f, name, edge.label, edge.target);

      const options = node.type === 'say' ? [...(node.quick_replies ?? []), ...(node.buttons ?? [])] : node.type === 'end' ? (node.quick_replies ?? []) : [];
      for (const o of options) {
        if ('payload' in o && o.payload && !handled(o.payload)) {
          err(f, name, `payload "${o.payload}" (lựa chọn "${o.title}") không có trigger nào xử lý`);
        }
      }

      if (node.type === 'ask') checkAskInput(node, (m) => err(f, name, m));

      if (node.type === 'action') {
        const action = actions.get(node.action);
        if (!action) {
          err(f, name, `không có hành động "${node.action}" (có: ${actions.names().join(', ')})`);
        } else {
          const parsed = action.args.safeParse(node.args);
          if (!parsed.success) {
            err(f, name, `tham số của "${node.action}" sai: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`);
          }
          for (const outcome of Object.keys(node.on ?? {})) {
            if (!action.outcomes?.includes(outcome)) {
              err(f, name, `on.${outcome}: "${node.action}" không có kết quả này (có: ${(action.outcomes ?? []).join(', ') || 'không có'})`);
            }
          }
        }
      }

      const used = { vars: [] as string[], profile: [] as string[] };
      for (const template of nodeTemplates(node)) {
        try {
          for (const ref of templateRefs(template)) {
            if (ref.scope === 'var') used.vars.push(ref.name);
            if (ref.scope === 'profile') used.profile.push(ref.name);
          }
        } catch (e) {
          if (e instanceof TemplateError) err(f, name, e.message);
          else throw e;
        }
      }
      if (node.type === 'branch') node.cases.forEach((c) => conditionSubjects(c.when, used));
      if (node.type === 'ask' && node.options_var) used.vars.push(node.options_var);
      for (const v of new Set(used.vars)) {
        if (!defined.has(v)) err(f, name, `biến "${v}" chưa được gán trong luồng này (thêm vào "variables" nếu luồng khác gán nó)`);
      }
      for (const p of new Set(used.profile)) {
        if (!isReadableProfileField(p)) err(f, name, `hồ sơ không có trường "${p}"`);
      }
    }
  }

  checkTriggerClashes(byId, err);
  checkReachability(byId, err);
  checkEndlessLoops(byId, err);

  const fallbacks = [...byId.values()].filter((f) => f.definition.fallback);
  if (fallbacks.length !== 1) {
    errors.push({
      file: fallbacks[1]?.file ?? '(flows)',
      message: `cần đúng một luồng có "fallback: true" (nhận câu hỏi tự do), đang có ${fallbacks.length}`,
    });
  }
  for (const intent of GLOBAL_INTENTS) {
    const has = [...byId.values()].some((f) => f.definition.triggers.some((t) => t.intent === intent && t.interrupt));
    if (!has) errors.push({ file: '(flows)', message: `thiếu ý định chung "${intent}": cần một trigger có intent: ${intent} và interrupt: true` });
  }
  return errors;
}

function checkAskInput(node: Extract<FlowNode, { type: 'ask' }>, report: (m: string) => void): void {
  const input = node.input;
  if (input.type === 'choice') {
    const values = input.choices.map((c) => c.value);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) report(`lựa chọn trùng giá trị "${dup}"`);
  }
  if (input.type === 'number' && input.min !== undefined && input.max !== undefined && input.min > input.max) {
    report(`min (${input.min}) lớn hơn max (${input.max})`);
  }
  if (input.type === 'date' && input.past_only && input.future_only) report('không thể vừa past_only vừa future_only');
  if (input.type === 'text') {
    if (input.pattern) {
      try {
        new RegExp(input.pattern, 'u');
      } catch {
        report(`pattern không hợp lệ: ${input.pattern}`);
      }
    }
    if (input.min_length && input.max_length && input.min_length > input.max_length) report('min_length lớn hơn max_length');
  }
}

type Report = (f: LoadedFlow, node: string | undefined, message: string) => void;

/** The same keyword or payload in two triggers would make one of them silently dead. */
function checkTriggerClashes(byId: Map<string, LoadedFlow>, err: Report): void {
  const owners = new Map<string, string>();
  for (const f of byId.values()) {
    f.definition.triggers.forEach((t, i) => {
      const claims = [
        ...(t.payloads ?? []).map((p) => ['payload', p, p] as const),
        ...(t.keywords ?? []).map((k) => ['từ khóa', k, commandKey(k)] as const),
        ...(t.payload_prefixes ?? []).map((p) => ['tiền tố payload', p, p] as const),
      ];
      for (const [kind, shown, key] of claims) {
        const id = `${kind}:${key}`;
        const here = `${f.definition.id} (triggers[${i}])`;
        const owner = owners.get(id);
        if (owner) err(f, undefined, `${kind} "${shown}" đã dùng ở ${owner}`);
        else owners.set(id, here);
      }
    });
  }
}

function checkReachability(byId: Map<string, LoadedFlow>, err: Report): void {
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (flow: string, node: string) => {
    const key = `${flow}/${node}`;
    if (!seen.has(key) && byId.get(flow)?.definition.nodes[node]) {
      seen.add(key);
      queue.push(key);
    }
  };
  for (const f of byId.values()) {
    const def = f.definition;
    if (def.fallback || def.triggers.length > 0) {
      visit(def.id, def.start);
      def.triggers.forEach((t) => t.start && visit(def.id, t.start));
    }
  }
  while (queue.length > 0) {
    const key = queue.shift()!;
    const [flow, nodeName] = key.split('/') as [string, string];
    const node = byId.get(flow)!.definition.nodes[nodeName]!;
    for (const e of nodeEdges(node)) {
      const r = resolveTarget(flow, e.target);
      visit(r.flow, r.node);
    }
  }
  for (const f of byId.values()) {
    const names = Object.keys(f.definition.nodes);
    const unreachable = names.filter((n) => !seen.has(`${f.definition.id}/${n}`));
    if (unreachable.length === names.length) {
      err(f, undefined, 'luồng không có trigger và không nút nào dẫn tới nó (không thể tới được)');
    } else {
      for (const n of unreachable) err(f, n, 'không thể tới được nút này từ trigger hay nút nào');
    }
  }
}

/** A cycle of nodes that never waits for the worker would spin forever inside one turn. */
function checkEndlessLoops(byId: Map<string, LoadedFlow>, err: Report): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const dfs = (key: string, path: string[]): void => {
    state.set(key, 'visiting');
    const [flow, nodeName] = key.split('/') as [string, string];
    const node = byId.get(flow)?.definition.nodes[nodeName];
    for (const e of node ? nodeEdges(node).filter((x) => x.automatic) : []) {
      const r = resolveTarget(flow, e.target);
      const next = `${r.flow}/${r.node}`;
      if (!byId.get(r.flow)?.definition.nodes[r.node]) continue;
      if (state.get(next) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(next)), key, next];
        if (!reported.has(next)) {
          reported.add(next);
          const f = byId.get(r.flow)!;
          err(f, r.node, `vòng lặp không chờ người dùng trả lời: ${cycle.join(' → ')}`);
        }
      } else if (!state.has(next)) {
        dfs(next, [...path, key]);
      }
    }
    state.set(key, 'done');
  };
  for (const f of byId.values()) {
    for (const n of Object.keys(f.definition.nodes)) {
      const key = `${f.definition.id}/${n}`;
      if (!state.has(key)) dfs(key, []);
    }
  }
}
