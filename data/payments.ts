// Payments of every path (monthly roster, emergency advance, stages, conference raises) in one table, so the
// assistance chain and the rosters read one place. Ids are deterministic per business event: a retry adds nothing.
import { actorOf, audit } from './audit';
import type { Db } from './db';

export interface NewPayment {
  id: string;
  kind: string;
  caseId: string;
  householdId: string | null;
  /** The payee; by default the applicant of the case (case_people). */
  personId?: string | null;
  regionCode: string;
  month: string;
  amount: number;
  details: Record<string, unknown>;
  actor?: { sub: string; role: string };
}

/** Inserts the payment and its audit row; false when it was paid already. */
export async function insertPayment(db: Db, p: NewPayment): Promise<boolean> {
  const inserted = await db('payments')
    .insert({
      id: p.id,
      kind: p.kind,
      household_id: p.householdId,
      person_id:
        p.personId ??
        db.raw(`(select person_id from case_people where case_id = ? order by (relation = 'APPLICANT') desc limit 1)`, [
          p.caseId,
        ]),
      case_id: p.caseId,
      region_code: p.regionCode,
      month: p.month,
      amount: p.amount,
      details: JSON.stringify(p.details),
    })
    .onConflict('id')
    .ignore()
    .returning('id');
  if (!inserted.length) return false;
  await audit(db, {
    ...actorOf(p.actor),
    action: `payment.${p.kind.toLowerCase()}`,
    caseId: p.caseId,
    entity: 'payment',
    entityId: p.id,
    after: { kind: p.kind, amount: p.amount, month: p.month, ...p.details },
  });
  return true;
}
