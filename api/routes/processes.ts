// The processes of the registry and their BPMN 2.0 diagrams, whose element ids the workflows report as active steps.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { notFound } from '../http/errors';
import { bpmnPath } from '../../processes/diagrams';
import { CASE_PROCESSES, processByName } from '../../processes';

export const processRoutes: RouteModule = (api) => {
  api.route(
    {
      method: 'get',
      path: '/processes',
      tag: 'processes',
      summary: 'The case processes: their tasks (with outcomes and candidate roles), deadline kinds and steps',
    },
    async () => ({
      items: CASE_PROCESSES.map((d) => ({
        key: d.name,
        label: d.label,
        steps: d.steps,
        statuses: d.statuses,
        tasks: Object.entries(d.tasks).map(([type, t]) => ({
          type,
          label: t.label,
          candidateRole: t.candidateRole,
          outcomes: Object.keys(t.outcomes),
        })),
        deadlines: Object.entries(d.deadlines).map(([kind, l]) => ({ kind, ...l })),
      })),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/processes/:key/bpmn',
      tag: 'processes',
      summary: 'The process diagram (BPMN 2.0 XML)',
      params: z.object({ key: z.string().min(1).max(50) }),
      errors: [404],
      response: { status: 200, description: 'BPMN XML', schema: z.string(), contentType: 'application/xml' },
    },
    async ({ res, params }) => {
      const d = processByName(params.key);
      if (!d) throw notFound('process');
      res
        .status(200)
        .type('application/xml')
        .send(await readFile(bpmnPath(d), 'utf8'));
    },
  );
};
