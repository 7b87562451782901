// Rate limit on authentication failures, per client IP, in this API process's memory (docs: README "Hardening").
// A client whose requests failed authentication `limit` times within `windowMs` is locked until the window ends:
// POST /auth/login answers 429 without checking the password (the one credential a person can guess), and any other
// credential that fails answers 429 instead of 401. Requests with valid tokens from the same address (a township
// office behind one NAT) keep working. In memory: each API replica counts on its own, and a restart forgets — an
// attacker gets at most `limit` guesses per replica and window, which is what the limit is for.
import type { Request, RequestHandler } from 'express';
import { tooManyFailures } from './errors';

export interface AuthFailureLimit {
  limit: number;
  windowMs: number;
}

/** At most this many addresses are tracked; past it, expired entries go first, then the oldest. */
const MAX_TRACKED = 100_000;

const presentsCredentials = (req: Request) =>
  !!req.headers.authorization || req.headers['x-api-key'] !== undefined || isLogin(req);
const isLogin = (req: Request) => req.method === 'POST' && req.path === '/auth/login';

export function limitAuthFailures({ limit, windowMs }: AuthFailureLimit): RequestHandler {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const record = (ip: string, now: number) => {
    const e = failures.get(ip);
    if (e && e.resetAt > now) e.count++;
    else {
      if (failures.size >= MAX_TRACKED) {
        for (const [k, v] of failures) if (v.resetAt <= now) failures.delete(k);
        if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value as string);
      }
      failures.set(ip, { count: 1, resetAt: now + windowMs });
    }
  };
  return (req, res, next) => {
    if (!presentsCredentials(req)) return next();
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const e = failures.get(ip);
    if (e && e.resetAt > now && e.count >= limit) {
      res.setHeader('Retry-After', String(Math.ceil((e.resetAt - now) / 1000)));
      if (isLogin(req)) return next(tooManyFailures(e.resetAt));
      res.locals.authLockedUntil = e.resetAt; // read by the error handler: a failure answers 429, not 401
    }
    res.on('finish', () => {
      if (res.statusCode === 401 || (res.statusCode === 429 && res.locals.authLockedUntil)) record(ip, Date.now());
    });
    next();
  };
}
