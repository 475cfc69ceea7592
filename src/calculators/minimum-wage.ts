import { z } from 'zod';
import { lowerNfc, matchKey, words } from '../knowledge/normalize.js';
import { normalizeTonePlacement } from '../knowledge/text/analyzer.js';
import { citationsOf, formatMoney, result, type CalculationResult, type LegalBasis } from './common.js';

/**
 * Regional minimum wage (Nghị định 293/2025/NĐ-CP Điều 3) looked up by province and phường, xã or đặc khu,
 * from the data file knowledge/data/minimum-wage.json that admins keep current. The amounts come from the
 * table of Điều 3 khoản 1; the list of places is the decree's appendix (Phụ lục, khoản 2 Điều 3).
 */

const ND293 = '293/2025/NĐ-CP';

export const MINIMUM_WAGE_BASIS = {
  table: {
    lawId: ND293,
    article: '3',
    clause: '1',
    quote:
      'Quy định mức lương tối thiểu tháng và mức lương tối thiểu giờ đối với người lao động làm việc cho người sử dụng lao động theo vùng như sau',
  },
  appendix: {
    lawId: ND293,
    article: '3',
    clause: '2',
    quote:
      'Danh mục địa bàn vùng I, vùng II, vùng III, vùng IV được quy định tại Phụ lục ban hành kèm theo Nghị định này.',
  },
  employerPlace: {
    lawId: ND293,
    article: '3',
    clause: '3',
    quote:
      'Người sử dụng lao động hoạt động trên địa bàn thuộc vùng nào thì áp dụng mức lương tối thiểu quy định đối với địa bàn đó.',
  },
  industrialZone: {
    lawId: ND293,
    article: '3',
    clause: '3',
    quote:
      'Người sử dụng lao động hoạt động trong khu công nghiệp, khu chế xuất, khu công nghệ cao, khu công nghệ số tập trung nằm trên các địa bàn có mức lương tối thiểu khác nhau thì áp dụng theo địa bàn có mức lương tối thiểu cao nhất.',
  },
  effective: {
    lawId: ND293,
    article: '5',
    clause: '1',
    quote: 'Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2026.',
  },
  monthlyFloor: {
    lawId: ND293,
    article: '4',
    clause: '1',
    quote:
      'bảo đảm mức lương theo công việc hoặc chức danh của người lao động làm việc đủ thời giờ làm việc bình thường trong tháng và hoàn thành định mức lao động hoặc công việc đã thỏa thuận không được thấp hơn mức lương tối thiểu tháng',
  },
  keepOldLevel: {
    lawId: ND293,
    article: '5',
    clause: '5',
    quote:
      'người sử dụng lao động phải tiếp tục thực hiện mức lương tối thiểu tại thời điểm ngày 31 tháng 12 năm 2025 đối với những người lao động được tuyển dụng từ ngày 31 tháng 12 năm 2025 trở về trước cho đến khi Chính phủ có quy định mới',
  },
} satisfies Record<string, LegalBasis>;

export const REGIONS = ['I', 'II', 'III', 'IV'] as const;
export type Region = (typeof REGIONS)[number];

const region = z.enum(REGIONS, { message: 'vùng phải là I, II, III hoặc IV' });
const amount = z
  .number({ message: 'cần số tiền (đồng)' })
  .int({ message: 'số tiền là số nguyên đồng' })
  .positive({ message: 'số tiền phải lớn hơn 0' });
const text = z.string({ message: 'cần chữ' }).trim().min(1, { message: 'không được để trống' });

const provinceSchema = z
  .object({
    /** Item number in the appendix. */
    item: z.string().optional(),
    /** As the appendix names it: "Thành phố Hồ Chí Minh", "Tỉnh Bắc Ninh". */
    province: text,
    /** Short forms workers type ("TP HCM"); not law content. */
    aliases: z.array(text).optional(),
    /** The region of "các xã, phường còn lại". */
    remaining_region: region,
    remaining_text: text.optional(),
    /** The appendix item for this province, word for word. */
    appendix_text: text.optional(),
  })
  .strict();

