// Issue 10, item 8: a RIGID_EXPENDITURE recognition lasts 12 months (docs/policy.md §3.4); at its end the household
// is told to re-apply, and the recognition ends unless the renewal check is decided within its limit.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type recipient } from '../../processes/recipient/workflow';
import { recipientQuery, type RecipientInput } from '../../processes/recipient/messages';
import { completeTaskUpdate } from '../../engine/messages';
import { shanghaiDate, startOfDayShanghai, type IsoDate } from '../../domain/calendar';
import { recognitionEndsOn } from '../../domain/recipient';
import { type Department, type Role } from '../../domain/glossary';
import { createFakeActivities, FakeStore } from './fake-activities';
import { recipientsOf } from './fake-recipient';
import { startTimeSkipping, eventually, sleepUntil } from './env';

jest.setTimeout(180_000);

const REGION = '410721100';
const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;
let bundle: { code: string };
const store = new FakeStore();

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
  const taskQueue = `renewal-${process.pid}-${++runs}`;
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

async function startRigid(
  tq: string,
  started: WorkflowHandle[],
): Promise<{ id: string; handle: WorkflowHandle<typeof recipient>; determinedOn: IsoDate }> {
  const id = randomUUID();
  const determinedOn = await today();
  const input: RecipientInput = {
    recipientId: id,
    caseId: id,
    regionCode: REGION,
    category: 'RIGID_EXPENDITURE',
    monthlyAmount: 0,
    determinedOn,
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
  return { id, handle, determinedOn };
}

describe('item 8: rigid-expenditure recognition lasts 12 months', () => {
  it('at 12 months the household is told to re-apply; not renewed within the limit, the recognition ends', () =>
    withWorker(async (tq, started) => {
      const r = await startRigid(tq, started);
      const endsOn = recognitionEndsOn('RIGID_EXPENDITURE', r.determinedOn)!;
      await sleepUntil(env, startOfDayShanghai(endsOn).getTime() + HOUR);
      const task = `${r.id}:annualRecheck:1`;
      await eventually(() => expect(store.tasks.get(task)?.status).toBe('OPEN'));
      await eventually(() =>
        expect(recipientsOf(store).renewalNotices).toContainEqual(expect.objectContaining({ caseId: r.id, endsOn })),
      );
      const due = store.tasks.get(task)!.dueAt!;
      await sleepUntil(env, Date.parse(due) + HOUR);
      await eventually(() => expect(store.tasks.get(task)?.status).toBe('CANCELLED'));
      await eventually(() =>
        expect(recipientsOf(store).terminations.get(r.id)).toMatchObject({
          reasons: [expect.stringContaining('有效期（12个月）届满')],
        }),
      );
      // The written notice follows like any termination.
      await eventually(() => expect(store.tasks.get(`${r.id}:terminate:1`)?.status).toBe('OPEN'));
      expect((await r.handle.query(recipientQuery)).status).toBe('TERMINATED');
    }));

  it('renewed in time (the check decided KEEP): recognised for another 12 months', () =>
    withWorker(async (tq, started) => {
      const r = await startRigid(tq, started);
      const endsOn = recognitionEndsOn('RIGID_EXPENDITURE', r.determinedOn)!;
      await sleepUntil(env, startOfDayShanghai(endsOn).getTime() + HOUR);
      const task = `${r.id}:annualRecheck:1`;
      await eventually(() => expect(store.tasks.get(task)?.status).toBe('OPEN'));
      await r.handle.executeUpdate(completeTaskUpdate, {
        args: [
          { taskId: task, outcome: 'KEEP', data: { findings: '重新申请，仍符合条件' }, actor: actor('caseworker') },
        ],
      });
      await eventually(async () => expect((await r.handle.query(recipientQuery)).cycle).toBe(2));
      expect(recipientsOf(store).terminations.get(r.id)).toBeUndefined();
      const next = recognitionEndsOn('RIGID_EXPENDITURE', endsOn)!;
      expect((await r.handle.query(recipientQuery)).nextCheck).toEqual({ type: 'annualRecheck', on: next });
    }));
});
