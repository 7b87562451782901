// One assistance a department reports, by API or file (docs/policy.md §7.4, §7.5): its shape, its checks and a file
// row's columns. A module of its own so that the warning workflow, which imports domain/assistance.ts, does not build
// these zod schemas each time a workflow loads.
import { z } from 'zod';
import type { Department } from './glossary';
import { ASSISTANCE_KINDS, KINDS_BY_DEPARTMENT } from './assistance';
import { parseIdNumber } from './idNumber';
import { inDateRange, isoDate, text } from './schemas';

export const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

export const AssistanceRecordSchema = z
  .object({
    reference: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^:\s]+$/, 'no spaces or colons')
      .describe("the department's own record id: sending it again changes nothing"),
    idNumber: text(20),
    name: text(50).optional().describe('needed when the person is not yet in the database'),
    kind: z.enum(ASSISTANCE_KINDS),
    period: z.string().regex(PERIOD, 'YYYY or YYYY-MM').refine(inDateRange, 'must lie between 1900 and 2100'),
    grantedOn: isoDate(),
    amount: z.number().finite().nonnegative().max(10_000_000).multipleOf(0.01).optional(),
    details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type AssistanceRecordInput = z.infer<typeof AssistanceRecordSchema>;

export interface ValidRecord extends AssistanceRecordInput {
  idNumber: string; // normalised
  birthDate: string;
  sex: 'M' | 'F';
}

/** A row checked against the schema, the ID number and the reporting department; reasons never repeat the number. */
export function validateRecord(
  raw: unknown,
  department: Department,
  today: string,
): { ok: true; record: ValidRecord } | { ok: false; reasons: string[] } {
  const r = AssistanceRecordSchema.safeParse(raw);
  if (!r.success)
    return { ok: false, reasons: r.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`) };
  const reasons: string[] = [];
  const id = parseIdNumber(r.data.idNumber, { today });
  if (!id.valid) reasons.push(`idNumber: ${id.message}`);
  if (!(KINDS_BY_DEPARTMENT[department] ?? []).includes(r.data.kind))
    reasons.push(`kind: ${department} does not report ${r.data.kind}`);
  if (r.data.grantedOn > today) reasons.push('grantedOn: in the future');
  if (reasons.length || !id.valid) return { ok: false, reasons };
  return { ok: true, record: { ...r.data, idNumber: id.normalized, birthDate: id.birthDate, sex: id.sex } };
}

/** Column names accepted in department files: the API field names, or the usual Chinese headers. */
export const FILE_COLUMNS: Record<string, keyof AssistanceRecordInput> = {
  reference: 'reference',
  编号: 'reference',
  业务编号: 'reference',
  idnumber: 'idNumber',
  身份证号: 'idNumber',
  身份证号码: 'idNumber',
  name: 'name',
  姓名: 'name',
  kind: 'kind',
  救助类别: 'kind',
  period: 'period',
  所属期间: 'period',
  期间: 'period',
  grantedon: 'grantedOn',
  发放日期: 'grantedOn',
  救助日期: 'grantedOn',
  amount: 'amount',
  金额: 'amount',
};

/** A file row (header → text) as the record the schema checks: amounts to numbers, other columns to details. */
export function recordFromFileRow(cells: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const details: Record<string, string> = {};
  for (const [header, value] of Object.entries(cells)) {
    const v = value.trim();
    if (v === '') continue;
    const field = FILE_COLUMNS[header.trim().toLowerCase()] ?? FILE_COLUMNS[header.trim()];
    if (!field) details[header.trim()] = v;
    else if (field === 'amount') out.amount = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    else out[field] = v;
  }
  if (Object.keys(details).length) out.details = details;
  return out;
}
