// Synthetic tasks and deadlines for bench/lists.ts, in set-based SQL: the given number of each per township (`others`
// in every township not named), with a county's mix of statuses, types and due dates over two years (5% of tasks
// without a due date).
import type { Knex } from 'knex';
import { TOWNSHIPS } from '../../migrations/seed';
import { DEADLINE_KINDS } from '../../processes';

const TASK_TYPES = ['accept', 'homeVisit', 'economicCheck', 'firstReview', 'confirm', 'annualRecheck', 'periodicCheck'];
const TASK_ROLES = ['caseworker', 'caseworker', 'caseworker', 'reviewer', 'county_officer', 'caseworker', 'caseworker'];
/** 4 in 20 open, 1 in 20 cancelled, the rest completed. */
const TASK_STATUSES = Array.from({ length: 20 }, (_, i) =>
  [0, 4, 12, 18].includes(i) ? 'OPEN' : i === 7 ? 'CANCELLED' : 'COMPLETED',
);
/** 6 in 10 met, 1 cancelled, 1 overdue, 2 pending. */
const DEADLINE_STATUSES = ['met', 'met', 'met', 'met', 'met', 'met', 'cancelled', 'overdue', 'pending', 'pending'];
const sqlArray = (xs: readonly string[]) => `(array[${xs.map((x) => `'${x}'`).join(',')}])`;

export async function populateLists(
  db: Knex,
  rows: Record<string, number>,
  others: number,
): Promise<{ tasks: number; deadlines: number }> {
  const plan = TOWNSHIPS.map(([code]) => ({ code, n: rows[code] ?? others }));
  // One case per five rows; tasks and deadlines hang on cases of their own township, as they do in the system.
  let offset = 0;
  for (const { code, n } of plan) {
    const cases = Math.ceil(n / 5);
    await db.raw(
      `insert into cases (id, process, workflow_id, region_code, status, received_on, created_by)
       select md5('case' || g)::uuid, 'application', 'bench-' || g, ?, 'IN_REVIEW',
              date '2025-01-02' + (g % 700), 'bench'
         from generate_series(?::int, ?::int) g`,
      [code, offset + 1, offset + cases],
    );
    const caseOf = `md5('case' || (? + 1 + (g % ?)))::uuid`;
    const due = `timestamptz '2025-01-16 15:59:59+00' + ((g * 7) % 730) * interval '1 day'`;
    await db.raw(
      `insert into tasks (id, case_id, type, region_code, candidate_role, status, created_at, due_at)
       select 'bench:' || ? || ':' || g, ${caseOf}, ${sqlArray(TASK_TYPES)}[1 + g % ${TASK_TYPES.length}], ?,
              ${sqlArray(TASK_ROLES)}[1 + g % ${TASK_ROLES.length}],
              ${sqlArray(TASK_STATUSES)}[1 + (g / 3) % 20],
              timestamptz '2025-01-02 02:00:00+00' + (g % 700) * interval '1 day' + (g % 997) * interval '1 minute',
              case when g % 20 = 0 then null else ${due} end
         from generate_series(1, ?) g`,
      [code, offset, cases, code, n],
    );
    await db.raw(
      `insert into deadlines (id, case_id, kind, region_code, started_on, working_days, due_on, due_at, status)
       select 'bench:' || ? || ':' || g, ${caseOf},
              ${sqlArray(DEADLINE_KINDS)}[1 + (g / 7) % ${DEADLINE_KINDS.length}], ?,
              date '2025-01-02' + ((g * 7) % 730), 10, date '2025-01-16' + ((g * 7) % 730), ${due},
              ${sqlArray(DEADLINE_STATUSES)}[1 + (g * 3 + g / 10) % 10]
         from generate_series(1, ?) g`,
      [code, offset, cases, code, n],
    );
    offset += cases;
  }
  const count = async (t: string) => Number((await db(t).count('* as n'))[0].n);
  return { tasks: await count('tasks'), deadlines: await count('deadlines') };
}
