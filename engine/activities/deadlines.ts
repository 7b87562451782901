// The deadline activities: the row of every running policy timer, and the steps of the escalation ladder
// (docs/policy.md §8) with the messages each step sends. Names are Temporal-visible: never renamed.
import {
  raiseDeadline,
  settleDeadline,
  upsertDeadline,
  type DeadlineRow,
  type DeadlineSettlement,
} from '../../data/deadlines';
import type { Db } from '../../data/db';
import { loadCalendarYears } from '../../data/calendar';
import { calendarFingerprint } from '../../domain/calendar';
import { enqueue, type Channel } from '../../data/outbox';
import type { ActivityDeps } from './deps';

export interface DeadlineInput extends DeadlineRow {
  /** The calendar the workflow computed the due date with (domain/calendar.ts calendarFingerprint). */
  calendarFingerprint?: string;
}
/** `stale`: the stored calendar differs from the workflow's; nothing was written, reload and compute again. */
export interface UpsertDeadlineAnswer {
  stale: boolean;
}
export type SettleDeadlineInput = DeadlineSettlement;
export interface OverdueInput {
  deadlineId: string;
  caseId: string;
  kind: string;
  regionCode: string;
  dueOn: string;
  taskId?: string;
}
/** The ladder's configuration, answered by markDeadlineOverdue so the workflow times the next step. */
export interface OverdueAnswer {
  countyAfterWorkingDays: number;
}
export interface LadderStepInput extends OverdueInput {
  level: number;
}

export function deadlineActivities({ db, countyEscalationWorkingDays = escalationDaysFromEnv() }: ActivityDeps) {
  return {
    /** Creates the row, or moves a pending one when the calendar or an extension changed its due date. */
    async upsertDeadline({ calendarFingerprint: used, ...d }: DeadlineInput): Promise<UpsertDeadlineAnswer> {
      // A year loaded since the workflow last loaded its calendar: the due date it computed may be wrong.
      if (used !== undefined && used !== calendarFingerprint(await loadCalendarYears(db))) return { stale: true };
      await upsertDeadline(db, d);
      return { stale: false };
    },

    async settleDeadline(s: SettleDeadlineInput): Promise<void> {
      await settleDeadline(db, s);
    },

    /**
     * Ladder step 1 — the timer fired before the act: mark overdue, tell the assignee (in-app; the candidate role of
     * the township when nobody claimed the task) and the township's supervisors. Once, however often retried.
     */
    async markDeadlineOverdue(o: OverdueInput): Promise<OverdueAnswer> {
      await db.transaction(async (trx) => {
        const township = o.regionCode.slice(0, 9);
        await raiseDeadline(
          trx,
          { deadlineId: o.deadlineId, caseId: o.caseId, level: 1, region: township },
          async () => {
            const task = o.taskId
              ? await trx('tasks')
                  .where({ id: o.taskId })
                  .first('assignee', 'candidate_role', 'region_code', 'department')
              : undefined;
            const assignee = !task
              ? undefined
              : task.assignee
                ? `user:${task.assignee}`
                : task.department
                  ? `department:${task.department}`
                  : `role:${task.candidate_role}@${task.region_code}`;
            return notifyLadderStep(trx, o, 1, township, assignee);
          },
        );
      });
      return { countyAfterWorkingDays: countyEscalationWorkingDays };
    },

    /** Ladder step 2 — still not done N working days after the due date: the county's supervisors. */
    async escalateDeadline(e: LadderStepInput): Promise<void> {
      await db.transaction(async (trx) => {
        const county = e.regionCode.slice(0, 6);
        await raiseDeadline(
          trx,
          {
            deadlineId: e.deadlineId,
            caseId: e.caseId,
            level: e.level,
            region: county,
            reason: `still overdue ${countyEscalationWorkingDays} working days after ${e.dueOn}`,
          },
          () => notifyLadderStep(trx, e, e.level, county),
        );
      });
    },
  };
}

/**
 * The supervisors of `region` (their contact addresses and, in-app, everyone with that role and region), plus `extra`.
 */
async function notifyLadderStep(
  trx: Db,
  o: OverdueInput,
  level: number,
  region: string,
  extra?: string,
): Promise<string[]> {
  const contacts = await trx('region_contacts').where({ region_code: region, role: 'supervisor' });
  const recipients: { channel: Channel; address: string }[] = [
    ...contacts.map((c) => ({ channel: c.channel as Channel, address: c.address as string })),
    { channel: 'IN_APP', address: `role:supervisor@${region}` },
    ...(extra ? [{ channel: 'IN_APP' as const, address: extra }] : []),
  ];
  const what = level === 1 ? `已于 ${o.dueOn} 到期而未完成` : '逾期未办，已提级至县级督办';
  const english = level === 1 ? ' and is overdue' : ' and is still not met: escalated to the county';
  for (const r of recipients) {
    // Level 1 keeps the id it always had, so a case that went overdue before the ladder existed is not told twice.
    const id =
      level === 1
        ? `${o.deadlineId}:overdue:${r.channel}:${r.address}`
        : `${o.deadlineId}:escalation${level}:${r.channel}:${r.address}`;
    await enqueue(trx, {
      id,
      channel: r.channel,
      recipient: r.address,
      caseId: o.caseId,
      regionCode: region,
      subject: level === 1 ? `时限逾期 overdue: ${o.kind}` : `逾期督办 escalated to the county: ${o.kind}`,
      body: `案件 ${o.caseId} 的时限 ${o.kind} ${what}。Deadline ${o.kind} of case ${o.caseId} was due ${o.dueOn}${english}.`,
      payload: {
        type: level === 1 ? 'deadline.overdue' : 'deadline.escalated',
        level,
        deadlineId: o.deadlineId,
        caseId: o.caseId,
        kind: o.kind,
        dueOn: o.dueOn,
        taskId: o.taskId ?? null,
      },
    });
  }
  return recipients.map((r) => `${r.channel}:${r.address}`);
}

function escalationDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DEADLINE_ESCALATION_WORKING_DAYS ?? 2);
  if (!Number.isInteger(n) || n < 0 || n > 60) {
    throw new Error(
      `DEADLINE_ESCALATION_WORKING_DAYS must be a whole number of working days (0–60), not ` +
        `${env.DEADLINE_ESCALATION_WORKING_DAYS}`,
    );
  }
  return n;
}
