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
 * Maternity leave when a child is born (Luật Bảo hiểm xã hội 2024 Điều 53, which for the mother refers to
 * Bộ luật Lao động Điều 139 khoản 1), the contribution condition of Điều 50 and the allowance of Điều 59.
 */

const BHXH = '41/2024/QH15';
const BLLD = '45/2019/QH14';

export const MATERNITY_BASIS = {
  motherRefersToCode: {
    lawId: BHXH,
    article: '53',
    clause: '1',
    quote:
      'Thời gian nghỉ việc hưởng chế độ thai sản của lao động nữ khi sinh con được thực hiện theo quy định tại khoản 1 Điều 139 của Bộ luật Lao động.',
  },
  mother: {
    lawId: BLLD,
    article: '139',
    clause: '1',
    quote:
      'Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng; thời gian nghỉ trước khi sinh không quá 02 tháng.',
  },
  motherTwins: {
    lawId: BLLD,
    article: '139',
    clause: '1',
    quote:
      'Trường hợp lao động nữ sinh đôi trở lên thì tính từ con thứ 02 trở đi, cứ mỗi con, người mẹ được nghỉ thêm 01 tháng.',
  },
  returnEarly: {
    lawId: BLLD,
    article: '139',
    clause: '4',
    quote: 'lao động nữ có thể trở lại làm việc khi đã nghỉ ít nhất được 04 tháng',
  },
  calendarDays: {
    lawId: BHXH,
    article: '53',
    clause: '9',
    quote:
      'Thời gian nghỉ việc hưởng chế độ thai sản quy định tại các khoản 1, 4, 5, 6 và 7 Điều này tính cả ngày nghỉ lễ, tết, ngày nghỉ hằng tuần.',
  },
  father: {
    lawId: BHXH,
    article: '53',
    clause: '2',
    quote:
      'Lao động nam đang tham gia bảo hiểm xã hội bắt buộc khi vợ sinh con được nghỉ việc hưởng chế độ thai sản với thời gian như sau',
  },
  father5: { lawId: BHXH, article: '53', clause: '2', quote: 'a) 05 ngày làm việc' },
  father7: {
    lawId: BHXH,
    article: '53',
    clause: '2',
    quote: '07 ngày làm việc khi vợ sinh con phải phẫu thuật hoặc sinh con dưới 32 tuần tuổi',
  },
  fatherTwins: {
    lawId: BHXH,
    article: '53',
    clause: '2',
    quote:
      'Trường hợp vợ sinh đôi thì được nghỉ 10 ngày làm việc. Trường hợp sinh ba trở lên thì được nghỉ thêm 03 ngày làm việc cho mỗi con tính từ con thứ ba trở đi',
  },
  fatherTwinsSurgery: {
    lawId: BHXH,
    article: '53',
    clause: '2',
    quote:
      'Trường hợp vợ sinh đôi phải phẫu thuật thì được nghỉ 14 ngày làm việc. Trường hợp sinh ba trở lên phải phẫu thuật thì được nghỉ thêm 03 ngày làm việc cho mỗi con tính từ con thứ ba trở đi',
  },
  fatherWindow: {
    lawId: BHXH,
    article: '53',
    clause: '3',
    quote:
      'Ngày bắt đầu nghỉ việc hưởng chế độ thai sản quy định tại khoản 2 Điều này phải trong khoảng thời gian 60 ngày kể từ ngày vợ sinh con',
  },
  condition: {
    lawId: BHXH,
    article: '50',
    clause: '2',
    quote:
      'phải đóng bảo hiểm xã hội bắt buộc từ đủ 06 tháng trở lên trong thời gian 12 tháng liền kề trước khi sinh con',
  },
  conditionPregnancyRest: {
    lawId: BHXH,
    article: '50',
    clause: '3',
    quote:
      'đã đóng bảo hiểm xã hội bắt buộc từ đủ 12 tháng trở lên mà khi mang thai phải nghỉ việc để dưỡng thai theo chỉ định của người hành nghề khám bệnh, chữa bệnh thuộc cơ sở khám bệnh, chữa bệnh thì phải đóng bảo hiểm xã hội bắt buộc từ đủ 03 tháng trở lên trong thời gian 12 tháng liền kề trước khi sinh con',
  },
  allowance: {
    lawId: BHXH,
    article: '59',
    clause: '1',
    quote:
      'bằng 100% mức bình quân tiền lương làm căn cứ đóng bảo hiểm xã hội bắt buộc của 06 tháng gần nhất trước khi nghỉ việc hưởng chế độ thai sản',
  },
  allowancePerDay: {
    lawId: BHXH,
    article: '59',
    clause: '2',
    quote:
      'Trợ cấp thai sản một ngày đối với trường hợp quy định tại Điều 51 và khoản 2 Điều 53 của Luật này được tính bằng trợ cấp thai sản một tháng chia cho 24 ngày.',
  },
} satisfies Record<string, LegalBasis>;

const B = MATERNITY_BASIS;

