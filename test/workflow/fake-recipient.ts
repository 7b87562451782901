// In-memory recipient and roster activities for workflow tests, beside the FakeStore they belong to (same idempotency
// rules as activities/recipients.ts: a retried call adds no second check, amount or termination).
import { type Activities } from '../../processes';
import {
  type CheckOpenedInput,
  type CheckOutcomeInput,
  type ConferenceAmountInput,
  type RenewalDueInput,
  type ScheduleInput,
  type TerminationInput,
  type TerminationNoticeDraftInput,
} from '../../processes/recipient/activities';
import { type RecipientStart } from '../../processes/recipient/messages';
import { type RosterRunInput, type RosterRunResult } from '../../processes/roster/activities';
import { monthAfter } from '../../domain/dates';
import type { FakeStore } from './fake-activities';

export interface FakeCheck extends CheckOpenedInput {
  outcome?: CheckOutcomeInput['outcome'];
  data?: Record<string, unknown>;
  decidedOn?: string;
}
export interface FakeAmount {
  fromMonth: string;
  category: string;
  amount: number;
  source: string;
}

export class RecipientFakeState {
  /** What openRecipientCase answers per recipient id (tests set it; a default is derived otherwise). */
  readonly starts = new Map<string, RecipientStart>();
  readonly checks = new Map<string, FakeCheck>();
  readonly amounts = new Map<string, FakeAmount[]>();
  readonly terminations = new Map<string, TerminationInput & { stopMonth: string }>();
  readonly notices = new Map<string, TerminationNoticeDraftInput>();
  readonly schedule = new Map<string, ScheduleInput['next']>();
  readonly rosterRuns: RosterRunInput[] = [];
  readonly renewalNotices: RenewalDueInput[] = [];
  checksOf(caseId: string): FakeCheck[] {
    return [...this.checks.values()].filter((c) => c.caseId === caseId);
  }
}

const states = new WeakMap<FakeStore, RecipientFakeState>();
export function recipientsOf(store: FakeStore): RecipientFakeState {
  let s = states.get(store);
  if (!s) states.set(store, (s = new RecipientFakeState()));
  return s;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function fakeRecipientActivities(store: FakeStore, record: (name: keyof Activities, input: unknown) => void) {
  const st = recipientsOf(store);
  return {
    async noticeRenewalDue(r: RenewalDueInput): Promise<void> {
      record('noticeRenewalDue', r);
      if (!st.renewalNotices.some((x) => x.caseId === r.caseId && x.endsOn === r.endsOn))
        st.renewalNotices.push(clone(r));
    },
    async applyConferenceAmount(c: ConferenceAmountInput): Promise<void> {
      record('applyConferenceAmount', c);
      const list = st.amounts.get(c.recipientId) ?? [];
      const source = `conference:${c.conferenceId}`;
      if (list.some((a) => a.source === source)) return;
      const fromMonth = monthAfter(c.decidedOn);
      const kept = list.filter((a) => a.fromMonth !== fromMonth);
      const category = list.at(-1)?.category ?? 'DIBAO';
      st.amounts.set(c.recipientId, [...kept, { fromMonth, category, amount: c.amount, source }]);
    },
    async openRecipientCase({ recipientId }: { recipientId: string }): Promise<RecipientStart> {
      record('openRecipientCase', { recipientId });
      const given = st.starts.get(recipientId);
      if (given) return clone(given);
      const r = [...store.recipients.values()].find((x) => x.recipientId === recipientId);
      const d = r && store.decisions.get(r.decisionId);
      const start: RecipientStart = {
        recipientId,
        caseId: recipientId,
        regionCode: '410721100',
        category: (r?.category ?? 'DIBAO') as RecipientStart['category'],
        monthlyAmount: r?.monthlyAmount ?? 0,
        determinedOn: d?.decidedOn ?? '2026-01-01',
        householdType: 'STABLE',
        minorsTurning18: [],
      };
      st.starts.set(recipientId, start);
      return clone(start);
    },

    async recordRecipientCheck(c: CheckOpenedInput): Promise<void> {
      record('recordRecipientCheck', c);
      if (!st.checks.has(c.checkId)) st.checks.set(c.checkId, clone(c));
    },

    async recordCheckOutcome(o: CheckOutcomeInput): Promise<void> {
      record('recordCheckOutcome', o);
      const c = st.checks.get(o.checkId);
      if (!c || c.outcome) return;
      Object.assign(c, { outcome: o.outcome, data: clone(o.data), decidedOn: o.decidedOn });
      if (o.newAmount) {
        const list = st.amounts.get(o.recipientId) ?? [];
        const fromMonth = monthAfter(o.decidedOn);
        const kept = list.filter((a) => a.fromMonth !== fromMonth);
        st.amounts.set(o.recipientId, [
          ...kept,
          { fromMonth, category: o.newAmount.category, amount: o.newAmount.amount, source: o.checkId },
        ]);
      }
    },

    async terminateRecipient(t: TerminationInput): Promise<{ stopMonth: string }> {
      record('terminateRecipient', t);
      const before = st.terminations.get(t.recipientId);
      if (before) return { stopMonth: before.stopMonth };
      const stopMonth = monthAfter(t.terminatedOn);
      st.terminations.set(t.recipientId, { ...clone(t), stopMonth });
      return { stopMonth };
    },

    async draftTerminationNotice(n: TerminationNoticeDraftInput): Promise<void> {
      record('draftTerminationNotice', n);
      if (st.notices.has(n.noticeId)) return;
      st.notices.set(n.noticeId, clone(n));
      store.notices.set(n.noticeId, {
        noticeId: n.noticeId,
        caseId: n.caseId,
        decisionId: n.noticeId,
        status: 'DRAFT',
      });
    },

    async recordRecipientSchedule(s: ScheduleInput): Promise<void> {
      record('recordRecipientSchedule', s);
      st.schedule.set(s.recipientId, s.next ? clone(s.next) : undefined);
    },

    async generateMonthlyRoster(r: RosterRunInput): Promise<RosterRunResult> {
      record('generateMonthlyRoster', r);
      st.rosterRuns.push(clone(r));
      return { month: r.month, inserted: 0, lines: 0, totalAmount: 0 };
    },
  };
}
