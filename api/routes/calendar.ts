// The working-day calendar: compute a due date; load another year's schedule (admin), which recomputes provisional
// deadlines.
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { IsoDateSchema } from '../http/schemas';
import { unprocessable } from '../http/errors';
import { audit } from '../../data/audit';
import { loadCalendarYears, saveCalendarYear } from '../../data/calendar';
import { WorkingDayCalendar, validateCalendarYear } from '../../domain/calendar';
import { calendarUpdatedSignal } from '../../engine/messages';

const AddQuery = z.object({ from: IsoDateSchema, days: z.coerce.number().int().min(0).max(366) });
const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const YearBody = z
  .object({ holidays: z.array(IsoDateSchema).max(60), makeupWorkdays: z.array(IsoDateSchema).max(20) })
  .strict();

export const calendarRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'get',
      path: '/calendar/working-days/add',
      tag: 'calendar',
      summary: 'The date N working days after a date (the date itself does not count)',
      query: AddQuery,
      response: {
        status: 200,
        description: 'Due date',
        schema: z.object({ due: z.string(), dueAt: z.string(), provisional: z.boolean() }),
      },
    },
    async ({ query }) => {
      return new WorkingDayCalendar(await loadCalendarYears(db)).addWorkingDays(query.from, query.days);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/calendar/years',
      tag: 'calendar',
      summary: 'Loaded years with their holidays and make-up workdays',
    },
    async () => ({ items: await loadCalendarYears(db) }),
  );

  api.route(
    {
      method: 'put',
      path: '/calendar/years/:year',
      tag: 'calendar',
      summary: "Load or replace a year's schedule (admin); open deadlines reaching into it are recomputed",
      roles: ['admin'],
      params: YearParams,
      body: YearBody,
      errors: [400, 403, 422],
      response: {
        status: 200,
        description: 'Loaded',
        schema: z.object({ year: z.number(), recomputedCases: z.number() }),
      },
    },
    async ({ user, params, body }) => {
      const year = {
        year: params.year,
        holidays: [...new Set(body.holidays)].sort(),
        makeupWorkdays: [...new Set(body.makeupWorkdays)].sort(),
      };
      const problems = validateCalendarYear(year);
      if (problems.length) throw unprocessable('INVALID_CALENDAR', 'the schedule is not consistent', problems);
      await db.transaction(async (trx) => {
        const before = (await loadCalendarYears(trx)).find((y) => y.year === params.year);
        await saveCalendarYear(trx, year, user.sub);
        await audit(trx, {
          actor: user.sub,
          role: user.role,
          action: 'calendar.load',
          entity: 'calendar_year',
          entityId: String(params.year),
          before,
          after: year,
        });
      });
      // Running cases recompute their own timers; the read model follows through their activities. Every open
      // deadline that reaches into the year is told — provisional ones, and those a corrected year may move
      // (docs/policy.md §1.3); a deadline computed later finds the new calendar itself (upsertDeadline).
      const rows = await db('deadlines')
        .join('cases', 'cases.id', 'deadlines.case_id')
        .whereIn('deadlines.status', ['pending', 'overdue'])
        .where((q) =>
          q
            .where('deadlines.provisional', true)
            .orWhere((r) =>
              r
                .where('deadlines.due_on', '>=', `${params.year}-01-01`)
                .where('deadlines.started_on', '<=', `${params.year}-12-31`),
            ),
        )
        .distinct('cases.workflow_id');
      const recomputedCases = await engine.signalEach(
        rows.map((r) => r.workflow_id),
        calendarUpdatedSignal,
      );
      return { year: params.year, recomputedCases };
    },
  );
};
