// Issue 10 on the time-skipping server: refusing an eligible household is a deviation (item 3), the confirming level
// is the region's policy (item 4), one calendar for every running case (item 5), timely on paper is timely (item 6).
// Helpers as in test/workflow/application.test.ts.
import { randomUUID } from 'node:crypto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type application } from '../../processes/application/workflow';
import { type ApplicationInput } from '../../processes/application/messages';
import { APPLICATION_LIMITS } from '../../processes/application/definition';
import { activeStepsQuery, completeTaskUpdate, snapshotQuery, type CaseSnapshot } from '../../engine/messages';
import {
  addCalendarDays,
  endOfDayShanghai,
  SEED_CALENDAR_YEARS,
  shanghaiDate,
  startOfDayShanghai,
  WorkingDayCalendar,
  type IsoDate,
} from '../../domain/calendar';
import { TASKS } from '../../processes';
import { type Role } from '../../domain/glossary';
import { createFakeActivities, DEFAULT_ASSESSMENT, FakeStore, type FakeDeadline } from './fake-activities';
import { type AssessmentSummary } from '../../processes/application/activities';
import { startTimeSkipping, eventually, expectRejected, sleepUntil } from './env';

jest.setTimeout(120_000);

const REGION = '410721100';
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
/** An assessment that finds no category: refusing it is no deviation. */
const INELIGIBLE: AssessmentSummary = { ...DEFAULT_ASSESSMENT, category: null, coverage: 'NONE', monthlyAmount: 0 };

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

// ---- helpers ------------------------------------------------------------------------------------------------------

type Handle = WorkflowHandle<typeof application>;
interface Case {
  caseId: string;
  handle: Handle;
  input: ApplicationInput;
}

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

interface Run {
  taskQueue: string;
  started: Case[];
}
let runs = 0;

/**
 * A fresh worker (on its own task queue, so a test that hangs cannot block the next) for the test body. Workflows it
 * leaves running are terminated, so later time skips do not wake them; see endCase for why only once they are quiet.
 */
async function withWorker(body: (run: Run) => Promise<void>): Promise<void> {
  const run: Run = { taskQueue: `rules-${process.pid}-${++runs}`, started: [] };
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

/** The instant publicity posted on `postedOn` ends: the end (Asia/Shanghai) of the 7th calendar day after it. */
const publicityEnd = (postedOn: IsoDate) =>
  endOfDayShanghai(addCalendarDays(postedOn, APPLICATION_LIMITS.publicity.calendarDays)).getTime();

async function passPublicity(c: Case, postedOn: IsoDate): Promise<void> {
  await sleepUntil(env, publicityEnd(postedOn) + HOUR);
  await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
}

async function deadlineOf(caseId: string, kind: FakeDeadline['kind'], n = 1): Promise<FakeDeadline> {
  return eventually(() => {
    const d = store.deadline(caseId, kind, n);
    if (!d) throw new Error(`no ${kind} deadline for ${caseId}`);
    return d;
  });
}

// ---- tests --------------------------------------------------------------------------------------------------------

/** A case to confirmation with today's acts; the assessment as given. */
async function toConfirm(run: Run, assessment: AssessmentSummary): Promise<Case> {
  const c = await startCase(run, { publicise: false });
  store.assessments.set(c.caseId, assessment);
  await complete(c, 'accept', 'ACCEPTED');
  await complete(c, 'homeVisit', 'DONE');
  await complete(c, 'economicCheck', 'DONE');
  await complete(c, 'firstReview', 'RECOMMEND_REFUSAL', {}, { role: 'reviewer' });
  await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
  return c;
}

const send = (c: Case, outcome: string, data: Record<string, unknown>, role: Role) =>
  c.handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: taskId(c.caseId, 'confirm'), outcome, data, actor: actor(role) }],
  });

describe('item 3: a decision departing from the assessment needs a written reason, refusals included', () => {
  it('refusing a household assessed DIBAO is refused without a deviationReason, recorded with one', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'COUNTY' });
      const refused = await expectRejected(
        send(c, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'] }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(refused.message).toMatch(/deviationReason/);
      expect(refused.details).toEqual([{ assessed: { category: 'DIBAO', monthlyAmount: 420 } }]);
      expect(store.decisionsOf(c.caseId)).toEqual([]);
      await send(
        c,
        'REFUSED',
        { reasons: ['家庭人均收入高于当地低保标准'], deviationReason: '入户发现隐瞒经营收入' },
        'county_officer',
      );
      await eventually(() =>
        expect(store.decisionsOf(c.caseId)).toEqual([
          expect.objectContaining({ outcome: 'REFUSED', deviationReason: '入户发现隐瞒经营收入' }),
        ]),
      );
    }));

  it('approving a household assessed ineligible needs a reason; refusing it does not', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...INELIGIBLE, confirmingLevel: 'COUNTY' });
      await expectRejected(
        send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 300 }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      await send(c, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'] }, 'county_officer');
      await eventually(() => expect(store.decisionsOf(c.caseId)).toHaveLength(1));
      expect(store.decisionsOf(c.caseId)[0].deviationReason).toBeUndefined();
    }));
});

