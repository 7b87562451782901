// Emergency assistance side effects: payments of every emergency path, the justification, staged plans, the hand-off
// to a regular application and to a case conference. Every write is keyed by an id the workflow chose, so a retried
// activity adds no second payment, plan or case.
import { audit, SYSTEM_ACTOR } from '../../data/audit';
import { getCase, insertCase } from '../../data/cases';
import type { Db } from '../../data/db';
import { insertPayment } from '../../data/payments';
import { setEconomy } from '../../data/people';
import type { IsoDate } from '../../domain/calendar';
import { ageOn, monthOf } from '../../domain/dates';
import { conferenceRaisePaymentId } from '../../domain/emergency';
import { toFen } from '../../domain/money';
import { type Household } from '../../domain/household';
import type { ActivityDeps } from '../../engine/activities/deps';
import { MissingRecordError } from '../../engine/errors';
import type { Actor } from '../../engine/messages';
import { applicationProcess } from '../application/definition';
import type { ConferenceDecision } from '../caseConference/messages';

export type EmergencyPaymentKind = 'EMERGENCY_ADVANCE' | 'STAGE' | 'CONFERENCE_RAISE';
export interface EmergencyPaymentInput {
  paymentId: string;
  kind: EmergencyPaymentKind;
  caseId: string;
  amount: number;
  month: string;
  paidOn: IsoDate;
  details?: Record<string, unknown>;
  actor?: Actor;
}
export interface EvidenceRef {
  attachmentId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}
export interface JustificationInput {
  caseId: string;
  taskId: string;
  outcome: string;
  facts: string;
  amountPaid: number;
  evidence: EvidenceRef[];
  justifiedOn: IsoDate;
  actor: Actor;
}
export interface StagePlanInput {
  planId: string;
  caseId: string;
  stages: { month: string; amount: number }[];
  approvedOn: IsoDate;
  actor: Actor;
}
export interface StagePlanChange {
  planId: string;
  caseId: string;
  change: 'CHANGE_AMOUNT' | 'STOP' | 'PAID' | 'COMPLETE';
  stage?: number;
  amount?: number;
  actor?: Actor;
  reason?: string;
}
export interface RegularApplicationInput {
  emergencyCaseId: string;
  caseId: string;
  household?: Household;
  receivedOn: IsoDate;
  actor: Actor;
}
export interface ConferenceHandOffInput {
  caseId: string;
  conferenceId: string;
  actor: Actor;
  reason: string;
}
export interface ConferenceActionInput {
  caseId: string;
  decision: ConferenceDecision;
}