const localitySchema = z
  .object({
    province: text,
    /** As the appendix lists it, with its kind: "phường Dĩ An", "xã Củ Chi", "đặc khu Côn Đảo". */
    area: text.regex(/^(phường|xã|đặc khu) \S/u, {
      message: 'bắt đầu bằng "phường ", "xã " hoặc "đặc khu " rồi tới tên',
    }),
    region,
  })
  .strict();

export const minimumWageFileSchema = z
  .object({
    legal_source: text,
    article: text,
    effective: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'ngày hiệu lực theo dạng năm-tháng-ngày (2026-01-01)' }),
    source_note: text,
    regions: z
      .object({
        I: z.object({ monthly: amount, hourly: amount }).strict(),
        II: z.object({ monthly: amount, hourly: amount }).strict(),
        III: z.object({ monthly: amount, hourly: amount }).strict(),
        IV: z.object({ monthly: amount, hourly: amount }).strict(),
      })
      .strict(),
    provinces: z.array(provinceSchema).min(1, { message: 'cần ít nhất một tỉnh, thành phố' }),
    localities: z.array(localitySchema),
    /** Provinces of the appendix this file does not list (the lookup then offers an officer). */
    missing_provinces: z.array(text).default([]),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const add = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const names = new Map<string, number>();
    doc.provinces.forEach((p, i) => {
      const key = matchKey(p.province);
      if (names.has(key))
        add(['provinces', i, 'province'], `"${p.province}" đã có ở provinces[${names.get(key)}]`);
      else names.set(key, i);
    });
    doc.missing_provinces.forEach((p, i) => {
      if (names.has(matchKey(p)))
        add(['missing_provinces', i], `"${p}" vừa có trong provinces vừa ghi là còn thiếu`);
    });
    const seen = new Map<string, number>();
    doc.localities.forEach((l, i) => {
      const pi = names.get(matchKey(l.province));
      if (pi === undefined) {
        add(['localities', i, 'province'], `tỉnh, thành phố "${l.province}" không có trong provinces`);
        return;
      }
      const key = `${matchKey(l.province)}|${accentKey(l.area)}`;
      if (seen.has(key)) add(['localities', i, 'area'], `"${l.area}" đã có ở localities[${seen.get(key)}]`);
      else seen.set(key, i);
      const source = doc.provinces[pi]!.appendix_text;
      if (source && !source.includes(areaName(l.area))) {
        add(
          ['localities', i, 'area'],
          `tên "${areaName(l.area)}" không có trong appendix_text của ${l.province}`,
        );
      } else if (source) {
        // The appendix names each place on the line of its region: "- Vùng II, gồm các phường …".
        const line = source.split('\n').find((x) => x.startsWith(`- Vùng ${l.region},`));
        if (!line?.includes(areaName(l.area))) {
          add(
            ['localities', i, 'region'],
            `appendix_text của ${l.province} không ghi "${areaName(l.area)}" ở dòng vùng ${l.region}`,
          );
        }
      }
    });
  });

export type MinimumWageData = z.output<typeof minimumWageFileSchema>;
export type Locality = MinimumWageData['localities'][number];
export type ProvinceEntry = MinimumWageData['provinces'][number];

/** A data file that does not pass validation; every problem names the entry ("localities[12] (…)"). */
export class MinimumWageDataError extends Error {
  override name = 'MinimumWageDataError';
  constructor(readonly problems: string[]) {
    super(`Tệp lương tối thiểu vùng chưa hợp lệ: ${problems.join('; ')}`);
  }
}

