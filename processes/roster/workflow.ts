// The monthly payment roster (发放花名册), started by the Temporal Schedule of scripts/schedules.ts on the 1st of each
// month (Asia/Shanghai), or by hand for a given month. Rerunning a month adds nothing (see ./activities.ts).
import { workflowInfo } from '@temporalio/workflow';
import { shanghaiDate } from '../../domain/calendar';
import { monthOf } from '../../domain/dates';
import { activities } from '../../engine/workflow/activity-proxy';
import type { RosterActivities, RosterRunResult } from './activities';

// One statement over every recipient: minutes at most even for a large county, and idempotent, so retried freely.
const { generateMonthlyRoster } = activities<RosterActivities>(
  { startToCloseTimeout: '10 minutes', retry: { maximumInterval: '5 minutes' } },
  { placement: 'remote' },
);

export interface RosterInput {
  /**
   * YYYY-MM; defaults to the month (Asia/Shanghai) the run starts in, which for the schedule is the month it fires for.
   */
  month?: string;
}

export async function monthlyRoster(input: RosterInput = {}): Promise<RosterRunResult> {
  const month = input.month ?? monthOf(shanghaiDate(Date.now()));
  return generateMonthlyRoster({ month, run: workflowInfo().workflowId });
}
