// One-case-one-discussion (一事一议) from outside: an integrator (API key or JWT) or a county officer brings a case before
// the county coordination mechanism; everyone in scope follows the opinions and the decision.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Knex } from 'knex';
import type { RouteModule } from '../context';
import { CaseIdParams, RegionCodeSchema, iso } from '../schemas';
import { requireScope, inScope, User } from '../auth';
import { notFound, unprocessable } from '../errors';
import { idempotentUuid, remember, replayed, requestHash } from '../idempotency';
import { integratorOf } from '../integrators';
import { loadCase } from './cases';
import { insertConference } from '../../activities/conferences';
import { enqueue } from '../../activities/notifications/outbox';
import { DEPARTMENTS } from '../../domain/glossary';
import { shanghaiDate } from '../../domain/calendar';
import { caseConferenceWorkflowId } from '../../workflows/case-conference';
import type { CaseConferenceInput } from '../../workflows/case-conference-contract';

const EscalationBody = z.object({
  reason: z.string().trim().min(1).max(2000),
  requestedBy: z.string().trim().min(1).max(200).describe('who asked, in the requesting system\'s own terms (an office, a reference); no ID numbers'),
  departments: z.array(z.enum(DEPARTMENTS)).min(1).max(DEPARTMENTS.length).refine((d) => new Set(d).size === d.length, 'each department once'),
  proposal: z.string().trim().min(1).max(4000).optional(),
  opinionWorkingDays: z.number().int().min(1).max(30).optional(),
}).strict();

