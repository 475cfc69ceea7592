/**
 * Message templates: `{{ name }}` (a flow variable), `{{ profile.company }}`, `{{ input.text }}`,
 * `{{ user.name }}`, `{{ channel }}`, with an optional fallback: `{{ profile.name | "bạn" }}`.
 * Deliberately tiny: flows are edited by union admins, not programmers, and every reference is checked.
 */

export type TemplateScope = 'var' | 'profile' | 'input' | 'user' | 'channel';

export interface TemplateRef {
  scope: TemplateScope;
  name: string;
}

export interface TemplateValues {
  vars: Record<string, unknown>;
  profile: Record<string, unknown>;
  input: { text?: string; payload?: string };
  user: { id: string; name?: string };
  channel: string;
}

const PLACEHOLDER = /\{\{\s*([^}|]+?)\s*(?:\|\s*"([^"]*)"\s*)?\}\}/g;
const INPUT_FIELDS = new Set(['text', 'payload']);
const USER_FIELDS = new Set(['id', 'name']);

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function parseRef(expr: string): TemplateRef {
  const parts = expr.split('.');
  if (parts.some((p) => !/^[a-z_][a-z0-9_]*$/.test(p))) throw new TemplateError(`biến không hợp lệ "{{${expr}}}"`);
  const [head, field] = parts;
  if (parts.length === 1) return head === 'channel' ? { scope: 'channel', name: 'channel' } : { scope: 'var', name: head! };
  if (parts.length !== 2) throw new TemplateError(`biến không hợp lệ "{{${expr}}}"`);
  switch (head) {
    case 'profile':
      return { scope: 'profile', name: field! };
    case 'input':
      if (!INPUT_FIELDS.has(field!)) throw new TemplateError(`input chỉ có text, payload: "{{${expr}}}"`);
      return { scope: 'input', name: field! };
    case 'user':
      if (!USER_FIELDS.has(field!)) throw new TemplateError(`user chỉ có id, name: "{{${expr}}}"`);
      return { scope: 'user', name: field! };
    case 'vars':
      return { scope: 'var', name: field! };
    default:
      throw new TemplateError(`không biết "${head}" trong "{{${expr}}}" (dùng tên biến, profile.*, input.*, user.*)`);
  }
}

/** Every reference in a template; throws {@link TemplateError} on malformed placeholders. */
export function templateRefs(template: string): TemplateRef[] {
  const stripped = template.replace(PLACEHOLDER, '');
  if (stripped.includes('{{') || stripped.includes('}}')) {
    throw new TemplateError(`dấu {{ }} không khớp trong "${template}"`);
  }
  return [...template.matchAll(PLACEHOLDER)].map((m) => parseRef(m[1]!));
}

export function lookup(ref: TemplateRef, values: TemplateValues): unknown {
  switch (ref.scope) {
    case 'var':
      return values.vars[ref.name];
    case 'profile':
      return values.profile[ref.name];
    case 'input':
      return values.input[ref.name as 'text' | 'payload'];
    case 'user':
      return values.user[ref.name as 'id' | 'name'];
    case 'channel':
      return values.channel;
  }
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'boolean') return value ? 'có' : 'không';
  if (typeof value === 'number') return value.toLocaleString('vi-VN');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_m, expr: string, fallback: string | undefined) => {
    const text = formatValue(lookup(parseRef(expr), values));
    return text === '' ? (fallback ?? '') : text;
  });
}
