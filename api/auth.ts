// Bearer JWT (HS256) with claims sub, role, region. Scope: a user acts inside its region; region codes nest by prefix
// (county 6 digits ⊃ township 9 ⊃ village 12), so "inside" is a prefix test.
import type { RequestHandler, Request } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, Role } from '../domain/glossary';
import { HttpError, forbidden } from './errors';

export interface User { sub: string; role: Role; region: string }

const ClaimsSchema = z.object({ sub: z.string().min(1), role: z.enum(ROLES), region: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/) });

export function authenticate(secret: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m) return next(new HttpError(401, 'UNAUTHENTICATED', 'missing bearer token'));
    try {
      const claims = ClaimsSchema.parse(jwt.verify(m[1], secret, { algorithms: ['HS256'] }));
      (req as AuthedRequest).user = claims;
      next();
    } catch {
      next(new HttpError(401, 'UNAUTHENTICATED', 'invalid or expired token'));
    }
  };
}

export function signToken(secret: string, user: User, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign({ role: user.role, region: user.region }, secret, { algorithm: 'HS256', subject: user.sub, expiresIn });
}

export type AuthedRequest = Request & { user: User };
export const userOf = (req: Request): User => (req as AuthedRequest).user;

/** True when `region` lies inside the user's own region. */
export function inScope(user: User, region: string): boolean {
  return region.startsWith(user.region);
}

export function requireScope(user: User, region: string): void {
  if (!inScope(user, region)) throw forbidden(`region ${region} is outside your region ${user.region}`);
}

export function requireRole(user: User, roles: readonly Role[]): void {
  if (user.role !== 'admin' && !roles.includes(user.role)) throw forbidden(`this needs one of the roles ${roles.join(', ')}; you are ${user.role}`);
}
