// Assistance kinds of the assistance chain (docs/glossary.md "Assistance kinds"; docs/policy.md §7.4, §7.5) and the
// departments that grant each (the shape of one assistance a department reports: ./assistance-records.ts). Pure: the
// import, the API, the reports and the warning workflow share it.
import type { Department } from './glossary';

export const ASSISTANCE_KINDS = [
  'MEDICAL_SUBSIDY',
  'MEDICAL_ASSISTANCE',
  'EDUCATION_AID',
  'RENT_REDUCTION',
  'HOUSE_RENOVATION',
  'EMPLOYMENT_SUPPORT',
  'DISASTER_RELIEF',
  'CHARITY',
] as const;
export type AssistanceKind = (typeof ASSISTANCE_KINDS)[number];

/**
 * Which department reports which kind (plan 三(二), 三(六); docs/policy.md §7.5). **Choice** (docs/policy.md §7.4):
 * a department reports only the kinds it is responsible for, so a chain entry always names its competent source.
 */
export const KINDS_BY_DEPARTMENT: Partial<Record<Department, readonly AssistanceKind[]>> = {
  MEDICAL_INSURANCE: ['MEDICAL_SUBSIDY', 'MEDICAL_ASSISTANCE'],
  HEALTH: ['MEDICAL_ASSISTANCE'],
  EDUCATION: ['EDUCATION_AID'],
  HOUSING: ['RENT_REDUCTION', 'HOUSE_RENOVATION'],
  HUMAN_RESOURCES: ['EMPLOYMENT_SUPPORT'],
  EMERGENCY: ['DISASTER_RELIEF'],
  CIVIL_AFFAIRS: ['CHARITY', 'MEDICAL_ASSISTANCE'],
  TRADE_UNION: ['CHARITY'],
  DISABLED_FEDERATION: ['CHARITY'],
};

/** A year (an annual entitlement such as the insurance subsidy or a school year's aid) or a month. */
