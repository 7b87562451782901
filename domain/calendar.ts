// Chinese working-day calendar (docs/policy.md §1).
//
// Imported by Temporal workflow code, so this file must stay deterministic: no Node built-ins, no clock reads,
// no Intl (its time-zone data differs between hosts). Dates are handled as day numbers, never as local-time Dates.

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

/**
 * One year's official schedule (国务院办公厅关于部分节假日安排的通知). Plain data so it can live in the database and cross workflow
 * boundaries.
 */
export interface CalendarYear {
  year: number;
  /** Statutory holidays (法定节假日), weekend days inside a holiday period included. */
  holidays: IsoDate[];
  /** Weekend days that are working days (调休上班). */
  makeupWorkdays: IsoDate[];
}

export interface DueDate {
  due: IsoDate;
  /** ISO instant of 23:59:59.999 Asia/Shanghai on `due`. */
  dueAt: string;
  /**
   * True when a year without a loaded schedule was involved: recompute once that year is loaded (docs/policy.md §1).
   */
  provisional: boolean;
}

const MS_PER_DAY = 86_400_000;
// Asia/Shanghai has had no DST since 1991, so a fixed offset is exact for every date this system handles.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function parseYmd(s: string): Ymd | undefined {
  if (typeof s !== 'string') return undefined;
  const match = ISO_DATE_RE.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

function requireYmd(s: IsoDate, what = 'date'): Ymd {
  const ymd = parseYmd(s);
  if (!ymd) throw new RangeError(`${what} must be a real calendar date in YYYY-MM-DD form, got ${JSON.stringify(s)}`);
  return ymd;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). Pure integer
