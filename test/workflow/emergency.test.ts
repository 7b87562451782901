// The emergency workflow against the time-skipping test server, with in-memory activities: the advance, its
// justification on time and late, staged assistance stopped early, the hand-off to a regular application and to a
// case conference. Long waits are passed with env.sleep; Updates are sent while no timer needs to pass.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type emergency } from '../../processes/emergency/workflow';
import { type EmergencyInput } from '../../processes/emergency/messages';
import { activeStepsQuery, completeTaskUpdate, snapshotQuery, type CaseSnapshot } from '../../engine/messages';
import {
  addCalendarDays,
  shanghaiDate,
  startOfDayShanghai,
  WorkingDayCalendar,
  type IsoDate,
} from '../../domain/calendar';
import { shiftMonth } from '../../domain/dates';
import { advancePaymentId, conferenceRaisePaymentId, stagePaymentId } from '../../domain/emergency';
import { type Department, type Role } from '../../domain/glossary';
import { createFakeActivities, FakeStore } from './fake-activities';
import { emergencyOf } from './fake-emergency';
import { startTimeSkipping, eventually, expectRejected, resultWithoutSkipping, sleepUntil } from './env';

jest.setTimeout(180_000);

const REGION = '410721100';
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
const fakes = emergencyOf(store);

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

// ---- helpers ------------------------------------------------------------------------------------------------------

type Handle = WorkflowHandle<typeof emergency>;
interface Case {
  caseId: string;
  handle: Handle;
  input: EmergencyInput;
}
interface Run {
  taskQueue: string;
  started: WorkflowHandle[];
}

const actor = (role: Role, department?: Department) => ({
  sub: `u-${role}`,
  role,
  region: role === 'county_officer' ? '410721' : REGION,
  ...(department ? { department } : {}),
});
const taskId = (caseId: string, type: string, n = 1) => `${caseId}:${type}:${n}`;
const calendar = () => new WorkingDayCalendar(store.calendarYears);
const today = async (): Promise<IsoDate> => shanghaiDate(await env.currentTimeMs());

let runs = 0;
async function withWorker(body: (run: Run) => Promise<void>): Promise<void> {
  const run: Run = { taskQueue: `emergency-${process.pid}-${++runs}`, started: [] };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: run.taskQueue,
    workflowBundle: bundle,
    activities: createFakeActivities(store),
  });
  try {
    await worker.runUntil(body(run));
  } finally {
    for (const h of run.started) {
      const { status } = await h.describe();
      if (status.name === 'RUNNING') await h.terminate('test over');
    }
  }
}

