// The HTTP application: /api/v1 behind authentication (every process's routes from the registry, processes/index.ts,
// plus the shared resources of api/routes/), health probes and docs outside it.
import './http/zod-openapi';
import { createHash } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { tokenRules } from '../config';
import { calendarStatus } from '../data/calendar-warning';
import { PROCESSES } from '../processes';
import { authenticate } from './http/auth';
import type { ApiDeps, RouteModule } from './http/context';
import { errorHandler, HttpError } from './http/errors';
import { withTimeout } from '../engine/client';
import { refuseNul } from './http/input-guard';
import { apiKeyAuth } from './http/integrators';
import { codecRoutes } from './http/codec';
import { limitAuthFailures } from './http/rate-limit';
import { ApiBuilder } from './http/openapi';
import { assessmentRoutes } from './routes/assessments';
import { assistanceChainRoutes } from './routes/assistance-chain';
import { assistanceReportRoutes } from './routes/assistance-reports';
import { calendarRoutes } from './routes/calendar';
import { caseRoutes } from './routes/cases';
import { deadlineRoutes } from './routes/deadlines';
import { noticeRoutes } from './routes/notices';
import { notificationRoutes } from './routes/notifications';
import { peopleRoutes } from './routes/people';
import { populationReportRoutes } from './routes/population-reports';
import { processRoutes } from './routes/processes';
import { taskRoutes } from './routes/tasks';
import { authRoutes } from './routes/auth';
import { userRoutes } from './routes/users';
import { referenceRoutes } from './routes/reference';
import { consoleRoutes } from './static';
import { completionComponents } from './task-forms';
import type { Row } from '../data/db';

const SHARED_ROUTES: RouteModule[] = [
  notificationRoutes,
  caseRoutes,
  taskRoutes,
  deadlineRoutes,
  noticeRoutes,
  calendarRoutes,
  processRoutes,
  assessmentRoutes,
  assistanceChainRoutes,
  authRoutes,
  userRoutes,
  referenceRoutes,
  assistanceReportRoutes,
  peopleRoutes,
  populationReportRoutes,
];

/** The console's one inline script (web/index.html), allowed by its hash rather than by 'unsafe-inline'. */
const CONSOLE_INLINE_SCRIPT = "performance.mark('console-start');";

/**
 * Security headers on every answer (nosniff, frame-ancestors, referrer policy, HSTS behind TLS …). Scripts only from
 * this origin; styles may be inline (the console's component library and /docs inject them). No upgrade of insecure
 * requests: a development machine serves plain HTTP on localhost.
 */
const HELMET: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      'script-src': ["'self'", `'sha256-${createHash('sha256').update(CONSOLE_INLINE_SCRIPT).digest('base64')}'`],
      'upgrade-insecure-requests': null,
    },
  },
};

function registerRoutes(deps: ApiDeps): ApiBuilder {
  const api = new ApiBuilder();
  for (const register of [...SHARED_ROUTES, ...PROCESSES.flatMap((p) => (p.routes ? [p.routes] : []))])
    register(api, deps);
  return api;
}

/** /openapi.json without a database or Temporal: registering routes does no I/O (docs/access.md renders it). */
export function apiDocument(deps: ApiDeps = { db: {}, engine: {}, config: {} } as ApiDeps) {
  return openApiDocument(registerRoutes(deps));
}

function openApiDocument(api: ApiBuilder) {
  return withTaskCompletions(
    api.document({
      title: 'Doudi (兜底) API',
      version: '0.1.0',
      description:
        'Case management for tiered social assistance (Xinxiang County). ' +
        'Authenticate with a Bearer JWT (claims sub, role, region; POST /auth/login for console users) ' +
        'or, as an integrator, with X-Api-Key. ' +
        'Errors: { error: { code, message (English), messageZh (Chinese), details } }. ' +
        'Lists answer { items, total, nextCursor }: pass nextCursor back as ?cursor= for the next page.',
    }),
  );
}

export function createApp(deps: ApiDeps): Express {
  const api = registerRoutes(deps);
  const openapi = openApiDocument(api);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.config.trustProxy) app.set('trust proxy', deps.config.trustProxy);
  app.use(helmet(HELMET));
  // Before the API's body parser: payload batches of a long history exceed its limit.
  if (deps.payloadCodec)
    app.use(
      '/codec',
      codecRoutes({
        db: deps.db,
        codec: deps.payloadCodec,
        tokenRules: tokenRules(deps.config, deps.config.jwtSecret),
        corsOrigins: deps.config.codecCorsOrigins,
      }),
    );
  app.use(express.json({ limit: '1mb' }));
  app.use(refuseNul);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready: the database answers, Temporal answers, and a worker polls the task queue (without one, cases wait).
  // Every question is bounded, so the probe answers within 2 s whatever is down.
  app.get('/readyz', async (_req, res) => {
    const [database, health, calendar] = await Promise.all([
      withTimeout(deps.db.raw('select 1'), 1_500).then(
        () => true,
        () => false,
      ),
      deps.engine.health(1_500),
      // A missing year does not make the system unready, but the operator must see it (docs/policy.md §1.3).
      withTimeout(calendarStatus(deps.db), 1_500).catch(() => undefined),
    ]);
    const worker = { polling: (health.workerPollers ?? 0) > 0, pollers: health.workerPollers ?? null };
    const ready = database && health.temporal && worker.polling;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', database, temporal: health.temporal, worker, calendar });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));

  app.use('/api/v1', limitAuthFailures({ limit: deps.config.authFailureLimit, windowMs: 15 * 60_000 }));
  app.use('/api/v1', api.publicRouter);
  app.use('/api/v1', apiKeyAuth(deps.db), authenticate(tokenRules(deps.config, deps.config.jwtSecret)), api.router);
  app.use(consoleRoutes());
  app.use((_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such route')));
  app.use(errorHandler);
  return app;
}

/** The body of POST /tasks/{id}/complete as oneOf every task type's outcomes (api/task-forms.ts). */
function withTaskCompletions<
  T extends { components?: { schemas?: Record<string, unknown> }; paths?: Record<string, Row> },
>(doc: T): T {
  const { schemas, refs } = completionComponents();
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...schemas } };
  const op = doc.paths?.['/tasks/{id}/complete']?.post;
  const content = op?.requestBody?.content?.['application/json'];
  if (content) {
    content.schema = {
      oneOf: refs,
      description: "outcome and data of the task's type: GET /tasks/{id} gives its form, GET /task-types all of them",
    };
    content.example = {
      outcome: 'APPROVED',
      data: { category: 'DIBAO', monthlyAmount: 220, effectiveOn: '2026-10-09' },
    };
  }
  return doc;
}
