import type { z } from 'zod';
import type { OutMessage } from '../messages.js';
import type { TurnServices, TurnIdentity } from '../turn-context.js';

export interface ActionContext {
  identity: TurnIdentity;
  /** The flow running the action (recorded as the source of consent changes). */
  flowId: string;
  services: TurnServices;
  vars: Record<string, unknown>;
  profile: Record<string, unknown>;
  /** Renders a template against the current variables (actions receive raw args). */
  render(template: string): string;
}

export interface ActionResult {
  /** Picks the node's `on.<outcome>` target; other outcomes continue at `next`. */
  outcome?: string;
  /** Variables set for the rest of the flow. */
  vars?: Record<string, unknown>;
  /** Messages the action itself sends (rare: most text belongs in the flow file). */
  say?: OutMessage[];
}

/** A named built-in that flows call with `type: action`. */
export interface ActionDefinition<Args = unknown> {
  name: string;
  description: string;
  args: z.ZodType<Args>;
  /** Variables this action sets, so the flow check knows them. */
  outputs?: readonly string[];
  /** Outcomes it may return, so the flow check can reject typos in `on:`. */
  outcomes?: readonly string[];
  /** Extra variables named by the arguments (e.g. `set_var`'s `name`), for the flow check. */
  declaredVars?(args: Args): string[];
  run(ctx: ActionContext, args: Args): Promise<ActionResult>;
}

export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition<unknown>>();

  register<A>(definition: ActionDefinition<A>): this {
    if (this.actions.has(definition.name))
      throw new Error(`action "${definition.name}" is already registered`);
    this.actions.set(definition.name, definition as ActionDefinition<unknown>);
    return this;
  }

  get(name: string): ActionDefinition<unknown> | undefined {
    return this.actions.get(name);
  }

  names(): string[] {
    return [...this.actions.keys()].sort();
  }
}
