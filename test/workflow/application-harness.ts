// The application workflow harness of test/workflow/application.test.ts and test/workflow/decision-rules.test.ts: one
// time-skipping environment per file, a fresh worker per test, and the waits that keep the test server from
// wedging (see `quiet` and `endWorkflow`). Long waits (publicity, deadlines) are passed with env.sleep; Updates are
// sent while no timer needs to pass.
import { randomUUID } from 'node:crypto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type application } from '../../processes/application/workflow';
import { type ApplicationInput } from '../../processes/application/messages';
import { APPLICATION_LIMITS } from '../../processes/application/definition';
import { activeStepsQuery, completeTaskUpdate, snapshotQuery, type CaseSnapshot } from '../../engine/messages';
import { addCalendarDays, endOfDayShanghai, shanghaiDate, type IsoDate } from '../../domain/calendar';
import { TASKS } from '../../processes';
import { type Role } from '../../domain/glossary';
import { createFakeActivities, FakeStore, type FakeDeadline } from './fake-activities';
import { startTimeSkipping, eventually, sleepUntil } from './env';

export const REGION = '410721100';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

type Handle = WorkflowHandle<typeof application>;
export interface Case {
  caseId: string;
  handle: Handle;
  input: ApplicationInput;
}

export interface Run {
  taskQueue: string;
  started: Case[];
}

/**
 * Registers the file's beforeAll/afterAll and returns the helpers. `queuePrefix` names the task queues, so a worker
 * left behind by one file is recognisable in the test server's history.
 */
