// The recipient workflow's input and messages; names given to define*() are Temporal-visible: never renamed.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '../../domain/calendar';
import type { AssistanceCategory, HouseholdType } from '../../domain/glossary';
import type { CheckType } from '../../domain/recipient';
import type { Actor } from '../../engine/messages';
import type { CaseSequences } from '../../engine/workflow/case-context';
import type { ChangeReport } from './schemas';

/** What the recipient workflow starts with: no names, no ID numbers. */
export interface RecipientStart {
  recipientId: string;
  /** The recipient's own case (process 'recipient'): its id is the recipient id. */
  caseId: string;
  regionCode: string;
  category: AssistanceCategory;
  monthlyAmount: number;
  determinedOn: IsoDate;
  householdType: HouseholdType;
  /** 18th birthdays of the household's minors still ahead (TEKUN minors: a check on each). */
  minorsTurning18: IsoDate[];
}

export interface RecipientInput extends RecipientStart {
  /** State carried over continue-as-new; absent on the first run. */
  carried?: RecipientCarry;
}

export interface RecipientCarry {
  /** 1 = the first year after the determination. */
  cycle: number;
  sequences: CaseSequences;
  lastActOn: IsoDate;
  checkSeq: number;
}

export interface ChangeReportRequest {
  report: ChangeReport;
  actor: Actor;
}
export interface OpenedCheck {
  checkId: string;
  taskId: string;
}
export interface RecipientView {
  cycle: number;
  status: string;
  category: AssistanceCategory;
  monthlyAmount: number;
  householdType: HouseholdType;
  nextCheck: { type: CheckType; on: IsoDate } | null;
}

export const reportChangeUpdate = defineUpdate<OpenedCheck, [ChangeReportRequest]>('reportChange');
export const recipientQuery = defineQuery<RecipientView>('recipient');
