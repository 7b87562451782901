// Dynamic monitoring (低收入人口动态监测, docs/policy.md §7.2, §7.3; plan 二(三), 二(四)): the datasets the six
// departments send for the comparison, the shape of one row of each, the four warning classes and how each may be
// handled (a row's own shape and checks: ./monitoring-rows.ts). Pure: the import, the API, the comparison and the
// warning workflow share it.
import type { Department } from './glossary';

/** The datasets of docs/policy.md §7.2, each sent by one department. */
export const DATASETS = [
  'HARDSHIP_STUDENT',
  'REGISTERED_UNEMPLOYED',
  'EMPLOYMENT_WAGE',
  'SERIOUS_ILLNESS',
  'MEDICAL_EXPENSES',
  'SEVERE_DISABILITY',
  'RETURN_MONITORING',
] as const;
export type Dataset = (typeof DATASETS)[number];

export const DATASET_DEPARTMENT: Record<Dataset, Department> = {
  HARDSHIP_STUDENT: 'EDUCATION',
  REGISTERED_UNEMPLOYED: 'HUMAN_RESOURCES',
  EMPLOYMENT_WAGE: 'HUMAN_RESOURCES',
  SERIOUS_ILLNESS: 'HEALTH',
  MEDICAL_EXPENSES: 'MEDICAL_INSURANCE',
  SEVERE_DISABILITY: 'DISABLED_FEDERATION',
  RETURN_MONITORING: 'AGRICULTURE',
};

export const DATASET_LABELS: Record<Dataset, string> = {
  HARDSHIP_STUDENT: '家庭经济困难学生',
  REGISTERED_UNEMPLOYED: '登记失业人员',
  EMPLOYMENT_WAGE: '就业登记及工资',
  SERIOUS_ILLNESS: '重病患者',
  MEDICAL_EXPENSES: '城乡居民医疗费用',
  SEVERE_DISABILITY: '重度残疾人',
  RETURN_MONITORING: '防止返贫监测对象',
};

/** The datasets that each show a hardship (the complex-case rule counts them); a wage is no hardship. */
export const HARDSHIP_DATASETS: readonly Dataset[] = DATASETS.filter((d) => d !== 'EMPLOYMENT_WAGE');

export const WARNING_CLASSES = [
  'POLICY_NOT_IMPLEMENTED',
  'POSSIBLY_ELIGIBLE',
  'COMPLEX',
  'POSSIBLY_INELIGIBLE',
] as const;
export type WarningClass = (typeof WARNING_CLASSES)[number];

export const WARNING_CLASS_LABELS: Record<WarningClass, string> = {
  POLICY_NOT_IMPLEMENTED: '政策落实不到位',
  POSSIBLY_ELIGIBLE: '可能符合救助条件但未纳入',
  COMPLEX: '困难情形复杂',
  POSSIBLY_INELIGIBLE: '可能不再符合救助条件',
};

/** How a verified warning is handled: the outcomes of the verification task (docs/policy.md §7.3). */
export const HANDLINGS = [
  'FALSE_ALARM',
  'IMPLEMENTED',
  'TRANSFERRED',
  'PUSHED',
  'APPLICATION_STARTED',
  'CASE_CONFERENCE',
  'RECIPIENT_CHECK',
] as const;
export type Handling = (typeof HANDLINGS)[number];

/**
 * The handlings each class allows (plan 二(四)); a false alarm is always possible. **Choice:** a complex case may also
 * be pushed or applied for without a conference, and a possibly-ineligible recipient's check may be pushed to the
 * department that manages the data (plan: 或推送至主管部门核查).
 */
export const HANDLINGS_BY_CLASS: Record<WarningClass, readonly Handling[]> = {
  POLICY_NOT_IMPLEMENTED: ['FALSE_ALARM', 'IMPLEMENTED', 'TRANSFERRED'],
  POSSIBLY_ELIGIBLE: ['FALSE_ALARM', 'PUSHED', 'APPLICATION_STARTED'],
  COMPLEX: ['FALSE_ALARM', 'CASE_CONFERENCE', 'PUSHED', 'APPLICATION_STARTED'],
  POSSIBLY_INELIGIBLE: ['FALSE_ALARM', 'RECIPIENT_CHECK', 'PUSHED'],
};

/** Why a handling does not fit a warning's class (undefined: it fits). */
export function handlingRefusal(warningClass: WarningClass, handling: Handling): string | undefined {
  const allowed = HANDLINGS_BY_CLASS[warningClass];
  return allowed.includes(handling) ? undefined : `a ${warningClass} warning is handled by ${allowed.join(', ')}`;
}

export const WARNING_SOURCES = ['COMPARISON', 'VISIT'] as const;
export type WarningSource = (typeof WARNING_SOURCES)[number];

export const WARNING_STATUSES = ['RAISED', 'HANDLING', 'CLOSED', 'DISMISSED'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/** The columns a row's facts are stored in (monitoring_rows): one numeric pair, a grade, a text. */
export interface StoredFacts {
  amount: number | null;
  income: number | null;
  grade: number | null;
  label: string | null;
}

export function storedFacts(dataset: Dataset, f: Record<string, unknown>): StoredFacts {
  const n = (v: unknown) => (typeof v === 'number' ? v : null);
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (dataset) {
    case 'HARDSHIP_STUDENT':
      return { amount: null, income: null, grade: null, label: s(f.schoolStage) };
    case 'REGISTERED_UNEMPLOYED':
      return { amount: null, income: null, grade: null, label: s(f.registeredOn) };
    case 'EMPLOYMENT_WAGE':
      return { amount: n(f.monthlyWage), income: null, grade: null, label: null };
    case 'SERIOUS_ILLNESS':
      return { amount: null, income: null, grade: null, label: s(f.illness) };
    case 'MEDICAL_EXPENSES':
      return { amount: n(f.selfPaid12m), income: n(f.householdIncome12m), grade: null, label: null };
    case 'SEVERE_DISABILITY':
      return { amount: null, income: null, grade: n(f.disabilityGrade), label: null };
    case 'RETURN_MONITORING':
      return { amount: n(f.perCapitaMonthlyIncome), income: null, grade: null, label: s(f.riskType) };
  }
}
