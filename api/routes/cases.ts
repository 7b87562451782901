// Cases of every process: list and detail for caseworkers and supervisors; objections during a publicity.
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { RouteModule } from '../http/context';
import { CaseIdParams, RegionCodeSchema, toDeadline, toTask, iso } from '../http/schemas';
import { CaseSummarySchema } from '../schemas';
import { actorOf, scopedRegion } from '../http/auth';
import { loadCase } from '../http/scope';
import { audit, caseTimeline } from '../../data/audit';
import { casesQuery } from '../../data/cases';
import { deadlinesOfCase } from '../../data/deadlines';
import { casePeopleOf, getHousehold, idNumberOf } from '../../data/people';
import { tasksOfCase } from '../../data/tasks';
import { fileObjectionUpdate } from '../../engine/messages';
import { CASE_STATUSES } from '../../processes';
import type { Row } from '../../data/db';
import { page } from '../http/paging';

const CaseQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const ReasonBody = z.object({ reason: text(2000) }).strict();

function toSummary(r: Row) {
  return {
    id: r.id,
    process: r.process,
    status: r.status,
    regionCode: r.region_code,
    activeSteps: r.active_steps ?? [],
    receivedOn: r.received_on,
    acceptedOn: r.accepted_on ?? null,
    decidedOn: r.decided_on ?? null,
    applicantName: r.applicant_name ?? null,
  };
}

export const caseRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'get',
      path: '/cases',
      tag: 'cases',
      summary: 'Cases in your region, newest first',
      query: CaseQuery,
      response: { status: 200, description: 'Cases', schema: z.object({ items: z.array(CaseSummarySchema) }) },
    },
    async ({ user, query }) => {
      return page(casesQuery(db, { region: scopedRegion(user, query.region), status: query.status }), query, toSummary);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/cases/:id',
      tag: 'cases',
      summary: 'A case: household, status, active steps, tasks, deadlines, decisions, timeline',
      params: CaseIdParams,
      errors: [400, 404],
    },
    async ({ user, params }) => {
      const c = await loadCase(db, user, params.id);
      const [household, members, tasks, deadlines, decisions, notices, timeline, activeSteps, staff] =
        await Promise.all([
          c.household_id ? getHousehold(db, c.household_id) : undefined,
          casePeopleOf(db, c.id),
          tasksOfCase(db, c.id),
          deadlinesOfCase(db, c.id),
          db('decisions').where({ case_id: c.id }).orderBy('created_at'),
          db('notices')
            .where({ case_id: c.id })
            .select('id', 'kind', 'notice_no', 'status', 'created_at', 'issued_at', 'issued_on'),
          caseTimeline(db, c.id),
          engine.activeSteps(c.workflow_id),
          db('staff_relative_registrations').where({ case_id: c.id }).first('staff_role', 'relation', 'registered_at'),
        ]);
      return {
        ...toSummary({ ...c, applicant_name: members.find((m) => m.relation === 'APPLICANT')?.name ?? null }),
        activeSteps: activeSteps ?? c.active_steps,
        returnedMissing: c.returned_missing ?? null,
        household: household && {
          id: household.id,
          regionCode: household.region_code,
          villageCode: household.village_code,
          residence: household.residence,
          economy: c.economy ?? household.economy,
          members: members.map((m) => ({
            memberId: m.member_key,
            personId: m.person_id,
            name: m.name,
            idNumber: idNumberOf(m),
            relation: m.relation,
            birthDate: m.birth_date,
            sex: m.sex,
          })), // masked for the roles that may not read them by the API layer (domain/access.ts)
        },
        assessment: c.assessment ?? null,
        tasks: tasks.map((t) => toTask(t)),
        deadlines: deadlines.map(toDeadline),
        decisions: decisions.map((d) => ({
          id: d.id,
          outcome: d.outcome,
          category: d.category,
          coverage: d.coverage,
          monthlyAmount: d.monthly_amount,
          startMonth: d.start_month,
          reasons: d.reasons,
          decidedOn: d.decided_on,
          decidedBy: d.decided_by,
          policyVersionId: d.policy_version_id,
          deviation: d.deviation,
          deviationReason: d.deviation_reason,
          confirmingLevel: d.confirming_level ?? null,
        })),
        // 近亲属备案 (docs/policy.md §2.5): the staff member's name stays in the registration, not in the case view.
        staffRelative: staff
          ? { staffRole: staff.staff_role, relation: staff.relation, registeredAt: iso(staff.registered_at) }
          : null,
        notices: notices.map((n) => ({
          id: n.id,
          kind: n.kind,
          noticeNo: n.notice_no,
          status: n.status,
          createdAt: iso(n.created_at),
          issuedAt: iso(n.issued_at),
          issuedOn: n.issued_on ?? null,
        })),
        timeline: timeline.map((e) => ({
          at: iso(e.at),
          actor: e.actor,
          role: e.role,
          action: e.action,
          entity: e.entity,
          entityId: e.entity_id,
          after: e.after,
          reason: e.reason,
        })),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/cases/:id/objections',
      tag: 'cases',
      summary: 'Record an objection (异议) during publicity: investigation reopens',
      roles: ['caseworker', 'village_assistant', 'reviewer', 'county_officer'],
      params: CaseIdParams,
      body: ReasonBody,
      response: { status: 202, description: 'Objection accepted; the case is back in investigation' },
      errors: [400, 403, 404, 409],
    },
    async ({ user, params, body }) => {
      const c = await loadCase(db, user, params.id);
      const r = await engine.update(c.workflow_id, fileObjectionUpdate, { reason: body.reason, actor: actorOf(user) });
      // The workflow wrote the row with the reopened steps; a case older than that writes it here, as before.
      if (!r.audited)
        await audit(db, {
          actor: user.sub,
          role: user.role,
          action: 'case.objection',
          caseId: c.id,
          entity: 'case',
          entityId: c.id,
          reason: body.reason,
        });
      return { caseId: c.id, accepted: true };
    },
  );
};
