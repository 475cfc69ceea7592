import { cp, mkdir, mkdtemp, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMonthYear } from '../../src/calculators/actions.js';
import { ANNUAL_LEAVE_BASIS, calculateAnnualLeave } from '../../src/calculators/annual-leave.js';
import {
  CalculatorInputError,
  formatMoney,
  monthsBetween,
  STANDARD_NOTE,
  type CalculationResult,
  type LegalBasis,
} from '../../src/calculators/common.js';
import { citationLine, resultMessage } from '../../src/calculators/format.js';
import { lawNotices } from '../../src/calculators/law-status.js';
import { calculateMaternity, MATERNITY_BASIS } from '../../src/calculators/maternity.js';
import {
  lookupMinimumWage,
  MINIMUM_WAGE_BASIS,
  MinimumWageDataError,
  parseMinimumWageFile,
  type MinimumWageData,
} from '../../src/calculators/minimum-wage.js';
import { MinimumWageFile } from '../../src/calculators/minimum-wage-file.js';
import { calculateOvertime, OVERTIME_BASIS } from '../../src/calculators/overtime.js';
import { calculateSeverance, countedYears, SEVERANCE_BASIS } from '../../src/calculators/severance.js';
import { calculateLumpSum, LUMP_SUM_BASIS } from '../../src/calculators/social-insurance-lump-sum.js';
import {
  benefitMonths,
  calculateUnemployment,
  UNEMPLOYMENT_BASIS,
} from '../../src/calculators/unemployment.js';
import { parseVietnameseNumber } from '../../src/conversation/flows/inputs.js';

/**
 * The calculators against the law texts shipped in knowledge/laws/: every worked example
 * (test/fixtures/calculators/worked-examples.json) is computed and its quoted sentences are found in the
 * cited article; every quote a calculator rests on exists; every number in a rule or note occurs in the
 * quoted text; impossible inputs are refused in Vietnamese.
 */

const KNOWLEDGE = path.resolve('knowledge');

interface LawFile {
  law_id: string;
  effective?: string;
  articles: { article: string; text: string }[];
  appendix?: { items: { item: string; name: string; text: string }[] };
}

interface Derived {
  lawId: string;
  article?: string;
  clause?: string;
  appendix?: string;
  quote: string;
}

interface Example {
  name: string;
  input: Record<string, unknown>;
  expected: { status: string; figures: Record<string, unknown> };
  derivedFrom: Derived[];
  working: string;
}

type Examples = Record<
  | 'overtime'
  | 'annual_leave'
  | 'severance'
  | 'maternity'
  | 'unemployment'
  | 'social_insurance_lump_sum'
  | 'minimum_wage',
  Example[]
>;

const laws = new Map<string, LawFile>();
let examples: Examples;
let data: MinimumWageData;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function articleText(lawId: string, article: string): string {
  const law = laws.get(lawId);
  if (!law) throw new Error(`law ${lawId} is not shipped`);
  const a = law.articles.find((x) => x.article === article);
  if (!a) throw new Error(`Điều ${article} ${lawId} is not shipped`);
  return squash(a.text);
}

function sourceText(d: Derived): string {
  if (d.appendix) {
    const item = laws.get(d.lawId)?.appendix?.items.find((i) => i.item === d.appendix);
    if (!item) throw new Error(`appendix item ${d.appendix} of ${d.lawId} is not shipped`);
    return squash(item.text);
  }
  return articleText(d.lawId, d.article!);
}

beforeAll(async () => {
  for (const name of await readdir(path.join(KNOWLEDGE, 'laws'))) {
    const law = JSON.parse(await readFile(path.join(KNOWLEDGE, 'laws', name), 'utf8')) as LawFile;
    laws.set(law.law_id, law);
  }
  examples = JSON.parse(await readFile('test/fixtures/calculators/worked-examples.json', 'utf8')) as Examples;
  data = parseMinimumWageFile(
    JSON.parse(await readFile(path.join(KNOWLEDGE, 'data', 'minimum-wage.json'), 'utf8')),
  );
});

