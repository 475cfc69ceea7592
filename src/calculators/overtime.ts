import { z } from 'zod';
import {
  citationsOf,
  formatMoney,
  formatNumber,
  formatPercent,
  hours,
  lawNumber,
  money,
  parseInput,
  result,
  type CalculationResult,
  type LegalBasis,
} from './common.js';

/**
 * Overtime and night-work pay for one day, for workers paid by time (Bộ luật Lao động Điều 98, the formulas
 * of Nghị định 145/2020/NĐ-CP Điều 55–57, the limits of Điều 105–107 and Nghị định 145 Điều 60).
 */

const BLLD = '45/2019/QH14';
const ND145 = '145/2020/NĐ-CP';

export const OVERTIME_BASIS = {
  normalDay: { lawId: BLLD, article: '98', clause: '1', quote: 'Vào ngày thường, ít nhất bằng 150%' },
  weeklyRest: {
    lawId: BLLD,
    article: '98',
    clause: '1',
    quote: 'Vào ngày nghỉ hằng tuần, ít nhất bằng 200%',
  },
  holiday: {
    lawId: BLLD,
    article: '98',
    clause: '1',
    quote:
      'Vào ngày nghỉ lễ, tết, ngày nghỉ có hưởng lương, ít nhất bằng 300% chưa kể tiền lương ngày lễ, tết, ngày nghỉ có hưởng lương đối với người lao động hưởng lương ngày',
  },
  night: {
    lawId: BLLD,
    article: '98',
    clause: '2',
    quote:
      'Người lao động làm việc vào ban đêm thì được trả thêm ít nhất bằng 30% tiền lương tính theo đơn giá tiền lương hoặc tiền lương thực trả theo công việc của ngày làm việc bình thường',
  },
  nightOvertime: {
    lawId: BLLD,
    article: '98',
    clause: '3',
    quote:
      'người lao động còn được trả thêm 20% tiền lương tính theo đơn giá tiền lương hoặc tiền lương theo công việc làm vào ban ngày của ngày làm việc bình thường hoặc của ngày nghỉ hằng tuần hoặc của ngày nghỉ lễ, tết',
  },
  nightDayBaseNormal: {
    lawId: ND145,
    article: '57',
    clause: '1',
    quote:
      'Tiền lương giờ vào ban ngày của ngày làm việc bình thường, được tính ít nhất bằng 100% so với tiền lương giờ thực trả của công việc đang làm vào ngày làm việc bình thường đối với trường hợp người lao động không làm thêm giờ vào ban ngày của ngày đó (trước khi làm thêm giờ vào ban đêm); ít nhất bằng 150% so với tiền lương giờ thực trả của công việc đang làm vào ngày làm việc bình thường đối với trường hợp người lao động có làm thêm giờ vào ban ngày của ngày đó (trước khi làm thêm giờ vào ban đêm)',
  },
  nightDayBaseWeekly: {
    lawId: ND145,
    article: '57',
    clause: '1',
    quote:
      'Tiền lương giờ vào ban ngày của ngày nghỉ hằng tuần, được tính ít nhất bằng 200% so với tiền lương giờ thực trả của công việc đang làm vào ngày làm việc bình thường',
  },
  nightDayBaseHoliday: {
    lawId: ND145,
    article: '57',
    clause: '1',
    quote:
      'Tiền lương giờ vào ban ngày của ngày nghỉ lễ, tết, ngày nghỉ có hưởng lương, được tính ít nhất bằng 300% so với tiền lương giờ thực trả của công việc đang làm vào ngày làm việc bình thường',
  },
  dailyWage: {
    lawId: ND145,
    article: '54',
    clause: '1',
    quote:
      'Trường hợp hợp đồng lao động thỏa thuận tiền lương theo tháng thì tiền lương ngày được xác định bằng tiền lương tháng chia cho số ngày làm việc bình thường trong tháng theo quy định của pháp luật mà doanh nghiệp lựa chọn',
  },
  hourlyWage: {
    lawId: ND145,
    article: '54',
    clause: '1',
    quote:
      'Trường hợp hợp đồng lao động thỏa thuận tiền lương theo tháng hoặc theo tuần hoặc theo ngày thì tiền lương giờ được xác định bằng tiền lương ngày chia cho số giờ làm việc bình thường trong ngày theo quy định tại Điều 105 của Bộ luật Lao động',
  },
  nightHours: {
    lawId: BLLD,
    article: '106',
    quote: 'Giờ làm việc ban đêm được tính từ 22 giờ đến 06 giờ sáng ngày hôm sau.',
  },
  normalHoursDaily: {
    lawId: BLLD,
    article: '105',
    clause: '1',
    quote: 'Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày và không quá 48 giờ trong 01 tuần.',
  },
  normalHoursWeekly: {
    lawId: BLLD,
    article: '105',
    clause: '2',
    quote:
      'trường hợp theo tuần thì thời giờ làm việc bình thường không quá 10 giờ trong 01 ngày và không quá 48 giờ trong 01 tuần',
  },
  overtimeLimits: {
    lawId: BLLD,
    article: '107',
    clause: '2',
    quote:
      'Bảo đảm số giờ làm thêm của người lao động không quá 50% số giờ làm việc bình thường trong 01 ngày; trường hợp áp dụng quy định thời giờ làm việc bình thường theo tuần thì tổng số giờ làm việc bình thường và số giờ làm thêm không quá 12 giờ trong 01 ngày; không quá 40 giờ trong 01 tháng',
  },
  overtimeYear: {
    lawId: BLLD,
    article: '107',
    clause: '2',
    quote: 'Bảo đảm số giờ làm thêm của người lao động không quá 200 giờ trong 01 năm',
  },
  overtimeYearSomeTrades: {
    lawId: BLLD,
    article: '107',
    clause: '3',
    quote: 'Người sử dụng lao động được sử dụng người lao động làm thêm không quá 300 giờ trong 01 năm',
  },
  someTrades: {
    lawId: BLLD,
    article: '107',
    clause: '3',
    quote: 'Sản xuất, gia công xuất khẩu sản phẩm hàng dệt, may, da, giày, điện, điện tử',
  },
  hourlyBase: {
    lawId: ND145,
    article: '55',
    clause: '1',
    quote:
      'không bao gồm tiền lương làm thêm giờ, tiền lương trả thêm khi làm việc vào ban đêm, tiền lương của ngày nghỉ lễ, tết, ngày nghỉ có hưởng lương theo quy định của Bộ luật Lao động; tiền thưởng theo quy định tại Điều 104 của Bộ luật Lao động, tiền thưởng sáng kiến; tiền ăn giữa ca, các khoản hỗ trợ xăng xe, điện thoại, đi lại, tiền nhà ở',
  },
  restDayLimit: {
    lawId: ND145,
    article: '60',
    clause: '4',
    quote:
      'Tổng số giờ làm thêm không quá 12 giờ trong một ngày, khi làm thêm vào ngày nghỉ lễ, tết và ngày nghỉ hằng tuần.',
  },
  holidayOnRestDay: {
    lawId: ND145,
    article: '55',
    clause: '3',
    quote:
      'Người lao động làm thêm giờ vào ngày lễ, tết trùng vào ngày nghỉ hằng tuần thì được trả lương làm thêm giờ vào ngày nghỉ lễ, tết.',
  },
} satisfies Record<string, LegalBasis>;

