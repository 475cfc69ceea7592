import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { zonedTimeToUtc } from '../platform/time.js';
import { PROFILE_ATTRIBUTES, type ProfileAttribute } from './profile.js';
import { attributeKey, type ConsentStatus, type SubscriberStore } from './subscribers.js';

/**
 * `npm run subscribers:import -- file.csv`: lists of workers a union already has (sign-up sheets, a
 * union branch's member list) become subscribers. A header row names the columns:
 *
 *   channel,user_id,display_name,name,phone,khu_cong_nghiep,company,union_branch,province,district,topics,consent,consent_at
 *
 * `channel` and `user_id` are required; an empty cell leaves what is stored as it is. `topics` is a list
 * separated by ";" (ids or words: "lua_dao; luong" or "lừa đảo; lương"). `consent` is opted_in / opted_out
 * (also yes/no, có/không, 1/0); `consent_at` is when the person agreed (ISO date or dd/mm/yyyy), by default
 * the import time. A row only changes what differs from the stored record, so importing a file twice
 * changes nothing the second time.
 */

export const IMPORT_CHANNELS = ['messenger', 'zalo-oa', 'zalo-personal', 'web'] as const;

const ATTRIBUTE_COLUMNS = Object.keys(PROFILE_ATTRIBUTES) as ProfileAttribute[];
const KNOWN_COLUMNS = new Set<string>([
  'channel',
  'user_id',
  'display_name',
  'topics',
  'consent',
  'consent_at',
  ...ATTRIBUTE_COLUMNS,
]);

const CONSENT_WORDS: Record<string, ConsentStatus> = {
  opted_in: 'opted_in',
  opted_out: 'opted_out',
  yes: 'opted_in',
  no: 'opted_out',
  co: 'opted_in',
  khong: 'opted_out',
  dong_y: 'opted_in',
  '1': 'opted_in',
  '0': 'opted_out',
};

// A column the file does not have and an empty cell both mean "leave as it is".
const optional = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

const rowSchema = z.object({
  channel: z.enum(IMPORT_CHANNELS, { error: `kênh phải là một trong: ${IMPORT_CHANNELS.join(', ')}` }),
  user_id: z
    .string()
    .trim()
    .min(1, 'thiếu user_id')
    .max(128, 'user_id quá dài')
    .regex(/^[^\s,;]+$/, 'user_id không được có dấu cách'),
  display_name: optional.pipe(z.string().max(200).optional()),
  name: optional.pipe(z.string().max(200).optional()),
  phone: optional.pipe(
    z
      .string()
      .regex(/^(\+?84|0)[0-9 .]{8,13}$/, 'số điện thoại không hợp lệ (ví dụ 0912345678)')
      .transform((v) => v.replace(/[ .]/g, ''))
      .optional(),
  ),
  khu_cong_nghiep: optional.pipe(z.string().max(200).optional()),
  company: optional.pipe(z.string().max(200).optional()),
  union_branch: optional.pipe(z.string().max(200).optional()),
  province: optional.pipe(z.string().max(100).optional()),
  district: optional.pipe(z.string().max(100).optional()),
  topics: optional.transform((v) =>
    v
      ?.split(/[;|]/)
      .map((t) => attributeKey(t))
      .filter(Boolean),
  ),
  consent: optional.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const status = CONSENT_WORDS[attributeKey(v)];
    if (!status)
      ctx.addIssue({ code: 'custom', message: `consent "${v}" không rõ: dùng opted_in hoặc opted_out` });
    return status;
  }),
  consent_at: optional.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const at = parseDate(v);
    if (!at)
      ctx.addIssue({
        code: 'custom',
        message: `consent_at "${v}" không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)`,
      });
    return at;
  }),
});

type Row = z.infer<typeof rowSchema>;

/** A date alone is midnight in Việt Nam (sign-up sheets carry dates, not times). */
function parseDate(text: string): string | undefined {
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : text;
  try {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? zonedTimeToUtc(`${iso}T00:00`, VIETNAM_TIME) : new Date(iso);
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
  } catch {
    return undefined;
  }
}

