import type { ActionRegistry } from '../actions/registry.js';
import { checkFlows, resolveTarget } from './check.js';
import { formatFlowError, loadFlowDirectory, type FlowError, type LoadedFlow } from './load.js';
import type { FlowDefinition, FlowNode, GlobalIntent } from './schema.js';
import { TriggerIndex } from './triggers.js';

export interface Position {
  flow: string;
  node: string;
}

export class FlowSetError extends Error {
  override name = 'FlowSetError';
  constructor(readonly errors: FlowError[]) {
    super(`Luồng hội thoại có ${errors.length} lỗi:\n${errors.map((e) => `  ${formatFlowError(e)}`).join('\n')}`);
  }
}

/** A validated, immutable set of flows ready to run. Replaced as a whole on reload. */
export class FlowSet {
  readonly triggers: TriggerIndex;
  readonly fallback: FlowDefinition;
  private readonly flows: Map<string, FlowDefinition>;
  private readonly intents = new Map<GlobalIntent, Position>();
  /** Targets that flows offer as `goto` buttons: the only places a tapped payload may jump to. */
  private readonly offeredGotos = new Set<string>();

  private constructor(definitions: FlowDefinition[]) {
    this.flows = new Map(definitions.map((d) => [d.id, d]));
    this.triggers = new TriggerIndex(definitions);
    this.fallback = definitions.find((d) => d.fallback)!;
    for (const d of definitions) {
      for (const t of d.triggers) if (t.intent) this.intents.set(t.intent, { flow: d.id, node: t.start ?? d.start });
      for (const node of Object.values(d.nodes)) {
        const options = node.type === 'say' ? [...(node.quick_replies ?? []), ...(node.buttons ?? [])] : node.type === 'end' ? (node.quick_replies ?? []) : [];
        for (const o of options) {
          if ('goto' in o && o.goto) {
            const p = resolveTarget(d.id, o.goto);
            this.offeredGotos.add(`${p.flow}/${p.node}`);
          }
        }
      }
    }
  }

  /** Validates loaded flows; throws {@link FlowSetError} listing every problem. */
  static compile(loaded: LoadedFlow[], actions: ActionRegistry): FlowSet {
    const errors = checkFlows(loaded, actions);
    if (errors.length > 0) throw new FlowSetError(errors);
    return new FlowSet(loaded.map((f) => f.definition));
  }

  static async fromDirectory(dir: string, actions: ActionRegistry): Promise<FlowSet> {
    const { flows, errors } = await loadFlowDirectory(dir);
    // Cross-file checks would only repeat these as "unknown flow" noise, so parse errors come alone.
    if (errors.length > 0) throw new FlowSetError(errors);
    return FlowSet.compile(flows, actions);
  }

  get ids(): string[] {
    return [...this.flows.keys()];
  }

  flow(id: string): FlowDefinition | undefined {
    return this.flows.get(id);
  }

  node(p: Position): FlowNode | undefined {
    return this.flows.get(p.flow)?.nodes[p.node];
  }

  start(flowId: string): Position | undefined {
    const f = this.flows.get(flowId);
    return f && { flow: f.id, node: f.start };
  }

  intent(intent: GlobalIntent): Position {
    return this.intents.get(intent)!;
  }

  /** True for a node some flow offers as a button, so a payload jumping there is legitimate. */
  isOfferedGoto(p: Position): boolean {
    return this.offeredGotos.has(`${p.flow}/${p.node}`);
  }

  resolve(from: string, target: string): Position {
    return resolveTarget(from, target);
  }
}
