// Telling the operator that a year's working-day schedule is missing (docs/policy.md §1.3): the start-up warning, the
// /readyz detail and a notification to the county's supervisors, all from one check.
import { calendarWarnings, shanghaiDate } from '../domain/calendar';
import { COUNTY_REGION } from '../domain/glossary';
import type { Db } from './db';
import { enqueue, type Channel } from './outbox';

export interface CalendarStatus {
  loadedYears: number[];
  warnings: { year: number; message: string }[];
}

export async function calendarStatus(db: Db, now = Date.now()): Promise<CalendarStatus> {
  const loadedYears = (await db('calendar_years').select('year').orderBy('year')).map((r) => Number(r.year));
  return { loadedYears, warnings: calendarWarnings(shanghaiDate(now), loadedYears) };
}

/**
 * Tells the county's supervisors (their contacts and in-app) of each missing year, once per year and address however
 * often it runs (the message id names both). Answers the warnings, for the caller to log.
 */
export async function notifyMissingCalendarYears(db: Db, now = Date.now()): Promise<CalendarStatus> {
  const status = await calendarStatus(db, now);
  if (!status.warnings.length) return status;
  const contacts = await db('region_contacts').where({ region_code: COUNTY_REGION, role: 'supervisor' });
  const recipients: { channel: Channel; address: string }[] = [
    ...contacts.map((c) => ({ channel: c.channel as Channel, address: c.address as string })),
    { channel: 'IN_APP', address: `role:supervisor@${COUNTY_REGION}` },
  ];
  for (const w of status.warnings) {
    for (const r of recipients) {
      await enqueue(db, {
        id: `calendar-missing:${w.year}:${r.channel}:${r.address}`,
        channel: r.channel,
        recipient: r.address,
        regionCode: COUNTY_REGION,
        subject: `${w.year}年工作日安排未导入 working-day schedule of ${w.year} not loaded`,
        body:
          `${w.year}年节假日安排尚未导入系统，涉及该年的时限均为临时计算（provisional）。请管理员导入国务院办公厅公布的安排。` +
          ` ${w.message}.`,
        payload: { type: 'calendar.missing', year: w.year },
      });
    }
  }
  return status;
}
