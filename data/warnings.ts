// Warning rows as the API reads them (migrations/013_monitoring.ts; the comparison that writes them is
// data/monitoring.ts): one warning with its person's name, and its open verification task.
import type { Knex } from 'knex';
import type { Row } from './db';

export const warningsWithNames = (db: Knex) =>
  db('warnings as w').join('people as p', 'p.id', 'w.person_id').select('w.*', 'p.name');

/** The warning when it lies inside `region` (a warning elsewhere looks absent). */
export async function warningIn(db: Knex, region: string, id: string): Promise<Row | undefined> {
  const w = await warningsWithNames(db).where('w.id', id).first();
  return w && String(w.region_code).startsWith(region) ? w : undefined;
}

/** The warning's open verification task and its workflow, if the warning still waits for it. */
export async function openVerificationTask(
  db: Knex,
  warningId: string,
): Promise<{ id: string; workflowId: string } | undefined> {
  const t = await db('tasks as t')
    .join('cases as c', 'c.id', 't.case_id')
    .where({ 't.case_id': warningId, 't.type': 'warningVerification', 't.status': 'OPEN' })
    .first('t.id', 'c.workflow_id');
  return t ? { id: t.id, workflowId: t.workflow_id } : undefined;
}
