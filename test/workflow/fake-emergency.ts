// In-memory emergency activities for workflow tests, kept beside the FakeStore they belong to (same idempotency rules
// as activities/emergency.ts: a retried call adds no second payment, plan or case).
import { type Activities } from '../../processes';
import {
  type ConferenceActionInput,
  type ConferenceHandOffInput,
  type EmergencyPaymentInput,
  type JustificationInput,
  type RegularApplicationInput,
  type StagePlanChange,
  type StagePlanInput,
} from '../../processes/emergency/activities';
import { conferenceRaisePaymentId } from '../../domain/emergency';
import type { FakeStore } from './fake-activities';

export interface FakePlan {
  planId: string;
  caseId: string;
  status: 'ACTIVE' | 'STOPPED' | 'COMPLETED';
  stages: { stage: number; month: string; amount: number; status: string }[];
}

export class EmergencyFakeState {
  readonly payments = new Map<string, EmergencyPaymentInput>();
  readonly justifications = new Map<string, JustificationInput>();
  readonly plans = new Map<string, FakePlan>();
  /** Every applied plan change, in order: the audit trail of the plan. */
  readonly planChanges: StagePlanChange[] = [];
  readonly applications = new Map<string, RegularApplicationInput>();
  readonly handOffs = new Map<string, ConferenceHandOffInput>();
  readonly conferenceDecisions = new Map<string, ConferenceActionInput>();
  paymentsOf(caseId: string): EmergencyPaymentInput[] {
    return [...this.payments.values()].filter((p) => p.caseId === caseId);
  }
}

const states = new WeakMap<FakeStore, EmergencyFakeState>();
export function emergencyOf(store: FakeStore): EmergencyFakeState {
  let s = states.get(store);
  if (!s) states.set(store, (s = new EmergencyFakeState()));
  return s;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function fakeEmergencyActivities(store: FakeStore, record: (name: keyof Activities, input: unknown) => void) {
  const s = emergencyOf(store);
  return {
    async recordEmergencyPayment(p: EmergencyPaymentInput): Promise<void> {
      record('recordEmergencyPayment', p);
      if (!s.payments.has(p.paymentId)) s.payments.set(p.paymentId, clone(p));
    },
    async recordJustification(j: JustificationInput): Promise<void> {
      record('recordJustification', j);
      if (!s.justifications.has(j.caseId)) s.justifications.set(j.caseId, clone(j));
    },
    async recordStagePlan(p: StagePlanInput): Promise<void> {
      record('recordStagePlan', p);
      if (s.plans.has(p.planId)) return;
      s.plans.set(p.planId, {
        planId: p.planId,
        caseId: p.caseId,
        status: 'ACTIVE',
        stages: p.stages.map((x, i) => ({ stage: i + 1, ...x, status: 'PLANNED' })),
      });
    },
    async updateStagePlan(u: StagePlanChange): Promise<void> {
      record('updateStagePlan', u);
      const plan = s.plans.get(u.planId);
      if (!plan) throw new Error(`updateStagePlan: no plan ${u.planId}`);
      const st = plan.stages.find((x) => x.stage === u.stage);
      if (u.change === 'CHANGE_AMOUNT') {
        if (!st || st.amount === u.amount) return;
        st.amount = u.amount!;
      } else if (u.change === 'PAID') {
        if (!st || st.status === 'PAID') return;
        st.status = 'PAID';
      } else if (plan.status !== 'ACTIVE') return;
      else if (u.change === 'STOP') {
        plan.status = 'STOPPED';
        for (const x of plan.stages) if (x.status === 'PLANNED') x.status = 'CANCELLED';
      } else plan.status = 'COMPLETED';
      s.planChanges.push(clone(u));
    },
    async openRegularApplication(o: RegularApplicationInput): Promise<{ publicise: boolean; regionCode: string }> {
      record('openRegularApplication', o);
      if (!s.applications.has(o.caseId)) s.applications.set(o.caseId, clone(o));
      return { publicise: true, regionCode: '410721100' };
    },
    async recordConferenceHandOff(h: ConferenceHandOffInput): Promise<void> {
      record('recordConferenceHandOff', h);
      if (!s.handOffs.has(h.caseId)) s.handOffs.set(h.caseId, clone(h));
    },
    async payConferenceDifference(a: ConferenceActionInput): Promise<number> {
      record('payConferenceDifference', a);
      const d = a.decision;
      const paymentId = conferenceRaisePaymentId(a.caseId, d.conferenceId);
      const existing = s.payments.get(paymentId);
      if (existing) return existing.amount;
      const paidFen = s.paymentsOf(a.caseId).reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
      const differenceFen = Math.round((d.raisedAmount ?? 0) * 100) - paidFen;
      if (differenceFen <= 0) return 0;
      s.payments.set(paymentId, {
        paymentId,
        kind: 'CONFERENCE_RAISE',
        caseId: a.caseId,
        amount: differenceFen / 100,
        month: d.decidedOn.slice(0, 7),
        paidOn: d.decidedOn,
      });
      return differenceFen / 100;
    },
    async actOnConferenceDecision(a: ConferenceActionInput): Promise<void> {
      record('actOnConferenceDecision', a);
      if (s.conferenceDecisions.has(a.caseId)) return;
      s.conferenceDecisions.set(a.caseId, clone(a));
      const d = a.decision;
      if (d.outcome === 'RAISE_AMOUNT' && d.raisedAmount) {
        const paymentId = conferenceRaisePaymentId(a.caseId, d.conferenceId);
        s.payments.set(paymentId, {
          paymentId,
          kind: 'CONFERENCE_RAISE',
          caseId: a.caseId,
          amount: d.raisedAmount,
          month: d.decidedOn.slice(0, 7),
          paidOn: d.decidedOn,
        });
      }
    },
  };
}
