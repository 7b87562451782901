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
  /** 近亲属备案: a close relative of staff; the county does the home visit (docs/policy.md §2.5). No names here. */
  staffRelative?: boolean;
}

/** Staff whose close relatives apply are registered (近亲属备案, docs/policy.md §2.5). */
export const STAFF_ROLES = ['CASEWORKER', 'VILLAGE_CADRE'] as const;

export interface ExtensionRequest {
  reason: string;
  actor: Actor;
}
/** `audited`: as fileObjectionUpdate's (engine/messages.ts). */
export const extendCaseUpdate = defineUpdate<{ dueOn: IsoDate; audited?: true }, [ExtensionRequest]>('extendCase');
