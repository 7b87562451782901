// Checks every request gets before any route sees it: a NUL character anywhere in the URL or the JSON body is refused
// (400), whatever the route's schema says. PostgreSQL refuses NUL in text and jsonb, so a NUL that slipped past a
// schema — in a free-form record, an object key, a path parameter — would otherwise fail the write with a 500 or, once
// inside a workflow's input, fail its activities on every retry (docs/architecture.md §5). The per-field rule is
// domain/schemas.ts `text()`; this is the net under it.
import type { RequestHandler } from 'express';
import { hasNul } from '../../domain/schemas';
import { badRequest } from './errors';

/** The path of the first string (value or key) holding a NUL, '' for the root, undefined when there is none. */
export function nulPath(v: unknown, path: string[] = []): string | undefined {
  if (typeof v === 'string') return hasNul(v) ? path.join('.') : undefined;
  if (!v || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (hasNul(k)) return [...path, k.split('\u0000').join('\\0')].join('.');
    const p = nulPath(x, [...path, k]);
    if (p !== undefined) return p;
  }
  return undefined;
}

export const refuseNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl))
    return next(badRequest('the URL contains a NUL character', [{ path: '', message: 'NUL is not allowed' }]));
  const path = nulPath(req.body);
  if (path !== undefined)
    return next(badRequest('the body contains a NUL character', [{ path, message: 'NUL is not allowed' }]));
  next();
};
