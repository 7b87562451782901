// Recipients (救助对象) over time: list and detail with check history, amount in force and next check; change reports.
import { z } from 'zod';
import type { RouteModule } from '../../api/http/context';
import { CaseIdParams, RegionCodeSchema, iso } from '../../api/http/schemas';
import { actorOf, inScope, scopedRegion } from '../../api/http/auth';
import { conflict, notFound } from '../../api/http/errors';
import { loadCase } from '../../api/http/scope';
import { page } from '../../api/http/paging';
import { getCase } from '../../data/cases';
import { shanghaiDate } from '../../domain/calendar';
import { monthOf } from '../../domain/dates';
import { ASSISTANCE_CATEGORIES } from '../../domain/glossary';
import { CHECK_TYPES } from '../../domain/recipient';
import { CHANGE_REPORTERS, recipientProcess } from './definition';
import { reportChangeUpdate } from './messages';
import { ChangeReportSchema } from './schemas';
import type { Row } from '../../data/db';

const RecipientQuery = z.object({
  status: z.enum(['ACTIVE', 'TERMINATED']).optional(),
  category: z.enum(ASSISTANCE_CATEGORIES).optional(),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const RecipientSummarySchema = z.object({
  id: z.string(),
  caseId: z.string(),
  applicationCaseId: z.string(),
  regionCode: z.string(),
  status: z.string(),
  category: z.string(),
  monthlyAmount: z.number(),
  householdType: z.string().nullable(),
  startMonth: z.string(),
  stopMonth: z.string().nullable(),
  determinedOn: z.string(),
  headName: z.string().nullable(),
  nextCheck: z.object({ type: z.string(), on: z.string() }).nullable(),
});

function toSummary(r: Row) {
  return {
    id: r.id,
    caseId: r.id,
    applicationCaseId: r.case_id,
    regionCode: r.region_code,
    status: r.status,
    category: r.category,
    monthlyAmount: Number(r.monthly_amount),
    householdType: r.household_type ?? null,
    startMonth: r.start_month,
    stopMonth: r.stop_month ?? null,
    determinedOn: r.determined_on,
    headName: r.head_name ?? null,
    nextCheck: r.next_check_on ? { type: r.next_check_type, on: r.next_check_on } : null,
  };
}

export const recipientRoutes: RouteModule = (api, { db, engine }) => {
  const withHead = () =>
    db('recipients')
      .leftJoin('people as head', 'head.id', 'recipients.person_id')
      .select('recipients.*', 'head.name as head_name');

  api.route(
    {
      method: 'get',
      path: '/recipients',
      tag: 'recipients',
      summary: 'Recipient households in your region',
      query: RecipientQuery,
      response: {
        status: 200,
        description: 'Recipients',
        schema: z.object({ items: z.array(RecipientSummarySchema) }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = withHead().where('recipients.region_code', 'like', `${region}%`);
      if (query.status) q.where('recipients.status', query.status);
      if (query.category) q.where('recipients.category', query.category);
      return page(
        q.orderBy([{ column: 'recipients.determined_on', order: 'desc' }, { column: 'recipients.id' }]),
        query,
        toSummary,
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/recipients/:id',
      tag: 'recipients',
      summary: 'A recipient: check history, amount in force, next due check',
      params: CaseIdParams,
      errors: [400, 404],
    },
    async ({ user, params }) => {
      const r = await withHead().where('recipients.id', params.id).first();
      if (!r || !inScope(user, r.region_code)) throw notFound('recipient');
      const month = monthOf(shanghaiDate(Date.now()));
      const [checks, amounts, openCheck] = await Promise.all([
        db('recipient_checks').where({ recipient_id: r.id }).orderBy('created_at'),
        db('recipient_amounts').where({ recipient_id: r.id }).orderBy('from_month'),
        db('tasks')
          .where({ case_id: r.id, status: 'OPEN' })
          .whereIn('type', CHECK_TYPES)
          .orderByRaw('due_at asc nulls last')
          .first(),
      ]);
      const inForce = [...amounts].reverse().find((a) => a.from_month <= month);
      const paidThisMonth = r.start_month <= month && (!r.stop_month || r.stop_month > month);
      return {
        ...toSummary(r),
        terminatedOn: r.terminated_on ?? null,
        currentAmount: {
          month,
          paid: paidThisMonth && !!inForce,
          amount: paidThisMonth && inForce ? Number(inForce.amount) : 0,
          category: inForce?.category ?? r.category,
          fromMonth: inForce?.from_month ?? null,
        },
        // An open check is the next due one; otherwise the next the workflow has scheduled.
        nextDueCheck: openCheck
          ? { type: openCheck.type, taskId: openCheck.id, status: 'OPEN', dueAt: iso(openCheck.due_at) }
          : r.next_check_on
            ? { type: r.next_check_type, taskId: null, status: 'SCHEDULED', on: r.next_check_on }
            : null,
        amounts: amounts.map((a) => ({
          fromMonth: a.from_month,
          category: a.category,
          amount: Number(a.amount),
          source: a.source,
        })),
        checks: checks.map((c) => ({
          id: c.id,
          type: c.type,
          trigger: c.trigger,
          taskId: c.task_id,
          openedOn: c.opened_on,
          dueOn: c.due_on,
          report: c.report,
          reportedBy: c.reported_by,
          outcome: c.outcome,
          data: c.data,
          decidedOn: c.decided_on,
          decidedBy: c.decided_by,
        })),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/cases/:id/change-reports',
      tag: 'recipients',
      summary:
        'Report a change in a recipient household (家庭状况变化): a check opens at once. The id is the recipient case ' +
        'or its application case.',
      roles: CHANGE_REPORTERS,
      params: CaseIdParams,
      body: ChangeReportSchema,
      response: {
        status: 201,
        description: 'The check opened',
        schema: z.object({ caseId: z.string(), checkId: z.string(), taskId: z.string() }),
      },
      errors: [400, 403, 404, 409, 422],
    },
    async ({ user, params, body }) => {
      let c = await loadCase(db, user, params.id);
      if (c.process === 'application') {
        const r = await db('recipients').where({ case_id: c.id }).first('id');
        const rc = r && (await getCase(db, r.id));
        if (!rc)
          throw conflict(
            'this application case has no recipient process (not approved, or enrolled before recipients were tracked)',
          );
        c = rc;
      } else if (c.process !== recipientProcess.name) {
        throw conflict(`change reports are for recipient households; this is a ${c.process} case`);
      }
      // The check's own row (check.open: the reporter, the report) is written with the check, by the workflow.
      const opened = await engine.update(c.workflow_id, reportChangeUpdate, { report: body, actor: actorOf(user) });
      return { caseId: c.id, ...opened };
    },
  );
};
