// 一户（人）一条救助链: every payment of every path (monthly roster, emergency advance, stages, conference raises,
// temporary assistance) and every decision of a household, from the one payments table, with totals per month.
import { z } from 'zod';
import type { Knex } from 'knex';
import type { RouteModule } from '../http/context';
import { inScope, User } from '../http/auth';
import { notFound } from '../http/errors';
import { iso, toPayment } from '../http/schemas';
import { toFen, fenToYuan } from '../../domain/money';

const Params = z.object({ id: z.string().uuid() });

/** Visible when the household, or any case of it, lies in the user's region; otherwise it looks absent. */
async function loadHousehold(db: Knex, user: User, id: string) {
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
      summary: 'Every payment and decision of a household, every path, with totals per month and per kind',
      params: Params,
      errors: [400, 404],
    },
    async ({ user, params }) => {
      const h = await loadHousehold(db, user, params.id);
      const [cases, payments, decisions, plans, emergencies] = await Promise.all([
        db('cases')
          .where({ household_id: h.id })
          .orderBy('created_at')
          .select('id', 'process', 'status', 'region_code', 'received_on'),
        db('payments')
          .where({ household_id: h.id })
          .orderBy([{ column: 'month' }, { column: 'created_at' }]),
        db('decisions')
          .join('cases', 'cases.id', 'decisions.case_id')
          .where('cases.household_id', h.id)
          .orderBy('decisions.decided_on')
          .select(
            'decisions.id',
            'decisions.case_id',
            'decisions.outcome',
            'decisions.category',
            'decisions.monthly_amount',
            'decisions.start_month',
            'decisions.decided_on',
            'decisions.decided_by',
          ),
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
      // Summed in fen, shown in yuan.
      const byMonth: Record<string, number> = {};
      const byKind: Record<string, number> = {};
      let total = 0;
      for (const p of payments) {
        const fen = toFen(Number(p.amount));
        byMonth[p.month] = (byMonth[p.month] ?? 0) + fen;
        byKind[p.kind] = (byKind[p.kind] ?? 0) + fen;
        total += fen;
      }
      for (const k of Object.keys(byMonth)) byMonth[k] = fenToYuan(byMonth[k]);
      for (const k of Object.keys(byKind)) byKind[k] = fenToYuan(byKind[k]);
      return {
        householdId: h.id,
        regionCode: h.region_code,
        cases: cases.map((c) => ({
          id: c.id,
          process: c.process,
          status: c.status,
          regionCode: c.region_code,
          receivedOn: c.received_on,
        })),
        payments: payments.map(toPayment),
        decisions: decisions.map((d) => ({
          id: d.id,
          caseId: d.case_id,
          outcome: d.outcome,
          category: d.category,
          monthlyAmount: d.monthly_amount,
          startMonth: d.start_month,
          decidedOn: d.decided_on,
          decidedBy: d.decided_by,
        })),
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
        totals: { total: fenToYuan(total), byMonth, byKind },
      };
    },
  );
};
