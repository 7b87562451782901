// Deadline rows: the supervisors' read model of every running policy timer, and its escalation ladder
// (docs/policy.md §8). Written only by the workflows' deadline activities (engine/activities/deadlines.ts); each write
// is keyed by the deadline id the workflow chose and checks the row's state, so a retried write changes nothing.
import { SYSTEM_ACTOR, audit } from './audit';
import { inTransaction, type Db } from './db';
import { moveTasksOfDeadline } from './tasks';

export const DEADLINE_STATUSES = ['pending', 'met', 'overdue', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export interface DeadlineRow {
  deadlineId: string;
  caseId: string;
  kind: string;
  regionCode: string;
  taskId?: string;
  startedOn: string;
  workingDays: number;
  calendarDays?: number;
  extensionDays?: number;
  extensionReason?: string;
  dueOn: string;
  dueAt: string;
  provisional: boolean;
}

/** Creates the row, or moves a pending one (and the tasks it times) when the calendar or an extension changed it. */
export async function upsertDeadline(db: Db, d: DeadlineRow): Promise<void> {
  const row = {
    id: d.deadlineId,
    case_id: d.caseId,
    kind: d.kind,
    region_code: d.regionCode,
    task_id: d.taskId ?? null,
    started_on: d.startedOn,
    working_days: d.calendarDays === undefined ? d.workingDays : null,
    calendar_days: d.calendarDays ?? null,
    due_on: d.dueOn,
    due_at: d.dueAt,
    provisional: d.provisional,
    status: 'pending',
    extension_days: d.extensionDays ?? null,
    extension_reason: d.extensionReason ?? null,
  };
  await inTransaction(db, async (trx) => {
    // A new deadline (the usual case) is one insert; one already there (a retried write, a recomputed due date) is
    // read under lock and compared.
    const inserted = await trx('deadlines').insert(row).onConflict('id').ignore().returning('id');
    if (inserted.length) {
      // The task this deadline times takes its due time from it from now on, as do the open tasks that named it
      // before its row was there (moveTasksOfDeadline).
      if (d.taskId)
        await trx('tasks')
          .where({ id: d.taskId })
          .orWhere({ deadline_id: d.deadlineId, status: 'OPEN' })
          .update({ deadline_id: d.deadlineId, due_at: d.dueAt });
      else await moveTasksOfDeadline(trx, d.deadlineId, d.dueAt);
      return;
    }
    const before = await trx('deadlines').where({ id: d.deadlineId }).forUpdate().first();
    if (!before) return;
    const same =
      before.due_on === d.dueOn &&
      before.provisional === d.provisional &&
      (before.extension_days ?? null) === (d.extensionDays ?? null);
    if (same) return;
    await trx('deadlines').where({ id: d.deadlineId }).update({
      due_on: d.dueOn,
      due_at: d.dueAt,
      provisional: d.provisional,
      extension_days: row.extension_days,
      extension_reason: row.extension_reason,
    });
    await moveTasksOfDeadline(trx, d.deadlineId, d.dueAt);
    await audit(trx, {
      ...SYSTEM_ACTOR,
      action: d.extensionDays && !before.extension_days ? 'deadline.extend' : 'deadline.recompute',
      caseId: d.caseId,
      entity: 'deadline',
      entityId: d.deadlineId,
      before: { dueOn: before.due_on, provisional: before.provisional },
      after: { dueOn: d.dueOn, provisional: d.provisional },
      reason: d.extensionReason,
    });
  });
}

export interface DeadlineSettlement {
  deadlineId: string;
  status: 'met' | 'cancelled';
  at: string;
  /** The act's date on paper: decides whether the deadline was met on time. */
  metOn?: string;
}

export async function settleDeadline(db: Db, s: DeadlineSettlement): Promise<void> {
  await inTransaction(db, async (trx) => {
    // One statement: the row locked, what it was read and the settlement written; nothing comes back when it was
    // settled already (a retried write) or is not there.
    // On time on paper is on time (docs/policy.md §1.4): an act entered after the timer fired but dated on or before
    // the due date is met on time; the overdue alert already sent stays in the row and its escalations.
    const met = s.status === 'met';
    const { rows } = await trx.raw(
      `update deadlines as d
          set status = ?, met_at = case when ?::boolean then ?::timestamptz else d.met_at end,
              met_late = case when ?::boolean then
                           case when ?::date is not null then ?::date > b.due_on else b.status = 'overdue' end
                         else d.met_late end
         from (select id, status, due_on, case_id from deadlines where id = ? for update) as b
        where d.id = b.id and b.status not in ('met', 'cancelled')
       returning b.status as before_status, b.case_id, d.met_late`,
      [s.status, met, met ? s.at : null, met, s.metOn ?? null, s.metOn ?? null, s.deadlineId],
    );
    const before = (rows as { before_status: string; case_id: string; met_late: boolean | null }[])[0];
    if (!before) return;
    await audit(trx, {
      ...SYSTEM_ACTOR,
      action: `deadline.${s.status}`,
      caseId: before.case_id,
      entity: 'deadline',
      entityId: s.deadlineId,
      before: { status: before.before_status },
      after: met ? { status: 'met', met_at: s.at, met_late: before.met_late } : { status: s.status },
    });
  });
}

/**
 * Moves a deadline up the ladder to `level` (1: overdue at the due time; 2: the county) and records who was told;
 * false when it already was there (a retried step) or is no longer open.
 */
export async function raiseDeadline(
  trx: Db,
  step: { deadlineId: string; caseId: string; level: number; region: string; reason?: string },
  notified: (trx: Db) => Promise<string[]>,
): Promise<boolean> {
  const before = await trx('deadlines').where({ id: step.deadlineId }).forUpdate().first();
  if (!before) return false;
  if (
    step.level === 1
      ? before.status !== 'pending'
      : before.status !== 'overdue' || before.escalation_level >= step.level
  ) {
    return false;
  }
  const patch =
    step.level === 1
      ? { status: 'overdue', overdue_at: trx.fn.now(), escalation_level: 1 }
      : { escalation_level: step.level };
  await trx('deadlines').where({ id: step.deadlineId }).update(patch);
  await audit(trx, {
    ...SYSTEM_ACTOR,
    action: step.level === 1 ? 'deadline.overdue' : 'deadline.escalate',
    caseId: step.caseId,
    entity: 'deadline',
    entityId: step.deadlineId,
    before: step.level === 1 ? { status: 'pending' } : { escalationLevel: before.escalation_level },
    after: step.level === 1 ? { status: 'overdue', escalationLevel: 1 } : { escalationLevel: step.level },
    reason: step.reason,
  });
  const who = await notified(trx);
  await trx('deadline_escalations')
    .insert({
      id: `${step.deadlineId}:${step.level}`,
      deadline_id: step.deadlineId,
      case_id: step.caseId,
      level: step.level,
      region_code: step.region,
      notified: JSON.stringify(who),
    })
    .onConflict('id')
    .ignore();
  return true;
}

export function deadlinesOfCase(db: Db, caseId: string) {
  return db('deadlines').where({ case_id: caseId }).orderBy('created_at');
}
