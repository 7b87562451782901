// Recipient records written by the recipient workflow: its case row, check history, amount history, termination and
// its notice. Every write is keyed by ids the workflow chose, so a retried activity adds nothing.
import type { ActivityDeps } from './deps';
import type { Actor } from './contracts';
import { audit, SYSTEM_ACTOR } from './audit';
import { renderTerminationNotice } from './notices/pdf';
import { AUTHORITIES } from './notices';
import type { IsoDate } from '../domain/calendar';
import type { AssistanceCategory, HouseholdType } from '../domain/glossary';
import { HouseholdSchema } from '../domain/household';
import { classifyHousehold, minorsTurning18, monthAfter, recipientWorkflowId, type CheckTrigger, type CheckType } from '../domain/recipient';

/** What the recipient workflow starts with: no names, no ID numbers. */
export interface RecipientStart {
  recipientId: string;
  /** The recipient's own case (process 'recipient'): its id is the recipient id. */
  caseId: string;
  regionCode: string;
  category: AssistanceCategory;
  monthlyAmount: number;
  determinedOn: IsoDate;
  householdType: HouseholdType;
  /** 18th birthdays of the household's minors still ahead (TEKUN minors: a check on each). */
  minorsTurning18: IsoDate[];
}

export interface CheckOpenedInput {
  checkId: string; recipientId: string; caseId: string; type: CheckType; trigger: CheckTrigger; taskId: string;
  openedOn: IsoDate; dueOn: IsoDate; report?: Record<string, unknown>; reportedBy?: Actor;
}

export interface CheckOutcomeInput {
  checkId: string; recipientId: string; caseId: string; seq: number;
  outcome: 'KEEP' | 'ADJUST' | 'CHANGE_CATEGORY' | 'TERMINATE' | 'CANCELLED';
  data: Record<string, unknown>; decidedOn: IsoDate; actor?: Actor;
  /** For ADJUST and CHANGE_CATEGORY: the amount and category from the month after the decision. */
  newAmount?: { category: AssistanceCategory; amount: number };
  householdType?: HouseholdType;
}

export interface TerminationInput { recipientId: string; caseId: string; checkId: string; terminatedOn: IsoDate; reasons: string[]; actor: Actor }
export interface TerminationNoticeDraftInput { noticeId: string; recipientId: string; caseId: string; terminatedOn: IsoDate; reasons: string[] }
export interface ScheduleInput { recipientId: string; next?: { type: CheckType; on: IsoDate } }

