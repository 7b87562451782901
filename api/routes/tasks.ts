// The caseworker's inbox: list, claim, unclaim, complete. Completion is a workflow Update, answered synchronously.
import { z } from 'zod';
import type { RouteModule } from '../context';
import { SnapshotSchema, TaskSchema, toTask, IsoDateSchema, RegionCodeSchema } from '../schemas';
import { requireScope, User, scopedRegion } from '../auth';
import { conflict, forbidden, notFound } from '../errors';
import { audit } from '../../activities/audit';
import { TASK_TYPES, TASK_STATUSES } from '../../domain/glossary';
import { endOfDayShanghai } from '../../domain/calendar';
import type { Knex } from 'knex';

const TaskQuery = z.object({
  caseId: z.string().uuid().optional(),
  status: z.enum(TASK_STATUSES).default('OPEN'),
  type: z.enum(TASK_TYPES as [string, ...string[]]).optional(),
  region: RegionCodeSchema.optional(),
  mine: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueBefore: IsoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const TaskParams = z.object({ id: z.string().min(1).max(120) });
const CompleteBody = z.object({ outcome: z.string().min(1), data: z.record(z.string(), z.unknown()).default({}), comment: z.string().max(2000).optional() }).strict();

async function loadTask(db: Knex, user: User, id: string) {
  const t = await db('tasks').where({ id }).first();
  if (!t) throw notFound('task');
  requireScope(user, t.region_code);
  // A department's opinion task is invisible to every other department.
  if (user.role === 'department' && t.department && t.department !== user.department) throw notFound('task');
  return t;
}

export const taskRoutes: RouteModule = (api, { db, engine }) => {
  api.route({
    method: 'get', path: '/tasks', tag: 'tasks', summary: 'Task inbox, due date ascending', query: TaskQuery,
    response: { status: 200, description: 'Tasks', schema: z.object({ items: z.array(TaskSchema) }) },
  }, async ({ user, query }) => {
    const region = scopedRegion(user, query.region);
    const q = db('tasks').where('region_code', 'like', `${region}%`).where('status', query.status);
    if (query.caseId) q.where('case_id', query.caseId);
    if (query.type) q.where('type', query.type);
    if (user.role === 'department') q.where('department', user.department ?? '');
    if (query.mine === 'true') q.where('assignee', user.sub);
    if (query.overdue === 'true') q.where('due_at', '<', db.fn.now());
    if (query.dueBefore) q.where('due_at', '<=', endOfDayShanghai(query.dueBefore));
    const rows = await q.orderByRaw('due_at asc nulls last, created_at asc').limit(query.limit).offset(query.offset);
    return { items: rows.map((r) => toTask(r)) };
  });

  api.route({
    method: 'post', path: '/tasks/:id/claim', tag: 'tasks', summary: 'Claim a task for yourself', params: TaskParams,
    response: { status: 200, description: 'Claimed', schema: TaskSchema }, errors: [403, 404, 409],
  }, async ({ user, params }) => {
    return db.transaction(async (trx) => {
      const t = await loadTask(trx as unknown as Knex, user, params.id);
      if (t.status !== 'OPEN') throw conflict(`task is ${t.status.toLowerCase()}`);
      if (user.role !== t.candidate_role && user.role !== 'admin') throw forbidden(`only a ${t.candidate_role} can work on this task`);
      if (t.assignee && t.assignee !== user.sub) throw conflict('task is claimed by someone else', { assignee: t.assignee });
      const [row] = await trx('tasks').where({ id: t.id }).update({ assignee: user.sub }).returning('*');
      if (t.assignee !== user.sub) await audit(trx, { actor: user.sub, role: user.role, action: 'task.claim', caseId: t.case_id, entity: 'task', entityId: t.id, before: { assignee: t.assignee }, after: { assignee: user.sub } });
      return toTask(row);
    });
  });

  api.route({
    method: 'post', path: '/tasks/:id/unclaim', tag: 'tasks', summary: 'Give a claimed task back to the pool', params: TaskParams,
    response: { status: 200, description: 'Unclaimed', schema: TaskSchema }, errors: [403, 404, 409],
  }, async ({ user, params }) => {
    return db.transaction(async (trx) => {
      const t = await loadTask(trx as unknown as Knex, user, params.id);
      if (t.status !== 'OPEN') throw conflict(`task is ${t.status.toLowerCase()}`);
      if (t.assignee && t.assignee !== user.sub && !['supervisor', 'admin'].includes(user.role)) throw forbidden('only the assignee or a supervisor can unclaim');
      const [row] = await trx('tasks').where({ id: t.id }).update({ assignee: null }).returning('*');
      if (t.assignee) await audit(trx, { actor: user.sub, role: user.role, action: 'task.unclaim', caseId: t.case_id, entity: 'task', entityId: t.id, before: { assignee: t.assignee }, after: { assignee: null } });
      return toTask(row);
    });
  });

  api.route({
    method: 'post', path: '/tasks/:id/complete', tag: 'tasks', summary: 'Complete a task with an outcome; answers with the case\'s new state',
    params: TaskParams, body: CompleteBody, response: { status: 200, description: 'The case after the step', schema: SnapshotSchema },
    errors: [400, 403, 404, 409, 422],
  }, async ({ user, params, body }) => {
    const t = await loadTask(db, user, params.id);
    if (t.status !== 'OPEN') throw conflict(`task is ${t.status.toLowerCase()}`, { status: t.status, outcome: t.outcome });
    if (t.assignee && t.assignee !== user.sub && user.role !== 'admin') throw conflict('task is claimed by someone else', { assignee: t.assignee });
    const c = await db('cases').where({ id: t.case_id }).first('workflow_id');
    // The workflow's validator has the last word (wrong outcome, repeated completion, role): 404/409/422/403 come from it.
    return engine.completeTask(c.workflow_id, { taskId: t.id, outcome: body.outcome, data: body.data, comment: body.comment, actor: { sub: user.sub, role: user.role, region: user.region, ...(user.department ? { department: user.department } : {}) } });
  });
};
