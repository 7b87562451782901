// The API's side of Temporal: open a case (start its workflow and wait for its first tasks in one round trip), send
// Updates and Signals, ask queries, run a job. Routes reach Temporal only through this class.
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
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

  async healthy(): Promise<boolean> {
    try {
      await this.client.workflowService.getSystemInfo({});
      return true;
    } catch {
      return false;
    }
  }
}