describe('item 4: the confirming level is the region’s policy, recorded with the decision', () => {
  it('TOWNSHIP (the default): the township reviewer confirms, the county officer may not', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'TOWNSHIP' });
      expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.candidateRole).toBe('reviewer');
      await expectRejected(
        send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'county_officer'),
        'FORBIDDEN',
      );
      await send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'reviewer');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({
        confirmingLevel: 'TOWNSHIP',
        actor: { role: 'reviewer' },
      });
    }));

  it('COUNTY: the county officer confirms', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'COUNTY' });
      expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.candidateRole).toBe('county_officer');
      await expectRejected(send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'reviewer'), 'FORBIDDEN');
      await send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'county_officer');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({ confirmingLevel: 'COUNTY' });
    }));
});

describe('item 6: timely on paper is timely', () => {
  it('a back-dated case on time on paper: met on time, the township alert kept, the county never told', () =>
    withWorker(async (run) => {
      expect((await today()) > '2026-10-15').toBe(true);
      const c = await startCase(run, { receivedOn: '2026-09-01', publicise: false });
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      // Every deadline of the case was due before it was entered: the timers ran out at once.
      await eventually(() => expect(store.deadline(c.caseId, 'firstReviewOpinion')?.status).toBe('overdue'));
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', { effectiveOn: '2026-09-10' });
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      await complete(c, 'confirm', 'APPROVED', { category: 'DIBAO', monthlyAmount: 420, effectiveOn: '2026-09-18' });
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      const deadlines = store.deadlinesOf(c.caseId);
      expect(deadlines.map((d) => d.kind).sort()).toEqual(['confirmation', 'firstReviewOpinion', 'wholeCase']);
      for (const d of deadlines) {
        // Supervisors were alerted when the timer ran out; that stays on record, but the act was on time.
        expect(d).toMatchObject({ status: 'met', metLate: false, escalationLevel: 1 });
        expect(d.statusHistory).toEqual(['pending', 'overdue', 'met']);
      }
      expect(store.callsOf('escalateDeadline', c.caseId)).toEqual([]);
    }));

  it('an act late on paper is still met late', () =>
    withWorker(async (run) => {
      const c = await startCase(run, { receivedOn: '2026-09-01', publicise: false });
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', { effectiveOn: '2026-09-30' });
      await eventually(() =>
        expect(store.deadline(c.caseId, 'firstReviewOpinion')).toMatchObject({ status: 'met', metLate: true }),
      );
    }));
});

describe('item 5: one calendar for every running case', () => {
  it('a deadline computed after a year is loaded uses it, and the case recomputes its provisional ones', () =>
    withWorker(async (run) => {
      // The example of the issue (today 2026-12-02) in whatever December the test server's clock reaches: a case in
      // December of year Y whose next year is not loaded; publicity posted on Y-12-17 ends Y-12-24.
      let y = Number((await today()).slice(0, 4));
      if ((await today()) > `${y}-12-10`) y++;
      await sleepUntil(env, startOfDayShanghai(`${y}-12-01`).getTime() + 10 * HOUR);
      const seeded = store.calendarYears;
      const through = (last: number) => [
        ...SEED_CALENDAR_YEARS.filter((c) => c.year <= last),
        // Years after the seeded ones, up to `last`, with no holidays (only what the example needs).
        ...Array.from({ length: Math.max(0, last - 2026) }, (_, i) => ({
          year: 2027 + i,
          holidays: [],
          makeupWorkdays: [],
        })),
      ];
      // Next year's made-up schedule: New Year 1–3 January.
      const next = { year: y + 1, holidays: [1, 2, 3].map((d) => `${y + 1}-01-0${d}`), makeupWorkdays: [] };
      try {
        store.calendarYears = through(y);
        const c = await startCase(run);
        await complete(c, 'accept', 'ACCEPTED');
        const whole = await deadlineOf(c.caseId, 'wholeCase');
        expect(whole.provisional).toBe(true); // 30 working days from December reach into next year
        await complete(c, 'homeVisit', 'DONE');
        await complete(c, 'economicCheck', 'DONE');
        // An admin loads next year; this workflow is not signalled (the route tells only some cases).
        store.calendarYears = [...through(y), next];
        const posted = `${y}-12-17`;
        await sleepUntil(env, startOfDayShanghai(posted).getTime() + 10 * HOUR);
        await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
        expect(closedOn(c.caseId, 'firstReview')).toBe(posted);
        // Publicity ends Y-12-24; confirmation is due 10 working days later, in the next year.
        await passPublicity(c, posted);
        const ended = `${y}-12-24`;
        const withYear = new WorkingDayCalendar(store.calendarYears);
        const confirmation = await deadlineOf(c.caseId, 'confirmation');
        expect(confirmation).toMatchObject({
          startedOn: ended,
          dueOn: withYear.addWorkingDays(ended, 10).due,
          provisional: false,
        });
        expect(confirmation.dueOn).not.toBe(new WorkingDayCalendar(through(y)).addWorkingDays(ended, 10).due);
        // The open whole-case deadline that reached into the next year was recomputed with it.
        await eventually(() =>
          expect(store.deadline(c.caseId, 'wholeCase')).toMatchObject({
            provisional: false,
            dueOn: withYear.addWorkingDays(whole.startedOn, 30).due,
          }),
        );
        expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.dueAt).toBe(confirmation.dueAt);
      } finally {
        store.calendarYears = seeded;
      }
    }));
});
