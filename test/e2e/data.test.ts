// The repositories against a real PostgreSQL: what one write promises the next reader.
import { randomUUID } from 'node:crypto';
import { insertCase, recordProgress } from '../../data/cases';
import { settleDeadline, upsertDeadline } from '../../data/deadlines';
import { closeTask, insertTask } from '../../data/tasks';
import { startStack, Stack } from '../support/stack';

jest.setTimeout(60_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
});

async function aCase(): Promise<string> {
  const id = randomUUID();
  await insertCase(stack.db, {
    id,
    process: 'application',
    workflowId: `application-${id}`,
    regionCode: '410721100',
    status: 'IN_REVIEW',
    activeSteps: [],
    receivedOn: '2026-11-02',
    createdBy: 'test',
  });
  return id;
}

const deadline = (caseId: string, dueOn: string, taskId?: string) => ({
  deadlineId: `${caseId}:firstReviewOpinion:1`,
  caseId,
  kind: 'firstReviewOpinion',
  regionCode: '410721100',
  taskId,
  startedOn: '2026-11-02',
  workingDays: 10,
  dueOn,
  dueAt: `${dueOn}T15:59:59.999Z`,
  provisional: false,
});

describe('a task and its deadline have one due time', () => {
  it('moves the tasks a deadline times when the deadline moves', async () => {
    const caseId = await aCase();
    const d = deadline(caseId, '2026-11-16');
    await upsertDeadline(stack.db, d);
    for (const type of ['homeVisit', 'economicCheck']) {
      await insertTask(stack.db, {
        taskId: `${caseId}:${type}:1`,
        caseId,
        type,
        regionCode: '410721100',
        candidateRole: 'caseworker',
        createdAt: new Date().toISOString(),
        deadlineId: d.deadlineId,
        dueAt: d.dueAt,
      });
    }
    await upsertDeadline(stack.db, { ...d, dueOn: '2026-11-30', dueAt: '2026-11-30T15:59:59.999Z', extensionDays: 10 });
    const due = await stack.db('tasks').where({ case_id: caseId }).pluck('due_at');
    expect(due.map((t: Date) => t.toISOString())).toEqual(['2026-11-30T15:59:59.999Z', '2026-11-30T15:59:59.999Z']);
  });

  it('links the task a deadline names, and takes the due time from the deadline', async () => {
    const caseId = await aCase();
    const taskId = `${caseId}:refusalNotice:1`;
    await insertTask(stack.db, {
      taskId,
      caseId,
      type: 'refusalNotice',
      regionCode: '410721100',
      candidateRole: 'caseworker',
      createdAt: new Date().toISOString(),
    });
    await upsertDeadline(stack.db, deadline(caseId, '2026-11-16', taskId));
    expect(await stack.db('tasks').where({ id: taskId }).first('deadline_id', 'due_at')).toEqual({
      deadline_id: `${caseId}:firstReviewOpinion:1`,
      due_at: new Date('2026-11-16T15:59:59.999Z'),
    });
  });
});

