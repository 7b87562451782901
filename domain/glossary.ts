// The names of docs/glossary.md as TypeScript values: one concept, one name, in every layer. The names that belong
// to one process (its task types, deadline kinds, statuses, steps) are in its definition,
// processes/<name>/definition.ts;
// processes/index.ts lists them all.

export const ASSISTANCE_CATEGORIES = ['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'RIGID_EXPENDITURE', 'OTHER_HARDSHIP'] as const;
export type AssistanceCategory = (typeof ASSISTANCE_CATEGORIES)[number];

export const RETURN_RISK_TYPES = ['UNSTABLE_OUT_OF_POVERTY', 'EDGE_AT_RISK', 'SUDDEN_SEVERE_HARDSHIP'] as const;
export type ReturnRiskType = (typeof RETURN_RISK_TYPES)[number];

export const ROLES = [
  'caseworker',
  'village_assistant',
  'reviewer',
  'county_officer',
  'supervisor',
  'department',
  'integrator',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const DEPARTMENTS = [
  'EDUCATION',
  'HUMAN_RESOURCES',
  'HOUSING',
  'AGRICULTURE',
  'HEALTH',
  'EMERGENCY',
  'MEDICAL_INSURANCE',
  'DISABLED_FEDERATION',
  'CIVIL_AFFAIRS',
  'COURT',
  'TRADE_UNION',
  'FINANCE',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const APPLICATION_SOURCES = ['SELF_DECLARED', 'VISIT', 'DATA_MATCH'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];

/**
 * Household type for the periodic check frequency (docs/policy.md §4): STABLE yearly, UNSTABLE (unstable income,
 * members able
 * to work) half-yearly.
 */
export const HOUSEHOLD_TYPES = ['STABLE', 'UNSTABLE'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

export const COUNTY_REGION = '410721';
