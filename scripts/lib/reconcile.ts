// The deadline read model against the timers: every open deadline row (pending/overdue) must be a deadline its
// workflow still holds open, with the same status and due date, and every deadline a workflow holds open must have its
// row.
import type { Knex } from 'knex';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { openDeadlinesQuery, type OpenDeadline } from '../../engine/messages';
import { withTimeout } from '../../engine/client';

export type DifferenceKind =
  | 'MISSING_ROW' // the workflow holds a deadline open that has no row
  | 'ROW_NOT_OPEN_IN_WORKFLOW' // an open row the (running) workflow has settled or never had
  | 'ROW_OF_CLOSED_WORKFLOW' // an open row whose workflow is no longer running
  | 'STATUS_MISMATCH'
  | 'DUE_MISMATCH'
  | 'WORKFLOW_UNREACHABLE'; // the workflow did not answer the query (no worker polling its queue?)

export interface Difference {
  kind: DifferenceKind;
  caseId: string;
  workflowId: string;
  deadlineId?: string;
  row?: { status: string; dueOn: string; dueAt: string };
  workflow?: { status: string; dueOn: string; dueAt: string };
  message: string;
}

export interface ReconcileOptions {
  /**
   * Only these cases (tests; a supervisor checking one case). Default: every open row and every running workflow of the
   * task queue.
   */
  caseIds?: string[];
  taskQueue?: string;
  queryTimeoutMs?: number;
  /**
   * Differences are checked again after this pause and reported only if still there: a timer firing right now is no
   * discrepancy.
   */
  confirmAfterMs?: number;
}

export interface ReconcileReport {
  checkedWorkflows: number;
  checkedRows: number;
  differences: Difference[];
}

export async function reconcileDeadlines(
  db: Knex,
  client: Client,
  opts: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const first = await pass(db, client, opts);
  if (!first.differences.length || opts.confirmAfterMs === 0) return first;
  await new Promise((r) => setTimeout(r, opts.confirmAfterMs ?? 1_000));
  const caseIds = [...new Set(first.differences.map((d) => d.caseId))];
  const second = await pass(db, client, { ...opts, caseIds });
  const key = (d: Difference) => `${d.kind}|${d.workflowId}|${d.deadlineId ?? ''}`;
  const still = new Set(second.differences.map(key));
  return { ...first, differences: first.differences.filter((d) => still.has(key(d))) };
}

async function pass(db: Knex, client: Client, opts: ReconcileOptions): Promise<ReconcileReport> {
  const rowsQuery = db('deadlines')
    .join('cases', 'cases.id', 'deadlines.case_id')
    .whereIn('deadlines.status', ['pending', 'overdue'])
    .select(
      'deadlines.id',
      'deadlines.case_id',
      'deadlines.status',
      'deadlines.due_on',
      'deadlines.due_at',
      'cases.workflow_id',
    );
  if (opts.caseIds) rowsQuery.whereIn('deadlines.case_id', opts.caseIds);
  const rows = await rowsQuery;

  // The workflows to ask: those with open rows, plus running ones (which may hold a deadline whose row is missing).
  const workflows = new Map<string, string>(); // workflow id → case id
  for (const r of rows) workflows.set(r.workflow_id, r.case_id);
  if (opts.caseIds) {
    for (const c of await db('cases').whereIn('id', opts.caseIds).select('id', 'workflow_id'))
      workflows.set(c.workflow_id, c.id);
  } else {
    const running: string[] = [];
    const query =
      `ExecutionStatus = ` +
      `"Running"${opts.taskQueue ? ` AND TaskQueue = "${opts.taskQueue.replace(/"/g, '')}"` : ''}`;
    for await (const w of client.workflow.list({ query })) running.push(w.workflowId);
    for (let i = 0; i < running.length; i += 500) {
      for (const c of await db('cases')
        .whereIn('workflow_id', running.slice(i, i + 500))
        .select('id', 'workflow_id'))
        workflows.set(c.workflow_id, c.id);
    }
  }

  const differences: Difference[] = [];
  const rowsByWorkflow = new Map<string, typeof rows>();
  for (const r of rows) rowsByWorkflow.set(r.workflow_id, [...(rowsByWorkflow.get(r.workflow_id) ?? []), r]);
  for (const [workflowId, caseId] of workflows) {
    const open = rowsByWorkflow.get(workflowId) ?? [];
    const rowOf = (r: (typeof rows)[number]) => ({
      status: r.status,
      dueOn: r.due_on,
      dueAt: new Date(r.due_at).toISOString(),
    });
    let held: OpenDeadline[];
    try {
      const handle = client.workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') {
        for (const r of open)
          differences.push({
            kind: 'ROW_OF_CLOSED_WORKFLOW',
            caseId,
            workflowId,
            deadlineId: r.id,
            row: rowOf(r),
            message: `row is ${r.status} but the workflow is ${status.name.toLowerCase()}`,
          });
        continue;
      }
      held = await withTimeout(handle.query(openDeadlinesQuery), opts.queryTimeoutMs ?? 10_000);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        for (const r of open)
          differences.push({
            kind: 'ROW_OF_CLOSED_WORKFLOW',
            caseId,
            workflowId,
            deadlineId: r.id,
            row: rowOf(r),
            message: 'row is open but the workflow does not exist',
          });
      } else {
        differences.push({ kind: 'WORKFLOW_UNREACHABLE', caseId, workflowId, message: (err as Error).message });
      }
      continue;
    }
    const byId = new Map(open.map((r) => [r.id as string, r]));
    for (const d of held) {
      const r = byId.get(d.id);
      const workflow = { status: d.status, dueOn: d.dueOn, dueAt: d.dueAt };
      if (!r) {
        const settled = await db('deadlines').where({ id: d.id }).first('status', 'due_on', 'due_at');
        differences.push(
          settled
            ? {
                kind: 'STATUS_MISMATCH',
                caseId,
                workflowId,
                deadlineId: d.id,
                row: rowOf({ ...settled, id: d.id } as never),
                workflow,
                message: `row is ${settled.status}, the workflow holds it ${d.status}`,
              }
            : {
                kind: 'MISSING_ROW',
                caseId,
                workflowId,
                deadlineId: d.id,
                workflow,
                message: `the workflow holds ${d.kind} open (due ${d.dueOn}) but there is no row`,
              },
        );
        continue;
      }
      byId.delete(d.id);
      if (r.status !== d.status)
        differences.push({
          kind: 'STATUS_MISMATCH',
          caseId,
          workflowId,
          deadlineId: d.id,
          row: rowOf(r),
          workflow,
          message: `row is ${r.status}, the workflow holds it ${d.status}`,
        });
      if (r.due_on !== d.dueOn || new Date(r.due_at).getTime() !== Date.parse(d.dueAt)) {
        differences.push({
          kind: 'DUE_MISMATCH',
          caseId,
          workflowId,
          deadlineId: d.id,
          row: rowOf(r),
          workflow,
          message: `row due ${r.due_on}, the workflow's timer ${d.dueOn}`,
        });
      }
    }
    for (const r of byId.values())
      differences.push({
        kind: 'ROW_NOT_OPEN_IN_WORKFLOW',
        caseId,
        workflowId,
        deadlineId: r.id,
        row: rowOf(r),
        message: `row is ${r.status} but the running workflow holds no such open deadline`,
      });
  }
  return { checkedWorkflows: workflows.size, checkedRows: rows.length, differences };
}
