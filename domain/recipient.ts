// Recipients over time (docs/policy.md §4): when checks fall due, how long they may take, which months a decision
// touches.
//
// Pure: imported by Temporal workflow code, so no Node built-ins and no clock reads.
import { addCalendarDays, type IsoDate } from './calendar';
import { addMonths, addYears, ageOn } from './dates';
import { type Household } from './household';
import { type AssistanceCategory, type HouseholdType } from './glossary';

/**
 * Months between periodic checks (定期核查) by household type: yearly for households whose finances change little,
 * half-yearly for households with unstable income and members able to work (docs/policy.md §4). A periodic check that
 * falls
 * on an anniversary is the annual recheck itself, so a STABLE household's yearly check is its annual recheck.
 */
export const PERIODIC_CHECK_MONTHS: Record<HouseholdType, number> = { STABLE: 12, UNSTABLE: 6 };

/** Why a check was opened. */
export const CHECK_TRIGGERS = ['ANNIVERSARY', 'PERIODIC', 'CHANGE_REPORT', 'MINOR_TURNS_18', 'OBJECTION'] as const;
export type CheckTrigger = (typeof CHECK_TRIGGERS)[number];

/** The task type of a check and the deadline kind that watches it. */
export const CHECK_TYPES = ['annualRecheck', 'periodicCheck', 'changeReport'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];
export const CHECK_DEADLINE_KIND = {
  annualRecheck: 'annualRecheck',
  periodicCheck: 'periodicCheck',
  changeReport: 'changeCheck',
} as const;

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
 * The day someone born on `birthDate` reaches `age` full years (周岁), as ageOn counts them: born on 29 February, they
 * reach it on 1 March in a common year (28 February is still before their month-day).
 */
export function birthdayOfAge(birthDate: IsoDate, age: number): IsoDate {
  const day = addYears(birthDate, age);
  return ageOn(birthDate, day) >= age ? day : addCalendarDays(day, 1);
}

/**
 * 18th birthdays after `asOf` of the household's minors. TEKUN minors stay covered to 18, or longer while in school
 * (docs/policy.md §4): the recipient workflow opens a check on each of these dates. Dates only — never names or ID
 * numbers.
 */
export function minorsTurning18(household: Household, asOf: IsoDate): IsoDate[] {
  return household.members
    .map((m) => birthdayOfAge(m.birthDate, 18))
    .filter((d) => d > asOf)
    .sort();
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

/**
 * Months a determination stays valid without renewal, by category (docs/policy.md §3.4): RIGID_EXPENDITURE
 * recognition rests on the spending of the 12 months before the application, so it lasts 12 months and the
 * household re-applies. The other categories stay until a check ends them.
 */
export const RECOGNITION_MONTHS: Partial<Record<AssistanceCategory, number>> = { RIGID_EXPENDITURE: 12 };

/**
 * The day a recognition determined (or last renewed) on `since` ends unless renewed — the anniversary, on which the
 * renewal check opens — or undefined for categories without a validity.
 */
export function recognitionEndsOn(category: AssistanceCategory, since: IsoDate): IsoDate | undefined {
  const months = RECOGNITION_MONTHS[category];
  return months === undefined ? undefined : addMonths(since, months);
}

/** True when the recognition of `category` determined or renewed on `since` is still valid on `on`. */
export function recognitionValidOn(category: AssistanceCategory, since: IsoDate, on: IsoDate): boolean {
  const ends = recognitionEndsOn(category, since);
  return ends === undefined || on < ends;
}
