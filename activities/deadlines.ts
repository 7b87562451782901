// Deadline rows: the supervisors' read model of every running policy timer.
import type { ActivityDeps } from './deps';
import type { DeadlineInput, OverdueInput, SettleDeadlineInput } from './contracts';
import { audit, SYSTEM_ACTOR } from './audit';
import { enqueue } from './notifications/outbox';

export function deadlineActivities({ db }: ActivityDeps) {
  return {
    /** Creates the row, or moves a pending one when the calendar or an extension changed its due date. */
    async upsertDeadline(d: DeadlineInput): Promise<void> {
      const row = {
        id: d.deadlineId, case_id: d.caseId, kind: d.kind, region_code: d.regionCode, task_id: d.taskId ?? null, started_on: d.startedOn,
        working_days: d.calendarDays === undefined ? d.workingDays : null, calendar_days: d.calendarDays ?? null, due_on: d.dueOn, due_at: d.dueAt, provisional: d.provisional, status: 'pending',
        extension_days: d.extensionDays ?? null, extension_reason: d.extensionReason ?? null,
      };
      await db.transaction(async (trx) => {
        const before = await trx('deadlines').where({ id: d.deadlineId }).forUpdate().first();
        if (!before) {
          await trx('deadlines').insert(row);
          return;
        }
        if (before.due_on === d.dueOn && before.provisional === d.provisional && (before.extension_days ?? null) === (d.extensionDays ?? null)) return;
        await trx('deadlines').where({ id: d.deadlineId }).update({
          due_on: d.dueOn, due_at: d.dueAt, provisional: d.provisional, extension_days: row.extension_days, extension_reason: row.extension_reason,
        });
        await audit(trx, {
          ...SYSTEM_ACTOR, action: d.extensionDays && !before.extension_days ? 'deadline.extend' : 'deadline.recompute', caseId: d.caseId,
          entity: 'deadline', entityId: d.deadlineId, before: { dueOn: before.due_on, provisional: before.provisional },
          after: { dueOn: d.dueOn, provisional: d.provisional }, reason: d.extensionReason,
        });
      });
    },

    async settleDeadline(s: SettleDeadlineInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('deadlines').where({ id: s.deadlineId }).forUpdate().first();
        if (!before || before.status === 'met' || before.status === 'cancelled') return;
        const patch = s.status === 'met'
          ? { status: 'met', met_at: s.at, met_late: before.status === 'overdue' || (s.metOn !== undefined && s.metOn > before.due_on) }
          : { status: s.status };
        await trx('deadlines').where({ id: s.deadlineId }).update(patch);
        await audit(trx, { ...SYSTEM_ACTOR, action: `deadline.${s.status}`, caseId: before.case_id, entity: 'deadline', entityId: s.deadlineId, before: { status: before.status }, after: patch });
      });
    },

    /** The timer fired before the act: mark overdue and tell the township's supervisors (once, however often retried). */
    async markDeadlineOverdue(o: OverdueInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('deadlines').where({ id: o.deadlineId }).forUpdate().first();
        if (!before || before.status !== 'pending') return;
        await trx('deadlines').where({ id: o.deadlineId }).update({ status: 'overdue', overdue_at: trx.fn.now(), escalation_level: 1 });
        await audit(trx, { ...SYSTEM_ACTOR, action: 'deadline.overdue', caseId: o.caseId, entity: 'deadline', entityId: o.deadlineId, before: { status: 'pending' }, after: { status: 'overdue' } });
        const township = o.regionCode.slice(0, 9);
        const contacts = await trx('region_contacts').where({ region_code: township, role: 'supervisor' });
        for (const c of contacts) {
          await enqueue(trx, {
            id: `${o.deadlineId}:overdue:${c.channel}:${c.address}`, channel: c.channel, recipient: c.address, caseId: o.caseId, regionCode: township,
            subject: `时限逾期 overdue: ${o.kind}`,
            body: `案件 ${o.caseId} 的时限 ${o.kind} 已于 ${o.dueOn} 到期而未完成。Deadline ${o.kind} of case ${o.caseId} was due ${o.dueOn} and is overdue.`,
            payload: { type: 'deadline.overdue', deadlineId: o.deadlineId, caseId: o.caseId, kind: o.kind, dueOn: o.dueOn, taskId: o.taskId ?? null },
          });
        }
      });
    },
  };
}
