// How a JSON Schema node becomes a form field: the one decision SchemaForm.tsx renders, kept pure so a unit test can
// walk every task type's schemas (GET /task-types) and prove each node has a field (test/unit/task-forms.test.ts).
import { LABOR_CAPACITY_ZH, STUDENT_LEVEL_ZH, VALUE_ZH } from '../../../domain/glossary-zh';
import type { JsonSchema } from '../api/types';

export type FieldKind = 'object' | 'objectList' | 'tags' | 'multiSelect' | 'select' | 'boolean' | 'number' | 'integer' | 'date' | 'text' | 'longText' | 'unsupported';

/** Drops `null` from a nullable union, so `X | null` renders as X. */
export function unwrap(s: JsonSchema | undefined): JsonSchema {
  if (!s) return {};
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const real = alts.filter((a) => a.type !== 'null');
    if (real.length === 1) return { ...unwrap(real[0]), title: s.title ?? real[0].title };
  }
  return s;
}

/** The choices of an enum or of a union of constants, if the schema is one. */
export function choices(s: JsonSchema): unknown[] | undefined {
  if (s.enum) return s.enum;
  const alts = s.anyOf ?? s.oneOf;
  if (alts && alts.length && alts.every((a) => a.const !== undefined)) return alts.map((a) => a.const);
  return undefined;
}

const FIELD_ENUM_ZH: Record<string, Record<string, string>> = { laborCapacity: LABOR_CAPACITY_ZH, studentLevel: STUDENT_LEVEL_ZH };
/** An enum value in Chinese; the field decides where one code means two things (NONE). */
export const valueLabel = (field: string, v: unknown) => FIELD_ENUM_ZH[field]?.[String(v)] ?? VALUE_ZH[String(v)] ?? String(v);

const LONG_TEXT = new Set(['findings', 'opinion', 'facts', 'reason', 'notes', 'note', 'description', 'proposal', 'deviationReason', 'feedback']);
const isDate = (s: JsonSchema, field: string) => s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || /On$|Date$/.test(field);

export function fieldKind(schema: JsonSchema, field: string): FieldKind {
  const s = unwrap(schema);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || s.properties) return 'object';
  if (type === 'array') {
    const item = unwrap(s.items);
    if (item.type === 'object' || item.properties) return 'objectList';
    if (choices(item)) return 'multiSelect';
    return item.type === 'string' || item.type === undefined ? 'tags' : 'unsupported';
  }
  if (choices(s)) return 'select';
  if (type === 'boolean') return 'boolean';
  if (type === 'number') return 'number';
  if (type === 'integer') return 'integer';
  if (type === 'string') {
    if (isDate(s, field)) return 'date';
    return LONG_TEXT.has(field) || (s.maxLength ?? 0) > 200 ? 'longText' : 'text';
  }
  return 'unsupported';
}
