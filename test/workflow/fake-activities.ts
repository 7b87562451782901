// In-memory activities for workflow tests: the same names and signatures as createActivities(), writing to a
// FakeStore the tests inspect. Writes follow the real activities' idempotency rules (keyed by the workflow's ids),
// so an activity retry behaves as it would against the database.
import { type Activities } from '../../processes';
import {
  type AssessmentSummary,
  type DecisionInput,
  type EnrolInput,
  type RefusalNoticeDraftInput,
} from '../../processes/application/activities';
import {
  type CaseProgressInput,
  type CloseTaskInput,
  type IssueNoticeInput,
  type OpenTaskInput,
} from '../../engine/activities/cases';
import {
  type DeadlineInput,
  type OverdueAnswer,
  type OverdueInput,
  type SettleDeadlineInput,
  type UpsertDeadlineAnswer,
} from '../../engine/activities/deadlines';
import { calendarFingerprint, SEED_CALENDAR_YEARS, type CalendarYear, type IsoDate } from '../../domain/calendar';
import { type TransitionAnswer, type TransitionInput } from '../../engine/activities/transition';
import { type DeadlineStatus } from '../../data/deadlines';
import { type TaskStatus } from '../../data/tasks';
import { fakeSupervisionActivities, supervisionOf } from './fake-supervision';
import { fakeEmergencyActivities } from './fake-emergency';
import { fakeWarningActivities } from './fake-warning';
import { fakeRecipientActivities } from './fake-recipient';
import { monthAfter } from '../../domain/dates';

export interface FakeTask extends OpenTaskInput {
  status: TaskStatus;
  outcome?: string;
  data?: Record<string, unknown>;
  comment?: string;
  closedAt?: string;
  closedBy?: string;
}

export interface FakeDeadline extends DeadlineInput {
  status: DeadlineStatus;
  /** Every status the row went through, in order, starting with 'pending'. */
  statusHistory: DeadlineStatus[];
  /** Every due date the row had, in order (recomputations and extensions append). */
  dueHistory: IsoDate[];
  metAt?: string;
  metOn?: IsoDate;
  metLate?: boolean;
  overdueAt?: string;
  escalationLevel: number;
}

export interface FakeCase {
  caseId: string;
  status?: string;
  activeSteps: string[];
  acceptedOn?: IsoDate;
  decidedOn?: IsoDate;
  returnedMissing?: string[];
  /** The assessment the workflow last obtained for this case. */
  assessment?: AssessmentSummary;
  /** Every recordCaseProgress call, in order. */
  progress: CaseProgressInput[];
}

export interface FakeNotice {
  noticeId: string;
  caseId: string;
  decisionId: string;
  status: 'DRAFT' | 'ISSUED';
  issuedOn?: IsoDate;
  issuedBy?: string;
}

/** What markDeadlineOverdue would enqueue for the township's supervisors. */
export interface FakeNotification {
  deadlineId: string;
  caseId: string;
  kind: string;
  regionCode: string;
  dueOn: IsoDate;
  taskId?: string;
  to: 'supervisor';
}

export interface FakeRecipient {
  recipientId: string;
  caseId: string;
  decisionId: string;
  category?: string;
  monthlyAmount?: number;
  startMonth: string;
}

export const DEFAULT_ASSESSMENT: AssessmentSummary = {
  category: 'DIBAO',
  coverage: 'HOUSEHOLD',
  monthlyAmount: 420,
  policyVersionId: 'policy-sample-1',
};

export class FakeStore {
  /** Years loadCalendar returns; a test may push or replace (the seed arrays themselves are frozen). */
  calendarYears: CalendarYear[] = [...SEED_CALENDAR_YEARS];
  /** assessCase answer for cases without their own entry in `assessments`. */
  defaultAssessment: AssessmentSummary = { ...DEFAULT_ASSESSMENT };
  readonly assessments = new Map<string, AssessmentSummary>();

  readonly cases = new Map<string, FakeCase>();
  readonly tasks = new Map<string, FakeTask>();
  readonly deadlines = new Map<string, FakeDeadline>();
  readonly decisions = new Map<string, DecisionInput>();
  readonly notices = new Map<string, FakeNotice>();
  readonly recipients = new Map<string, FakeRecipient>();
  readonly notifications: FakeNotification[] = [];
  /** Every activity call in order, arguments as received. */
  readonly calls: { name: keyof Activities; input: unknown }[] = [];
  /** Audit rows the workflow queued with its writes (CaseContext.auditWithTransition). */
  readonly audits: unknown[] = [];

  case(caseId: string): FakeCase {
    let c = this.cases.get(caseId);
    if (!c) {
      c = { caseId, activeSteps: [], progress: [] };
      this.cases.set(caseId, c);
    }
    return c;
  }

