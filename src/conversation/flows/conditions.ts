import { commandKey } from '../../knowledge/normalize.js';
import type { Comparison, Condition } from './schema.js';

export interface ConditionFacts {
  vars: Record<string, unknown>;
  profile: Record<string, unknown>;
  channel: string;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** Equality the way an admin means it: 3 = "3", "An Nghiệp" = "an nghiep". */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (typeof a === 'string' && typeof b === 'string') return commandKey(a) === commandKey(b);
  return false;
}

function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

function compare(c: Comparison, facts: ConditionFacts): boolean {
  const value = c.var !== undefined ? facts.vars[c.var] : c.profile !== undefined ? facts.profile[c.profile] : facts.channel;
  if (c.exists !== undefined) return isPresent(value) === c.exists;
  if (c.eq !== undefined) return Array.isArray(value) ? value.some((v) => same(v, c.eq)) : same(value, c.eq);
  if (c.ne !== undefined) return !same(value, c.ne);
  if (c.in !== undefined) return c.in.some((x) => same(value, x));
  if (c.contains !== undefined) {
    if (Array.isArray(value)) return value.some((v) => same(v, c.contains));
    return typeof value === 'string' && ` ${commandKey(value)} `.includes(` ${commandKey(c.contains)} `);
  }
  const n = asNumber(value);
  if (n === undefined) return false;
  if (c.gt !== undefined) return n > c.gt;
  if (c.gte !== undefined) return n >= c.gte;
  if (c.lt !== undefined) return n < c.lt;
  if (c.lte !== undefined) return n <= c.lte;
  return false;
}

export function evaluate(condition: Condition, facts: ConditionFacts): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, facts));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, facts));
  if ('not' in condition) return !evaluate(condition.not, facts);
  return compare(condition, facts);
}
