// Recipients over time (RULES.md §4): when checks fall due, how long they may take, which months a decision touches.
//
// Pure: imported by Temporal workflow code, so no Node built-ins and no clock reads.
import { addCalendarDays, isIsoDate, type IsoDate } from './calendar';
import type { Household } from './household';
import { HOUSEHOLD_TYPES, type HouseholdType } from './glossary';

export { HOUSEHOLD_TYPES, type HouseholdType };

/**
 * Time limits of the recipient process. Working days count from the day the check falls due (that day not counted,
 * RULES.md §1). The policy sets no number for checks; these are the county's working defaults, documented in the
 * README ("Recipients over years") and changed here, with a `patched()` guard for running workflows if a change
 * must not apply to checks already open.
 */
export const RECIPIENT_LIMITS = {
  annualRecheck: 20, // after the anniversary of the determination
  periodicCheck: 20, // after the periodic due date
  changeCheck: 10, // after a change is reported (or found: an 18th birthday): prompt handling
  terminationNotice: 3, // after the termination decision, as for a refusal (S 一(二))
  tekunPublicityCalendarDays: 7, // TEKUN terminations are publicised first (RULES.md §4)
} as const;

/**
 * Months between periodic checks (定期核查) by household type: yearly for households whose finances change little,
 * half-yearly for households with unstable income and members able to work (RULES.md §4). A periodic check that falls
 * on an anniversary is the annual recheck itself, so a STABLE household's yearly check is its annual recheck.
 */
export const PERIODIC_CHECK_MONTHS: Record<HouseholdType, number> = { STABLE: 12, UNSTABLE: 6 };

/** Why a check was opened. */
export const CHECK_TRIGGERS = ['ANNIVERSARY', 'PERIODIC', 'CHANGE_REPORT', 'MINOR_TURNS_18', 'OBJECTION'] as const;
export type CheckTrigger = (typeof CHECK_TRIGGERS)[number];

/** The task type of a check and the deadline kind that watches it. */
export const CHECK_TYPES = ['annualRecheck', 'periodicCheck', 'changeReport'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];
export const CHECK_DEADLINE_KIND = { annualRecheck: 'annualRecheck', periodicCheck: 'periodicCheck', changeReport: 'changeCheck' } as const;

/** One recipient workflow per recipient household; the id carries no personal data. */
export const recipientWorkflowId = (recipientId: string) => `recipient-${recipientId}`;

const WORKING_AGE = { from: 16, to: 59 };

/**
 * The household type that sets the periodic check frequency, as first classified at enrolment: UNSTABLE when a member
 * of working age (16–59) can work (FULL or PARTIAL capacity) and is not in school, because such a household's income
 * can change from one season to the next; STABLE otherwise (the elderly, the severely disabled, children). The
 * caseworker may reclassify at any check (`householdType` in the check data).
 */
export function classifyHousehold(household: Household, asOf: IsoDate): HouseholdType {
  const able = household.members.some((m) => {
    const age = ageOn(m.birthDate, asOf);
    return age >= WORKING_AGE.from && age <= WORKING_AGE.to && m.laborCapacity !== 'NONE' && m.studentLevel === 'NONE';
  });
  return able ? 'UNSTABLE' : 'STABLE';
}

/**
 * 18th birthdays after `asOf` of the household's minors. TEKUN minors stay covered to 18, or longer while in school
 * (RULES.md §4): the recipient workflow opens a check on each of these dates. Dates only — never names or ID numbers.
 */
export function minorsTurning18(household: Household, asOf: IsoDate): IsoDate[] {
  return household.members.map((m) => addYears(m.birthDate, 18)).filter((d) => d > asOf).sort();
}

/** Whole years from `birthDate` to `on`. */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** `date` plus `n` months; the 29th–31st fall back to the month's last day (an anniversary of 02-29 is 02-28). */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const first = `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-01`;
  const lastDay = Number(addCalendarDays(addMonths1st(first), -1).slice(8, 10));
  return `${first.slice(0, 8)}${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

function addMonths1st(first: IsoDate): IsoDate {
  const [y, m] = first.split('-').map(Number);
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
}

export function addYears(date: IsoDate, n: number): IsoDate {
  return addMonths(date, 12 * n);
}

/** 'YYYY-MM' of the month after `day`: payments start, change and stop from the month after a decision. */
export function monthAfter(day: IsoDate): string {
  const [y, m] = day.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The periodic due dates strictly inside the cycle (cycleStart, cycleStart + 1 year): the check at the end of the cycle
 * is the annual recheck.
 */
export function periodicDueDates(cycleStart: IsoDate, householdType: HouseholdType): IsoDate[] {
  const months = PERIODIC_CHECK_MONTHS[householdType];
  const out: IsoDate[] = [];
  for (let k = months; k < 12; k += months) out.push(addMonths(cycleStart, k));
  return out;
}
