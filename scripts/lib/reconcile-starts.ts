// Case rows whose workflow never started (docs/architecture.md, "Crashes"): engine/open-case.ts commits the row, then
// starts the workflow; Temporal down at that moment, or the API killed in between, leaves a row no workflow runs. Rows
// not confirmed after a grace period are checked against Temporal: a workflow that exists confirms the row, a missing
// one is started with the input the row kept and the same workflow id (so a retried request racing this starts one).
// The worker runs it periodically (worker.ts); `npm run reconcile` runs it once and reports.
import type { Knex } from 'knex';
import { confirmWorkflowStarted } from '../../data/cases';
import type { CaseEngine } from '../../engine/client';
import { processByName } from '../../processes';

export type StartOutcome = 'STARTED' | 'CONFIRMED' | 'NO_INPUT' | 'UNKNOWN_PROCESS' | 'FAILED';

export interface UnstartedCase {
  caseId: string;
  workflowId: string;
  process: string;
  outcome: StartOutcome;
  message?: string;
}

export interface StartReport {
  checked: number;
  cases: UnstartedCase[];
}

export async function reconcileUnstartedCases(
  db: Knex,
  engine: CaseEngine,
  opts: { graceMs?: number; repair?: boolean; limit?: number; caseIds?: string[] } = {},
): Promise<StartReport> {
  const query = db('cases')
    .whereNull('workflow_started_at')
    .where('created_at', '<', new Date(Date.now() - (opts.graceMs ?? 30_000)))
    .orderBy('created_at')
    .limit(opts.limit ?? 500)
    .select('id', 'process', 'workflow_id', 'workflow_input');
  if (opts.caseIds) query.whereIn('id', opts.caseIds);
  const rows = await query;
  const cases: UnstartedCase[] = [];
  for (const r of rows) {
    const base = { caseId: r.id as string, workflowId: r.workflow_id as string, process: r.process as string };
    const definition = processByName(r.process);
    if (!definition) {
      cases.push({ ...base, outcome: 'UNKNOWN_PROCESS' });
      continue;
    }
    try {
      if (r.workflow_input === null) {
        // No input kept (opened by a workflow, or before the column): only confirmable, never started from here.
        const exists = await engine.client.workflow
          .getHandle(r.workflow_id)
          .describe()
          .then(() => true);
        if (exists && opts.repair !== false) await confirmWorkflowStarted(db, r.id);
        continue;
      }
      if (opts.repair === false) {
        const exists = await engine.client.workflow
          .getHandle(r.workflow_id)
          .describe()
          .then(
            () => true,
            () => false,
          );
        if (!exists) cases.push({ ...base, outcome: 'FAILED', message: 'no workflow (not repaired: --dry-run)' });
        continue;
      }
      const outcome = await engine.ensureStarted(definition, r.id, r.workflow_input);
      await confirmWorkflowStarted(db, r.id);
      if (outcome === 'STARTED') cases.push({ ...base, outcome });
    } catch (err) {
      cases.push({
        ...base,
        outcome: r.workflow_input === null ? 'NO_INPUT' : 'FAILED',
        message: (err as Error).message,
      });
    }
  }
  return { checked: rows.length, cases };
}

/** Runs the job every intervalMs until the returned function is called; failures are logged, never thrown. */
export function startReconciler(
  db: Knex,
  engine: CaseEngine,
  intervalMs: number,
  log: (line: string) => void,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await reconcileUnstartedCases(db, engine, { graceMs: Math.min(30_000, intervalMs) });
      for (const c of report.cases)
        log(`reconcile: case ${c.caseId} (${c.process}): ${c.outcome}${c.message ? ` — ${c.message}` : ''}`);
    } catch (err) {
      log(`reconcile failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
