// The HTTP application: /api/v1 behind authentication (every process's routes from the registry, processes/index.ts,
// plus the shared resources of api/routes/), health probes and docs outside it.
import './http/zod-openapi';
import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { PROCESSES } from '../processes';
import { authenticate } from './http/auth';
import type { ApiDeps, RouteModule } from './http/context';
import { errorHandler, HttpError } from './http/errors';
import { apiKeyAuth } from './http/integrators';
import { ApiBuilder } from './http/openapi';
import { assessmentRoutes } from './routes/assessments';
import { assistanceChainRoutes } from './routes/assistance-chain';
import { calendarRoutes } from './routes/calendar';
import { caseRoutes } from './routes/cases';
import { deadlineRoutes } from './routes/deadlines';
import { noticeRoutes } from './routes/notices';
import { notificationRoutes } from './routes/notifications';
import { processRoutes } from './routes/processes';
import { taskRoutes } from './routes/tasks';

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
];

export function createApp(deps: ApiDeps): Express {
  const api = new ApiBuilder();
  for (const register of [...SHARED_ROUTES, ...PROCESSES.flatMap((p) => (p.routes ? [p.routes] : []))])
    register(api, deps);
  const openapi = api.document({
    title: 'Doudi (兜底) API',
    version: '0.1.0',
    description:
      'Case management for tiered social assistance (Xinxiang County). ' +
      'Authenticate with a Bearer JWT (claims sub, role, region) or, as an integrator, with X-Api-Key.',
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      deps.db.raw('select 1').then(
        () => true,
        () => false,
      ),
      deps.engine.healthy(),
    ]);
    const ready = database && temporal;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database, temporal });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));

  app.use('/api/v1', apiKeyAuth(deps.db), authenticate(deps.config.jwtSecret), api.router);
  app.use((_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such route')));
  app.use(errorHandler);
  return app;
}
