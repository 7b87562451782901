// Task rows: the read model of every human step, written by the workflows' activities and claimed through the API.
// Ids are deterministic (<caseId>:<type>:<n>), so a retried write finds its own row.
import { actorOf, audit } from './audit';
import { inTransaction, type Db } from './db';

export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface NewTask {
  taskId: string;
  caseId: string;
  type: string;
  regionCode: string;
  candidateRole: string;
  createdAt: string;
  /** The deadline that sets the due time: the task's due time is always its deadline's (data/deadlines.ts). */
  deadlineId?: string;
  dueAt?: string;
  /** The one department that may work on it (conference opinions). */
  department?: string;
}

export interface TaskClosing {
  taskId: string;
  status: 'COMPLETED' | 'CANCELLED';
  outcome?: string;
  data?: Record<string, unknown>;
  comment?: string;
  actor?: { sub: string; role: string };
  closedAt: string;
}

export async function insertTask(db: Db, t: NewTask): Promise<void> {
  await db('tasks')
    .insert({
      id: t.taskId,
      case_id: t.caseId,
      type: t.type,
      region_code: t.regionCode,
      candidate_role: t.candidateRole,
      status: 'OPEN',
      created_at: t.createdAt,
      // A task timed by a deadline takes the deadline's due time when the row is already there (it may have been
      // recomputed after the workflow opened the task); data/deadlines.ts moves it otherwise.
      due_at: t.deadlineId
        ? db.raw('coalesce((select due_at from deadlines where id = ?), ?::timestamptz)', [
            t.deadlineId,
            t.dueAt ?? null,
          ])
        : (t.dueAt ?? null),
      deadline_id: t.deadlineId ?? null,
      department: t.department ?? null,
    })
    .onConflict('id')
    .ignore();
}

/** Completes or cancels an open task with its audit row; a task already closed (an earlier attempt) is left alone. */
export async function closeTask(db: Db, c: TaskClosing): Promise<void> {
  await inTransaction(db, async (trx) => {
    // One statement: the row is locked, checked still open and closed at once (a concurrent closer waits, then finds
    // it closed and changes nothing). Its status before is OPEN whenever a row comes back.
    const [closed] = await trx('tasks')
      .where({ id: c.taskId, status: 'OPEN' })
      .update({
        status: c.status,
        outcome: c.outcome ?? null,
        data: c.data ? JSON.stringify(c.data) : null,
        comment: c.comment ?? null,
        completed_at: c.closedAt,
        completed_by: c.actor?.sub ?? null,
        assignee: trx.raw('coalesce(assignee, ?)', [c.actor?.sub ?? null]),
      })
      .returning(['case_id']);
    if (!closed) return;
    await audit(trx, {
      ...actorOf(c.actor),
      action: c.status === 'COMPLETED' ? 'task.complete' : 'task.cancel',
      caseId: closed.case_id,
      entity: 'task',
      entityId: c.taskId,
      before: { status: 'OPEN' },
      after: { status: c.status, outcome: c.outcome, data: c.data },
      reason: c.comment,
    });
  });
}

export function getTask(db: Db, id: string) {
  return db('tasks').where({ id }).first();
}

/** The task with its case's workflow id, in one query: what completing it needs (api/routes/tasks.ts). */
export function getTaskWithWorkflow(db: Db, id: string) {
  return db('tasks')
    .join('cases', 'cases.id', 'tasks.case_id')
    .where('tasks.id', id)
    .first('tasks.*', 'cases.workflow_id as workflow_id');
}

export function tasksOfCase(db: Db, caseId: string) {
  return db('tasks').where({ case_id: caseId }).orderBy('created_at');
}

export interface TaskFilter {
  region: string;
  status: string;
  caseId?: string;
  type?: string;
  department?: string;
  assignee?: string;
  overdue?: boolean;
  dueBefore?: Date;
}

/** The inbox: soonest due first, unpaged (api/http/paging.ts pages it and counts the total). */
export function tasksQuery(db: Db, f: TaskFilter) {
  const q = db('tasks').where('region_code', 'like', `${f.region}%`).where('status', f.status);
  if (f.caseId) q.where('case_id', f.caseId);
  if (f.type) q.where('type', f.type);
  if (f.department !== undefined) q.where('department', f.department);
  if (f.assignee) q.where('assignee', f.assignee);
  if (f.overdue) q.where('due_at', '<', db.fn.now());
  if (f.dueBefore) q.where('due_at', '<=', f.dueBefore);
  return q.orderByRaw('due_at asc nulls last, created_at asc, id asc');
}

/** Sets (or clears) the assignee of an open task, with its audit row when it changed; returns the row after. */
export async function assignTask(
  trx: Db,
  task: { id: string; case_id: string; assignee: string | null },
  assignee: string | null,
  by: { sub: string; role: string },
) {
  const [row] = await trx('tasks').where({ id: task.id }).update({ assignee }).returning('*');
  if ((task.assignee ?? null) !== assignee) {
    await audit(trx, {
      ...actorOf(by),
      action: assignee ? 'task.claim' : 'task.unclaim',
      caseId: task.case_id,
      entity: 'task',
      entityId: task.id,
      before: { assignee: task.assignee },
      after: { assignee },
    });
  }
  return row;
}

/** A deadline moved (extension, a newly loaded calendar year): the tasks it times move with it, in the same write. */
export async function moveTasksOfDeadline(db: Db, deadlineId: string, dueAt: string): Promise<void> {
  await db('tasks').where({ deadline_id: deadlineId, status: 'OPEN' }).update({ due_at: dueAt });
}
