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

/**
 * Human tasks of every process and the outcomes each allows. The data each outcome carries is checked by the schemas in
 * domain/tasks/ (one file per process). Task types are step ids where the glossary has one.
 */
export const APPLICATION_TASK_OUTCOMES = {
  accept: ['ACCEPTED', 'RETURNED'],
  homeVisit: ['DONE'],
  economicCheck: ['DONE'],
  firstReview: ['RECOMMEND_APPROVAL', 'RECOMMEND_REFUSAL'],
  confirm: ['APPROVED', 'REFUSED'],
  refusalNotice: ['ISSUED'],
} as const;
export type ApplicationTaskType = keyof typeof APPLICATION_TASK_OUTCOMES;

/** Checks of a recipient household (RULES.md §4): keep, adjust the amount, change category, or terminate. */
export const CHECK_OUTCOMES = ['KEEP', 'ADJUST', 'CHANGE_CATEGORY', 'TERMINATE'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];
export const RECIPIENT_TASK_OUTCOMES = {
  annualRecheck: CHECK_OUTCOMES,
  periodicCheck: CHECK_OUTCOMES,
  changeReport: CHECK_OUTCOMES,
  terminate: ['ISSUED'], // the written termination notice
} as const;

/** Emergency assistance (RULES.md §5). */
export const EMERGENCY_TASK_OUTCOMES = {
  justification: ['NO_FURTHER_HELP', 'REGULAR_ASSISTANCE', 'STAGED_ASSISTANCE', 'CASE_CONFERENCE'],
  stagedAssistance: ['CONTINUE', 'CHANGE_AMOUNT', 'STOP'], // the review before each stage
} as const;

/** One-case-one-discussion (RULES.md §6): each invited department's opinion, then the chair's decision. */
export const CONFERENCE_TASK_OUTCOMES = {
  conferenceOpinion: ['GIVEN'],
  caseConference: ['RAISE_AMOUNT', 'DEPARTMENT_TAKES_OVER', 'NO_CHANGE'],
} as const;

export const TASK_OUTCOMES = {
  ...APPLICATION_TASK_OUTCOMES, ...RECIPIENT_TASK_OUTCOMES, ...EMERGENCY_TASK_OUTCOMES, ...CONFERENCE_TASK_OUTCOMES,
} as const;
export type TaskType = keyof typeof TASK_OUTCOMES;
export const TASK_TYPES = Object.keys(TASK_OUTCOMES) as TaskType[];

/** Which role may work on a task of each type (the candidate role). */
export const TASK_CANDIDATE_ROLE: Record<TaskType, Role> = {
  accept: 'caseworker',
  homeVisit: 'caseworker',
  economicCheck: 'caseworker',
  firstReview: 'reviewer',
  confirm: 'county_officer',
  refusalNotice: 'caseworker',
  annualRecheck: 'caseworker',
  periodicCheck: 'caseworker',
  changeReport: 'caseworker',
  terminate: 'caseworker',
  justification: 'caseworker',
  stagedAssistance: 'reviewer',
  conferenceOpinion: 'department',
  caseConference: 'county_officer',
};

export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Policy time limits (RULES.md §2, §5). */
export const DEADLINE_KINDS = [
  'firstReviewOpinion', 'confirmation', 'wholeCase', 'refusalNotice', // application
  'annualRecheck', 'periodicCheck', 'changeCheck', 'terminationNotice', // recipient
  'emergencyHandling', 'justification', 'stageReview', // emergency
  'conferenceOpinion', 'conferenceDecision', // one-case-one-discussion
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_STATUSES = ['pending', 'met', 'overdue', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const CASE_STATUSES = [
  'SUBMITTED', 'RETURNED', 'IN_REVIEW', 'IN_PUBLICITY', 'AWAITING_DECISION', 'APPROVED', 'REFUSED', 'CLOSED', // application
  'ACTIVE', 'IN_CHECK', 'TERMINATED', // recipient
  'ADVANCE_PAID', 'JUSTIFIED', 'IN_STAGES', // emergency
  'CONVENED', 'DECIDED', // one-case-one-discussion
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const APPLICATION_SOURCES = ['SELF_DECLARED', 'VISIT', 'DATA_MATCH'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];

/** Household type for the periodic check frequency (RULES.md §4): STABLE yearly, UNSTABLE (unstable income, members able to work) half-yearly. */
export const HOUSEHOLD_TYPES = ['STABLE', 'UNSTABLE'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

export const COUNTY_REGION = '410721';
