// Dynamic monitoring (低收入人口动态监测, docs/policy.md §7.2, §7.3; plan 二(三), 二(四)): the datasets the six
// departments send for the comparison, the shape of one row of each, the four warning classes and how each may be
// handled. Pure: the import, the API, the comparison and the warning workflow share it.
import { z } from 'zod';
import { isIsoDate } from './calendar';
import type { Department } from './glossary';
import { parseIdNumber } from './idNumber';
import { RETURN_RISK_TYPES } from './glossary';

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

const yuan = () => z.number().finite().nonnegative().max(100_000_000).multipleOf(0.01);

/** The facts of one row, by dataset: what the rules read (amounts in yuan). */
export const DATASET_FACTS = {
  HARDSHIP_STUDENT: z.object({ schoolStage: z.enum(['PRESCHOOL', 'PRIMARY', 'JUNIOR', 'SENIOR', 'HIGHER']) }).strict(),
  REGISTERED_UNEMPLOYED: z.object({ registeredOn: z.string().refine(isIsoDate, 'YYYY-MM-DD') }).strict(),
  EMPLOYMENT_WAGE: z.object({ monthlyWage: yuan() }).strict(),
  SERIOUS_ILLNESS: z.object({ illness: z.string().trim().min(1).max(100) }).strict(),
  MEDICAL_EXPENSES: z
    .object({
      selfPaid12m: yuan().describe('out-of-pocket medical expenses of the last 12 months'),
      householdIncome12m: yuan().describe("the household's income of the last 12 months as the insurance knows it"),
    })
    .strict(),
  SEVERE_DISABILITY: z.object({ disabilityGrade: z.union([z.literal(1), z.literal(2)]) }).strict(),
  RETURN_MONITORING: z.object({ riskType: z.enum(RETURN_RISK_TYPES), perCapitaMonthlyIncome: yuan() }).strict(),
} satisfies Record<Dataset, z.ZodType>;
export type DatasetFacts = { [D in Dataset]: z.infer<(typeof DATASET_FACTS)[D]> };

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

export const MonitoringRowSchema = z
  .object({
    idNumber: z.string().trim().min(1).max(20),
    name: z.string().trim().min(1).max(50).optional().describe('needed when the person is not yet in the database'),
    regionCode: z
      .string()
      .regex(/^\d{9}$/, 'a 9-digit township code')
      .optional()
      .describe("the person's township as the department knows it (used when the database knows no household)"),
    facts: z.record(z.string(), z.unknown()),
  })
  .strict();

export interface ValidMonitoringRow {
  idNumber: string;
  name?: string;
  birthDate: string;
  sex: 'M' | 'F';
  regionCode?: string;
  facts: StoredFacts;
}

/** A row checked against its dataset's shape and the ID number; reasons never repeat the number. */
export function validateMonitoringRow(
  raw: unknown,
  dataset: Dataset,
  today: string,
): { ok: true; row: ValidMonitoringRow } | { ok: false; reasons: string[] } {
  const issues = (e: z.ZodError, prefix = '') =>
    e.issues.map((i) => `${prefix}${i.path.join('.') || 'row'}: ${i.message}`);
  const r = MonitoringRowSchema.safeParse(raw);
  if (!r.success) return { ok: false, reasons: issues(r.error) };
  const reasons: string[] = [];
  const id = parseIdNumber(r.data.idNumber, { today });
  if (!id.valid) reasons.push(`idNumber: ${id.message}`);
  const f = DATASET_FACTS[dataset].safeParse(r.data.facts);
  if (!f.success) reasons.push(...issues(f.error, 'facts.'));
  if (reasons.length || !id.valid || !f.success) return { ok: false, reasons };
  return {
    ok: true,
    row: {
      idNumber: id.normalized,
      ...(r.data.name ? { name: r.data.name } : {}),
      birthDate: id.birthDate,
      sex: id.sex,
      ...(r.data.regionCode ? { regionCode: r.data.regionCode } : {}),
      facts: storedFacts(dataset, f.data as Record<string, unknown>),
    },
  };
}

/** File headers (API names or the usual Chinese ones) of the identity columns; every other column is a fact. */
const IDENTITY_COLUMNS: Record<string, 'idNumber' | 'name' | 'regionCode'> = {
  idnumber: 'idNumber',
  身份证号: 'idNumber',
  身份证号码: 'idNumber',
  name: 'name',
  姓名: 'name',
  regioncode: 'regionCode',
  乡镇代码: 'regionCode',
};

const FACT_COLUMNS: Record<string, string> = {
  schoolstage: 'schoolStage',
  学段: 'schoolStage',
  registeredon: 'registeredOn',
  登记日期: 'registeredOn',
  monthlywage: 'monthlyWage',
  月工资: 'monthlyWage',
  illness: 'illness',
  病种: 'illness',
  selfpaid12m: 'selfPaid12m',
  自付医疗费用: 'selfPaid12m',
  householdincome12m: 'householdIncome12m',
  家庭年收入: 'householdIncome12m',
  disabilitygrade: 'disabilityGrade',
  残疾等级: 'disabilityGrade',
  risktype: 'riskType',
  监测类型: 'riskType',
  percapitamonthlyincome: 'perCapitaMonthlyIncome',
  人均月收入: 'perCapitaMonthlyIncome',
};

/** A file row (header → text) as the row the schema checks: numbers where a number is written. */
export function monitoringRowFromCells(cells: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const facts: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(cells)) {
    const v = value.trim();
    if (v === '') continue;
    const h = header.trim();
    const id = IDENTITY_COLUMNS[h.toLowerCase()] ?? IDENTITY_COLUMNS[h];
    if (id) {
      out[id] = v;
      continue;
    }
    const fact = FACT_COLUMNS[h.toLowerCase()] ?? FACT_COLUMNS[h] ?? h;
    facts[fact] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  out.facts = facts;
  return out;
}
