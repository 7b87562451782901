// One write per transition: the read-model rows a step of a case changes (tasks opened and closed, the case's progress,
// deadline rows saved and settled), written in one transaction by one activity when the process rests
// (engine/workflow/case-context.ts, docs/architecture.md §4). Each write is the same idempotent write its own activity
// makes (closeTask, openTask, recordCaseProgress, upsertDeadline, settleDeadline), so a retried batch changes nothing
// that was already written. The name is Temporal-visible: never renamed.
import { recordProgress } from '../../data/cases';
import { auditOnce, type KeyedAuditEntry } from '../../data/audit';
import { loadCalendarYears } from '../../data/calendar';
import { settleDeadline, upsertDeadline } from '../../data/deadlines';
import { closeTask, insertTask } from '../../data/tasks';
import { calendarFingerprint } from '../../domain/calendar';
import type { CaseProgressInput, CloseTaskInput, OpenTaskInput } from './cases';
import type { DeadlineInput, SettleDeadlineInput } from './deadlines';
import type { ActivityDeps } from './deps';

export type ReadModelWrite =
  | { openTask: OpenTaskInput }
  | { closeTask: CloseTaskInput }
  | { recordCaseProgress: CaseProgressInput }
  | { upsertDeadline: DeadlineInput }
  | { settleDeadline: SettleDeadlineInput }
  // An act's audit row, committed with the rows the act changes (CaseContext.auditWithTransition).
  | { audit: KeyedAuditEntry };

export interface TransitionInput {
  writes: ReadModelWrite[];
}
/** `stale`: the deadlines whose row was not written because the stored calendar differs from the workflow's. */
export interface TransitionAnswer {
  stale: string[];
}

export function transitionActivities({ db }: ActivityDeps) {
  return {
    async recordTransition({ writes }: TransitionInput): Promise<TransitionAnswer> {
      return db.transaction(async (trx) => {
        const stale: string[] = [];
        let stored: string | undefined; // the stored calendar's fingerprint, read once per batch
        for (const w of writes) {
          if ('openTask' in w) await insertTask(trx, w.openTask);
          else if ('closeTask' in w) await closeTask(trx, w.closeTask);
          else if ('recordCaseProgress' in w) await recordProgress(trx, w.recordCaseProgress);
          else if ('settleDeadline' in w) await settleDeadline(trx, w.settleDeadline);
          else if ('audit' in w) await auditOnce(trx, w.audit);
          else {
            const { calendarFingerprint: used, ...d } = w.upsertDeadline;
            if (used !== undefined) {
              stored ??= calendarFingerprint(await loadCalendarYears(trx));
              if (used !== stored) {
                stale.push(d.deadlineId);
                continue;
              }
            }
            await upsertDeadline(trx, d);
          }
        }
        return { stale };
      });
    },
  };
}
