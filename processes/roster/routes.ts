// The monthly payment roster (发放花名册): JSON, CSV (Excel-ready) and a printable Chinese PDF, scoped by region; and a
// manual run of the roster for a month (the Schedule runs it on the 1st; a rerun adds nothing).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoMonth } from '../../domain/schemas';
import type { RouteModule } from '../../api/http/context';
import { RegionCodeSchema } from '../../api/http/schemas';
import { requireScope, scopedRegion } from '../../api/http/auth';
import { audit } from '../../data/audit';
import { COUNTY_REGION } from '../../domain/glossary';
import type { RosterRunResult } from './activities';
import { ROSTER_WORKFLOW_TYPE, rosterWorkflowId } from './definition';
import { rosterPage, rosterTotals, renderRosterPdf, writeRosterCsv } from './export';
import { writeRosterXlsx } from './xlsx';

const MonthSchema = isoMonth();
const RosterQuery = z.object({ month: MonthSchema, region: RegionCodeSchema.optional() });
const PageQuery = RosterQuery.extend({
  after: z.string().max(120).optional(), // the last paymentId of the previous page
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
const READERS = ['caseworker', 'reviewer', 'county_officer', 'supervisor', 'integrator'] as const;

const LineSchema = z.object({
  paymentId: z.string(),
  recipientId: z.string(),
  caseId: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  month: z.string(),
  category: z.string(),
  amount: z.number(),
  headName: z.string().nullable(),
  headIdNumberMasked: z.string().nullable(),
  householdSize: z.number().nullable(),
});

export const paymentRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'get',
      path: '/payments',
      tag: 'payments',
      summary: 'Monthly payment lines of a month in your region (keyset pages by paymentId)',
      roles: READERS,
      query: PageQuery,
      response: {
        status: 200,
        description: 'Roster lines',
        schema: z.object({
          month: z.string(),
          region: z.string(),
          lines: z.number(),
          totalAmount: z.number(),
          items: z.array(LineSchema),
          next: z.string().nullable(),
        }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const [items, totals] = await Promise.all([
        rosterPage(db, query.month, region, query.after ?? '', query.limit),
        rosterTotals(db, query.month, region),
      ]);
      return {
        month: query.month,
        region,
        ...totals,
        items,
        next: items.length === query.limit ? items[items.length - 1].paymentId : null,
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/payments/roster.csv',
      tag: 'payments',
      summary: 'The roster of a month as CSV (UTF-8 with BOM for Excel)',
      roles: READERS,
      query: RosterQuery,
      response: { status: 200, description: 'CSV', schema: z.string(), contentType: 'text/csv' },
    },
    async ({ user, query, res }) => {
      const region = scopedRegion(user, query.region);
      res.status(200).type('text/csv; charset=utf-8').attachment(`roster-${region}-${query.month}.csv`);
      await writeRosterCsv(db, query.month, region, (chunk) =>
        res.write(chunk) ? undefined : new Promise((r) => res.once('drain', r)),
      );
      res.end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/payments/roster.xlsx',
      tag: 'payments',
      summary: 'The roster of a month as an Excel workbook (ID numbers masked, amounts as numbers, a total row)',
      roles: READERS,
      query: RosterQuery,
      response: {
        status: 200,
        description: 'XLSX',
        schema: z.string(),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    },
    async ({ user, query, res }) => {
      const region = scopedRegion(user, query.region);
      const name = (await db('regions').where({ code: region }).first('name'))?.name ?? region;
      res
        .status(200)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment(`roster-${region}-${query.month}.xlsx`);
      await writeRosterXlsx(db, query.month, region, name, res);
      res.end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/payments/roster.pdf',
      tag: 'payments',
      summary: 'The roster of a month as a printable Chinese PDF (发放花名册)',
      roles: READERS,
      query: RosterQuery,
      response: { status: 200, description: 'PDF', schema: z.string(), contentType: 'application/pdf' },
    },
    async ({ user, query, res }) => {
      const region = scopedRegion(user, query.region);
      const name = (await db('regions').where({ code: region }).first('name'))?.name ?? region;
      const pdf = await renderRosterPdf(db, query.month, region, name);
      res.status(200).type('application/pdf').attachment(`roster-${region}-${query.month}.pdf`).send(pdf);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/payments/roster-runs',
      tag: 'payments',
      summary: 'Produce the roster of a month now (idempotent: a rerun adds no line)',
      roles: ['county_officer'],
      body: z.object({ month: MonthSchema }).strict(),
      response: {
        status: 200,
        description: 'What the run did',
        schema: z.object({ month: z.string(), inserted: z.number(), lines: z.number(), totalAmount: z.number() }),
      },
    },
    async ({ user, body }) => {
      requireScope(user, COUNTY_REGION); // the roster is county-wide
      const result = await engine.runJob<RosterRunResult>(
        ROSTER_WORKFLOW_TYPE,
        rosterWorkflowId.manual(body.month, randomUUID()),
        [{ month: body.month }],
      );
      await audit(db, {
        actor: user.sub,
        role: user.role,
        action: 'roster.run',
        entity: 'roster',
        entityId: body.month,
        after: result,
      });
      return result;
    },
  );
};