export function recipientActivities({ db }: ActivityDeps) {
  return {
    /**
     * The recipient's case row (its tasks and deadlines hang on it), the first amount history row and the household
     * type; returns the recipient workflow's input. Safe to repeat.
     */
    async openRecipientCase({ recipientId }: { recipientId: string }): Promise<RecipientStart> {
      return db.transaction(async (trx) => {
        const r = await trx('recipients').where({ id: recipientId }).forUpdate().first();
        if (!r) throw new Error(`no recipient ${recipientId}`);
        const h = r.household_id ? await trx('households').where({ id: r.household_id }).first('economy') : undefined;
        const household = HouseholdSchema.safeParse(h?.economy);
        const householdType: HouseholdType = r.household_type ?? (household.success ? classifyHousehold(household.data, r.determined_on) : 'STABLE');
        const minors = household.success ? minorsTurning18(household.data, r.determined_on) : [];
        await trx('cases').insert({
          id: recipientId, process: 'recipient', workflow_id: recipientWorkflowId(recipientId), household_id: r.household_id, region_code: r.region_code,
          status: 'ACTIVE', source: null, active_steps: JSON.stringify([]), received_on: r.determined_on, decided_on: r.determined_on, created_by: SYSTEM_ACTOR.actor,
        }).onConflict('id').ignore();
        await trx('recipient_amounts').insert({
          recipient_id: recipientId, from_month: r.start_month, category: r.category, amount: r.monthly_amount, source: `enrolment:${r.case_id}`,
        }).onConflict(['recipient_id', 'from_month']).ignore();
        if (!r.household_type) {
          await trx('recipients').where({ id: recipientId }).update({ household_type: householdType });
          await audit(trx, { ...SYSTEM_ACTOR, action: 'recipient.open', caseId: recipientId, entity: 'recipient', entityId: recipientId, after: { householdType, applicationCaseId: r.case_id } });
        }
        return {
          recipientId, caseId: recipientId, regionCode: r.region_code, category: r.category, monthlyAmount: Number(r.monthly_amount),
          determinedOn: r.determined_on, householdType, minorsTurning18: minors,
        };
      });
    },

    async recordRecipientCheck(c: CheckOpenedInput): Promise<void> {
      await db.transaction(async (trx) => {
        const inserted = await trx('recipient_checks').insert({
          id: c.checkId, recipient_id: c.recipientId, case_id: c.caseId, type: c.type, trigger: c.trigger, task_id: c.taskId, opened_on: c.openedOn,
          due_on: c.dueOn, report: c.report ? JSON.stringify(c.report) : null, reported_by: c.reportedBy?.sub ?? null,
        }).onConflict('id').ignore().returning('id');
        if (!inserted.length) return;
        await audit(trx, {
          actor: c.reportedBy?.sub ?? SYSTEM_ACTOR.actor, role: c.reportedBy?.role ?? SYSTEM_ACTOR.role, action: `check.open`, caseId: c.caseId,
          entity: 'check', entityId: c.checkId, after: { type: c.type, trigger: c.trigger, dueOn: c.dueOn, report: c.report },
        });
      });
    },

    /** The check's outcome; for ADJUST / CHANGE_CATEGORY the amount in force from the month after the decision. */
    async recordCheckOutcome(o: CheckOutcomeInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('recipient_checks').where({ id: o.checkId }).forUpdate().first('outcome');
        if (!before || before.outcome) return;
        await trx('recipient_checks').where({ id: o.checkId }).update({
          outcome: o.outcome, data: JSON.stringify(o.data), decided_on: o.decidedOn, decided_by: o.actor?.sub ?? SYSTEM_ACTOR.actor,
        });
        const patch: Record<string, unknown> = {};
        if (o.householdType) patch.household_type = o.householdType;
        if (o.newAmount) {
          const fromMonth = monthAfter(o.decidedOn);
          // Two checks decided in the same month: the later check (higher seq) sets that month's amount.
          await trx.raw(`insert into recipient_amounts (recipient_id, from_month, category, amount, source, source_seq) values (?, ?, ?, ?, ?, ?)
            on conflict (recipient_id, from_month) do update set category = excluded.category, amount = excluded.amount, source = excluded.source, source_seq = excluded.source_seq
            where recipient_amounts.source_seq <= excluded.source_seq`, [o.recipientId, fromMonth, o.newAmount.category, o.newAmount.amount, o.checkId, o.seq]);
          patch.category = o.newAmount.category;
          patch.monthly_amount = o.newAmount.amount;
        }
        if (Object.keys(patch).length) await trx('recipients').where({ id: o.recipientId }).update(patch);
        await audit(trx, {
          actor: o.actor?.sub ?? SYSTEM_ACTOR.actor, role: o.actor?.role ?? SYSTEM_ACTOR.role, action: `check.${o.outcome.toLowerCase()}`, caseId: o.caseId,
          entity: 'check', entityId: o.checkId, after: { outcome: o.outcome, ...o.data, fromMonth: o.newAmount ? monthAfter(o.decidedOn) : undefined },
          reason: (o.data.reason as string | undefined) ?? (o.data.reasons as string[] | undefined)?.join('；'),
        });
      });
    },

    /** Payments stop from the month after the termination; the row keeps its history. */
    async terminateRecipient(t: TerminationInput): Promise<{ stopMonth: string }> {
      return db.transaction(async (trx) => {
        const r = await trx('recipients').where({ id: t.recipientId }).forUpdate().first('status', 'stop_month');
        if (r.status === 'TERMINATED') return { stopMonth: r.stop_month as string };
        const stopMonth = monthAfter(t.terminatedOn);
        await trx('recipients').where({ id: t.recipientId }).update({ status: 'TERMINATED', stop_month: stopMonth, terminated_on: t.terminatedOn, next_check_type: null, next_check_on: null });
        await audit(trx, {
          actor: t.actor.sub, role: t.actor.role, action: 'recipient.terminate', caseId: t.caseId, entity: 'recipient', entityId: t.recipientId,
          before: { status: r.status }, after: { status: 'TERMINATED', stopMonth, checkId: t.checkId }, reason: t.reasons.join('；'),
        });
        return { stopMonth };
      });
    },

    async draftTerminationNotice(n: TerminationNoticeDraftInput): Promise<void> {
      if (await db('notices').where({ id: n.noticeId }).first('id')) return;
      const r = await db('recipients').where({ id: n.recipientId }).first('household_id', 'region_code');
      const head = await db('members').where({ household_id: r.household_id, relation: 'APPLICANT' }).first('name');
      const noticeNo = `新民终〔${n.terminatedOn.slice(0, 4)}〕${n.recipientId.slice(0, 8).toUpperCase()}号`;
      const content = {
        noticeNo, recipientName: head?.name ?? '救助对象', decisionDate: n.terminatedOn, reasons: n.reasons,
        lastPaymentMonth: n.terminatedOn.slice(0, 7), ...AUTHORITIES,
      };
      const pdf = await renderTerminationNotice(content);
      await db('notices').insert({
        id: n.noticeId, case_id: n.caseId, kind: 'TERMINATION', notice_no: noticeNo, region_code: r.region_code, status: 'DRAFT', content: JSON.stringify(content), pdf,
      }).onConflict('id').ignore();
    },

    /** The next scheduled check, so the recipient list can show it without asking the workflow. */
    async recordRecipientSchedule({ recipientId, next }: ScheduleInput): Promise<void> {
      await db('recipients').where({ id: recipientId }).update({ next_check_type: next?.type ?? null, next_check_on: next?.on ?? null });
    },
  };
}
