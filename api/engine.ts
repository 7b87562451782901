// The API's side of Temporal: start case workflows, send Updates and Signals, ask queries.
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { application, ApplicationInput, ObjectionRequest, ExtensionRequest } from '../workflows/application';
import { fileObjectionUpdate, extendCaseUpdate } from '../workflows/application';
import { completeTaskUpdate, CompleteTaskRequest, CaseSnapshot, activeStepsQuery, settledUpdate } from '../workflows/lib/case-context';
import { calendarUpdatedSignal } from '../workflows/lib/calendar';

export const applicationWorkflowId = (caseId: string) => `application-${caseId}`;

export class CaseEngine {
  constructor(readonly client: Client, readonly taskQueue: string) {}

  async startApplication(input: ApplicationInput): Promise<void> {
    try {
      await this.client.workflow.start<typeof application>('application', {
        taskQueue: this.taskQueue, workflowId: applicationWorkflowId(input.caseId), args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a retried request: the case already runs
    }
    // A courtesy wait so the answer comes with the first task in place; a case already closed has nothing to wait for.
    await this.settled(applicationWorkflowId(input.caseId)).catch(() => undefined);
  }

  /** Waits until the case's process waits for people again, so its open tasks are in the database. */
  settled(workflowId: string): Promise<CaseSnapshot> {
    return this.client.workflow.getHandle(workflowId).executeUpdate(settledUpdate);
  }

  completeTask(workflowId: string, req: CompleteTaskRequest): Promise<CaseSnapshot> {
    return this.client.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, { args: [req] });
  }

  fileObjection(workflowId: string, req: ObjectionRequest) {
    return this.client.workflow.getHandle(workflowId).executeUpdate(fileObjectionUpdate, { args: [req] });
  }

  extendCase(workflowId: string, req: ExtensionRequest) {
    return this.client.workflow.getHandle(workflowId).executeUpdate(extendCaseUpdate, { args: [req] });
  }

  /** Active steps from the workflow itself; undefined when it cannot answer (closed and archived, server down). */
  async activeSteps(workflowId: string): Promise<string[] | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(activeStepsQuery);
    } catch {
      return undefined;
    }
  }

  async calendarUpdated(workflowIds: string[]): Promise<number> {
    let signalled = 0;
    for (const id of workflowIds) {
      try {
        await this.client.workflow.getHandle(id).signal(calendarUpdatedSignal);
        signalled++;
      } catch {
        // closed since: nothing to recompute
      }
    }
    return signalled;
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
