// The application workflow's input and its own Update; the shared ones (completeTask, settled, fileObjection) are in
// engine/messages.ts. Names given to define*() are Temporal-visible: never renamed.
import { defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '../../domain/calendar';
import type { Actor } from '../../engine/messages';

export interface ApplicationInput {
  caseId: string;
  regionCode: string; // township
  receivedOn: IsoDate;
  /** False when every member is a minor: minors are not publicised (docs/policy.md §2). */
  publicise: boolean;
}

export interface ExtensionRequest {
  reason: string;
  actor: Actor;
}
export const extendCaseUpdate = defineUpdate<{ dueOn: IsoDate }, [ExtensionRequest]>('extendCase');
