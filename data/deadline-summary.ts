// Read side of deadline supervision: the summary counts (bench/deadlines-summary.ts times this very function) and the
// near-due horizon of GET /deadlines?dueWithin=.
import type { Db, Row } from './db';
import { WorkingDayCalendar, shanghaiDate } from '../domain/calendar';
import { loadCalendarYears } from './calendar';

export interface DeadlineCount {
  township: string;
  kind: string;
  status: string;
  count: number;
  /** Status `met` only: of `count`, met on time on paper and met late (docs/policy.md §1.4). */
  metOnTime?: number;
  metLate?: number;
}

/**
 * Counts per township, kind and status inside `region`. Township and county scopes read `deadline_counts` (kept by
 * triggers, migrations/004_supervision.ts): a few hundred rows whatever the number of deadlines. A village scope is
 * finer than the counts, so it counts its own rows.
 */
export async function deadlineSummary(db: Db, region: string): Promise<DeadlineCount[]> {
  const rows =
    region.length > 9
      ? await db('deadlines')
          .where('region_code', 'like', `${region}%`)
          .select(
            db.raw('left(region_code, 9) as township'),
            'kind',
            db.raw(`case when status = 'met' and met_late then 'met_late' else status end as status`),
          )
          .count('* as n')
          .groupBy(1, 2, 3)
      : await db('deadline_counts')
          .where('township', 'like', `${region}%`)
          .where('n', '>', 0)
          .select('township', 'kind', 'status', 'n');
  // The counts keep met on time and met late apart ('met' / 'met_late'); the answer shows one `met` line with both.
  const out = new Map<string, DeadlineCount>();
  for (const r of rows as Row[]) {
    const late = r.status === 'met_late';
    const status = late ? 'met' : (r.status as string);
    const key = `${r.township}|${r.kind}|${status}`;
    const c: DeadlineCount = out.get(key) ?? { township: r.township, kind: r.kind, status, count: 0 };
    c.count += Number(r.n);
    if (status === 'met') {
      c.metOnTime = (c.metOnTime ?? 0) + (late ? 0 : Number(r.n));
      c.metLate = (c.metLate ?? 0) + (late ? Number(r.n) : 0);
    }
    out.set(key, c);
  }
  return [...out.values()].sort(
    (a, b) => a.township.localeCompare(b.township) || a.kind.localeCompare(b.kind) || a.status.localeCompare(b.status),
  );
}

/** `2d`: 2 calendar days from now; `2wd`: to the end of the 2nd working day after today (the policy's own unit). */
export const DUE_WITHIN = /^(\d{1,3})(d|wd)$/;

export async function nearDueHorizon(db: Db, dueWithin: string, now = Date.now()): Promise<Date> {
  const [, n, unit] = DUE_WITHIN.exec(dueWithin)!;
  if (unit === 'd') return new Date(now + Number(n) * 86_400_000);
  const calendar = new WorkingDayCalendar(await loadCalendarYears(db));
  return new Date(calendar.addWorkingDays(shanghaiDate(now), Number(n)).dueAt);
}
