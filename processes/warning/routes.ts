// Warnings (预警, docs/monitoring.md): the list and the detail with the rule's explanation; the supervisors' summary by
// class, township, status and age with the warnings' deadlines on the ladder; the two handlings that first open a
// case of their own (a recipient's check here; an application with source DATA_MATCH in
// processes/application/from-warning.ts); and a village assistant's report
// of a hardship found on a visit (铁脚板摸排), which becomes a warning to verify.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteModule } from '../../api/http/context';
import { actorOf, requireScope, scopedRegion, type User } from '../../api/http/auth';
import { conflict, HttpError, notFound, unprocessable } from '../../api/http/errors';
import { idempotentUuid } from '../../api/http/idempotency';
import { page } from '../../api/http/paging';
import { CaseIdParams, RegionCodeSchema, iso } from '../../api/http/schemas';
import { deadlineSummary } from '../../data/deadline-summary';
import { openVerificationTask, warningIn, warningsWithNames } from '../../data/warnings';
import type { Row } from '../../data/db';
import { activeRecipientsOf } from '../../data/person-cases';
import { resolvePeople } from '../../data/people';
import { shanghaiDate } from '../../domain/calendar';
import { parseIdNumber } from '../../domain/idNumber';
import {
  handlingRefusal,
  WARNING_CLASSES,
  WARNING_STATUSES,
  type Handling,
  type WarningClass,
} from '../../domain/monitoring';
import { explainWarning, VISIT_REPORT_RULE, type Finding } from '../../domain/monitoring-rules';
import { openCase } from '../../engine/open-case';
import { reportChangeUpdate } from '../recipient/messages';
import { warningProcess } from './definition';
import type { WarningInput } from './messages';

const READERS = ['caseworker', 'reviewer', 'county_officer', 'supervisor'] as const;
const reason = z.string().trim().min(1).max(2000);

