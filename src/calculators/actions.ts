import { z } from 'zod';
import type { ActionContext, ActionDefinition, ActionResult } from '../conversation/actions/registry.js';
import { calculateAnnualLeave } from './annual-leave.js';
import { CalculatorInputError, type CalculationResult } from './common.js';
import { refusalMessage, resultMessage } from './format.js';
import { lawNotices } from './law-status.js';
import { calculateMaternity } from './maternity.js';
import { lookupMinimumWage, MinimumWageDataError, type MinimumWageData } from './minimum-wage.js';
import { minimumWageFile } from './minimum-wage-file.js';
import { calculateOvertime } from './overtime.js';
import { calculateSeverance } from './severance.js';
import { calculateLumpSum } from './social-insurance-lump-sum.js';
import { calculateUnemployment } from './unemployment.js';

/**
 * Flow actions of flows/calculators.yaml. `calculate` reads the answers the flow's ask nodes stored (the
 * variable names below), runs one calculator and says the result with its citations; `minimum_wage_lookup`
 * finds the region of a place in knowledge/data/minimum-wage.json.
 *
 * Variables read by `calculate`:
 * - overtime: ot_wage_type (month|hour), ot_monthly_wage, ot_working_days, ot_hourly_wage, ot_normal_hours,
 *   ot_day_type (normal|weekly_rest|holiday), ot_day_hours, ot_night_hours, ot_regular_night_hours
 * - annual_leave: al_category (normal|heavy|especially_heavy), al_years, al_months
 * - severance: sv_reason, sv_start, sv_end (dates), sv_ui_months, sv_salary
 * - maternity: mt_parent (mother|father), mt_children, mt_surgery (yes|no), mt_under32 (yes|no),
 *   mt_contribution_months, mt_salary
 * - unemployment: ue_reason (lawful|unlawful_resignation|retirement_eligible), ue_months, ue_window
 *   (yes|no|unsure), ue_salary, ue_last_month ("10/2026"), ue_region (I–IV)
 * - social_insurance_lump_sum: ls_case, ls_months_before_2014, ls_months_from_2014, ls_before_july_2025
 *   (yes|no), ls_months_stopped, ls_salary
 */

const CALCULATORS = [
  'overtime',
  'annual_leave',
  'severance',
  'maternity',
  'unemployment',
  'social_insurance_lump_sum',
] as const;
type Calculator = (typeof CALCULATORS)[number];

const OUTCOMES = ['ok', 'not_eligible', 'not_covered', 'invalid'] as const;

function num(vars: Record<string, unknown>, name: string): number | undefined {
  const v = vars[name];
  return typeof v === 'number' ? v : undefined;
}

