// The working-day calendar inside a workflow: loaded by an activity, reloaded when an admin loads another year.
import { setHandler } from '@temporalio/workflow';
import { WorkingDayCalendar } from '../../domain/calendar';
import type { EngineActivities } from '../activities';
import { calendarUpdatedSignal } from '../messages';
import { activities } from './activity-proxy';

const { loadCalendar } = activities<EngineActivities>({ startToCloseTimeout: '30 seconds' });

export class WorkflowCalendar {
  calendar = new WorkingDayCalendar([]);
  /** Bumped on every reload, so deadline timers computed from a provisional calendar know to recompute. */
  version = 0;

  async load(): Promise<void> {
    this.calendar = new WorkingDayCalendar(await loadCalendar());
    this.version++;
  }

  listen(): void {
    setHandler(calendarUpdatedSignal, async () => {
      await this.load();
    });
  }
}
