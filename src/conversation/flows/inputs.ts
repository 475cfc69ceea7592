import { commandKey, fold, matchKey } from '../../knowledge/normalize.js';
import type { Choice, InputSpec } from './schema.js';

/**
 * Validation of what a worker types at an `ask` node. Each parser accepts the ways workers really write
 * (no diacritics, "5tr", "0912 345 678", "15/8") and explains a refusal in one short Vietnamese sentence.
 */
export type InputResult = { ok: true; value: unknown; choice?: Choice } | { ok: false; reason: string };

const MULTIPLIERS: Record<string, number> = {
  k: 1e3, nghin: 1e3, ngan: 1e3,
  tr: 1e6, trieu: 1e6, cu: 1e6,
  ty: 1e9, ti: 1e9,
};

/** "1.500.000", "1,5", "4,5 triệu", "300k", "8 tiếng" → number; undefined when it is not one number. */
export function parseVietnameseNumber(text: string): number | undefined {
  // "5tr3", "5 triệu 300", "5 triệu 310 nghìn": millions then thousands; a bare tail is the digits after the
  // comma, as people say it (5tr3 = 5,3 triệu, 5tr35 = 5,35 triệu).
  const compound = /^(\d+)\s*(?:tr|trieu|cu)\s*(\d{1,3})\s*(k|nghin|ngan)?\s*(?:d|dong|vnd)?$/u.exec(fold(text).trim());
  if (compound) {
    const [, millions = '', tail = '', thousandsUnit] = compound;
    return Number(millions) * 1e6 + Number(thousandsUnit ? tail : tail.padEnd(3, '0')) * 1e3;
  }
  const m = /^(-?\d[\d.,\s]*\d|-?\d)\s*([a-z]+)?(.*)$/u.exec(fold(text).trim());
  if (!m) return undefined;
  const [, digits = '', unit, rest = ''] = m;
  if (/\d/.test(rest)) return undefined;
  let raw = digits.replace(/\s+/g, '');
  if (/^-?\d{1,3}([.,]\d{3})+$/.test(raw) && !(unit && MULTIPLIERS[unit])) {
    raw = raw.replace(/[.,]/g, ''); // 1.500.000 or 1,500,000: thousands separators
  } else if (/^-?\d+,\d+$/.test(raw)) {
    raw = raw.replace(',', '.'); // Vietnamese decimal comma: 1,5
  } else if (!/^-?\d+(\.\d+)?$/.test(raw)) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  const factor = unit ? MULTIPLIERS[unit] : undefined;
  return factor ? Math.round(value * factor) : value;
}

/** Vietnamese phone numbers in the forms people type them; returns the national form "0912345678". */
export function parseVietnamesePhone(text: string): string | undefined {
  let digits = text.replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (/^84\d{9}$/.test(digits)) digits = `0${digits.slice(2)}`;
  if (/^0[35789]\d{8}$/.test(digits)) return digits; // mobile
  if (/^02\d{9}$/.test(digits)) return digits; // landline with area code
  return undefined;
}

function todayParts(now: Date, timeZone: string): { y: number; m: number; d: number } {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now)
    .split('-')
    .map(Number) as [number, number, number];
  return { y, m, d };
}

