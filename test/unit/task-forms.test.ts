// Every task type's completion form can be generated: each outcome's data schema (api/task-forms.ts, from the zod
// schemas the workflow validates with) is walked node by node, and every node has a field kind the console renders
// (web/src/forms/fieldKind.ts), a Chinese label and Chinese enum values.
import { taskForms, completionComponents } from '../../api/task-forms';
import { fieldKind, unwrap, choices, valueLabel } from '../../web/src/forms/fieldKind';
import type { JsonSchema } from '../../web/src/api/types';
import { TASKS, TASK_TYPES } from '../../processes';
import { FIELD_ZH } from '../../domain/glossary-zh';

function walk(schema: JsonSchema, at: string, out: { path: string; field: string; node: JsonSchema }[]): void {
  const s = unwrap(schema);
  for (const [field, child] of Object.entries(s.properties ?? {})) {
    out.push({ path: `${at}.${field}`, field, node: child });
    const c = unwrap(child);
    if (c.properties) walk(c, `${at}.${field}`, out);
    const item = unwrap(c.items);
    if (item.properties) walk(item, `${at}.${field}[]`, out);
  }
}

describe('task forms', () => {
  const forms = taskForms();

  it('cover every task type and outcome of every process, with Chinese names', () => {
    expect(forms.map((f) => f.type).sort()).toEqual([...TASK_TYPES].sort());
    for (const f of forms) {
      expect(f.outcomes.map((o) => o.outcome)).toEqual(Object.keys(TASKS[f.type].outcomes));
      expect(f.label).toMatch(/[\u4e00-\u9fff]/);
      for (const o of f.outcomes) expect(o.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('give every field of every outcome a kind the console renders, a Chinese title and Chinese choices', () => {
    const problems: string[] = [];
    for (const f of forms) {
      for (const o of f.outcomes) {
        expect(o.schema).toMatchObject({ type: 'object', additionalProperties: false });
        const fields: { path: string; field: string; node: JsonSchema }[] = [];
        walk(o.schema, `${f.type}.${o.outcome}`, fields);
        for (const { path, field, node } of fields) {
          if (fieldKind(node, field) === 'unsupported') problems.push(`${path}: no field kind`);
          if (!unwrap(node).title && !FIELD_ZH[field]) problems.push(`${path}: no Chinese title`);
          for (const v of choices(unwrap(node)) ?? choices(unwrap(unwrap(node).items)) ?? []) {
            if (typeof v === 'string' && !/[\u4e00-\u9fff]/.test(valueLabel(field, v)))
              problems.push(`${path}: ${v} has no Chinese`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('render the approval as category select, amount number, paper date and reason text', () => {
    const approved = forms.find((f) => f.type === 'confirm')!.outcomes.find((o) => o.outcome === 'APPROVED')!
      .schema as JsonSchema;
    const kinds = Object.fromEntries(Object.entries(approved.properties!).map(([k, v]) => [k, fieldKind(v, k)]));
    expect(kinds).toEqual({
      category: 'select',
      monthlyAmount: 'number',
      effectiveOn: 'date',
      deviationReason: 'longText',
    });
    const returned = forms.find((f) => f.type === 'accept')!.outcomes.find((o) => o.outcome === 'RETURNED')!
      .schema as JsonSchema;
    expect(fieldKind(returned.properties!.missingDocuments, 'missingDocuments')).toBe('tags');
  });

  it("describe each type's completion body for OpenAPI as oneOf its outcomes", () => {
    const { schemas } = completionComponents();
    expect(Object.keys(schemas)).toHaveLength(TASK_TYPES.length);
    expect((schemas.TaskCompletion_accept.oneOf as unknown[]).length).toBe(2);
  });
});