function run(kind: keyof Examples, input: Record<string, unknown>): CalculationResult {
  switch (kind) {
    case 'overtime':
      return calculateOvertime(input as never);
    case 'annual_leave':
      return calculateAnnualLeave(input as never);
    case 'severance':
      return calculateSeverance(input as never);
    case 'maternity':
      return calculateMaternity(input as never);
    case 'unemployment':
      return calculateUnemployment(input as never, data);
    case 'social_insurance_lump_sum':
      return calculateLumpSum(input as never);
    case 'minimum_wage': {
      const found = lookupMinimumWage(data, input as { text: string; province?: string });
      if (found.kind !== 'found') throw new Error(`${String(input.text)}: ${found.kind}`);
      return found.result;
    }
  }
}

function expectFigures(actual: object, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[key];
    if (typeof value === 'number') {
      expect(typeof got, key).toBe('number');
      expect(Math.abs((got as number) - value), `${key}: ${String(got)} ≠ ${value}`).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(value)),
      );
    } else {
      expect(got, key).toEqual(value);
    }
  }
}

const KINDS = [
  'overtime',
  'annual_leave',
  'severance',
  'maternity',
  'unemployment',
  'social_insurance_lump_sum',
  'minimum_wage',
] as const;

describe('worked examples', () => {
  for (const kind of KINDS) {
    it(`${kind}: every example gives its expected result, rests on quoted sentences of the shipped law, and cites them`, () => {
      const list = examples[kind];
      expect(list.length).toBeGreaterThanOrEqual(5);
      for (const ex of list) {
        const res = run(kind, ex.input);
        expect(res.status, ex.name).toBe(ex.expected.status);
        expectFigures(res.figures, ex.expected.figures);
        expect(ex.derivedFrom.length, ex.name).toBeGreaterThan(0);
        for (const d of ex.derivedFrom) {
          expect(
            sourceText(d),
            `${ex.name}: quote not in ${d.lawId} ${d.article ?? `PL ${d.appendix}`}`,
          ).toContain(squash(d.quote));
          const cited = d.appendix
            ? { lawId: d.lawId, article: '3' }
            : { lawId: d.lawId, article: d.article };
          expect(
            res.citations.some((c) => c.lawId === cited.lawId && c.article === cited.article),
            `${ex.name}: result does not cite Điều ${cited.article} ${cited.lawId}`,
          ).toBe(true);
        }
        expect(res.note).toBe(STANDARD_NOTE);
        expect(res.rule.length).toBeGreaterThan(20);
        for (const c of res.citations) expect(() => articleText(c.lawId, c.article)).not.toThrow();
      }
    });
  }
});

const BASES: Record<string, Record<string, LegalBasis>> = {
  overtime: OVERTIME_BASIS,
  annual_leave: ANNUAL_LEAVE_BASIS,
  severance: SEVERANCE_BASIS,
  maternity: MATERNITY_BASIS,
  unemployment: UNEMPLOYMENT_BASIS,
  social_insurance_lump_sum: LUMP_SUM_BASIS,
  minimum_wage: MINIMUM_WAGE_BASIS,
};

/** Numbers of a text, by value ("06" = 6, "5.310.000" = 5310000, "1,5" = 1.5), article references left out. */
function numbersIn(text: string): number[] {
  const plain = text
    .replace(/\d+\/\d{4}\/[\p{L}-]+/gu, ' ')
    .replace(/(khoản|điểm|Điều|điều)\s+(\d+|[a-zđ]\b)((,\s*|\s+và\s+)(\d+|[a-zđ]\b))*/gu, ' ');
  return (plain.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) =>
    /^\d{1,3}(\.\d{3})+$/.test(n) ? Number(n.replace(/\./g, '')) : Number(n.replace(',', '.')),
  );
}

