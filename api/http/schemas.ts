// Request and response pieces every route may use; the ones that list every process's names are in api/schemas.ts.
import './zod-openapi';
import { z } from 'zod';
import { isoDate } from '../../domain/schemas';
import { iso } from '../../data/db';

export { iso };

export const IsoDateSchema = isoDate();
export const RegionCodeSchema = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6, 9 or 12 digit region code');
export const UuidSchema = z.string().uuid();
export const CaseIdParams = z.object({ id: UuidSchema });

export const SnapshotSchema = z.object({
  caseId: z.string(),
  status: z.string(),
  activeSteps: z.array(z.string()),
  openTasks: z.array(z.object({ taskId: z.string(), type: z.string() })),
});

/* eslint-disable @typescript-eslint/no-explicit-any -- rows as knex returns them */
export function toTask(r: Record<string, any>, now = Date.now()) {
  return {
    id: r.id,
    caseId: r.case_id,
    type: r.type,
    regionCode: r.region_code,
    candidateRole: r.candidate_role,
    assignee: r.assignee ?? null,
    status: r.status,
    outcome: r.outcome ?? null,
    createdAt: iso(r.created_at)!,
    dueAt: iso(r.due_at),
    completedAt: iso(r.completed_at),
    completedBy: r.completed_by ?? null,
    overdue: r.status === 'OPEN' && r.due_at != null && new Date(r.due_at).getTime() < now,
    department: r.department ?? null,
  };
}

export function toDeadline(r: Record<string, any>) {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    regionCode: r.region_code,
    taskId: r.task_id ?? null,
    startedOn: r.started_on,
    workingDays: r.working_days ?? null,
    calendarDays: r.calendar_days ?? null,
    dueOn: r.due_on,
    dueAt: iso(r.due_at)!,
    provisional: r.provisional,
    status: r.status,
    metAt: iso(r.met_at),
    overdueAt: iso(r.overdue_at),
    metLate: r.met_late,
    extensionDays: r.extension_days ?? null,
    extensionReason: r.extension_reason ?? null,
    escalationLevel: r.escalation_level,
  };
}
export function toPayment(p: Record<string, any>) {
  return {
    id: p.id,
    kind: p.kind,
    caseId: p.case_id,
    householdId: p.household_id ?? null,
    regionCode: p.region_code,
    month: p.month,
    amount: p.amount,
    category: p.category ?? null,
    details: p.details ?? null,
    createdAt: iso(p.created_at),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
