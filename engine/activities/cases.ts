// The activities every case workflow uses for its read model: the calendar, progress, tasks, issuing a notice.
// Names are Temporal-visible (activity types in every history): never renamed.
import { recordProgress, type CaseProgress } from '../../data/cases';
import { loadCalendarYears } from '../../data/calendar';
import { issueNotice } from '../../data/notices';
import { closeTask, insertTask, type NewTask, type TaskClosing } from '../../data/tasks';
import type { CalendarYear, IsoDate } from '../../domain/calendar';
import type { Actor } from '../messages';
import {
  renderRefusalNotice,
  renderTerminationNotice,
  type RefusalNoticeInput,
  type TerminationNoticeInput,
} from '../notices/pdf';
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
      // The notice carries the date it was issued, not the decision's (docs/policy.md §2.6): rendered again with it.
      const n = await db('notices').where({ id: input.noticeId }).first('kind', 'status', 'content');
      const content = n?.content as (RefusalNoticeInput & TerminationNoticeInput) | undefined;
      if (!n || n.status !== 'DRAFT' || !content?.particulars) return issueNotice(db, input);
      const issued = { ...content, particulars: { ...content.particulars, issuedOn: input.issuedOn } };
      const pdf = n.kind === 'REFUSAL' ? await renderRefusalNotice(issued) : await renderTerminationNotice(issued);
      await issueNotice(db, input, { content: issued, pdf });
    },
  };
}
