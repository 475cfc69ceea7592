import { z } from 'zod';

/**
 * What every benefit calculator shares: the result shape, the citation of the article each rule rests on,
 * Vietnamese money and number formatting, and input validation that answers in Vietnamese.
 *
 * The rule that cannot bend: every number a calculator applies is quoted, with its article, in the
 * calculator's `BASIS` list, and test/unit/calculators.test.ts checks each quote against the shipped text in
 * knowledge/laws/. Where the shipped law does not state a rule, the calculator says so (status
 * `not_covered`) and the chat offers a union officer instead of guessing.
 */

export type CalculatorId =
  | 'overtime'
  | 'annual_leave'
  | 'severance'
  | 'maternity'
  | 'unemployment'
  | 'social_insurance_lump_sum'
  | 'minimum_wage';

/** A law article (and clause when the rule sits in one clause), named as knowledge/laws/ names it. */
export interface LegalCitation {
  lawId: string;
  article: string;
  clause?: string;
}

/** One sentence of a shipped article that a calculator's rule or number rests on. */
export interface LegalBasis extends LegalCitation {
  /** Quoted exactly as it stands in the article text (checked by the unit test). */
  quote: string;
}

export const STANDARD_NOTE =
  'Đây là cách tính theo quy định chung; Công đoàn có thể kiểm tra trường hợp cụ thể của bạn — gõ "gặp cán bộ".';

/**
 * - `ok`: the figures are the result.
 * - `not_eligible`: the law's conditions are not met; `summary` says which one.
 * - `not_covered`: the shipped law does not state (all of) the rule; `summary` says what is missing and the
 *   chat offers an officer.
 */
export type CalculationStatus = 'ok' | 'not_eligible' | 'not_covered';

export interface CalculationResult<F extends object = object> {
  calculator: CalculatorId;
  status: CalculationStatus;
  /** The numbers, unrounded; money in đồng. */
  figures: F;
  /** The answer in a few short Vietnamese lines (money already formatted). */
  summary: string[];
  /** The rule in plain Vietnamese words. */
  rule: string;
  citations: LegalCitation[];
  /** Caveats: what the law leaves to the employer, to a decree not in the library, rounding … */
  notes: string[];
  /** {@link STANDARD_NOTE}. */
  note: string;
}

/** An input no real case can have (negative salary, 25 hours in a day, more than a legal maximum). */
export class CalculatorInputError extends Error {
  override name = 'CalculatorInputError';
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
  }
}

/** Parses `input` with `schema`; refusals become one {@link CalculatorInputError} with every reason. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = [...new Set(parsed.error.issues.map((i) => i.message))];
  throw new CalculatorInputError(problems);
}

/** "5.310.000 đồng" (rounded to the đồng). */
export function formatMoney(amount: number): string {
  return `${Math.round(amount).toLocaleString('vi-VN')} đồng`;
}

/** "5,83" — at most two decimals, Vietnamese decimal comma. */
export function formatNumber(value: number, maxDecimals = 2): string {
  return value.toLocaleString('vi-VN', { maximumFractionDigits: maxDecimals });
}

/** "150%" from 1.5. */
export function formatPercent(rate: number): string {
  return `${formatNumber(rate * 100)}%`;
}

/** Names workers recognise, as the knowledge engine writes them (src/knowledge/corpus.ts lawName). */
export const LAW_NAMES: Record<string, string> = {
  '45/2019/QH14': 'Bộ luật Lao động 2019',
  '145/2020/NĐ-CP': 'Nghị định 145/2020/NĐ-CP',
  '41/2024/QH15': 'Luật Bảo hiểm xã hội 2024',
  '74/2025/QH15': 'Luật Việc làm 2025',
  '293/2025/NĐ-CP': 'Nghị định 293/2025/NĐ-CP',
};