// arithmetic sidesteps Date.UTC's remapping of years 0–99 and any host time-zone influence.
function dayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function formatYmd({ y, m, d }: Ymd): IsoDate {
  if (y < 0 || y > 9999) throw new RangeError(`date out of the supported range (years 0000–9999): year ${y}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(dayNo: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNo + 4) % 7) + 7) % 7;
}

function isWeekend(dayNo: number): boolean {
  const w = weekday(dayNo);
  return w === 0 || w === 6;
}

/** Strict 'YYYY-MM-DD' that names a real calendar date. */
export function isIsoDate(s: string): boolean {
  return parseYmd(s) !== undefined;
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`number of days must be an integer, got ${n}`);
  return formatYmd(fromDayNumber(dayNumber(requireYmd(date)) + n));
}

/** The instant 00:00:00.000 Asia/Shanghai on `date`. */
export function startOfDayShanghai(date: IsoDate): Date {
  return new Date(dayNumber(requireYmd(date)) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** The instant 23:59:59.999 Asia/Shanghai on `date`: the end of a deadline day (docs/policy.md §1). */
export function endOfDayShanghai(date: IsoDate): Date {
  return new Date((dayNumber(requireYmd(date)) + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS - 1);
}

// Only ISO strings with an explicit zone are taken: JS reads a zone-less date-time (and most other formats) as
// host-local time, which would make the answer depend on the machine. A bare date is read by JS as UTC midnight.
const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** The calendar date in Asia/Shanghai of an instant (Date, epoch milliseconds, or an ISO string with a zone). */
export function shanghaiDate(instant: Date | number | string): IsoDate {
  let ms: number;
  if (instant instanceof Date) {
    ms = instant.getTime();
  } else if (typeof instant === 'number') {
    ms = instant;
  } else if (typeof instant === 'string') {
    // The date part is checked too: JS silently rolls '2026-02-30' over to March.
    if (!ISO_INSTANT_RE.test(instant) || !isIsoDate(instant.slice(0, 10))) {
      throw new RangeError(`instant string must be ISO 8601 with 'Z' or a UTC offset, got ${JSON.stringify(instant)}`);
    }
    ms = new Date(instant).getTime();
  } else {
    throw new RangeError(`instant must be a Date, a number or a string, got ${typeof instant}`);
  }
  if (!Number.isFinite(ms)) throw new RangeError(`invalid instant: ${String(instant)}`);
  return formatYmd(fromDayNumber(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY)));
}

/** Problems with one year's schedule, as readable sentences; [] when it can be loaded. */
export function validateCalendarYear(y: CalendarYear): string[] {
  const problems: string[] = [];
  if (y === null || typeof y !== 'object') return ['calendar year must be an object'];
  const yearOk = Number.isInteger(y.year) && y.year >= 1 && y.year <= 9999;
  if (!yearOk) problems.push(`year must be an integer between 1 and 9999, got ${JSON.stringify(y.year)}`);

  const check = (list: unknown, field: 'holidays' | 'makeupWorkdays'): Set<IsoDate> => {
    const seen = new Set<IsoDate>();
    if (!Array.isArray(list)) {
      problems.push(`${field} must be an array of YYYY-MM-DD dates`);
      return seen;
    }
    for (const entry of list) {
      const ymd = parseYmd(entry as string);
      if (!ymd) {
        problems.push(`${field}: ${JSON.stringify(entry)} is not a real YYYY-MM-DD date`);
        continue;
      }
      if (seen.has(entry)) {
        problems.push(`${field}: ${entry} is listed more than once`);
        continue;
      }
      seen.add(entry);
      if (yearOk && ymd.y !== y.year) problems.push(`${field}: ${entry} is outside ${y.year}`);
      if (field === 'makeupWorkdays' && !isWeekend(dayNumber(ymd))) {
        problems.push(`makeupWorkdays: ${entry} is not a Saturday or Sunday, so it cannot be a make-up workday`);
      }
    }
    return seen;
  };

  const holidays = check(y.holidays, 'holidays');
  const makeups = check(y.makeupWorkdays, 'makeupWorkdays');
  for (const date of [...holidays].sort()) {
    if (makeups.has(date)) problems.push(`${date} is listed both as a holiday and as a make-up workday`);
  }
  return problems;
}

interface LoadedYear {
  holidays: ReadonlySet<IsoDate>;
  makeupWorkdays: ReadonlySet<IsoDate>;
}

/**
 * Working days of mainland China: Mon–Fri, minus statutory holidays, plus make-up workdays, for the loaded years.
 * Outside them the weekday rule is used and every answer says it is provisional.
 */
export class WorkingDayCalendar {
  private readonly years: ReadonlyMap<number, LoadedYear>;

  /** Throws RangeError when a year is malformed (see validateCalendarYear) or given twice. */
  constructor(years: CalendarYear[]) {
    const map = new Map<number, LoadedYear>();
    for (const y of years) {
      const problems = validateCalendarYear(y);
      if (problems.length > 0) {
        throw new RangeError(`invalid calendar year ${JSON.stringify(y?.year)}: ${problems.join('; ')}`);
      }
      if (map.has(y.year)) throw new RangeError(`calendar year ${y.year} is given more than once`);
      // Copies, so later changes to the caller's arrays cannot change deadlines already being computed.
      map.set(y.year, { holidays: new Set(y.holidays), makeupWorkdays: new Set(y.makeupWorkdays) });
    }
    this.years = map;
  }

  /** The calendar with the schedules shipped in SEED_CALENDAR_YEARS. */
  static seeded(): WorkingDayCalendar {
    return new WorkingDayCalendar(SEED_CALENDAR_YEARS);
  }

  loadedYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  isLoaded(year: number): boolean {
    return this.years.has(year);
  }

  isWorkingDay(date: IsoDate): { working: boolean; provisional: boolean } {
    const ymd = requireYmd(date);
    return this.classify(date, ymd.y, dayNumber(ymd));
  }

  /**
   * The deadline "within n working days of `from`": `from` itself does not count, the due date is the n-th
   * working day after it (docs/policy.md §1).
   */
  addWorkingDays(from: IsoDate, n: number): DueDate {
    const start = requireYmd(from, 'from');
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be an integer >= 0, got ${n}`);
    let dayNo = dayNumber(start);
    let provisional = n === 0 && !this.isLoaded(start.y);
    let counted = 0;
    while (counted < n) {
      dayNo += 1;
      const ymd = fromDayNumber(dayNo);
      const day = this.classify(formatYmd(ymd), ymd.y, dayNo);
      if (day.provisional) provisional = true;
      if (day.working) counted += 1;
    }
    const due = formatYmd(fromDayNumber(dayNo));
    return { due, dueAt: endOfDayShanghai(due).toISOString(), provisional };
  }

  /**
   * Working days in (from, to]: how many working days have elapsed from `from` to `to`.
   * When `to` is before `from` the result is negative, -(working days in (to, from]), so "days left until a
   * deadline" and "days overdue" come from the same call.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = dayNumber(requireYmd(from, 'from'));
    const b = dayNumber(requireYmd(to, 'to'));
    if (b < a) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let dayNo = a + 1; dayNo <= b; dayNo++) {
      const ymd = fromDayNumber(dayNo);
      if (this.classify(formatYmd(ymd), ymd.y, dayNo).working) count += 1;
    }
    return count;
  }

  private classify(date: IsoDate, year: number, dayNo: number): { working: boolean; provisional: boolean } {
    const loaded = this.years.get(year);
    if (!loaded) return { working: !isWeekend(dayNo), provisional: true };
    if (loaded.makeupWorkdays.has(date)) return { working: true, provisional: false };
    if (loaded.holidays.has(date)) return { working: false, provisional: false };
    return { working: !isWeekend(dayNo), provisional: false };
  }
}

function span(first: IsoDate, last: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

function freezeYear(y: CalendarYear): CalendarYear {
  return Object.freeze({
    year: y.year,
    holidays: Object.freeze([...y.holidays]) as IsoDate[],
    makeupWorkdays: Object.freeze([...y.makeupWorkdays]) as IsoDate[],
  });
}

/**
 * The schedules of docs/policy.md §1. Frozen because every seeded calendar shares them; a stray push would silently
 * move deadlines in every case.
 */
