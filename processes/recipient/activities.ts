// Recipient records written by the recipient workflow: its case row, check history, amount history, termination and
// its notice. Every write is keyed by ids the workflow chose, so a retried activity adds nothing.
import { audit, SYSTEM_ACTOR } from '../../data/audit';
import { insertCase } from '../../data/cases';
import { insertNotice, noticeExists } from '../../data/notices';
import { enqueue } from '../../data/outbox';
import { applicantName } from '../../data/people';
import type { IsoDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { type AssistanceCategory, type HouseholdType } from '../../domain/glossary';
import { HouseholdSchema } from '../../domain/household';
import { classifyHousehold, minorsTurning18, type CheckTrigger, type CheckType } from '../../domain/recipient';
import type { ActivityDeps } from '../../engine/activities/deps';
import { MissingRecordError } from '../../engine/errors';
import type { Actor } from '../../engine/messages';
import { LEGAL_BASIS, terminationFigures } from '../../engine/notices/figures';
import { AUTHORITIES, renderTerminationNotice } from '../../engine/notices/pdf';
import { officeFor, takeNoticeNo } from '../../data/offices';
import { policyFor } from '../../data/policy';
import { confirmingLevelOf } from '../../domain/policy';
import { recipientProcess } from './definition';
import type { RecipientStart } from './messages';

export interface CheckOpenedInput {
  checkId: string;
  recipientId: string;
  caseId: string;
  type: CheckType;
  trigger: CheckTrigger;
  taskId: string;
  openedOn: IsoDate;
  dueOn: IsoDate;
  report?: Record<string, unknown>;
  reportedBy?: Actor;
}

export interface CheckOutcomeInput {
  checkId: string;
  recipientId: string;
  caseId: string;
  seq: number;
  outcome: 'KEEP' | 'ADJUST' | 'CHANGE_CATEGORY' | 'TERMINATE' | 'CANCELLED';
  data: Record<string, unknown>;
  decidedOn: IsoDate;
  actor?: Actor;
  /** For ADJUST and CHANGE_CATEGORY: the amount and category from the month after the decision. */
  newAmount?: { category: AssistanceCategory; amount: number };
  householdType?: HouseholdType;
}

export interface TerminationInput {
  recipientId: string;
  caseId: string;
  checkId: string;
  terminatedOn: IsoDate;
  reasons: string[];
  actor: Actor;
}
export interface TerminationNoticeDraftInput {
  noticeId: string;
  recipientId: string;
  caseId: string;
  terminatedOn: IsoDate;
  reasons: string[];
}
export interface ScheduleInput {
  recipientId: string;
  next?: { type: CheckType; on: IsoDate };
}

/** A conference (一事一议) raised a recipient's amount: paid from the month after the decision (docs/policy.md §6.4). */
export interface ConferenceAmountInput {
  recipientId: string;
  caseId: string;
  conferenceId: string;
  amount: number;
  decidedOn: IsoDate;
  /** The recipient's check counter when the decision arrived: a check decided later in the same month wins. */
  seq: number;
}

/** A time-limited recognition reaches its end: the household is told to re-apply (docs/policy.md §3.4). */
export interface RenewalDueInput {
  recipientId: string;
  caseId: string;
  regionCode: string;
  /** The day the recognition ends unless renewed. */
  endsOn: IsoDate;
  /** The last day the renewal check may be decided. */
  dueOn: IsoDate;
}

export function recipientActivities({ db }: ActivityDeps) {
  return {
    async noticeRenewalDue(r: RenewalDueInput): Promise<void> {
      await db.transaction(async (trx) => {
        const body =
          `刚性支出困难家庭认定有效期12个月，于${r.endsOn}届满。请于${r.dueOn}前重新申请认定，逾期未重新认定的，认定终止。` +
          ` The recognition ends ${r.endsOn}; re-apply by ${r.dueOn} or it ends.`;
        for (const [channel, recipient] of [
          ['LOG', `case:${r.caseId}`],
          ['IN_APP', `role:caseworker@${r.regionCode.slice(0, 9)}`],
        ] as const) {
          await enqueue(trx, {
            id: `${r.caseId}:renewal:${r.endsOn}:${channel}`,
            channel,
            recipient,
            caseId: r.caseId,
            regionCode: r.regionCode,
            subject: '刚性支出困难家庭认定到期，请重新申请 recognition ends: re-apply',
            body,
            payload: { type: 'recognition.renewalDue', recipientId: r.recipientId, endsOn: r.endsOn, dueOn: r.dueOn },
          });
        }
        const seen = await trx('audit_log')
          .where({ case_id: r.caseId, action: 'recipient.renewalDue', entity_id: r.recipientId })
          .whereRaw(`after->>'endsOn' = ?`, [r.endsOn])
          .first('id');
        if (!seen)
          await audit(trx, {
            ...SYSTEM_ACTOR,
            action: 'recipient.renewalDue',
            caseId: r.caseId,
            entity: 'recipient',
            entityId: r.recipientId,
            after: { endsOn: r.endsOn, dueOn: r.dueOn },
          });
      });
    },

    async applyConferenceAmount(c: ConferenceAmountInput): Promise<void> {
      await db.transaction(async (trx) => {
        const source = `conference:${c.conferenceId}`;
        if (await trx('recipient_amounts').where({ recipient_id: c.recipientId, source }).first('recipient_id')) return;
        const r = await trx('recipients').where({ id: c.recipientId }).forUpdate().first('category', 'monthly_amount');
        if (!r) throw new MissingRecordError(`applyConferenceAmount: no recipient ${c.recipientId}`);
        const fromMonth = monthAfter(c.decidedOn);
        await trx.raw(
          `insert into recipient_amounts (recipient_id, from_month, category, amount, source, source_seq)
           values (?, ?, ?, ?, ?, ?)
           on conflict (recipient_id, from_month) do update
             set category = excluded.category, amount = excluded.amount, source = excluded.source,
                 source_seq = excluded.source_seq
           where recipient_amounts.source_seq <= excluded.source_seq`,
          [c.recipientId, fromMonth, r.category, c.amount, source, c.seq],
        );
        await trx('recipients').where({ id: c.recipientId }).update({ monthly_amount: c.amount });
        await audit(trx, {
          ...SYSTEM_ACTOR,
          action: 'recipient.conferenceRaise',
          caseId: c.caseId,
          entity: 'recipient',
          entityId: c.recipientId,
          before: { monthlyAmount: Number(r.monthly_amount) },
          after: { monthlyAmount: c.amount, fromMonth, conferenceId: c.conferenceId },
        });
      });
    },

    /**
     * The recipient's case row (its tasks and deadlines hang on it), the first amount history row and the household
     * type; returns the recipient workflow's input. Safe to repeat.
     */
    async openRecipientCase({ recipientId }: { recipientId: string }): Promise<RecipientStart> {
      return db.transaction(async (trx) => {
        const r = await trx('recipients').where({ id: recipientId }).forUpdate().first();
        if (!r) throw new MissingRecordError(`openRecipientCase: no recipient ${recipientId}`);
        const h = r.household_id ? await trx('households').where({ id: r.household_id }).first('economy') : undefined;
        const household = HouseholdSchema.safeParse(h?.economy);
        const householdType: HouseholdType =
          r.household_type ?? (household.success ? classifyHousehold(household.data, r.determined_on) : 'STABLE');
        const minors = household.success ? minorsTurning18(household.data, r.determined_on) : [];
        await insertCase(trx, {
          id: recipientId,
          process: recipientProcess.name,
          workflowId: recipientProcess.workflowId(recipientId),
          householdId: r.household_id,
          regionCode: r.region_code,
          status: 'ACTIVE',
          activeSteps: [],
          receivedOn: r.determined_on,
          decidedOn: r.determined_on,
          createdBy: SYSTEM_ACTOR.actor,
        });
        await trx('recipient_amounts')
          .insert({
            recipient_id: recipientId,
            from_month: r.start_month,
            category: r.category,
            amount: r.monthly_amount,
            source: `enrolment:${r.case_id}`,
          })
          .onConflict(['recipient_id', 'from_month'])
          .ignore();
        if (!r.household_type) {
          await trx('recipients').where({ id: recipientId }).update({ household_type: householdType });
          await audit(trx, {
            ...SYSTEM_ACTOR,
            action: 'recipient.open',
            caseId: recipientId,
            entity: 'recipient',
            entityId: recipientId,
            after: { householdType, applicationCaseId: r.case_id },
          });
        }
        return {
          recipientId,
          caseId: recipientId,
          regionCode: r.region_code,
          category: r.category,
          monthlyAmount: Number(r.monthly_amount),
          determinedOn: r.determined_on,
          householdType,
          minorsTurning18: minors,
        };
      });
    },

    async recordRecipientCheck(c: CheckOpenedInput): Promise<void> {
      await db.transaction(async (trx) => {
        const inserted = await trx('recipient_checks')
          .insert({
            id: c.checkId,
            recipient_id: c.recipientId,
            case_id: c.caseId,
            type: c.type,
            trigger: c.trigger,
            task_id: c.taskId,
            opened_on: c.openedOn,
            due_on: c.dueOn,
            report: c.report ? JSON.stringify(c.report) : null,
            reported_by: c.reportedBy?.sub ?? null,
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (!inserted.length) return;
        await audit(trx, {
          actor: c.reportedBy?.sub ?? SYSTEM_ACTOR.actor,
          role: c.reportedBy?.role ?? SYSTEM_ACTOR.role,
          action: `check.open`,
          caseId: c.caseId,
          entity: 'check',
          entityId: c.checkId,
          after: { type: c.type, trigger: c.trigger, dueOn: c.dueOn, report: c.report },
        });
      });
    },

    /** The check's outcome; for ADJUST / CHANGE_CATEGORY the amount in force from the month after the decision. */
    async recordCheckOutcome(o: CheckOutcomeInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('recipient_checks').where({ id: o.checkId }).forUpdate().first('outcome');
        if (!before || before.outcome) return;
        await trx('recipient_checks')
          .where({ id: o.checkId })
          .update({
            outcome: o.outcome,
            data: JSON.stringify(o.data),
            decided_on: o.decidedOn,
            decided_by: o.actor?.sub ?? SYSTEM_ACTOR.actor,
          });
        const patch: Record<string, unknown> = {};
        if (o.householdType) patch.household_type = o.householdType;
        if (o.newAmount) {
          const fromMonth = monthAfter(o.decidedOn);
          // Two checks decided in the same month: the later check (higher seq) sets that month's amount.
          await trx.raw(
            `insert into recipient_amounts (recipient_id, from_month, category, amount, source, source_seq)
             values (?, ?, ?, ?, ?, ?)
             on conflict (recipient_id, from_month) do update
               set category = excluded.category, amount = excluded.amount, source = excluded.source,
                   source_seq = excluded.source_seq
             where recipient_amounts.source_seq <= excluded.source_seq`,
            [o.recipientId, fromMonth, o.newAmount.category, o.newAmount.amount, o.checkId, o.seq],
          );
          patch.category = o.newAmount.category;
          patch.monthly_amount = o.newAmount.amount;
        }
        if (Object.keys(patch).length) await trx('recipients').where({ id: o.recipientId }).update(patch);
        await audit(trx, {
          actor: o.actor?.sub ?? SYSTEM_ACTOR.actor,
          role: o.actor?.role ?? SYSTEM_ACTOR.role,
          action: `check.${o.outcome.toLowerCase()}`,
          caseId: o.caseId,
          entity: 'check',
          entityId: o.checkId,
          after: { outcome: o.outcome, ...o.data, fromMonth: o.newAmount ? monthAfter(o.decidedOn) : undefined },
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
        await trx('recipients').where({ id: t.recipientId }).update({
          status: 'TERMINATED',
          stop_month: stopMonth,
          terminated_on: t.terminatedOn,
          next_check_type: null,
          next_check_on: null,
        });
        await audit(trx, {
          actor: t.actor.sub,
          role: t.actor.role,
          action: 'recipient.terminate',
          caseId: t.caseId,
          entity: 'recipient',
          entityId: t.recipientId,
          before: { status: r.status },
          after: { status: 'TERMINATED', stopMonth, checkId: t.checkId },
          reason: t.reasons.join('；'),
        });
        return { stopMonth };
      });
    },

    async draftTerminationNotice(n: TerminationNoticeDraftInput): Promise<void> {
      if (await noticeExists(db, n.noticeId)) return;
      const r = await db('recipients')
        .where({ id: n.recipientId })
        .first('case_id', 'region_code', 'category', 'monthly_amount');
      if (!r) throw new MissingRecordError(`draftTerminationNotice: no recipient ${n.recipientId}`);
      const headName = await applicantName(db, r.case_id);
      // The office that confirms in the region terminates too (docs/policy.md §2.1, §2.6).
      const policy = await policyFor(db, r.region_code, n.terminatedOn);
      const office = await officeFor(db, r.region_code, policy ? confirmingLevelOf(policy.parameters) : 'TOWNSHIP');
      await db.transaction(async (trx) => {
        if (await noticeExists(trx, n.noticeId)) return;
        const noticeNo = await takeNoticeNo(trx, office, Number(n.terminatedOn.slice(0, 4)));
        const content = {
          noticeNo,
          recipientName: headName ?? '救助对象',
          decisionDate: n.terminatedOn,
          reasons: n.reasons,
          lastPaymentMonth: n.terminatedOn.slice(0, 7),
          ...AUTHORITIES,
          issuingAuthority: office.name,
          particulars: {
            legalBasis: LEGAL_BASIS.TERMINATION,
            figures: terminationFigures(r.category, Number(r.monthly_amount)),
            officeAddress: office.address,
            officeTelephone: office.telephone,
          },
        };
        const pdf = await renderTerminationNotice(content);
        await insertNotice(trx, {
          id: n.noticeId,
          caseId: n.caseId,
          kind: 'TERMINATION',
          noticeNo,
          regionCode: r.region_code,
          officeCode: office.code,
          content,
          pdf,
        });
      });
    },

    /** The next scheduled check, so the recipient list can show it without asking the workflow. */
    async recordRecipientSchedule({ recipientId, next }: ScheduleInput): Promise<void> {
      await db('recipients')
        .where({ id: recipientId })
        .update({ next_check_type: next?.type ?? null, next_check_on: next?.on ?? null });
    },
  };
}

export type RecipientActivities = ReturnType<typeof recipientActivities>;
