// The working-day calendar inside a workflow: loaded by an activity, reloaded when an admin loads another year.
import { setHandler } from '@temporalio/workflow';
import {
  addCalendarDays,
  calendarFingerprint,
  endOfDayShanghai,
  WorkingDayCalendar,
  type DueDate,
  type IsoDate,
} from '../../domain/calendar';
import { workingDaysOf, type DeadlineLimit } from '../definition';
import type { EngineActivities } from '../activities';
import { calendarUpdatedSignal } from '../messages';
import { activities } from './activity-proxy';

const { loadCalendar } = activities<EngineActivities>({ startToCloseTimeout: '30 seconds' });

export class WorkflowCalendar {
  calendar = new WorkingDayCalendar([]);
  /** Bumped on every reload, so deadline timers computed from a provisional calendar know to recompute. */
  version = 0;
  /** The fingerprint of the schedules loaded, sent with every deadline row (engine/activities/deadlines.ts). */
  fingerprint = '';
  private refreshing?: Promise<void>;

  async load(): Promise<void> {
    const years = await loadCalendar();
    this.calendar = new WorkingDayCalendar(years);
    this.fingerprint = calendarFingerprint(years);
    this.version++;
  }

  /** Reloads once however many deadlines found the calendar stale at the same moment. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * The last day of a period that starts on `from` (which does not count): in calendar days where the policy names
   * days, else in working days. One place for both, so a limit changes unit in the process definition alone.
   */
  periodEnd(from: IsoDate, limit: Pick<DeadlineLimit, 'label' | 'workingDays' | 'calendarDays'>): DueDate {
    if (limit.calendarDays !== undefined) {
      const due = addCalendarDays(from, limit.calendarDays);
      return { due, dueAt: endOfDayShanghai(due).toISOString(), provisional: false };
    }
    return this.calendar.addWorkingDays(from, workingDaysOf(limit as DeadlineLimit));
  }

  listen(): void {
    setHandler(calendarUpdatedSignal, async () => {
      await this.load();
    });
  }
}