const B = OVERTIME_BASIS;

export type DayType = 'normal' | 'weekly_rest' | 'holiday';

/** Overtime rate by day (Điều 98 khoản 1) and the daytime base of the 20% for night overtime (Nghị định 145 Điều 57). */
const RATES: Record<DayType, { overtime: number; dayBase: number; dayBaseAfterDayOvertime: number }> = {
  normal: {
    overtime: lawNumber(B.normalDay, '150%'),
    dayBase: lawNumber(B.nightDayBaseNormal, '100%'),
    dayBaseAfterDayOvertime: lawNumber(B.nightDayBaseNormal, '150%'),
  },
  weekly_rest: {
    overtime: lawNumber(B.weeklyRest, '200%'),
    dayBase: lawNumber(B.nightDayBaseWeekly, '200%'),
    dayBaseAfterDayOvertime: lawNumber(B.nightDayBaseWeekly, '200%'),
  },
  holiday: {
    overtime: lawNumber(B.holiday, '300%'),
    dayBase: lawNumber(B.nightDayBaseHoliday, '300%'),
    dayBaseAfterDayOvertime: lawNumber(B.nightDayBaseHoliday, '300%'),
  },
};
const NIGHT_DAY_BASE: Record<DayType, LegalBasis> = {
  normal: B.nightDayBaseNormal,
  weekly_rest: B.nightDayBaseWeekly,
  holiday: B.nightDayBaseHoliday,
};
const NIGHT_EXTRA = lawNumber(B.night, '30%');
const NIGHT_OVERTIME_EXTRA = lawNumber(B.nightOvertime, '20%');
/** 22:00 to 06:00. */
const NIGHT_WINDOW_HOURS = 24 - lawNumber(B.nightHours, '22 giờ') + lawNumber(B.nightHours, '06 giờ');
const MAX_NORMAL_HOURS_DAILY = lawNumber(B.normalHoursDaily, '08 giờ');
const MAX_NORMAL_HOURS_WEEKLY_SCHEDULE = lawNumber(B.normalHoursWeekly, '10 giờ');
const MAX_OVERTIME_SHARE = lawNumber(B.overtimeLimits, '50%');
const MAX_TOTAL_WEEKLY_SCHEDULE = lawNumber(B.overtimeLimits, '12 giờ');
const MAX_OVERTIME_REST_DAY = lawNumber(B.restDayLimit, '12 giờ');

