// Recipients over time (docs/policy.md §4): when checks fall due, how long they may take, which months a decision
// touches.
//
// Pure: imported by Temporal workflow code, so no Node built-ins and no clock reads.
import type { IsoDate } from './calendar';
import { addMonths, addYears, ageOn } from './dates';
import { type Household } from './household';
import { type HouseholdType } from './glossary';

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
 * 18th birthdays after `asOf` of the household's minors. TEKUN minors stay covered to 18, or longer while in school
 * (docs/policy.md §4): the recipient workflow opens a check on each of these dates. Dates only — never names or ID
 * numbers.
 */
export function minorsTurning18(household: Household, asOf: IsoDate): IsoDate[] {
  return household.members
    .map((m) => addYears(m.birthDate, 18))
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
