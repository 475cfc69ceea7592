import { z } from 'zod';
import {
  CalculatorInputError,
  citationsOf,
  count,
  formatMoney,
  lawNumber,
  money,
  parseInput,
  result,
  type CalculationResult,
  type LegalBasis,
  type LegalCitation,
} from './common.js';
import { REGIONS, type MinimumWageData, type Region } from './minimum-wage.js';

/**
 * Unemployment benefit (trợ cấp thất nghiệp) under Luật Việc làm 74/2025/QH15 Điều 38 (conditions) and
 * Điều 39 (monthly amount, its cap and the number of months). The cap is 5 times the regional minimum
 * wage of the last month of contributions: it comes from the minimum-wage data file, and where that file
 * does not cover the month the calculator says so instead of guessing.
 */

const VL = '74/2025/QH15';

export const UNEMPLOYMENT_BASIS = {
  amount: {
    lawId: VL,
    article: '39',
    clause: '1',
    quote:
      'Mức hưởng trợ cấp thất nghiệp hằng tháng bằng 60% mức bình quân tiền lương tháng đóng bảo hiểm thất nghiệp của 06 tháng đã đóng bảo hiểm thất nghiệp gần nhất trước khi chấm dứt hợp đồng lao động, hợp đồng làm việc hoặc chấm dứt làm việc nhưng tối đa không quá 05 lần mức lương tối thiểu tháng theo vùng do Chính phủ công bố được áp dụng tại tháng cuối cùng đóng bảo hiểm thất nghiệp.',
  },
  duration: {
    lawId: VL,
    article: '39',
    clause: '2',
    quote:
      'Thời gian hưởng trợ cấp thất nghiệp được tính theo số tháng đóng bảo hiểm thất nghiệp, cứ đóng đủ 12 tháng đến đủ 36 tháng thì được hưởng 03 tháng trợ cấp thất nghiệp, sau đó, cứ đóng đủ thêm 12 tháng thì được hưởng thêm 01 tháng trợ cấp thất nghiệp nhưng thời gian hưởng trợ cấp thất nghiệp tối đa 12 tháng.',
  },
  start: {
    lawId: VL,
    article: '39',
    clause: '3',
    quote:
      'Thời điểm hưởng trợ cấp thất nghiệp là ngày làm việc thứ 11 kể từ ngày nộp đủ hồ sơ hưởng trợ cấp thất nghiệp.',
  },
  conditionTermination: {
    lawId: VL,
    article: '38',
    clause: '1',
    quote:
      'mà không thuộc một trong các trường hợp người lao động đơn phương chấm dứt hợp đồng lao động trái pháp luật theo quy định của Bộ luật Lao động hoặc người lao động nghỉ việc khi đủ điều kiện hưởng lương hưu',
  },
  conditionMonths: {
    lawId: VL,
    article: '38',
    clause: '1',
    quote:
      'Đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trở lên trong thời gian 24 tháng trước khi chấm dứt hợp đồng lao động, hợp đồng làm việc hoặc chấm dứt làm việc theo quy định của pháp luật.',
  },
  conditionShortContract: {
    lawId: VL,
    article: '38',
    clause: '1',
    quote:
      'Trường hợp người lao động làm việc theo hợp đồng lao động có thời hạn từ đủ 01 tháng đến dưới 12 tháng thì phải đóng đủ 12 tháng trở lên trong thời gian 36 tháng trước khi chấm dứt hợp đồng lao động.',
  },
  conditionFiling: {
    lawId: VL,
    article: '38',
    clause: '1',
    quote:
      'Đã nộp đủ hồ sơ hưởng trợ cấp thất nghiệp trong thời hạn 03 tháng kể từ ngày chấm dứt hợp đồng lao động, hợp đồng làm việc hoặc chấm dứt làm việc.',
  },
  contributionCeiling: {
    lawId: VL,
    article: '34',
    clause: '2',
    quote:
      'Tiền lương làm căn cứ đóng bảo hiểm thất nghiệp cao nhất bằng 20 lần mức lương tối thiểu tháng theo vùng do Chính phủ công bố tại thời điểm đóng bảo hiểm thất nghiệp.',
  },
  inForce: {
    lawId: VL,
    article: '54',
    clause: '1',
    quote: 'Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2026.',
  },
} satisfies Record<string, LegalBasis>;

const B = UNEMPLOYMENT_BASIS;

const SHARE = lawNumber(B.amount, '60%');
const CAP_TIMES = lawNumber(B.amount, '05 lần');
const CEILING_TIMES = lawNumber(B.contributionCeiling, '20 lần');
const MIN_MONTHS = lawNumber(B.duration, '12 tháng');
const FIRST_STEP_MONTHS = lawNumber(B.duration, '36 tháng');
const FIRST_STEP_BENEFIT = lawNumber(B.duration, '03 tháng');
const STEP_MONTHS = lawNumber(B.duration, 'đủ thêm 12 tháng', 12);
const STEP_BENEFIT = lawNumber(B.duration, 'thêm 01 tháng', 1);
const MAX_BENEFIT_MONTHS = lawNumber(B.duration, 'tối đa 12 tháng', 12);
const LAW_IN_FORCE = '2026-01';