const DAY_NAMES: Record<DayType, string> = {
  normal: 'ngày thường',
  weekly_rest: 'ngày nghỉ hằng tuần',
  holiday: 'ngày nghỉ lễ, tết, ngày nghỉ có hưởng lương',
};

const wageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hourly'), hourly: money('Lương giờ') }),
  z.object({
    kind: z.literal('monthly'),
    monthly: money('Lương tháng'),
    workingDaysPerMonth: z
      .number({ message: 'Số ngày công chuẩn trong tháng: cần một con số.' })
      .int({ message: 'Số ngày công chuẩn trong tháng phải là số nguyên.' })
      .min(1, { message: 'Số ngày công chuẩn trong tháng phải từ 1 trở lên.' })
      .max(31, { message: 'Một tháng không có quá 31 ngày.' }),
  }),
]);

export const overtimeInputSchema = z
  .object({
    wage: wageSchema,
    /** Normal working hours of a day (Điều 105), used to turn a monthly wage into an hourly one and for the limit. */
    normalHoursPerDay: z
      .number({ message: 'Số giờ làm bình thường một ngày: cần số giờ.' })
      .positive({ message: 'Số giờ làm bình thường một ngày phải lớn hơn 0.' })
      .max(24, { message: 'Một ngày chỉ có 24 giờ.' }),
    dayType: z.enum(['normal', 'weekly_rest', 'holiday'], {
      message: 'Ngày làm thêm: ngày thường, ngày nghỉ hằng tuần hoặc ngày lễ, tết.',
    }),
    overtimeDayHours: hours('Số giờ làm thêm ban ngày'),
    overtimeNightHours: hours('Số giờ làm thêm ban đêm'),
    /** Normal (not overtime) hours worked at night; only on a normal day. */
    regularNightHours: hours('Số giờ làm ca đêm trong giờ bình thường').default(0),
    /** The employer sets normal hours by the week (Điều 105 khoản 2); unknown when absent. */
    weeklySchedule: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    const normalToday = v.dayType === 'normal' ? v.normalHoursPerDay : 0;
    const overtime = v.overtimeDayHours + v.overtimeNightHours;
    if (v.normalHoursPerDay > MAX_NORMAL_HOURS_WEEKLY_SCHEDULE) {
      issue(
        `Giờ làm việc bình thường không quá ${MAX_NORMAL_HOURS_DAILY} giờ một ngày, hoặc ${MAX_NORMAL_HOURS_WEEKLY_SCHEDULE} giờ nếu công ty tính giờ làm theo tuần (khoản 1, khoản 2 Điều 105 Bộ luật Lao động). Phần vượt quá là giờ làm thêm: bạn gõ lại số giờ làm bình thường và tính phần còn lại là giờ làm thêm nhé.`,
      );
    }
    if (v.weeklySchedule === false && v.normalHoursPerDay > MAX_NORMAL_HOURS_DAILY) {
      issue(
        `Khi tính giờ làm theo ngày, giờ làm việc bình thường không quá ${MAX_NORMAL_HOURS_DAILY} giờ một ngày (khoản 1 Điều 105 Bộ luật Lao động).`,
      );
    }
    if (normalToday + overtime > 24) {
      issue(
        `Giờ làm bình thường và giờ làm thêm cộng lại là ${formatNumber(normalToday + overtime)} giờ: một ngày chỉ có 24 giờ.`,
      );
    }
    if (v.regularNightHours + v.overtimeNightHours > NIGHT_WINDOW_HOURS) {
      issue(
        `Giờ làm ban đêm tính từ 22 giờ đến 06 giờ sáng hôm sau (Điều 106 Bộ luật Lao động), tức nhiều nhất ${NIGHT_WINDOW_HOURS} giờ; bạn đang nhập ${formatNumber(v.regularNightHours + v.overtimeNightHours)} giờ ban đêm.`,
      );
    }
    if (v.dayType !== 'normal' && v.regularNightHours > 0) {
      issue(
        'Vào ngày nghỉ hằng tuần hoặc ngày lễ, mọi giờ làm đều là giờ làm thêm: bạn nhập vào số giờ làm thêm ban đêm nhé.',
      );
    }
    if (v.dayType === 'normal' && v.regularNightHours > v.normalHoursPerDay) {
      issue('Số giờ ca đêm trong giờ bình thường không thể nhiều hơn số giờ làm bình thường trong ngày.');
    }
    if (v.dayType !== 'normal' && overtime > MAX_OVERTIME_REST_DAY) {
      issue(
        `Làm thêm vào ngày nghỉ hằng tuần hoặc ngày lễ, tết không quá ${MAX_OVERTIME_REST_DAY} giờ một ngày (khoản 4 Điều 60 Nghị định 145/2020/NĐ-CP); bạn nhập ${formatNumber(overtime)} giờ. Nếu bạn bị buộc làm quá giới hạn này, gõ "phản ánh" hoặc "gặp cán bộ".`,
      );
    }
    if (v.dayType === 'normal' && overtime > 0) {
      const { limit, which } = normalDayLimit(v.normalHoursPerDay, v.weeklySchedule);
      if (overtime > limit + 1e-9) {
        issue(
          `Số giờ làm thêm ngày thường không quá ${which} (điểm b khoản 2 Điều 107 Bộ luật Lao động), với ${formatNumber(v.normalHoursPerDay)} giờ làm bình thường là tối đa ${formatNumber(limit)} giờ; bạn nhập ${formatNumber(overtime)} giờ. Nếu bạn bị buộc làm quá giới hạn này, gõ "phản ánh" hoặc "gặp cán bộ".`,
        );
      }
    }
  });

