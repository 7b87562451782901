// Bearer JWT (HS256) with claims sub, role, region (+ iss, aud, iat, exp: verifyToken). Scope: a user acts inside its
// region; region codes nest by prefix (county 6 digits ⊃ township 9 ⊃ village 12), so "inside" is a prefix test.
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { DEPARTMENTS, Department, ROLES, Role } from '../../domain/glossary';
import type { Actor } from '../../engine/messages';
import { HttpError, forbidden } from './errors';

/**
 * `department`: a `department` user's department code (optional claim); `integratorId`: set when a machine client
 * authenticated with its API key.
 */
export interface User {
  sub: string;
  role: Role;
  region: string;
  department?: Department;
  integratorId?: string;
}

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  region: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/),
  department: z.enum(DEPARTMENTS).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** What a bearer token must satisfy (config/index.ts: AUTH_JWT_*, AUTH_TOKEN_MAX_HOURS). */
export interface TokenRules {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Longest `exp - iat` accepted, in seconds. */
  maxLifetimeSeconds?: number;
}
export const JWT_ISSUER = 'doudi';
export const JWT_AUDIENCE = 'doudi-api';
export const DEFAULT_MAX_TOKEN_SECONDS = 12 * 3600;
/** Clocks of the signer and the API may differ by this much before an `iat` counts as "in the future". */
const CLOCK_SKEW_SECONDS = 60;
/** Subjects the system itself acts as (timers, workflows): no token may claim them. */
const RESERVED_SUBJECT = /^system(:|$)/i;

/**
 * The user a token names, or an Error saying why it is refused: HS256 only, issuer and audience ours, `exp` present
 * and at most `maxLifetimeSeconds` after `iat`, `iat` not in the future, no reserved subject; the `department` claim
 * counts only for the department role (a caseworker's token cannot narrow or widen an inbox with it).
 */
export function verifyToken(token: string, rules: TokenRules, nowMs = Date.now()): User {
  const payload = jwt.verify(token, secretKey(rules.secret), {
    algorithms: ['HS256'],
    issuer: rules.issuer ?? JWT_ISSUER,
    audience: rules.audience ?? JWT_AUDIENCE,
    clockTimestamp: Math.floor(nowMs / 1000),
  });
  const { department, iat, exp, ...claims } = ClaimsSchema.parse(payload);
  const now = Math.floor(nowMs / 1000);
  if (iat > now + CLOCK_SKEW_SECONDS) throw new Error('token issued in the future');
  if (exp - iat > (rules.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_SECONDS)) throw new Error('token lives too long');
  if (RESERVED_SUBJECT.test(claims.sub)) throw new Error('reserved subject');
  return department && claims.role === 'department' ? { ...claims, department } : claims;
}

// Given a string, jsonwebtoken first tries to parse it as a PEM public key and builds the secret key only once that
// has thrown: a tenth of the API's CPU per task completion went there (a CPU profile under bench/throughput.ts). The
// key of the last secret seen is kept; there is one per process.
let lastKey: { secret: string; key: KeyObject } | undefined;
function secretKey(secret: string): KeyObject {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(Buffer.from(secret)) };
  return lastKey.key;
}

export function authenticate(rules: TokenRules): RequestHandler {
  return (req, _res, next) => {
    // Already authenticated by an integrator's API key (api/http/integrators.ts).
    if ((req as AuthedRequest).user) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m) return next(new HttpError(401, 'UNAUTHENTICATED', 'missing bearer token'));
    try {
      (req as AuthedRequest).user = verifyToken(m[1], rules);
      next();
    } catch {
      next(new HttpError(401, 'UNAUTHENTICATED', 'invalid or expired token'));
    }
  };
}

export function signToken(
  secret: string,
  user: User,
  expiresIn: jwt.SignOptions['expiresIn'] = '12h',
  claims: { issuer?: string; audience?: string } = {},
): string {
  return jwt.sign(
    { role: user.role, region: user.region, ...(user.department ? { department: user.department } : {}) },
    secret,
    {
      algorithm: 'HS256',
      subject: user.sub,
      expiresIn,
      issuer: claims.issuer ?? JWT_ISSUER,
      audience: claims.audience ?? JWT_AUDIENCE,
    },
  );
}

export type AuthedRequest = Request & { user: User };
export const userOf = (req: Request): User => (req as AuthedRequest).user;

/** True when `region` lies inside the user's own region. */
export function inScope(user: User, region: string): boolean {
  return region.startsWith(user.region);
}

/** The region a list is read for: the one asked for, or the caller's own; refused when outside the caller's scope. */
export function scopedRegion(user: User, requested: string | undefined): string {
  const region = requested ?? user.region;
  requireScope(user, region);
  return region;
}

export function requireScope(user: User, region: string): void {
  if (!inScope(user, region)) throw forbidden(`region ${region} is outside your region ${user.region}`);
}

export function requireRole(user: User, roles: readonly Role[]): void {
  if (user.role !== 'admin' && !roles.includes(user.role))
    throw forbidden(`this needs one of the roles ${roles.join(', ')}; you are ${user.role}`);
}

/** The user as the actor of an act recorded by a workflow (no integrator key, nothing personal). */
export function actorOf(user: User): Actor {
  return {
    sub: user.sub,
    role: user.role,
    region: user.region,
    ...(user.department ? { department: user.department } : {}),
  };
}
