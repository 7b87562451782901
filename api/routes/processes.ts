// The BPMN 2.0 diagrams whose element ids the workflows report as active steps.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RouteModule } from '../context';
import { notFound } from '../errors';
import { PROJECT_ROOT } from '../../config';

const PROCESS_KEYS = ['application', 'emergency', 'caseConference', 'recipient'] as const;

export const processRoutes: RouteModule = (api) => {
  api.route({
    method: 'get', path: '/processes/:key/bpmn', tag: 'processes', summary: 'The process diagram (BPMN 2.0 XML)',
    params: z.object({ key: z.string().min(1).max(50) }), errors: [404],
    response: { status: 200, description: 'BPMN XML', schema: z.string(), contentType: 'application/xml' },
  }, async ({ res, params }) => {
    if (!(PROCESS_KEYS as readonly string[]).includes(params.key)) throw notFound('process');
    res.status(200).type('application/xml').send(await readFile(join(PROJECT_ROOT, 'bpmn', `${params.key}.bpmn`), 'utf8'));
  });
};