export type OvertimeInput = z.input<typeof overtimeInputSchema>;

/** The most overtime hours a normal day may have, and the words of the limit that sets it. */
function normalDayLimit(
  normal: number,
  weekly: boolean | undefined,
): { limit: number; which: string; strict: number } {
  const byShare = MAX_OVERTIME_SHARE * normal;
  const byTotal = Math.max(0, MAX_TOTAL_WEEKLY_SCHEDULE - normal);
  const share = `${formatPercent(MAX_OVERTIME_SHARE)} số giờ làm việc bình thường trong ngày`;
  const total = `tổng ${MAX_TOTAL_WEEKLY_SCHEDULE} giờ làm bình thường và làm thêm trong một ngày khi công ty tính giờ làm theo tuần`;
  if (weekly === true || normal > MAX_NORMAL_HOURS_DAILY)
    return { limit: byTotal, which: total, strict: byTotal };
  if (weekly === false) return { limit: byShare, which: share, strict: byShare };
  // Unknown schedule: refuse only what both rules forbid; a note says when only the weekly rule allows it.
  return { limit: Math.max(byShare, byTotal), which: `${share}, hoặc ${total}`, strict: byShare };
}

export interface OvertimeFigures {
  hourlyWage: number;
  dayType: DayType;
  overtimeRate: number;
  overtimeDayHours: number;
  overtimeDayPay: number;
  overtimeNightHours: number;
  /** Per hour, as a share of the hourly wage: rate + 30% + 20% × daytime base. */
  overtimeNightRate: number;
  overtimeNightPay: number;
  regularNightHours: number;
  /** What night work in normal hours adds on top of the normal pay of those hours (30%). */
  regularNightExtraPay: number;
  /** Everything above the normal pay of normal hours. */
  total: number;
}

