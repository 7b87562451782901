// The one way a case is opened from outside a workflow: the case row, the process's own rows and the audit row in one
// transaction, then the workflow started with update-with-start so the answer carries the first tasks.
// Cases a workflow opens itself (a recipient, a follow-up application) write their row with data/cases.ts
// insertCase from the activity before the workflow starts its child.
import type { Knex } from 'knex';
import { audit, type AuditEntry } from '../data/audit';
import { confirmWorkflowStarted, getCase, insertCase, type NewCase } from '../data/cases';
import type { Db } from '../data/db';
import type { CaseEngine } from './client';
import type { AnyProcess } from './definition';
import type { CaseSnapshot } from './messages';

export interface OpenCaseSpec<I> {
  definition: AnyProcess;
  row: Omit<NewCase, 'process' | 'workflowId' | 'status'>;
  /**
   * Rows the case row refers to (the people, their household), written first; may answer the household the people
   * turned out to live in (data/people.ts settleHousehold), which the case row then refers to.
   */
  before?: (trx: Db) => Promise<void | { householdId: string }>;
  /** The process's own rows that refer to the case (the emergency row, the conference row), written after it. */
  after?: (trx: Db) => Promise<void>;
  audit: Omit<AuditEntry, 'caseId' | 'entity' | 'entityId'>;
  /** The workflow's input: ids and dates, never names or ID numbers. */
  input: I;
}

export interface OpenedCase {
  caseId: string;
  /** False when the case existed already: a retried request. */
  created: boolean;
  /** The case as its workflow answered once its first tasks existed; undefined when the workflow had closed. */
  snapshot?: CaseSnapshot;
}

export async function openCase<I>(deps: { db: Knex; engine: CaseEngine }, spec: OpenCaseSpec<I>): Promise<OpenedCase> {
  const { definition, row } = spec;
  const created = await deps.db.transaction(async (trx) => {
    if (await getCase(trx, row.id)) return false; // a retry after a crash before the answer
    const settled = await spec.before?.(trx);
    await insertCase(trx, {
      ...row,
      ...(settled ? { householdId: settled.householdId } : {}),
      process: definition.name,
      workflowId: definition.workflowId(row.id),
      status: definition.statuses[0],
      workflowInput: spec.input,
    });
    await spec.after?.(trx);
    await audit(trx, { ...spec.audit, caseId: row.id, entity: 'case', entityId: row.id });
    return true;
  });
  // Temporal down, or this process killed, from here on: the row stays unconfirmed and the reconciliation job
  // (scripts/lib/reconcile.ts) starts the workflow, with the same id, unless a retried request does it first.
  const snapshot = await deps.engine.start(definition, row.id, spec.input);
  await confirmWorkflowStarted(deps.db, row.id);
  return { caseId: row.id, created, snapshot };
}
