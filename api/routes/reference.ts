// Reference data the console (and an integrator) reads once: the county's regions with their names, and every task
// type with its outcomes and the JSON Schema of each outcome's data.
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { taskForms } from '../task-forms';

const RegionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['COUNTY', 'TOWNSHIP', 'VILLAGE']),
  parentCode: z.string().nullable(),
});

export const referenceRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'get',
      path: '/regions',
      tag: 'reference',
      summary: 'The county, its townships and villages: codes and names',
      response: { status: 200, description: 'Regions', schema: z.object({ items: z.array(RegionSchema) }) },
    },
    async () => {
      const rows = await db('regions').orderBy('code').select('code', 'name', 'level', 'parent_code');
      return {
        items: rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code ?? null })),
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/task-types',
      tag: 'reference',
      summary: "Every task type: its Chinese name, candidate role, outcomes and the JSON Schema of each outcome's data",
      response: {
        status: 200,
        description: 'Task types',
        schema: z.object({
          items: z.array(
            z.object({
              type: z.string(),
              label: z.string(),
              candidateRole: z.string(),
              outcomes: z.array(
                z.object({ outcome: z.string(), label: z.string(), schema: z.record(z.string(), z.unknown()) }),
              ),
            }),
          ),
        }),
      },
    },
    async () => ({ items: taskForms() }),
  );
};