describe('legal basis', () => {
  it('every sentence a calculator rests on is in the cited article of a shipped law', () => {
    for (const [kind, basis] of Object.entries(BASES)) {
      for (const [name, b] of Object.entries(basis)) {
        expect(articleText(b.lawId, b.article), `${kind}.${name}`).toContain(squash(b.quote));
      }
    }
  });

  it('every number in a rule or a note occurs in the text the calculator quotes', () => {
    for (const kind of KINDS) {
      const allowed = new Set(Object.values(BASES[kind]!).flatMap((b) => numbersIn(b.quote)));
      if (kind === 'minimum_wage')
        numbersIn(articleText('293/2025/NĐ-CP', '3')).forEach((n) => allowed.add(n));
      for (const ex of examples[kind]) {
        const res = run(kind, ex.input);
        for (const n of numbersIn([res.rule, ...res.notes].join(' '))) {
          expect(allowed.has(n), `${kind} "${ex.name}": ${n} is not in the quoted law`).toBe(true);
        }
      }
    }
  });

  it('names superseded laws, from the law files', async () => {
    const today = '2026-11-25';
    expect(await lawNotices(KNOWLEDGE, [{ lawId: '45/2019/QH14', article: '98' }], today)).toEqual([]);
    const notices = await lawNotices(KNOWLEDGE, [{ lawId: '12/2012/QH13', article: '1' }], today);
    expect(notices.join(' ')).toContain('đã được thay thế bởi văn bản số 50/2024/QH15');
    expect(await lawNotices(undefined, [{ lawId: '12/2012/QH13', article: '1' }], today)).toEqual([]);
  });
});

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CalculatorInputError);
    return (err as CalculatorInputError).problems.join(' | ');
  }
  throw new Error('the input was accepted');
}

const ot = (extra: Record<string, unknown>) => ({
  wage: { kind: 'hourly', hourly: 25_000 },
  normalHoursPerDay: 8,
  dayType: 'normal',
  overtimeDayHours: 0,
  overtimeNightHours: 0,
  ...extra,
});

describe('overtime: limits and refusals', () => {
  it('refuses a negative wage, 25 hours and more than a day holds', () => {
    expect(refused(() => calculateOvertime(ot({ wage: { kind: 'hourly', hourly: -5 } }) as never))).toContain(
      'Lương giờ phải lớn hơn 0 đồng',
    );
    expect(refused(() => calculateOvertime(ot({ overtimeDayHours: 25 }) as never))).toContain('24 giờ');
    expect(
      refused(() =>
        calculateOvertime(
          ot({ wage: { kind: 'monthly', monthly: 5_000_000, workingDaysPerMonth: 0 } }) as never,
        ),
      ),
    ).toContain('ngày công chuẩn');
  });

  it('refuses overtime beyond Điều 107 and Nghị định 145 Điều 60, naming the limit', () => {
    expect(
      refused(() => calculateOvertime(ot({ overtimeDayHours: 5, weeklySchedule: false }) as never)),
    ).toMatch(/50% số giờ làm việc bình thường.*điểm b khoản 2 Điều 107/);
    // Unknown schedule, 8 normal hours: both rules allow 4 hours at most.
    expect(
      refused(() => calculateOvertime(ot({ overtimeDayHours: 3, overtimeNightHours: 2 }) as never)),
    ).toContain('tối đa 4 giờ');
    expect(
      refused(() => calculateOvertime(ot({ dayType: 'weekly_rest', overtimeDayHours: 13 }) as never)),
    ).toContain('khoản 4 Điều 60 Nghị định 145/2020/NĐ-CP');
    expect(
      refused(() => calculateOvertime(ot({ overtimeNightHours: 4, regularNightHours: 6 }) as never)),
    ).toContain('Điều 106');
    expect(refused(() => calculateOvertime(ot({ normalHoursPerDay: 11 }) as never))).toContain('Điều 105');
    expect(
      refused(() => calculateOvertime(ot({ dayType: 'holiday', regularNightHours: 2 }) as never)),
    ).toContain('giờ làm thêm ban đêm');
  });

  it('accepts exactly the limit, and warns when only the weekly schedule allows the hours', () => {
    expect(calculateOvertime(ot({ overtimeDayHours: 4, weeklySchedule: false }) as never).status).toBe('ok');
    expect(
      calculateOvertime(ot({ dayType: 'holiday', overtimeDayHours: 12 }) as never).figures.overtimeDayPay,
    ).toBe(900_000);
    // 6 normal hours: 50% is 3 hours; a weekly schedule allows 12 − 6 = 6.
    const res = calculateOvertime(ot({ normalHoursPerDay: 6, overtimeDayHours: 5 }) as never);
    expect(res.status).toBe('ok');
    expect(res.notes[0]).toContain('chỉ đúng luật khi công ty tính giờ làm theo tuần');
    expect(
      refused(() => calculateOvertime(ot({ normalHoursPerDay: 6, overtimeDayHours: 7 }) as never)),
    ).toContain('Điều 107');
  });
});