// Each of these writes is one statement that locks, checks and changes the row (data/tasks.ts closeTask,
// data/cases.ts recordProgress, data/deadlines.ts settleDeadline and upsertDeadline): a retry, or a second writer,
// changes nothing and audits nothing twice.
describe('writes a retry repeats change a row once', () => {
  const auditsOf = (caseId: string) =>
    stack.db('audit_log').where({ case_id: caseId }).orderBy('id').select('action', 'before', 'after');

  it('closes an open task once, keeps its claimant, and audits it once', async () => {
    const caseId = await aCase();
    const taskId = `${caseId}:homeVisit:1`;
    await insertTask(stack.db, {
      taskId,
      caseId,
      type: 'homeVisit',
      regionCode: '410721100',
      candidateRole: 'caseworker',
      createdAt: new Date().toISOString(),
    });
    await stack.db('tasks').where({ id: taskId }).update({ assignee: 'claimant' });
    const closing = {
      taskId,
      status: 'COMPLETED' as const,
      outcome: 'DONE',
      data: { note: 'a ? in the data' },
      actor: { sub: 'cw-1', role: 'caseworker' },
      closedAt: '2026-11-03T02:00:00.000Z',
    };
    await Promise.all([closeTask(stack.db, closing), closeTask(stack.db, closing)]);
    await closeTask(stack.db, { ...closing, status: 'CANCELLED', actor: { sub: 'other', role: 'caseworker' } });
    expect(await stack.db('tasks').where({ id: taskId }).first('status', 'assignee', 'completed_by', 'data')).toEqual({
      status: 'COMPLETED',
      assignee: 'claimant',
      completed_by: 'cw-1',
      data: { note: 'a ? in the data' },
    });
    expect(await auditsOf(caseId)).toEqual([
      expect.objectContaining({ action: 'task.complete', before: { status: 'OPEN' } }),
    ]);
  });

  it('records progress; a change of status is audited with the status before, once', async () => {
    const caseId = await aCase();
    const progress = { caseId, activeSteps: ['firstReview?'], status: 'AWAITING_DECISION', decidedOn: '2026-11-20' };
    await Promise.all([recordProgress(stack.db, progress), recordProgress(stack.db, progress)]);
    await recordProgress(stack.db, { caseId, activeSteps: ['confirm'] });
    expect(await stack.db('cases').where({ id: caseId }).first('status', 'active_steps', 'decided_on')).toEqual({
      status: 'AWAITING_DECISION',
      active_steps: ['confirm'],
      decided_on: '2026-11-20',
    });
    expect(await auditsOf(caseId)).toEqual([
      expect.objectContaining({
        action: 'case.status',
        before: { status: 'IN_REVIEW' },
        after: { status: 'AWAITING_DECISION' },
      }),
    ]);
  });

  it('settles a deadline once: met late by the date on paper, or because it was already overdue', async () => {
    const onPaper = await aCase();
    const d1 = deadline(onPaper, '2026-11-16');
    await upsertDeadline(stack.db, d1);
    await upsertDeadline(stack.db, d1); // a retried save: no change, no audit
    const met = {
      deadlineId: d1.deadlineId,
      status: 'met' as const,
      at: '2026-11-18T01:00:00.000Z',
      metOn: '2026-11-17',
    };
    await Promise.all([settleDeadline(stack.db, met), settleDeadline(stack.db, met)]);
    await settleDeadline(stack.db, { ...met, status: 'cancelled' });
    expect(await stack.db('deadlines').where({ id: d1.deadlineId }).first('status', 'met_late', 'met_at')).toEqual({
      status: 'met',
      met_late: true,
      met_at: new Date('2026-11-18T01:00:00.000Z'),
    });
    expect(await auditsOf(onPaper)).toEqual([
      expect.objectContaining({
        action: 'deadline.met',
        before: { status: 'pending' },
        after: { status: 'met', met_at: met.at, met_late: true },
      }),
    ]);

    const overdue = await aCase();
    const d2 = deadline(overdue, '2026-11-16');
    await upsertDeadline(stack.db, d2);
    await stack.db('deadlines').where({ id: d2.deadlineId }).update({ status: 'overdue' });
    await settleDeadline(stack.db, { deadlineId: d2.deadlineId, status: 'met', at: '2026-11-18T01:00:00.000Z' });
    expect(await stack.db('deadlines').where({ id: d2.deadlineId }).first('met_late')).toEqual({ met_late: true });

    const cancelled = await aCase();
    const d3 = deadline(cancelled, '2026-11-16');
    await upsertDeadline(stack.db, d3);
    const { met_late: metLateBefore } = await stack.db('deadlines').where({ id: d3.deadlineId }).first('met_late');
    await settleDeadline(stack.db, { deadlineId: d3.deadlineId, status: 'cancelled', at: '2026-11-10T01:00:00.000Z' });
    expect(await stack.db('deadlines').where({ id: d3.deadlineId }).first('status', 'met_at', 'met_late')).toEqual({
      status: 'cancelled',
      met_at: null,
      met_late: metLateBefore,
    });
  });
});
