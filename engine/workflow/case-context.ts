// What every case workflow shares: the human-task book with its `completeTask` Update, the settle protocol behind
// every Update answer, the case's deadlines and status. A process creates one CaseContext from its definition
// (processes/<name>/definition.ts) and does all its waiting through it (docs/architecture.md, "The settle protocol").
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import { shanghaiDate, type IsoDate } from '../../domain/calendar';
import { type Department, type Role } from '../../domain/glossary';
import type { Household } from '../../domain/household';
import { membersBornAfter } from '../../domain/members';
import type { EngineActivities } from '../activities';
import type { CaseProgressInput } from '../activities/cases';
import type { ReadModelWrite } from '../activities/transition';
import { checkCompletion, type AnyProcess, type StatusOf, type TaskTypeOf } from '../definition';
import {
  activeStepsQuery,
  completeTaskUpdate,
  openDeadlinesQuery,
  settledUpdate,
  snapshotQuery,
  type CaseSnapshot,
  type CompleteTaskRequest,
  type OpenDeadline,
  type RejectionCode,
  type Actor,
  type ObjectionRequest,
  type TaskCompletion,
} from '../messages';
import { CASE_STATUS_KEY, PROCESS_KEY, REGION_KEY } from '../search-attributes';
import { activities, orderActivitiesAfter } from './activity-proxy';
import { WorkflowCalendar } from './calendar';

const acts = activities<EngineActivities>();
/** The one write per transition: it is what the other activities wait for, so it waits for nothing itself. */
const writer = activities<EngineActivities>({}, { unordered: true });

/**
 * Patched: the read-model writes of a step (tasks opened and closed, progress, deadline rows) are queued and written
 * by one activity when the process rests, instead of one activity each as they come.
 */
export const ONE_WRITE_PER_TRANSITION_PATCH = 'one-write-per-transition';

/**
 * Patched: the audit row of an act sent as an Update (an objection, an extension) is queued with the transition's
 * writes and commits with them, instead of being written by the API after the Update answered (and lost when the API
 * failed in between).
 */
export const AUDIT_IN_TRANSITION_PATCH = 'audit-in-transition';