describe('annual leave, severance, maternity: boundaries and refusals', () => {
  it('annual leave: seniority at each full 5 years; impossible service refused', () => {
    expect(calculateAnnualLeave({ category: 'normal', serviceMonths: 60 }).figures.days).toBe(13);
    expect(calculateAnnualLeave({ category: 'normal', serviceMonths: 119 }).figures.days).toBe(13);
    expect(calculateAnnualLeave({ category: 'normal', serviceMonths: 120 }).figures.days).toBe(14);
    expect(calculateAnnualLeave({ category: 'normal', serviceMonths: 11 }).figures).toMatchObject({
      days: 11,
      proRata: true,
    });
    expect(calculateAnnualLeave({ category: 'normal', serviceMonths: 0 }).figures.days).toBe(0);
    expect(refused(() => calculateAnnualLeave({ category: 'normal', serviceMonths: -1 }))).toContain(
      'không thể là số âm',
    );
    expect(refused(() => calculateAnnualLeave({ category: 'normal', serviceMonths: 2.5 }))).toContain(
      'số nguyên',
    );
    expect(refused(() => calculateAnnualLeave({ category: 'normal', serviceMonths: 800 }))).toContain(
      '60 năm',
    );
    expect(
      refused(() => calculateAnnualLeave({ category: 'rat_nang' as never, serviceMonths: 12 })),
    ).toContain('Loại công việc');
  });

  it('severance: odd months round to 1/2 or 1 year; dates counted with both ends', () => {
    expect([0, 1, 6, 7, 12, 13, 18, 19].map(countedYears)).toEqual([0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2]);
    expect(monthsBetween('2020-03-01', '2025-08-31')).toEqual({ months: 66, extraDays: 0 });
    expect(monthsBetween('2020-03-15', '2020-04-20')).toEqual({ months: 1, extraDays: 6 });
    const withDays = calculateSeverance({
      termination: 'contract_ended',
      startDate: '2024-01-15',
      endDate: '2025-03-20',
      unemploymentInsuranceMonths: 0,
      averageMonthlySalary: 6_000_000,
    });
    expect(withDays.figures).toMatchObject({ workedMonths: 14, extraDays: 6, countedYears: 1.5 });
    expect(withDays.notes.join(' ')).toContain('ngày lẻ chưa được tính');
  });

  it('severance: refuses a start after the end, more insurance months than work, impossible dates', () => {
    const base = {
      termination: 'contract_ended' as const,
      unemploymentInsuranceMonths: 0,
      averageMonthlySalary: 6_000_000,
    };
    expect(
      refused(() => calculateSeverance({ ...base, startDate: '2025-05-01', endDate: '2024-05-01' })),
    ).toContain('Ngày bắt đầu làm việc đang ở sau ngày nghỉ việc');
    expect(
      refused(() => calculateSeverance({ ...base, workedMonths: 20, unemploymentInsuranceMonths: 30 })),
    ).toContain('không thể nhiều hơn thời gian làm việc');
    expect(
      refused(() => calculateSeverance({ ...base, startDate: '2025-02-30', endDate: '2025-05-01' })),
    ).toContain('không có trên lịch');
    expect(
      refused(() => calculateSeverance({ ...base, workedMonths: 20, averageMonthlySalary: -1 })),
    ).toContain('phải lớn hơn 0 đồng');
    expect(refused(() => calculateSeverance({ ...base }))).toContain('Cần thời gian làm việc');
    expect(calculateSeverance({ ...base, termination: 'other', workedMonths: 30 }).status).toBe(
      'not_covered',
    );
    expect(calculateSeverance({ ...base, termination: 'absent_5_days', workedMonths: 30 }).status).toBe(
      'not_eligible',
    );
    expect(calculateSeverance({ ...base, termination: 'retirement_eligible', workedMonths: 30 }).status).toBe(
      'not_eligible',
    );
  });

  it('job loss: at least 2 months while the counted time is under 24 months', () => {
    const jl = (workedMonths: number) =>
      calculateSeverance({
        termination: 'restructuring',
        workedMonths,
        unemploymentInsuranceMonths: 0,
        averageMonthlySalary: 1_000_000,
      }).figures.monthsOfSalary;
    expect([12, 18, 19, 23, 24, 30].map(jl)).toEqual([2, 2, 2, 2, 2, 2.5]);
  });

  it('maternity: refuses impossible numbers of children and months', () => {
    expect(refused(() => calculateMaternity({ parent: 'mother', children: 0 }))).toContain('ít nhất là 1');
    expect(refused(() => calculateMaternity({ parent: 'mother', children: 11 }))).toContain('chưa hợp lý');
    expect(
      refused(() => calculateMaternity({ parent: 'mother', children: 1, contributionMonthsIn12: 13 })),
    ).toContain('nhiều nhất 12 tháng');
  });
});

