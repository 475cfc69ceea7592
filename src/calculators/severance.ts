import { z } from 'zod';
import {
  citationsOf,
  count,
  formatMoney,
  formatNumber,
  isoDate,
  lawNumber,
  money,
  monthsBetween,
  parseInput,
  result,
  type CalculationResult,
  type LegalBasis,
} from './common.js';

/**
 * Severance allowance (trợ cấp thôi việc, Bộ luật Lao động Điều 46) and job-loss allowance (trợ cấp mất
 * việc làm, Điều 47), with the working-time rules of Nghị định 145/2020/NĐ-CP Điều 8.
 */

const BLLD = '45/2019/QH14';
const ND145 = '145/2020/NĐ-CP';

export const SEVERANCE_BASIS = {
  severance: {
    lawId: BLLD,
    article: '46',
    clause: '1',
    quote:
      'Khi hợp đồng lao động chấm dứt theo quy định tại các khoản 1, 2, 3, 4, 6, 7, 9 và 10 Điều 34 của Bộ luật này thì người sử dụng lao động có trách nhiệm trả trợ cấp thôi việc cho người lao động đã làm việc thường xuyên cho mình từ đủ 12 tháng trở lên, mỗi năm làm việc được trợ cấp một nửa tháng tiền lương',
  },
  severanceExceptions: {
    lawId: BLLD,
    article: '46',
    clause: '1',
    quote:
      'trừ trường hợp đủ điều kiện hưởng lương hưu theo quy định của pháp luật về bảo hiểm xã hội và trường hợp quy định tại điểm e khoản 1 Điều 36 của Bộ luật này',
  },
  workingTime: {
    lawId: BLLD,
    article: '46',
    clause: '2',
    quote:
      'Thời gian làm việc để tính trợ cấp thôi việc là tổng thời gian người lao động đã làm việc thực tế cho người sử dụng lao động trừ đi thời gian người lao động đã tham gia bảo hiểm thất nghiệp theo quy định của pháp luật về bảo hiểm thất nghiệp và thời gian làm việc đã được người sử dụng lao động chi trả trợ cấp thôi việc, trợ cấp mất việc làm.',
  },
  salary: {
    lawId: BLLD,
    article: '46',
    clause: '3',
    quote:
      'Tiền lương để tính trợ cấp thôi việc là tiền lương bình quân của 06 tháng liền kề theo hợp đồng lao động trước khi người lao động thôi việc.',
  },
  jobLoss: {
    lawId: BLLD,
    article: '47',
    clause: '1',
    quote:
      'Người sử dụng lao động trả trợ cấp mất việc làm cho người lao động đã làm việc thường xuyên cho mình từ đủ 12 tháng trở lên mà bị mất việc làm theo quy định tại khoản 11 Điều 34 của Bộ luật này, cứ mỗi năm làm việc trả 01 tháng tiền lương nhưng ít nhất bằng 02 tháng tiền lương.',
  },
  jobLossWorkingTime: {
    lawId: BLLD,
    article: '47',
    clause: '2',
    quote:
      'Thời gian làm việc để tính trợ cấp mất việc làm là tổng thời gian người lao động đã làm việc thực tế cho người sử dụng lao động trừ đi thời gian người lao động đã tham gia bảo hiểm thất nghiệp',
  },
  jobLossSalary: {
    lawId: BLLD,
    article: '47',
    clause: '3',
    quote:
      'Tiền lương để tính trợ cấp mất việc làm là tiền lương bình quân của 06 tháng liền kề theo hợp đồng lao động trước khi người lao động mất việc làm.',
  },
  jobLossMinimum: {
    lawId: ND145,
    article: '8',
    clause: '2',
    quote:
      'thời gian làm việc để tính trợ cấp mất việc làm quy định tại khoản 3 Điều này ít hơn 24 tháng thì người sử dụng lao động có trách nhiệm chi trả trợ cấp mất việc làm cho người lao động ít nhất bằng 02 tháng tiền lương',
  },
  rounding: {
    lawId: ND145,
    article: '8',
    clause: '3',
    quote:
      'Thời gian làm việc để tính trợ cấp thôi việc, trợ cấp mất việc làm của người lao động được tính theo năm (đủ 12 tháng); trường hợp có tháng lẻ ít hơn hoặc bằng 06 tháng được tính bằng 1/2 năm, trên 06 tháng được tính bằng 01 năm làm việc.',
  },
  actualTime: {
    lawId: ND145,
    article: '8',
    clause: '3',
    quote:
      'thời gian người lao động đã trực tiếp làm việc; thời gian thử việc; thời gian được người sử dụng lao động cử đi học; thời gian nghỉ hưởng chế độ ốm đau, thai sản theo quy định của pháp luật về bảo hiểm xã hội',
  },
  unlawfulResignation: { lawId: BLLD, article: '40', clause: '1', quote: 'Không được trợ cấp thôi việc.' },
  absence: {
    lawId: BLLD,
    article: '36',
    clause: '1',
    quote: 'Người lao động tự ý bỏ việc mà không có lý do chính đáng từ 05 ngày làm việc liên tục trở lên',
  },
} satisfies Record<string, LegalBasis>;

