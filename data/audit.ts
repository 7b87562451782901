// The audit log: who did what to which case, with before/after. Always written with the same handle (transaction) as
// the change it records, so a change never commits without its row.
import type { Db } from './db';

export interface AuditEntry {
  actor: string;
  role: string;
  action: string;
  caseId?: string | null;
  entity?: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/** `key`: written once whatever the retries (a batch retried after its commit was lost); chosen by the workflow. */
export interface KeyedAuditEntry extends AuditEntry {
  key: string;
}

/**
 * The hash chain (migrations/011_audit_chain.ts) is kept by a trigger: every insert here, or anywhere, is chained in
 * the order the transactions commit, which serialises the transactions that write audit rows from their first row on.
 */
export async function audit(db: Db, e: AuditEntry & { key?: string }): Promise<void> {
  await db('audit_log').insert({
    write_key: e.key ?? null,
    actor: e.actor,
    role: e.role,
    action: e.action,
    case_id: e.caseId ?? null,
    entity: e.entity ?? null,
    entity_id: e.entityId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
  });
}

/** An audit row a retry must not write twice. No ON CONFLICT: the chain trigger has run before a conflict shows. */
export async function auditOnce(db: Db, e: KeyedAuditEntry): Promise<void> {
  if (await db('audit_log').where({ write_key: e.key }).first('id')) return;
  await audit(db, e);
}

export const SYSTEM_ACTOR = { actor: 'system', role: 'system' } as const;

/** The audit actor of an act: the person who did it, or the system when nobody did (a timer, a workflow step). */
export function actorOf(a?: { sub: string; role: string }): { actor: string; role: string } {
  return a ? { actor: a.sub, role: a.role } : SYSTEM_ACTOR;
}

/** A case's timeline: its audit rows in order. */
export function caseTimeline(db: Db, caseId: string) {
  return db('audit_log')
    .where({ case_id: caseId })
    .orderBy('id')
    .select('at', 'actor', 'role', 'action', 'entity', 'entity_id', 'after', 'reason');
}