describe('unemployment and one-time social insurance: boundaries and refusals', () => {
  it('months of benefit follow Điều 39 khoản 2', () => {
    expect([0, 11, 12, 36, 47, 48, 59, 60, 143, 144, 600].map(benefitMonths)).toEqual([
      0, 0, 3, 3, 3, 4, 4, 5, 11, 12, 12,
    ]);
  });

  it('refuses a wage above 20 times the regional minimum (Điều 34 khoản 2) and impossible months', () => {
    const base = { contributionMonths: 24, region: 'IV' as const, lastContributionMonth: '2026-05' };
    expect(
      refused(() => calculateUnemployment({ ...base, averageMonthlySalary: 80_000_000 }, data)),
    ).toContain('khoản 2 Điều 34');
    expect(calculateUnemployment({ ...base, averageMonthlySalary: 74_000_000 }, data).figures.monthly).toBe(
      18_500_000,
    );
    expect(
      refused(() =>
        calculateUnemployment({ ...base, averageMonthlySalary: 5e6, contributionMonths: -2 }, data),
      ),
    ).toContain('không thể là số âm');
    expect(
      refused(() =>
        calculateUnemployment({ ...base, averageMonthlySalary: 5e6, lastContributionMonth: '2026-13' }, data),
      ),
    ).toContain('tháng/năm');
  });

  it('says what it cannot know: no region, no data file, a month before the data', () => {
    const base = {
      contributionMonths: 24,
      averageMonthlySalary: 8_000_000,
      lastContributionMonth: '2026-05',
    };
    expect(calculateUnemployment(base, data).status).toBe('not_covered');
    expect(calculateUnemployment({ ...base, region: 'I' }, undefined).status).toBe('not_covered');
    const early = calculateUnemployment({ ...base, region: 'I', lastContributionMonth: '2025-11' }, data);
    expect(early.status).toBe('not_covered');
    expect(early.summary.join(' ')).toContain('gặp cán bộ');
    expect(
      calculateUnemployment({ ...base, region: 'I', termination: 'unlawful_resignation' }, data).status,
    ).toBe('not_eligible');
  });

  it('one-time insurance: refusals and what the law leaves to the Government', () => {
    expect(
      refused(() => calculateLumpSum({ case: 'emigrating', monthsBefore2014: -1, monthsFrom2014: 5 })),
    ).toContain('không thể là số âm');
    expect(calculateLumpSum({ case: 'other', monthsBefore2014: 0, monthsFrom2014: 50 }).status).toBe(
      'not_covered',
    );
    expect(calculateLumpSum({ case: 'emigrating', monthsBefore2014: 0, monthsFrom2014: 0 }).status).toBe(
      'not_eligible',
    );
    // 7 odd months before 2014 and none after: nowhere to carry them; the shipped law does not say.
    const odd = calculateLumpSum({ case: 'emigrating', monthsBefore2014: 31, monthsFrom2014: 0 });
    expect(odd.status).toBe('not_covered');
    expect(odd.figures).toMatchObject({ yearsBefore2014: 2, oddMonths: 7, monthsOfSalary: 3 });
  });
});