/**
 * A number the law writes in `basis.quote` ("150%", "08 giờ", "1/2 năm", "02 tháng"), as a number (1.5, 8,
 * 0.5, 2). Throws when the quote does not contain `written`, so a calculator cannot use a figure its quoted
 * sentence does not state. Words ("một nửa") need their value given.
 */
export function lawNumber(basis: LegalBasis, written: string, value?: number): number {
  if (!basis.quote.includes(written)) {
    throw new Error(`"${written}" is not in the quoted basis of Điều ${basis.article} ${basis.lawId}`);
  }
  if (value !== undefined) return value;
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:\/(\d+)|,(\d+))?\s*(%?)/.exec(written);
  if (!m) throw new Error(`cannot read a number from "${written}"`);
  const whole = m[1]!.replace(/\./g, '');
  let n = m[2] ? Number(whole) / Number(m[2]) : Number(`${whole}${m[3] ? `.${m[3]}` : ''}`);
  if (m[4]) n /= 100;
  return n;
}

/** The citations of the quoted basis, without repeats, in order. */
export function citationsOf(basis: readonly LegalCitation[]): LegalCitation[] {
  const seen = new Set<string>();
  const out: LegalCitation[] = [];
  for (const b of basis) {
    const c: LegalCitation = {
      lawId: b.lawId,
      article: b.article,
      ...(b.clause ? { clause: b.clause } : {}),
    };
    const key = `${c.lawId}|${c.article}|${c.clause ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  }
  return out;
}

export function result<F extends object>(
  fields: Omit<CalculationResult<F>, 'note' | 'notes'> & { notes?: string[] },
): CalculationResult<F> {
  return { ...fields, notes: fields.notes ?? [], note: STANDARD_NOTE };
}

// Zod building blocks with Vietnamese messages.

export function money(label: string): z.ZodNumber {
  return z
    .number({ message: `${label}: cần một số tiền.` })
    .finite({ message: `${label}: cần một số tiền.` })
    .positive({ message: `${label} phải lớn hơn 0 đồng.` })
    .max(10_000_000_000, { message: `${label} lớn quá mức hợp lý (trên 10 tỷ đồng), bạn kiểm tra lại nhé.` });
}

export function count(label: string, max: number, maxMessage?: string): z.ZodNumber {
  return z
    .number({ message: `${label}: cần một con số.` })
    .int({ message: `${label} phải là số nguyên.` })
    .min(0, { message: `${label} không thể là số âm.` })
    .max(max, { message: maxMessage ?? `${label} không quá ${max}.` });
}

export function hours(label: string, max = 24): z.ZodNumber {
  return z
    .number({ message: `${label}: cần số giờ.` })
    .finite({ message: `${label}: cần số giờ.` })
    .min(0, { message: `${label} không thể là số âm.` })
    .max(max, { message: `${label} không thể quá ${max} giờ trong một ngày.` });
}

/** A calendar date "YYYY-MM-DD" that exists. */
export const isoDate = z
  .string({ message: 'Ngày cần theo dạng năm-tháng-ngày.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày cần theo dạng năm-tháng-ngày.')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'Ngày này không có trên lịch.',
    },
  );

/** Whole months from `start` to `end`, both days counted ("2020-03-01" to "2025-08-31" = 66 months). */
export function monthsBetween(start: string, end: string): { months: number; extraDays: number } {
  const s = new Date(`${start}T00:00:00Z`);
  const e = new Date(`${end}T00:00:00Z`);
  e.setUTCDate(e.getUTCDate() + 1); // the end day is a working day too
  let months = (e.getUTCFullYear() - s.getUTCFullYear()) * 12 + (e.getUTCMonth() - s.getUTCMonth());
  let anchor = addMonths(s, months);
  if (anchor > e) {
    months -= 1;
    anchor = addMonths(s, months);
  }
  const extraDays = Math.round((e.getTime() - anchor.getTime()) / 86_400_000);
  return { months, extraDays };
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
