// What a person already has open or in payment, across every household they were ever counted in: the checks behind
// "no double enrolment, no double payment" (docs/policy.md §7.4). Callers hold the people's locks (data/people.ts
// lockPeople) so the answer stays true until their transaction commits.
import type { Db } from './db';

/** Application statuses that are still being decided; RETURNED, APPROVED and REFUSED end the case. */
export const OPEN_APPLICATION_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'IN_PUBLICITY', 'AWAITING_DECISION'] as const;
/** An emergency is one event until its justification: a second report meanwhile is the same event. */
export const OPEN_EMERGENCY_STATUSES = ['SUBMITTED', 'ADVANCE_PAID'] as const;

export interface CaseRef {
  caseId: string;
  personId: string;
  process: string;
  regionCode: string;
  status: string;
}

export async function openCasesOf(
  db: Db,
  personIds: string[],
  process: 'application' | 'emergency',
): Promise<CaseRef[]> {
  if (!personIds.length) return [];
  const statuses = process === 'application' ? OPEN_APPLICATION_STATUSES : OPEN_EMERGENCY_STATUSES;
  const rows = await db('case_people as cp')
    .join('cases as c', 'c.id', 'cp.case_id')
    .whereIn('cp.person_id', personIds)
    .where('c.process', process)
    .whereIn('c.status', statuses as readonly string[])
    .orderBy('c.created_at')
    .select('c.id', 'cp.person_id', 'c.process', 'c.region_code', 'c.status');
  return rows.map((r) => ({
    caseId: r.id,
    personId: r.person_id,
    process: r.process,
    regionCode: r.region_code,
    status: r.status,
  }));
}

export interface RecipientRef {
  recipientId: string;
  personId: string;
  regionCode: string;
  category: string;
  status: string;
}

/** Active recipients covering these people (the people of the application that enrolled them). */
export async function activeRecipientsOf(db: Db, personIds: string[]): Promise<RecipientRef[]> {
  if (!personIds.length) return [];
  const rows = await db('recipients as r')
    .join('case_people as cp', 'cp.case_id', 'r.case_id')
    .whereIn('cp.person_id', personIds)
    .where('r.status', 'ACTIVE')
    .select('r.id', 'cp.person_id', 'r.region_code', 'r.category', 'r.status');
  return rows.map((r) => ({
    recipientId: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    category: r.category,
    status: r.status,
  }));
}

/** Yuan of emergency advances granted to the person on or after `since` (a date), whatever their status. */
export async function advancesSince(
  db: Db,
  personId: string,
  since: string,
): Promise<{ total: number; caseIds: string[] }> {
  const rows = await db('emergencies as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .where('e.person_id', personId)
    .where('c.received_on', '>=', since)
    .select('e.case_id', 'e.requested_amount', 'c.region_code');
  const fen = rows.reduce((s, r) => s + Math.round(Number(r.requested_amount) * 100), 0);
  return { total: fen / 100, caseIds: rows.map((r) => r.case_id) };
}
