// The comparison run's activities: compare (data/monitoring.ts) and record the run; then start one warning workflow
// per warning the run raised, many at a time, resuming where a retried attempt stopped (the warning rows say which
// were started; a workflow already started answers WorkflowExecutionAlreadyStarted and counts as started).
import { heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { compareDatasets, type ComparisonResult } from '../../data/monitoring';
import { policyFor } from '../../data/policy';
import type { ActivityDeps } from '../../engine/activities/deps';
import { InvalidDataError } from '../../engine/errors';
import { COUNTY_REGION } from '../../domain/glossary';
import type { WarningClass, WarningSource } from '../../domain/monitoring';
import { warningProcess } from '../warning/definition';
import type { WarningInput } from '../warning/messages';

export interface RunComparisonInput {
  runId: string;
  today: string;
  requestedBy: string;
}

export interface StartedWarnings {
  workflowsStarted: number;
  startMs: number;
}

export type ComparisonRunResult = ComparisonResult & StartedWarnings & { runId: string };

/** How many workflow starts are in flight at once: the server, not the client, is what limits the rate. */
const START_CONCURRENCY = 32;
const START_PAGE = 500;

export function comparisonActivities({ db, temporal }: ActivityDeps) {
  return {
    async runComparison(i: RunComparisonInput): Promise<ComparisonResult & { runId: string }> {
      const done = await db('comparison_runs').where({ id: i.runId, status: 'DONE' }).first();
      if (done) return { runId: i.runId, ...storedResult(done) };
      // Choice (docs/monitoring.md): the county's parameters; the township checks with its own when it verifies.
      const policy = await policyFor(db, COUNTY_REGION, i.today);
      if (!policy) throw new InvalidDataError(`no policy parameters are in force for ${COUNTY_REGION} on ${i.today}`);
      await db('comparison_runs')
        .insert({ id: i.runId, requested_by: i.requestedBy, run_on: i.today, status: 'RUNNING' })
        .onConflict('id')
        .ignore();
      const beat = setInterval(() => heartbeat(), 10_000);
      try {
        const result = await compareDatasets(db, {
          runId: i.runId,
          today: i.today,
          parameters: policy.parameters,
          reportedBy: `comparison:${i.runId}`,
        });
        await db('comparison_runs')
          .where({ id: i.runId })
          .update({
            status: 'DONE',
            snapshots: JSON.stringify({ ...result.snapshots, byClass: result.byClass }),
            rows_compared: result.rowsCompared,
            subjects: result.subjects,
            raised: result.raised,
            not_raised_again: result.notRaisedAgain,
            compare_ms: result.compareMs,
            finished_at: db.fn.now(),
          });
        return { runId: i.runId, ...result };
      } finally {
        clearInterval(beat);
      }
    },

    async startWarningWorkflows({ runId }: { runId: string }): Promise<StartedWarnings> {
      if (!temporal) throw new InvalidDataError('this worker has no Temporal client to start warning workflows with');
      const started = Date.now();
      let count = 0;
      for (;;) {
        const rows = await db('warnings')
          .where({ run_id: runId })
          .whereNull('workflow_started_at')
          .orderBy('id')
          .limit(START_PAGE)
          .select('id', 'region_code', 'warning_class', 'source', 'raised_on');
        if (!rows.length) break;
        for (let k = 0; k < rows.length; k += START_CONCURRENCY) {
          await Promise.all(
            rows.slice(k, k + START_CONCURRENCY).map(async (r) => {
              const input: WarningInput = {
                warningId: r.id,
                regionCode: r.region_code,
                warningClass: r.warning_class as WarningClass,
                source: r.source as WarningSource,
                raisedOn: String(r.raised_on).slice(0, 10),
              };
              try {
                await temporal.client.workflow.start(warningProcess.name, {
                  workflowId: warningProcess.workflowId(r.id),
                  taskQueue: temporal.taskQueue,
                  args: [input],
                  workflowIdReusePolicy: 'REJECT_DUPLICATE',
                });
              } catch (err) {
                if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
              }
            }),
          );
        }
        await db('warnings')
          .whereIn(
            'id',
            rows.map((r) => r.id),
          )
          .update({ workflow_started_at: db.fn.now() });
        count += rows.length;
        heartbeat(count);
      }
      const startMs = Date.now() - started;
      await db('comparison_runs').where({ id: runId }).update({ workflows_started: count });
      return { workflowsStarted: count, startMs };
    },
  };
}

function storedResult(r: Record<string, unknown>): ComparisonResult {
  const { byClass, ...snapshots } = (r.snapshots ?? {}) as Record<string, unknown>;
  return {
    snapshots: snapshots as ComparisonResult['snapshots'],
    byClass: (byClass ?? {}) as ComparisonResult['byClass'],
    rowsCompared: Number(r.rows_compared),
    subjects: Number(r.subjects),
    raised: Number(r.raised),
    notRaisedAgain: Number(r.not_raised_again),
    compareMs: Number(r.compare_ms),
  };
}

export type ComparisonActivities = ReturnType<typeof comparisonActivities>;
