// 一户（人）一条救助链: every payment of every path (monthly roster, emergency advance, stages, conference raises,
// temporary assistance), every decision of a household, and the assistance departments reported, on one timeline
// (data/assistance-chain.ts). A household merged into another (migrations/010_population.ts) answers as the survivor.
import { z } from 'zod';
import type { Knex } from 'knex';
import type { RouteModule } from '../http/context';
import { inScope, User } from '../http/auth';
import { notFound } from '../http/errors';
import { iso, toPayment } from '../http/schemas';
import { chainView, householdChain } from '../../data/assistance-chain';
import { survivingHousehold } from '../../data/people';

const Params = z.object({ id: z.string().uuid() });

/** Visible when the household, or any case of it, lies in the user's region; otherwise it looks absent. */
export async function loadHousehold(db: Knex, user: User, requested: string) {
  const id = await survivingHousehold(db, requested);
  const h = await db('households').where({ id }).first('id', 'region_code', 'residence');
  if (!h) throw notFound('household');
  if (inScope(user, h.region_code)) return h;
  const regions = await db('cases').where({ household_id: id }).distinct('region_code');
  if (!regions.some((r) => inScope(user, r.region_code))) throw notFound('household');
  return h;
}

export const assistanceChainRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'get',
      path: '/households/:id/assistance-chain',
      tag: 'assistance chain',
      summary: 'Every assistance of a household and its members, every path and department, on one timeline',
      params: Params,
      errors: [400, 404],
    },
    async ({ user, params }) => {
      const h = await loadHousehold(db, user, params.id);
      const [chain, plans, emergencies] = await Promise.all([
        householdChain(db, h.id),
        db('assistance_plans').where({ household_id: h.id }).orderBy('created_at'),
        db('emergencies')
          .where({ household_id: h.id })
          .orderBy('created_at')
          .select(
            'case_id',
            'hardship',
            'requested_amount',
            'paid_on',
            'justification_outcome',
            'justified_on',
            'follow_up_case_id',
            'conference_id',
            'conference_decision',
          ),
      ]);
      const view = chainView(chain);
      return {
        householdId: h.id,
        requestedId: params.id,
        regionCode: h.region_code,
        cases: view.cases,
        payments: chain.payments.map(toPayment),
        decisions: view.decisions,
        assistance: view.assistance,
        emergencies: emergencies.map((e) => ({
          caseId: e.case_id,
          hardship: e.hardship,
          advance: e.requested_amount,
          paidOn: e.paid_on,
          justificationOutcome: e.justification_outcome,
          justifiedOn: e.justified_on,
          followUpCaseId: e.follow_up_case_id,
          conferenceId: e.conference_id,
          conferenceDecision: e.conference_decision,
        })),
        plans: plans.map((p) => ({
          id: p.id,
          caseId: p.case_id,
          status: p.status,
          approvedOn: p.approved_on,
          approvedBy: p.approved_by,
          stages: p.stages,
          updatedAt: iso(p.updated_at),
        })),
        timeline: view.timeline,
        totals: view.totals,
      };
    },
  );
};
