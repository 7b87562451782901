// Emergency assistance rules (急难社会救助, docs/policy.md §5). Pure: imported by the workflow, the activities and the API.
import { z } from 'zod';
import type { IsoDate } from './calendar';
import { type Residence } from './household';
import { monthOf, shiftMonth } from './dates';
import { positiveYuan, toFen } from './money';

export const HARDSHIP_TYPES = ['ILLNESS', 'ACCIDENT', 'DISASTER', 'OTHER'] as const;
export type HardshipType = (typeof HARDSHIP_TYPES)[number];

export const EMERGENCY_LIMITS = {
  /**
   * "Handled within 3 days" (docs/policy.md §5) names days, not working days (contrast §1/§2, which say "working days"
   * each
   * time): a family hit on a Friday evening must not wait for Monday, so the limit counts calendar days.
   */
  handlingCalendarDays: 3,
  /** The policy is silent on how long a stage review may take; 3 working days keeps monthly stages monthly. */
  stageReviewWorkingDays: 3,
  /** Staged assistance runs at most 6 monthly stages (docs/policy.md §5.4). */
  maxStages: 6,
} as const;

/** Used when a stored policy version predates the parameter (docs/policy.md §5 default). */
export const DEFAULT_JUSTIFICATION_WORKING_DAYS = 5;

export interface AdvanceRefusal {
  code: 'ADVANCE_OVER_CAP';
  message: string;
  details: { requestedAmount: number; cap: number; residence: Residence; alternatives: string[] };
}

/**
 * The small-amount advance (小额快救) may not exceed the cap in force; a larger need is not refused help but sent to the
 * regular temporary-assistance path or to one-case-one-discussion, which may raise the amount (docs/policy.md §5, §6).
 */
export function validateAdvance(
  requestedAmount: number,
  cap: number,
  residence: Residence,
): AdvanceRefusal | undefined {
  if (toFen(requestedAmount) <= toFen(cap)) return undefined;
  return {
    code: 'ADVANCE_OVER_CAP',
    message:
      `the advance of ${requestedAmount} yuan exceeds the small-amount cap of ${cap} yuan (${residence}); ` +
      'apply on the regular path (POST /api/v1/applications, temporary assistance) or ask for a case conference (一事一议)',
    details: {
      requestedAmount,
      cap,
      residence,
      alternatives: [
        'REGULAR_ASSISTANCE: POST /api/v1/applications',
        'CASE_CONFERENCE: one-case-one-discussion may raise the amount',
      ],
    },
  };
}

/** A staged-assistance plan: 1–6 monthly stages of varying, positive amounts. */
export const StagePlanSchema = z
  .array(z.object({ amount: positiveYuan() }).strict())
  .min(1, 'a plan has at least one stage')
  .max(EMERGENCY_LIMITS.maxStages, `at most ${EMERGENCY_LIMITS.maxStages} monthly stages`);
export type StagePlan = z.infer<typeof StagePlanSchema>;

/**
 * Stage k (1-based) of a plan approved on `approvedOn` belongs to the k-th month counted from the approval month:
 * stage 1 is reviewed and paid at once, each later stage on the first day of its month.
 */
export function stageMonth(approvedOn: IsoDate, k: number): string {
  return shiftMonth(monthOf(approvedOn), k - 1);
}

export const advancePaymentId = (caseId: string) => `emergency:${caseId}:advance`;
export const stagePaymentId = (caseId: string, k: number) => `emergency:${caseId}:stage:${k}`;
export const conferenceRaisePaymentId = (caseId: string, conferenceId: string) =>
  `emergency:${caseId}:conference:${conferenceId}`;

/** Defaults of the per-person rolling cap (docs/policy.md §5.2): one month of the local dibao standard in 30 days. */
export const DEFAULT_ADVANCE_PERIOD = { capMonths: 1, days: 30 } as const;

export interface AdvancePeriod {
  days: number;
  /** Yuan: the most one person may receive in advances within `days` days. */
  cap: number;
}

/** The rolling period and its cap from the policy in force (a stored version may predate the parameters). */
export function advancePeriod(
  p: { advancePeriodDays?: number; advancePeriodCapMonths?: number },
  dibaoStandard: number,
): AdvancePeriod {
  const monthsBp = Math.round((p.advancePeriodCapMonths ?? DEFAULT_ADVANCE_PERIOD.capMonths) * 10_000);
  return {
    days: p.advancePeriodDays ?? DEFAULT_ADVANCE_PERIOD.days,
    cap: Math.floor((toFen(dibaoStandard) * monthsBp) / 10_000) / 100,
  };
}

export interface PeriodRefusal {
  code: 'ADVANCE_PERIOD_CAP_EXCEEDED';
  message: string;
  details: {
    requestedAmount: number;
    alreadyAdvanced: number;
    periodCap: number;
    periodDays: number;
    remaining: number;
    alternatives: string[];
  };
}

/**
 * One person's advances within the rolling period may not exceed its cap: beyond it the need is no longer "small and
 * urgent" and goes to staged assistance or a case conference on the earlier case (docs/policy.md §5.2, §5.4, §6).
 */
export function checkAdvancePeriod(
  requestedAmount: number,
  alreadyAdvanced: number,
  period: AdvancePeriod,
): PeriodRefusal | undefined {
  const remainingFen = Math.max(0, toFen(period.cap) - toFen(alreadyAdvanced));
  if (toFen(requestedAmount) <= remainingFen) return undefined;
  return {
    code: 'ADVANCE_PERIOD_CAP_EXCEEDED',
    message:
      `this person received ${alreadyAdvanced} yuan of advances in the last ${period.days} days; ` +
      `with ${requestedAmount} yuan more that exceeds ${period.cap} yuan: ` +
      'continue on the earlier case with staged assistance (justification outcome STAGED_ASSISTANCE) ' +
      'or ask for a case conference (一事一议)',
    details: {
      requestedAmount,
      alreadyAdvanced,
      periodCap: period.cap,
      periodDays: period.days,
      remaining: remainingFen / 100,
      alternatives: [
        'STAGED_ASSISTANCE: POST /api/v1/emergencies/{earlier case}/justification',
        'CASE_CONFERENCE: POST /api/v1/cases/{earlier case}/escalations',
      ],
    },
  };
}
