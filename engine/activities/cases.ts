// The activities every case workflow uses for its read model: the calendar, progress, tasks, issuing a notice.
// Names are Temporal-visible (activity types in every history): never renamed.
import { recordProgress, type CaseProgress } from '../../data/cases';
import { loadCalendarYears } from '../../data/calendar';
import { issueNotice } from '../../data/notices';
import { closeTask, insertTask, type NewTask, type TaskClosing } from '../../data/tasks';
import type { CalendarYear, IsoDate } from '../../domain/calendar';
import type { Actor } from '../messages';
import type { ActivityDeps } from './deps';

export type OpenTaskInput = NewTask;
export type CloseTaskInput = TaskClosing;
export type CaseProgressInput = CaseProgress;
export interface IssueNoticeInput {
  noticeId: string;
  actor: Actor;
  issuedOn: IsoDate;
}

export function caseActivities({ db }: ActivityDeps) {
  return {
    async loadCalendar(): Promise<CalendarYear[]> {
      return loadCalendarYears(db);
    },
    async recordCaseProgress(input: CaseProgressInput): Promise<void> {
      await recordProgress(db, input);
    },
    async openTask(input: OpenTaskInput): Promise<void> {
      await insertTask(db, input);
    },
    async closeTask(input: CloseTaskInput): Promise<void> {
      await closeTask(db, input);
    },
    async issueNotice(input: IssueNoticeInput): Promise<void> {
      await issueNotice(db, input);
    },
  };
}
