// In-memory warning and comparison activities for workflow tests (same idempotency rules as
// processes/warning/activities.ts: keyed by warning and department).
import { type Activities } from '../../processes';
import type { CloseWarningInput, WarningFeedbackInput, WarningHandlingInput } from '../../processes/warning/activities';
import type { FakeStore } from './fake-activities';

export class WarningFakeState {
  readonly handlings = new Map<string, WarningHandlingInput>();
  readonly feedback = new Map<string, WarningFeedbackInput>();
  readonly closed = new Map<string, CloseWarningInput>();
}

const states = new WeakMap<FakeStore, WarningFakeState>();
export function warningOf(store: FakeStore): WarningFakeState {
  let s = states.get(store);
  if (!s) states.set(store, (s = new WarningFakeState()));
  return s;
}

export function fakeWarningActivities(store: FakeStore, record: (name: keyof Activities, input: unknown) => void) {
  const state = warningOf(store);
  return {
    async recordWarningHandling(h: WarningHandlingInput): Promise<void> {
      record('recordWarningHandling', h);
      if (!state.handlings.has(h.warningId)) state.handlings.set(h.warningId, h);
    },
    async recordWarningFeedback(f: WarningFeedbackInput): Promise<void> {
      record('recordWarningFeedback', f);
      const key = `${f.warningId}:${f.department}`;
      if (!state.feedback.has(key)) state.feedback.set(key, f);
    },
    async closeWarning(c: CloseWarningInput): Promise<void> {
      record('closeWarning', c);
      if (!state.closed.has(c.warningId)) state.closed.set(c.warningId, c);
    },
    async runComparison(): Promise<never> {
      throw new Error('runComparison is not faked: the comparison is tested on the real stack');
    },
    async startWarningWorkflows(): Promise<never> {
      throw new Error('startWarningWorkflows is not faked: the comparison is tested on the real stack');
    },
  };
}
