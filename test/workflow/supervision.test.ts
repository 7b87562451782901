// Supervision on the time-skipping server with in-memory activities: the escalation ladder of an overdue deadline, and
// a one-case-one-discussion conference whose decision the originating case acts on.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type application } from '../../processes/application/workflow';
import { type ApplicationInput } from '../../processes/application/messages';
import { applicationProcess } from '../../processes/application/definition';
import { type caseConference } from '../../processes/caseConference/workflow';
import { caseConferenceProcess } from '../../processes/caseConference/definition';
import { type CaseConferenceInput } from '../../processes/caseConference/messages';
import {
  activeStepsQuery,
  completeTaskUpdate,
  openDeadlinesQuery,
  snapshotQuery,
  type CaseSnapshot,
} from '../../engine/messages';
import { shanghaiDate, WorkingDayCalendar, type IsoDate } from '../../domain/calendar';
import { type Department, type Role } from '../../domain/glossary';
import { createFakeActivities, DEFAULT_ASSESSMENT, FakeStore } from './fake-activities';
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

const calendar = () => new WorkingDayCalendar(store.calendarYears);
const today = async (): Promise<IsoDate> => shanghaiDate(await env.currentTimeMs());
const actor = (role: Role, department?: Department) => ({
  sub: `u-${role}${department ? `-${department}` : ''}`,
  role,
  region: role === 'caseworker' || role === 'reviewer' ? REGION : '410721',
  ...(department ? { department } : {}),
});
const taskId = (caseId: string, type: string, n = 1) => `${caseId}:${type}:${n}`;

