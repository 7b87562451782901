// Temporal Schedules of the system: today one, the monthly payment roster (发放花名册) on the 1st of each month at 02:00
// Asia/Shanghai. Created by every worker at start (worker.ts), so any deployment that runs a worker has it, without a
// separate step; creating it twice is harmless (ScheduleAlreadyRunning is the expected answer of all but the first).
// By hand: `npx tsx scripts/schedules.ts` against TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE.
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { loadConfig } from '../config';
import { payloadDataConverter } from '../engine/payload-codec';

export const ROSTER_SCHEDULE_ID = 'monthly-payment-roster';

/** Creates the schedules that do not exist yet; returns the ids it created. */
export async function ensureSchedules(
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
