// Deadline rows: the supervisors' read model of every running policy timer, and the steps of the escalation ladder.
import type { ActivityDeps } from './deps';
import type { Knex } from 'knex';
import type { DeadlineInput, EscalateDeadlineInput, OverdueAnswer, OverdueInput, SettleDeadlineInput } from './contracts';
import type { Channel } from './notifications/transports';
import { audit, SYSTEM_ACTOR } from './audit';
import { enqueue } from './notifications/outbox';

export function deadlineActivities({ db, countyEscalationWorkingDays = escalationDaysFromEnv() }: ActivityDeps) {
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

    /**
     * Ladder step 1 — the timer fired before the act: mark overdue, tell the assignee (in-app; the candidate role of
     * the township when nobody claimed the task) and the township's supervisors. Once, however often retried.
     */
    async markDeadlineOverdue(o: OverdueInput): Promise<OverdueAnswer> {
      await db.transaction(async (trx) => {
        const before = await trx('deadlines').where({ id: o.deadlineId }).forUpdate().first();
        if (!before || before.status !== 'pending') return;
        await trx('deadlines').where({ id: o.deadlineId }).update({ status: 'overdue', overdue_at: trx.fn.now(), escalation_level: 1 });
        await audit(trx, { ...SYSTEM_ACTOR, action: 'deadline.overdue', caseId: o.caseId, entity: 'deadline', entityId: o.deadlineId, before: { status: 'pending' }, after: { status: 'overdue', escalationLevel: 1 } });
        const township = o.regionCode.slice(0, 9);
        const task = o.taskId ? await trx('tasks').where({ id: o.taskId }).first('assignee', 'candidate_role', 'region_code', 'department') : undefined;
        const assignee = !task ? undefined
          : task.assignee ? `user:${task.assignee}`
            : task.department ? `department:${task.department}` : `role:${task.candidate_role}@${task.region_code}`;
        const notified = await notifyLadderStep(trx, o, 1, township, assignee);
        await trx('deadline_escalations').insert({ id: `${o.deadlineId}:1`, deadline_id: o.deadlineId, case_id: o.caseId, level: 1, region_code: township, notified: JSON.stringify(notified) })
          .onConflict('id').ignore();
      });
      return { countyAfterWorkingDays: countyEscalationWorkingDays };
    },

    /** Ladder step 2 — still not done N working days after the due date: the county's supervisors. */
    async escalateDeadline(e: EscalateDeadlineInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('deadlines').where({ id: e.deadlineId }).forUpdate().first();
        if (!before || before.status !== 'overdue' || before.escalation_level >= e.level) return;
        await trx('deadlines').where({ id: e.deadlineId }).update({ escalation_level: e.level });
        await audit(trx, {
          ...SYSTEM_ACTOR, action: 'deadline.escalate', caseId: e.caseId, entity: 'deadline', entityId: e.deadlineId,
          before: { escalationLevel: before.escalation_level }, after: { escalationLevel: e.level },
          reason: `still overdue ${countyEscalationWorkingDays} working days after ${e.dueOn}`,
        });
        const county = e.regionCode.slice(0, 6);
        const notified = await notifyLadderStep(trx, e, e.level, county);
        await trx('deadline_escalations').insert({ id: `${e.deadlineId}:${e.level}`, deadline_id: e.deadlineId, case_id: e.caseId, level: e.level, region_code: county, notified: JSON.stringify(notified) })
          .onConflict('id').ignore();
      });
    },
  };
}

/** The supervisors of `region` (their contact addresses and, in-app, everyone with that role and region), plus `extra`. */
async function notifyLadderStep(trx: Knex.Transaction, o: OverdueInput, level: number, region: string, extra?: string): Promise<string[]> {
  const contacts = await trx('region_contacts').where({ region_code: region, role: 'supervisor' });
  const recipients: { channel: Channel; address: string }[] = [
    ...contacts.map((c) => ({ channel: c.channel as Channel, address: c.address as string })),
    { channel: 'IN_APP', address: `role:supervisor@${region}` },
    ...(extra ? [{ channel: 'IN_APP' as const, address: extra }] : []),
  ];
  const what = level === 1 ? '已于 %s 到期而未完成' : '逾期未办，已提级至县级督办';
  for (const r of recipients) {
    // Level 1 keeps the id it always had, so a case that went overdue before the ladder existed is not told twice.
    const id = level === 1 ? `${o.deadlineId}:overdue:${r.channel}:${r.address}` : `${o.deadlineId}:escalation${level}:${r.channel}:${r.address}`;
    await enqueue(trx, {
      id, channel: r.channel, recipient: r.address, caseId: o.caseId, regionCode: region,
      subject: level === 1 ? `时限逾期 overdue: ${o.kind}` : `逾期督办 escalated to the county: ${o.kind}`,
      body: `案件 ${o.caseId} 的时限 ${o.kind} ${what.replace('%s', o.dueOn)}。Deadline ${o.kind} of case ${o.caseId} was due ${o.dueOn}${level === 1 ? ' and is overdue' : ' and is still not met: escalated to the county'}.`,
      payload: { type: level === 1 ? 'deadline.overdue' : 'deadline.escalated', level, deadlineId: o.deadlineId, caseId: o.caseId, kind: o.kind, dueOn: o.dueOn, taskId: o.taskId ?? null },
    });
  }
  return recipients.map((r) => `${r.channel}:${r.address}`);
}

function escalationDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DEADLINE_ESCALATION_WORKING_DAYS ?? 2);
  if (!Number.isInteger(n) || n < 0 || n > 60) throw new Error(`DEADLINE_ESCALATION_WORKING_DAYS must be a whole number of working days (0–60), not ${env.DEADLINE_ESCALATION_WORKING_DAYS}`);
  return n;
}
