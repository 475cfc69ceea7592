import { z } from 'zod';
import {
  citationsOf,
  count,
  formatMoney,
  formatNumber,
  lawNumber,
  money,
  parseInput,
  result,
  type CalculationResult,
  type LegalBasis,
} from './common.js';

/**
 * One-time social-insurance withdrawal (hưởng bảo hiểm xã hội một lần) of a Vietnamese worker in
 * compulsory insurance: Luật Bảo hiểm xã hội 2024 Điều 70 khoản 1 (who may) and khoản 3 (how much). What
 * the law leaves to the Government (odd months, less than a year, the salary adjustment) is said, not
 * guessed.
 */

const BHXH = '41/2024/QH15';

export const LUMP_SUM_BASIS = {
  who: {
    lawId: BHXH,
    article: '70',
    clause: '1',
    quote:
      'Đối tượng quy định tại khoản 1 Điều 2 của Luật này đã chấm dứt tham gia bảo hiểm xã hội mà có đề nghị thì được hưởng bảo hiểm xã hội một lần nếu thuộc một trong các trường hợp sau đây',
  },
  retirementAge: {
    lawId: BHXH,
    article: '70',
    clause: '1',
    quote: 'Đủ tuổi hưởng lương hưu mà chưa đủ 15 năm đóng bảo hiểm xã hội.',
  },
  emigrating: { lawId: BHXH, article: '70', clause: '1', quote: 'b) Ra nước ngoài để định cư' },
  illness: {
    lawId: BHXH,
    article: '70',
    clause: '1',
    quote: 'Người đang mắc một trong những bệnh ung thư, bại liệt, xơ gan mất bù, lao nặng, AIDS',
  },
  disability: {
    lawId: BHXH,
    article: '70',
    clause: '1',
    quote: 'Người có mức suy giảm khả năng lao động từ 81% trở lên; người khuyết tật đặc biệt nặng',
  },
  stopped: {
    lawId: BHXH,
    article: '70',
    clause: '1',
    quote:
      'Người lao động có thời gian đóng bảo hiểm xã hội trước ngày Luật này có hiệu lực thi hành, sau 12 tháng không thuộc đối tượng tham gia bảo hiểm xã hội bắt buộc mà cũng không tham gia bảo hiểm xã hội tự nguyện và có thời gian đóng bảo hiểm xã hội chưa đủ 20 năm',
  },
  inForce: {
    lawId: BHXH,
    article: '140',
    clause: '1',
    quote: 'Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.',
  },
  before2014: {
    lawId: BHXH,
    article: '70',
    clause: '3',
    quote:
      'Bằng 1,5 tháng mức bình quân tiền lương tháng đóng bảo hiểm xã hội đối với năm đóng trước năm 2014.',
  },
  carryOver: {
    lawId: BHXH,
    article: '70',
    clause: '3',
    quote:
      'Trường hợp có thời gian đóng bảo hiểm xã hội trước và sau năm 2014 mà thời gian đóng trước năm 2014 có tháng lẻ thì những tháng lẻ đó được chuyển sang giai đoạn đóng bảo hiểm xã hội từ năm 2014 trở đi để tính mức hưởng bảo hiểm xã hội một lần',
  },
  from2014: {
    lawId: BHXH,
    article: '70',
    clause: '3',
    quote:
      'Bằng 02 tháng mức bình quân tiền lương tháng đóng bảo hiểm xã hội đối với năm đóng từ năm 2014 trở đi',
  },
  underOneYear: {
    lawId: BHXH,
    article: '70',
    clause: '3',
    quote:
      'Trường hợp thời gian đóng bảo hiểm xã hội chưa đủ một năm thì mức hưởng bằng số tiền đã đóng nhưng không quá 02 tháng mức bình quân tiền lương tháng đóng bảo hiểm xã hội.',
  },
  details: { lawId: BHXH, article: '70', clause: '7', quote: 'Chính phủ quy định chi tiết Điều này.' },
  averageSalary: {
    lawId: BHXH,
    article: '72',
    clause: '2',
    quote:
      'Người lao động có toàn bộ thời gian đóng bảo hiểm xã hội theo chế độ tiền lương do người sử dụng lao động quyết định thì tính bình quân tiền lương làm căn cứ đóng bảo hiểm xã hội của toàn bộ thời gian.',
  },
  adjustment: {
    lawId: BHXH,
    article: '73',
    clause: '2',
    quote: 'được điều chỉnh trên cơ sở chỉ số giá tiêu dùng của từng thời kỳ theo quy định của Chính phủ',
  },
  preserved: {
    lawId: BHXH,
    article: '71',
    quote:
      'Người lao động khi nghỉ việc mà chưa đủ điều kiện để hưởng lương hưu theo quy định tại Điều 64, Điều 65 của Luật này hoặc chưa hưởng bảo hiểm xã hội một lần theo quy định tại Điều 70 của Luật này hoặc chưa hưởng trợ cấp hằng tháng theo quy định tại Điều 23 của Luật này thì được bảo lưu thời gian đóng bảo hiểm xã hội.',
  },
} satisfies Record<string, LegalBasis>;

