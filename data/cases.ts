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
  await inTransaction(db, async (trx) => {
    const patch: Record<string, unknown> = { active_steps: JSON.stringify(p.activeSteps), updated_at: trx.fn.now() };
    if (p.status) patch.status = p.status;
    if (p.acceptedOn) patch.accepted_on = p.acceptedOn;
    if (p.decidedOn) patch.decided_on = p.decidedOn;
    if (p.returnedMissing) patch.returned_missing = JSON.stringify(p.returnedMissing);
    const before = p.status ? await trx('cases').where({ id: p.caseId }).forUpdate().first('status') : undefined;
    await trx('cases').where({ id: p.caseId }).update(patch);
    if (before && before.status !== p.status)
      await audit(trx, {
        ...SYSTEM_ACTOR,
        action: 'case.status',
        caseId: p.caseId,
        entity: 'case',
        entityId: p.caseId,
        before: { status: before.status },
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
