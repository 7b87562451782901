// What a process is, as data: its name, workflow id, human tasks (outcomes, data schemas, candidate role), deadline
// kinds with their limits, statuses and reportable steps. Each process declares one in processes/<name>/definition.ts;
// the shared machinery (engine/workflow/case-context.ts) and the API (processes/index.ts) read everything from it.
// Pure: imported by workflow code, so no Node built-ins and no clock reads.
import type { z } from 'zod';
import type { Role } from '../domain/glossary';

/** One human step: who may complete it and what each outcome carries. */
export interface TaskSpec {
  /** 中文 name, for the console, notices and messages. */
  label: string;
  candidateRole: Role;
  /** Outcome → the schema of the data it carries; the Update validator and the API both check it. */
  outcomes: Record<string, z.ZodType>;
}

/** A policy time limit (docs/policy.md §1): counted in working days, or in calendar days where the policy says days. */
export interface DeadlineLimit {
  label: string;
  /** What the limit counts from; "within N working days of X": X does not count. */
  startsFrom: string;
  workingDays?: number;
  calendarDays?: number;
}

/** The working days of a limit counted in working days (a definition error otherwise, found by the unit tests). */
export function workingDaysOf(limit: DeadlineLimit): number {
  if (limit.workingDays === undefined) throw new Error(`the limit "${limit.label}" is not counted in working days`);
  return limit.workingDays;
}

export interface ProcessDefinition<
  N extends string = string,
  T extends string = string,
  K extends string = string,
  S extends string = string,
  P extends string = string,
> {
  /** The process key: the workflow type (Temporal-visible: never renamed), `cases.process`, the DoudiProcess value. */
  name: N;
  /** 中文 name. */
  label: string;
  /** The workflow id of a case of this process; carries no personal data (Temporal-visible: never changed). */
  workflowId(caseId: string): string;
  tasks: Record<T, TaskSpec>;
  deadlines: Record<K, DeadlineLimit>;
  /** Statuses a case of this process takes, in rough process order; the first is the status it opens with. */
  statuses: readonly S[];
  /** The step ids the workflow reports as active; the element ids of its BPMN diagram (test/unit/bpmn.test.ts). */
  steps: readonly P[];
  /** The BPMN diagram's file name inside processes/<name>/. */
  bpmn: string;
}

/** Any process definition, for code that handles every process alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcess = ProcessDefinition<string, any, any, any, any>;

export type TaskTypeOf<D extends AnyProcess> = keyof D['tasks'] & string;
export type DeadlineKindOf<D extends AnyProcess> = keyof D['deadlines'] & string;
export type StatusOf<D extends AnyProcess> = D['statuses'][number];
export type StepOf<D extends AnyProcess> = D['steps'][number];

/** Declares a process; the identity function keeps the literal types of names, tasks and steps. */
export function defineProcess<
  const N extends string,
  const T extends string,
  const K extends string,
  const S extends string,
  const P extends string,
>(d: ProcessDefinition<N, T, K, S, P>): ProcessDefinition<N, T, K, S, P> {
  return d;
}

/**
 * A process's outcome schemas (task type → outcome → schema), each task type's read from the process's schemas module
 * on first use (`load` requires it). Workflow code imports every process definition, and the SDK evaluates a
 * workflow's modules afresh for each new workflow: building every process's zod schemas at load cost each workflow
 * about 1 MiB of heap and 18 ms (README, "Worker memory"), for completions it mostly never validates. To the reader,
 * a task type's outcomes are a plain record (reads, `in`, `Object.hasOwn`, `Object.keys`).
 */
export function lazyTaskSchemas<A extends Record<string, Record<string, z.ZodType>>>(load: () => A) {
  return <T extends keyof A>(type: T): A[T] => {
    let outcomes: A[T] | undefined;
    const loaded = () => (outcomes ??= load()[type]);
    return new Proxy({} as A[T], {
      get: (_, key) => Reflect.get(loaded(), key),
      has: (_, key) => key in loaded(),
      ownKeys: () => Reflect.ownKeys(loaded()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(loaded(), key);
        return d && { ...d, configurable: true }; // the proxy's empty target: it may only report configurable ones
      },
    });
  };
}

export type TaskCompletionProblem = { code: 'UNKNOWN_OUTCOME' | 'INVALID_DATA'; message: string; details?: unknown };

/** Pure check of an outcome and its data against a task's spec; undefined when acceptable. */
export function checkCompletion(
  type: string,
  spec: TaskSpec,
  outcome: string,
  data: unknown,
): TaskCompletionProblem | undefined {
  const schema = Object.hasOwn(spec.outcomes, outcome) ? spec.outcomes[outcome] : undefined;
  if (!schema) {
    const allowed = Object.keys(spec.outcomes).join(', ');
    return { code: 'UNKNOWN_OUTCOME', message: `outcome ${outcome} is not allowed for ${type}; allowed: ${allowed}` };
  }
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      code: 'INVALID_DATA',
      message: `data for ${type} ${outcome} is invalid`,
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  return undefined;
}
