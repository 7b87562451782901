// The application (认定) workflow against the time-skipping test server, with in-memory activities.
// Long waits (publicity, deadlines) are passed with env.sleep; Updates are sent while no timer needs to pass.
import { randomUUID } from 'node:crypto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type application } from '../../processes/application/workflow';
import { type ApplicationInput } from '../../processes/application/messages';
import { APPLICATION_LIMITS, applicationProcess } from '../../processes/application/definition';
import { extendCaseUpdate } from '../../processes/application/messages';
import { fileObjectionUpdate } from '../../engine/messages';
import { activeStepsQuery, completeTaskUpdate, snapshotQuery, type CaseSnapshot } from '../../engine/messages';
import {
  addCalendarDays,
  endOfDayShanghai,
  shanghaiDate,
  WorkingDayCalendar,
  type IsoDate,
} from '../../domain/calendar';
import { TASKS } from '../../processes';
import { type Role } from '../../domain/glossary';
import { createFakeActivities, DEFAULT_ASSESSMENT, FakeStore, type FakeDeadline } from './fake-activities';
import { startTimeSkipping, eventually, expectRejected, sleepUntil } from './env';

jest.setTimeout(120_000);

const REGION = '410721100';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
/** An assessment that finds no category: refusing it is no deviation. */
const INELIGIBLE = { ...DEFAULT_ASSESSMENT, category: null, coverage: 'NONE', monthlyAmount: 0 };

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
  const run: Run = { taskQueue: `application-${process.pid}-${++runs}`, started: [] };
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

async function deadlineOf(caseId: string, kind: FakeDeadline['kind'], n = 1): Promise<FakeDeadline> {
  return eventually(() => {
    const d = store.deadline(caseId, kind, n);
    if (!d) throw new Error(`no ${kind} deadline for ${caseId}`);
    return d;
  });
}

const calendar = () => new WorkingDayCalendar(store.calendarYears);

// ---- tests --------------------------------------------------------------------------------------------------------