const started: WorkflowHandle[] = [];
let runs = 0;
async function withWorker(body: (taskQueue: string) => Promise<void>): Promise<void> {
  const taskQueue = `supervision-${process.pid}-${++runs}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: createFakeActivities(store),
  });
  try {
    await worker.runUntil(body(taskQueue));
  } finally {
    for (const h of started.splice(0))
      if ((await h.describe()).status.name === 'RUNNING') await h.terminate('test over');
  }
}

type AppHandle = WorkflowHandle<typeof application>;

async function startApplication(taskQueue: string): Promise<{ caseId: string; handle: AppHandle }> {
  const caseId = randomUUID();
  const input: ApplicationInput = { caseId, regionCode: REGION, receivedOn: await today(), publicise: false };
  const handle = await env.client.workflow.start<typeof application>('application', {
    taskQueue,
    workflowId: caseId,
    args: [input],
  });
  started.push(handle);
  await eventually(async () =>
    expect((await handle.query(snapshotQuery)).openTasks.map((t) => t.type)).toEqual(['accept']),
  );
  return { caseId, handle };
}

function complete(
  handle: WorkflowHandle,
  id: string,
  outcome: string,
  data: Record<string, unknown>,
  who: ReturnType<typeof actor>,
): Promise<CaseSnapshot> {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome, data, actor: who }] });
}

describe('escalation ladder', () => {
  it('an overdue refusal notice climbs the ladder: township at the due time, county after N more working days', () =>
    withWorker(async (tq) => {
      supervision.countyAfterWorkingDays = 2;
      const { caseId, handle } = await startApplication(tq);
      store.assessments.set(caseId, { ...DEFAULT_ASSESSMENT, category: null, coverage: 'NONE', monthlyAmount: 0 });
      await complete(handle, taskId(caseId, 'accept'), 'ACCEPTED', {}, actor('caseworker'));
      await complete(handle, taskId(caseId, 'homeVisit'), 'DONE', {}, actor('caseworker'));
      await complete(handle, taskId(caseId, 'economicCheck'), 'DONE', {}, actor('caseworker'));
      await complete(handle, taskId(caseId, 'firstReview'), 'RECOMMEND_REFUSAL', {}, actor('reviewer'));
      const snap = await complete(
        handle,
        taskId(caseId, 'confirm'),
        'REFUSED',
        { reasons: ['income above the standard'] },
        actor('county_officer'),
      );
      expect(snap.activeSteps).toEqual(['refusalNotice']);
      const decidedOn = shanghaiDate(store.tasks.get(taskId(caseId, 'confirm'))!.closedAt!);
      const due = calendar().addWorkingDays(decidedOn, applicationProcess.deadlines.refusalNotice.workingDays!);
      const county = calendar().addWorkingDays(due.due, 2);
      const id = `${caseId}:refusalNotice:1`;
      await eventually(() => expect(store.deadlines.get(id)?.status).toBe('pending'));

      // Step 1 at the due time: overdue, the township told (markDeadlineOverdue), nothing for the county yet.
      await sleepUntil(env, Date.parse(due.dueAt) + HOUR);
      await eventually(() => expect(store.deadlines.get(id)).toMatchObject({ status: 'overdue', escalationLevel: 1 }));
      expect(store.callsOf('markDeadlineOverdue', caseId)).toEqual([
        expect.objectContaining({ deadlineId: id, dueOn: due.due }),
      ]);
      expect(await handle.query(openDeadlinesQuery)).toEqual(
        expect.arrayContaining([expect.objectContaining({ id, status: 'overdue', dueOn: due.due })]),
      );

      // Just before the end of the 2nd further working day: still only the township.
      await sleepUntil(env, Date.parse(county.dueAt) - HOUR);
      expect(supervision.escalations.filter((e) => e.caseId === caseId)).toEqual([]);
      // Then the county.
      await sleepUntil(env, Date.parse(county.dueAt) + HOUR);
      await eventually(() =>
        expect(supervision.escalations.filter((e) => e.caseId === caseId)).toEqual([
          expect.objectContaining({ deadlineId: id, level: 2, kind: 'refusalNotice', dueOn: due.due }),
        ]),
      );
      expect(store.deadlines.get(id)?.escalationLevel).toBe(2);

      // No third step, however long it stays open; issuing the notice settles it as met late.
      await env.sleep(20 * 24 * HOUR);
      expect(store.callsOf('escalateDeadline', caseId)).toHaveLength(1);
      await complete(handle, taskId(caseId, 'refusalNotice'), 'ISSUED', {}, actor('caseworker'));
      await eventually(() => expect(store.deadlines.get(id)).toMatchObject({ status: 'met', metLate: true }));
      await handle.result();
    }));

  it('a deadline met in time never escalates', () =>
    withWorker(async (tq) => {
      const { caseId, handle } = await startApplication(tq);
      await complete(
        handle,
        taskId(caseId, 'accept'),
        'RETURNED',
        { missingDocuments: ['户口簿'] },
        actor('caseworker'),
      );
      await handle.result();
      expect(store.callsOf('markDeadlineOverdue', caseId)).toEqual([]);
      expect(store.callsOf('escalateDeadline', caseId)).toEqual([]);
    }));
});

describe('caseConference', () => {
  it('three departments, one misses its opinion deadline: the chair decides and the originating case acts on it', () =>
    withWorker(async (tq) => {
      // The originating application, waiting for its confirmation.
      const app = await startApplication(tq);
      await complete(app.handle, taskId(app.caseId, 'accept'), 'ACCEPTED', {}, actor('caseworker'));
      await complete(app.handle, taskId(app.caseId, 'homeVisit'), 'DONE', {}, actor('caseworker'));
      await complete(app.handle, taskId(app.caseId, 'economicCheck'), 'DONE', {}, actor('caseworker'));
      expect(
        (await complete(app.handle, taskId(app.caseId, 'firstReview'), 'RECOMMEND_APPROVAL', {}, actor('reviewer')))
          .activeSteps,
      ).toEqual(['confirm']);

      const conferenceId = randomUUID();
      const startedOn = await today();
      const input: CaseConferenceInput = {
        conferenceId,
        caseId: app.caseId,
        regionCode: REGION,
        reason: 'severe illness, costs above the standard',
        proposal: 'raise to 600',
        departments: ['HEALTH', 'EDUCATION', 'HUMAN_RESOURCES'],
        requestedBy: { sub: 'integrator:test', role: 'integrator' },
        origin: { workflowId: app.caseId },
      };
      const conf = await env.client.workflow.start<typeof caseConference>('caseConference', {
        taskQueue: tq,
        workflowId: `caseConference-${conferenceId}`,
        args: [input],
      });
      started.push(conf);
      const opinion = (n: number) => taskId(conferenceId, 'conferenceOpinion', n);
      const chair = taskId(conferenceId, 'caseConference');
      await eventually(() =>
        expect(
          store
            .openTasksOf(conferenceId)
            .map((t) => t.taskId)
            .sort(),
        ).toEqual([chair, opinion(1), opinion(2), opinion(3)].sort()),
      );
      expect(store.tasks.get(opinion(1))).toMatchObject({ department: 'HEALTH', candidateRole: 'department' });
      expect(store.tasks.get(opinion(3))).toMatchObject({ department: 'HUMAN_RESOURCES' });
      const opinionDue = calendar().addWorkingDays(
        startedOn,
        caseConferenceProcess.deadlines.conferenceOpinion.workingDays!,
      );
      expect(supervision.conferences.get(conferenceId)?.input).toMatchObject({
        opinionDueOn: opinionDue.due,
        workflowId: `caseConference-${conferenceId}`,
      });
      expect(await conf.query(activeStepsQuery)).toEqual(['conferenceOpinion']);

      // A department answers only its own task; the chair cannot decide while opinions are awaited.
      await expectRejected(
        complete(conf, opinion(1), 'GIVEN', { opinion: 'x' }, actor('department', 'EDUCATION')),
        'FORBIDDEN',
      );
      await expectRejected(complete(conf, opinion(1), 'GIVEN', { opinion: 'x' }, actor('caseworker')), 'FORBIDDEN');
      await complete(conf, opinion(1), 'GIVEN', { opinion: '大病救助已给付，建议提高' }, actor('department', 'HEALTH'));
      await expectRejected(
        complete(conf, opinion(1), 'GIVEN', { opinion: 'again' }, actor('department', 'HEALTH')),
        'TASK_NOT_OPEN',
      );
      await complete(conf, opinion(2), 'GIVEN', { opinion: '子女助学金已落实' }, actor('department', 'EDUCATION'));
      const early = await expectRejected(
        complete(conf, chair, 'RAISE_AMOUNT', { raisedAmount: 600 }, actor('county_officer')),
        'WRONG_STATE',
      );
      expect(early.details).toEqual([{ awaited: ['HUMAN_RESOURCES'], opinionDueOn: opinionDue.due }]);

      // HUMAN_RESOURCES lets its deadline pass: its deadline goes overdue, and the chair may now decide.
      await sleepUntil(env, Date.parse(opinionDue.dueAt) + HOUR);
      await eventually(() => expect(store.deadline(conferenceId, 'conferenceOpinion', 3)?.status).toBe('overdue'));
      await eventually(async () => expect(await conf.query(activeStepsQuery)).toEqual(['caseConference']));
      await expectRejected(complete(conf, chair, 'RAISE_AMOUNT', {}, actor('county_officer')), 'INVALID_COMPLETION');
      await complete(conf, chair, 'RAISE_AMOUNT', { raisedAmount: 600, notes: '医疗支出大' }, actor('county_officer'));
      const decision = await conf.result();
      expect(decision).toEqual({
        conferenceId,
        outcome: 'RAISE_AMOUNT',
        raisedAmount: 600,
        notes: '医疗支出大',
        missingOpinions: ['HUMAN_RESOURCES'],
        decidedOn: shanghaiDate(store.tasks.get(chair)!.closedAt!),
      });
      expect(store.tasks.get(opinion(3))).toMatchObject({ status: 'CANCELLED' });
      expect(
        store
          .deadlinesOf(conferenceId)
          .map((d) => `${d.kind}:${d.status}`)
          .sort(),
      ).toEqual([
        'conferenceDecision:met',
        'conferenceOpinion:cancelled',
        'conferenceOpinion:met',
        'conferenceOpinion:met',
      ]);
      expect(supervision.conferences.get(conferenceId)).toMatchObject({
        status: 'DECIDED',
        decision: { originNotified: true, caseId: app.caseId },
      });

      // The originating case heard of it and holds the confirming officer to the raised amount.
      await eventually(() =>
        expect(supervision.notedDecisions).toEqual(expect.arrayContaining([{ caseId: app.caseId, decision }])),
      );
      const floor = await expectRejected(
        complete(
          app.handle,
          taskId(app.caseId, 'confirm'),
          'APPROVED',
          { category: 'DIBAO', monthlyAmount: 420 },
          actor('county_officer'),
        ),
        'INVALID_COMPLETION',
      );
      expect(floor.details).toEqual([{ conferenceId, raisedAmount: 600 }]);
      const approved = await complete(
        app.handle,
        taskId(app.caseId, 'confirm'),
        'APPROVED',
        { category: 'DIBAO', monthlyAmount: 600, deviationReason: `一事一议 ${conferenceId}` },
        actor('county_officer'),
      );
      expect(approved.status).toBe('APPROVED');
      expect(store.decisionsOf(app.caseId)).toEqual([
        expect.objectContaining({ outcome: 'APPROVED', monthlyAmount: 600 }),
      ]);
    }));

  it(
    'as a child without origin: every opinion in, the chair decides before the deadline, the result is the ' +
      'decision',
    () =>
      withWorker(async (tq) => {
        const conferenceId = randomUUID();
        const caseId = randomUUID();
        const conf = await env.client.workflow.start<typeof caseConference>('caseConference', {
          taskQueue: tq,
          workflowId: `caseConference-${conferenceId}`,
          args: [
            {
              conferenceId,
              caseId,
              regionCode: REGION,
              reason: 'complex',
              departments: ['HOUSING', 'HOUSING'],
              requestedBy: { sub: 'cw', role: 'caseworker' },
              opinionWorkingDays: 3,
            },
          ],
        });
        started.push(conf);
        await eventually(() =>
          expect(
            store
              .openTasksOf(conferenceId)
              .map((t) => t.type)
              .sort(),
          ).toEqual(['caseConference', 'conferenceOpinion']),
        );
        await complete(
          conf,
          taskId(conferenceId, 'conferenceOpinion'),
          'GIVEN',
          { opinion: '危房改造可承接' },
          actor('department', 'HOUSING'),
        );
        await complete(
          conf,
          taskId(conferenceId, 'caseConference'),
          'DEPARTMENT_TAKES_OVER',
          { department: 'HOUSING' },
          actor('county_officer'),
        );
        // The department that takes over reports back before the conference closes (issue 10, item 7).
        await eventually(() =>
          expect(store.tasks.get(taskId(conferenceId, 'departmentTakeover'))?.status).toBe('OPEN'),
        );
        await complete(
          conf,
          taskId(conferenceId, 'departmentTakeover'),
          'DONE',
          { feedback: '已纳入危房改造' },
          actor('department', 'HOUSING'),
        );
        expect(await conf.result()).toMatchObject({
          outcome: 'DEPARTMENT_TAKES_OVER',
          department: 'HOUSING',
          missingOpinions: [],
        });
        expect(store.deadline(conferenceId, 'conferenceOpinion')).toMatchObject({ status: 'met', workingDays: 3 });
        expect(store.callsOf('markDeadlineOverdue', conferenceId)).toEqual([]);
        expect(supervision.conferences.get(conferenceId)?.decision?.originNotified).toBe(false);
      }),
  );
});
