// The messages every case workflow answers, shared by the workflows (handlers), the API (engine/client.ts) and the
// activities. The names given to define*() are Temporal-visible: running cases and recorded histories depend on them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '../domain/calendar';
import type { Department, Role } from '../domain/glossary';

/** Who acted. `department`: set for a `department` user (JWT claim), so a department completes only its own tasks. */
export interface Actor {
  sub: string;
  role: Role;
  region: string;
  department?: Department;
}

export interface CompleteTaskRequest {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  comment?: string;
  actor: Actor;
}

/** What a completed task brought: the outcome, its data and the act's date on paper. */
export interface TaskCompletion {
  outcome: string;
  data: Record<string, unknown>;
  comment?: string;
  actor: Actor;
  effectiveOn: IsoDate;
}

export interface CaseSnapshot {
  caseId: string;
  status: string;
  activeSteps: string[];
  openTasks: { taskId: string; type: string }[];
}

/** A deadline as the workflow itself holds it: what `npm run reconcile` compares with the deadline rows. */
export interface OpenDeadline {
  id: string;
  kind: string;
  status: 'pending' | 'overdue';
  dueOn: IsoDate;
  dueAt: string;
}

export const completeTaskUpdate = defineUpdate<CaseSnapshot, [CompleteTaskRequest]>('completeTask');
/** Answers once the process waits for people again: a new case's first tasks exist when it answers. */
export const settledUpdate = defineUpdate<CaseSnapshot>('settled');
export const activeStepsQuery = defineQuery<string[]>('activeSteps');
export const snapshotQuery = defineQuery<CaseSnapshot>('snapshot');
export const openDeadlinesQuery = defineQuery<OpenDeadline[]>('openDeadlines');
/** An objection (异议) during a publicity: the application's opinion, or a TEKUN recipient's termination. */
export interface ObjectionRequest {
  reason: string;
  actor: Actor;
}
/** `audited`: the workflow wrote the audit row with the change (CaseContext.auditWithTransition), else the caller. */
export const fileObjectionUpdate = defineUpdate<{ accepted: true; audited?: true }, [ObjectionRequest]>(
  'fileObjection',
);

/** An admin loaded a calendar year: every running case reloads it and recomputes its open deadlines. */
export const calendarUpdatedSignal = defineSignal('calendarUpdated');

/**
 * Why an Update validator refused: the ApplicationFailure type, and the HTTP status the API answers with
 * (api/errors.ts). One table, so a new code cannot be thrown without the API knowing how to answer it.
 */
export const REJECTIONS = {
  TASK_NOT_FOUND: 404,
  TASK_NOT_OPEN: 409,
  WRONG_STATE: 409,
  INVALID_COMPLETION: 422,
  FORBIDDEN: 403,
} as const;
export type RejectionCode = keyof typeof REJECTIONS;
