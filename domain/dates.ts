// Calendar arithmetic on 'YYYY-MM-DD' dates and 'YYYY-MM' months: ages, anniversaries, the month after a decision.
// One helper per idea; the working-day calendar and Asia/Shanghai instants are in ./calendar.ts.
// Pure: imported by workflow code, so no Node built-ins and no clock reads.
import { addCalendarDays, isIsoDate, type IsoDate } from './calendar';

/** A month, 'YYYY-MM'. */
export type IsoMonth = string;

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isIsoMonth(s: string): boolean {
  return typeof s === 'string' && MONTH_RE.test(s);
}

function requireDate(s: IsoDate, what: string): void {
  if (!isIsoDate(s)) throw new RangeError(`${what} must be a YYYY-MM-DD date, got ${JSON.stringify(s)}`);
}

/**
 * Age in whole years (周岁) on `on`. The birthday itself completes the year; someone born on 29 February
 * completes it on 1 March in common years, since 28 February is still before their month-day.
 */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  requireDate(birthDate, 'birthDate');
  requireDate(on, 'on');
  if (on < birthDate) throw new RangeError(`on (${on}) is before birthDate (${birthDate})`);
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** 'YYYY-MM' moved by `n` months (n may be negative). */
export function shiftMonth(month: IsoMonth, n: number): IsoMonth {
  if (!isIsoMonth(month)) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The month of a date. */
export const monthOf = (day: IsoDate): IsoMonth => day.slice(0, 7);

/** The month after `day`'s month: payments start, change and stop from the month after a decision. */
export const monthAfter = (day: IsoDate): IsoMonth => shiftMonth(monthOf(day), 1);

/** `date` plus `n` months; the 29th–31st fall back to the month's last day (an anniversary of 02-29 is 02-28). */
export function addMonths(date: IsoDate, n: number): IsoDate {
  requireDate(date, 'date');
  const first = `${shiftMonth(monthOf(date), n)}-01`;
  const lastDay = Number(addCalendarDays(`${shiftMonth(monthOf(first), 1)}-01`, -1).slice(8, 10));
  return `${first.slice(0, 8)}${String(Math.min(Number(date.slice(8, 10)), lastDay)).padStart(2, '0')}`;
}

/** `date` plus `n` years, as anniversaries count them (see addMonths). */
export const addYears = (date: IsoDate, n: number): IsoDate => addMonths(date, 12 * n);