describe('application workflow', () => {
  it('a. runs the happy path to approval and enrolment', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      expect(await activeSteps(c)).toEqual(['accept']);

      const afterAccept = await complete(c, 'accept', 'ACCEPTED');
      expect(afterAccept.activeSteps).toEqual(['homeVisit', 'economicCheck']);
      expect(afterAccept.status).toBe('IN_REVIEW');
      expect(afterAccept.openTasks.map((t) => t.taskId).sort()).toEqual(
        [taskId(c.caseId, 'economicCheck'), taskId(c.caseId, 'homeVisit')].sort(),
      );
      expect(await activeSteps(c)).toEqual(['homeVisit', 'economicCheck']);

      expect((await complete(c, 'homeVisit', 'DONE')).activeSteps).toEqual(['economicCheck']);
      const afterCheck = await complete(c, 'economicCheck', 'DONE');
      expect(afterCheck.activeSteps).toEqual(['firstReview']);
      expect(store.callsOf('assessCase', c.caseId)).toHaveLength(1);

      const afterReview = await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      const postedOn = closedOn(c.caseId, 'firstReview');
      expect(afterReview.activeSteps).toEqual(['publicity']);
      expect(afterReview.status).toBe('IN_PUBLICITY');
      expect(afterReview.openTasks).toEqual([]);
      expect((await deadlineOf(c.caseId, 'firstReviewOpinion')).status).toBe('met');

      await env.sleep(7 * DAY + HOUR);
      // Publicity ends at the end of the 7th day after posting, so it may still be running 7 days + 1 h after posting.
      await passPublicity(c, postedOn);
      const snap = await c.handle.query(snapshotQuery);
      expect(snap.status).toBe('AWAITING_DECISION');
      expect(snap.openTasks.map((t) => t.taskId)).toEqual([taskId(c.caseId, 'confirm')]);

      const { category, monthlyAmount } = store.defaultAssessment;
      await complete(c, 'confirm', 'APPROVED', { category, monthlyAmount });
      const decidedOn = closedOn(c.caseId, 'confirm');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });

      expect(store.callsOf('enrolRecipient', c.caseId)).toEqual([
        { caseId: c.caseId, decisionId: `${c.caseId}:decision:1` },
      ]);
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({ outcome: 'APPROVED', category, monthlyAmount, decidedOn }),
      ]);
      expect(store.recipients.get(c.caseId)).toMatchObject({ category, monthlyAmount });
      expect(store.case(c.caseId)).toMatchObject({
        status: 'APPROVED',
        activeSteps: [],
        acceptedOn: expect.any(String),
        decidedOn,
      });
      const deadlines = store.deadlinesOf(c.caseId);
      expect(deadlines.map((d) => d.kind).sort()).toEqual(['confirmation', 'firstReviewOpinion', 'wholeCase']);
      for (const d of deadlines)
        expect(d).toMatchObject({ status: 'met', metLate: false, statusHistory: ['pending', 'met'] });
      expect(store.noticesOf(c.caseId)).toEqual([]);
      expect(store.notificationsOf(c.caseId)).toEqual([]);
    }));

  it('b. publicity lasts 7 days, to the end of the 7th day after posting', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const postedOn = await toPublicity(c);

      await env.sleep(6 * DAY);
      expect(await activeSteps(c)).toEqual(['publicity']);
      expect((await c.handle.query(snapshotQuery)).status).toBe('IN_PUBLICITY');

      await sleepUntil(env, publicityEnd(postedOn) - 60_000);
      expect(await activeSteps(c)).toEqual(['publicity']);

      await env.sleep(2 * 60_000);
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      const confirmation = await deadlineOf(c.caseId, 'confirmation');
      expect(confirmation.startedOn).toBe(addCalendarDays(postedOn, 7));
      expect(confirmation.dueOn).toBe(
        calendar().addWorkingDays(addCalendarDays(postedOn, 7), applicationProcess.deadlines.confirmation.workingDays!)
          .due,
      );
    }));

  it('c. an objection during publicity reopens the investigation; outside publicity it is refused', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      await complete(c, 'accept', 'ACCEPTED');
      const early = await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, {
          args: [{ reason: 'neighbour says they own a car', actor: actor('caseworker') }],
        }),
        'WRONG_STATE',
      );
      expect(early.message).toMatch(/only during publicity/);

      await complete(c, 'homeVisit', 'DONE');
      await complete(c, 'economicCheck', 'DONE');
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      expect(await activeSteps(c)).toEqual(['publicity']);
      await env.sleep(2 * DAY);
      await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, { args: [{ reason: '  ', actor: actor('caseworker') }] }),
        'INVALID_COMPLETION',
      );

      expect(
        await c.handle.executeUpdate(fileObjectionUpdate, {
          args: [{ reason: 'neighbour says they own a car', actor: actor('caseworker') }],
        }),
      ).toEqual({ accepted: true });
      const snap = await c.handle.query(snapshotQuery);
      expect(snap.status).toBe('IN_REVIEW');
      expect(snap.activeSteps).toEqual(['homeVisit', 'economicCheck']);
      expect(snap.openTasks.map((t) => t.taskId).sort()).toEqual(
        [taskId(c.caseId, 'economicCheck', 2), taskId(c.caseId, 'homeVisit', 2)].sort(),
      );
      expect(
        store
          .openTasksOf(c.caseId)
          .map((t) => t.taskId)
          .sort(),
      ).toEqual(snap.openTasks.map((t) => t.taskId).sort());

      await complete(c, 'homeVisit', 'DONE', {}, { n: 2 });
      await complete(c, 'economicCheck', 'DONE', {}, { n: 2 });
      expect(store.callsOf('assessCase', c.caseId)).toHaveLength(2);
      const again = await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', {}, { n: 2 });
      const postedAgainOn = closedOn(c.caseId, 'firstReview', 2);
      expect(again.activeSteps).toEqual(['publicity']);
      expect(again.status).toBe('IN_PUBLICITY');

      // The second publicity runs its full 7 days from the new posting.
      await sleepUntil(env, publicityEnd(postedAgainOn) - HOUR);
      expect(await activeSteps(c)).toEqual(['publicity']);
      await passPublicity(c, postedAgainOn);
      await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, { args: [{ reason: 'too late', actor: actor('caseworker') }] }),
        'WRONG_STATE',
      );
    }));

  it('d. refusal: the notice deadline runs 3 working days, goes overdue, then is met late', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      store.assessments.set(c.caseId, INELIGIBLE);
      const postedOn = await toPublicity(c);
      await passPublicity(c, postedOn);

      const snap = await complete(c, 'confirm', 'REFUSED', { reasons: ['income above the dibao standard'] });
      const decidedOn = closedOn(c.caseId, 'confirm');
      expect(snap.status).toBe('REFUSED');
      expect(snap.activeSteps).toEqual(['refusalNotice']);
      expect(snap.openTasks.map((t) => t.taskId)).toEqual([taskId(c.caseId, 'refusalNotice')]);

      const due = calendar().addWorkingDays(decidedOn, applicationProcess.deadlines.refusalNotice.workingDays!);
      const deadline = await deadlineOf(c.caseId, 'refusalNotice');
      expect(deadline).toMatchObject({
        status: 'pending',
        startedOn: decidedOn,
        workingDays: 3,
        dueOn: due.due,
        dueAt: due.dueAt,
        taskId: taskId(c.caseId, 'refusalNotice'),
      });
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))?.dueAt).toBe(due.dueAt);
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({ outcome: 'REFUSED', reasons: ['income above the dibao standard'], decidedOn }),
      ]);
      expect(store.noticesOf(c.caseId)).toEqual([
        expect.objectContaining({ noticeId: `${c.caseId}:REFUSAL:1`, status: 'DRAFT' }),
      ]);

      // Just before the end of the 3rd working day: still pending.
      await sleepUntil(env, Date.parse(due.dueAt) - HOUR);
      expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('pending');
      await sleepUntil(env, Date.parse(due.dueAt) + HOUR);
      await eventually(() => expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('overdue'));
      expect(store.callsOf('markDeadlineOverdue', c.caseId)).toEqual([
        expect.objectContaining({ kind: 'refusalNotice', dueOn: due.due }),
      ]);
      expect(store.notificationsOf(c.caseId)).toEqual([
        expect.objectContaining({ kind: 'refusalNotice', dueOn: due.due, to: 'supervisor', regionCode: REGION }),
      ]);
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))?.status).toBe('OPEN');
      expect((await c.handle.query(snapshotQuery)).openTasks.map((t) => t.type)).toEqual(['refusalNotice']);

      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({
        status: 'met',
        metLate: true,
        statusHistory: ['pending', 'overdue', 'met'],
      });
      expect(store.callsOf('issueNotice', c.caseId)).toHaveLength(1);
      expect(store.noticesOf(c.caseId)[0]).toMatchObject({ status: 'ISSUED', issuedBy: 'u1' });
      expect(store.callsOf('enrolRecipient', c.caseId)).toEqual([]);
    }));

  it('e. refusal notice issued in time: the deadline is met, not late, never overdue', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      store.assessments.set(c.caseId, INELIGIBLE);
      const postedOn = await toPublicity(c);
      await passPublicity(c, postedOn);
      await complete(c, 'confirm', 'REFUSED', { reasons: ['assets above the limit'] });
      await deadlineOf(c.caseId, 'refusalNotice');
      await env.sleep(HOUR);
      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({
        status: 'met',
        metLate: false,
        statusHistory: ['pending', 'met'],
      });
      expect(store.callsOf('markDeadlineOverdue', c.caseId)).toEqual([]);
      expect(store.notificationsOf(c.caseId)).toEqual([]);
      expect(store.callsOf('issueNotice', c.caseId)).toHaveLength(1);
    }));

  it('f. policy example: refused on 2026-09-30, the notice is due by the end of 2026-10-10 (a make-up Saturday)', () =>
    withWorker(async (run) => {
      expect((await today()) > '2026-10-10').toBe(true); // the example is back-dated, so it must lie in the past
      const c = await startCase(run, { receivedOn: '2026-09-01' });
      store.assessments.set(c.caseId, INELIGIBLE);
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_REFUSAL', { effectiveOn: '2026-09-10' });
      // Publicity posted on 2026-09-10 ended with 2026-09-17: the case goes straight on to confirmation.
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      expect((await deadlineOf(c.caseId, 'confirmation')).startedOn).toBe('2026-09-17');
      await complete(c, 'confirm', 'REFUSED', {
        reasons: ['income above the dibao standard'],
        effectiveOn: '2026-09-30',
      });

      const deadline = await deadlineOf(c.caseId, 'refusalNotice');
      expect(deadline).toMatchObject({
        startedOn: '2026-09-30',
        dueOn: '2026-10-10',
        dueAt: '2026-10-10T15:59:59.999Z',
        provisional: false,
      });
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))).toMatchObject({
        status: 'OPEN',
        dueAt: '2026-10-10T15:59:59.999Z',
      });
      await eventually(() => expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('overdue'));
      expect(store.notificationsOf(c.caseId)).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'refusalNotice', dueOn: '2026-10-10' })]),
      );
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({ outcome: 'REFUSED', decidedOn: '2026-09-30' });
      expect(store.case(c.caseId)).toMatchObject({ acceptedOn: '2026-09-02', decidedOn: '2026-09-30' });

      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({ status: 'met', metLate: true });
    }));

  it('g. the completion validator refuses bad requests with typed failures', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const send = (id: string, outcome: string, data: Record<string, unknown>, role: Role) =>
        c.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome, data, actor: actor(role) }] });
      const accept = taskId(c.caseId, 'accept');

      await expectRejected(send(`${c.caseId}:accept:9`, 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_FOUND');
      await expectRejected(send(taskId(randomUUID(), 'accept'), 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_FOUND');
      await expectRejected(send(accept, 'DONE', {}, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(send(accept, 'ACCEPTED', {}, 'reviewer'), 'FORBIDDEN');
      await expectRejected(send(accept, 'RETURNED', {}, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(send(accept, 'RETURNED', { missingDocuments: [] }, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(
        send(accept, 'ACCEPTED', { effectiveOn: addCalendarDays(await today(), 1) }, 'caseworker'),
        'INVALID_COMPLETION',
      );
      await expectRejected(
        send(accept, 'ACCEPTED', { effectiveOn: addCalendarDays(c.input.receivedOn, -1) }, 'caseworker'),
        'INVALID_COMPLETION',
      );
      await expectRejected(send(accept, 'ACCEPTED', { unexpected: true }, 'caseworker'), 'INVALID_COMPLETION');
      // None of the refusals touched the case.
      expect(store.tasks.get(accept)?.status).toBe('OPEN');
      expect(store.callsOf('closeTask', c.caseId)).toEqual([]);

      await send(accept, 'ACCEPTED', {}, 'caseworker');
      await expectRejected(send(accept, 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_OPEN');
      expect(store.callsOf('closeTask', c.caseId)).toHaveLength(1);
      // admin may act for any role
      await send(taskId(c.caseId, 'homeVisit'), 'DONE', {}, 'admin');
      await complete(c, 'economicCheck', 'DONE');
      await expectRejected(send(taskId(c.caseId, 'firstReview'), 'RECOMMEND_APPROVAL', {}, 'caseworker'), 'FORBIDDEN');
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      await passPublicity(c, closedOn(c.caseId, 'firstReview'));

      const confirm = taskId(c.caseId, 'confirm');
      const { category, monthlyAmount } = store.defaultAssessment;
      await expectRejected(send(confirm, 'APPROVED', { category, monthlyAmount }, 'reviewer'), 'FORBIDDEN');
      await expectRejected(send(confirm, 'REFUSED', {}, 'county_officer'), 'INVALID_COMPLETION');
      const deviation = await expectRejected(
        send(confirm, 'APPROVED', { category, monthlyAmount: monthlyAmount + 100 }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(deviation.message).toMatch(/deviationReason/);
      expect(deviation.details).toEqual([{ assessed: { category, monthlyAmount } }]);
      await expectRejected(
        send(confirm, 'APPROVED', { category: 'TEKUN', monthlyAmount }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(store.decisionsOf(c.caseId)).toEqual([]);

      await send(
        confirm,
        'APPROVED',
        { category, monthlyAmount: monthlyAmount + 100, deviationReason: 'medical costs not in the data' },
        'county_officer',
      );
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({
          monthlyAmount: monthlyAmount + 100,
          deviationReason: 'medical costs not in the data',
        }),
      ]);
    }));

  it('h. returned at acceptance: the case ends RETURNED with no deadlines', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const snap = await complete(c, 'accept', 'RETURNED', {
        missingDocuments: ['household register', 'income certificate'],
      });
      expect(snap.status).toBe('RETURNED');
      expect(snap.openTasks).toEqual([]);
      expect(await c.handle.result()).toEqual({ status: 'RETURNED' });
      expect(store.deadlinesOf(c.caseId)).toEqual([]);
      expect(store.callsOf('upsertDeadline', c.caseId)).toEqual([]);
      expect(store.case(c.caseId)).toMatchObject({
        status: 'RETURNED',
        returnedMissing: ['household register', 'income certificate'],
      });
      expect(store.tasks.get(taskId(c.caseId, 'accept'))).toMatchObject({ status: 'COMPLETED', outcome: 'RETURNED' });
      expect(store.callsOf('assessCase', c.caseId)).toEqual([]);
    }));

  it('i. the whole-case limit can be extended once by 15 working days', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      await complete(c, 'accept', 'ACCEPTED');
      const acceptedOn = closedOn(c.caseId, 'accept');
      expect(store.case(c.caseId).acceptedOn).toBe(acceptedOn);
      const cal = calendar();
      const before = await deadlineOf(c.caseId, 'wholeCase');
      expect(before.dueOn).toBe(cal.addWorkingDays(acceptedOn, 30).due);

      await expectRejected(
        c.handle.executeUpdate(extendCaseUpdate, { args: [{ reason: ' ', actor: actor('county_officer') }] }),
        'INVALID_COMPLETION',
      );
      const extended = await c.handle.executeUpdate(extendCaseUpdate, {
        args: [{ reason: 'cross-department data delayed', actor: actor('county_officer') }],
      });
      const expected = cal.addWorkingDays(acceptedOn, 45);
      expect(extended).toEqual({ dueOn: expected.due });
      await eventually(() =>
        expect(store.deadline(c.caseId, 'wholeCase')).toMatchObject({
          status: 'pending',
          dueOn: expected.due,
          dueAt: expected.dueAt,
          extensionDays: 15,
          extensionReason: 'cross-department data delayed',
        }),
      );
      expect(store.deadline(c.caseId, 'wholeCase')?.dueHistory).toEqual([before.dueHistory[0], expected.due]);
      expect(cal.workingDaysBetween(before.dueHistory[0], expected.due)).toBe(15);

      const second = await expectRejected(
        c.handle.executeUpdate(extendCaseUpdate, {
          args: [{ reason: 'still waiting', actor: actor('county_officer') }],
        }),
        'WRONG_STATE',
      );
      expect(second.message).toMatch(/already been extended/);
      expect(store.deadline(c.caseId, 'wholeCase')?.dueOn).toBe(expected.due);
    }));
});
