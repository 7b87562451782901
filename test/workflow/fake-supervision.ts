// In-memory versions of the supervision activities (escalation ladder, conferences) for workflow tests; their state
// hangs off the FakeStore so every test file's store has its own.
import { type Activities } from '../../processes';
import { type LadderStepInput } from '../../engine/activities/deadlines';
import {
  type ConferenceDecisionInput,
  type NoteConferenceDecisionInput,
  type OpenConferenceInput,
  type TakeoverFeedbackInput,
} from '../../processes/caseConference/activities';
import type { FakeStore } from './fake-activities';

export interface FakeConference {
  input: OpenConferenceInput;
  status: 'CONVENED' | 'DECIDED';
  decision?: ConferenceDecisionInput;
}
export interface FakeSupervision {
  /** What markDeadlineOverdue answers (the configured DEADLINE_ESCALATION_WORKING_DAYS). */
  countyAfterWorkingDays: number;
  /** Ladder steps above 1 (county), in order. */
  escalations: LadderStepInput[];
  conferences: Map<string, FakeConference>;
  /** Decisions noted on originating cases. */
  notedDecisions: NoteConferenceDecisionInput[];
  /** Feedback of departments that took a case over. */
  takeoverFeedback: TakeoverFeedbackInput[];
}

const states = new WeakMap<FakeStore, FakeSupervision>();
export function supervisionOf(store: FakeStore): FakeSupervision {
  let s = states.get(store);
  if (!s) {
    s = {
      countyAfterWorkingDays: 2,
      escalations: [],
      conferences: new Map(),
      notedDecisions: [],
      takeoverFeedback: [],
    };
    states.set(store, s);
  }
  return s;
}

type Pick4 = Pick<
  Activities,
  | 'escalateDeadline'
  | 'openConference'
  | 'recordConferenceDecision'
  | 'noteConferenceDecision'
  | 'recordTakeoverFeedback'
>;

export function fakeSupervisionActivities(
  store: FakeStore,
  record: (name: keyof Activities, input: unknown) => void,
): Pick4 {
  const s = supervisionOf(store);
  return {
    async escalateDeadline(e) {
      record('escalateDeadline', e);
      const d = store.deadlines.get(e.deadlineId);
      if (!d || d.status !== 'overdue' || d.escalationLevel >= e.level) return;
      d.escalationLevel = e.level;
      s.escalations.push(JSON.parse(JSON.stringify(e)));
    },
    async openConference(c) {
      record('openConference', c);
      if (!s.conferences.has(c.conferenceId))
        s.conferences.set(c.conferenceId, { input: JSON.parse(JSON.stringify(c)), status: 'CONVENED' });
    },
    async recordConferenceDecision(d) {
      record('recordConferenceDecision', d);
      const c = s.conferences.get(d.decision.conferenceId);
      if (!c || c.status === 'DECIDED') return;
      c.status = 'DECIDED';
      c.decision = JSON.parse(JSON.stringify(d));
    },
    async recordTakeoverFeedback(f) {
      record('recordTakeoverFeedback', f);
      if (!s.takeoverFeedback.some((x) => x.conferenceId === f.conferenceId))
        s.takeoverFeedback.push(JSON.parse(JSON.stringify(f)));
    },
    async noteConferenceDecision(n) {
      record('noteConferenceDecision', n);
      if (!s.notedDecisions.some((x) => x.caseId === n.caseId && x.decision.conferenceId === n.decision.conferenceId))
        s.notedDecisions.push(JSON.parse(JSON.stringify(n)));
    },
  };
}