function str(vars: Record<string, unknown>, name: string): string | undefined {
  const v = vars[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function yesNo(vars: Record<string, unknown>, name: string): boolean | undefined {
  const v = str(vars, name);
  return v === 'yes' ? true : v === 'no' ? false : undefined;
}

/** "10/2026", "tháng 10-2026", "10/26" → "2026-10"; undefined when it is not a month. */
export function parseMonthYear(text: string | undefined): string | undefined {
  const m = /(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})\s*$/.exec(text ?? '');
  if (!m) return undefined;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return `${year}-${String(month).padStart(2, '0')}`;
}

async function loadMinimumWage(ctx: ActionContext): Promise<MinimumWageData | undefined> {
  if (!ctx.services.knowledgeDir) return undefined;
  try {
    return await minimumWageFile(ctx.services.knowledgeDir).load();
  } catch (err) {
    if (!(err instanceof MinimumWageDataError)) throw err;
    ctx.services.logger.error({ err }, 'minimum-wage data file is invalid');
    return undefined;
  }
}

async function run(ctx: ActionContext, calculator: Calculator): Promise<CalculationResult> {
  const v = ctx.vars;
  switch (calculator) {
    case 'overtime':
      return calculateOvertime({
        wage:
          str(v, 'ot_wage_type') === 'hour'
            ? { kind: 'hourly', hourly: num(v, 'ot_hourly_wage') as number }
            : {
                kind: 'monthly',
                monthly: num(v, 'ot_monthly_wage') as number,
                workingDaysPerMonth: num(v, 'ot_working_days') as number,
              },
        normalHoursPerDay: num(v, 'ot_normal_hours') as number,
        dayType: str(v, 'ot_day_type') as 'normal',
        overtimeDayHours: num(v, 'ot_day_hours') ?? 0,
        overtimeNightHours: num(v, 'ot_night_hours') ?? 0,
        regularNightHours: num(v, 'ot_regular_night_hours') ?? 0,
      });
    case 'annual_leave':
      return calculateAnnualLeave({
        category: str(v, 'al_category') as 'normal',
        serviceMonths: (num(v, 'al_years') ?? 0) * 12 + (num(v, 'al_months') ?? 0),
      });
    case 'severance':
      return calculateSeverance({
        termination: str(v, 'sv_reason') as 'contract_ended',
        startDate: str(v, 'sv_start'),
        endDate: str(v, 'sv_end'),
        unemploymentInsuranceMonths: num(v, 'sv_ui_months') ?? 0,
        averageMonthlySalary: num(v, 'sv_salary') as number,
      });
    case 'maternity':
      return calculateMaternity({
        parent: str(v, 'mt_parent') as 'mother',
        children: num(v, 'mt_children') ?? 1,
        surgery: yesNo(v, 'mt_surgery') ?? false,
        under32Weeks: yesNo(v, 'mt_under32') ?? false,
        contributionMonthsIn12: num(v, 'mt_contribution_months'),
        averageMonthlySalary: num(v, 'mt_salary'),
      });
    case 'unemployment': {
      const data = await loadMinimumWage(ctx);
      const month = parseMonthYear(str(v, 'ue_last_month'));
      if (!month)
        throw new CalculatorInputError([
          'Tháng cuối cùng đóng bảo hiểm thất nghiệp: cần tháng/năm, ví dụ 10/2026.',
        ]);
      const region = str(v, 'ue_region');
      return calculateUnemployment(
        {
          contributionMonths: num(v, 'ue_months') as number,
          twelveMonthsInWindow: yesNo(v, 'ue_window'),
          termination: (str(v, 'ue_reason') ?? 'lawful') as 'lawful',
          averageMonthlySalary: num(v, 'ue_salary') as number,
          region:
            region === 'I' || region === 'II' || region === 'III' || region === 'IV' ? region : undefined,
          lastContributionMonth: month,
        },
        data,
      );
    }
    case 'social_insurance_lump_sum':
      return calculateLumpSum({
        case: str(v, 'ls_case') as 'other',
        monthsBefore2014: num(v, 'ls_months_before_2014') ?? 0,
        monthsFrom2014: num(v, 'ls_months_from_2014') ?? 0,
        contributedBeforeJuly2025: yesNo(v, 'ls_before_july_2025'),
        monthsSinceStopped: num(v, 'ls_months_stopped'),
        averageMonthlySalary: num(v, 'ls_salary'),
      });
  }
}

async function present(ctx: ActionContext, res: CalculationResult): Promise<ActionResult> {
  const today = ctx.services.now().toISOString().slice(0, 10);
  const notices = await lawNotices(ctx.services.knowledgeDir, res.citations, today);
  return { outcome: res.status, say: [resultMessage(res, notices)] };
}

export const calculateAction: ActionDefinition<{ calculator: Calculator }> = {
  name: 'calculate',
  description:
    'Tính một quyền lợi (tăng ca, phép năm, trợ cấp thôi việc, thai sản, thất nghiệp, BHXH một lần) từ các câu trả lời của luồng; nói kết quả kèm căn cứ',
  args: z.object({ calculator: z.enum(CALCULATORS) }).strict(),
  outcomes: OUTCOMES,
  async run(ctx, args) {
    let res: CalculationResult;
    try {
      res = await run(ctx, args.calculator);
    } catch (err) {
      if (err instanceof CalculatorInputError)
        return { outcome: 'invalid', say: [refusalMessage(err.problems)] };
      throw err;
    }
    ctx.services.logger.info({ calculator: args.calculator, status: res.status }, 'benefit calculated');
    return present(ctx, res);
  },
};

export const minimumWageLookupAction: ActionDefinition<{ step: 'place' | 'area' }> = {
  name: 'minimum_wage_lookup',
  description:
    'Tra vùng và mức lương tối thiểu theo tỉnh, thành phố và phường, xã (knowledge/data/minimum-wage.json); step place đọc mw_place, step area đọc mw_area cùng mw_province',
  args: z.object({ step: z.enum(['place', 'area']) }).strict(),
  outputs: ['mw_province'],
  outcomes: ['ok', 'need_area', 'retry', 'retry_area', 'not_covered'],
  async run(ctx, args) {
    const data = await loadMinimumWage(ctx);
    if (!data) {
      return {
        outcome: 'not_covered',
        say: [
          {
            text: 'Dữ liệu lương tối thiểu vùng đang chưa sẵn sàng nên mình chưa tra được. Cán bộ công đoàn có thể tra giúp bạn — gõ "gặp cán bộ".',
          },
        ],
      };
    }
    const province = args.step === 'area' ? str(ctx.vars, 'mw_province') : undefined;
    const text = str(ctx.vars, args.step === 'area' ? 'mw_area' : 'mw_place') ?? '';
    const found = lookupMinimumWage(data, { text, province });
    const vars = found.province ? { mw_province: found.province } : undefined;
    switch (found.kind) {
      case 'found':
        return { ...(await present(ctx, found.result)), vars };
      case 'need_area':
        return { outcome: 'need_area', vars, say: [{ text: found.message }] };
      case 'not_covered':
        return { outcome: 'not_covered', say: [{ text: found.message }] };
      default:
        return { outcome: found.province ? 'retry_area' : 'retry', vars, say: [{ text: found.message }] };
    }
  },
};
