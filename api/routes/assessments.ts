// Eligibility: the dry-run assessment, policy parameter versions (supersede, never edit), and decisions that deviated.
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { IsoDateSchema, RegionCodeSchema, iso } from '../http/schemas';
import { requireScope, scopedRegion } from '../http/auth';
import { conflict, unprocessable } from '../http/errors';
import { audit } from '../../data/audit';
import { loadPolicyVersions, toPolicyVersion } from '../../data/policy';
import { HouseholdSchema, membersBornAfter } from '../../domain/household';
import { assessHousehold } from '../../domain/assessment';
import { PolicyParametersSchema, policyInForce } from '../../domain/policy';
import { shanghaiDate } from '../../domain/calendar';

const AssessBody = z
  .object({ regionCode: RegionCodeSchema, asOf: IsoDateSchema.optional(), household: HouseholdSchema })
  .strict();
const NewVersionBody = z
  .object({ regionCode: RegionCodeSchema, effectiveFrom: IsoDateSchema, parameters: PolicyParametersSchema })
  .strict();
const VersionQuery = z.object({ region: RegionCodeSchema.optional() });
const DecisionQuery = z.object({
  deviation: z.enum(['true', 'false']).optional(),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const assessmentRoutes: RouteModule = (api, { db }) => {
  const versions = () => loadPolicyVersions(db);

  api.route(
    {
      method: 'post',
      path: '/assessments',
      tag: 'assessments',
      summary: 'Assess a household without creating a case (dry run)',
      body: AssessBody,
      errors: [400, 422],
    },
    async ({ body }) => {
      const asOf = body.asOf ?? shanghaiDate(Date.now());
      const policy = policyInForce(await versions(), body.regionCode, asOf);
      if (!policy) throw unprocessable('NO_POLICY', `no policy parameters in force for ${body.regionCode} on ${asOf}`);
      const unborn = membersBornAfter(body.household, asOf);
      if (unborn.length)
        throw unprocessable('INVALID_DATE', `members born after asOf ${asOf}: ${unborn.join(', ')}`, {
          memberIds: unborn,
        });
      return { ...assessHousehold(body.household, asOf, policy), sampleParameters: policy.sample };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/policy-versions',
      tag: 'assessments',
      summary: 'Policy parameter versions, newest first',
      query: VersionQuery,
    },
    async ({ query }) => {
      const q = db('policy_versions').orderBy([{ column: 'region_code' }, { column: 'effective_from', order: 'desc' }]);
      if (query.region) q.whereRaw("? like region_code || '%'", [query.region]);
      return {
        items: (await q).map((r) => ({ ...toPolicyVersion(r), createdBy: r.created_by, createdAt: iso(r.created_at) })),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/policy-versions',
      tag: 'assessments',
      summary: 'Add a version (admin); versions in force are superseded, never edited',
      roles: ['admin'],
      body: NewVersionBody,
      errors: [400, 403, 409, 422],
      response: { status: 201, description: 'Created' },
    },
    async ({ user, body }) => {
      requireScope(user, body.regionCode);
      const today = shanghaiDate(Date.now());
      const same = await db('policy_versions')
        .where({ region_code: body.regionCode, effective_from: body.effectiveFrom })
        .first('id', 'effective_from');
      if (same) {
        // Only a version not yet in force may be replaced: a decision may already rest on one in force.
        if (same.effective_from <= today)
          throw conflict(`version ${same.id} is in force; add a new version with a later effectiveFrom`);
        throw conflict(`version ${same.id} already starts on ${body.effectiveFrom}`);
      }
      const id = `${body.regionCode}-${body.effectiveFrom}`;
      await db.transaction(async (trx) => {
        await trx('policy_versions').insert({
          id,
          region_code: body.regionCode,
          effective_from: body.effectiveFrom,
          parameters: JSON.stringify(body.parameters),
          sample: false,
          created_by: user.sub,
        });
        await audit(trx, {
          actor: user.sub,
          role: user.role,
          action: 'policy.add',
          entity: 'policy_version',
          entityId: id,
          after: body,
        });
      });
      return {
        id,
        regionCode: body.regionCode,
        effectiveFrom: body.effectiveFrom,
        parameters: body.parameters,
        sample: false,
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/decisions',
      tag: 'assessments',
      summary: 'Decisions in your region; deviation=true lists those that departed from the assessment',
      query: DecisionQuery,
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = db('decisions')
        .join('cases', 'cases.id', 'decisions.case_id')
        .where('cases.region_code', 'like', `${region}%`)
        .select('decisions.*', 'cases.region_code');
      if (query.deviation) q.where('decisions.deviation', query.deviation === 'true');
      const rows = await q.orderBy('decisions.created_at', 'desc').limit(query.limit).offset(query.offset);
      return {
        items: rows.map((d) => ({
          id: d.id,
          caseId: d.case_id,
          regionCode: d.region_code,
          outcome: d.outcome,
          category: d.category,
          monthlyAmount: d.monthly_amount,
          decidedOn: d.decided_on,
          decidedBy: d.decided_by,
          deviation: d.deviation,
          deviationReason: d.deviation_reason,
          assessed: d.assessment
            ? { category: d.assessment.category, monthlyAmount: d.assessment.monthlyAmount }
            : null,
          policyVersionId: d.policy_version_id,
        })),
      };
    },
  );
};