const MOTHER_MONTHS = lawNumber(B.mother, '06 tháng');
const MAX_BEFORE_BIRTH = lawNumber(B.mother, '02 tháng');
const EXTRA_PER_CHILD = lawNumber(B.motherTwins, '01 tháng');
const RETURN_AFTER = lawNumber(B.returnEarly, '04 tháng');
const FATHER_DAYS = lawNumber(B.father5, '05 ngày');
const FATHER_DAYS_SURGERY = lawNumber(B.father7, '07 ngày');
const FATHER_TWINS = lawNumber(B.fatherTwins, '10 ngày');
const FATHER_TWINS_SURGERY = lawNumber(B.fatherTwinsSurgery, '14 ngày');
const FATHER_EXTRA_PER_CHILD = lawNumber(B.fatherTwins, '03 ngày');
const FATHER_WINDOW_DAYS = lawNumber(B.fatherWindow, '60 ngày');
const CONDITION_MONTHS = lawNumber(B.condition, '06 tháng');
const ALLOWANCE_SHARE = lawNumber(B.allowance, '100%');
const DAYS_PER_MONTH = lawNumber(B.allowancePerDay, '24 ngày');

export const maternityInputSchema = z.object({
  parent: z.enum(['mother', 'father'], {
    message: 'Bạn là người mẹ sinh con hay người chồng có vợ sinh con?',
  }),
  children: z
    .number({ message: 'Số con sinh ra trong lần sinh: cần một con số.' })
    .int({ message: 'Số con phải là số nguyên.' })
    .min(1, { message: 'Số con sinh ra ít nhất là 1.' })
    .max(10, { message: 'Số con trong một lần sinh chưa hợp lý, bạn kiểm tra lại nhé.' }),
  /** Only for the father: the birth needed surgery (phẫu thuật). */
  surgery: z.boolean().default(false),
  /** Only for the father: born before 32 weeks. */
  under32Weeks: z.boolean().default(false),
  /** Only for the mother: months of compulsory social insurance in the 12 months before the birth. */
  contributionMonthsIn12: count(
    'Số tháng đóng bảo hiểm xã hội trong 12 tháng trước khi sinh',
    12,
    'Trong 12 tháng chỉ có thể đóng nhiều nhất 12 tháng.',
  ).optional(),
  /** Average monthly wage on which social insurance was paid over the last 6 months, for the allowance. */
  averageMonthlySalary: money('Mức lương đóng bảo hiểm xã hội bình quân').optional(),
});

export type MaternityInput = z.input<typeof maternityInputSchema>;

export interface MaternityFigures {
  parent: 'mother' | 'father';
  /** Mother: months of leave (calendar, holidays included). */
  months?: number;
  maxMonthsBeforeBirth?: number;
  /** Father: working days of leave. */
  workingDays?: number;
  /** Allowance for the whole leave when an average salary was given. */
  allowance?: number;
}

const RULE_MOTHER =
  'Người mẹ sinh con được nghỉ thai sản 6 tháng, trước khi sinh không quá 2 tháng; sinh đôi trở lên thì từ con thứ hai, mỗi con được nghỉ thêm 1 tháng. Thời gian này tính cả ngày lễ, tết, ngày nghỉ hằng tuần. Điều kiện: đóng bảo hiểm xã hội bắt buộc từ đủ 6 tháng trong 12 tháng trước khi sinh. Trợ cấp mỗi tháng bằng 100% lương bình quân đóng bảo hiểm xã hội của 6 tháng gần nhất.';
const RULE_FATHER =
  'Chồng đang đóng bảo hiểm xã hội bắt buộc được nghỉ khi vợ sinh con: 5 ngày làm việc; 7 ngày nếu vợ phải phẫu thuật hoặc sinh con dưới 32 tuần tuổi; sinh đôi 10 ngày (phẫu thuật 14 ngày); sinh ba trở lên thêm 3 ngày cho mỗi con từ con thứ ba. Phải bắt đầu nghỉ trong 60 ngày kể từ ngày vợ sinh.';