export function useApplicationHarness(queuePrefix: string) {
  let env: TestWorkflowEnvironment;
  let bundle: { code: string };
  let runs = 0;
  const store = new FakeStore();

  beforeAll(async () => {
    ({ env, bundle } = await startTimeSkipping());
  }, 180_000);

  afterAll(async () => {
    await env?.teardown();
  });

  const actor = (role: Role) => ({ sub: 'u1', role, region: REGION });
  const taskId = (caseId: string, type: string, n = 1) => `${caseId}:${type}:${n}`;

  async function today(): Promise<IsoDate> {
    return shanghaiDate(await env.currentTimeMs());
  }

  /**
   * The workflow's own "today" when it closed a task (the default effectiveOn), read from the closing time it recorded.
   */
  function closedOn(caseId: string, type: string, n = 1): IsoDate {
    const closedAt = store.tasks.get(taskId(caseId, type, n))?.closedAt;
    if (!closedAt) throw new Error(`task ${type}:${n} of ${caseId} is not closed`);
    return shanghaiDate(closedAt);
  }

  /**
   * A fresh worker (on its own task queue, so a test that hangs cannot block the next) for the test body. Workflows it
   * leaves running are terminated, so later time skips do not wake them; see endCase for why only once they are quiet.
   */
  async function withWorker(body: (run: Run) => Promise<void>): Promise<void> {
    const run: Run = { taskQueue: `${queuePrefix}-${process.pid}-${++runs}`, started: [] };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: run.taskQueue,
      workflowBundle: bundle,
      activities: createFakeActivities(store),
    });
    await worker.runUntil(async () => {
      try {
        await body(run);
      } finally {
        for (const c of run.started) await endCase(c);
      }
    });
  }

  /**
   * Terminates a case the test left running, and the child workflows it started (an approval starts the recipient
   * workflow, ABANDON), once no workflow task or activity of it is in flight (the worker still runs, so they finish).
   * Why: the time-skipping test server keeps time locked for a workflow task or activity that is pending when no worker
   * will ever take it, or that was outstanding when its workflow was terminated (temporalio/sdk-java#1138,
   * sdk-typescript#1101), and every later env.sleep then runs in real time — one leftover hangs the rest of the file.
   */
  async function endCase(c: Case): Promise<void> {
    await endWorkflow(c.handle as WorkflowHandle);
  }

  async function endWorkflow(handle: WorkflowHandle): Promise<void> {
    const until = Date.now() + 5_000;
    let quietChecks = 0;
    let children: string[] = [];
    for (;;) {
      const { status } = await handle.describe();
      const state = await inFlight(handle);
      children = state.children;
      if (status.name !== 'RUNNING') break;
      quietChecks = state.busy === 0 ? quietChecks + 1 : 0;
      if (quietChecks >= 2 || Date.now() > until) {
        await handle.terminate('test over');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const id of children) await endWorkflow(env.client.workflow.getHandle(id));
  }

  /**
   * Waits until the workflow has nothing in flight and no timer about to fire. Needed before an Update whenever a
   * deadline or publicity is already past (back-dated acts): the workflow then arms 1 ms timers, and if one fires while
   * the workflow task that cancels it is running (an Update that meets the deadline), the time-skipping test server
   * refuses the CancelTimer ("invalid history builder state for action") and never gives the workflow another task
   * (temporalio/sdk-java#2606, #3088; the real server accepts it). The case then hangs, and time stays locked for the
   * rest of the file.
   */
  async function quiet(handle: WorkflowHandle): Promise<void> {
    const until = Date.now() + 10_000;
    let quietChecks = 0;
    while (quietChecks < 2) {
      if (Date.now() > until)
        throw new Error(`workflow ${handle.workflowId} did not settle: ${JSON.stringify(await inFlight(handle))}`);
      quietChecks = (await inFlight(handle)).busy === 0 ? quietChecks + 1 : 0;
      if (quietChecks < 2) await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * From the history: workflow tasks and activities scheduled but not finished, plus timers due within a second (all
   * `busy`), and the children started.
   */
  async function inFlight(handle: WorkflowHandle): Promise<{ busy: number; children: string[] }> {
    const now = await env.currentTimeMs();
    let busy = 0;
    const children: string[] = [];
    const timers = new Map<string, number>(); // started event id → fire time
    for (const e of (await handle.fetchHistory()).events ?? []) {
      if (e.workflowTaskScheduledEventAttributes || e.activityTaskScheduledEventAttributes) busy++;
      if (
        e.workflowTaskCompletedEventAttributes ||
        e.workflowTaskFailedEventAttributes ||
        e.workflowTaskTimedOutEventAttributes
      )
        busy--;
      if (
        e.activityTaskCompletedEventAttributes ||
        e.activityTaskFailedEventAttributes ||
        e.activityTaskTimedOutEventAttributes ||
        e.activityTaskCanceledEventAttributes
      )
        busy--;
      if (e.timerStartedEventAttributes)
        timers.set(String(e.eventId), tsToMs(e.eventTime) + tsToMs(e.timerStartedEventAttributes.startToFireTimeout));
      const ended = e.timerFiredEventAttributes?.startedEventId ?? e.timerCanceledEventAttributes?.startedEventId;
      if (ended != null) timers.delete(String(ended));
      const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) children.push(child);
    }
    for (const fireAt of timers.values()) if (fireAt <= now + 1_000) busy++;
    return { busy, children };
  }

  async function startCase({ taskQueue, started }: Run, overrides: Partial<ApplicationInput> = {}): Promise<Case> {
    const caseId = randomUUID();
    const input: ApplicationInput = {
      caseId,
      regionCode: REGION,
      receivedOn: await today(),
      publicise: true,
      ...overrides,
    };
    const handle = await env.client.workflow.start<typeof application>('application', {
      taskQueue,
      workflowId: caseId,
      args: [input],
    });
    const c = { caseId, handle, input };
    started.push(c);
    await eventually(async () =>
      expect((await handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([taskId(caseId, 'accept')]),
    );
    return c;
  }

  async function complete(
    c: Case,
    type: string,
    outcome: string,
    data: Record<string, unknown> = {},
    opts: { n?: number; role?: Role } = {},
  ): Promise<CaseSnapshot> {
    await quiet(c.handle as WorkflowHandle);
    return c.handle.executeUpdate(completeTaskUpdate, {
      args: [
        { taskId: taskId(c.caseId, type, opts.n), outcome, data, actor: actor(opts.role ?? TASKS[type].candidateRole) },
      ],
    });
  }

  const activeSteps = (c: Case) => c.handle.query(activeStepsQuery);

  /** accept → homeVisit ∥ economicCheck → firstReview; returns the day the opinion was posted (publicity starts). */
  async function toPublicity(c: Case): Promise<IsoDate> {
    await complete(c, 'accept', 'ACCEPTED');
    await complete(c, 'homeVisit', 'DONE', { findings: 'as declared' });
    await complete(c, 'economicCheck', 'DONE');
    const snap = await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
    expect(snap.activeSteps).toEqual(['publicity']);
    return closedOn(c.caseId, 'firstReview');
  }

  /** The instant publicity posted on `postedOn` ends: the end (Asia/Shanghai) of the 7th calendar day after it. */
  const publicityEnd = (postedOn: IsoDate) =>
    endOfDayShanghai(addCalendarDays(postedOn, APPLICATION_LIMITS.publicity.calendarDays)).getTime();

  async function passPublicity(c: Case, postedOn: IsoDate): Promise<void> {
    await sleepUntil(env, publicityEnd(postedOn) + HOUR);
    await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
  }

  /** The deadline row of a kind, once the workflow has written it. */
  async function deadlineOf(caseId: string, kind: FakeDeadline['kind'], n = 1): Promise<FakeDeadline> {
    return eventually(() => {
      const d = store.deadline(caseId, kind, n);
      if (!d) throw new Error(`no ${kind} deadline for ${caseId}`);
      return d;
    });
  }

  return {
    /** The time-skipping environment; read it inside tests (it exists after beforeAll). */
    get env(): TestWorkflowEnvironment {
      return env;
    },
    store,
    actor,
    taskId,
    today,
    closedOn,
    withWorker,
    endCase,
    endWorkflow,
    quiet,
    inFlight,
    startCase,
    complete,
    activeSteps,
    toPublicity,
    publicityEnd,
    passPublicity,
    deadlineOf,
  };
}
