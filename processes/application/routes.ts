// POST /applications: a household applies (申请); the case and its workflow start, and the answer comes once the
// first task (accept) exists. POST /cases/:id/extensions: the one extension of the whole-case limit.
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { RouteModule } from '../../api/http/context';
import { requireScope, actorOf } from '../../api/http/auth';
import { conflict, forbidden } from '../../api/http/errors';
import { idempotent } from '../../api/http/idempotency';
import { CaseIdParams } from '../../api/http/schemas';
import { loadCase } from '../../api/http/scope';
import { audit } from '../../data/audit';
import { applicationProcess } from './definition';
import { extendCaseUpdate } from './messages';
import { applicationFromWarningRoutes } from './from-warning';
import { ApplicationSchema, submitApplication } from './submit';

const ReasonBody = z.object({ reason: text(2000) }).strict();

/** The README's walk-through household, as the example in /docs. */
const APPLICATION_EXAMPLE = {
  regionCode: '410721100',
  source: 'SELF_DECLARED',
  receivedOn: '2026-09-01',
  people: [{ memberId: 'm1', name: '王秀英', idNumber: '410721197506150021' }],
  household: {
    residence: 'RURAL',
    members: [
      {
        memberId: 'm1',
        relation: 'APPLICANT',
        birthDate: '1975-06-15',
        laborCapacity: 'PARTIAL',
        seriousIllness: false,
        studentLevel: 'NONE',
        employed: false,
      },
    ],
    incomes: [{ memberId: 'm1', kind: 'WAGES', monthlyAmount: 200 }],
    assets: { deposits: 1000, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
    rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
    legalSupporters: [],
  },
};

export const applicationRoutes: RouteModule = (api, deps) => {
  applicationFromWarningRoutes(api, deps);
  api.route(
    {
      method: 'post',
      path: '/applications',
      tag: 'applications',
      summary: 'Submit an application (申请); honours Idempotency-Key',
      // An integrator submits applications its data matched (source DATA_MATCH, docs/monitoring.md), nothing else.
      roles: ['caseworker', 'village_assistant', 'county_officer', 'integrator'],
      body: ApplicationSchema,
      example: APPLICATION_EXAMPLE,
      response: {
        status: 201,
        description: 'Case created; the household is the known household of its members when there is one',
        schema: z.object({ caseId: z.string().uuid(), householdId: z.string().uuid().optional() }),
      },
      errors: [400, 403, 409, 422],
    },
    async ({ req, res, user, body }) => {
      requireScope(user, body.regionCode);
      if (user.role === 'integrator' && body.source !== 'DATA_MATCH')
        throw forbidden('an integrator submits data-matched applications only (source DATA_MATCH)');
      return idempotent({ db: deps.db, req, res, user }, 'POST /applications', body, 201, (key) =>
        submitApplication(deps, actorOf(user), body, key),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/cases/:id/extensions',
      tag: 'cases',
      summary: 'Extend the 30-working-day case limit once by 15, with a recorded reason',
      roles: ['reviewer', 'county_officer'],
      params: CaseIdParams,
      body: ReasonBody,
      response: { status: 200, description: 'The new whole-case due date', schema: z.object({ dueOn: z.string() }) },
      errors: [400, 403, 404, 409],
    },
    async ({ user, params, body }) => {
      const c = await loadCase(deps.db, user, params.id);
      if (c.process !== applicationProcess.name)
        throw conflict(`only an application has a whole-case limit; this is a ${c.process} case`);
      const { audited, ...r } = await deps.engine.update(c.workflow_id, extendCaseUpdate, {
        reason: body.reason,
        actor: actorOf(user),
      });
      // The workflow wrote the row with the moved deadline; a case older than that writes it here, as before.
      if (!audited)
        await audit(deps.db, {
          actor: user.sub,
          role: user.role,
          action: 'case.extend',
          caseId: c.id,
          entity: 'case',
          entityId: c.id,
          after: r,
          reason: body.reason,
        });
      return r;
    },
  );
};