const VIETNAM_TIME = 'Asia/Ho_Chi_Minh';

export interface ImportError {
  line: number;
  message: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
}

export interface ImportOptions {
  /** Recorded as the consent source: "csv import:<name>". */
  sourceName: string;
  /** Validate only; write nothing. */
  dryRun?: boolean;
  /** Called after each row (progress). */
  onRow?: (report: ImportReport) => void;
}

/** Reads a CSV stream and applies each valid row; invalid rows are reported with their line number. */
export async function importSubscribers(
  input: Readable,
  store: SubscriberStore,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: [] };
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => checkHeader(header),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
      info: true,
    }),
  );
  const seen = new Map<string, number>();
  try {
    for await (const record of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const line = record.info.lines;
      report.rows += 1;
      const parsed = rowSchema.safeParse(record.record);
      if (!parsed.success) {
        const message = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'dòng'}: ${i.message}`)
          .join('; ');
        report.errors.push({ line, message });
        continue;
      }
      const key = `${parsed.data.channel}:${parsed.data.user_id}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        report.errors.push({ line, message: `trùng người với dòng ${earlier} (${key}); dòng này bị bỏ qua` });
        continue;
      }
      seen.set(key, line);
      const outcome = await applyRow(store, parsed.data, options);
      report[outcome] += 1;
      options.onRow?.(report);
    }
  } catch (err) {
    // A malformed file (an unclosed quote, a row with the wrong number of cells) stops at that line.
    const e = err as { lines?: number; message: string; code?: string };
    if (e instanceof HeaderError) throw e;
    report.errors.push({ line: e.lines ?? report.rows + 1, message: `tệp CSV lỗi: ${e.message}` });
  }
  return report;
}

export class HeaderError extends Error {
  override name = 'HeaderError';
}

function checkHeader(header: string[]): string[] {
  const columns = header.map((h) => h.trim().toLowerCase());
  const unknown = columns.filter((c) => !KNOWN_COLUMNS.has(c));
  if (unknown.length) {
    throw new HeaderError(
      `dòng 1: cột không biết: ${unknown.join(', ')}. Các cột dùng được: ${[...KNOWN_COLUMNS].join(', ')}`,
    );
  }
  for (const required of ['channel', 'user_id']) {
    if (!columns.includes(required)) throw new HeaderError(`dòng 1: thiếu cột ${required}`);
  }
  return columns;
}

/** Writes what differs from the stored record: created, updated or unchanged. */
async function applyRow(
  store: SubscriberStore,
  row: Row,
  options: ImportOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
  const { channel, user_id: userId } = row;
  const existing = await store.get(channel, userId);
  const attributes: Partial<Record<ProfileAttribute, string>> = {};
  for (const name of ATTRIBUTE_COLUMNS) {
    const value = row[name];
    if (value !== undefined && existing?.attributes[name] !== value) attributes[name] = value;
  }
  const topicsChanged = row.topics !== undefined && !sameSet(row.topics, existing?.topics ?? []);
  const consentChanged = row.consent !== undefined && existing?.consent?.status !== row.consent;
  const nameChanged = row.display_name !== undefined && existing?.displayName !== row.display_name;
  const changed = Object.keys(attributes).length > 0 || topicsChanged || consentChanged || nameChanged;
  if (!changed) return existing ? 'unchanged' : options.dryRun ? 'created' : await created(store, row);
  if (options.dryRun) return existing ? 'updated' : 'created';

  if (Object.keys(attributes).length) await store.setAttributes(channel, userId, attributes);
  if (topicsChanged) await store.setTopics(channel, userId, row.topics!);
  if (nameChanged) await store.setDisplayName(channel, userId, row.display_name!);
  if (consentChanged) {
    await store.setConsent(channel, userId, row.consent!, `csv import:${options.sourceName}`, row.consent_at);
  }
  return existing ? 'updated' : 'created';
}

async function created(store: SubscriberStore, row: Row): Promise<'created'> {
  await store.setAttributes(row.channel, row.user_id, {});
  return 'created';
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((v) => x.has(v));
}
