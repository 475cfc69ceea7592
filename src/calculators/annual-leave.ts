import { z } from 'zod';
import {
  citationsOf,
  count,
  formatNumber,
  lawNumber,
  parseInput,
  result,
  type CalculationResult,
  type LegalBasis,
} from './common.js';

/** Paid annual leave (Bộ luật Lao động Điều 113, 114; Nghị định 145/2020/NĐ-CP Điều 66). */

const BLLD = '45/2019/QH14';
const ND145 = '145/2020/NĐ-CP';

export const ANNUAL_LEAVE_BASIS = {
  fullYear: {
    lawId: BLLD,
    article: '113',
    clause: '1',
    quote:
      'Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì được nghỉ hằng năm, hưởng nguyên lương theo hợp đồng lao động như sau',
  },
  normal: {
    lawId: BLLD,
    article: '113',
    clause: '1',
    quote: '12 ngày làm việc đối với người làm công việc trong điều kiện bình thường',
  },
  heavy: {
    lawId: BLLD,
    article: '113',
    clause: '1',
    quote:
      '14 ngày làm việc đối với người lao động chưa thành niên, lao động là người khuyết tật, người làm nghề, công việc nặng nhọc, độc hại, nguy hiểm',
  },
  especiallyHeavy: {
    lawId: BLLD,
    article: '113',
    clause: '1',
    quote: '16 ngày làm việc đối với người làm nghề, công việc đặc biệt nặng nhọc, độc hại, nguy hiểm',
  },
  partYear: {
    lawId: BLLD,
    article: '113',
    clause: '2',
    quote:
      'Người lao động làm việc chưa đủ 12 tháng cho một người sử dụng lao động thì số ngày nghỉ hằng năm theo tỷ lệ tương ứng với số tháng làm việc.',
  },
  seniority: {
    lawId: BLLD,
    article: '114',
    quote:
      'Cứ đủ 05 năm làm việc cho một người sử dụng lao động thì số ngày nghỉ hằng năm của người lao động theo quy định tại khoản 1 Điều 113 của Bộ luật này được tăng thêm tương ứng 01 ngày.',
  },
  partYearFormula: {
    lawId: ND145,
    article: '66',
    clause: '1',
    quote:
      'lấy số ngày nghỉ hằng năm cộng với số ngày được nghỉ tăng thêm theo thâm niên (nếu có), chia cho 12 tháng, nhân với số tháng làm việc thực tế trong năm để tính thành số ngày được nghỉ hằng năm',
  },
  partMonth: {
    lawId: ND145,
    article: '66',
    clause: '2',
    quote:
      'chiếm tỷ lệ từ 50% số ngày làm việc bình thường trong tháng theo thỏa thuận thì tháng đó được tính là 01 tháng làm việc để tính ngày nghỉ hằng năm',
  },
  unused: {
    lawId: BLLD,
    article: '113',
    clause: '3',
    quote:
      'Trường hợp do thôi việc, bị mất việc làm mà chưa nghỉ hằng năm hoặc chưa nghỉ hết số ngày nghỉ hằng năm thì được người sử dụng lao động thanh toán tiền lương cho những ngày chưa nghỉ.',
  },
} satisfies Record<string, LegalBasis>;

const B = ANNUAL_LEAVE_BASIS;

export type WorkCategory = 'normal' | 'heavy' | 'especially_heavy';

const BASE_DAYS: Record<WorkCategory, number> = {
  normal: lawNumber(B.normal, '12 ngày'),
  heavy: lawNumber(B.heavy, '14 ngày'),
  especially_heavy: lawNumber(B.especiallyHeavy, '16 ngày'),
};
const CATEGORY_BASIS: Record<WorkCategory, LegalBasis> = {
  normal: B.normal,
  heavy: B.heavy,
  especially_heavy: B.especiallyHeavy,
};
const CATEGORY_NAMES: Record<WorkCategory, string> = {
  normal: 'công việc trong điều kiện bình thường',
  heavy: 'người chưa thành niên, người khuyết tật, hoặc nghề, công việc nặng nhọc, độc hại, nguy hiểm',
  especially_heavy: 'nghề, công việc đặc biệt nặng nhọc, độc hại, nguy hiểm',
};
const FULL_YEAR_MONTHS = lawNumber(B.fullYear, '12 tháng');
const SENIORITY_YEARS = lawNumber(B.seniority, '05 năm');
const SENIORITY_DAYS = lawNumber(B.seniority, '01 ngày');
const MONTHS_PER_YEAR = lawNumber(B.partYearFormula, '12 tháng');

