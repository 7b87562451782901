// State every case workflow shares: the human-task book, the "parked" tracking behind Update answers, deadlines.
import { allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities, setHandler, ApplicationFailure, log } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import type { Actor } from '../../activities/contracts';
import { checkCompletion } from '../../domain/tasks';
import { shanghaiDate, IsoDate } from '../../domain/calendar';
import { TASK_CANDIDATE_ROLE, TaskType, CaseStatus, DeadlineKind, Department, DeadlineStatus } from '../../domain/glossary';
import { WorkflowCalendar } from './calendar';

type Activities = ReturnType<typeof createActivities>;
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

export interface CompleteTaskRequest { taskId: string; outcome: string; data?: Record<string, unknown>; comment?: string; actor: Actor }
export interface TaskCompletion { outcome: string; data: Record<string, unknown>; comment?: string; actor: Actor; effectiveOn: IsoDate }
export interface CaseSnapshot { caseId: string; status: CaseStatus; activeSteps: string[]; openTasks: { taskId: string; type: TaskType }[] }

export const completeTaskUpdate = defineUpdate<CaseSnapshot, [CompleteTaskRequest]>('completeTask');
export const activeStepsQuery = defineQuery<string[]>('activeSteps');
/** Answers once the process waits for people again: the API uses it so a new case's first task exists when it answers. */
export const settledUpdate = defineUpdate<CaseSnapshot>('settled');
export const snapshotQuery = defineQuery<CaseSnapshot>('snapshot');

/** A deadline as the workflow itself holds it: what `npm run reconcile` compares with the deadline rows. */
export interface OpenDeadline { id: string; kind: DeadlineKind; status: Extract<DeadlineStatus, 'pending' | 'overdue'>; dueOn: IsoDate; dueAt: string }
/** What a Deadline exposes to the context (workflows/lib/deadline.ts registers each one). */
export interface TrackedDeadline { open(): OpenDeadline | undefined }
export const openDeadlinesQuery = defineQuery<OpenDeadline[]>('openDeadlines');

/** Error types the API maps to HTTP statuses (see api/errors.ts). */
export const REJECTION = {
  TASK_NOT_FOUND: 'TASK_NOT_FOUND', // 404
  TASK_NOT_OPEN: 'TASK_NOT_OPEN', // 409
  WRONG_STATE: 'WRONG_STATE', // 409
  INVALID_COMPLETION: 'INVALID_COMPLETION', // 422
  FORBIDDEN: 'FORBIDDEN', // 403
} as const;

