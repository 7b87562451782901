// Issue 10, item 7: a 一事一议 decision reaches every kind of case (docs/policy.md §6.4) — a recipient's raised amount
// applies from the next month, an emergency case is paid the difference, a department that takes over gets a task
// with a deadline and its feedback lands in the case, "no change" is recorded.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type recipient } from '../../processes/recipient/workflow';
import { recipientQuery, type RecipientInput } from '../../processes/recipient/messages';
import { type emergency } from '../../processes/emergency/workflow';
import { type EmergencyInput } from '../../processes/emergency/messages';
import { type caseConference } from '../../processes/caseConference/workflow';
import { conferenceDecidedSignal, type CaseConferenceInput } from '../../processes/caseConference/messages';
import { caseConferenceProcess } from '../../processes/caseConference/definition';
import { completeTaskUpdate, snapshotQuery } from '../../engine/messages';
import { shanghaiDate, WorkingDayCalendar, type IsoDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { type Department, type Role } from '../../domain/glossary';
import { createFakeActivities, FakeStore } from './fake-activities';
import { recipientsOf } from './fake-recipient';
import { emergencyOf } from './fake-emergency';
import { supervisionOf } from './fake-supervision';
import { startTimeSkipping, eventually, expectRejected, sleepUntil } from './env';

jest.setTimeout(180_000);

const REGION = '410721100';
const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
const supervision = supervisionOf(store);

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);
afterAll(async () => {
  await env?.teardown();
});

const today = async (): Promise<IsoDate> => shanghaiDate(await env.currentTimeMs());
const actor = (role: Role, department?: Department) => ({
  sub: `u-${role}`,
  role,
  region: REGION,
  ...(department ? { department } : {}),
});

let runs = 0;
async function withWorker(body: (taskQueue: string, started: WorkflowHandle[]) => Promise<void>): Promise<void> {
  const taskQueue = `conference-decisions-${process.pid}-${++runs}`;
  const started: WorkflowHandle[] = [];
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
      for (const h of started) if ((await h.describe()).status.name === 'RUNNING') await h.terminate('test over');
    }
  });
}

const decision = (outcome: 'RAISE_AMOUNT' | 'NO_CHANGE' | 'DEPARTMENT_TAKES_OVER', decidedOn: IsoDate, extra = {}) => ({
  conferenceId: randomUUID(),
  outcome,
  missingOpinions: [],
  decidedOn,
  ...extra,
});

describe('a recipient', () => {
  it('a raised amount applies from the next month; "no change" is recorded', () =>
    withWorker(async (tq, started) => {
      const id = randomUUID();
      const input: RecipientInput = {
        recipientId: id,
        caseId: id,
        regionCode: REGION,
        category: 'DIBAO',
        monthlyAmount: 300,
        determinedOn: await today(),
        householdType: 'STABLE',
        minorsTurning18: [],
      };
      const handle = await env.client.workflow.start<typeof recipient>('recipient', {
        taskQueue: tq,
        workflowId: `recipient-${id}`,
        args: [input],
      });
      started.push(handle);
      await eventually(async () => expect((await handle.query(recipientQuery)).nextCheck).not.toBeNull());

      const unchanged = decision('NO_CHANGE', await today());
      await handle.signal(conferenceDecidedSignal, unchanged);
      await eventually(() => expect(supervision.notedDecisions).toContainEqual({ caseId: id, decision: unchanged }));
      expect((await handle.query(recipientQuery)).monthlyAmount).toBe(300);

      const raised = decision('RAISE_AMOUNT', await today(), { raisedAmount: 900 });
      await handle.signal(conferenceDecidedSignal, raised);
      await eventually(async () => expect((await handle.query(recipientQuery)).monthlyAmount).toBe(900));
      expect(supervision.notedDecisions).toContainEqual({ caseId: id, decision: raised });
      expect(recipientsOf(store).amounts.get(id)).toEqual([
        expect.objectContaining({
          fromMonth: monthAfter(raised.decidedOn),
          amount: 900,
          source: `conference:${raised.conferenceId}`,
        }),
      ]);
    }));
});

