// Response shapes that name every process's task types, deadline kinds and statuses (from the registry,
// processes/index.ts), so /openapi.json lists them. Used by the shared routes in api/routes/.
import { z } from 'zod';
import { DEADLINE_STATUSES } from '../data/deadlines';
import { TASK_STATUSES } from '../data/tasks';
import { CASE_STATUSES, DEADLINE_KINDS, TASK_TYPES } from '../processes';

export const CaseSummarySchema = z.object({
  id: z.string(),
  process: z.string(),
  status: z.enum(CASE_STATUSES),
  regionCode: z.string(),
  activeSteps: z.array(z.string()),
  receivedOn: z.string(),
  acceptedOn: z.string().nullable(),
  decidedOn: z.string().nullable(),
  applicantName: z.string().nullable(),
});

export const TaskSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  type: z.enum(TASK_TYPES),
  regionCode: z.string(),
  candidateRole: z.string(),
  assignee: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  overdue: z.boolean(),
  department: z.string().nullable(),
});

export const DeadlineSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.enum(DEADLINE_KINDS),
  regionCode: z.string(),
  taskId: z.string().nullable(),
  startedOn: z.string(),
  workingDays: z.number().nullable(),
  calendarDays: z.number().nullable(),
  dueOn: z.string(),
  dueAt: z.string(),
  provisional: z.boolean(),
  status: z.enum(DEADLINE_STATUSES),
  metAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  metLate: z.boolean(),
  extensionDays: z.number().nullable(),
  extensionReason: z.string().nullable(),
  escalationLevel: z.number(),
});