export function calculateOvertime(input: OvertimeInput): CalculationResult<OvertimeFigures> {
  const v = parseInput(overtimeInputSchema, input);
  const hourly =
    v.wage.kind === 'hourly'
      ? v.wage.hourly
      : v.wage.monthly / v.wage.workingDaysPerMonth / v.normalHoursPerDay;
  const rates = RATES[v.dayType];
  const dayBase = v.overtimeDayHours > 0 ? rates.dayBaseAfterDayOvertime : rates.dayBase;
  const nightRate = rates.overtime + NIGHT_EXTRA + NIGHT_OVERTIME_EXTRA * dayBase;
  const regularNight = v.dayType === 'normal' ? v.regularNightHours : 0;
  const figures: OvertimeFigures = {
    hourlyWage: hourly,
    dayType: v.dayType,
    overtimeRate: rates.overtime,
    overtimeDayHours: v.overtimeDayHours,
    overtimeDayPay: hourly * rates.overtime * v.overtimeDayHours,
    overtimeNightHours: v.overtimeNightHours,
    overtimeNightRate: nightRate,
    overtimeNightPay: hourly * nightRate * v.overtimeNightHours,
    regularNightHours: regularNight,
    regularNightExtraPay: hourly * NIGHT_EXTRA * regularNight,
    total: 0,
  };
  figures.total = figures.overtimeDayPay + figures.overtimeNightPay + figures.regularNightExtraPay;

  const summary: string[] = [];
  const wageLine =
    v.wage.kind === 'monthly'
      ? `Lương giờ: ${formatMoney(v.wage.monthly)} ÷ ${v.wage.workingDaysPerMonth} ngày ÷ ${formatNumber(v.normalHoursPerDay)} giờ ≈ ${formatMoney(hourly)}/giờ.`
      : `Lương giờ: ${formatMoney(hourly)}/giờ.`;
  summary.push(wageLine);
  if (v.overtimeDayHours > 0) {
    summary.push(
      `Làm thêm ban ngày (${DAY_NAMES[v.dayType]}): ${formatNumber(v.overtimeDayHours)} giờ × ${formatPercent(rates.overtime)} = ít nhất ${formatMoney(figures.overtimeDayPay)}.`,
    );
  }
  if (v.overtimeNightHours > 0) {
    summary.push(
      `Làm thêm ban đêm: ${formatNumber(v.overtimeNightHours)} giờ × ${formatPercent(nightRate)} (${formatPercent(rates.overtime)} + ${formatPercent(NIGHT_EXTRA)} + ${formatPercent(NIGHT_OVERTIME_EXTRA)} × ${formatPercent(dayBase)}) = ít nhất ${formatMoney(figures.overtimeNightPay)}.`,
    );
  }
  if (regularNight > 0) {
    summary.push(
      `Làm ca đêm trong giờ bình thường: ${formatNumber(regularNight)} giờ, được trả thêm ít nhất ${formatPercent(NIGHT_EXTRA)} = ${formatMoney(figures.regularNightExtraPay)} ngoài lương của các giờ đó.`,
    );
  }
  summary.push(
    figures.total > 0
      ? `Tổng tiền làm thêm, làm đêm của ngày này: ít nhất ${formatMoney(figures.total)}.`
      : 'Bạn không nhập giờ làm thêm hay giờ làm đêm nào nên không có khoản trả thêm.',
  );

  const notes: string[] = [
    'Giới hạn: làm thêm không quá 40 giờ một tháng và 200 giờ một năm (300 giờ với một số ngành, nghề như dệt, may, da, giày, điện, điện tử) — khoản 2, khoản 3 Điều 107 Bộ luật Lao động.',
    'Lương giờ để tính là lương thực trả của công việc đang làm, không gồm tiền làm thêm, tiền thưởng, tiền ăn giữa ca, xăng xe, đi lại, tiền nhà ở (điểm a khoản 1 Điều 55 Nghị định 145/2020/NĐ-CP).',
  ];
  if (v.dayType === 'normal' && v.overtimeDayHours + v.overtimeNightHours > 0) {
    const { strict } = normalDayLimit(v.normalHoursPerDay, v.weeklySchedule);
    if (v.overtimeDayHours + v.overtimeNightHours > strict + 1e-9) {
      notes.unshift(
        `Số giờ làm thêm này vượt ${formatPercent(MAX_OVERTIME_SHARE)} số giờ làm bình thường trong ngày; chỉ đúng luật khi công ty tính giờ làm theo tuần (tổng không quá ${MAX_TOTAL_WEEKLY_SCHEDULE} giờ một ngày, điểm b khoản 2 Điều 107 Bộ luật Lao động).`,
      );
    }
  }
  if (v.dayType === 'holiday') {
    notes.push(
      'Người hưởng lương ngày còn được trả tiền lương của ngày lễ, tết ngoài tiền làm thêm. Làm thêm vào ngày lễ, tết trùng ngày nghỉ hằng tuần được tính như ngày lễ, tết (khoản 3 Điều 55 Nghị định 145/2020/NĐ-CP).',
    );
  }

  const basis: LegalBasis[] = [
    v.dayType === 'normal' ? B.normalDay : v.dayType === 'weekly_rest' ? B.weeklyRest : B.holiday,
    ...(v.overtimeNightHours > 0 || regularNight > 0 ? [B.night, B.nightHours] : []),
    ...(v.overtimeNightHours > 0 ? [B.nightOvertime, NIGHT_DAY_BASE[v.dayType]] : []),
    ...(v.wage.kind === 'monthly' ? [B.dailyWage, B.hourlyWage] : []),
    B.hourlyBase,
    B.overtimeLimits,
    B.overtimeYearSomeTrades,
    ...(v.dayType === 'holiday' ? [B.holidayOnRestDay] : []),
  ];
  return result({
    calculator: 'overtime',
    status: 'ok',
    figures,
    summary,
    rule: 'Giờ làm thêm được trả ít nhất 150% lương giờ vào ngày thường, 200% vào ngày nghỉ hằng tuần, 300% vào ngày lễ, tết. Làm việc ban đêm (22 giờ đến 6 giờ sáng) được trả thêm ít nhất 30%. Làm thêm vào ban đêm được trả thêm 30% và 20% lương giờ ban ngày của ngày đó (100% hoặc 150% nếu ngày đó đã làm thêm ban ngày, 200% ngày nghỉ hằng tuần, 300% ngày lễ).',
    citations: citationsOf(basis),
    notes,
  });
}
