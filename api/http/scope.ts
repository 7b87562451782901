// Reading a case for a user: a case outside the user's region looks absent (404), never forbidden, so nobody can probe
// for the existence of cases in other townships.
import type { User } from './auth';
import { inScope } from './auth';
import { notFound } from './errors';
import { getCase } from '../../data/cases';
import type { Db } from '../../data/db';

/** An object of another township looks absent: 404, the answer a made-up id gets (docs/access.md). */
export function requireVisible<T extends { region_code?: string }>(user: User, row: T | undefined, what: string): T {
  if (!row || !inScope(user, row.region_code ?? '')) throw notFound(what);
  return row;
}

export async function loadCase(db: Db, user: User, id: string, process?: string) {
  const c = await getCase(db, id);
  if (!c || !inScope(user, c.region_code) || (process && c.process !== process)) throw notFound(process ?? 'case');
  return c;
}

/**
 * A case another request collides with, as the caller may see it: id, township and status when the case lies in the
 * caller's region, otherwise only that one exists elsewhere (nobody learns details of other townships' cases).
 */
export function collidingCase(user: Pick<User, 'region'>, c: { caseId: string; regionCode: string; status: string }) {
  return c.regionCode.startsWith(user.region)
    ? { visible: true as const, caseId: c.caseId, regionCode: c.regionCode, status: c.status }
    : { visible: false as const, message: 'already has an open case in another township' };
}
