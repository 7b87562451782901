// The repositories against a real PostgreSQL: what one write promises the next reader.
import { randomUUID } from 'node:crypto';
import { insertCase } from '../../data/cases';
import { upsertDeadline } from '../../data/deadlines';
import { insertTask } from '../../data/tasks';
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