describe('regional minimum wage data', () => {
  it('the amounts are the table of Điều 3 Nghị định 293/2025/NĐ-CP and the effective date is the decree’s', () => {
    const text = articleText('293/2025/NĐ-CP', '3');
    const rows = [...text.matchAll(/\| Vùng (I|II|III|IV) \| ([\d.]+) \| ([\d.]+) \|/g)];
    expect(rows).toHaveLength(4);
    for (const [, region, monthly, hourly] of rows) {
      expect(data.regions[region as 'I']).toEqual({
        monthly: Number(monthly!.replace(/\./g, '')),
        hourly: Number(hourly!.replace(/\./g, '')),
      });
    }
    expect(data.legal_source).toBe('293/2025/NĐ-CP');
    expect(data.effective).toBe(laws.get('293/2025/NĐ-CP')!.effective);
    expect(data.source_note).toContain('MTQV002/RAG');
    expect(data.source_note).toContain('5b3a0487f554e74faa8ef502e3aa86021a0e675d');
  });

  it('lists every province of the appendix with its text, and exactly the places the text names', () => {
    const items = laws.get('293/2025/NĐ-CP')!.appendix!.items;
    expect(items).toHaveLength(34);
    expect(data.provinces).toHaveLength(34);
    expect(data.missing_provinces).toEqual([]);
    let named = 0;
    for (const item of items) {
      const p = data.provinces.find((x) => x.province === item.name)!;
      expect(p, item.name).toBeDefined();
      expect(p.appendix_text).toBe(item.text);
      // An independent reading of the appendix text: "- Vùng X, gồm các phường A, B và các xã C; …".
      const expected: string[] = [];
      for (const line of item.text.split('\n')) {
        const m = /^- Vùng (I|II|III|IV), gồm (.*)\.$/.exec(line)!;
        expect(m, line).not.toBeNull();
        if (m[2]!.includes('còn lại')) {
          expect(p.remaining_region).toBe(m[1]);
          continue;
        }
        for (const part of m[2]!.split(/(?:;\s*|\s+và\s+)(?=(?:các\s+)?(?:phường|xã|đặc khu)\s)/)) {
          const k = /^(?:các\s+)?(phường|xã|đặc khu)\s+(.*)$/.exec(part)!;
          for (const name of k[2]!.split(', ')) expected.push(`${k[1]} ${name.trim()} → ${m[1]}`);
        }
      }
      const actual = data.localities
        .filter((l) => l.province === item.name)
        .map((l) => `${l.area} → ${l.region}`);
      expect(actual.sort(), item.name).toEqual(expected.sort());
      named += actual.length;
    }
    expect(named).toBe(data.localities.length);
  });

  it('refuses a bad file, naming the entry', () => {
    const raw = structuredClone(data) as unknown as Record<string, unknown> & {
      localities: Record<string, unknown>[];
    };
    raw.localities[3]!.region = 'V';
    raw.localities[7]!.area = 'Hoàn Kiếm';
    let problems: string[] = [];
    try {
      parseMinimumWageFile(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(MinimumWageDataError);
      problems = (err as MinimumWageDataError).problems;
    }
    const third = data.localities[3]!;
    expect(problems.find((p) => p.startsWith('localities[3].region'))).toContain(
      `(${third.area}, ${third.province})`,
    );
    expect(problems.join('\n')).toContain('vùng phải là I, II, III hoặc IV');
    expect(problems.join('\n')).toContain('localities[7].area');
    expect(() => parseMinimumWageFile({})).toThrow(MinimumWageDataError);
    // Checks across entries, once every entry has the right shape.
    const cross = structuredClone(data);
    cross.localities[5]!.province = 'Tỉnh Không Có';
    cross.localities.push({ ...data.localities[9]! });
    cross.localities.push({ province: 'Tỉnh Cao Bằng', area: 'phường Không Tên', region: 'III' });
    const moved = cross.localities.findIndex((l) => l.area === 'phường Hoàn Kiếm');
    cross.localities[moved]!.region = 'II';
    const message = (() => {
      try {
        parseMinimumWageFile(cross);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toContain('localities[5].province');
    expect(message).toContain('"Tỉnh Không Có" không có trong provinces');
    expect(message).toContain(`"${data.localities[9]!.area}" đã có ở localities[9]`);
    expect(message).toContain('tên "Không Tên" không có trong appendix_text của Tỉnh Cao Bằng');
    expect(message).toContain('appendix_text của Thành phố Hà Nội không ghi "Hoàn Kiếm" ở dòng vùng II');
  });

  it('finds places typed in many ways and says when it cannot', () => {
    const kind = (text: string, province?: string) => lookupMinimumWage(data, { text, province }).kind;
    expect(kind('tp hcm')).toBe('need_area');
    expect(kind('Thành phố Hồ Chí Minh')).toBe('need_area');
    expect(kind('quận 7, TP HCM')).toBe('old_unit');
    expect(kind('phuong 12', 'TP HCM')).toBe('old_unit');
    expect(kind('tan an')).toBe('ambiguous');
    expect(kind('xa thanh an hcm')).toBe('ambiguous');
    expect(kind('quảng nam')).toBe('not_found');
    const bd = lookupMinimumWage(data, { text: 'bình dương' });
    expect(bd.kind === 'found' && bd.result.figures).toMatchObject({
      area: 'phường Bình Dương',
      region: 'I',
    });
    expect(bd.kind === 'found' && bd.result.notes.join(' ')).toContain('Nếu công ty bạn ở phường, xã khác');
    const typo = lookupMinimumWage(data, { text: 'phuong hoan kiemm, ha noi' });
    expect(typo.kind === 'found' && typo.result.notes[0]).toContain('phường Hoàn Kiếm (vùng I)');
    const tphcm = lookupMinimumWage(data, { text: 'Thủ Dầu Một', province: 'hcm' });
    expect(tphcm.kind === 'found' && tphcm.result.summary[0]).toContain(
      'vùng I: lương tối thiểu 5.310.000 đồng/tháng, 25.500 đồng/giờ',
    );
  });

  it('a province the file lacks is said, not guessed', () => {
    const partial = structuredClone(data);
    partial.provinces = partial.provinces.filter((p) => p.province !== 'Tỉnh Lai Châu');
    partial.localities = partial.localities.filter((l) => l.province !== 'Tỉnh Lai Châu');
    partial.missing_provinces = ['Tỉnh Lai Châu'];
    const parsed = parseMinimumWageFile(partial);
    const found = lookupMinimumWage(parsed, { text: 'phường Tân Phong, Lai Châu' });
    expect(found.kind).toBe('not_covered');
    expect(found.kind === 'not_covered' && found.message).toContain('gặp cán bộ');
  });
});

describe('minimum wage file on disk', () => {
  async function tempKnowledge(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ua-mw-'));
    await mkdir(path.join(dir, 'laws'), { recursive: true });
    await cp(
      path.join(KNOWLEDGE, 'laws', '293-2025-ND-CP.json'),
      path.join(dir, 'laws', '293-2025-ND-CP.json'),
    );
    return dir;
  }

  it('writes atomically after checking the amounts against the article, and reloads a changed file', async () => {
    const dir = await tempKnowledge();
    const file = new MinimumWageFile(dir);
    expect(await file.load()).toBeUndefined();
    await file.write(data);
    expect((await file.load())!.localities).toHaveLength(data.localities.length);
    expect((await readdir(path.join(dir, 'data'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const wrong = structuredClone(data);
    wrong.regions.I.monthly = 5_400_000;
    await expect(file.write(wrong)).rejects.toThrow(/regions\.I\.monthly: 5\.400\.000 không có trong Điều 3/);
    const later = structuredClone(data);
    later.effective = '2027-01-01';
    await expect(file.write(later)).rejects.toThrow(/có hiệu lực từ 2026-01-01/);
    const otherLaw = structuredClone(data);
    otherLaw.legal_source = '999/2099/NĐ-CP';
    await expect(file.write(otherLaw)).rejects.toThrow(/chưa có trong knowledge\/laws/);

    // Edited by hand: the next load sees it.
    const edited = structuredClone(data);
    edited.localities = edited.localities.slice(0, 10);
    const target = path.join(dir, 'data', 'minimum-wage.json');
    await writeFile(target, JSON.stringify(edited));
    const future = new Date(Date.now() + 5_000);
    await utimes(target, future, future);
    expect((await file.load())!.localities).toHaveLength(10);

    await writeFile(target, '{ không phải json');
    await utimes(target, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    await expect(file.load()).rejects.toThrow(MinimumWageDataError);
  });
});

describe('chat helpers', () => {
  it('reads money and months the way workers type them', () => {
    expect(parseVietnameseNumber('5tr3')).toBe(5_300_000);
    expect(parseVietnameseNumber('5tr35')).toBe(5_350_000);
    expect(parseVietnameseNumber('5 triệu 310 nghìn')).toBe(5_310_000);
    expect(parseVietnameseNumber('5,3 triệu')).toBe(5_300_000);
    expect(parseVietnameseNumber('5.310.000')).toBe(5_310_000);
    expect(parseVietnameseNumber('5tr')).toBe(5_000_000);
    expect(parseMonthYear('10/2026')).toBe('2026-10');
    expect(parseMonthYear('tháng 3-26')).toBe('2026-03');
    expect(parseMonthYear('13/2026')).toBeUndefined();
  });

  it('a result message shows the figures, the rule, the citations and the standard note', () => {
    const res = calculateOvertime(ot({ overtimeDayHours: 2 }) as never);
    const msg = resultMessage(res, ['Lưu ý: thử.']);
    expect(msg.text).toContain('75.000 đồng');
    expect(msg.text).toContain('Cách tính: ');
    expect(msg.text).toContain(
      'Căn cứ: khoản 1 Điều 98, khoản 2, 3 Điều 107 Bộ luật Lao động 2019; khoản 1 Điều 55 Nghị định 145/2020/NĐ-CP.',
    );
    expect(
      citationLine([
        { lawId: '45/2019/QH14', article: '113', clause: '1' },
        { lawId: '45/2019/QH14', article: '114' },
        { lawId: '45/2019/QH14', article: '113', clause: '3' },
        { lawId: '145/2020/NĐ-CP', article: '66', clause: '1' },
      ]),
    ).toBe('khoản 1, 3 Điều 113, Điều 114 Bộ luật Lao động 2019; khoản 1 Điều 66 Nghị định 145/2020/NĐ-CP');
    expect(msg.text).toContain('Lưu ý: thử.');
    expect(msg.text.endsWith(STANDARD_NOTE)).toBe(true);
    expect(msg.citations).toContainEqual({ lawId: '45/2019/QH14', article: '98', clause: '1' });
    expect(formatMoney(5_310_000)).toBe('5.310.000 đồng');
  });
});