export const annualLeaveInputSchema = z.object({
  category: z.enum(['normal', 'heavy', 'especially_heavy'], {
    message:
      'Loại công việc: bình thường, nặng nhọc độc hại (hoặc chưa thành niên, khuyết tật), hay đặc biệt nặng nhọc.',
  }),
  /** Whole months worked for this employer. */
  serviceMonths: count(
    'Thời gian làm việc (tháng)',
    720,
    'Thời gian làm việc cho một công ty không thể quá 60 năm, bạn kiểm tra lại nhé.',
  ),
});

export type AnnualLeaveInput = z.input<typeof annualLeaveInputSchema>;

export interface AnnualLeaveFigures {
  baseDays: number;
  seniorityDays: number;
  /** Whole years of service. */
  serviceYears: number;
  /** Days of paid leave a year; a fraction when fewer than 12 months were worked. */
  days: number;
  proRata: boolean;
}

export function calculateAnnualLeave(input: AnnualLeaveInput): CalculationResult<AnnualLeaveFigures> {
  const v = parseInput(annualLeaveInputSchema, input);
  const base = BASE_DAYS[v.category];
  const years = Math.floor(v.serviceMonths / MONTHS_PER_YEAR);
  const notes: string[] = [];
  const summary: string[] = [];
  let figures: AnnualLeaveFigures;
  let basis: LegalBasis[];
  if (v.serviceMonths < FULL_YEAR_MONTHS) {
    const days = (base / MONTHS_PER_YEAR) * v.serviceMonths;
    figures = { baseDays: base, seniorityDays: 0, serviceYears: 0, days, proRata: true };
    summary.push(
      `Bạn làm chưa đủ 12 tháng nên ngày phép tính theo tỷ lệ: ${base} ngày ÷ 12 tháng × ${v.serviceMonths} tháng = ${formatNumber(days)} ngày.`,
    );
    if (!Number.isInteger(days)) {
      notes.push(
        'Văn bản trong thư viện không nói cách làm tròn số ngày lẻ; bạn hỏi bộ phận nhân sự hoặc cán bộ công đoàn nếu cần.',
      );
    }
    notes.push(
      'Tháng làm chưa đủ vẫn được tính là 01 tháng nếu ngày làm việc và ngày nghỉ có hưởng lương chiếm từ 50% số ngày làm việc bình thường của tháng (khoản 2 Điều 66 Nghị định 145/2020/NĐ-CP).',
    );
    basis = [B.partYear, B.partYearFormula, CATEGORY_BASIS[v.category], B.partMonth];
  } else {
    const seniority = Math.floor(years / SENIORITY_YEARS) * SENIORITY_DAYS;
    figures = {
      baseDays: base,
      seniorityDays: seniority,
      serviceYears: years,
      days: base + seniority,
      proRata: false,
    };
    summary.push(
      `Số ngày nghỉ hằng năm, hưởng nguyên lương: ${formatNumber(base + seniority)} ngày làm việc.`,
    );
    summary.push(
      seniority > 0
        ? `Gồm ${base} ngày (${CATEGORY_NAMES[v.category]}) và ${seniority} ngày thâm niên cho ${years} năm làm việc.`
        : `Gồm ${base} ngày (${CATEGORY_NAMES[v.category]}); bạn làm ${years} năm, chưa đủ 5 năm để được cộng thêm ngày thâm niên.`,
    );
    basis = [B.fullYear, CATEGORY_BASIS[v.category], B.seniority];
  }
  notes.push(
    'Nếu thôi việc hoặc mất việc mà chưa nghỉ hết phép năm, công ty phải trả lương cho những ngày chưa nghỉ (khoản 3 Điều 113 Bộ luật Lao động).',
  );
  return result({
    calculator: 'annual_leave',
    status: 'ok',
    figures,
    summary,
    rule: 'Làm đủ 12 tháng cho một công ty được nghỉ hằng năm hưởng nguyên lương: 12 ngày làm việc với công việc bình thường; 14 ngày với người chưa thành niên, người khuyết tật, nghề nặng nhọc, độc hại, nguy hiểm; 16 ngày với nghề đặc biệt nặng nhọc, độc hại, nguy hiểm. Cứ đủ 5 năm làm việc cho công ty được thêm 1 ngày. Làm chưa đủ 12 tháng thì tính theo tỷ lệ số tháng làm việc.',
    citations: citationsOf([...basis, B.unused]),
    notes,
  });
}