export const SEED_CALENDAR_YEARS: CalendarYear[] = Object.freeze([
  freezeYear({
    year: 2025,
    holidays: [
      '2025-01-01',
      ...span('2025-01-28', '2025-02-04'),
      ...span('2025-04-04', '2025-04-06'),
      ...span('2025-05-01', '2025-05-05'),
      ...span('2025-05-31', '2025-06-02'),
      ...span('2025-10-01', '2025-10-08'),
    ],
    makeupWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  }),
  freezeYear({
    year: 2026,
    holidays: [
      ...span('2026-01-01', '2026-01-03'),
      ...span('2026-02-15', '2026-02-23'),
      ...span('2026-04-04', '2026-04-06'),
      ...span('2026-05-01', '2026-05-05'),
      ...span('2026-06-19', '2026-06-21'),
      ...span('2026-09-25', '2026-09-27'),
      ...span('2026-10-01', '2026-10-07'),
    ],
    makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  }),
]) as CalendarYear[];

/**
 * A short, deterministic fingerprint of the loaded schedules: a workflow sends the one it computed with, and the
 * deadline activity compares it with the stored calendar, so a year loaded (or corrected) since the workflow last
 * loaded its calendar is never missed (docs/policy.md §1.3). FNV-1a over the sorted years and days.
 */
export function calendarFingerprint(years: readonly CalendarYear[]): string {
  const text = [...years]
    .sort((a, b) => a.year - b.year)
    .map((y) => `${y.year}:${[...y.holidays].sort().join(',')}|${[...y.makeupWorkdays].sort().join(',')}`)
    .join(';');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${years.length}-${h.toString(16).padStart(8, '0')}`;
}

/**
 * What the operator must be told about the calendar on `today` (docs/policy.md §1.3): the current year's schedule
 * missing, and — from 1 December, when the State Council has published it — next year's. Empty when all is loaded.
 */
export function calendarWarnings(today: IsoDate, loadedYears: readonly number[]): { year: number; message: string }[] {
  const year = Number(today.slice(0, 4));
  const out: { year: number; message: string }[] = [];
  const loaded = new Set(loadedYears);
  if (!loaded.has(year))
    out.push({ year, message: `the working-day schedule of ${year} is not loaded: deadlines are provisional` });
  if (today.slice(5) >= '12-01' && !loaded.has(year + 1))
    out.push({
      year: year + 1,
      message:
        `the working-day schedule of ${year + 1} is not loaded: deadlines reaching into ${year + 1} are provisional ` +
        `(PUT /api/v1/calendar/years/${year + 1})`,
    });
  return out;
}
