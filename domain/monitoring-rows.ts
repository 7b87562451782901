// One department row of a monitoring dataset (docs/policy.md §7.2): the shape of its facts by dataset, the checks at
// import, and a file row's columns. A module of its own so that the warning workflow, which imports
// domain/monitoring.ts, does not build these zod schemas each time a workflow loads.
import { z } from 'zod';
import { isIsoDate } from './calendar';
import { RETURN_RISK_TYPES } from './glossary';
import { parseIdNumber } from './idNumber';
import { storedFacts, type Dataset, type StoredFacts } from './monitoring';

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
