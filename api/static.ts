// The console's built files (web/dist, made by `npm run build:web`; `npm start` builds when missing or stale) served
// at `/`. Paths the console routes itself (/cases/…, /inbox) get index.html; API, docs and probes are never shadowed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { PROJECT_ROOT } from '../config';

export const WEB_DIST = join(PROJECT_ROOT, 'web/dist');
const NOT_CONSOLE = /^\/(api|codec|docs|openapi\.json|healthz|readyz)(\/|$)/;

export function consoleRoutes(dist = WEB_DIST): Router {
  const router = express.Router();
  // Hashed asset names never change content: cache them for a year. index.html is always revalidated.
  router.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d' }));
  router.use(express.static(dist, { index: false, maxAge: 0 }));
  router.get(/.*/, (req, res, next) => {
    if (NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    const index = join(dist, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          '控制台尚未构建：请运行 npm run build:web（npm start 会自动构建）。\nThe console is not built: run npm run build:web.',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.sendFile(index);
  });
  return router;
}