function iso(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** "15/8/2024", "15-08-24", "15/8", "2024-08-15", "hôm nay", "ngày mai" → "2024-08-15" (local calendar). */
export function parseVietnameseDate(text: string, now: Date, timeZone: string): string | undefined {
  const key = matchKey(text);
  const today = todayParts(now, timeZone);
  const relative: Record<string, number> = { 'hom nay': 0, 'ngay mai': 1, mai: 1, 'hom qua': -1, 'ngay kia': 2 };
  if (key in relative) {
    const date = new Date(Date.UTC(today.y, today.m - 1, today.d + relative[key]!));
    return date.toISOString().slice(0, 10);
  }
  const t = fold(text).trim().replace(/^ngay\s+/, '');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$/.exec(t) ?? /^(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?$/.exec(t);
  if (!m) return undefined;
  let year = m[3] ? Number(m[3]) : today.y;
  if (m[3]?.length === 2) year += 2000;
  return iso(year, Number(m[2]), Number(m[1]));
}

export function matchChoice(choices: Choice[], text: string | undefined, payload: string | undefined): Choice | undefined {
  if (payload) {
    const byPayload = choices.find((c) => c.value === payload);
    if (byPayload) return byPayload;
  }
  if (!text) return undefined;
  const key = commandKey(text);
  if (/^\d+$/.test(key)) return choices[Number(key) - 1];
  const exact = choices.find((c) =>
    [c.title, c.short, c.value, ...(c.synonyms ?? [])].some((s) => s !== undefined && commandKey(s) === key),
  );
  if (exact) return exact;
  // A worker who types the beginning of one title ("bao hiem") picks it when no other title shares it.
  if (key.length >= 3) {
    const partial = choices.filter((c) => commandKey(c.title).startsWith(key));
    if (partial.length === 1) return partial[0];
  }
  return undefined;
}

/** A file the worker sent with the message (a photo on Messenger or Zalo). */
export interface InputAttachment {
  contentType: string;
  url: string;
}

export function validateInput(
  spec: InputSpec,
  input: { text?: string; payload?: string; attachments?: InputAttachment[] },
  now: Date,
  timeZone: string,
): InputResult {
  const text = input.text?.trim() ?? '';
  switch (spec.type) {
    case 'choice': {
      const choice = matchChoice(spec.choices, text, input.payload);
      return choice
        ? { ok: true, value: choice.value, choice }
        : { ok: false, reason: `Bạn chọn một trong các mục bên dưới, hoặc gõ số từ 1 đến ${spec.choices.length} nhé.` };
    }
    case 'number': {
      const n = parseVietnameseNumber(text);
      if (n === undefined) return { ok: false, reason: 'Bạn gõ giúp mình một con số thôi nhé (ví dụ: 8 hoặc 5.000.000).' };
      if (spec.integer && !Number.isInteger(n)) return { ok: false, reason: 'Bạn gõ số nguyên giúp mình nhé.' };
      if (spec.min !== undefined && n < spec.min) return { ok: false, reason: `Số phải từ ${spec.min.toLocaleString('vi-VN')} trở lên.` };
      if (spec.max !== undefined && n > spec.max) return { ok: false, reason: `Số không được lớn hơn ${spec.max.toLocaleString('vi-VN')}.` };
      return { ok: true, value: n };
    }
    case 'photo': {
      const picture = input.attachments?.find((a) => a.contentType.startsWith('image'));
      if (picture) return { ok: true, value: picture.url };
      if (/^https?:\/\/\S+$/i.test(text)) return { ok: true, value: text };
      return { ok: false, reason: 'Bạn gửi một ảnh vào đây giúp mình, hoặc gõ "bỏ qua" nếu không có ảnh nhé.' };
    }
    case 'phone': {
      const phone = parseVietnamesePhone(text);
      return phone
        ? { ok: true, value: phone }
        : { ok: false, reason: 'Số điện thoại chưa đúng. Bạn gõ 10 số, ví dụ 0912 345 678.' };
    }
    case 'date': {
      const date = parseVietnameseDate(text, now, timeZone);
      if (!date) return { ok: false, reason: 'Ngày chưa đúng. Bạn gõ theo dạng ngày/tháng/năm, ví dụ 15/8/2024.' };
      const { y, m, d } = todayParts(now, timeZone);
      const today = iso(y, m, d)!;
      if (spec.past_only && date > today) return { ok: false, reason: 'Ngày này chưa tới. Bạn kiểm tra lại giúp mình nhé.' };
      if (spec.future_only && date < today) return { ok: false, reason: 'Ngày này đã qua. Bạn chọn một ngày từ hôm nay trở đi nhé.' };
      return { ok: true, value: date };
    }
    case 'text': {
      if (text.length === 0) return { ok: false, reason: 'Bạn gõ nội dung giúp mình nhé.' };
      if (spec.min_length && text.length < spec.min_length) return { ok: false, reason: `Bạn viết rõ hơn một chút (ít nhất ${spec.min_length} ký tự) nhé.` };
      if (spec.max_length && text.length > spec.max_length) return { ok: false, reason: `Nội dung dài quá, bạn viết gọn trong ${spec.max_length} ký tự nhé.` };
      if (spec.pattern && !new RegExp(spec.pattern, 'u').test(text)) return { ok: false, reason: 'Nội dung chưa đúng dạng yêu cầu.' };
      return { ok: true, value: text };
    }
  }
}

const SKIP_WORDS = new Set(['bo qua', 'skip', 'khong', 'ko', 'k', 'khong co', 'thoi', 'chua', 'de sau']);

export function isSkip(text: string | undefined): boolean {
  return text !== undefined && SKIP_WORDS.has(commandKey(text));
}
