// What the inbox shows beside a task row: whom it is about (the applicant's name, which the API layer masks for the
// roles docs/access.md says), the township's name, the due date in working days. Read in two small queries per page,
// so the inbox's own filters and order stay those of the tasks table.
import type { Knex } from 'knex';
import type { Row } from '../data/db';
import { toTask } from './http/schemas';
import { loadCalendarYears } from '../data/calendar';
import { WorkingDayCalendar, shanghaiDate } from '../domain/calendar';

// The calendar changes when an admin loads a year; a minute's staleness only shifts a colour in the inbox.
let calendar: { at: number; value: Promise<WorkingDayCalendar> } | undefined;
function workingDays(db: Knex): Promise<WorkingDayCalendar> {
  if (!calendar || Date.now() - calendar.at > 60_000) {
    const value = loadCalendarYears(db).then((years) => new WorkingDayCalendar(years));
    value.catch(() => {
      calendar = undefined;
    });
    calendar = { at: Date.now(), value };
  }
  return calendar.value;
}

let regions: { at: number; value: Promise<Map<string, string>> } | undefined;
export function regionNames(db: Knex): Promise<Map<string, string>> {
  if (!regions || Date.now() - regions.at > 60_000) {
    const value = db('regions')
      .select('code', 'name')
      .then((rows) => new Map(rows.map((r) => [r.code as string, r.name as string])));
    value.catch(() => {
      regions = undefined;
    });
    regions = { at: Date.now(), value };
  }
  return regions.value;
}

/** The township (9 digits) a region code lies in, by name; the county's own name for county-level rows. */
export const townshipName = (names: Map<string, string>, code: string) =>
  names.get(code.slice(0, 9)) ?? names.get(code) ?? null;

export async function caseSubjects(
  db: Knex,
  caseIds: string[],
): Promise<Map<string, { name: string | null; process: string; status: string }>> {
  if (!caseIds.length) return new Map();
  // A conference is about the case it was called for; every other case about its own applicant (case_people).
  const rows = await db('cases as c')
    .leftJoin('conferences as cf', 'cf.id', 'c.id')
    .leftJoin('case_people as cp', function () {
      this.on('cp.case_id', '=', db.raw('coalesce(cf.case_id, c.id)')).andOnVal('cp.relation', 'APPLICANT');
    })
    .leftJoin('people as m', 'm.id', 'cp.person_id')
    .whereIn('c.id', [...new Set(caseIds)])
    .select('c.id', 'c.process', 'c.status', 'm.name');
  return new Map(rows.map((r) => [r.id, { name: r.name ?? null, process: r.process, status: r.status }]));
}

export async function taskViews(db: Knex, rows: Row[], now = Date.now()) {
  const [subjects, names, cal] = await Promise.all([
    caseSubjects(
      db,
      rows.map((r) => r.case_id),
    ),
    regionNames(db),
    workingDays(db),
  ]);
  const today = shanghaiDate(now);
  return rows.map((r) => {
    const s = subjects.get(r.case_id);
    const dueOn = r.due_at ? shanghaiDate(r.due_at) : null;
    return {
      ...toTask(r, now),
      process: s?.process ?? null,
      subjectName: s?.name ?? null,
      regionName: townshipName(names, r.region_code),
      dueOn,
      // 0: due today; negative: working days overdue.
      workingDaysLeft: dueOn ? cal.workingDaysBetween(today, dueOn) : null,
    };
  });
}
