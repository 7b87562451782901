// Conference requests (会商申请, "escalations" in the HTTP paths integrators already use) and the conferences that
// follow (一事一议): the request, the list and the detail with opinions given, awaited or missing.
import { z } from 'zod';
import type { Knex } from 'knex';
import type { RouteModule } from '../../api/http/context';
import { page } from '../../api/http/paging';
import { CaseIdParams, RegionCodeSchema, iso } from '../../api/http/schemas';
import { requireScope, inScope, User } from '../../api/http/auth';
import { notFound } from '../../api/http/errors';
import { idempotent } from '../../api/http/idempotency';
import { integratorOf } from '../../api/http/integrators';
import { DEPARTMENTS } from '../../domain/glossary';
import { ConferenceRequestBody, requestConference } from './request';
import type { Row } from '../../data/db';

const ConferenceQuery = z.object({
  status: z.enum(['CONVENED', 'DECIDED']).optional(),
  caseId: z.string().uuid().optional(),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const OpinionSchema = z.object({
  department: z.enum(DEPARTMENTS),
  status: z.enum(['AWAITED', 'GIVEN', 'MISSING']),
  taskId: z.string(),
  opinion: z.string().nullable(),
  givenBy: z.string().nullable(),
  givenAt: z.string().nullable(),
  dueAt: z.string().nullable(),
});
const DecisionSchema = z.object({
  conferenceId: z.string(),
  outcome: z.enum(['RAISE_AMOUNT', 'DEPARTMENT_TAKES_OVER', 'NO_CHANGE']),
  raisedAmount: z.number().optional(),
  department: z.enum(DEPARTMENTS).optional(),
  notes: z.string().optional(),
  missingOpinions: z.array(z.enum(DEPARTMENTS)),
  decidedOn: z.string(),
});
const ConferenceSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  regionCode: z.string(),
  status: z.enum(['CONVENED', 'DECIDED']),
  reason: z.string(),
  proposal: z.string().nullable(),
  departments: z.array(z.enum(DEPARTMENTS)),
  requestedBy: z.string(),
  requesterRef: z.string().nullable(),
  integratorId: z.string().nullable(),
  opinionDueOn: z.string().nullable(),
  createdAt: z.string(),
  decidedOn: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decision: DecisionSchema.nullable(),
  missingOpinions: z.array(z.enum(DEPARTMENTS)).nullable(),
});

function toConference(r: Row) {
  return {
    id: r.id,
    caseId: r.case_id,
    regionCode: r.region_code,
    status: r.status,
    reason: r.reason,
    proposal: r.proposal ?? null,
    departments: r.departments,
    requestedBy: r.requested_by,
    requesterRef: r.requester_ref ?? null,
    integratorId: r.integrator_id ?? null,
    opinionDueOn: r.opinion_due_on ?? null,
    createdAt: iso(r.created_at)!,
    decidedOn: r.decided_on ?? null,
    decidedBy: r.decided_by ?? null,
    decision: r.decision ?? null,
    missingOpinions: r.missing_opinions ?? null,
  };
}

/**
 * Integrators see the conferences they asked for; departments those they are invited to; everyone else their region's.
 */
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

export const conferenceRequestRoutes: RouteModule = (api, { db, engine }) => {
  api.registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-Api-Key' });

  api.route(
    {
      method: 'post',
      path: '/cases/:id/escalations',
      tag: 'escalations',
      summary:
        'Bring a case before the county coordination mechanism (一事一议); honours Idempotency-Key. Integrators may ' +
        'use X-Api-Key.',
      roles: ['integrator', 'county_officer'],
      params: CaseIdParams,
      body: ConferenceRequestBody,
      response: {
        status: 202,
        description: 'Conference convened',
        schema: z.object({ conferenceId: z.string().uuid(), caseId: z.string().uuid(), status: z.literal('CONVENED') }),
      },
      errors: [400, 403, 404, 422],
    },
    async ({ req, res, user, params, body }) => {
      res.status(202);
      return idempotent({ db, req, res, user }, `POST /cases/${params.id}/escalations`, body, 202, (key) =>
        requestConference({ db, engine }, user, params.id, body, key),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/escalations',
      tag: 'escalations',
      summary:
        'Conferences in your region (integrators: their own; departments: those they are invited to), newest first',
      query: ConferenceQuery,
      response: { status: 200, description: 'Conferences', schema: z.object({ items: z.array(ConferenceSchema) }) },
    },
    async ({ user, query }) => {
      if (query.region) requireScope(user, query.region);
      const q = db('conferences').select('conferences.*');
      await visible(db, user, q);
      if (query.region) q.where('conferences.region_code', 'like', `${query.region}%`);
      if (query.status) q.where('conferences.status', query.status);
      if (query.caseId) q.where('conferences.case_id', query.caseId);
      return page(
        q.orderBy([{ column: 'conferences.created_at', order: 'desc' }, { column: 'conferences.id' }]),
        query,
        toConference,
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/escalations/:id',
      tag: 'escalations',
      summary: 'A conference: opinions (given, awaited, missing), deadlines and the decision',
      params: CaseIdParams,
      errors: [400, 404],
      response: {
        status: 200,
        description: 'Conference',
        schema: ConferenceSchema.extend({ opinions: z.array(OpinionSchema), chairTaskId: z.string().nullable() }),
      },
    },
    async ({ user, params }) => {
      const q = db('conferences').where('conferences.id', params.id).select('conferences.*');
      await visible(db, user, q);
      const r = await q.first();
      if (!r || !inScope(user, r.region_code)) throw notFound('escalation');
      const tasks = await db('tasks').where({ case_id: r.id }).orderBy('id');
      const missing = new Set<string>(r.missing_opinions ?? []);
      const opinions = tasks
        .filter((t) => t.type === 'conferenceOpinion')
        .map((t) => ({
          department: t.department,
          taskId: t.id,
          dueAt: iso(t.due_at),
          status:
            t.status === 'COMPLETED'
              ? ('GIVEN' as const)
              : missing.has(t.department) || t.status === 'CANCELLED'
                ? ('MISSING' as const)
                : ('AWAITED' as const),
          opinion: t.status === 'COMPLETED' ? (t.data?.opinion ?? null) : null,
          givenBy: t.completed_by ?? null,
          givenAt: iso(t.completed_at),
        }));
      return { ...toConference(r), opinions, chairTaskId: tasks.find((t) => t.type === 'caseConference')?.id ?? null };
    },
  );
};
