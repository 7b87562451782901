// Supervisors' view of every policy time limit in their region.
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { IsoDateSchema, RegionCodeSchema, toDeadline } from '../http/schemas';
import { DeadlineSchema } from '../schemas';
import { scopedRegion } from '../http/auth';
import { DEADLINE_STATUSES } from '../../data/deadlines';
import { DEADLINE_KINDS } from '../../processes';
import { endOfDayShanghai } from '../../domain/calendar';
import { badRequest } from '../http/errors';
import { page } from '../http/paging';
import { deadlineSummary, DUE_WITHIN, nearDueHorizon } from '../../data/deadline-summary';

const DeadlineQuery = z.object({
  status: z.enum(DEADLINE_STATUSES).optional(),
  kind: z.enum(DEADLINE_KINDS).optional(),
  region: RegionCodeSchema.optional(),
  caseId: z.string().uuid().optional(),
  dueBefore: IsoDateSchema.optional(),
  dueWithin: z
    .string()
    .regex(DUE_WITHIN, 'e.g. 2d (calendar days) or 2wd (working days)')
    .optional()
    .describe('near-due: pending deadlines due before now + N days (2d) or by the end of the N-th working day (2wd)'),
  sort: z
    .enum(['due', 'lateness'])
    .default('due')
    .describe(
      'due: soonest due first; lateness: most overdue first (late-met after the still-open of the same lateness)',
    ),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const deadlineRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'get',
      path: '/deadlines/summary',
      tag: 'deadlines',
      summary: 'Deadline counts in your region by township, kind and status',
      query: z.object({ region: RegionCodeSchema.optional() }),
      response: {
        status: 200,
        description: 'Counts',
        schema: z.object({
          region: z.string(),
          items: z.array(
            z.object({
              township: z.string(),
              kind: z.string(),
              status: z.string(),
              count: z.number(),
              metOnTime: z.number().optional().describe('status met: met on time on paper'),
              metLate: z.number().optional().describe('status met: met after the due date on paper'),
            }),
          ),
        }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      return { region, items: await deadlineSummary(db, region) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/deadlines',
      tag: 'deadlines',
      summary: 'Deadlines in your region, soonest due first',
      query: DeadlineQuery,
      response: { status: 200, description: 'Deadlines', schema: z.object({ items: z.array(DeadlineSchema) }) },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = db('deadlines').where('region_code', 'like', `${region}%`);
      if (query.status) q.where('status', query.status);
      if (query.kind) q.where('kind', query.kind);
      if (query.caseId) q.where('case_id', query.caseId);
      if (query.dueBefore) q.where('due_at', '<=', endOfDayShanghai(query.dueBefore));
      if (query.dueWithin) {
        if (query.status && query.status !== 'pending')
          throw badRequest('dueWithin lists pending deadlines; it cannot be combined with another status');
        q.where('status', 'pending').where('due_at', '<=', await nearDueHorizon(db, query.dueWithin));
      }
      // Lateness: how long past due an open deadline is now, or a met one was when met; not-yet-due and cancelled last.
      if (query.sort === 'lateness') {
        q.orderByRaw(
          `case when status in ('pending', 'overdue') then now() - due_at when status = 'met' and met_late then ` +
            `met_at - due_at end desc nulls last, due_at asc, id asc`,
        );
      } else {
        q.orderBy([{ column: 'due_at', order: 'asc' }, { column: 'id' }]);
      }
      return page(q, query, toDeadline);
    },
  );
};