/** Refuses an Update in its validator: the API answers with the status of REJECTIONS (engine/messages.ts). */
export function reject(type: RejectionCode, message: string, details?: unknown): never {
  throw ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

export interface CaseSequences {
  tasks: Record<string, number>;
  deadlines: Record<string, number>;
}

/** What a Deadline exposes to the context (engine/workflow/deadline.ts registers each one). */
export interface TrackedDeadline {
  readonly id: string;
  readonly due: { dueAt: string };
  open(): OpenDeadline | undefined;
  /** True while the deadline's row is not yet what the workflow holds (being saved, recomputed or settled). */
  readonly writing: boolean;
  /** At work on something else than a queued write (a calendar reload, a ladder step, a settlement not queued yet). */
  readonly busy: boolean;
  /** Met or cancelled, its settlement not yet written: whoever awaits `done` waits for the write, so it goes now. */
  readonly closing: boolean;
}

interface TaskState<T extends string> {
  taskId: string;
  type: T;
  status: 'OPEN' | 'COMPLETED' | 'CANCELLED';
  completion?: TaskCompletion;
  department?: Department;
  /** Who may complete it, when not the definition's candidate role (a per-region policy, e.g. who confirms). */
  candidateRole?: Role;
}

export interface OpenTaskOptions {
  /** The deadline that times the task: the task's due time is the deadline's, always (data/tasks.ts). */
  deadline?: TrackedDeadline;
  /** A due time without a deadline of its own. */
  dueAt?: string;
  /** The one department that may complete it. */
  department?: Department;
  /** Another candidate role than the definition's (a per-region policy parameter decides it). */
  candidateRole?: Role;
}

export class CaseContext<D extends AnyProcess> {
  status: StatusOf<D>;
  readonly tasks = new Map<string, TaskState<TaskTypeOf<D>>>();
  private readonly taskSeq = new Map<string, number>();
  private readonly deadlineSeq = new Map<string, number>();
  private readonly parked = new Set<() => boolean>();
  /** Branches of the process at work (not waiting); the process body itself is one from the start. */
  private atWork = 1;
  /**
   * Patched: cases started before answered Updates as soon as one branch waited (their histories record it so), and
   * before deadline rows were part of settling. The recipient process counted its branches by hand already.
   */
  private readonly settleCountsEveryBranch: boolean;
  private readonly branchesCountedBeforePatch: boolean;
  /** Patched (ONE_WRITE_PER_TRANSITION_PATCH): read-model writes are queued and written together. */
  readonly batched: boolean;
  private readonly queued: { write: ReadModelWrite; done: (stale: boolean) => void; fail: (e: unknown) => void }[] = [];
  private flushing = false;
  /** Callers waiting for the queue to be written before they go on (an activity that reads what was queued). */
  private drainRequests = 0;
  /** A write the database refused for good: the process fails with it at its next wait, as it did when it awaited. */
  private writeFailure: unknown;
  /** The date of the latest act, so back-dated acts stay in order. */
  lastActOn: IsoDate;
  finished = false;
  readonly calendar = new WorkflowCalendar();
  /** Extra validation per task type, for rules that depend on workflow state (e.g. the assessment). */
  extraValidation: Partial<Record<TaskTypeOf<D>, (req: CompleteTaskRequest) => void>> = {};
  activeStepsFn: () => string[] = () => [];
  /** Every Deadline of the case, for the openDeadlines query and the settle protocol. */
  readonly deadlines: TrackedDeadline[] = [];

  constructor(
    readonly definition: D,
    readonly caseId: string,
    readonly regionCode: string,
    startedOn: IsoDate,
    opts: { status?: StatusOf<D>; branchesCountedBeforePatch?: boolean } = {},
  ) {
    this.status = opts.status ?? definition.statuses[0];
    this.lastActOn = startedOn;
    this.branchesCountedBeforePatch = opts.branchesCountedBeforePatch ?? false;
    this.settleCountsEveryBranch = patched('settle-counts-every-branch');
    this.batched = patched(ONE_WRITE_PER_TRANSITION_PATCH);
    if (this.batched) {
      orderActivitiesAfter(() => (this.drained ? undefined : this.drain()));
      void this.writeLoop();
    }
  }

  today(): IsoDate {
    return shanghaiDate(Date.now());
  }

  /** Registers the Updates, queries and the calendar signal; call once, first thing in the workflow. */
  listen(): void {
    this.calendar.listen();
    setHandler(activeStepsQuery, () => this.activeStepsFn());
    setHandler(snapshotQuery, () => this.snapshot());
    setHandler(openDeadlinesQuery, () => this.deadlines.flatMap((d) => d.open() ?? []));
    setHandler(settledUpdate, async () => {
      await this.settle();
      return this.snapshot();
    });
    setHandler(
      completeTaskUpdate,
      async (req) => {
        const t = this.tasks.get(req.taskId)!;
        const effectiveOn = (req.data?.effectiveOn as string | undefined) ?? this.today();
        t.status = 'COMPLETED';
        t.completion = {
          outcome: req.outcome,
          data: req.data ?? {},
          comment: req.comment,
          actor: req.actor,
          effectiveOn,
        };
        const closing = {
          taskId: t.taskId,
          status: 'COMPLETED' as const,
          outcome: req.outcome,
          data: req.data,
          comment: req.comment,
          actor: req.actor,
          closedAt: new Date(Date.now()).toISOString(),
        };
        if (this.batched) this.queue({ closeTask: closing });
        else await acts.closeTask(closing);
        // Answer only once the process has moved on, so the caller sees the next step's tasks.
        await this.settle();
        return this.snapshot();
      },
      { validator: (req) => this.validateCompletion(req) },
    );
  }

  /** Tags the workflow with its region, process and status, and loads the calendar. */
  async start(): Promise<void> {
    upsertSearchAttributes([
      { key: REGION_KEY, value: this.regionCode },
      { key: PROCESS_KEY, value: this.definition.name },
      { key: CASE_STATUS_KEY, value: this.status },
    ]);
    await this.calendar.load();
  }

  setStatus(s: StatusOf<D>): void {
    if (this.status === s) return;
    this.status = s;
    upsertSearchAttributes([{ key: CASE_STATUS_KEY, value: s }]);
  }

  private validateCompletion(req: CompleteTaskRequest): void {
    const t = this.tasks.get(req.taskId);
    if (!t) reject('TASK_NOT_FOUND', `task ${req.taskId} does not belong to this case`);
    if (t.status !== 'OPEN') reject('TASK_NOT_OPEN', `task ${req.taskId} is ${t.status.toLowerCase()}`);
    const spec = this.definition.tasks[t.type];
    const candidateRole = t.candidateRole ?? spec.candidateRole;
    if (req.actor.role !== candidateRole && req.actor.role !== 'admin') {
      reject('FORBIDDEN', `a ${req.actor.role} may not complete a ${t.type} task (needs ${candidateRole})`);
    }
    if (t.department && req.actor.role !== 'admin' && req.actor.department !== t.department) {
      reject('FORBIDDEN', `task ${req.taskId} is for the department ${t.department}`);
    }
    const problem = checkCompletion(t.type, spec, req.outcome, req.data);
    if (problem) reject('INVALID_COMPLETION', problem.message, problem.details);
    const effectiveOn = req.data?.effectiveOn as string | undefined;
    if (effectiveOn !== undefined) {
      if (effectiveOn > this.today()) reject('INVALID_COMPLETION', `effectiveOn ${effectiveOn} is in the future`);
      if (effectiveOn < this.lastActOn) {
        reject('INVALID_COMPLETION', `effectiveOn ${effectiveOn} is before the previous act (${this.lastActOn})`);
      }
    }
    // A household recorded by this act cannot hold a member born after it (the assessment would fail on its ages).
    const household = req.data?.household as Household | undefined;
    const unborn = Array.isArray(household?.members) ? membersBornAfter(household, effectiveOn ?? this.today()) : [];
    if (unborn.length)
      reject('INVALID_COMPLETION', `members born after the act: ${unborn.join(', ')}`, { memberIds: unborn });
    this.extraValidation[t.type]?.(req);
  }

  // --- The settle protocol -------------------------------------------------------------------------------------
  // An Update answers once the process has reacted to it and waits for people again: every branch is waiting
  // (through waitUntil), none of their conditions holds, and every deadline row says what the workflow holds.
  // Processes therefore never call Temporal's `condition` or `sleep` themselves (eslint.config.mjs forbids it).

  /** Ends the process only after its writes are done and every Update handler has answered its caller. */
  async finish(): Promise<void> {
    this.finished = true;
    if (this.batched) await this.drain();
    await condition(allHandlersFinished);
  }

  /** Resolves once the process has reacted to what a handler just changed and waits again. */
  async settle(): Promise<void> {
    await condition(() => this.isIdle());
    if (this.batched) this.throwWriteFailure();
  }

  private isIdle(): boolean {
    if (this.batched) return this.writeFailure !== undefined || (this.restsApartFromWrites() && this.drained);
    if (this.finished) return true;
    if (this.parked.size === 0) return false;
    if (this.atWork > 0 && (this.settleCountsEveryBranch || this.branchesCountedBeforePatch)) return false;
    for (const fn of this.parked) if (fn()) return false;
    if (this.settleCountsEveryBranch && this.deadlines.some((d) => d.writing)) return false;
    return true;
  }

  /** Every branch waits for people and no deadline is at work: all that is left to do is the queued writes. */
  private restsApartFromWrites(): boolean {
    if (this.finished) return true;
    if (this.parked.size === 0 || this.atWork > 0) return false;
    for (const fn of this.parked) if (fn()) return false;
    return !this.deadlines.some((d) => d.busy);
  }

  // --- One write per transition (patched) ------------------------------------------------------------------------
  // Writes queue up while the process reacts; when it rests (or an activity must read them, or a deadline's settlement
  // is awaited) one activity writes them all in one transaction, in the order they came
  // (engine/activities/transition.ts).

  private get drained(): boolean {
    return this.queued.length === 0 && !this.flushing;
  }

  /**
   * Queues the audit row of an act into the transition's next write, so it commits with the rows the act changes;
   * the caller settles before answering. False for a case whose history predates this (AUDIT_IN_TRANSITION_PATCH):
   * its caller writes the row itself, as it did.
   */
  auditWithTransition(
    actor: Actor,
    e: { action: string; entity: string; entityId: string; after?: unknown; reason?: string },
  ): boolean {
    if (!this.batched || !patched(AUDIT_IN_TRANSITION_PATCH)) return false;
    this.queue({ audit: { ...e, actor: actor.sub, role: actor.role, caseId: this.caseId, key: uuid4() } });
    return true;
  }

  /** An objection's audit row (fileObjectionUpdate), as auditWithTransition. */
  auditObjection(req: ObjectionRequest): boolean {
    return this.auditWithTransition(req.actor, {
      action: 'case.objection',
      entity: 'case',
      entityId: this.caseId,
      reason: req.reason,
    });
  }

  /** Queues a write; resolves once it is written — true when a deadline row was left unwritten (a stale calendar). */
  write(w: ReadModelWrite): Promise<boolean> {
    return new Promise((done, fail) => this.queued.push({ write: w, done, fail }));
  }

  /** Queues a write nobody awaits: a refusal reaches the process at its next wait (writeFailure). */
  private queue(w: ReadModelWrite): void {
    this.write(w).catch(() => undefined);
  }

  private async drain(): Promise<void> {
    this.drainRequests++;
    try {
      await condition(() => this.drained || this.writeFailure !== undefined);
    } finally {
      this.drainRequests--;
    }
    this.throwWriteFailure();
  }

  private throwWriteFailure(): void {
    if (this.writeFailure !== undefined) throw this.writeFailure;
  }

  private async writeLoop(): Promise<void> {
    for (;;) {
      await condition(
        () =>
          this.queued.length > 0 &&
          (this.drainRequests > 0 || this.restsApartFromWrites() || this.deadlines.some((d) => d.closing)),
      );
      const batch = this.queued.splice(0);
      this.flushing = true;
      try {
        const { stale } = await writer.recordTransition({ writes: batch.map((b) => b.write) });
        for (const b of batch) b.done('upsertDeadline' in b.write && stale.includes(b.write.upsertDeadline.deadlineId));
      } catch (err) {
        this.writeFailure = err;
        for (const b of [...batch, ...this.queued.splice(0)]) b.fail(err);
        return;
      } finally {
        this.flushing = false;
      }
    }
  }

  /**
   * Waits until `fn` holds (a person acts, an objection comes, a timeout passes); Updates answer while the process
   * waits here. Returns false when the timeout passed first. Call it from the process body or a branch.
   */
  async waitUntil(fn: () => boolean, timeoutMs?: number): Promise<boolean> {
    // A wait that is already over (a back-dated publicity, say) is no resting point for Update answers.
    if (timeoutMs !== undefined && timeoutMs <= 0) return fn();
    if (this.atWork <= 0) throw new Error('waitUntil outside the process body or a branch of it');
    const probe = () => fn();
    this.parked.add(probe);
    this.atWork--;
    try {
      if (this.batched) {
        const holds = () => fn() || this.writeFailure !== undefined;
        const held =
          timeoutMs === undefined ? (await condition(holds), true) : await condition(holds, Math.max(1, timeoutMs));
        this.throwWriteFailure();
        return held;
      }
      return timeoutMs === undefined ? (await condition(fn), true) : await condition(fn, Math.max(1, timeoutMs));
    } finally {
      this.atWork++;
      this.parked.delete(probe);
    }
  }

  /** Runs `fn` beside the process body (a check among others, an opinion awaited); its waits count like the body's. */
  async branch<T>(fn: () => Promise<T>): Promise<T> {
    this.atWork++;
    try {
      return await fn();
    } finally {
      this.atWork--;
    }
  }

  /** Runs steps side by side and waits for all; the caller is not at work meanwhile, its branches are. */
  async all<T extends readonly unknown[]>(fns: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
    this.atWork--;
    try {
      return (await Promise.all(fns.map((f) => this.branch(f)))) as unknown as T;
    } finally {
      this.atWork++;
    }
  }

  // --- Tasks ---------------------------------------------------------------------------------------------------

  snapshot(): CaseSnapshot {
    return {
      caseId: this.caseId,
      status: this.status,
      activeSteps: this.activeStepsFn(),
      openTasks: [...this.tasks.values()]
        .filter((t) => t.status === 'OPEN')
        .map((t) => ({ taskId: t.taskId, type: t.type })),
    };
  }

  openTaskTypes(): TaskTypeOf<D>[] {
    return [...this.tasks.values()].filter((t) => t.status === 'OPEN').map((t) => t.type);
  }

  async openTask(type: TaskTypeOf<D>, opts: OpenTaskOptions = {}): Promise<string> {
    const n = (this.taskSeq.get(type) ?? 0) + 1;
    this.taskSeq.set(type, n);
    const taskId = `${this.caseId}:${type}:${n}`;
    this.tasks.set(taskId, {
      taskId,
      type,
      status: 'OPEN',
      department: opts.department,
      ...(opts.candidateRole ? { candidateRole: opts.candidateRole } : {}),
    });
    const task = {
      taskId,
      caseId: this.caseId,
      type,
      regionCode: this.regionCode,
      candidateRole: opts.candidateRole ?? this.definition.tasks[type].candidateRole,
      createdAt: new Date(Date.now()).toISOString(),
      dueAt: opts.deadline?.due.dueAt ?? opts.dueAt,
      ...(opts.deadline ? { deadlineId: opts.deadline.id } : {}),
      ...(opts.department ? { department: opts.department } : {}),
    };
    if (this.batched) this.queue({ openTask: task });
    else await acts.openTask(task);
    return taskId;
  }

  /** Closes an open task that nobody will complete now (another branch decided first), with a reason. */
  async cancelTask(taskId: string, reason: string): Promise<void> {
    this.tasks.get(taskId)!.status = 'CANCELLED';
    const closedAt = new Date(Date.now()).toISOString();
    const closing = { taskId, status: 'CANCELLED' as const, comment: reason, closedAt };
    if (this.batched) this.queue({ closeTask: closing });
    else await acts.closeTask(closing);
  }

  /** Waits until a human completes the task; returns what they sent. */
  async waitForTask(taskId: string): Promise<TaskCompletion> {
    const t = this.tasks.get(taskId)!;
    await this.waitUntil(() => t.status === 'COMPLETED');
    const c = t.completion!;
    if (c.effectiveOn > this.lastActOn) this.lastActOn = c.effectiveOn;
    return c;
  }

  /** Opens a task, reports it, and waits for its completion. */
  async humanStep(type: TaskTypeOf<D>, opts: OpenTaskOptions = {}): Promise<TaskCompletion & { taskId: string }> {
    const taskId = await this.openTask(type, opts);
    await this.reportProgress();
    return { ...(await this.waitForTask(taskId)), taskId };
  }

  async reportProgress(extra: Omit<CaseProgressInput, 'caseId' | 'activeSteps' | 'status'> = {}): Promise<void> {
    const progress = { caseId: this.caseId, status: this.status, activeSteps: this.activeStepsFn(), ...extra };
    if (this.batched) this.queue({ recordCaseProgress: progress });
    else await acts.recordCaseProgress(progress);
  }

  // --- Continue-as-new and ids ---------------------------------------------------------------------------------

  /** The task and deadline counters, carried over continue-as-new so the next run never reuses an id of this one. */
  sequences(): CaseSequences {
    return { tasks: Object.fromEntries(this.taskSeq), deadlines: Object.fromEntries(this.deadlineSeq) };
  }

  restoreSequences(s: CaseSequences): void {
    for (const [k, n] of Object.entries(s.tasks)) this.taskSeq.set(k, n);
    for (const [k, n] of Object.entries(s.deadlines)) this.deadlineSeq.set(k, n);
  }

  nextDeadlineId(kind: string): string {
    const n = (this.deadlineSeq.get(kind) ?? 0) + 1;
    this.deadlineSeq.set(kind, n);
    return `${this.caseId}:${kind}:${n}`;
  }

  logInfo(message: string, attrs: Record<string, unknown> = {}): void {
    // Case ids and step names only: never names or ID numbers.
    log.info(message, { caseId: this.caseId, ...attrs });
  }
}
