import { commandKey, matchKey } from '../../knowledge/normalize.js';
import type { FlowDefinition, GlobalIntent } from './schema.js';

/** Where a trigger leads. */
export interface TriggerMatch {
  flow: string;
  node: string;
  interrupt: boolean;
  intent?: GlobalIntent;
  /** What matched, for logs and metrics. */
  via: 'payload' | 'keyword' | 'phrase';
  /** A payload prefix matched: the flow variable that receives the rest of the payload, and that rest. */
  var?: string;
  arg?: string;
}

type Entry = Omit<TriggerMatch, 'via' | 'arg'>;

/**
 * Index of every flow's triggers. Keywords match the whole message after Vietnamese folding ("Hủy ạ" =
 * "huy"); phrases match whole words inside a message ("tôi muốn gặp cán bộ"); payloads match exactly.
 */
export class TriggerIndex {
  private readonly payloads = new Map<string, Entry>();
  private readonly keywords = new Map<string, Entry>();
  private readonly phrases: { key: string; entry: Entry }[] = [];
  private readonly prefixes: { prefix: string; entry: Entry }[] = [];

  constructor(flows: FlowDefinition[]) {
    for (const flow of flows) {
      for (const t of flow.triggers) {
        const entry: Entry = { flow: flow.id, node: t.start ?? flow.start, interrupt: t.interrupt, intent: t.intent };
        for (const p of t.payloads ?? []) this.payloads.set(p, entry);
        for (const k of t.keywords ?? []) this.keywords.set(commandKey(k), entry);
        for (const p of t.phrases ?? []) this.phrases.push({ key: matchKey(p), entry });
        for (const p of t.payload_prefixes ?? []) this.prefixes.push({ prefix: p, entry: { ...entry, var: t.var } });
      }
    }
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    // Longer phrases first, so "không nhận tin nữa" wins over "nhận tin".
    this.phrases.sort((a, b) => b.key.length - a.key.length);
  }

  /** An exact payload, else the longest matching prefix ("EVENT_K7M2Q9" → `var` = "K7M2Q9"). */
  byPayload(payload: string): TriggerMatch | undefined {
    const e = this.payloads.get(payload);
    if (e) return { ...e, via: 'payload' };
    const p = this.prefixes.find((x) => payload.length > x.prefix.length && payload.startsWith(x.prefix));
    return p && { ...p.entry, via: 'payload', arg: payload.slice(p.prefix.length) };
  }

  /** Matches typed text; with `interruptOnly`, only triggers allowed to interrupt a flow. */
  byText(text: string, interruptOnly: boolean): TriggerMatch | undefined {
    const key = commandKey(text);
    if (!key) return undefined;
    const k = this.keywords.get(key);
    if (k && (!interruptOnly || k.interrupt)) return { ...k, via: 'keyword' };
    const padded = ` ${matchKey(text)} `;
    for (const { key: phrase, entry } of this.phrases) {
      if ((!interruptOnly || entry.interrupt) && padded.includes(` ${phrase} `)) return { ...entry, via: 'phrase' };
    }
    return undefined;
  }
}
