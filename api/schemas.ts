// Request and response shapes shared by several routes.
import { z } from 'zod';
import { APPLICATION_SOURCES, CASE_STATUSES, DEADLINE_KINDS, DEADLINE_STATUSES, TASK_STATUSES, TASK_TYPES } from '../domain/glossary';
import { HouseholdSchema } from '../domain/household';
import { isIsoDate } from '../domain/calendar';

export const IsoDateSchema = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');
export const RegionCodeSchema = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6, 9 or 12 digit region code');
export const UuidSchema = z.string().uuid();
export const CaseIdParams = z.object({ id: UuidSchema });

export const PersonSchema = z.object({
  memberId: z.string().min(1),
  name: z.string().min(1).max(50),
  idNumber: z.string().min(1).max(20),
}).strict();

export const ApplicationSchema = z.object({
  regionCode: z.string().regex(/^\d{9}$/, 'the 9-digit township code of the household registration'),
  villageCode: z.string().regex(/^\d{12}$/).optional(),
  address: z.string().max(200).optional(),
  source: z.enum(APPLICATION_SOURCES).default('SELF_DECLARED'),
  receivedOn: IsoDateSchema.optional(),
  people: z.array(PersonSchema).min(1).max(30),
  household: HouseholdSchema,
}).strict();

export const CaseSummarySchema = z.object({
  id: z.string(), process: z.string(), status: z.enum(CASE_STATUSES), regionCode: z.string(), activeSteps: z.array(z.string()),
  receivedOn: z.string(), acceptedOn: z.string().nullable(), decidedOn: z.string().nullable(), applicantName: z.string().nullable(),
});

export const TaskSchema = z.object({
  id: z.string(), caseId: z.string(), type: z.enum(TASK_TYPES as [string, ...string[]]), regionCode: z.string(), candidateRole: z.string(), assignee: z.string().nullable(),
  status: z.enum(TASK_STATUSES), outcome: z.string().nullable(), createdAt: z.string(), dueAt: z.string().nullable(),
  completedAt: z.string().nullable(), completedBy: z.string().nullable(), overdue: z.boolean(), department: z.string().nullable(),
});

export const DeadlineSchema = z.object({
  id: z.string(), caseId: z.string(), kind: z.enum(DEADLINE_KINDS), regionCode: z.string(), taskId: z.string().nullable(),
  startedOn: z.string(), workingDays: z.number().nullable(), calendarDays: z.number().nullable(), dueOn: z.string(), dueAt: z.string(), provisional: z.boolean(),
  status: z.enum(DEADLINE_STATUSES), metAt: z.string().nullable(), overdueAt: z.string().nullable(), metLate: z.boolean(),
  extensionDays: z.number().nullable(), extensionReason: z.string().nullable(), escalationLevel: z.number(),
});

export const SnapshotSchema = z.object({
  caseId: z.string(), status: z.enum(CASE_STATUSES), activeSteps: z.array(z.string()),
  openTasks: z.array(z.object({ taskId: z.string(), type: z.string() })),
});

const iso = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));

export function toTask(r: Record<string, any>, now = Date.now()) {
  return {
    id: r.id, caseId: r.case_id, type: r.type, regionCode: r.region_code, candidateRole: r.candidate_role, assignee: r.assignee ?? null,
    status: r.status, outcome: r.outcome ?? null, createdAt: iso(r.created_at)!, dueAt: iso(r.due_at), completedAt: iso(r.completed_at),
    completedBy: r.completed_by ?? null, overdue: r.status === 'OPEN' && r.due_at != null && new Date(r.due_at).getTime() < now, department: r.department ?? null,
  };
}

export function toDeadline(r: Record<string, any>) {
  return {
    id: r.id, caseId: r.case_id, kind: r.kind, regionCode: r.region_code, taskId: r.task_id ?? null, startedOn: r.started_on,
    workingDays: r.working_days ?? null, calendarDays: r.calendar_days ?? null, dueOn: r.due_on, dueAt: iso(r.due_at)!, provisional: r.provisional, status: r.status,
    metAt: iso(r.met_at), overdueAt: iso(r.overdue_at), metLate: r.met_late, extensionDays: r.extension_days ?? null,
    extensionReason: r.extension_reason ?? null, escalationLevel: r.escalation_level,
  };
}

export { iso };
