// The working-day calendar as stored: one row per holiday or make-up workday, one row per loaded year.
import type { Db } from './db';
import type { CalendarYear } from '../domain/calendar';

export async function loadCalendarYears(db: Db): Promise<CalendarYear[]> {
  const years = await db('calendar_years').select('year').orderBy('year');
  const days = await db('calendar_days').select('day', 'year', 'kind').orderBy('day');
  return years.map(({ year }) => ({
    year,
    holidays: days.filter((d) => d.year === year && d.kind === 'HOLIDAY').map((d) => d.day as string),
    makeupWorkdays: days.filter((d) => d.year === year && d.kind === 'MAKEUP_WORKDAY').map((d) => d.day as string),
  }));
}

/** Replaces one year's schedule (the State Council publishes it each November). */
export async function saveCalendarYear(db: Db, y: CalendarYear, loadedBy: string): Promise<void> {
  await db('calendar_days').where({ year: y.year }).delete();
  await db('calendar_years')
    .insert({ year: y.year, loaded_by: loadedBy, loaded_at: db.fn.now() })
    .onConflict('year')
    .merge();
  const rows = [
    ...y.holidays.map((day) => ({ day, year: y.year, kind: 'HOLIDAY' })),
    ...y.makeupWorkdays.map((day) => ({ day, year: y.year, kind: 'MAKEUP_WORKDAY' })),
  ];
  if (rows.length) await db('calendar_days').insert(rows);
}
