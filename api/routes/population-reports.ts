// Omission and duplication reports for supervisors, scoped by region (docs/policy.md §7.4): each line explains itself
// and links to the person (GET /people/:id).
import { z } from 'zod';
import { isoYear } from '../../domain/schemas';
import type { RouteModule } from '../http/context';
import { scopedRegion } from '../http/auth';
import { RegionCodeSchema } from '../http/schemas';
import { duplicates, omissions } from '../../data/assistance-reports';
import { policyFor } from '../../data/policy';
import { shanghaiDate } from '../../domain/calendar';

const READERS = ['supervisor', 'county_officer'] as const;
const OmissionQuery = z.object({
  region: RegionCodeSchema.optional(),
  year: isoYear().optional(),
});
const DuplicateQuery = z.object({ region: RegionCodeSchema.optional() });

export const populationReportRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'get',
      path: '/reports/omissions',
      tag: 'population reports',
      summary: 'Recipients missing an assistance they are entitled to (e.g. TEKUN without the full insurance subsidy)',
      roles: READERS,
      query: OmissionQuery,
      errors: [400, 403],
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const today = shanghaiDate(Date.now());
      const year = query.year ?? today.slice(0, 4);
      const policy = await policyFor(db, region, today);
      const lines = await omissions(db, { region, year, today, parameters: policy?.parameters });
      return {
        region,
        year,
        items: lines.map((l) => ({
          ...l,
          person: `/api/v1/people/${l.personId}`,
        })),
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/reports/duplicates',
      tag: 'population reports',
      summary: 'The same assistance given twice for one period, and people covered twice',
      roles: READERS,
      query: DuplicateQuery,
      errors: [400, 403],
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const lines = await duplicates(db, { region });
      return {
        region,
        items: lines.map((l) => ({
          ...l,
          person: `/api/v1/people/${l.personId}`,
        })),
      };
    },
  );
};
