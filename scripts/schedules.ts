// Temporal Schedules of the system: the monthly payment roster (发放花名册) on the 1st of each month at 02:00
// Asia/Shanghai, and the daily comparison of department data (数据比对) at 03:00. Created by every worker at start
// (worker.ts), so any deployment that runs a worker has them, without a separate step; creating one twice is
// harmless (ScheduleAlreadyRunning is the expected answer of all but the first).
// By hand: `npx tsx scripts/schedules.ts` against TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE.
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { loadConfig } from '../config';
import { payloadDataConverter } from '../engine/payload-codec';

export const ROSTER_SCHEDULE_ID = 'monthly-payment-roster';
/** The daily comparison of department data (docs/monitoring.md): 03:00 Asia/Shanghai, after the night's imports. */
export const COMPARISON_SCHEDULE_ID = 'daily-comparison';

/** Creates the schedules that do not exist yet; returns the ids it created. */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<string[]> {
  return [...(await ensureRosterSchedule(client, taskQueue)), ...(await ensureComparisonSchedule(client, taskQueue))];
}

export async function ensureComparisonSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = COMPARISON_SCHEDULE_ID,
): Promise<string[]> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: 'comparisonRun',
        args: [{ requestedBy: `schedule:${scheduleId}` }],
        taskQueue,
        workflowId: `comparison-${scheduleId}`,
      },
      // A missed day is caught up once within a day; two runs never overlap (the comparison also locks).
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return [scheduleId];
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return [];
    throw err;
  }
}

export async function ensureRosterSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = ROSTER_SCHEDULE_ID,
): Promise<string[]> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ dayOfMonth: 1, hour: 2, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: 'monthlyRoster',
        args: [{}],
        taskQueue,
        workflowId: `roster-${scheduleId}`,
      },
      // A server down over the 1st catches up within a week (still the same month); two runs never overlap.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
    return [scheduleId];
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return [];
    throw err;
  }
}

if (require.main === module) {
  (async () => {
    const config = loadConfig();
    const connection = await Connection.connect({ address: config.temporalAddress });
    try {
      const created = await ensureSchedules(
        new Client({ connection, namespace: config.temporalNamespace, dataConverter: payloadDataConverter() }),
        config.taskQueue,
      );
      console.log(created.length ? `created schedules: ${created.join(', ')}` : 'schedules already present');
    } finally {
      await connection.close();
    }
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
