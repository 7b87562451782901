// The recipient workflow over years on the time-skipping test server, with in-memory activities. Long waits
// (anniversaries, periodic checks, publicity) are passed with env.sleep; Updates are sent while no timer needs to pass.
// RECORD_HISTORIES=1 rewrites test/workflow/histories/recipient-*.json from the three-year run (replay.test.ts replays
// them).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type recipient } from '../../processes/recipient/workflow';
import { type RecipientInput } from '../../processes/recipient/messages';
import { recipientQuery, reportChangeUpdate } from '../../processes/recipient/messages';
import { type application } from '../../processes/application/workflow';
import { fileObjectionUpdate } from '../../engine/messages';
import { activeStepsQuery, completeTaskUpdate, snapshotQuery, type CaseSnapshot } from '../../engine/messages';
import {
  addCalendarDays,
  endOfDayShanghai,
  shanghaiDate,
  startOfDayShanghai,
  type IsoDate,
} from '../../domain/calendar';
import { TASKS } from '../../processes';
import { type Role } from '../../domain/glossary';
import { addMonths, addYears, monthAfter } from '../../domain/dates';
import { recipientProcess, TEKUN_TERMINATION_PUBLICITY_CALENDAR_DAYS } from '../../processes/recipient/definition';
import { createFakeActivities, FakeStore } from './fake-activities';
import { recipientsOf } from './fake-recipient';
import { startTimeSkipping, eventually, expectRejected, resultWithoutSkipping, sleepUntil } from './env';

jest.setTimeout(240_000);

const REGION = '410721100';
const HOUR = 3_600_000;
const MAX_EVENTS_PER_RUN = 2_000;
const HISTORIES = join(__dirname, 'histories');

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
const rs = recipientsOf(store);

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

type Handle = WorkflowHandle<typeof recipient>;
interface R {
  id: string;
  handle: Handle;
  input: RecipientInput;
}
let queues = 0;

async function withWorker(body: (taskQueue: string, started: Handle[]) => Promise<void>): Promise<void> {
  const taskQueue = `recipient-${process.pid}-${++queues}`;
  const started: Handle[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: createFakeActivities(store),
  });
  await worker.runUntil(async () => {
    try {
      await body(taskQueue, started);
    } finally {
      // Left running, their timers would wake during later time skips. Terminated while the worker still runs: a task
      // left pending for a worker that is gone would keep the test server's time locked for the rest of the file.
      for (const h of started) if ((await h.describe()).status.name === 'RUNNING') await h.terminate('test over');
    }
  });
}

const today = async (): Promise<IsoDate> => shanghaiDate(await env.currentTimeMs());
const actor = (role: Role) => ({ sub: `u-${role}`, role, region: REGION });
const taskId = (r: R, type: string, n: number) => `${r.id}:${type}:${n}`;

async function startRecipient(
  taskQueue: string,
  started: Handle[],
  overrides: Partial<RecipientInput> = {},
): Promise<R> {
  const id = randomUUID();
  const input: RecipientInput = {
    recipientId: id,
    caseId: id,
    regionCode: REGION,
    category: 'DIBAO',
    monthlyAmount: 300,
    determinedOn: await today(),
    householdType: 'UNSTABLE',
    minorsTurning18: [],
    ...overrides,
  };
  const handle = await env.client.workflow.start<typeof recipient>('recipient', {
    taskQueue,
    workflowId: `recipient-${id}`,
    args: [input],
  });
  started.push(handle);
  await eventually(async () => expect((await handle.query(recipientQuery)).nextCheck).not.toBeNull());
  return { id, handle, input };
}

function complete(
  r: R,
  type: string,
  n: number,
  outcome: string,
  data: Record<string, unknown> = {},
  role: Role = TASKS[type].candidateRole,
): Promise<CaseSnapshot> {
  return r.handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: taskId(r, type, n), outcome, data, actor: actor(role) }],
  });
}

const openTasks = async (r: R) => (await r.handle.query(snapshotQuery)).openTasks.map((t) => t.taskId).sort();