const B = SEVERANCE_BASIS;

const MIN_MONTHS = lawNumber(B.severance, '12 tháng');
const SEVERANCE_PER_YEAR = lawNumber(B.severance, 'một nửa tháng', 0.5);
const JOB_LOSS_PER_YEAR = lawNumber(B.jobLoss, '01 tháng');
const JOB_LOSS_MINIMUM = lawNumber(B.jobLoss, '02 tháng');
const JOB_LOSS_SHORT_MONTHS = lawNumber(B.jobLossMinimum, '24 tháng');
const YEAR_MONTHS = lawNumber(B.rounding, '12 tháng');
const HALF_YEAR_MAX_MONTHS = lawNumber(B.rounding, '06 tháng');
const HALF_YEAR = lawNumber(B.rounding, '1/2 năm');
const ONE_YEAR = lawNumber(B.rounding, '01 năm');

/**
 * How the contract ended (Bộ luật Lao động Điều 34):
 * - `contract_ended`: expired, work completed or both agreed (khoản 1, 2, 3);
 * - `worker_resigned`: the worker ended it lawfully under Điều 35 (khoản 9);
 * - `employer_terminated`: the employer ended it under Điều 36 (khoản 10);
 * - `restructuring`: let go for restructuring, new technology, economic reasons, merger or sale (khoản 11,
 *   Điều 42, 43) — job-loss allowance;
 * - `dismissed`: disciplinary dismissal (khoản 8), not among the cases of Điều 46;
 * - `unlawful_resignation`: the worker quit against the law (Điều 40 khoản 1);
 * - `absent_5_days`: away without good reason for 5 working days in a row (Điều 36 khoản 1 điểm e);
 * - `retirement_eligible`: entitled to a pension;
 * - `other`: any other case; an officer checks it.
 */
export const TERMINATION_CASES = [
  'contract_ended',
  'worker_resigned',
  'employer_terminated',
  'restructuring',
  'dismissed',
  'unlawful_resignation',
  'absent_5_days',
  'retirement_eligible',
  'other',
] as const;
export type TerminationCase = (typeof TERMINATION_CASES)[number];

export const severanceInputSchema = z
  .object({
    termination: z.enum(TERMINATION_CASES, { message: 'Bạn chọn lý do nghỉ việc trong danh sách nhé.' }),
    /** Months worked for this employer; or give `startDate` and `endDate`. */
    workedMonths: count(
      'Thời gian làm việc (tháng)',
      720,
      'Thời gian làm việc cho một công ty không thể quá 60 năm.',
    ).optional(),
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    /** Months of that time during which unemployment insurance was paid. */
    unemploymentInsuranceMonths: count('Số tháng đóng bảo hiểm thất nghiệp', 720),
    /** Months already covered by a severance or job-loss allowance paid earlier. */
    alreadyPaidMonths: count('Số tháng đã được trả trợ cấp trước đây', 720).default(0),
    averageMonthlySalary: money('Tiền lương bình quân 6 tháng'),
  })
  .superRefine((v, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (v.workedMonths === undefined && (v.startDate === undefined || v.endDate === undefined)) {
      issue('Cần thời gian làm việc: số tháng, hoặc ngày bắt đầu và ngày nghỉ việc.');
      return;
    }
    if (v.startDate && v.endDate && v.startDate > v.endDate) {
      issue('Ngày bắt đầu làm việc đang ở sau ngày nghỉ việc, bạn kiểm tra lại hai ngày này nhé.');
      return;
    }
    const worked = v.workedMonths ?? monthsBetween(v.startDate!, v.endDate!).months;
    if (v.unemploymentInsuranceMonths > worked) {
      issue(
        `Số tháng đóng bảo hiểm thất nghiệp (${v.unemploymentInsuranceMonths}) không thể nhiều hơn thời gian làm việc cho công ty (${worked} tháng).`,
      );
    } else if (v.unemploymentInsuranceMonths + v.alreadyPaidMonths > worked) {
      issue(
        'Số tháng đóng bảo hiểm thất nghiệp cộng số tháng đã được trả trợ cấp không thể nhiều hơn thời gian làm việc.',
      );
    }
  });

