// The audit log: who did what to which case, with before/after. Written in the same transaction as the change.
import type { Knex } from 'knex';

export interface AuditEntry {
  actor: string; role: string; action: string; caseId?: string | null; entity?: string; entityId?: string;
  before?: unknown; after?: unknown; reason?: string;
}

export async function audit(db: Knex | Knex.Transaction, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor: e.actor, role: e.role, action: e.action, case_id: e.caseId ?? null, entity: e.entity ?? null, entity_id: e.entityId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before), after: e.after === undefined ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
  });
}

export const SYSTEM_ACTOR = { actor: 'system', role: 'system' } as const;
