// The warning workflow on the time-skipping server with in-memory activities: a warning not verified in time climbs the
// escalation ladder (township at the due time, county N working days later) and is still handled afterwards; the
// verification refuses a handling the class does not allow; a pushed warning waits for every department's feedback.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { completeTaskUpdate, openDeadlinesQuery, type CaseSnapshot } from '../../engine/messages';
import { shanghaiDate, WorkingDayCalendar, type IsoDate } from '../../domain/calendar';
import type { Department, Role } from '../../domain/glossary';
import type { WarningClass } from '../../domain/monitoring';
import { warningProcess } from '../../processes/warning/definition';
import type { WarningInput } from '../../processes/warning/messages';
import type { warning } from '../../processes/warning/workflow';
import { createFakeActivities, FakeStore } from './fake-activities';
import { supervisionOf } from './fake-supervision';
import { warningOf } from './fake-warning';
import { eventually, expectRejected, sleepUntil, startTimeSkipping } from './env';

jest.setTimeout(180_000);

const REGION = '410721100';
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();
const supervision = supervisionOf(store);
const warnings = warningOf(store);

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

const calendar = () => new WorkingDayCalendar(store.calendarYears);
const today = async (): Promise<IsoDate> => shanghaiDate(await env.currentTimeMs());
const actor = (role: Role, department?: Department) => ({
  sub: `u-${role}${department ? `-${department}` : ''}`,
  role,
  region: role === 'caseworker' ? REGION : '410721',
  ...(department ? { department } : {}),
});