const EscalationQuery = z.object({
  status: z.enum(['CONVENED', 'DECIDED']).optional(),
  caseId: z.string().uuid().optional(),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const OpinionSchema = z.object({
  department: z.enum(DEPARTMENTS), status: z.enum(['AWAITED', 'GIVEN', 'MISSING']), taskId: z.string(),
  opinion: z.string().nullable(), givenBy: z.string().nullable(), givenAt: z.string().nullable(), dueAt: z.string().nullable(),
});
const DecisionSchema = z.object({
  conferenceId: z.string(), outcome: z.enum(['RAISE_AMOUNT', 'DEPARTMENT_TAKES_OVER', 'NO_CHANGE']), raisedAmount: z.number().optional(),
  department: z.enum(DEPARTMENTS).optional(), notes: z.string().optional(), missingOpinions: z.array(z.enum(DEPARTMENTS)), decidedOn: z.string(),
});
const EscalationSchema = z.object({
  id: z.string(), caseId: z.string(), regionCode: z.string(), status: z.enum(['CONVENED', 'DECIDED']), reason: z.string(), proposal: z.string().nullable(),
  departments: z.array(z.enum(DEPARTMENTS)), requestedBy: z.string(), requesterRef: z.string().nullable(), integratorId: z.string().nullable(),
  opinionDueOn: z.string().nullable(), createdAt: z.string(), decidedOn: z.string().nullable(), decidedBy: z.string().nullable(),
  decision: DecisionSchema.nullable(), missingOpinions: z.array(z.enum(DEPARTMENTS)).nullable(),
});

function toEscalation(r: Record<string, any>) {
  return {
    id: r.id, caseId: r.case_id, regionCode: r.region_code, status: r.status, reason: r.reason, proposal: r.proposal ?? null, departments: r.departments,
    requestedBy: r.requested_by, requesterRef: r.requester_ref ?? null, integratorId: r.integrator_id ?? null, opinionDueOn: r.opinion_due_on ?? null,
    createdAt: iso(r.created_at)!, decidedOn: r.decided_on ?? null, decidedBy: r.decided_by ?? null, decision: r.decision ?? null, missingOpinions: r.missing_opinions ?? null,
  };
}

/** Integrators see the conferences they asked for; departments those they are invited to; everyone else their region's. */
async function visible(db: Knex, user: User, q: Knex.QueryBuilder): Promise<Knex.QueryBuilder> {
  q.where('conferences.region_code', 'like', `${user.region}%`);
  if (user.role === 'integrator') {
    const integratorId = await integratorOf(db, user);
    q.where((b) => {
      b.where('conferences.requested_by', user.sub);
      if (integratorId) b.orWhere('conferences.integrator_id', integratorId);
    });
  }
  if (user.role === 'department') q.whereRaw('conferences.departments \\? ?', [user.department ?? '']);
  return q;
}

export const escalationRoutes: RouteModule = (api, { db, engine }) => {
  api.registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-Api-Key' });

  api.route({
    method: 'post', path: '/cases/:id/escalations', tag: 'escalations',
    summary: 'Bring a case before the county coordination mechanism (一事一议); honours Idempotency-Key. Integrators may use X-Api-Key.',
    roles: ['integrator', 'county_officer'], params: CaseIdParams, body: EscalationBody,
    response: { status: 202, description: 'Conference convened', schema: z.object({ conferenceId: z.string().uuid(), caseId: z.string().uuid(), status: z.literal('CONVENED') }) },
    errors: [400, 403, 404, 422],
  }, async ({ req, res, user, params, body }) => {
    const route = `POST /cases/${params.id}/escalations`;
    const key = req.header('Idempotency-Key');
    const hash = requestHash(body);
    if (key) {
      const earlier = await replayed(db, user.sub, key, route, hash);
      if (earlier) return void res.status(earlier.status).json(earlier.body);
    }
    const c = await loadCase(db, user, params.id);
    if (c.process === 'caseConference') throw unprocessable('NOT_ESCALATABLE', 'a conference cannot itself be escalated');
    const integratorId = await integratorOf(db, user);
    const conferenceId = key ? idempotentUuid(user.sub, `${key}:conference`) : randomUUID();
    const workflowId = caseConferenceWorkflowId(conferenceId);
    const input: CaseConferenceInput = {
      conferenceId, caseId: c.id, regionCode: c.region_code, reason: body.reason, proposal: body.proposal, departments: body.departments,
      requestedBy: { sub: user.sub, role: user.role }, opinionWorkingDays: body.opinionWorkingDays, origin: { workflowId: c.workflow_id },
    };
    await db.transaction(async (trx) => {
      const created = await insertConference(trx, {
        ...input, workflowId, requesterRef: body.requestedBy, integratorId, originWorkflowId: c.workflow_id, startedOn: shanghaiDate(Date.now()),
      });
      const integrator = created && integratorId ? await trx('integrators').where({ id: integratorId }).first('webhook_url') : undefined;
      if (integrator?.webhook_url) {
        await enqueue(trx, {
          id: `${conferenceId}:received:webhook`, channel: 'WEBHOOK', recipient: integrator.webhook_url, caseId: c.id, regionCode: c.region_code,
          subject: 'escalation.received', body: `conference ${conferenceId} convened`,
          payload: { type: 'escalation.received', conferenceId, caseId: c.id, departments: body.departments, requesterRef: body.requestedBy },
        });
      }
    });
    try {
      await engine.client.workflow.start('caseConference', { taskQueue: engine.taskQueue, workflowId, args: [input] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a retried request: the conference already runs
    }
    // Answer once every invited department's opinion task exists, so the integrator can act on the answer at once.
    await engine.settled(workflowId).catch(() => undefined);
    const answer = { conferenceId, caseId: c.id, status: 'CONVENED' as const };
    if (key) await remember(db, user.sub, key, route, hash, 202, answer);
    res.status(202).json(answer);
  });

  api.route({
    method: 'get', path: '/escalations', tag: 'escalations', summary: 'Conferences in your region (integrators: their own; departments: those they are invited to), newest first',
    query: EscalationQuery, response: { status: 200, description: 'Conferences', schema: z.object({ items: z.array(EscalationSchema) }) },
  }, async ({ user, query }) => {
    if (query.region) requireScope(user, query.region);
    const q = db('conferences').select('conferences.*');
    await visible(db, user, q);
    if (query.region) q.where('conferences.region_code', 'like', `${query.region}%`);
    if (query.status) q.where('conferences.status', query.status);
    if (query.caseId) q.where('conferences.case_id', query.caseId);
    const rows = await q.orderBy('conferences.created_at', 'desc').limit(query.limit).offset(query.offset);
    return { items: rows.map(toEscalation) };
  });

  api.route({
    method: 'get', path: '/escalations/:id', tag: 'escalations', summary: 'A conference: opinions (given, awaited, missing), deadlines and the decision',
    params: CaseIdParams, errors: [400, 404],
    response: { status: 200, description: 'Conference', schema: EscalationSchema.extend({ opinions: z.array(OpinionSchema), chairTaskId: z.string().nullable() }) },
  }, async ({ user, params }) => {
    const q = db('conferences').where('conferences.id', params.id).select('conferences.*');
    await visible(db, user, q);
    const r = await q.first();
    if (!r || !inScope(user, r.region_code)) throw notFound('escalation');
    const tasks = await db('tasks').where({ case_id: r.id }).orderBy('id');
    const missing = new Set<string>(r.missing_opinions ?? []);
    const opinions = tasks.filter((t) => t.type === 'conferenceOpinion').map((t) => ({
      department: t.department, taskId: t.id, dueAt: iso(t.due_at),
      status: t.status === 'COMPLETED' ? 'GIVEN' as const : missing.has(t.department) || t.status === 'CANCELLED' ? 'MISSING' as const : 'AWAITED' as const,
      opinion: t.status === 'COMPLETED' ? (t.data?.opinion ?? null) : null, givenBy: t.completed_by ?? null, givenAt: iso(t.completed_at),
    }));
    return { ...toEscalation(r), opinions, chairTaskId: tasks.find((t) => t.type === 'caseConference')?.id ?? null };
  });
};