/** Validates a data file; throws {@link MinimumWageDataError} naming each bad entry. */
export function parseMinimumWageFile(raw: unknown): MinimumWageData {
  const parsed = minimumWageFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`);
  throw new MinimumWageDataError(problems);
}

function describePath(raw: unknown, path: PropertyKey[]): string {
  const where = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
  const [list, index] = path;
  if ((list === 'localities' || list === 'provinces') && typeof index === 'number') {
    const entry = (raw as Record<string, unknown[]> | undefined)?.[list]?.[index] as
      Record<string, unknown> | undefined;
    const label = [entry?.area, entry?.province].filter((x) => typeof x === 'string').join(', ');
    if (label) return `${where} (${label})`;
  }
  return where || '(tệp)';
}

/** "phường Dĩ An" → "Dĩ An". */
export function areaName(area: string): string {
  return area.replace(/^(phường|xã|đặc khu) /u, '');
}

/** Lowercase, one tone placement, words only: "Hoà Bình" and "hòa bình" → "hòa bình". */
function accentKey(s: string): string {
  return words(lowerNfc(s)).map(normalizeTonePlacement).join(' ');
}

const PROVINCE_PREFIX = /^(tinh|thanh pho|tp)\s+/;
const KIND_WORDS: Record<string, string> = {
  phuong: 'phường',
  p: 'phường',
  xa: 'xã',
  x: 'xã',
  'dac khu': 'đặc khu',
};
/** Units that no longer exist after the 2025 reorganisation (quận, huyện, thị xã, thị trấn, old city). */
const OLD_UNIT = /^(quan|q|huyen|h|thi xa|tx|thi tran|tt|thanh pho|tp)(\s+|(?=\d))/;

function provinceKeys(p: ProvinceEntry): string[] {
  const core = matchKey(p.province).replace(PROVINCE_PREFIX, '');
  return [...new Set([matchKey(p.province), core, ...(p.aliases ?? []).map(matchKey)])].filter(Boolean);
}

/** A place as the worker typed it, matched against the appendix. */
export type LookupOutcome =
  /** The region is known; `result` carries the figures and the citations. */
  | { kind: 'found'; province: string; result: CalculationResult<MinimumWageFigures> }
  /** A province without a phường or xã: ask for it. */
  | { kind: 'need_area'; province: string; message: string }
  /** The name exists in several places with different regions: ask again with the province or the kind. */
  | { kind: 'ambiguous'; province?: string; message: string }
  /** A quận, huyện or thị xã: the decree lists the new phường and xã. */
  | { kind: 'old_unit'; province?: string; message: string }
  | { kind: 'not_found'; province?: string; message: string }
  /** The file does not have this province (see `missing_provinces`). */
  | { kind: 'not_covered'; province: string; message: string };

export interface MinimumWageFigures {
  province: string;
  /** The phường, xã or đặc khu as the appendix names it; undefined for "các xã, phường còn lại". */
  area?: string;
  /** What the worker typed for the area when it fell under "còn lại". */
  typedArea?: string;
  region: Region;
  monthly: number;
  hourly: number;
  /** The area is not named in the appendix and falls under "các xã, phường còn lại". */
  remaining: boolean;
}

/**
 * Finds the region of a place. `text` may hold the province, the phường or xã, or both ("phường Dĩ An, TP
 * HCM", "yen phong bac ninh"); `province` is the province already known from an earlier question.
 */
export function lookupMinimumWage(
  data: MinimumWageData,
  input: { text: string; province?: string },
): LookupOutcome {
  let typed = tokens(input.text);
  let province = input.province ? findProvince(data, input.province) : undefined;
  const mention = provinceMention(data, typed);
  if (mention) {
    province = mention.province;
    typed = mention.rest;
  }
  if (!province) {
    const words = ` ${matchKey(`${input.province ?? ''} ${input.text}`)} `;
    const missing = data.missing_provinces.find((m) =>
      words.includes(` ${matchKey(m).replace(PROVINCE_PREFIX, '')} `),
    );
    if (missing) {
      return {
        kind: 'not_covered',
        province: missing,
        message: `Danh mục địa bàn của ${missing} chưa có trong dữ liệu của mình nên mình chưa tra được vùng ở đó. Cán bộ công đoàn có thể tra giúp bạn — gõ "gặp cán bộ".`,
      };
    }
  }
  const key = typed.folded.join(' ');
  if (province && key === '') {
    return { kind: 'need_area', province: province.province, message: areaQuestion(data, province) };
  }
  if (key === '') return { kind: 'not_found', message: notFound('') };

  const old = OLD_UNIT.exec(key);
  if (old || /^((phuong|p|xa|x)\s*)?\d+$/.test(key)) {
    const name = old ? key.slice(old[0].length).trim() : '';
    const same = name ? localitiesIn(data, province).filter((l) => matchKey(areaName(l.area)) === name) : [];
    const hint = same.length
      ? ` Phụ lục có ${same.map((l) => `${l.area} (${shortProvince(l.province)}, vùng ${l.region})`).join('; ')}; nếu công ty bạn ở đó thì gõ đúng tên đó.`
      : '';
    return {
      kind: 'old_unit',
      province: province?.province,
      message: `Từ năm 2025 không còn quận, huyện và phường đánh số; danh mục lương tối thiểu vùng năm 2026 ghi theo phường, xã, đặc khu mới.${hint} Bạn gõ tên phường hoặc xã mới nơi công ty hoạt động (ví dụ: phường Dĩ An).`,
    };
  }

  const kindLength =
    typed.folded[0] && ['phuong', 'p', 'xa', 'x'].includes(typed.folded[0])
      ? 1
      : key.startsWith('dac khu ')
        ? 2
        : 0;
  const kind = kindLength ? KIND_WORDS[typed.folded.slice(0, kindLength).join(' ')] : undefined;
  const name = typed.folded.slice(kindLength).join(' ');
  const accentedName = typed.accented.slice(kindLength).join(' ');
  let candidates = localitiesIn(data, province).filter(
    (l) => matchKey(areaName(l.area)) === name && (!kind || l.area.startsWith(`${kind} `)),
  );
  // Typed with diacritics: keep the exact spelling ("Thạnh An" is not "Thanh An").
  if (accentedName !== name) {
    const exact = candidates.filter((l) => accentKey(areaName(l.area)) === accentedName);
    if (exact.length > 0) candidates = exact;
  }

  if (candidates.length > 0) {
    const provinces = new Set(candidates.map((l) => l.province));
    const regions = new Set(candidates.map((l) => l.region));
    if (provinces.size === 1 && regions.size === 1) {
      const l = candidates[0]!;
      const place = { province: l.province, area: l.area, region: l.region };
      return { kind: 'found', province: l.province, result: regionResult(data, place, !province) };
    }
    const list = candidates
      .map((l) => `${l.area} (${shortProvince(l.province)}, vùng ${l.region})`)
      .join('; ');
    const how = provinces.size === 1 ? 'gõ đúng dấu hoặc ghi rõ phường hay xã' : 'gõ kèm tên tỉnh, thành phố';
    return {
      kind: 'ambiguous',
      province: province?.province,
      message: `Tên này có ở nhiều nơi: ${list}. Bạn ${how} nhé, ví dụ: "${candidates[0]!.area}, ${shortProvince(candidates[0]!.province)}".`,
    };
  }

  if (!province) return { kind: 'not_found', message: notFound(input.text) };
  // Not named in the appendix: "các xã, phường còn lại" — unless it is a typo of a named one.
  const similar = localitiesIn(data, province)
    .filter((l) => nearlyEqual(matchKey(areaName(l.area)), name))
    .slice(0, 3);
  // As a place name is written: the kind in lower case, each word of the name capitalised.
  const shown = typed.accented
    .map((w, i) => (i < kindLength ? (KIND_WORDS[w] ?? w) : capitalise(w)))
    .join(' ');
  const rest = province.remaining_region;
  const res = regionResult(data, { province: province.province, region: rest, typedArea: shown }, false);
  res.summary[0] = `"${shown}" không có trong danh sách các phường, xã được kể tên của ${province.province} nên thuộc "${province.remaining_text ?? 'các xã, phường còn lại'}": vùng ${rest}, lương tối thiểu ${formatMoney(data.regions[rest].monthly)}/tháng, ${formatMoney(data.regions[rest].hourly)}/giờ.`;
  res.notes.unshift(
    'Kết quả này đúng nếu bạn gõ đúng tên phường, xã mới (sau sắp xếp năm 2025). Nếu không chắc, gõ "gặp cán bộ".',
  );
  if (similar.length) {
    res.notes.unshift(
      `Có phải ý bạn là ${similar.map((l) => `${l.area} (vùng ${l.region})`).join(' hoặc ')}? Nếu vậy, bạn gõ lại đúng tên đó.`,
    );
  }
  return { kind: 'found', province: province.province, result: res };
}

function notFound(typed: string): string {
  const what = typed.trim() ? `"${typed.trim()}"` : 'nơi bạn gõ';
  return `Mình không tìm thấy ${what} trong danh mục 34 tỉnh, thành phố và các phường, xã của Phụ lục Nghị định 293/2025/NĐ-CP. Danh mục ghi theo tỉnh, thành phố và phường, xã mới sau sắp xếp năm 2025. Bạn gõ tên tỉnh, thành phố và phường, xã nơi công ty hoạt động (ví dụ: "xã Yên Phong, Bắc Ninh"), hoặc gõ "gặp cán bộ".`;
}

/** The words of what the worker typed, folded and with diacritics, one to one. */
interface Typed {
  folded: string[];
  accented: string[];
}

function tokens(text: string): Typed {
  const folded = matchKey(text).split(' ').filter(Boolean);
  const accented = words(lowerNfc(text)).map(normalizeTonePlacement);
  return { folded, accented: accented.length === folded.length ? accented : folded };
}

function shortProvince(name: string): string {
  return name.replace(/^(Tỉnh|Thành phố) /u, '');
}

function findProvince(data: MinimumWageData, typed: string): ProvinceEntry | undefined {
  const key = matchKey(typed);
  const core = key.replace(PROVINCE_PREFIX, '');
  return data.provinces.find((p) => provinceKeys(p).some((k) => k === key || k === core));
}

/**
 * The longest province name or alias inside what was typed, as whole words and not right after "phường",
 * "xã" or "đặc khu" (many phường carry an old province's name); `rest` is the place without it.
 */
function provinceMention(
  data: MinimumWageData,
  typed: Typed,
): { province: ProvinceEntry; rest: Typed } | undefined {
  const t = typed.folded;
  let best: { province: ProvinceEntry; start: number; end: number } | undefined;
  for (const p of data.provinces) {
    for (const k of provinceKeys(p)) {
      const kt = k.split(' ');
      for (let i = 0; i + kt.length <= t.length; i++) {
        if (!kt.every((w, j) => t[i + j] === w)) continue;
        const before = t[i - 1];
        if (
          before === 'phuong' ||
          before === 'p' ||
          before === 'xa' ||
          before === 'x' ||
          (before === 'khu' && t[i - 2] === 'dac')
        )
          continue;
        if (!best || kt.length > best.end - best.start) best = { province: p, start: i, end: i + kt.length };
      }
    }
  }
  if (!best) return undefined;
  let start = best.start;
  if (t[start - 1] === 'tinh' || t[start - 1] === 'tp') start -= 1;
  else if (t[start - 2] === 'thanh' && t[start - 1] === 'pho') start -= 2;
  const cut = <T>(xs: T[]) => [...xs.slice(0, start), ...xs.slice(best.end)];
  return { province: best.province, rest: { folded: cut(typed.folded), accented: cut(typed.accented) } };
}

function localitiesIn(data: MinimumWageData, province: ProvinceEntry | undefined): Locality[] {
  if (!province) return data.localities;
  const key = matchKey(province.province);
  return data.localities.filter((l) => matchKey(l.province) === key);
}

function areaQuestion(data: MinimumWageData, province: ProvinceEntry): string {
  const regions = [
    ...new Set([...localitiesIn(data, province).map((l) => l.region), province.remaining_region]),
  ].sort((a, b) => REGIONS.indexOf(a) - REGIONS.indexOf(b));
  return `${province.province} có địa bàn thuộc vùng ${regions.join(', ')}, tùy phường, xã. Công ty bạn ở phường hoặc xã nào? (gõ tên mới sau sắp xếp năm 2025, ví dụ: phường ${areaName(localitiesIn(data, province)[0]?.area ?? 'Hoàn Kiếm')})`;
}

/** One edit apart (a missing, extra or changed letter) on names of 5 letters or more. */
function nearlyEqual(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 5) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

function regionResult(
  data: MinimumWageData,
  place: { province: string; area?: string; region: Region; typedArea?: string },
  guessedProvince: boolean,
): CalculationResult<MinimumWageFigures> {
  const amounts = data.regions[place.region];
  const figures: MinimumWageFigures = {
    province: place.province,
    area: place.area,
    typedArea: place.typedArea,
    region: place.region,
    monthly: amounts.monthly,
    hourly: amounts.hourly,
    remaining: place.area === undefined,
  };
  const where = place.area ? `${place.area} (${place.province})` : place.province;
  const since = data.effective.split('-').reverse().join('/');
  const summary = [
    `${capitalise(where)} thuộc vùng ${place.region}: lương tối thiểu ${formatMoney(amounts.monthly)}/tháng, ${formatMoney(amounts.hourly)}/giờ (áp dụng từ ${since}).`,
  ];
  const notes: string[] = [];
  if (guessedProvince && place.area) {
    notes.push(`Nếu công ty bạn ở phường, xã khác, bạn gõ tên phường, xã đó kèm tỉnh, thành phố.`);
  }
  if (data.legal_source === ND293) {
    notes.push(
      'Mức vùng tính theo nơi công ty (hoặc chi nhánh) hoạt động, không theo nơi bạn ở. Công ty trong khu công nghiệp, khu chế xuất nằm trên nhiều địa bàn thì áp dụng mức của địa bàn cao nhất (khoản 3 Điều 3).',
      'Nếu địa bàn nay thuộc vùng thấp hơn trước, người được tuyển dụng từ ngày 31/12/2025 trở về trước vẫn được giữ mức lương tối thiểu cũ (khoản 5 Điều 5).',
    );
  }
  const lawNote =
    data.legal_source === ND293 ? [] : [`Dữ liệu theo văn bản ${data.legal_source}, Điều ${data.article}.`];
  const basis: LegalBasis[] = [
    { ...MINIMUM_WAGE_BASIS.table, lawId: data.legal_source, article: data.article },
    { ...MINIMUM_WAGE_BASIS.appendix, lawId: data.legal_source, article: data.article },
    ...(data.legal_source === ND293
      ? [
          MINIMUM_WAGE_BASIS.monthlyFloor,
          MINIMUM_WAGE_BASIS.employerPlace,
          MINIMUM_WAGE_BASIS.industrialZone,
          MINIMUM_WAGE_BASIS.effective,
          MINIMUM_WAGE_BASIS.keepOldLevel,
        ]
      : []),
  ];
  return result({
    calculator: 'minimum_wage',
    status: 'ok',
    figures,
    summary,
    rule: `Lương tối thiểu tháng từ ${since}: vùng I ${formatMoney(data.regions.I.monthly)}, vùng II ${formatMoney(data.regions.II.monthly)}, vùng III ${formatMoney(data.regions.III.monthly)}, vùng IV ${formatMoney(data.regions.IV.monthly)}.${data.legal_source === ND293 ? ' Công ty trả lương theo tháng cho người làm đủ giờ bình thường không được trả thấp hơn mức của vùng nơi công ty hoạt động.' : ''}`,
    citations: citationsOf(basis),
    notes: [...lawNote, ...notes],
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