export function reject(type: keyof typeof REJECTION, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

export interface CaseSequences { tasks: Record<string, number>; deadlines: Record<string, number> }

interface TaskState { taskId: string; type: TaskType; status: 'OPEN' | 'COMPLETED' | 'CANCELLED'; completion?: TaskCompletion; department?: Department }

export class CaseContext {
  status: CaseStatus;
  readonly tasks = new Map<string, TaskState>();
  private readonly taskSeq = new Map<string, number>();
  private readonly deadlineSeq = new Map<string, number>();
  private readonly parked = new Set<() => boolean>();
  /** The date of the latest act, so back-dated acts stay in order. */
  lastActOn: IsoDate;
  finished = false;
  readonly calendar = new WorkflowCalendar();
  /** Extra validation per task type, for rules that depend on workflow state (e.g. the assessment). */
  extraValidation: Partial<Record<TaskType, (req: CompleteTaskRequest) => void>> = {};
  activeStepsFn: () => string[] = () => [];
  /**
   * Concurrent branches of the process at work rather than parked (the recipient process runs several checks at once);
   * Updates answer only when none is, as they would for a single-branch process.
   */
  busy = 0;
  /** Every Deadline of the case, for the openDeadlines query. */
  readonly deadlines: TrackedDeadline[] = [];

  constructor(readonly caseId: string, readonly regionCode: string, status: CaseStatus, startedOn: IsoDate) {
    this.status = status;
    this.lastActOn = startedOn;
  }

  today(): IsoDate { return shanghaiDate(Date.now()); }

  /** Registers the Update and queries; call once at the start of the workflow. */
  listen(): void {
    this.calendar.listen();
    setHandler(activeStepsQuery, () => this.activeStepsFn());
    setHandler(snapshotQuery, () => this.snapshot());
    setHandler(openDeadlinesQuery, () => this.deadlines.flatMap((d) => d.open() ?? []));
    setHandler(settledUpdate, async () => {
      await this.settle();
      return this.snapshot();
    });
    setHandler(completeTaskUpdate, async (req) => {
      const t = this.tasks.get(req.taskId)!;
      const effectiveOn = (req.data?.effectiveOn as string | undefined) ?? this.today();
      t.status = 'COMPLETED';
      t.completion = { outcome: req.outcome, data: req.data ?? {}, comment: req.comment, actor: req.actor, effectiveOn };
      await acts.closeTask({ taskId: t.taskId, status: 'COMPLETED', outcome: req.outcome, data: req.data, comment: req.comment, actor: req.actor, closedAt: new Date(Date.now()).toISOString() });
      // Answer only once the process has moved on, so the caller sees the next step's tasks.
      await this.settle();
      return this.snapshot();
    }, { validator: (req) => this.validateCompletion(req) });
  }

  private validateCompletion(req: CompleteTaskRequest): void {
    const t = this.tasks.get(req.taskId);
    if (!t) reject('TASK_NOT_FOUND', `task ${req.taskId} does not belong to this case`);
    if (t.status !== 'OPEN') reject('TASK_NOT_OPEN', `task ${req.taskId} is ${t.status.toLowerCase()}`);
    if (req.actor.role !== TASK_CANDIDATE_ROLE[t.type] && req.actor.role !== 'admin') {
      reject('FORBIDDEN', `a ${req.actor.role} may not complete a ${t.type} task (needs ${TASK_CANDIDATE_ROLE[t.type]})`);
    }
    if (t.department && req.actor.role !== 'admin' && req.actor.department !== t.department) {
      reject('FORBIDDEN', `task ${req.taskId} is for the department ${t.department}`);
    }
    const problem = checkCompletion(t.type, req.outcome, req.data);
    if (problem) reject('INVALID_COMPLETION', problem.message, problem.details);
    const effectiveOn = req.data?.effectiveOn as string | undefined;
    if (effectiveOn !== undefined) {
      if (effectiveOn > this.today()) reject('INVALID_COMPLETION', `effectiveOn ${effectiveOn} is in the future`);
      if (effectiveOn < this.lastActOn) reject('INVALID_COMPLETION', `effectiveOn ${effectiveOn} is before the previous act (${this.lastActOn})`);
    }
    this.extraValidation[t.type]?.(req);
  }

  /** Ends the process only after every Update handler has answered its caller. */
  async finish(): Promise<void> {
    this.finished = true;
    await condition(allHandlersFinished);
  }

  /** Resolves once the process has reacted to what a handler just changed and waits again. */
  async settle(): Promise<void> {
    await condition(() => this.isIdle());
  }

  private isIdle(): boolean {
    if (this.finished) return true;
    if (this.parked.size === 0 || this.busy > 0) return false;
    for (const fn of this.parked) if (fn()) return false;
    return true;
  }

  /** Waits for an outside event (a human, an objection, publicity running out); Updates answer while parked. */
  async park(fn: () => boolean, timeoutMs?: number): Promise<boolean> {
    // A wait that is already over (a back-dated publicity, say) is no resting point for Update answers.
    if (timeoutMs !== undefined && timeoutMs <= 0) return fn();
    const probe = () => fn();
    this.parked.add(probe);
    try {
      return timeoutMs === undefined ? (await condition(fn), true) : await condition(fn, Math.max(1, timeoutMs));
    } finally {
      this.parked.delete(probe);
    }
  }

  snapshot(): CaseSnapshot {
    return {
      caseId: this.caseId,
      status: this.status,
      activeSteps: this.activeStepsFn(),
      openTasks: [...this.tasks.values()].filter((t) => t.status === 'OPEN').map((t) => ({ taskId: t.taskId, type: t.type })),
    };
  }

  openTaskTypes(): TaskType[] {
    return [...this.tasks.values()].filter((t) => t.status === 'OPEN').map((t) => t.type);
  }

  async openTask(type: TaskType, dueAt?: string, opts: { department?: Department } = {}): Promise<string> {
    const n = (this.taskSeq.get(type) ?? 0) + 1;
    this.taskSeq.set(type, n);
    const taskId = `${this.caseId}:${type}:${n}`;
    this.tasks.set(taskId, { taskId, type, status: 'OPEN', department: opts.department });
    await acts.openTask({ taskId, caseId: this.caseId, type, regionCode: this.regionCode, candidateRole: TASK_CANDIDATE_ROLE[type], createdAt: new Date(Date.now()).toISOString(), dueAt, ...(opts.department ? { department: opts.department } : {}) });
    return taskId;
  }

  /** Waits until a human completes the task; returns what they sent. */
  async waitForTask(taskId: string): Promise<TaskCompletion> {
    const t = this.tasks.get(taskId)!;
    await this.park(() => t.status === 'COMPLETED');
    const c = t.completion!;
    if (c.effectiveOn > this.lastActOn) this.lastActOn = c.effectiveOn;
    return c;
  }

  async humanStep(type: TaskType, dueAt?: string): Promise<TaskCompletion & { taskId: string }> {
    const taskId = await this.openTask(type, dueAt);
    await this.reportProgress();
    return { ...(await this.waitForTask(taskId)), taskId };
  }

  async reportProgress(extra: Omit<Parameters<Activities['recordCaseProgress']>[0], 'caseId' | 'activeSteps' | 'status'> = {}): Promise<void> {
    await acts.recordCaseProgress({ caseId: this.caseId, status: this.status, activeSteps: this.activeStepsFn(), ...extra });
  }

  /** The task and deadline counters, carried over continue-as-new so the next run never reuses an id of this one. */
  sequences(): CaseSequences {
    return { tasks: Object.fromEntries(this.taskSeq), deadlines: Object.fromEntries(this.deadlineSeq) };
  }

  restoreSequences(s: CaseSequences): void {
    for (const [k, n] of Object.entries(s.tasks)) this.taskSeq.set(k, n);
    for (const [k, n] of Object.entries(s.deadlines)) this.deadlineSeq.set(k, n);
  }

  nextDeadlineId(kind: DeadlineKind): string {
    const n = (this.deadlineSeq.get(kind) ?? 0) + 1;
    this.deadlineSeq.set(kind, n);
    return `${this.caseId}:${kind}:${n}`;
  }

  logInfo(message: string, attrs: Record<string, unknown> = {}): void {
    // Case ids and step names only: never names or ID numbers.
    log.info(message, { caseId: this.caseId, ...attrs });
  }
}