let runs = 0;
async function withWorker(body: (taskQueue: string) => Promise<void>): Promise<void> {
  const taskQueue = `warning-${process.pid}-${++runs}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: createFakeActivities(store),
  });
  await worker.runUntil(body(taskQueue));
}

type Handle = WorkflowHandle<typeof warning>;

async function raise(taskQueue: string, warningClass: WarningClass): Promise<{ id: string; handle: Handle }> {
  const id = randomUUID();
  const input: WarningInput = {
    warningId: id,
    regionCode: REGION,
    warningClass,
    source: 'COMPARISON',
    raisedOn: await today(),
  };
  const handle = await env.client.workflow.start<typeof warning>('warning', {
    taskQueue,
    workflowId: warningProcess.workflowId(id),
    args: [input],
  });
  return { id, handle };
}

function complete(
  handle: Handle,
  taskId: string,
  outcome: string,
  data: Record<string, unknown>,
  who = actor('caseworker'),
): Promise<CaseSnapshot> {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, actor: who }] });
}

describe('warning verification on the escalation ladder', () => {
  it('a warning not verified in time climbs the ladder: township at the due time, county N working days later', () =>
    withWorker(async (tq) => {
      supervision.countyAfterWorkingDays = 2;
      const { id, handle } = await raise(tq, 'POSSIBLY_INELIGIBLE');
      const raisedOn = await today();
      const due = calendar().addWorkingDays(raisedOn, warningProcess.deadlines.warningVerification.workingDays!);
      const county = calendar().addWorkingDays(due.due, 2);
      const deadlineId = `${id}:warningVerification:1`;
      await eventually(() => expect(store.deadlines.get(deadlineId)?.status).toBe('pending'));
      expect(store.tasks.get(`${id}:warningVerification:1`)).toMatchObject({
        candidateRole: 'caseworker',
        dueAt: due.dueAt,
      });

      // Step 1 at the due time: overdue, the township told; not yet the county.
      await sleepUntil(env, Date.parse(due.dueAt) + HOUR);
      await eventually(() =>
        expect(store.deadlines.get(deadlineId)).toMatchObject({ status: 'overdue', escalationLevel: 1 }),
      );
      expect(store.callsOf('markDeadlineOverdue', id)).toEqual([
        expect.objectContaining({ deadlineId, kind: 'warningVerification', dueOn: due.due }),
      ]);
      await sleepUntil(env, Date.parse(county.dueAt) - HOUR);
      expect(supervision.escalations.filter((e) => e.caseId === id)).toEqual([]);

      // Step 2: the county.
      await sleepUntil(env, Date.parse(county.dueAt) + HOUR);
      await eventually(() =>
        expect(supervision.escalations.filter((e) => e.caseId === id)).toEqual([
          expect.objectContaining({ deadlineId, level: 2, kind: 'warningVerification', dueOn: due.due }),
        ]),
      );
      expect(await handle.query(openDeadlinesQuery)).toEqual([
        expect.objectContaining({ id: deadlineId, status: 'overdue' }),
      ]);

      // Verified late: a false alarm, with the reason kept; the deadline settles as met late and the case closes.
      await complete(handle, `${id}:warningVerification:1`, 'FALSE_ALARM', { reason: '已离职，工资数据过期' });
      expect(await handle.result()).toEqual({ status: 'DISMISSED', outcome: 'FALSE_ALARM' });
      expect(store.deadlines.get(deadlineId)).toMatchObject({ status: 'met', metLate: true });
      expect(warnings.closed.get(id)).toMatchObject({ status: 'DISMISSED', reason: '已离职，工资数据过期' });
      expect(store.callsOf('escalateDeadline', id)).toHaveLength(1);
    }));

  it('refuses a handling the class does not allow, and a pushed warning waits for every department', () =>
    withWorker(async (tq) => {
      const { id, handle } = await raise(tq, 'POSSIBLY_ELIGIBLE');
      const verify = `${id}:warningVerification:1`;
      await eventually(() => expect(store.tasks.get(verify)?.status).toBe('OPEN'));
      await expectRejected(complete(handle, verify, 'IMPLEMENTED', { reason: 'x' }), 'INVALID_COMPLETION');
      const snap = await complete(handle, verify, 'PUSHED', {
        departments: ['HUMAN_RESOURCES', 'EDUCATION'],
        reason: '推送就业、教育部门',
      });
      expect(snap).toMatchObject({
        status: 'HANDLING',
        activeSteps: ['departmentFeedback'],
        openTasks: [
          { taskId: `${id}:departmentFeedback:1`, type: 'departmentFeedback' },
          { taskId: `${id}:departmentFeedback:2`, type: 'departmentFeedback' },
        ],
      });
      // Only the department named answers its task, with an assistance it is competent for.
      await expectRejected(
        complete(
          handle,
          `${id}:departmentFeedback:1`,
          'NOT_APPLICABLE',
          { feedback: 'x' },
          actor('department', 'EDUCATION'),
        ),
        'FORBIDDEN',
      );
      await expectRejected(
        complete(
          handle,
          `${id}:departmentFeedback:1`,
          'ASSISTED',
          { feedback: 'x', assistanceKind: 'EDUCATION_AID' },
          actor('department', 'HUMAN_RESOURCES'),
        ),
        'INVALID_COMPLETION',
      );
      await complete(
        handle,
        `${id}:departmentFeedback:1`,
        'ASSISTED',
        { feedback: '已安排公益性岗位', assistanceKind: 'EMPLOYMENT_SUPPORT' },
        actor('department', 'HUMAN_RESOURCES'),
      );
      expect(warnings.closed.has(id)).toBe(false);
      expect(warnings.feedback.get(`${id}:HUMAN_RESOURCES`)).toMatchObject({
        outcome: 'ASSISTED',
        kind: 'EMPLOYMENT_SUPPORT',
      });
      await complete(
        handle,
        `${id}:departmentFeedback:2`,
        'NOT_APPLICABLE',
        { feedback: '无在校学生' },
        actor('department', 'EDUCATION'),
      );
      expect(await handle.result()).toEqual({ status: 'CLOSED', outcome: 'ASSISTED' });
      expect(store.deadlinesOf(id).map((d) => [d.kind, d.status])).toEqual([
        ['warningVerification', 'met'],
        ['departmentFeedback', 'met'],
        ['departmentFeedback', 'met'],
      ]);
    }));
});