export type SeveranceInput = z.input<typeof severanceInputSchema>;

export interface SeveranceFigures {
  kind: 'severance' | 'job_loss' | 'none';
  workedMonths: number;
  /** Days past the last whole month when dates were given (not counted). */
  extraDays: number;
  countedMonths: number;
  /** Working time as the allowance counts it: whole years, and 1/2 or 1 for the months left over. */
  countedYears: number;
  monthsOfSalary: number;
  amount: number;
}

/** Whole years, plus 1/2 for up to 6 months left over and 1 for more (Nghị định 145 Điều 8 khoản 3 điểm c). */
export function countedYears(months: number): number {
  const whole = Math.floor(months / YEAR_MONTHS);
  const rest = months - whole * YEAR_MONTHS;
  if (rest === 0) return whole;
  return whole + (rest <= HALF_YEAR_MAX_MONTHS ? HALF_YEAR : ONE_YEAR);
}

const RULE =
  'Trợ cấp thôi việc: người làm thường xuyên từ đủ 12 tháng, mỗi năm làm việc được một nửa tháng tiền lương. Trợ cấp mất việc làm (công ty cho nghỉ vì thay đổi cơ cấu, công nghệ, lý do kinh tế, sáp nhập, chia tách): mỗi năm làm việc 1 tháng tiền lương, ít nhất 2 tháng. Thời gian tính là thời gian làm việc thực tế trừ thời gian đã đóng bảo hiểm thất nghiệp và thời gian đã được trả trợ cấp; tháng lẻ đến 6 tháng tính 1/2 năm, trên 6 tháng tính 1 năm. Tiền lương tính là lương bình quân 6 tháng liền kề theo hợp đồng.';