  tasksOf(caseId: string): FakeTask[] {
    return [...this.tasks.values()].filter((t) => t.caseId === caseId);
  }
  openTasksOf(caseId: string): FakeTask[] {
    return this.tasksOf(caseId).filter((t) => t.status === 'OPEN');
  }
  deadlinesOf(caseId: string): FakeDeadline[] {
    return [...this.deadlines.values()].filter((d) => d.caseId === caseId);
  }
  deadline(caseId: string, kind: FakeDeadline['kind'], n = 1): FakeDeadline | undefined {
    return this.deadlines.get(`${caseId}:${kind}:${n}`);
  }
  decisionsOf(caseId: string): DecisionInput[] {
    return [...this.decisions.values()].filter((d) => d.caseId === caseId);
  }
  noticesOf(caseId: string): FakeNotice[] {
    return [...this.notices.values()].filter((n) => n.caseId === caseId);
  }
  notificationsOf(caseId: string): FakeNotification[] {
    return this.notifications.filter((n) => n.caseId === caseId);
  }
  callsOf(name: keyof Activities, caseId?: string): unknown[] {
    return this.calls
      .filter((c) => c.name === name && (caseId === undefined || belongsTo(c.input, caseId, this)))
      .map((c) => c.input);
  }
}

function belongsTo(input: unknown, caseId: string, store: FakeStore): boolean {
  const i = input as { caseId?: string; taskId?: string; deadlineId?: string; noticeId?: string };
  if (i.caseId !== undefined) return i.caseId === caseId;
  if (i.taskId !== undefined) return store.tasks.get(i.taskId)?.caseId === caseId;
  if (i.deadlineId !== undefined) return store.deadlines.get(i.deadlineId)?.caseId === caseId;
  if (i.noticeId !== undefined) return store.notices.get(i.noticeId)?.caseId === caseId;
  return false;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function createFakeActivities(store: FakeStore): Activities {
  const acts = fakeActivitiesOneByOne(store);
  return {
    ...acts,
    // As engine/activities/transition.ts: each queued write as its own activity would make it, in order (recorded
    // under those names, so tests read the writes whichever way the workflow made them).
    async recordTransition({ writes }: TransitionInput): Promise<TransitionAnswer> {
      const stale: string[] = [];
      for (const w of writes) {
        if ('openTask' in w) await acts.openTask(w.openTask);
        else if ('closeTask' in w) await acts.closeTask(w.closeTask);
        else if ('recordCaseProgress' in w) await acts.recordCaseProgress(w.recordCaseProgress);
        else if ('settleDeadline' in w) await acts.settleDeadline(w.settleDeadline);
        else if ('audit' in w) store.audits.push(clone(w.audit));
        else if ((await acts.upsertDeadline(w.upsertDeadline)).stale) stale.push(w.upsertDeadline.deadlineId);
      }
      return { stale };
    },
  };
}

function fakeActivitiesOneByOne(store: FakeStore): Omit<Activities, 'recordTransition'> {
  const record = (name: keyof Activities, input: unknown) => store.calls.push({ name, input: clone(input) });
  // As data/deadlines.ts: the open tasks a deadline times follow its due time.
  const moveTasks = (deadlineId: string, dueAt: string) => {
    for (const t of store.tasks.values()) if (t.deadlineId === deadlineId && t.status === 'OPEN') t.dueAt = dueAt;
  };
  return {
    async loadCalendar(): Promise<CalendarYear[]> {
      record('loadCalendar', undefined);
      return clone(store.calendarYears);
    },

    async recordCaseProgress(input: CaseProgressInput): Promise<void> {
      record('recordCaseProgress', input);
      const c = store.case(input.caseId);
      c.progress.push(clone(input));
      c.activeSteps = [...input.activeSteps];
      if (input.status) c.status = input.status;
      if (input.acceptedOn) c.acceptedOn = input.acceptedOn;
      if (input.decidedOn) c.decidedOn = input.decidedOn;
      if (input.returnedMissing) c.returnedMissing = [...input.returnedMissing];
    },

    async openTask(input: OpenTaskInput): Promise<void> {
      record('openTask', input);
      if (store.tasks.has(input.taskId)) return;
      const deadline = input.deadlineId ? store.deadlines.get(input.deadlineId) : undefined;
      store.tasks.set(input.taskId, {
        ...clone(input),
        ...(deadline ? { dueAt: deadline.dueAt } : {}),
        status: 'OPEN',
      });
    },

    async closeTask(input: CloseTaskInput): Promise<void> {
      record('closeTask', input);
      const t = store.tasks.get(input.taskId);
      if (!t || t.status !== 'OPEN') return;
      Object.assign(t, {
        status: input.status,
        outcome: input.outcome,
        data: clone(input.data),
        comment: input.comment,
        closedAt: input.closedAt,
        closedBy: input.actor?.sub,
      });
    },

    async assessCase({ caseId, asOf }: { caseId: string; asOf: string }): Promise<AssessmentSummary> {
      record('assessCase', { caseId, asOf });
      const summary = { ...(store.assessments.get(caseId) ?? store.defaultAssessment) };
      store.case(caseId).assessment = summary;
      return summary;
    },

    async recordDecision(d: DecisionInput): Promise<void> {
      record('recordDecision', d);
      if (store.decisions.has(d.decisionId)) return;
      store.decisions.set(d.decisionId, clone(d));
      store.case(d.caseId).decidedOn = d.decidedOn;
    },

    async enrolRecipient({ caseId, decisionId }: EnrolInput): Promise<string> {
      record('enrolRecipient', { caseId, decisionId });
      const existing = store.recipients.get(caseId);
      if (existing) return existing.recipientId;
      const d = store.decisions.get(decisionId);
      if (!d) throw new Error(`enrolRecipient: no decision ${decisionId}`);
      const r: FakeRecipient = {
        recipientId: `recipient:${caseId}`,
        caseId,
        decisionId,
        category: d.category,
        monthlyAmount: d.monthlyAmount,
        startMonth: monthAfter(d.decidedOn),
      };
      store.recipients.set(caseId, r);
      return r.recipientId;
    },

    async upsertDeadline({ calendarFingerprint: used, ...d }: DeadlineInput): Promise<UpsertDeadlineAnswer> {
      record('upsertDeadline', d);
      // As the real activity: a calendar loaded since the workflow loaded its own makes it reload first.
      if (used !== undefined && used !== calendarFingerprint(store.calendarYears)) return { stale: true };
      const before = store.deadlines.get(d.deadlineId);
      if (!before) {
        store.deadlines.set(d.deadlineId, {
          ...clone(d),
          status: 'pending',
          statusHistory: ['pending'],
          dueHistory: [d.dueOn],
          escalationLevel: 0,
        });
        moveTasks(d.deadlineId, d.dueAt);
        return { stale: false };
      }
      if (
        before.dueOn === d.dueOn &&
        before.provisional === d.provisional &&
        (before.extensionDays ?? null) === (d.extensionDays ?? null)
      )
        return { stale: false };
      Object.assign(before, {
        dueOn: d.dueOn,
        dueAt: d.dueAt,
        provisional: d.provisional,
        extensionDays: d.extensionDays,
        extensionReason: d.extensionReason,
      });
      before.dueHistory.push(d.dueOn);
      moveTasks(d.deadlineId, d.dueAt);
      return { stale: false };
    },

    async settleDeadline(s: SettleDeadlineInput): Promise<void> {
      record('settleDeadline', s);
      const before = store.deadlines.get(s.deadlineId);
      if (!before || before.status === 'met' || before.status === 'cancelled') return;
      if (s.status === 'met') {
        before.metLate = s.metOn !== undefined ? s.metOn > before.dueOn : before.status === 'overdue';
        before.metAt = s.at;
        before.metOn = s.metOn;
      }
      before.status = s.status;
      before.statusHistory.push(s.status);
    },

    async markDeadlineOverdue(o: OverdueInput): Promise<OverdueAnswer> {
      record('markDeadlineOverdue', o);
      const answer = { countyAfterWorkingDays: supervisionOf(store).countyAfterWorkingDays };
      const before = store.deadlines.get(o.deadlineId);
      if (!before || before.status !== 'pending') return answer;
      before.status = 'overdue';
      before.statusHistory.push('overdue');
      before.overdueAt = new Date().toISOString();
      before.escalationLevel = 1;
      store.notifications.push({
        deadlineId: o.deadlineId,
        caseId: o.caseId,
        kind: o.kind,
        regionCode: o.regionCode.slice(0, 9),
        dueOn: o.dueOn,
        taskId: o.taskId,
        to: 'supervisor',
      });
      return answer;
    },

    async draftRefusalNotice({ noticeId, caseId, decisionId }: RefusalNoticeDraftInput): Promise<void> {
      record('draftRefusalNotice', { noticeId, caseId, decisionId });
      if (store.notices.has(noticeId)) return;
      if (!store.decisions.has(decisionId)) throw new Error(`draftRefusalNotice: no decision ${decisionId}`);
      store.notices.set(noticeId, { noticeId, caseId, decisionId, status: 'DRAFT' });
    },

    async issueNotice({ noticeId, actor, issuedOn }: IssueNoticeInput): Promise<void> {
      record('issueNotice', { noticeId, actor, issuedOn });
      const n = store.notices.get(noticeId);
      if (!n || n.status === 'ISSUED') return;
      Object.assign(n, { status: 'ISSUED', issuedOn, issuedBy: actor.sub });
    },

    ...fakeSupervisionActivities(store, record),
    ...fakeEmergencyActivities(store, record),
    ...fakeWarningActivities(store, record),
    ...fakeRecipientActivities(store, record),
  };
}
