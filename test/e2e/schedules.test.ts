// The Temporal Schedules every worker ensures at start (scripts/schedules.ts, called by worker.ts), on the e2e stack's
// Temporal dev server: the daily comparison exists under its id with a daily spec at 03:00 Asia/Shanghai and starts
// the comparison workflow on the worker's task queue; ensuring again, or from two workers at once, creates no second
// one and does not fail. The schedules name a task queue no worker of the suites polls, and are deleted at the end:
// nothing they start ever runs a county-wide comparison beside the other files.
import { readFileSync } from 'node:fs';
import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { payloadDataConverter } from '../../engine/payload-codec';
import { COMPARISON_WORKFLOW_TYPE } from '../../processes/comparison/definition';
import {
  COMPARISON_SCHEDULE_ID,
  ROSTER_SCHEDULE_ID,
  ensureComparisonSchedule,
  ensureSchedules,
} from '../../scripts/schedules';
import { E2E_ENV_FILE } from '../support/global-setup';
import { useE2eIdKeys } from '../support/stack';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;
const taskQueue = `schedules-e2e-${process.pid}`;
let connection: Connection;
let client: Client;
const toDelete = new Set<string>();

beforeAll(async () => {
  useE2eIdKeys();
  const { temporalAddress } = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { temporalAddress: string };
  connection = await Connection.connect({ address: temporalAddress });
  // As worker.ts builds it: the schedule's arguments are encrypted like every payload.
  client = new Client({ connection, namespace: 'default', dataConverter: payloadDataConverter() });
});
afterAll(async () => {
  for (const id of toDelete)
    await client.schedule
      .getHandle(id)
      .delete()
      .catch((e: unknown) => {
        if (!(e instanceof ScheduleNotFoundError)) throw e;
      });
  await connection?.close();
});

/** The schedules with `id` the server lists (its visibility store lags a little behind a create). */
async function listed(id: string, expected: number): Promise<number> {
  let n = -1;
  for (let i = 0; i < 50 && n !== expected; i++) {
    n = 0;
    for await (const s of client.schedule.list()) if (s.scheduleId === id) n++;
    if (n !== expected) await new Promise((r) => setTimeout(r, 200));
  }
  return n;
}

describe('ensureSchedules', () => {
  it('creates the roster and the daily comparison schedules on the first call', async () => {
    toDelete.add(ROSTER_SCHEDULE_ID).add(COMPARISON_SCHEDULE_ID);
    expect(await ensureSchedules(client, taskQueue)).toEqual([ROSTER_SCHEDULE_ID, COMPARISON_SCHEDULE_ID]);
    expect(COMPARISON_SCHEDULE_ID).toBe('daily-comparison');
  });

  it('the comparison: every day at 03:00 Asia/Shanghai, the comparison workflow on the given task queue', async () => {
    const d = await client.schedule.getHandle(COMPARISON_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars).toHaveLength(1);
    expect(d.spec.calendars![0]).toMatchObject({
      second: [{ start: 0, end: 0, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
      hour: [{ start: 3, end: 3, step: 1 }],
      // Every day of every month: no day, month or weekday left out.
      dayOfMonth: [{ start: 1, end: 31, step: 1 }],
      month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
      dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
    });
    expect(d.spec.intervals ?? []).toEqual([]);
    // The server's own reading of the spec: the next runs fall at 19:00 UTC (03:00 in Shanghai, no summer time),
    // one day apart.
    const next = d.info.nextActionTimes.map((t) => t.getTime());
    expect(next.length).toBeGreaterThanOrEqual(3);
    for (const t of next) expect(new Date(t).toISOString()).toMatch(/T19:00:00\.000Z$/);
    for (let i = 1; i < next.length; i++) expect(next[i] - next[i - 1]).toBe(DAY_MS);
    expect(next[0] - Date.now()).toBeLessThanOrEqual(DAY_MS);

    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: COMPARISON_WORKFLOW_TYPE,
      taskQueue,
      workflowId: `comparison-${COMPARISON_SCHEDULE_ID}`,
      args: [{ requestedBy: `schedule:${COMPARISON_SCHEDULE_ID}` }],
    });
    expect(d.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DAY_MS });
    expect(d.state.paused).toBe(false);
  });

  it('the roster: on the 1st at 02:00 Asia/Shanghai, the monthly roster workflow on the same queue', async () => {
    const d = await client.schedule.getHandle(ROSTER_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars![0]).toMatchObject({
      dayOfMonth: [{ start: 1, end: 1, step: 1 }],
      hour: [{ start: 2, end: 2, step: 1 }],
    });
    expect(d.action).toMatchObject({ workflowType: 'monthlyRoster', taskQueue });
  });

  it('a second call creates nothing, fails nothing and leaves the existing schedules as they were', async () => {
    const handle = client.schedule.getHandle(COMPARISON_SCHEDULE_ID);
    const before = await handle.describe();
    // Another worker starting with another queue: the schedule keeps the first one's.
    expect(await ensureSchedules(client, `${taskQueue}-second`)).toEqual([]);
    expect(await ensureSchedules(client, taskQueue)).toEqual([]);
    const after = await handle.describe();
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    expect(after.action).toEqual(before.action);
    expect(await listed(COMPARISON_SCHEDULE_ID, 1)).toBe(1);
    expect(await listed(ROSTER_SCHEDULE_ID, 1)).toBe(1);
  });

  it('two workers starting at once: one creates the schedule, the other finds it', async () => {
    const id = `daily-comparison-race-${process.pid}`;
    toDelete.add(id);
    const results = await Promise.all([
      ensureComparisonSchedule(client, taskQueue, id),
      ensureComparisonSchedule(client, taskQueue, id),
    ]);
    expect(results.flat()).toEqual([id]);
    expect(await listed(id, 1)).toBe(1);
  });

  it('a run it starts is the comparison workflow, with an id of its own per run, on the queue', async () => {
    const handle = client.schedule.getHandle(COMPARISON_SCHEDULE_ID);
    await handle.trigger();
    let workflowId: string | undefined;
    for (let i = 0; i < 100 && !workflowId; i++) {
      workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!workflowId) await new Promise((r) => setTimeout(r, 100));
    }
    // No worker polls the queue: the run is looked at and ended before it could compare anything.
    const run = client.workflow.getHandle(workflowId!);
    try {
      // The workflow id is the comparison's run id (processes/comparison/workflow.ts): the schedule adds the time.
      expect(workflowId).toMatch(new RegExp(`^comparison-${COMPARISON_SCHEDULE_ID}-\\d{4}-\\d\\d-\\d\\dT`));
      const w = await run.describe();
      expect({ type: w.type, taskQueue: w.taskQueue, status: w.status.name }).toEqual({
        type: COMPARISON_WORKFLOW_TYPE,
        taskQueue,
        status: 'RUNNING',
      });
    } finally {
      await run.terminate('schedules e2e: the triggered run is not for running');
    }
  });
});