const B = LUMP_SUM_BASIS;

const RETIREMENT_MAX_YEARS = lawNumber(B.retirementAge, '15 năm');
const STOPPED_MONTHS = lawNumber(B.stopped, '12 tháng');
const STOPPED_MAX_YEARS = lawNumber(B.stopped, '20 năm');
const PER_YEAR_BEFORE_2014 = lawNumber(B.before2014, '1,5 tháng');
const PER_YEAR_FROM_2014 = lawNumber(B.from2014, '02 tháng');
const UNDER_ONE_YEAR_CAP = lawNumber(B.underOneYear, '02 tháng');
const YEAR = 12;

export const LUMP_SUM_CASES = [
  'retirement_age',
  'emigrating',
  'serious_illness',
  'work_capacity_81',
  'stopped_12_months',
  'other',
] as const;
export type LumpSumCase = (typeof LUMP_SUM_CASES)[number];

export const lumpSumInputSchema = z.object({
  case: z.enum(LUMP_SUM_CASES, { message: 'Bạn chọn trường hợp của mình trong danh sách nhé.' }),
  monthsBefore2014: count(
    'Số tháng đóng bảo hiểm xã hội trước năm 2014',
    600,
    'Số tháng đóng bảo hiểm xã hội không thể quá 50 năm.',
  ),
  monthsFrom2014: count(
    'Số tháng đóng bảo hiểm xã hội từ năm 2014',
    600,
    'Số tháng đóng bảo hiểm xã hội không thể quá 50 năm.',
  ),
  /** For `stopped_12_months`: some contributions were paid before 01/07/2025. */
  contributedBeforeJuly2025: z.boolean().optional(),
  /** For `stopped_12_months`: months since the worker last paid compulsory or voluntary insurance. */
  monthsSinceStopped: count('Số tháng đã nghỉ không đóng bảo hiểm xã hội', 600).optional(),
  /** Average monthly wage on which insurance was paid (before the Government's adjustment). */
  averageMonthlySalary: money('Mức lương đóng bảo hiểm xã hội bình quân').optional(),
});

export type LumpSumInput = z.input<typeof lumpSumInputSchema>;

export interface LumpSumFigures {
  yearsBefore2014: number;
  yearsFrom2014: number;
  /** Months left over that the shipped law does not say how to count. */
  oddMonths: number;
  /** Months of average salary for the whole years. */
  monthsOfSalary: number;
  amount?: number;
}

const RULE =
  'Người đã nghỉ, không còn đóng bảo hiểm xã hội, có đề nghị thì được nhận bảo hiểm xã hội một lần khi: đủ tuổi hưởng lương hưu mà chưa đủ 15 năm đóng; ra nước ngoài định cư; mắc bệnh ung thư, bại liệt, xơ gan mất bù, lao nặng, AIDS; suy giảm khả năng lao động từ 81% trở lên hoặc khuyết tật đặc biệt nặng; hoặc có thời gian đóng trước ngày 01/07/2025, sau 12 tháng không đóng bắt buộc và tự nguyện và đóng chưa đủ 20 năm. Mỗi năm đóng trước năm 2014 được 1,5 tháng, mỗi năm từ năm 2014 được 2 tháng lương bình quân đóng bảo hiểm xã hội.';

