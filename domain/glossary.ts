// The names of GLOSSARY.md as TypeScript values: one concept, one name, in every layer.

export const ASSISTANCE_CATEGORIES = ['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'RIGID_EXPENDITURE', 'OTHER_HARDSHIP'] as const;
export type AssistanceCategory = (typeof ASSISTANCE_CATEGORIES)[number];

export const RETURN_RISK_TYPES = ['UNSTABLE_OUT_OF_POVERTY', 'EDGE_AT_RISK', 'SUDDEN_SEVERE_HARDSHIP'] as const;
export type ReturnRiskType = (typeof RETURN_RISK_TYPES)[number];

export const ROLES = ['caseworker', 'village_assistant', 'reviewer', 'county_officer', 'supervisor', 'department', 'integrator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const DEPARTMENTS = [
  'EDUCATION', 'HUMAN_RESOURCES', 'HOUSING', 'AGRICULTURE', 'HEALTH', 'EMERGENCY', 'MEDICAL_INSURANCE',
  'DISABLED_FEDERATION', 'CIVIL_AFFAIRS', 'COURT', 'TRADE_UNION', 'FINANCE',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Process step ids: BPMN element ids, task types and workflow-reported active steps all use these. */
export const STEP_IDS = [
  'submit', 'accept', 'homeVisit', 'economicCheck', 'assess', 'firstReview', 'publicity', 'confirm', 'refusalNotice', 'enrol',
  'annualRecheck', 'periodicCheck', 'changeReport', 'terminate', 'emergencyAdvance', 'justification',
  'stagedAssistance', 'caseConference', 'departmentPush', 'warning',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** Human steps of the application (认定) process and the outcomes each allows. */
export const APPLICATION_TASK_OUTCOMES = {
  accept: ['ACCEPTED', 'RETURNED'],
  homeVisit: ['DONE'],
  economicCheck: ['DONE'],
  firstReview: ['RECOMMEND_APPROVAL', 'RECOMMEND_REFUSAL'],
  confirm: ['APPROVED', 'REFUSED'],
  refusalNotice: ['ISSUED'],
} as const;
export type ApplicationTaskType = keyof typeof APPLICATION_TASK_OUTCOMES;
export type TaskType = ApplicationTaskType;

/** Which role may work on a task of each type (the candidate role). */
export const TASK_CANDIDATE_ROLE: Record<TaskType, Role> = {
  accept: 'caseworker',
  homeVisit: 'caseworker',
  economicCheck: 'caseworker',
  firstReview: 'reviewer',
  confirm: 'county_officer',
  refusalNotice: 'caseworker',
};

export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Policy time limits (RULES.md §2, §5). */
export const DEADLINE_KINDS = ['firstReviewOpinion', 'confirmation', 'wholeCase', 'refusalNotice', 'publicityEnd'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_STATUSES = ['pending', 'met', 'overdue', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const CASE_STATUSES = ['SUBMITTED', 'RETURNED', 'IN_REVIEW', 'IN_PUBLICITY', 'AWAITING_DECISION', 'APPROVED', 'REFUSED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const APPLICATION_SOURCES = ['SELF_DECLARED', 'VISIT', 'DATA_MATCH'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];

export const COUNTY_REGION = '410721';