/** Starts an emergency and waits until the advance is paid and the justification task is open. */
async function report(run: Run, amount = 420): Promise<Case> {
  const caseId = randomUUID();
  const input: EmergencyInput = {
    caseId,
    regionCode: REGION,
    receivedOn: await today(),
    advance: { amount, cap: 420, policyVersionId: '410721-2025-01' },
    justificationWorkingDays: 5,
    requestedBy: actor('caseworker'),
  };
  const handle = await env.client.workflow.start<typeof emergency>('emergency', {
    taskQueue: run.taskQueue,
    workflowId: `emergency-${caseId}`,
    args: [input],
  });
  run.started.push(handle);
  await eventually(async () =>
    expect((await handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([
      taskId(caseId, 'justification'),
    ]),
  );
  return { caseId, handle, input };
}

function complete(
  c: { caseId: string; handle: WorkflowHandle },
  type: string,
  outcome: string,
  data: Record<string, unknown> = {},
  opts: { n?: number; actor?: ReturnType<typeof actor> } = {},
): Promise<CaseSnapshot> {
  return c.handle.executeUpdate(completeTaskUpdate, {
    args: [
      {
        taskId: taskId(c.caseId, type, opts.n),
        outcome,
        data,
        actor: opts.actor ?? actor(type === 'stagedAssistance' ? 'reviewer' : 'caseworker'),
      },
    ],
  });
}

const justification = { facts: '3 Nov: house fire, family of three without shelter', amountPaid: 420 };

// ---- tests --------------------------------------------------------------------------------------------------------

describe('emergency workflow', () => {
  it('pays an advance within the cap at once and is justified on time (deadlines met)', () =>
    withWorker(async (run) => {
      const c = await report(run);
      const paidOn = await today();
      expect(fakes.payments.get(advancePaymentId(c.caseId))).toMatchObject({
        kind: 'EMERGENCY_ADVANCE',
        amount: 420,
        month: paidOn.slice(0, 7),
        paidOn,
      });
      expect(await c.handle.query(activeStepsQuery)).toEqual(['justification']);
      expect(store.case(c.caseId).status).toBe('ADVANCE_PAID');
      // Handled within 3 calendar days of the request, met by the payment.
      await eventually(() =>
        expect(store.deadline(c.caseId, 'emergencyHandling')).toMatchObject({
          status: 'met',
          metLate: false,
          calendarDays: 3,
          dueOn: addCalendarDays(c.input.receivedOn, 3),
          metOn: paidOn,
        }),
      );
      const due = calendar().addWorkingDays(paidOn, 5);
      expect(store.deadline(c.caseId, 'justification')).toMatchObject({
        status: 'pending',
        workingDays: 5,
        dueOn: due.due,
        taskId: taskId(c.caseId, 'justification'),
      });
      expect(store.tasks.get(taskId(c.caseId, 'justification'))?.dueAt).toBe(due.dueAt);

      // The amount paid must be the advance on record; a reviewer may not justify.
      const wrong = await expectRejected(
        complete(c, 'justification', 'NO_FURTHER_HELP', { ...justification, amountPaid: 400 }),
        'INVALID_COMPLETION',
      );
      expect(wrong.message).toMatch(/differs from the advance recorded \(420/);
      await expectRejected(
        complete(c, 'justification', 'NO_FURTHER_HELP', justification, { actor: actor('reviewer') }),
        'FORBIDDEN',
      );

      const snap = await complete(c, 'justification', 'NO_FURTHER_HELP', justification);
      expect(snap).toMatchObject({ status: 'JUSTIFIED', openTasks: [] });
      expect(await c.handle.result()).toEqual({ status: 'JUSTIFIED', outcome: 'NO_FURTHER_HELP' });
      expect(fakes.justifications.get(c.caseId)).toMatchObject({
        outcome: 'NO_FURTHER_HELP',
        amountPaid: 420,
        facts: justification.facts,
      });
      expect(store.deadline(c.caseId, 'justification')).toMatchObject({
        status: 'met',
        metLate: false,
        statusHistory: ['pending', 'met'],
      });
      expect(store.notificationsOf(c.caseId)).toEqual([]);
      expect(fakes.paymentsOf(c.caseId)).toHaveLength(1);
    }));

  it('a justification missing at the deadline goes overdue, tells the supervisor, stays open, and is met late', () =>
    withWorker(async (run) => {
      const c = await report(run);
      const due = calendar().addWorkingDays(await today(), 5);
      await sleepUntil(env, Date.parse(due.dueAt) - HOUR);
      expect(store.deadline(c.caseId, 'justification')?.status).toBe('pending');

      await sleepUntil(env, Date.parse(due.dueAt) + HOUR);
      await eventually(() => expect(store.deadline(c.caseId, 'justification')?.status).toBe('overdue'));
      expect(store.notificationsOf(c.caseId)).toEqual([
        expect.objectContaining({ kind: 'justification', to: 'supervisor', regionCode: REGION, dueOn: due.due }),
      ]);
      expect((await c.handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([
        taskId(c.caseId, 'justification'),
      ]);
      expect(store.tasks.get(taskId(c.caseId, 'justification'))?.status).toBe('OPEN');

      await complete(c, 'justification', 'NO_FURTHER_HELP', justification);
      await c.handle.result();
      expect(store.deadline(c.caseId, 'justification')).toMatchObject({ status: 'met', metLate: true });
      expect(store.deadline(c.caseId, 'justification')?.statusHistory.slice(0, 2)).toEqual(['pending', 'overdue']);
      expect(store.deadline(c.caseId, 'justification')?.statusHistory.at(-1)).toBe('met');
    }));

  it('runs a 3-stage plan, reviewed before each stage, stopped after stage 2: two STAGE payments and no third', () =>
    withWorker(async (run) => {
      const c = await report(run);
      const snap = await complete(c, 'justification', 'STAGED_ASSISTANCE', {
        ...justification,
        stages: [{ amount: 300 }, { amount: 200 }, { amount: 150 }],
      });
      const approvedOn = shanghaiDate(store.tasks.get(taskId(c.caseId, 'justification'))!.closedAt!);
      const month1 = approvedOn.slice(0, 7);
      expect(snap).toMatchObject({
        status: 'IN_STAGES',
        activeSteps: ['stagedAssistance'],
        openTasks: [{ taskId: taskId(c.caseId, 'stagedAssistance', 1) }],
      });
      const planId = `${c.caseId}:plan:1`;
      expect(fakes.plans.get(planId)?.stages.map((s) => [s.month, s.amount])).toEqual([
        [month1, 300],
        [shiftMonth(month1, 1), 200],
        [shiftMonth(month1, 2), 150],
      ]);
      expect(store.tasks.get(taskId(c.caseId, 'stagedAssistance', 1))?.candidateRole).toBe('reviewer');
      expect(store.deadline(c.caseId, 'stageReview')).toMatchObject({ status: 'pending', workingDays: 3 });

      // Stage 1: continue → paid at once in the approval month; then the process waits for next month.
      await expectRejected(
        complete(c, 'stagedAssistance', 'CONTINUE', {}, { actor: actor('caseworker') }),
        'FORBIDDEN',
      );
      expect((await complete(c, 'stagedAssistance', 'CONTINUE')).activeSteps).toEqual(['nextStage']);
      expect(fakes.payments.get(stagePaymentId(c.caseId, 1))).toMatchObject({
        kind: 'STAGE',
        amount: 300,
        month: month1,
        details: { stage: 1, planId },
      });
      expect(store.openTasksOf(c.caseId)).toEqual([]);

      // Stage 2 opens on the first day of the next month; the reviewer lowers the amount (a plan change, with its
      // reason).
      const month2Start = startOfDayShanghai(`${shiftMonth(month1, 1)}-01`).getTime();
      await sleepUntil(env, month2Start - HOUR);
      expect(await c.handle.query(activeStepsQuery)).toEqual(['nextStage']);
      await sleepUntil(env, month2Start + HOUR);
      await eventually(async () =>
        expect((await c.handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([
          taskId(c.caseId, 'stagedAssistance', 2),
        ]),
      );
      await expectRejected(
        complete(c, 'stagedAssistance', 'CHANGE_AMOUNT', { newAmount: 250 }, { n: 2 }),
        'INVALID_COMPLETION',
      );
      await complete(
        c,
        'stagedAssistance',
        'CHANGE_AMOUNT',
        { newAmount: 250, reason: 'hospital bill lower than estimated' },
        { n: 2 },
      );
      expect(fakes.payments.get(stagePaymentId(c.caseId, 2))).toMatchObject({
        kind: 'STAGE',
        amount: 250,
        month: shiftMonth(month1, 1),
      });

      // Stage 3: stopped early.
      await sleepUntil(env, startOfDayShanghai(`${shiftMonth(month1, 2)}-01`).getTime() + HOUR);
      await eventually(async () =>
        expect((await c.handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([
          taskId(c.caseId, 'stagedAssistance', 3),
        ]),
      );
      await complete(c, 'stagedAssistance', 'STOP', { reason: 'father back at work' }, { n: 3 });
      expect(await c.handle.result()).toEqual({ status: 'CLOSED', outcome: 'STAGED_ASSISTANCE', stagesPaid: 2 });

      expect(fakes.paymentsOf(c.caseId).map((p) => `${p.kind}:${p.amount}`)).toEqual([
        'EMERGENCY_ADVANCE:420',
        'STAGE:300',
        'STAGE:250',
      ]);
      expect(fakes.payments.has(stagePaymentId(c.caseId, 3))).toBe(false);
      expect(fakes.plans.get(planId)).toMatchObject({
        status: 'STOPPED',
        stages: [
          { status: 'PAID', amount: 300 },
          { status: 'PAID', amount: 250 },
          { status: 'CANCELLED', amount: 150 },
        ],
      });
      expect(fakes.planChanges.filter((u) => u.planId === planId && u.change !== 'PAID')).toEqual([
        expect.objectContaining({
          change: 'CHANGE_AMOUNT',
          stage: 2,
          amount: 250,
          reason: 'hospital bill lower than estimated',
          actor: expect.objectContaining({ role: 'reviewer' }),
        }),
        expect.objectContaining({ change: 'STOP', stage: 3, reason: 'father back at work' }),
      ]);
      expect(
        store
          .deadlinesOf(c.caseId)
          .filter((d) => d.kind === 'stageReview')
          .map((d) => d.status),
      ).toEqual(['met', 'met', 'met']);
    }));

  it('regular assistance continues as a normal review: the application workflow on a new case of the household', () =>
    withWorker(async (run) => {
      const c = await report(run);
      await complete(c, 'justification', 'REGULAR_ASSISTANCE', justification);
      const result = await resultWithoutSkipping<Awaited<ReturnType<typeof emergency>>>(env, c.handle);
      expect(result).toMatchObject({
        status: 'JUSTIFIED',
        outcome: 'REGULAR_ASSISTANCE',
        followUpCaseId: expect.any(String),
      });
      const appCaseId = result.followUpCaseId!;
      expect(fakes.applications.get(appCaseId)).toMatchObject({ emergencyCaseId: c.caseId, caseId: appCaseId });
      const app = env.client.workflow.getHandle(`application-${appCaseId}`);
      run.started.push(app);
      // The application outlives the emergency and waits for acceptance like any other.
      await eventually(async () =>
        expect((await app.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([taskId(appCaseId, 'accept')]),
      );
      expect((await app.describe()).status.name).toBe('RUNNING');
    }));

  // Written last: the hand-off to the conference workflow of workflows/case-conference.ts, no stub in between.
  it('a justification that opens a case conference acts on its decision: a raised amount is paid', () =>
    withWorker(async (run) => {
      const c = await report(run);
      const snap = await complete(c, 'justification', 'CASE_CONFERENCE', {
        ...justification,
        conference: {
          reason: 'burns need long treatment; costs far above the advance',
          proposal: 'raise by 1500',
          departments: ['HEALTH'],
        },
      });
      expect(snap).toMatchObject({ status: 'JUSTIFIED', activeSteps: ['caseConference'] });
      const conferenceId = fakes.handOffs.get(c.caseId)!.conferenceId;
      const conference = {
        caseId: conferenceId,
        handle: env.client.workflow.getHandle(`caseConference-${conferenceId}`),
      };
      run.started.push(conference.handle);
      await eventually(() =>
        expect(
          store
            .openTasksOf(conferenceId)
            .map((t) => t.type)
            .sort(),
        ).toEqual(['caseConference', 'conferenceOpinion']),
      );

      await complete(
        conference,
        'conferenceOpinion',
        'GIVEN',
        { opinion: '医疗救助可承担部分费用' },
        { actor: actor('department', 'HEALTH') },
      );
      await complete(
        conference,
        'caseConference',
        'RAISE_AMOUNT',
        { raisedAmount: 1500, notes: '一事一议提高救助额' },
        { actor: actor('county_officer') },
      );

      expect(await c.handle.result()).toEqual({ status: 'JUSTIFIED', outcome: 'CASE_CONFERENCE', conferenceId });
      expect(fakes.conferenceDecisions.get(c.caseId)?.decision).toMatchObject({
        conferenceId,
        outcome: 'RAISE_AMOUNT',
        raisedAmount: 1500,
        missingOpinions: [],
      });
      expect(fakes.payments.get(conferenceRaisePaymentId(c.caseId, conferenceId))).toMatchObject({
        kind: 'CONFERENCE_RAISE',
        amount: 1500,
      });
      expect(fakes.paymentsOf(c.caseId).map((p) => p.kind)).toEqual(['EMERGENCY_ADVANCE', 'CONFERENCE_RAISE']);
    }));
});
