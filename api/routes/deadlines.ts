// Supervisors' view of every policy time limit in their region.
import { z } from 'zod';
import type { RouteModule } from '../context';
import { DeadlineSchema, IsoDateSchema, RegionCodeSchema, toDeadline } from '../schemas';
import { requireScope } from '../auth';
import { DEADLINE_KINDS, DEADLINE_STATUSES } from '../../domain/glossary';
import { endOfDayShanghai } from '../../domain/calendar';

const DeadlineQuery = z.object({
  status: z.enum(DEADLINE_STATUSES).optional(),
  kind: z.enum(DEADLINE_KINDS).optional(),
  region: RegionCodeSchema.optional(),
  caseId: z.string().uuid().optional(),
  dueBefore: IsoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const deadlineRoutes: RouteModule = (api, { db }) => {
  api.route({
    method: 'get', path: '/deadlines', tag: 'deadlines', summary: 'Deadlines in your region, soonest due first', query: DeadlineQuery,
    response: { status: 200, description: 'Deadlines', schema: z.object({ items: z.array(DeadlineSchema) }) },
  }, async ({ user, query }) => {
    const region = query.region ?? user.region;
    requireScope(user, region);
    const q = db('deadlines').where('region_code', 'like', `${region}%`);
    if (query.status) q.where('status', query.status);
    if (query.kind) q.where('kind', query.kind);
    if (query.caseId) q.where('case_id', query.caseId);
    if (query.dueBefore) q.where('due_at', '<=', endOfDayShanghai(query.dueBefore));
    const rows = await q.orderBy([{ column: 'due_at', order: 'asc' }, { column: 'id' }]).limit(query.limit).offset(query.offset);
    return { items: rows.map(toDeadline) };
  });
};