const ListQuery = z.object({
  region: RegionCodeSchema.optional(),
  warningClass: z.enum(WARNING_CLASSES).optional(),
  status: z.enum(WARNING_STATUSES).optional(),
  ruleId: z.string().max(64).optional(),
  runId: z.string().max(100).optional(),
  personId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const WarningSchema = z.object({
  id: z.string(),
  warningClass: z.enum(WARNING_CLASSES),
  ruleId: z.string(),
  ruleVersion: z.number(),
  explanation: z.object({ zh: z.string(), en: z.string() }),
  facts: z.record(z.string(), z.unknown()),
  source: z.string(),
  runId: z.string().nullable(),
  status: z.enum(WARNING_STATUSES),
  regionCode: z.string(),
  villageCode: z.string().nullable(),
  personId: z.string(),
  personName: z.string().nullable(),
  householdId: z.string().nullable(),
  raisedOn: z.string(),
  handling: z.string().nullable(),
  handlingData: z.record(z.string(), z.unknown()).nullable(),
  handledAt: z.string().nullable(),
  outcome: z.string().nullable(),
  outcomeReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  applicationCaseId: z.string().nullable(),
  conferenceId: z.string().nullable(),
  recipientId: z.string().nullable(),
});

function toWarning(r: Row) {
  return {
    id: r.id,
    warningClass: r.warning_class,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    explanation: explainWarning(r.rule_id, r.facts as Finding),
    facts: r.facts,
    source: r.source,
    runId: r.run_id ?? null,
    status: r.status,
    regionCode: r.region_code,
    villageCode: r.village_code ?? null,
    personId: r.person_id,
    personName: r.name ?? null, // masked for the roles that may not read it by the one projection (domain/access.ts)
    householdId: r.household_id ?? null,
    raisedOn: String(r.raised_on).slice(0, 10),
    handling: r.handling ?? null,
    handlingData: r.handling_data ?? null,
    handledAt: iso(r.handled_at),
    outcome: r.outcome ?? null,
    outcomeReason: r.outcome_reason ?? null,
    closedAt: iso(r.closed_at),
    applicationCaseId: r.application_case_id ?? null,
    conferenceId: r.conference_id ?? null,
    recipientId: r.recipient_id ?? null,
  };
}

async function loadWarning(db: Knex, user: User, id: string): Promise<Row> {
  const w = await warningIn(db, user.region, id);
  if (!w) throw notFound('warning');
  return w;
}

/** The warning's open verification task: the handlings that open a case first complete it themselves. */
async function verificationTask(db: Knex, warningId: string): Promise<{ id: string; workflowId: string }> {
  const t = await openVerificationTask(db, warningId);
  if (!t) throw conflict('this warning is verified already (or not yet ready): no open verification task');
  return t;
}

const CheckFromWarning = z.object({ reason, description: z.string().trim().min(1).max(5000) }).strict();

export const VisitReportSchema = z
  .object({
    villageCode: z.string().regex(/^\d{12}$/, 'the 12-digit village code'),
    person: z.object({ name: z.string().trim().min(1).max(50), idNumber: z.string().min(1).max(20) }).strict(),
    warningClass: z.enum(WARNING_CLASSES).describe('what the assistant found: the township may dismiss it'),
    description: z.string().trim().min(1).max(2000),
  })
  .strict();

const SummaryQuery = z.object({ region: RegionCodeSchema.optional() });
const AGE_BUCKETS = `case when w.closed_at is not null then 'closed'
  when current_date - w.raised_on <= 5 then '0-5d' when current_date - w.raised_on <= 15 then '6-15d'
  when current_date - w.raised_on <= 30 then '16-30d' else '31d+' end`;

export const warningRoutes: RouteModule = (api, deps) => {
  const { db, engine } = deps;

  api.route(
    {
      method: 'get',
      path: '/warnings',
      tag: 'monitoring',
      summary: 'Warnings in your region, newest first, with why each was raised',
      roles: [...READERS],
      query: ListQuery,
      response: {
        status: 200,
        description: 'A page of warnings',
        schema: z.object({ items: z.array(WarningSchema), total: z.number(), nextCursor: z.string().nullable() }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = warningsWithNames(db).where('w.region_code', 'like', `${region}%`);
      if (query.warningClass) q.where('w.warning_class', query.warningClass);
      if (query.status) q.where('w.status', query.status);
      if (query.ruleId) q.where('w.rule_id', query.ruleId);
      if (query.runId) q.where('w.run_id', query.runId);
      if (query.personId) q.where('w.person_id', query.personId);
      q.orderBy([
        { column: 'w.raised_at', order: 'desc' },
        { column: 'w.id', order: 'asc' },
      ]);
      return page(q, query, (r: Row) => toWarning(r));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/warnings/summary',
      tag: 'monitoring',
      summary:
        'Warnings by class, township, status and age, with the time from warning to handling; and the warnings’ ' +
        'deadlines by status on the escalation ladder',
      roles: ['supervisor', 'county_officer', 'reviewer', 'caseworker'],
      query: SummaryQuery,
      response: {
        status: 200,
        description: 'Counts',
        schema: z.object({
          region: z.string(),
          items: z.array(
            z.object({
              warningClass: z.enum(WARNING_CLASSES),
              township: z.string(),
              status: z.enum(WARNING_STATUSES),
              age: z.string().describe('open warnings: days since raised (0-5d, 6-15d, 16-30d, 31d+); closed'),
              count: z.number(),
              avgHoursToHandling: z.number().nullable(),
            }),
          ),
          deadlines: z.array(
            z.object({ township: z.string(), kind: z.string(), status: z.string(), count: z.number() }),
          ),
          escalated: z
            .array(z.object({ township: z.string(), kind: z.string(), level: z.number(), count: z.number() }))
            .describe('open warning deadlines past due, by the ladder step reached (1 township, 2 county)'),
        }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const rows = await db('warnings as w')
        .where('w.region_code', 'like', `${region}%`)
        .select(
          'w.warning_class',
          db.raw('left(w.region_code, 9) as township'),
          'w.status',
          db.raw(`${AGE_BUCKETS} as age`),
          db.raw('count(*)::int as n'),
          db.raw('avg(extract(epoch from w.handled_at - w.raised_at)) / 3600 as hours'),
        )
        .groupBy(1, 2, 3, 4)
        .orderBy([1, 2, 3, 4]);
      const kinds = Object.keys(warningProcess.deadlines);
      const deadlines = (await deadlineSummary(db, region)).filter((d) => kinds.includes(d.kind));
      const escalated = await db('deadlines')
        .where('region_code', 'like', `${region}%`)
        .whereIn('kind', kinds)
        .where('status', 'overdue')
        .select(db.raw('left(region_code, 9) as township'), 'kind', 'escalation_level as level')
        .count({ n: '*' })
        .groupBy(1, 2, 3)
        .orderBy([1, 2, 3]);
      return {
        region,
        items: rows.map((r: Row) => ({
          warningClass: r.warning_class,
          township: r.township,
          status: r.status,
          age: r.age,
          count: r.n,
          avgHoursToHandling: r.hours == null ? null : Math.round(Number(r.hours) * 10) / 10,
        })),
        deadlines: deadlines.map(({ township, kind, status, count }) => ({ township, kind, status, count })),
        escalated: escalated.map((r: Row) => ({
          township: r.township,
          kind: r.kind,
          level: Number(r.level),
          count: Number(r.n),
        })),
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/warnings/:id',
      tag: 'monitoring',
      summary: 'A warning: why it was raised, how it was handled, its outcome, department feedback',
      roles: [...READERS],
      params: CaseIdParams,
      response: {
        status: 200,
        description: 'The warning',
        schema: WarningSchema.extend({
          feedback: z.array(
            z.object({
              department: z.string(),
              outcome: z.string(),
              feedback: z.string(),
              kind: z.string().nullable(),
              amount: z.number().nullable(),
              reportedOn: z.string(),
            }),
          ),
        }),
      },
      errors: [404],
    },
    async ({ user, params }) => {
      const w = await loadWarning(db, user, params.id);
      const feedback = await db('warning_feedback').where({ warning_id: w.id }).orderBy('created_at');
      return {
        ...toWarning(w),
        feedback: feedback.map((f: Row) => ({
          department: f.department,
          outcome: f.outcome,
          feedback: f.feedback,
          kind: f.assistance_kind ?? null,
          amount: f.amount == null ? null : Number(f.amount),
          reportedOn: String(f.reported_on).slice(0, 10),
        })),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/warnings/:id/recipient-check',
      tag: 'monitoring',
      summary:
        "Handle a warning by a check of the recipient covering the person (the recipient's change check, which may " +
        'end in termination with its notice)',
      roles: ['caseworker'],
      params: CaseIdParams,
      body: CheckFromWarning,
      response: {
        status: 201,
        description: 'The check opened',
        schema: z.object({ recipientId: z.string(), checkId: z.string(), taskId: z.string() }),
      },
      errors: [400, 403, 404, 409],
    },
    async ({ user, params, body }) => {
      const w = await loadWarning(db, user, params.id);
      requireHandling(w, 'RECIPIENT_CHECK');
      const task = await verificationTask(db, w.id);
      const [recipient] = await activeRecipientsOf(db, [w.person_id]);
      if (!recipient) throw conflict('the person is covered by no active recipient: there is nothing to check');
      const rc = await db('cases').where({ id: recipient.recipientId }).first('workflow_id');
      const opened = await engine.update(rc.workflow_id, reportChangeUpdate, {
        report: { description: body.description, externalRef: `warning:${w.id}` },
        actor: actorOf(user),
      });
      await engine.completeTask(task.workflowId, {
        taskId: task.id,
        outcome: 'RECIPIENT_CHECK',
        data: { recipientId: recipient.recipientId, checkId: opened.checkId, reason: body.reason },
        actor: actorOf(user),
      });
      return { recipientId: recipient.recipientId, ...opened };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/warnings/visit-reports',
      tag: 'monitoring',
      summary:
        'A village assistant reports a hardship found on a visit (铁脚板摸排): it becomes a warning for the ' +
        'township to verify; honours Idempotency-Key',
      roles: ['village_assistant'],
      body: VisitReportSchema,
      response: {
        status: 201,
        description: 'The warning raised',
        schema: z.object({ warningId: z.string().uuid(), openTasks: z.array(z.object({ taskId: z.string() })) }),
      },
      errors: [400, 403, 409, 422],
    },
    async ({ req, user, body }) => {
      // Village-scoped: an assistant reports from their own village only.
      requireScope(user, body.villageCode);
      return reportVisit(deps, user, body, req.header('idempotency-key') ?? undefined);
    },
  );
};

/** Refused before the linked case is opened, so a wrong handling opens nothing. */
function requireHandling(w: Row, handling: Handling): void {
  const refusal = handlingRefusal(w.warning_class as WarningClass, handling);
  if (refusal) throw unprocessable('HANDLING_NOT_ALLOWED', refusal);
}

async function reportVisit(
  deps: Parameters<RouteModule>[1],
  user: User,
  body: z.infer<typeof VisitReportSchema>,
  idempotencyKey?: string,
) {
  const { db } = deps;
  const today = shanghaiDate(Date.now());
  const township = body.villageCode.slice(0, 9);
  const region = await db('regions').where({ code: township, level: 'TOWNSHIP' }).first('code');
  if (!region) throw unprocessable('UNKNOWN_REGION', `${township} is not a township of this county`);
  const id = parseIdNumber(body.person.idNumber, { today });
  if (!id.valid)
    throw unprocessable('INVALID_ID_NUMBER', id.message, [{ path: 'person.idNumber', message: id.message }]);
  const warningId = idempotencyKey ? idempotentUuid(user.sub, idempotencyKey) : randomUUID();
  const input: WarningInput = {
    warningId,
    regionCode: township,
    warningClass: body.warningClass as WarningClass,
    source: 'VISIT',
    raisedOn: today,
  };
  const opened = await openCase(deps, {
    definition: warningProcess,
    row: {
      id: warningId,
      regionCode: township,
      source: 'VISIT',
      activeSteps: ['warningVerification'],
      receivedOn: today,
      createdBy: user.sub,
    },
    before: async (trx) => {
      const person = (
        await resolvePeople(trx, [
          { idNumber: id.normalized, name: body.person.name, birthDate: id.birthDate, sex: id.sex },
        ])
      ).get(id.normalized)!;
      const household = await trx('members').where({ person_id: person.id }).whereNull('left_on').first('household_id');
      const inserted = await trx.raw(
        `insert into warnings (id, person_id, household_id, region_code, village_code, warning_class, rule_id,
                               rule_version, facts, source, status, raised_on, reported_by)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'VISIT', 'RAISED', ?, ?)
         on conflict (person_id, rule_id) where closed_at is null do nothing returning id`,
        [
          warningId,
          person.id,
          household?.household_id ?? null,
          township,
          body.villageCode,
          body.warningClass,
          VISIT_REPORT_RULE.id,
          VISIT_REPORT_RULE.version,
          JSON.stringify({ description: body.description }),
          today,
          user.sub,
        ],
      );
      if (!inserted.rows.length) {
        const open = await trx('warnings')
          .where({ person_id: person.id, rule_id: VISIT_REPORT_RULE.id })
          .whereNull('closed_at')
          .first('id', 'region_code', 'status');
        throw new HttpError(409, 'OPEN_WARNING_EXISTS', 'a visit report on this person is still being handled', {
          warning: open?.region_code.startsWith(user.region.slice(0, 9))
            ? { warningId: open.id, status: open.status }
            : undefined,
        });
      }
      return household ? { householdId: household.household_id } : undefined;
    },
    audit: {
      actor: user.sub,
      role: user.role,
      action: 'warning.visitReport',
      after: { villageCode: body.villageCode, warningClass: body.warningClass },
      reason: body.description,
    },
    input,
  });
  return {
    warningId,
    openTasks: (opened.snapshot?.openTasks ?? []).map((t) => ({ taskId: t.taskId })),
  };
}
