// The HTTP application: /api/v1 behind authentication, health probes and docs outside it.
import express, { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ApiDeps } from './context';
import { ApiBuilder } from './openapi';
import { authenticate } from './auth';
import { apiKeyAuth } from './integrators';
import { errorHandler, HttpError } from './errors';
import { applicationRoutes } from './routes/applications';
import { caseRoutes } from './routes/cases';
import { taskRoutes } from './routes/tasks';
import { deadlineRoutes } from './routes/deadlines';
import { noticeRoutes } from './routes/notices';
import { calendarRoutes } from './routes/calendar';
import { processRoutes } from './routes/processes';
import { escalationRoutes } from './routes/escalations';
import { notificationRoutes } from './routes/notifications';
import { assessmentRoutes } from './routes/assessments';
import { emergencyRoutes } from './routes/emergencies';
import { assistanceChainRoutes } from './routes/assistance-chain';
import { recipientRoutes } from './routes/recipients';
import { paymentRoutes } from './routes/payments';

const ROUTES = [escalationRoutes, notificationRoutes, applicationRoutes, caseRoutes, taskRoutes, deadlineRoutes, noticeRoutes, calendarRoutes, processRoutes, assessmentRoutes, emergencyRoutes, assistanceChainRoutes, recipientRoutes, paymentRoutes];

export function createApp(deps: ApiDeps): Express {
  const api = new ApiBuilder();
  for (const register of ROUTES) register(api, deps);
  const openapi = api.document({
    title: 'Doudi (兜底) API', version: '0.1.0',
    description: 'Case management for tiered social assistance (Xinxiang County). Authenticate with a Bearer JWT (claims sub, role, region).',
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      deps.db.raw('select 1').then(() => true, () => false),
      deps.engine.healthy(),
    ]);
    res.status(database && temporal ? 200 : 503).json({ status: database && temporal ? 'ready' : 'not ready', database, temporal });
  });
  app.get('/openapi.json', (_req, res) => { res.json(openapi); });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));

  app.use('/api/v1', apiKeyAuth(deps.db), authenticate(deps.config.jwtSecret), api.router);
  app.use((_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such route')));
  app.use(errorHandler);
  return app;
}
