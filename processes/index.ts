// The registry: every process of the system, one line each. The worker's activities, the API's routes and the
// lists of the glossary (task types, deadline kinds, case statuses, process keys) are derived from it.
// Adding a process: its folder (docs/architecture.md, "Adding a process"), a line here, a line in
// processes/workflows.ts (the worker's bundle cannot load routes), and a migration for its tables.
import { engineActivities, type ActivityDeps, type EngineActivities } from '../engine/activities';
import { checkCompletion, type AnyProcess, type TaskCompletionProblem, type TaskSpec } from '../engine/definition';
import { application } from './application';
import { caseConference } from './caseConference';
import { comparison } from './comparison';
import { emergency } from './emergency';
import { recipient } from './recipient';
import { roster } from './roster';
import { warning } from './warning';
import type { ProcessSlice } from './slice';

export const PROCESSES = [
  application,
  recipient,
  emergency,
  caseConference,
  warning,
  roster,
  comparison,
] as const satisfies readonly ProcessSlice[];

/** The case processes (those with cases, tasks and a diagram). */
export const CASE_PROCESSES: readonly AnyProcess[] = PROCESSES.flatMap((p: ProcessSlice) =>
  p.definition ? [p.definition] : [],
);

export const PROCESS_KEYS = CASE_PROCESSES.map((d) => d.name);

export function processByName(name: string): AnyProcess | undefined {
  return CASE_PROCESSES.find((d) => d.name === name);
}

/** Every task type of every process, with its spec and process. Task types are unique (test/unit/processes.test.ts). */
export const TASKS: Readonly<Record<string, TaskSpec & { process: string }>> = Object.fromEntries(
  CASE_PROCESSES.flatMap((d) =>
    Object.entries(d.tasks).map(([type, spec]) => [type, { ...(spec as TaskSpec), process: d.name }]),
  ),
);
export const TASK_TYPES = Object.keys(TASKS) as [string, ...string[]];

/** Checks an outcome and its data against the task type's spec, as the workflow's Update validator will. */
export function checkTaskCompletion(type: string, outcome: string, data: unknown): TaskCompletionProblem | undefined {
  const spec = TASKS[type];
  if (!spec) return { code: 'UNKNOWN_OUTCOME', message: `no task type ${type}` };
  return checkCompletion(type, spec, outcome, data);
}

export const DEADLINE_KINDS = [...new Set(CASE_PROCESSES.flatMap((d) => Object.keys(d.deadlines)))] as [
  string,
  ...string[],
];

export const CASE_STATUSES = [...new Set(CASE_PROCESSES.flatMap((d) => [...d.statuses]))] as [string, ...string[]];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type SliceActivities = ReturnType<NonNullable<(typeof PROCESSES)[number]['activities']>>;
/** Every activity of the system, by name (what test fakes implement). */
export type Activities = EngineActivities & UnionToIntersection<SliceActivities>;

/** Every activity the worker registers: the shared machinery's and each process's. */
export function createActivities(deps: ActivityDeps): Activities {
  return Object.assign({}, engineActivities(deps), ...PROCESSES.map((p: ProcessSlice) => p.activities?.(deps) ?? {}));
}