export function calculateMaternity(input: MaternityInput): CalculationResult<MaternityFigures> {
  const v = parseInput(maternityInputSchema, input);
  if (v.parent === 'father') return fatherLeave(v);

  const months = MOTHER_MONTHS + (v.children - 1) * EXTRA_PER_CHILD;
  const basis: LegalBasis[] = [
    B.motherRefersToCode,
    B.mother,
    ...(v.children > 1 ? [B.motherTwins] : []),
    B.calendarDays,
    B.condition,
  ];
  const notes = [
    `Nếu muốn, bạn có thể đi làm lại sớm khi đã nghỉ ít nhất ${RETURN_AFTER} tháng, phải báo trước, được công ty đồng ý và có xác nhận của cơ sở khám bệnh, chữa bệnh (khoản 4 Điều 139 Bộ luật Lao động).`,
  ];
  if (v.contributionMonthsIn12 !== undefined && v.contributionMonthsIn12 < CONDITION_MONTHS) {
    return result({
      calculator: 'maternity',
      status: 'not_eligible',
      figures: { parent: 'mother', months, maxMonthsBeforeBirth: MAX_BEFORE_BIRTH },
      summary: [
        `Bạn đóng bảo hiểm xã hội ${v.contributionMonthsIn12} tháng trong 12 tháng trước khi sinh, chưa đủ 6 tháng nên chưa đủ điều kiện hưởng chế độ thai sản khi sinh con (khoản 2 Điều 50 Luật Bảo hiểm xã hội).`,
        'Riêng người đã đóng từ đủ 12 tháng mà phải nghỉ dưỡng thai theo chỉ định của bác sĩ thì chỉ cần đủ 3 tháng trong 12 tháng trước khi sinh (khoản 3 Điều 50). Cán bộ công đoàn có thể xem giúp trường hợp của bạn.',
      ],
      rule: RULE_MOTHER,
      citations: citationsOf([B.condition, B.conditionPregnancyRest]),
      notes: [],
    });
  }
  const figures: MaternityFigures = { parent: 'mother', months, maxMonthsBeforeBirth: MAX_BEFORE_BIRTH };
  const summary = [
    v.children > 1
      ? `Sinh ${v.children} con: bạn được nghỉ thai sản ${months} tháng (6 tháng, thêm ${v.children - 1} tháng cho ${v.children - 1} con từ con thứ hai).`
      : `Bạn được nghỉ thai sản ${months} tháng.`,
    `Được nghỉ trước khi sinh không quá ${MAX_BEFORE_BIRTH} tháng; thời gian nghỉ tính cả ngày lễ, tết, ngày nghỉ hằng tuần.`,
  ];
  if (v.averageMonthlySalary !== undefined) {
    figures.allowance = months * ALLOWANCE_SHARE * v.averageMonthlySalary;
    summary.push(
      `Trợ cấp thai sản: ${months} tháng × 100% × ${formatMoney(v.averageMonthlySalary)} = ${formatMoney(figures.allowance)} (do bảo hiểm xã hội trả).`,
    );
    basis.push(B.allowance);
  }
  if (v.contributionMonthsIn12 === undefined) {
    notes.unshift(
      'Điều kiện: đóng bảo hiểm xã hội bắt buộc từ đủ 6 tháng trong 12 tháng trước khi sinh (khoản 2 Điều 50 Luật Bảo hiểm xã hội).',
    );
  }
  notes.push(
    'Khoản trợ cấp một lần khi sinh con tính theo mức tham chiếu do Chính phủ công bố, chưa có trong thư viện nên mình không tính.',
  );
  return result({
    calculator: 'maternity',
    status: 'ok',
    figures,
    summary,
    rule: RULE_MOTHER,
    citations: citationsOf([...basis, B.returnEarly]),
    notes,
  });
}

function fatherLeave(v: z.output<typeof maternityInputSchema>): CalculationResult<MaternityFigures> {
  let days: number;
  let basis: LegalBasis;
  if (v.children === 1) {
    days = v.surgery || v.under32Weeks ? FATHER_DAYS_SURGERY : FATHER_DAYS;
    basis = v.surgery || v.under32Weeks ? B.father7 : B.father5;
  } else {
    days = (v.surgery ? FATHER_TWINS_SURGERY : FATHER_TWINS) + (v.children - 2) * FATHER_EXTRA_PER_CHILD;
    basis = v.surgery ? B.fatherTwinsSurgery : B.fatherTwins;
  }
  const figures: MaternityFigures = { parent: 'father', workingDays: days };
  const summary = [`Bạn được nghỉ ${days} ngày làm việc hưởng chế độ thai sản khi vợ sinh con.`];
  const extra: LegalBasis[] = [];
  if (v.averageMonthlySalary !== undefined) {
    figures.allowance = (v.averageMonthlySalary * ALLOWANCE_SHARE * days) / DAYS_PER_MONTH;
    summary.push(
      `Trợ cấp: ${formatMoney(v.averageMonthlySalary)} ÷ ${DAYS_PER_MONTH} ngày × ${formatNumber(days)} ngày = ${formatMoney(figures.allowance)} (do bảo hiểm xã hội trả).`,
    );
    extra.push(B.allowance, B.allowancePerDay);
  }
  return result({
    calculator: 'maternity',
    status: 'ok',
    figures,
    summary,
    rule: RULE_FATHER,
    citations: citationsOf([B.father, basis, B.fatherWindow, ...extra]),
    notes: [
      `Ngày bắt đầu nghỉ phải trong ${FATHER_WINDOW_DAYS} ngày kể từ ngày vợ sinh; có thể nghỉ nhiều lần nhưng tổng không quá số ngày trên (khoản 3 Điều 53 Luật Bảo hiểm xã hội).`,
      'Điều kiện: bạn đang tham gia bảo hiểm xã hội bắt buộc.',
    ],
  });
}
