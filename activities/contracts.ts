// The inputs and outputs of activities, shared by workflows (as types only) and the activity implementations.
import type { CalendarYear, IsoDate } from '../domain/calendar';
import type { DeadlineKind, DeadlineStatus, Role, TaskType, CaseStatus, AssistanceCategory, Department } from '../domain/glossary';

/** `department`: set for a `department` user (JWT claim), so a department completes only its own opinion tasks. */
export interface Actor { sub: string; role: Role; region: string; department?: Department }

export interface OpenTaskInput {
  taskId: string; caseId: string; type: TaskType; regionCode: string; candidateRole: Role; createdAt: string; dueAt?: string;
  department?: Department; // the one department that may work on it (conference opinions)
}
export interface CloseTaskInput {
  taskId: string; status: 'COMPLETED' | 'CANCELLED'; outcome?: string; data?: Record<string, unknown>; comment?: string;
  actor?: Actor; closedAt: string;
}
export interface CaseProgressInput {
  caseId: string; status?: CaseStatus; activeSteps: string[]; acceptedOn?: IsoDate; decidedOn?: IsoDate;
  returnedMissing?: string[];
}
export interface DeadlineInput {
  deadlineId: string; caseId: string; kind: DeadlineKind; regionCode: string; taskId?: string; startedOn: IsoDate;
  workingDays: number; calendarDays?: number; extensionDays?: number; extensionReason?: string; dueOn: IsoDate; dueAt: string; provisional: boolean;
}
export interface SettleDeadlineInput { deadlineId: string; status: Exclude<DeadlineStatus, 'pending'>; at: string; metOn?: IsoDate }
export interface OverdueInput { deadlineId: string; caseId: string; kind: DeadlineKind; regionCode: string; dueOn: IsoDate; taskId?: string }
/** The ladder's configuration, answered by markDeadlineOverdue so the workflow times the next step. */
export interface OverdueAnswer { countyAfterWorkingDays: number }
export interface EscalateDeadlineInput extends OverdueInput { level: number }

export interface AssessmentSummary {
  category: AssistanceCategory | null; coverage: string; monthlyAmount: number; policyVersionId: string | null;
}
export interface DecisionInput {
  decisionId: string; caseId: string; outcome: 'APPROVED' | 'REFUSED'; category?: AssistanceCategory; monthlyAmount?: number;
  reasons?: string[]; decidedOn: IsoDate; actor: Actor; deviationReason?: string;
}
export interface RefusalNoticeDraftInput { noticeId: string; caseId: string; decisionId: string }
export interface IssueNoticeInput { noticeId: string; actor: Actor; issuedOn: IsoDate }
export interface EnrolInput { caseId: string; decisionId: string }

export type { CalendarYear };
