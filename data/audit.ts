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
 * The hash chain (migrations/011_audit_chain.ts, migrations/014_audit_chain_at_commit.ts) is kept by a trigger: every
 * insert here, or anywhere, is chained as its transaction commits, in the order the transactions commit.
 */
export async function audit(db: Db, e: AuditEntry & { key?: string }): Promise<void> {
  await db('audit_log').insert(rowOf(e));
}

/**
 * An audit row a retry must not write twice: a second insert with the same key does nothing (and waits for a
 * concurrent one to commit rather than failing). Safe with the chain since 014: only rows really inserted are chained.
 */
export async function auditOnce(db: Db, e: KeyedAuditEntry): Promise<void> {
  await db('audit_log').insert(rowOf(e)).onConflict(db.raw('(write_key) where write_key is not null')).ignore();
}

function rowOf(e: AuditEntry & { key?: string }) {
  return {
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
  };
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
