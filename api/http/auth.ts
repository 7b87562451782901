// Bearer JWT (HS256) with claims sub, role, region. Scope: a user acts inside its region; region codes nest by prefix
// (county 6 digits ⊃ township 9 ⊃ village 12), so "inside" is a prefix test.
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
});

export function authenticate(secret: string): RequestHandler {
  return (req, _res, next) => {
    // Already authenticated by an integrator's API key (api/http/integrators.ts).
    if ((req as AuthedRequest).user) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m) return next(new HttpError(401, 'UNAUTHENTICATED', 'missing bearer token'));
    try {
      const { department, ...claims } = ClaimsSchema.parse(jwt.verify(m[1], secret, { algorithms: ['HS256'] }));
      (req as AuthedRequest).user = department ? { ...claims, department } : claims;
      next();
    } catch {
      next(new HttpError(401, 'UNAUTHENTICATED', 'invalid or expired token'));
    }
  };
}

export function signToken(secret: string, user: User, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign(
    { role: user.role, region: user.region, ...(user.department ? { department: user.department } : {}) },
    secret,
    { algorithm: 'HS256', subject: user.sub, expiresIn },
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

/** Roles that handle the case itself see full names and ID numbers; every other role sees them masked. */
const SEES_FULL_ID: ReadonlySet<Role> = new Set<Role>(['caseworker', 'reviewer', 'county_officer', 'admin']);
export const seesFullId = (user: User): boolean => SEES_FULL_ID.has(user.role);