export function calculateSeverance(input: SeveranceInput): CalculationResult<SeveranceFigures> {
  const v = parseInput(severanceInputSchema, input);
  const span =
    v.workedMonths === undefined
      ? monthsBetween(v.startDate!, v.endDate!)
      : { months: v.workedMonths, extraDays: 0 };
  const worked = span.months;
  const jobLoss = v.termination === 'restructuring';
  const figures: SeveranceFigures = {
    kind: jobLoss ? 'job_loss' : 'severance',
    workedMonths: worked,
    extraDays: span.extraDays,
    countedMonths: 0,
    countedYears: 0,
    monthsOfSalary: 0,
    amount: 0,
  };
  const notes: string[] = [];
  if (span.extraDays > 0) {
    notes.push(
      `Thời gian làm việc tính được ${worked} tháng và ${span.extraDays} ngày lẻ; văn bản trong thư viện tính theo tháng và không nói cách tính ngày lẻ, nên ngày lẻ chưa được tính.`,
    );
  }

  const refuse = (why: string, basis: LegalBasis[]) =>
    result({
      calculator: 'severance',
      status: 'not_eligible',
      figures: { ...figures, kind: 'none' as const },
      summary: [why],
      rule: RULE,
      citations: citationsOf(basis),
      notes,
    });

  switch (v.termination) {
    case 'dismissed':
      return refuse(
        'Bị kỷ luật sa thải (khoản 8 Điều 34) không nằm trong các trường hợp được trợ cấp thôi việc (khoản 1, 2, 3, 4, 6, 7, 9 và 10 Điều 34 Bộ luật Lao động).',
        [B.severance],
      );
    case 'unlawful_resignation':
      return refuse(
        'Người lao động đơn phương chấm dứt hợp đồng trái pháp luật thì không được trợ cấp thôi việc (khoản 1 Điều 40 Bộ luật Lao động).',
        [B.unlawfulResignation],
      );
    case 'absent_5_days':
      return refuse(
        'Tự ý bỏ việc không có lý do chính đáng từ 5 ngày làm việc liên tục trở lên là trường hợp không được trợ cấp thôi việc (khoản 1 Điều 46, điểm e khoản 1 Điều 36 Bộ luật Lao động).',
        [B.severanceExceptions, B.absence],
      );
    case 'retirement_eligible':
      return refuse(
        'Người đủ điều kiện hưởng lương hưu thì không được trợ cấp thôi việc (khoản 1 Điều 46 Bộ luật Lao động).',
        [B.severanceExceptions],
      );
    case 'other':
      return result({
        calculator: 'severance',
        status: 'not_covered',
        figures: { ...figures, kind: 'none' },
        summary: [
          'Trường hợp nghỉ việc này mình chưa tính tự động được. Trợ cấp thôi việc chỉ trả khi hợp đồng chấm dứt theo khoản 1, 2, 3, 4, 6, 7, 9 và 10 Điều 34 Bộ luật Lao động; cán bộ công đoàn có thể xem giúp trường hợp của bạn.',
        ],
        rule: RULE,
        citations: citationsOf([B.severance]),
        notes,
      });
    default:
      break;
  }

  if (worked < MIN_MONTHS) {
    return refuse(
      `Bạn làm cho công ty ${worked} tháng, chưa đủ 12 tháng nên chưa được trợ cấp ${jobLoss ? 'mất việc làm' : 'thôi việc'} (khoản 1 Điều ${jobLoss ? '47' : '46'} Bộ luật Lao động).`,
      [jobLoss ? B.jobLoss : B.severance],
    );
  }

  const counted = worked - v.unemploymentInsuranceMonths - v.alreadyPaidMonths;
  const years = countedYears(counted);
  figures.countedMonths = counted;
  figures.countedYears = years;
  const summary: string[] = [
    `Thời gian tính trợ cấp: ${worked} tháng làm việc − ${v.unemploymentInsuranceMonths} tháng đóng bảo hiểm thất nghiệp${v.alreadyPaidMonths ? ` − ${v.alreadyPaidMonths} tháng đã được trả trợ cấp` : ''} = ${counted} tháng, tính là ${formatNumber(years)} năm.`,
  ];
  let basis: LegalBasis[];
  if (jobLoss) {
    const months = Math.max(years * JOB_LOSS_PER_YEAR, JOB_LOSS_MINIMUM);
    figures.monthsOfSalary = months;
    figures.amount = months * v.averageMonthlySalary;
    summary.push(
      years * JOB_LOSS_PER_YEAR < JOB_LOSS_MINIMUM
        ? `Trợ cấp mất việc làm: ${formatNumber(years)} năm × 1 tháng lương chưa tới mức tối thiểu, nên được ít nhất 2 tháng lương = ${formatMoney(figures.amount)}.`
        : `Trợ cấp mất việc làm: ${formatNumber(years)} năm × 1 tháng lương × ${formatMoney(v.averageMonthlySalary)} = ${formatMoney(figures.amount)}.`,
    );
    basis = [
      B.jobLoss,
      B.jobLossWorkingTime,
      B.rounding,
      B.jobLossSalary,
      ...(counted < JOB_LOSS_SHORT_MONTHS ? [B.jobLossMinimum] : []),
    ];
  } else {
    const months = years * SEVERANCE_PER_YEAR;
    figures.monthsOfSalary = months;
    figures.amount = months * v.averageMonthlySalary;
    summary.push(
      counted <= 0
        ? 'Toàn bộ thời gian làm việc đã được đóng bảo hiểm thất nghiệp (hoặc đã được trả trợ cấp), nên không còn thời gian tính trợ cấp thôi việc: 0 đồng. Thời gian đóng bảo hiểm thất nghiệp được tính cho trợ cấp thất nghiệp.'
        : `Trợ cấp thôi việc: ${formatNumber(years)} năm × nửa tháng lương × ${formatMoney(v.averageMonthlySalary)} = ${formatMoney(figures.amount)}.`,
    );
    basis = [B.severance, B.workingTime, B.rounding, B.salary];
  }
  notes.push(
    'Thời gian làm việc thực tế gồm cả thời gian thử việc, được cử đi học, nghỉ hưởng chế độ ốm đau, thai sản (điểm a khoản 3 Điều 8 Nghị định 145/2020/NĐ-CP).',
  );
  return result({
    calculator: 'severance',
    status: 'ok',
    figures,
    summary,
    rule: RULE,
    citations: citationsOf([...basis, B.actualTime]),
    notes,
  });
}
