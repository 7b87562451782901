// Temporal's remote codec protocol (POST /codec/encode, /codec/decode; body and answer `{ payloads: [...] }` in proto3
// JSON), so the Temporal UI and CLI can show an operator the payloads engine/payload-codec.ts encrypts. Only an
// administrator may decode (docs/architecture.md, "Personal data"): with a bearer token (`temporal workflow show
// --codec-endpoint … --codec-auth "Bearer …"`, or the UI passing its access token) or with the cookie that signing in
// at GET /codec sets, which the Temporal UI sends when configured to include credentials. The UI calls from its own
// origin: CORS answers only the origins in DOUDI_CODEC_CORS_ORIGINS.
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Knex } from 'knex';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { checkPassword, claimsOf } from '../../data/users';
import { audit } from '../../data/audit';
import { authenticate, signToken, userOf, type TokenRules } from './auth';
import { HttpError, forbidden } from './errors';

export const CODEC_COOKIE = 'doudi_codec';
const SESSION_HOURS = 8;

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

function cookieToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CODEC_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function codecRoutes(deps: {
  db: Knex;
  codec: PayloadCodec;
  /** How bearer tokens are checked (config/index.ts tokenRules): the API's rules, the codec's own sessions included. */
  tokenRules: TokenRules;
  corsOrigins: readonly string[];
}): Router {
  const router = express.Router();
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && deps.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.status(origin && deps.corsOrigins.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };
  const bearer = authenticate(deps.tokenRules);
  // A codec session never outlives the longest token the API accepts (AUTH_TOKEN_MAX_HOURS).
  const sessionSeconds = Math.min(SESSION_HOURS * 3600, deps.tokenRules.maxLifetimeSeconds ?? Infinity);
  const admin: RequestHandler = (req, res, next) => {
    const token = cookieToken(req);
    if (!req.headers.authorization && token) req.headers.authorization = `Bearer ${token}`;
    bearer(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (userOf(req).role !== 'admin') return next(forbidden('only an administrator may use the payload codec'));
      next();
    });
  };

  for (const op of ['encode', 'decode'] as const) {
    router.options(`/${op}`, cors);
    router.post(`/${op}`, cors, admin, express.json({ limit: '8mb' }), async (req, res, next) => {
      try {
        const payloads = (req.body as { payloads?: unknown })?.payloads;
        if (!Array.isArray(payloads)) throw new HttpError(400, 'BAD_REQUEST', 'body must be { payloads: [...] }');
        const out = await deps.codec[op](payloads.map((p) => fromJson(p as JsonPayload)));
        res.json({ payloads: out.map(toJson) });
      } catch (err) {
        // A payload the keys cannot open (tampered, or another key set) is the client's input, not our failure.
        next(err instanceof HttpError ? err : new HttpError(400, 'BAD_REQUEST', 'payload cannot be processed'));
      }
    });
  }

  // Signing in for the Temporal UI: an administrator's user name and password, answered with an HttpOnly cookie.
  router.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Doudi payload codec</title>
<h1>Payload codec · 载荷解码</h1>
<p>Sign in as an administrator so the Temporal UI can show decoded workflow payloads (管理员登录后，Temporal 界面方可显示解密后的内容).</p>
<form method="post" action="session"><input name="username" autocomplete="username" placeholder="user name">
<input name="password" type="password" autocomplete="current-password" placeholder="password">
<button>Sign in</button></form>`);
  });
  router.post('/session', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
      if (typeof username !== 'string' || typeof password !== 'string')
        throw new HttpError(400, 'BAD_REQUEST', 'username and password are required');
      const row = await checkPassword(deps.db, username, password);
      if (!row) throw new HttpError(401, 'INVALID_CREDENTIALS', 'unknown user name or wrong password');
      const claims = claimsOf(row);
      if (claims.role !== 'admin') throw forbidden('only an administrator may use the payload codec');
      await audit(deps.db, {
        actor: row.username,
        role: row.role,
        action: 'codec.session',
        entity: 'user',
        entityId: row.id,
        after: { ip: req.ip ?? null },
      });
      const token = signToken(deps.tokenRules.secret, claims, sessionSeconds);
      res.setHeader(
        'Set-Cookie',
        `${CODEC_COOKIE}=${encodeURIComponent(token)}; Path=/codec; HttpOnly; SameSite=Lax; ` +
          `Max-Age=${sessionSeconds}`,
      );
      res.type('text').send('signed in: the Temporal UI can now decode payloads (已登录)');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
