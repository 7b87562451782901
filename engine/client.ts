// The API's side of Temporal: open a case (start its workflow and wait for its first tasks in one round trip), send
// Updates and Signals, ask queries, run a job. Routes reach Temporal only through this class.
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { AnyProcess } from './definition';
import {
  activeStepsQuery,
  completeTaskUpdate,
  settledUpdate,
  type CaseSnapshot,
  type CompleteTaskRequest,
} from './messages';

export class CaseEngine {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /**
   * Starts the case's workflow and answers once its first tasks exist: update-with-start of the `settled` Update, so
   * the start and the answer are one round trip (Temporal's early-return pattern). A retried call finds the running
   * workflow (USE_EXISTING) and waits for it likewise; a case whose workflow already closed is never started again
   * (REJECT_DUPLICATE): undefined, and the caller answers from its rows.
   */
  async start<I>(definition: AnyProcess, caseId: string, input: I): Promise<CaseSnapshot | undefined> {
    const startWorkflowOperation = new WithStartWorkflowOperation(definition.name, {
      workflowId: definition.workflowId(caseId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(settledUpdate, { startWorkflowOperation });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw err;
    }
  }

  /**
   * Starts the case's workflow unless it exists (running or closed), without waiting for it: the reconciliation job's
   * repair of a case row whose workflow never started. Same id and policies as start(), so a race with a retried
   * request starts one workflow.
   */
  async ensureStarted<I>(definition: AnyProcess, caseId: string, input: I): Promise<'STARTED' | 'EXISTS'> {
    const workflowId = definition.workflowId(caseId);
    try {
      await this.client.workflow.getHandle(workflowId).describe();
      return 'EXISTS';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    try {
      await this.client.workflow.start(definition.name, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return 'STARTED';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'EXISTS';
      throw err;
    }
  }

  /** Waits until the case's process waits for people again, so its open tasks are in the database. */
  settled(workflowId: string): Promise<CaseSnapshot> {
    return this.client.workflow.getHandle(workflowId).executeUpdate(settledUpdate);
  }

  completeTask(workflowId: string, req: CompleteTaskRequest): Promise<CaseSnapshot> {
    return this.update(workflowId, completeTaskUpdate, req);
  }

  /** Sends an Update and waits for its answer; a validator's refusal becomes the API's 4xx (api/http/errors.ts). */
  update<Ret, Arg>(workflowId: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    return this.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg] });
  }

  /** Active steps from the workflow itself; undefined when it cannot answer (closed and archived, server down). */
  async activeSteps(workflowId: string): Promise<string[] | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(activeStepsQuery);
    } catch {
      return undefined;
    }
  }

  /** Signals each workflow; returns how many were still running to receive it. */
  async signalEach(workflowIds: string[], signal: SignalDefinition<[]>): Promise<number> {
    let signalled = 0;
    for (const id of workflowIds) {
      try {
        await this.client.workflow.getHandle(id).signal(signal);
        signalled++;
      } catch {
        // closed since: nothing to tell it
      }
    }
    return signalled;
  }

  /** Runs a job workflow (e.g. the monthly roster) to its end and returns its result. */
  runJob<R>(workflowType: string, workflowId: string, args: unknown[]): Promise<R> {
    return this.client.workflow.execute(workflowType, { taskQueue: this.taskQueue, workflowId, args }) as Promise<R>;
  }

  /**
   * For /readyz: whether the Temporal server answers, and how many workers poll the task queue for workflow tasks
   * (the server's DescribeTaskQueue pollers seen in the last 90 s). Bounded by `timeoutMs` per question,
   * so a dead server makes the probe slow by that much, not by the SDK's retries.
   */
  async health(timeoutMs = 1_500): Promise<{ temporal: boolean; workerPollers?: number }> {
    const ask = <T>(fn: () => Promise<T>) =>
      withTimeout(this.client.connection.withDeadline(Date.now() + timeoutMs, fn), timeoutMs + 100);
    try {
      await ask(() => this.client.workflowService.getSystemInfo({}));
    } catch {
      return { temporal: false };
    }
    try {
      const r = await ask(() =>
        this.client.workflowService.describeTaskQueue({
          namespace: this.client.options.namespace,
          taskQueue: { name: this.taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      // The server lists a poller for minutes after its worker died; a live one polls again at least every ~70 s.
      const since = Date.now() - 90_000;
      const live = (r.pollers ?? []).filter((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1_000 >= since);
      return { temporal: true, workerPollers: live.length };
    } catch {
      return { temporal: true };
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