export function calculateLumpSum(input: LumpSumInput): CalculationResult<LumpSumFigures> {
  const v = parseInput(lumpSumInputSchema, input);
  const total = v.monthsBefore2014 + v.monthsFrom2014;
  const figures: LumpSumFigures = { yearsBefore2014: 0, yearsFrom2014: 0, oddMonths: 0, monthsOfSalary: 0 };
  const notes: string[] = [];
  const outcome = (status: 'not_eligible' | 'not_covered', summary: string[], basis: LegalBasis[]) =>
    result({
      calculator: 'social_insurance_lump_sum',
      status,
      figures,
      summary,
      rule: RULE,
      citations: citationsOf(basis),
      notes,
    });

  if (total === 0) {
    return outcome(
      'not_eligible',
      ['Bạn chưa có tháng nào đóng bảo hiểm xã hội nên không có khoản hưởng một lần.'],
      [B.who],
    );
  }
  const caseBasis: Record<LumpSumCase, LegalBasis[]> = {
    retirement_age: [B.retirementAge],
    emigrating: [B.emigrating],
    serious_illness: [B.illness],
    work_capacity_81: [B.disability],
    stopped_12_months: [B.stopped, B.inForce],
    other: [B.preserved],
  };
  switch (v.case) {
    case 'other':
      return outcome(
        'not_covered',
        [
          'Ngoài các trường hợp ở khoản 1 Điều 70 Luật Bảo hiểm xã hội, người nghỉ việc chưa hưởng một lần thì được bảo lưu thời gian đóng (Điều 71). Trường hợp của bạn cần cán bộ công đoàn xem giúp.',
        ],
        [B.who, B.preserved],
      );
    case 'retirement_age':
      if (total >= RETIREMENT_MAX_YEARS * YEAR) {
        return outcome(
          'not_eligible',
          [
            `Bạn đã đóng ${formatNumber(total / YEAR)} năm. Trường hợp đủ tuổi hưởng lương hưu chỉ được nhận một lần khi chưa đủ 15 năm đóng (điểm a khoản 1 Điều 70 Luật Bảo hiểm xã hội).`,
          ],
          [B.retirementAge],
        );
      }
      break;
    case 'stopped_12_months': {
      const before = v.contributedBeforeJuly2025 ?? (v.monthsBefore2014 > 0 ? true : undefined);
      const problems: string[] = [];
      if (before === false) {
        problems.push(
          'Trường hợp nghỉ việc 12 tháng chỉ áp dụng với người có thời gian đóng trước ngày 01/07/2025 (ngày Luật có hiệu lực).',
        );
      }
      if (v.monthsSinceStopped !== undefined && v.monthsSinceStopped < STOPPED_MONTHS) {
        problems.push(
          `Bạn mới ngừng đóng ${v.monthsSinceStopped} tháng; cần đủ 12 tháng không thuộc diện đóng bắt buộc và không đóng tự nguyện.`,
        );
      }
      if (total >= STOPPED_MAX_YEARS * YEAR) {
        problems.push(
          `Bạn đã đóng ${formatNumber(total / YEAR)} năm; trường hợp này chỉ áp dụng khi đóng chưa đủ 20 năm.`,
        );
      }
      if (problems.length) {
        return outcome(
          'not_eligible',
          [...problems, '(điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội)'],
          [B.stopped, B.inForce],
        );
      }
      if (before === undefined || v.monthsSinceStopped === undefined) {
        notes.push(
          'Điều kiện: có thời gian đóng trước ngày 01/07/2025, đã đủ 12 tháng không đóng bảo hiểm xã hội bắt buộc và tự nguyện, và đóng chưa đủ 20 năm.',
        );
      }
      break;
    }
    default:
      break;
  }

  if (total < YEAR) {
    const cap = v.averageMonthlySalary
      ? ` (nhiều nhất ${formatMoney(UNDER_ONE_YEAR_CAP * v.averageMonthlySalary)})`
      : '';
    return outcome(
      'not_covered',
      [
        `Bạn đóng ${total} tháng, chưa đủ một năm: mức hưởng bằng số tiền đã đóng nhưng không quá 2 tháng lương bình quân${cap}. Số tiền đã đóng do cơ quan bảo hiểm xã hội xác định; cán bộ công đoàn có thể hỏi giúp bạn.`,
      ],
      [...caseBasis[v.case], B.underOneYear],
    );
  }

  // Odd months before 2014 move to the period from 2014 when there is one (Điều 70 khoản 3 điểm a).
  let before = v.monthsBefore2014;
  let after = v.monthsFrom2014;
  const basis: LegalBasis[] = [B.who, ...caseBasis[v.case]];
  if (before > 0) basis.push(B.before2014);
  if (after > 0) basis.push(B.from2014);
  if (before % YEAR > 0 && after > 0) {
    after += before % YEAR;
    before -= before % YEAR;
    basis.push(B.carryOver);
  }
  figures.yearsBefore2014 = Math.floor(before / YEAR);
  figures.yearsFrom2014 = Math.floor(after / YEAR);
  figures.oddMonths = (before % YEAR) + (after % YEAR);
  figures.monthsOfSalary =
    PER_YEAR_BEFORE_2014 * figures.yearsBefore2014 + PER_YEAR_FROM_2014 * figures.yearsFrom2014;
  const summary = [
    `Số năm tròn: ${figures.yearsBefore2014} năm trước năm 2014 × 1,5 tháng + ${figures.yearsFrom2014} năm từ năm 2014 × 2 tháng = ${formatNumber(figures.monthsOfSalary)} tháng lương bình quân.`,
  ];
  if (v.averageMonthlySalary !== undefined) {
    figures.amount = figures.monthsOfSalary * v.averageMonthlySalary;
    summary.push(
      `Với lương bình quân ${formatMoney(v.averageMonthlySalary)}: khoảng ${formatMoney(figures.amount)}.`,
    );
  }
  notes.push(
    'Lương bình quân là bình quân tiền lương đóng bảo hiểm xã hội của toàn bộ thời gian đóng, được điều chỉnh theo chỉ số giá tiêu dùng do Chính phủ quy định (khoản 2 Điều 72, khoản 2 Điều 73), nên số tiền thực nhận có thể khác.',
  );
  basis.push(B.averageSalary, B.adjustment);
  if (figures.oddMonths > 0) {
    summary.push(
      `Còn ${figures.oddMonths} tháng lẻ chưa được tính: Luật giao Chính phủ quy định chi tiết (khoản 7 Điều 70) và văn bản đó chưa có trong thư viện. Cán bộ công đoàn có thể kiểm tra giúp bạn — gõ "gặp cán bộ".`,
    );
    basis.push(B.details);
  }
  return result({
    calculator: 'social_insurance_lump_sum',
    status: figures.oddMonths > 0 ? 'not_covered' : 'ok',
    figures,
    summary,
    rule: RULE,
    citations: citationsOf(basis),
    notes,
  });
}
