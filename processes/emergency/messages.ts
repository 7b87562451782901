// The emergency workflow's input and result (it has no messages of its own beyond the shared ones).
import type { IsoDate } from '../../domain/calendar';
import type { Actor } from '../../engine/messages';

export interface EmergencyInput {
  caseId: string;
  /** Township where the emergency happened: it handles the case whatever the person's hukou (docs/policy.md §5). */
  regionCode: string;
  receivedOn: IsoDate;
  /** Approved with the request: the API checked it against the cap in force. */
  advance: { amount: number; cap: number; policyVersionId: string };
  justificationWorkingDays: number;
  requestedBy: Actor;
}

export interface EmergencyResult {
  status: string;
  outcome?: string;
  followUpCaseId?: string;
  conferenceId?: string;
  stagesPaid?: number;
}
