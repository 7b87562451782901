// Case rows: one per case of any process (application, recipient, emergency, conference). Written once by
// insertCase — through engine/open-case.ts for cases the API opens, or by the activity that opens a child case —
// and then only by the case's own workflow (progress, assessment, decision date).
import { inTransaction, type Db } from './db';
import { audit, SYSTEM_ACTOR } from './audit';

export interface NewCase {
  id: string;
  process: string;
  workflowId: string;
  householdId?: string | null;
  regionCode: string;
  status: string;
  source?: string | null;
  activeSteps: string[];
  receivedOn: string;
  decidedOn?: string;
  createdBy: string;
  /** The input its workflow is started with, kept so a start that never happened can be made later. */
  workflowInput?: unknown;
}

/** Inserts the case row; false when it exists already (a retried request or activity). */
export async function insertCase(db: Db, c: NewCase): Promise<boolean> {
  const inserted = await db('cases')
    .insert({
      id: c.id,
      process: c.process,
      workflow_id: c.workflowId,
      household_id: c.householdId ?? null,
      region_code: c.regionCode,
      status: c.status,
      source: c.source ?? null,
      active_steps: JSON.stringify(c.activeSteps),
      received_on: c.receivedOn,
      decided_on: c.decidedOn ?? null,
      created_by: c.createdBy,
      workflow_input: c.workflowInput === undefined ? null : JSON.stringify(c.workflowInput),
    })
    .onConflict('id')
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

/** The case's workflow is known to exist (started by the API, or found by the reconciliation job). */
export async function confirmWorkflowStarted(db: Db, id: string): Promise<void> {
  await db('cases').where({ id }).whereNull('workflow_started_at').update({ workflow_started_at: db.fn.now() });
}

export function getCase(db: Db, id: string) {
  return db('cases').where({ id }).first();
}

export interface CaseProgress {
  caseId: string;
  status?: string;
  activeSteps: string[];
  acceptedOn?: string;
  decidedOn?: string;
  returnedMissing?: string[];
}

/** A change of status is audited in the same transaction (a retried write finds the status already set: no row). */
export async function recordProgress(db: Db, p: CaseProgress): Promise<void> {
  const values: Record<string, string> = { active_steps: JSON.stringify(p.activeSteps) };
  if (p.status) values.status = p.status;
  if (p.acceptedOn) values.accepted_on = p.acceptedOn;
  if (p.decidedOn) values.decided_on = p.decidedOn;
  if (p.returnedMissing) values.returned_missing = JSON.stringify(p.returnedMissing);
  if (!p.status) {
    await db('cases')
      .where({ id: p.caseId })
      .update({ ...values, updated_at: db.fn.now() });
    return;
  }
  await inTransaction(db, async (trx) => {
    // One statement: the row locked, its status before read and the progress written (the status change is audited).
    const { rows } = await trx.raw(
      `update cases as c set ${Object.keys(values)
        .map((k) => `${k} = ?`)
        .join(', ')}, updated_at = now()
         from (select id, status from cases where id = ? for update) as b
        where c.id = b.id
       returning b.status as before_status`,
      [...Object.values(values), p.caseId],
    );
    const before = (rows as { before_status: string }[])[0];
    if (before && before.before_status !== p.status)
      await audit(trx, {
        ...SYSTEM_ACTOR,
        action: 'case.status',
        caseId: p.caseId,
        entity: 'case',
        entityId: p.caseId,
        before: { status: before.before_status },
        after: { status: p.status },
      });
  });
}

export async function updateCase(db: Db, id: string, patch: Record<string, unknown>): Promise<void> {
  await db('cases')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });
}

/** Cases in a region with the applicant's name, newest first. */
/** The cases of a region (and status), newest first, unpaged: api/http/paging.ts pages it and counts the total. */
export function casesQuery(db: Db, f: { region: string; status?: string }) {
  const q = db('cases')
    .leftJoin('case_people as cp', function () {
      this.on('cp.case_id', 'cases.id').andOnVal('cp.relation', 'APPLICANT');
    })
    .leftJoin('people as applicant', 'applicant.id', 'cp.person_id')
    .where('cases.region_code', 'like', `${f.region}%`)
    .select('cases.*', 'applicant.name as applicant_name');
  if (f.status) q.where('cases.status', f.status);
  return q.orderBy([{ column: 'cases.created_at', order: 'desc' }, { column: 'cases.id' }]);
}
