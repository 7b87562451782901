// The contract of the one-case-one-discussion (一事一议) conference, shared by the workflows that start it
// (emergency justification, a county officer's or an integrator's conference request through the API) and the
// conference itself. The signal name is Temporal-visible: never renamed.
import { defineSignal } from '@temporalio/workflow';
import type { IsoDate } from '../../domain/calendar';
import { type Department } from '../../domain/glossary';

export interface CaseConferenceInput {
  conferenceId: string; // uuid; workflow id `caseConference-<conferenceId>`
  caseId: string; // the case that triggered it
  regionCode: string;
  reason: string;
  proposal?: string;
  departments: Department[];
  requestedBy: { sub: string; role: string };
  /** Working days each department has for its opinion (default 5). */
  opinionWorkingDays?: number;
  /** Set when started outside a parent workflow (API): the decision is signalled back to this workflow. */
  origin?: { workflowId: string };
}

export interface ConferenceDecision {
  conferenceId: string;
  outcome: 'RAISE_AMOUNT' | 'DEPARTMENT_TAKES_OVER' | 'NO_CHANGE';
  raisedAmount?: number; // yuan, with RAISE_AMOUNT
  department?: Department; // with DEPARTMENT_TAKES_OVER
  notes?: string;
  missingOpinions: Department[];
  decidedOn: IsoDate;
}

/** Sent to `origin.workflowId` when the conference was not started as a child workflow. */
export const conferenceDecidedSignal = defineSignal<[ConferenceDecision]>('conferenceDecided');