async function runIdNow(r: R): Promise<string> {
  return (await r.handle.describe()).runId;
}

async function historyOf(workflowId: string, runId: string) {
  return env.client.workflow.getHandle(workflowId, runId).fetchHistory();
}

function saveHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  const H = temporal.api.history.v1.History;
  writeFileSync(
    join(HISTORIES, name),
    `${JSON.stringify(H.toObject(H.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1)}\n`,
  );
}

describe('recipient workflow', () => {
  it(
    'a. three years: half-yearly checks, a change report with an adjustment, two annual rechecks, termination ' +
      'with notice; each run < 2,000 events',
    () =>
      withWorker(async (q, started) => {
        const r = await startRecipient(q, started, { householdType: 'UNSTABLE' });
        const D = r.input.determinedOn;
        const runs = [await runIdNow(r)];

        // Year 1: the half-yearly periodic check, then a change reported by the village assistant (the check opens at
        // once).
        expect(await r.handle.query(recipientQuery)).toMatchObject({
          cycle: 1,
          nextCheck: { type: 'periodicCheck', on: addMonths(D, 6) },
        });
        await sleepUntil(env, startOfDayShanghai(addMonths(D, 6)).getTime() + HOUR);
        await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'periodicCheck', 1)]));
        expect(await r.handle.query(activeStepsQuery)).toEqual(['periodicCheck']);
        expect(store.deadline(r.id, 'periodicCheck')).toMatchObject({
          status: 'pending',
          startedOn: addMonths(D, 6),
          workingDays: recipientProcess.deadlines.periodicCheck.workingDays,
        });
        let snap = await complete(r, 'periodicCheck', 1, 'KEEP', { findings: '收入无变化' });
        expect(snap).toMatchObject({ status: 'ACTIVE', openTasks: [] });
        expect(store.deadline(r.id, 'periodicCheck')?.status).toBe('met');

        const opened = await r.handle.executeUpdate(reportChangeUpdate, {
          args: [{ report: { description: '家庭成员外出务工，收入增加' }, actor: actor('village_assistant') }],
        });
        expect(opened).toEqual({ checkId: `${r.id}:check:2`, taskId: taskId(r, 'changeReport', 1) });
        expect(rs.checks.get(opened.checkId)).toMatchObject({
          type: 'changeReport',
          trigger: 'CHANGE_REPORT',
          report: { description: '家庭成员外出务工，收入增加' },
        });
        expect(store.deadline(r.id, 'changeCheck')).toMatchObject({
          status: 'pending',
          workingDays: recipientProcess.deadlines.changeCheck.workingDays,
        });
        // no newMonthlyAmount
        await expectRejected(complete(r, 'changeReport', 1, 'ADJUST', { reason: 'x' }), 'INVALID_COMPLETION');
        await expectRejected(
          complete(r, 'changeReport', 1, 'CHANGE_CATEGORY', { category: 'DIBAO', newMonthlyAmount: 1, reason: 'x' }),
          'INVALID_COMPLETION',
        );
        await expectRejected(complete(r, 'changeReport', 1, 'KEEP', {}, 'village_assistant'), 'FORBIDDEN');
        const adjustedOn = await today();
        snap = await complete(r, 'changeReport', 1, 'ADJUST', {
          newMonthlyAmount: 250,
          reason: '务工收入增加，补差减少',
        });
        expect(snap.status).toBe('ACTIVE');
        expect(rs.amounts.get(r.id)).toEqual([
          { fromMonth: monthAfter(adjustedOn), category: 'DIBAO', amount: 250, source: opened.checkId },
        ]);
        expect(await r.handle.query(recipientQuery)).toMatchObject({
          monthlyAmount: 250,
          nextCheck: { type: 'annualRecheck', on: addYears(D, 1) },
        });

        // First anniversary: the annual recheck; once it is done and nothing is open, the run continues as new.
        await sleepUntil(env, startOfDayShanghai(addYears(D, 1)).getTime() + HOUR);
        await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'annualRecheck', 1)]));
        expect(store.deadline(r.id, 'annualRecheck')).toMatchObject({
          startedOn: addYears(D, 1),
          workingDays: recipientProcess.deadlines.annualRecheck.workingDays,
        });
        await complete(r, 'annualRecheck', 1, 'KEEP');
        await eventually(async () => expect(await runIdNow(r)).not.toBe(runs[0]));
        runs.push(await runIdNow(r));
        // State carried over: amount, cycle, and the sequence numbers (the next periodic check is number 2, not 1).
        await eventually(async () =>
          expect(await r.handle.query(recipientQuery)).toMatchObject({
            cycle: 2,
            monthlyAmount: 250,
            nextCheck: { type: 'periodicCheck', on: addMonths(D, 18) },
          }),
        );

        // Year 2: periodic check, then the second annual recheck.
        await sleepUntil(env, startOfDayShanghai(addMonths(D, 18)).getTime() + HOUR);
        await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'periodicCheck', 2)]));
        await complete(r, 'periodicCheck', 2, 'KEEP');
        await sleepUntil(env, startOfDayShanghai(addYears(D, 2)).getTime() + HOUR);
        await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'annualRecheck', 2)]));
        await complete(r, 'annualRecheck', 2, 'KEEP');
        await eventually(async () => expect(await runIdNow(r)).not.toBe(runs[1]));
        runs.push(await runIdNow(r));

        // Year 3: the half-yearly check finds the household no longer eligible: termination with a written notice.
        await sleepUntil(env, startOfDayShanghai(addMonths(D, 30)).getTime() + HOUR);
        await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'periodicCheck', 3)]));
        const terminatedOn = await today();
        snap = await complete(r, 'periodicCheck', 3, 'TERMINATE', { reasons: ['家庭人均收入已高于当地低保标准'] });
        expect(snap).toMatchObject({
          status: 'TERMINATED',
          activeSteps: ['terminate'],
          openTasks: [{ taskId: taskId(r, 'terminate', 1), type: 'terminate' }],
        });
        expect(rs.terminations.get(r.id)).toMatchObject({
          terminatedOn,
          stopMonth: monthAfter(terminatedOn),
          reasons: ['家庭人均收入已高于当地低保标准'],
        });
        expect(rs.notices.get(`${r.id}:TERMINATION:1`)).toMatchObject({
          terminatedOn,
          reasons: ['家庭人均收入已高于当地低保标准'],
        });
        expect(store.deadline(r.id, 'terminationNotice')).toMatchObject({
          status: 'pending',
          startedOn: terminatedOn,
          workingDays: recipientProcess.deadlines.terminationNotice.workingDays,
        });
        await expectRejected(
          r.handle.executeUpdate(reportChangeUpdate, {
            args: [{ report: { description: 'x' }, actor: actor('caseworker') }],
          }),
          'WRONG_STATE',
        );
        await complete(r, 'terminate', 1, 'ISSUED');
        expect(await r.handle.result()).toEqual({ status: 'TERMINATED' });
        expect(store.notices.get(`${r.id}:TERMINATION:1`)?.status).toBe('ISSUED');
        expect(
          store
            .deadlinesOf(r.id)
            .map((d) => `${d.kind}:${d.status}`)
            .sort(),
        ).toEqual([
          'annualRecheck:met',
          'annualRecheck:met',
          'changeCheck:met',
          'periodicCheck:met',
          'periodicCheck:met',
          'periodicCheck:met',
          'terminationNotice:met',
        ]);
        expect(store.openTasksOf(r.id)).toEqual([]);
        expect(rs.checksOf(r.id).map((c) => `${c.type}:${c.outcome}`)).toEqual([
          'periodicCheck:KEEP',
          'changeReport:ADJUST',
          'annualRecheck:KEEP',
          'periodicCheck:KEEP',
          'annualRecheck:KEEP',
          'periodicCheck:TERMINATE',
        ]);

        // Three runs, one per yearly cycle, each well under 2,000 events; the first two end by continuing as new.
        expect(runs).toHaveLength(3);
        const histories = await Promise.all(runs.map((runId) => historyOf(r.handle.workflowId, runId)));
        for (const h of histories) expect(h.events!.length).toBeLessThan(MAX_EVENTS_PER_RUN);
        expect(histories.map((h) => h.events!.at(-1)!.eventType)).toEqual([
          temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
          temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
          temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        ]);
        if (process.env.RECORD_HISTORIES === '1')
          histories.forEach((h, i) => saveHistory(`recipient-year${i + 1}.json`, h));
      }),
  );

  it('b. a STABLE household has no half-yearly check: its yearly check is the annual recheck', () =>
    withWorker(async (q, started) => {
      const r = await startRecipient(q, started, { householdType: 'STABLE' });
      const D = r.input.determinedOn;
      expect(await r.handle.query(recipientQuery)).toMatchObject({
        nextCheck: { type: 'annualRecheck', on: addYears(D, 1) },
      });
      await sleepUntil(env, startOfDayShanghai(addMonths(D, 6)).getTime() + HOUR);
      expect(await openTasks(r)).toEqual([]);
      expect(rs.schedule.get(r.id)).toEqual({ type: 'annualRecheck', on: addYears(D, 1) });
      await sleepUntil(env, startOfDayShanghai(addYears(D, 1)).getTime() + HOUR);
      await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'annualRecheck', 1)]));
      // Reclassified as UNSTABLE at the recheck: the next cycle has a half-yearly check.
      await complete(r, 'annualRecheck', 1, 'KEEP', { householdType: 'UNSTABLE' });
      await eventually(async () =>
        expect(await r.handle.query(recipientQuery)).toMatchObject({
          cycle: 2,
          householdType: 'UNSTABLE',
          nextCheck: { type: 'periodicCheck', on: addMonths(D, 18) },
        }),
      );
    }));

  it('c. TEKUN: an 18th birthday opens a check; termination is publicised 7 days, an objection reopens the check', () =>
    withWorker(async (q, started) => {
      const birthday18 = addCalendarDays(await today(), 40);
      const r = await startRecipient(q, started, {
        category: 'TEKUN',
        householdType: 'STABLE',
        monthlyAmount: 800,
        minorsTurning18: [birthday18],
      });
      expect(await r.handle.query(recipientQuery)).toMatchObject({
        nextCheck: { type: 'changeReport', on: birthday18 },
      });
      await sleepUntil(env, startOfDayShanghai(birthday18).getTime() + HOUR);
      await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'changeReport', 1)]));
      expect(rs.checksOf(r.id)[0]).toMatchObject({ trigger: 'MINOR_TURNS_18' });

      await expectRejected(
        r.handle.executeUpdate(fileObjectionUpdate, { args: [{ reason: '仍在校', actor: actor('caseworker') }] }),
        'WRONG_STATE',
      );
      let snap = await complete(r, 'changeReport', 1, 'TERMINATE', { reasons: ['年满18周岁且未在校就读'] });
      expect(snap).toMatchObject({ status: 'IN_CHECK', activeSteps: ['publicity'], openTasks: [] });
      // The objection (still in school) reopens the check.
      await r.handle.executeUpdate(fileObjectionUpdate, {
        args: [{ reason: '该成员仍在高中就读', actor: actor('caseworker') }],
      });
      await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'changeReport', 2)]));
      expect(rs.checksOf(r.id).map((c) => c.trigger)).toEqual(['MINOR_TURNS_18', 'OBJECTION']);
      expect(rs.terminations.has(r.id)).toBe(false);

      const decidedOn = await today();
      snap = await complete(r, 'changeReport', 2, 'TERMINATE', { reasons: ['经核实已毕业且未继续就读'] });
      expect(snap.activeSteps).toEqual(['publicity']);
      const publicityEnds = addCalendarDays(decidedOn, TEKUN_TERMINATION_PUBLICITY_CALENDAR_DAYS);
      await sleepUntil(env, endOfDayShanghai(publicityEnds).getTime() + HOUR);
      await eventually(async () => expect(await openTasks(r)).toEqual([taskId(r, 'terminate', 1)]));
      // Payments stop from the month after publicity ended without objection.
      expect(rs.terminations.get(r.id)).toMatchObject({
        terminatedOn: publicityEnds,
        stopMonth: monthAfter(publicityEnds),
      });
      await complete(r, 'terminate', 1, 'ISSUED');
      expect(await r.handle.result()).toEqual({ status: 'TERMINATED' });
    }));

  it('d. checks run side by side; a termination cancels the other open check', () =>
    withWorker(async (q, started) => {
      const r = await startRecipient(q, started);
      const report = (description: string) =>
        r.handle.executeUpdate(reportChangeUpdate, { args: [{ report: { description }, actor: actor('integrator') }] });
      await expectRejected(
        r.handle.executeUpdate(reportChangeUpdate, {
          args: [{ report: { description: 'x' }, actor: actor('reviewer') }],
        }),
        'FORBIDDEN',
      );
      await expectRejected(report(' '), 'INVALID_COMPLETION');
      await report('医保数据：大额医疗支出');
      await report('人社数据：登记失业');
      expect(await openTasks(r)).toEqual([taskId(r, 'changeReport', 1), taskId(r, 'changeReport', 2)].sort());
      expect(await r.handle.query(activeStepsQuery)).toEqual(['changeReport']);
      const snap = await complete(r, 'changeReport', 2, 'TERMINATE', { reasons: ['家庭经济状况已不符合条件'] });
      expect(snap.openTasks).toEqual([{ taskId: taskId(r, 'terminate', 1), type: 'terminate' }]);
      expect(store.tasks.get(taskId(r, 'changeReport', 1))).toMatchObject({ status: 'CANCELLED' });
      expect(rs.checksOf(r.id).map((c) => c.outcome)).toEqual(['CANCELLED', 'TERMINATE']);
      await complete(r, 'terminate', 1, 'ISSUED');
      expect(await r.handle.result()).toEqual({ status: 'TERMINATED' });
      expect(
        store
          .deadlinesOf(r.id)
          .map((d) => `${d.kind}:${d.status}`)
          .sort(),
      ).toEqual(['changeCheck:cancelled', 'changeCheck:met', 'terminationNotice:met']);
    }));

  it('e. an approved application starts the recipient workflow (abandoned child) with its enrolment data', () =>
    withWorker(async (q, started) => {
      const caseId = randomUUID();
      const app = await env.client.workflow.start<typeof application>('application', {
        taskQueue: q,
        workflowId: `application-${caseId}`,
        args: [{ caseId, regionCode: REGION, receivedOn: await today(), publicise: false }],
      });
      const step = async (type: string, outcome: string, data: Record<string, unknown> = {}) => {
        await eventually(async () =>
          expect((await app.query(snapshotQuery)).openTasks.map((t) => t.type)).toContain(type),
        );
        await app.executeUpdate(completeTaskUpdate, {
          args: [{ taskId: `${caseId}:${type}:1`, outcome, data, actor: actor(TASKS[type].candidateRole) }],
        });
      };
      await step('accept', 'ACCEPTED');
      await step('homeVisit', 'DONE');
      await step('economicCheck', 'DONE');
      await step('firstReview', 'RECOMMEND_APPROVAL');
      await step('confirm', 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 });
      expect(await resultWithoutSkipping(env, app)).toEqual({ status: 'APPROVED' });
      const recipientId = `recipient:${caseId}`;
      const child = env.client.workflow.getHandle<typeof recipient>(`recipient-${recipientId}`);
      started.push(child);
      expect((await child.describe()).status.name).toBe('RUNNING'); // the parent closed; the child lives on
      expect(rs.starts.get(recipientId)).toMatchObject({ caseId: recipientId, category: 'DIBAO', monthlyAmount: 420 });
      await eventually(async () =>
        expect(await child.query(recipientQuery)).toMatchObject({ cycle: 1, category: 'DIBAO', monthlyAmount: 420 }),
      );
      if (process.env.RECORD_HISTORIES === '1')
        saveHistory('application-with-recipient-child.json', await app.fetchHistory());
    }));
});