export function emergencyActivities({ db }: ActivityDeps) {
  return {
    /**
     * A conference requested through the API raised the amount of a running emergency case: the difference between
     * the raised amount and what the case has paid so far is paid once (docs/policy.md §6.4).
     */
    async payConferenceDifference({ caseId, decision }: ConferenceActionInput): Promise<number> {
      return db.transaction(async (trx) => {
        const id = conferenceRaisePaymentId(caseId, decision.conferenceId);
        const existing = await trx('payments').where({ id }).first('amount');
        if (existing) return Number(existing.amount);
        const c = await getCase(trx, caseId);
        if (!c) throw new MissingRecordError(`payConferenceDifference: no case ${caseId}`);
        const paid = await trx('payments').where({ case_id: caseId }).sum({ total: 'amount' }).first();
        const differenceFen = toFen(decision.raisedAmount ?? 0) - toFen(Number(paid?.total ?? 0));
        await audit(trx, {
          ...SYSTEM_ACTOR,
          action: 'conference.raise_amount',
          caseId,
          entity: 'case_conference',
          entityId: decision.conferenceId,
          after: { ...decision, paidBefore: Number(paid?.total ?? 0), difference: Math.max(0, differenceFen) / 100 },
        });
        if (differenceFen <= 0) return 0;
        await insertPayment(trx, {
          id,
          kind: 'CONFERENCE_RAISE',
          caseId,
          householdId: c.household_id,
          regionCode: c.region_code,
          month: monthOf(decision.decidedOn),
          amount: differenceFen / 100,
          details: {
            conferenceId: decision.conferenceId,
            paidOn: decision.decidedOn,
            raisedAmount: decision.raisedAmount,
          },
        });
        return differenceFen / 100;
      });
    },

    /** One payment row in the shared payments table, once per id; the advance also marks the emergency paid. */
    async recordEmergencyPayment(p: EmergencyPaymentInput): Promise<void> {
      await db.transaction(async (trx) => {
        const c = await getCase(trx, p.caseId);
        if (!c) throw new MissingRecordError(`recordEmergencyPayment: no case ${p.caseId}`);
        const paid = await insertPayment(trx, {
          id: p.paymentId,
          kind: p.kind,
          caseId: p.caseId,
          householdId: c.household_id,
          regionCode: c.region_code,
          month: p.month,
          amount: p.amount,
          details: { ...p.details, paidOn: p.paidOn },
          actor: p.actor,
        });
        if (paid && p.kind === 'EMERGENCY_ADVANCE') {
          await trx('emergencies')
            .where({ case_id: p.caseId })
            .update({ advance_payment_id: p.paymentId, paid_on: p.paidOn });
        }
      });
    },

    async recordJustification(j: JustificationInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('emergencies').where({ case_id: j.caseId }).forUpdate().first('justification_outcome');
        if (!before || before.justification_outcome) return;
        await trx('emergencies').where({ case_id: j.caseId }).update({
          justification_outcome: j.outcome,
          justification_facts: j.facts,
          justified_on: j.justifiedOn,
          justified_by: j.actor.sub,
        });
        const ids = j.evidence.map((e) => e.attachmentId);
        if (ids.length)
          await trx('emergency_attachments')
            .where({ case_id: j.caseId })
            .whereIn('id', ids)
            .update({ task_id: j.taskId });
        await audit(trx, {
          actor: j.actor.sub,
          role: j.actor.role,
          action: 'emergency.justify',
          caseId: j.caseId,
          entity: 'emergency',
          entityId: j.caseId,
          after: { outcome: j.outcome, amountPaid: j.amountPaid, justifiedOn: j.justifiedOn, evidence: ids },
        });
      });
    },

    async recordStagePlan(p: StagePlanInput): Promise<void> {
      await db.transaction(async (trx) => {
        const c = await getCase(trx, p.caseId);
        if (!c) throw new MissingRecordError(`recordStagePlan: no case ${p.caseId}`);
        const stages = p.stages.map((s, i) => ({ stage: i + 1, month: s.month, amount: s.amount, status: 'PLANNED' }));
        const inserted = await trx('assistance_plans')
          .insert({
            id: p.planId,
            case_id: p.caseId,
            household_id: c.household_id,
            region_code: c.region_code,
            stages: JSON.stringify(stages),
            status: 'ACTIVE',
            approved_on: p.approvedOn,
            approved_by: p.actor.sub,
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (!inserted.length) return;
        await audit(trx, {
          actor: p.actor.sub,
          role: p.actor.role,
          action: 'plan.approve',
          caseId: p.caseId,
          entity: 'assistance_plan',
          entityId: p.planId,
          after: { stages, total: stages.reduce((t, s) => t + s.amount, 0) },
        });
      });
    },

    /** Every change of a plan, audited with who and why; replays of a change already applied do nothing. */
    async updateStagePlan(u: StagePlanChange): Promise<void> {
      await db.transaction(async (trx) => {
        const plan = await trx('assistance_plans').where({ id: u.planId }).forUpdate().first();
        if (!plan) throw new Error(`updateStagePlan: no plan ${u.planId}`);
        const stages = plan.stages as { stage: number; month: string; amount: number; status: string }[];
        const before = { status: plan.status, stages: stages.map((s) => ({ ...s })) };
        let status = plan.status as string;
        const s = u.stage === undefined ? undefined : stages.find((x) => x.stage === u.stage);
        if (u.change === 'CHANGE_AMOUNT') {
          if (!s || s.amount === u.amount) return;
          s.amount = u.amount!;
        } else if (u.change === 'PAID') {
          if (!s || s.status === 'PAID') return;
          s.status = 'PAID';
        } else if (u.change === 'STOP') {
          if (status !== 'ACTIVE') return;
          for (const x of stages) if (x.status === 'PLANNED') x.status = 'CANCELLED';
          status = 'STOPPED';
        } else {
          if (status !== 'ACTIVE') return;
          status = 'COMPLETED';
        }
        await trx('assistance_plans')
          .where({ id: u.planId })
          .update({ stages: JSON.stringify(stages), status, updated_at: trx.fn.now() });
        await audit(trx, {
          actor: u.actor?.sub ?? SYSTEM_ACTOR.actor,
          role: u.actor?.role ?? SYSTEM_ACTOR.role,
          action: `plan.${u.change.toLowerCase()}`,
          caseId: u.caseId,
          entity: 'assistance_plan',
          entityId: u.planId,
          before,
          after: { status, stages },
          reason: u.reason,
        });
      });
    },

    /**
     * "Continues as a normal review": a new application case of the same household, reviewed by the application
     * workflow. The household's economic model comes with the justification when known; otherwise the case starts
     * without one and the assessment says so, rather than inventing figures that would read as eligibility.
     */
    async openRegularApplication(o: RegularApplicationInput): Promise<{ publicise: boolean; regionCode: string }> {
      return db.transaction(async (trx) => {
        const e = await trx('emergencies').where({ case_id: o.emergencyCaseId }).first('household_id', 'region_code');
        if (!e) throw new MissingRecordError(`openRegularApplication: no emergency ${o.emergencyCaseId}`);
        const members = await trx('members').where({ household_id: e.household_id }).select('birth_date');
        const adult = (birth: string) => birth <= o.receivedOn && ageOn(birth, o.receivedOn) >= 18;
        const publicise = o.household
          ? o.household.members.some((m) => adult(m.birthDate))
          : members.some((m) => adult(m.birth_date));
        if (await getCase(trx, o.caseId)) return { publicise, regionCode: e.region_code };
        if (o.household) await setEconomy(trx, e.household_id, o.household);
        await insertCase(trx, {
          id: o.caseId,
          process: applicationProcess.name,
          workflowId: applicationProcess.workflowId(o.caseId),
          householdId: e.household_id,
          regionCode: e.region_code,
          status: 'SUBMITTED',
          source: 'VISIT',
          activeSteps: ['submit'],
          receivedOn: o.receivedOn,
          createdBy: o.actor.sub,
        });
        // The new application is about the emergency's person (its economic model's applicant when one is given).
        const applicantKey = o.household?.members.find((m) => m.relation === 'APPLICANT')?.memberId ?? 'm1';
        await trx.raw(
          `insert into case_people (case_id, person_id, member_key, relation)
             select ?, person_id, ?, 'APPLICANT' from emergencies where case_id = ? on conflict do nothing`,
          [o.caseId, applicantKey, o.emergencyCaseId],
        );
        if (o.household) await setEconomy(trx, e.household_id, o.household, o.caseId);
        await trx('emergencies').where({ case_id: o.emergencyCaseId }).update({ follow_up_case_id: o.caseId });
        await audit(trx, {
          actor: o.actor.sub,
          role: o.actor.role,
          action: 'case.submit',
          caseId: o.caseId,
          entity: 'case',
          entityId: o.caseId,
          after: {
            from: 'emergency',
            emergencyCaseId: o.emergencyCaseId,
            regionCode: e.region_code,
            receivedOn: o.receivedOn,
            household: o.household ? 'given' : 'none',
          },
        });
        return { publicise, regionCode: e.region_code };
      });
    },

    async recordConferenceHandOff(h: ConferenceHandOffInput): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('emergencies')
          .where({ case_id: h.caseId })
          .whereNull('conference_id')
          .update({ conference_id: h.conferenceId });
        if (!updated) return;
        await audit(trx, {
          actor: h.actor.sub,
          role: h.actor.role,
          action: 'emergency.conference',
          caseId: h.caseId,
          entity: 'case_conference',
          entityId: h.conferenceId,
          reason: h.reason,
        });
      });
    },

    /**
     * The conference decision goes back into the emergency case (docs/policy.md §6); a raised amount is paid at once.
     */
    async actOnConferenceDecision({ caseId, decision }: ConferenceActionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('emergencies')
          .where({ case_id: caseId })
          .whereNull('conference_decision')
          .update({ conference_decision: JSON.stringify(decision) });
        if (!updated) return;
        await audit(trx, {
          ...SYSTEM_ACTOR,
          action: `conference.${decision.outcome.toLowerCase()}`,
          caseId,
          entity: 'case_conference',
          entityId: decision.conferenceId,
          after: decision,
        });
        if (decision.outcome === 'RAISE_AMOUNT' && decision.raisedAmount) await insertRaise(trx, caseId, decision);
      });
    },
  };
}

async function insertRaise(trx: Db, caseId: string, d: ConferenceDecision): Promise<void> {
  const c = await getCase(trx, caseId);
  if (!c) throw new MissingRecordError(`actOnConferenceDecision: no case ${caseId}`);
  await insertPayment(trx, {
    id: conferenceRaisePaymentId(caseId, d.conferenceId),
    kind: 'CONFERENCE_RAISE',
    caseId,
    householdId: c.household_id,
    regionCode: c.region_code,
    month: monthOf(d.decidedOn),
    amount: d.raisedAmount!,
    details: { conferenceId: d.conferenceId, paidOn: d.decidedOn },
  });
}

export type EmergencyActivities = ReturnType<typeof emergencyActivities>;