describe('an emergency case', () => {
  it('a raised amount pays the difference to what was paid', () =>
    withWorker(async (tq, started) => {
      const caseId = randomUUID();
      const input: EmergencyInput = {
        caseId,
        regionCode: REGION,
        receivedOn: await today(),
        advance: { amount: 300, cap: 420, policyVersionId: '410721-2025-01' },
        justificationWorkingDays: 5,
        requestedBy: actor('caseworker'),
      };
      const handle = await env.client.workflow.start<typeof emergency>('emergency', {
        taskQueue: tq,
        workflowId: `emergency-${caseId}`,
        args: [input],
      });
      started.push(handle);
      await eventually(async () => expect((await handle.query(snapshotQuery)).openTasks).toHaveLength(1));
      const raised = decision('RAISE_AMOUNT', await today(), { raisedAmount: 800 });
      await handle.signal(conferenceDecidedSignal, raised);
      await eventually(() =>
        expect(emergencyOf(store).paymentsOf(caseId)).toEqual([
          expect.objectContaining({ kind: 'EMERGENCY_ADVANCE', amount: 300 }),
          expect.objectContaining({ kind: 'CONFERENCE_RAISE', amount: 500 }),
        ]),
      );
      expect(supervision.notedDecisions).toContainEqual({ caseId, decision: raised });
    }));
});

describe('a department that takes over', () => {
  it('gets a task with a deadline; its feedback lands in the case that asked', () =>
    withWorker(async (tq, started) => {
      const conferenceId = randomUUID();
      const caseId = randomUUID();
      const input: CaseConferenceInput = {
        conferenceId,
        caseId,
        regionCode: REGION,
        reason: '住房困难，需住建部门接办',
        departments: ['HOUSING'],
        requestedBy: { sub: 'u-county_officer', role: 'county_officer' },
      };
      const conf = await env.client.workflow.start<typeof caseConference>('caseConference', {
        taskQueue: tq,
        workflowId: `caseConference-${conferenceId}`,
        args: [input],
      });
      started.push(conf);
      const send = (type: string, outcome: string, data: Record<string, unknown>, who: ReturnType<typeof actor>) =>
        conf.executeUpdate(completeTaskUpdate, {
          args: [{ taskId: `${conferenceId}:${type}:1`, outcome, data, actor: who }],
        });
      await eventually(() => expect(store.openTasksOf(conferenceId)).toHaveLength(2));
      await send('conferenceOpinion', 'GIVEN', { opinion: '可纳入公租房保障' }, actor('department', 'HOUSING'));
      await send('caseConference', 'DEPARTMENT_TAKES_OVER', { department: 'HOUSING' }, actor('county_officer'));
      const decidedOn = await today();
      const takeover = `${conferenceId}:departmentTakeover:1`;
      await eventually(() =>
        expect(store.tasks.get(takeover)).toMatchObject({
          status: 'OPEN',
          department: 'HOUSING',
          candidateRole: 'department',
        }),
      );
      const due = new WorkingDayCalendar(store.calendarYears).addWorkingDays(
        decidedOn,
        caseConferenceProcess.deadlines.departmentTakeover.workingDays!,
      );
      await eventually(() =>
        expect(store.deadline(conferenceId, 'departmentTakeover')).toMatchObject({ status: 'pending', dueOn: due.due }),
      );
      expect(store.tasks.get(takeover)?.dueAt).toBe(due.dueAt);
      await expectRejected(
        send('departmentTakeover', 'DONE', { feedback: 'x' }, actor('department', 'HEALTH')),
        'FORBIDDEN',
      );
      // Late feedback still lands; the ladder told the supervisors meanwhile.
      await sleepUntil(env, Date.parse(due.dueAt) + HOUR);
      await eventually(() => expect(store.deadline(conferenceId, 'departmentTakeover')?.status).toBe('overdue'));
      await send(
        'departmentTakeover',
        'DONE',
        { feedback: '已安排公租房一套，租金减免90%' },
        actor('department', 'HOUSING'),
      );
      expect(await conf.result()).toMatchObject({ outcome: 'DEPARTMENT_TAKES_OVER', department: 'HOUSING' });
      expect(supervision.takeoverFeedback).toEqual([
        expect.objectContaining({
          conferenceId,
          caseId,
          department: 'HOUSING',
          feedback: '已安排公租房一套，租金减免90%',
        }),
      ]);
      expect(store.deadline(conferenceId, 'departmentTakeover')).toMatchObject({ status: 'met', metLate: true });
    }));
});
