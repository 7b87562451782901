// The inbox: list, claim, unclaim, complete. Completion is a workflow Update, answered once the case moved on.
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { RouteModule } from '../http/context';
import { SnapshotSchema, toTask, IsoDateSchema, RegionCodeSchema } from '../http/schemas';
import { actorOf, User, scopedRegion } from '../http/auth';
import { requireVisible } from '../http/scope';
import { conflict, forbidden, notFound } from '../http/errors';
import { page } from '../http/paging';
import { TaskSchema } from '../schemas';
import { taskViews } from '../task-view';
import { taskForm } from '../task-forms';
import type { Db, Row } from '../../data/db';
import { assignTask, getTask, getTaskWithWorkflow, tasksQuery, TASK_STATUSES } from '../../data/tasks';
import { endOfDayShanghai } from '../../domain/calendar';
import { TASK_TYPES } from '../../processes';
import { LINKED_CASE_OUTCOMES } from '../../processes/warning/schemas';

const TaskQuery = z.object({
  caseId: z.string().uuid().optional(),
  status: z.enum(TASK_STATUSES).default('OPEN'),
  type: z.enum(TASK_TYPES).optional(),
  region: RegionCodeSchema.optional(),
  mine: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueBefore: IsoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const TaskParams = z.object({ id: z.string().min(1).max(120) });
/** A task row of the inbox: the task and whom, where and how urgent (api/task-view.ts). */
const TaskViewSchema = TaskSchema.extend({
  process: z.string().nullable(),
  subjectName: z.string().nullable().describe('the applicant; masked for roles that do not handle the case'),
  regionName: z.string().nullable().describe('the township'),
  dueOn: z.string().nullable(),
  workingDaysLeft: z
    .number()
    .int()
    .nullable()
    .describe('working days until the due date: 0 due today, negative overdue'),
});
const JsonSchemaObject = z.record(z.string(), z.unknown());
const TaskFormSchema = z.object({
  type: z.string(),
  label: z.string(),
  candidateRole: z.string(),
  outcomes: z.array(
    z.object({ outcome: z.string(), label: z.string(), schema: JsonSchemaObject.describe('JSON Schema of `data`') }),
  ),
});
const CompleteBody = z
  .object({
    outcome: z.string().min(1),
    data: z.record(z.string(), z.unknown()).default({}),
    comment: text(2000).optional(),
  })
  .strict();

/** The task as the user may see it: in their region, and a department's task only for that department. */
async function loadTask(db: Db, user: User, id: string, lock = false) {
  return inScope(user, await (lock ? db('tasks').where({ id }).forUpdate().first() : getTask(db, id)));
}

function inScope<T extends Row>(user: User, t: T | undefined): T {
  const v = requireVisible(user, t, 'task');
  if (user.role === 'department' && v.department && v.department !== user.department) throw notFound('task');
  return v;
}

export const taskRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'get',
      path: '/tasks',
      tag: 'tasks',
      summary: 'Task inbox, due date ascending',
      query: TaskQuery,
      response: { status: 200, description: 'Tasks', schema: z.object({ items: z.array(TaskViewSchema) }) },
    },
    async ({ user, query }) => {
      const q = tasksQuery(db, {
        region: scopedRegion(user, query.region),
        status: query.status,
        caseId: query.caseId,
        type: query.type,
        department: user.role === 'department' ? (user.department ?? '') : undefined,
        assignee: query.mine === 'true' ? user.sub : undefined,
        overdue: query.overdue === 'true',
        dueBefore: query.dueBefore ? endOfDayShanghai(query.dueBefore) : undefined,
      });
      const p = await page(q, query, (r: Row) => r);
      return { ...p, items: await taskViews(db, p.items) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/tasks/:id',
      tag: 'tasks',
      summary: 'One task: whom it is about, its deadline, the outcomes it takes and the JSON Schema of their data',
      params: TaskParams,
      errors: [403, 404],
      response: { status: 200, description: 'The task', schema: TaskViewSchema.extend({ form: TaskFormSchema }) },
    },
    async ({ user, params }) => {
      const t = await loadTask(db, user, params.id);
      const [view] = await taskViews(db, [t]);
      return { ...view, form: taskForm(t.type) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/tasks/:id/claim',
      tag: 'tasks',
      summary: 'Claim a task for yourself',
      params: TaskParams,
      response: { status: 200, description: 'Claimed', schema: TaskSchema },
      errors: [403, 404, 409],
    },
    async ({ user, params }) =>
      db.transaction(async (trx) => {
        // Locked, so of two people claiming at once exactly one wins and the other sees the winner.
        const t = await loadTask(trx, user, params.id, true);
        if (t.status !== 'OPEN') throw conflict(`task is ${t.status.toLowerCase()}`);
        if (user.role !== t.candidate_role && user.role !== 'admin')
          throw forbidden(`only a ${t.candidate_role} can work on this task`);
        if (t.assignee && t.assignee !== user.sub)
          throw conflict('task is claimed by someone else', { assignee: t.assignee });
        return toTask(await assignTask(trx, t, user.sub, user));
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/tasks/:id/unclaim',
      tag: 'tasks',
      summary: 'Give a claimed task back to the pool',
      params: TaskParams,
      response: { status: 200, description: 'Unclaimed', schema: TaskSchema },
      errors: [403, 404, 409],
    },
    async ({ user, params }) =>
      db.transaction(async (trx) => {
        const t = await loadTask(trx, user, params.id, true);
        if (t.status !== 'OPEN') throw conflict(`task is ${t.status.toLowerCase()}`);
        if (t.assignee && t.assignee !== user.sub && !['supervisor', 'admin'].includes(user.role)) {
          throw forbidden('only the assignee or a supervisor can unclaim');
        }
        return toTask(await assignTask(trx, t, null, user));
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/tasks/:id/complete',
      tag: 'tasks',
      summary: "Complete a task with an outcome; answers with the case's new state",
      params: TaskParams,
      body: CompleteBody,
      response: { status: 200, description: 'The case after the step', schema: SnapshotSchema },
      errors: [400, 403, 404, 409, 422],
    },
    async ({ user, params, body }) => {
      // One read: the task and its case's workflow id (the workflow checks the rest).
      const t = inScope(user, await getTaskWithWorkflow(db, params.id));
      if (t.status !== 'OPEN')
        throw conflict(`task is ${t.status.toLowerCase()}`, { status: t.status, outcome: t.outcome });
      if (t.assignee && t.assignee !== user.sub && user.role !== 'admin') {
        throw conflict('task is claimed by someone else', { assignee: t.assignee });
      }
      // A handling that opens a case of its own goes through its route, which opens the case first.
      const linked = t.type === 'warningVerification' ? LINKED_CASE_OUTCOMES[body.outcome] : undefined;
      if (linked) throw conflict(`${body.outcome} is sent by ${linked}, which opens the linked case first`);
      // The workflow's validator has the last word (wrong outcome, repeated completion, role): 404/409/422/403.
      return engine.completeTask(t.workflow_id as string, {
        taskId: t.id,
        outcome: body.outcome,
        data: body.data,
        comment: body.comment,
        actor: actorOf(user),
      });
    },
  );
};
