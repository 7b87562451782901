// A comparison run (数据比对, docs/monitoring.md): started daily by the Temporal Schedule of scripts/schedules.ts, or on
// demand (POST /monitoring/comparison-runs). One activity compares the latest snapshots and raises the warnings; a
// second starts a warning workflow for each new one. Both are idempotent, so a rerun or a retry raises nothing twice.
import { workflowInfo } from '@temporalio/workflow';
import { shanghaiDate } from '../../domain/calendar';
import { activities } from '../../engine/workflow/activity-proxy';
import type { ComparisonActivities, ComparisonRunResult } from './activities';

// Set-based work over the whole database: ordinary activities (a local one would hold the workflow task open).
const { runComparison, startWarningWorkflows } = activities<ComparisonActivities>(
  { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } },
  { placement: 'remote' },
);

export interface ComparisonRunInput {
  /** Defaults to the workflow id (a scheduled run's id carries its time). */
  runId?: string;
  requestedBy?: string;
}

export async function comparisonRun(input: ComparisonRunInput = {}): Promise<ComparisonRunResult> {
  const runId = input.runId ?? workflowInfo().workflowId;
  const compared = await runComparison({
    runId,
    today: shanghaiDate(Date.now()),
    requestedBy: input.requestedBy ?? 'schedule',
  });
  const started = await startWarningWorkflows({ runId });
  return { ...compared, ...started };
}