/** The regional minimum wage table the cap uses (the data file's header and amounts). */
export type MinimumWageTable = Pick<MinimumWageData, 'legal_source' | 'article' | 'effective' | 'regions'>;

export const unemploymentInputSchema = z.object({
  /** Months of unemployment insurance paid and not yet used for a benefit (Điều 35). */
  contributionMonths: count(
    'Số tháng đóng bảo hiểm thất nghiệp',
    600,
    'Số tháng đóng bảo hiểm thất nghiệp không thể quá 50 năm.',
  ),
  /** At least 12 of them in the 24 months (36 for a contract under 12 months) before the contract ended. */
  twelveMonthsInWindow: z.boolean().optional(),
  termination: z
    .enum(['lawful', 'unlawful_resignation', 'retirement_eligible'], {
      message: 'Bạn chọn cách nghỉ việc trong danh sách nhé.',
    })
    .default('lawful'),
  /** Average monthly wage on which unemployment insurance was paid over the last 6 months. */
  averageMonthlySalary: money('Mức lương đóng bảo hiểm thất nghiệp bình quân 6 tháng'),
  region: z.enum(REGIONS, { message: 'Vùng lương tối thiểu phải là I, II, III hoặc IV.' }).optional(),
  /** Last month of contributions, "YYYY-MM". */
  lastContributionMonth: z
    .string({ message: 'Tháng cuối cùng đóng bảo hiểm thất nghiệp: cần tháng/năm.' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, {
      message: 'Tháng cuối cùng đóng bảo hiểm thất nghiệp: cần tháng/năm, ví dụ 10/2026.',
    }),
});

export type UnemploymentInput = z.input<typeof unemploymentInputSchema>;

export interface UnemploymentFigures {
  /** 60% of the average, before the cap. */
  sixtyPercent: number;
  /** 5 times the regional minimum wage; undefined when the table does not cover the month. */
  cap?: number;
  /** The monthly benefit; undefined when the cap could not be determined and might apply. */
  monthly?: number;
  months: number;
  total?: number;
}

/** Months of benefit for `months` of contributions (Điều 39 khoản 2); 0 below the minimum. */
export function benefitMonths(months: number): number {
  if (months < MIN_MONTHS) return 0;
  const extra =
    months > FIRST_STEP_MONTHS ? Math.floor((months - FIRST_STEP_MONTHS) / STEP_MONTHS) * STEP_BENEFIT : 0;
  return Math.min(MAX_BENEFIT_MONTHS, FIRST_STEP_BENEFIT + extra);
}

const RULE =
  'Trợ cấp thất nghiệp mỗi tháng bằng 60% lương bình quân đóng bảo hiểm thất nghiệp của 6 tháng gần nhất, nhưng không quá 5 lần lương tối thiểu tháng theo vùng áp dụng ở tháng cuối cùng đóng. Đóng đủ 12 đến 36 tháng được hưởng 3 tháng; sau đó cứ đủ thêm 12 tháng được thêm 1 tháng, tối đa 12 tháng. Điều kiện: nghỉ việc đúng luật (không tự ý nghỉ trái luật, không phải nghỉ khi đủ điều kiện hưởng lương hưu), đã đóng đủ 12 tháng trong 24 tháng trước khi nghỉ (36 tháng nếu hợp đồng dưới 12 tháng), nộp hồ sơ trong 3 tháng kể từ ngày nghỉ việc.';

export function calculateUnemployment(
  input: UnemploymentInput,
  table: MinimumWageTable | undefined,
): CalculationResult<UnemploymentFigures> {
  const v = parseInput(unemploymentInputSchema, input);
  const sixty = SHARE * v.averageMonthlySalary;
  const months = benefitMonths(v.contributionMonths);
  const figures: UnemploymentFigures = { sixtyPercent: sixty, months };
  const notes: string[] = [];
  const base: LegalBasis[] = [B.amount, B.duration];

  const refuse = (why: string, basis: LegalBasis[]) =>
    result({
      calculator: 'unemployment',
      status: 'not_eligible',
      figures,
      summary: [why],
      rule: RULE,
      citations: citationsOf(basis),
      notes,
    });

  if (v.termination !== 'lawful') {
    return refuse(
      v.termination === 'unlawful_resignation'
        ? 'Người tự ý đơn phương chấm dứt hợp đồng trái pháp luật thì không được trợ cấp thất nghiệp (điểm a khoản 1 Điều 38 Luật Việc làm).'
        : 'Người nghỉ việc khi đủ điều kiện hưởng lương hưu thì không được trợ cấp thất nghiệp (điểm a khoản 1 Điều 38 Luật Việc làm).',
      [B.conditionTermination],
    );
  }
  if (v.contributionMonths < MIN_MONTHS || v.twelveMonthsInWindow === false) {
    return refuse(
      'Bạn cần đóng bảo hiểm thất nghiệp đủ 12 tháng trở lên trong 24 tháng trước khi nghỉ việc (36 tháng nếu hợp đồng từ 1 đến dưới 12 tháng) mới được trợ cấp thất nghiệp (điểm b khoản 1 Điều 38 Luật Việc làm).',
      [B.conditionMonths, B.conditionShortContract],
    );
  }

  const summaryMonths = `Thời gian hưởng: ${months} tháng (đóng ${v.contributionMonths} tháng).`;
  const regionRow =
    v.region && table && v.lastContributionMonth >= table.effective.slice(0, 7)
      ? table.regions[v.region as Region]
      : undefined;
  const tableCitation: LegalCitation[] = table
    ? [{ lawId: table.legal_source, article: table.article, clause: '1' }]
    : [];

  if (v.lastContributionMonth < LAW_IN_FORCE || !regionRow) {
    const why =
      v.lastContributionMonth < LAW_IN_FORCE
        ? `Luật Việc làm 2025 có hiệu lực từ 01/01/2026, và thư viện chỉ có mức lương tối thiểu vùng áp dụng từ ${table ? table.effective.split('-').reverse().join('/') : '01/01/2026'}; với tháng cuối cùng đóng trước đó, mình chưa có văn bản để tính mức trần.`
        : !v.region
          ? 'Bạn chưa chọn vùng lương tối thiểu nên mình chưa tính được mức trần (5 lần lương tối thiểu vùng).'
          : 'Thư viện chưa có mức lương tối thiểu vùng áp dụng ở tháng cuối cùng bạn đóng, nên mình chưa tính được mức trần.';
    return result({
      calculator: 'unemployment',
      status: 'not_covered',
      figures,
      summary: [
        `60% lương bình quân: ${formatMoney(sixty)}/tháng, chưa xét mức trần.`,
        why,
        summaryMonths,
        'Cán bộ công đoàn có thể kiểm tra giúp bạn — gõ "gặp cán bộ".',
      ],
      rule: RULE,
      citations: [...citationsOf([...base, B.inForce]), ...tableCitation],
      notes,
    });
  }

  const ceiling = CEILING_TIMES * regionRow.monthly;
  if (v.averageMonthlySalary > ceiling) {
    throw new CalculatorInputError([
      `Lương đóng bảo hiểm thất nghiệp cao nhất bằng 20 lần lương tối thiểu tháng theo vùng (khoản 2 Điều 34 Luật Việc làm): vùng ${v.region} là ${formatMoney(ceiling)}. Mức ${formatMoney(v.averageMonthlySalary)} bạn nhập cao hơn mức này, bạn kiểm tra lại nhé.`,
    ]);
  }
  const cap = CAP_TIMES * regionRow.monthly;
  const monthly = Math.min(sixty, cap);
  figures.cap = cap;
  figures.monthly = monthly;
  figures.total = monthly * months;
  const summary = [
    sixty > cap
      ? `Mỗi tháng: 60% × ${formatMoney(v.averageMonthlySalary)} = ${formatMoney(sixty)}, cao hơn mức trần 5 lần lương tối thiểu vùng ${v.region} (${formatMoney(cap)}), nên được ${formatMoney(monthly)}/tháng.`
      : `Mỗi tháng: 60% × ${formatMoney(v.averageMonthlySalary)} = ${formatMoney(monthly)} (mức trần vùng ${v.region}: ${formatMoney(cap)}).`,
    summaryMonths,
    `Tổng cộng khoảng ${formatMoney(figures.total)}.`,
  ];
  notes.push(
    'Nộp hồ sơ trong 3 tháng kể từ ngày nghỉ việc; trợ cấp tính từ ngày làm việc thứ 11 sau khi nộp đủ hồ sơ (điểm c khoản 1 Điều 38, khoản 3 Điều 39 Luật Việc làm).',
  );
  if (v.twelveMonthsInWindow === undefined) {
    notes.push(
      'Điều kiện: đã đóng đủ 12 tháng trong 24 tháng trước khi nghỉ việc (điểm b khoản 1 Điều 38 Luật Việc làm).',
    );
  }
  return result({
    calculator: 'unemployment',
    status: 'ok',
    figures,
    summary,
    rule: RULE,
    citations: [...citationsOf([...base, B.conditionMonths, B.conditionFiling, B.start]), ...tableCitation],
    notes,
  });
}
