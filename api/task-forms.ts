// The outcomes of every task type and the data each needs, as JSON Schema made from the very zod schemas the workflow
// validates with (the task specs of processes/<name>/definition.ts). The console builds its completion forms from
// these; /openapi.json carries them
// for integrators. Titles come from the Chinese glossary, so a form reads in Chinese without a second table.
import { z } from 'zod';
import { FIELD_ZH, OUTCOME_ZH } from '../domain/glossary-zh';
import { TASKS, TASK_TYPES } from '../processes';

export type JsonSchema = { [k: string]: unknown };

export interface OutcomeForm {
  outcome: string;
  label: string;
  schema: JsonSchema;
}
export interface TaskForm {
  type: string;
  label: string;
  candidateRole: string;
  outcomes: OutcomeForm[];
}

/** Adds `title` to each property named in FIELD_ZH, all the way down. */
function titled(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(titled);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, prop]) => {
          const p = titled(prop) as Record<string, unknown>;
          return [name, FIELD_ZH[name] && !p.title ? { title: FIELD_ZH[name], ...p } : p];
        }),
      );
    } else out[k] = titled(v);
  }
  return out;
}

function toJsonSchema(schema: z.ZodType, target: 'draft-2020-12' | 'openapi-3.0'): JsonSchema {
  // `input`: what a client sends (defaults optional); refinements (e.g. whole fen) stay the server's to check.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target }) as JsonSchema;
  delete json.$schema;
  return titled(json) as JsonSchema;
}

const cache = new Map<string, TaskForm[]>();

export function taskForms(target: 'draft-2020-12' | 'openapi-3.0' = 'draft-2020-12'): TaskForm[] {
  let forms = cache.get(target);
  if (!forms) {
    forms = TASK_TYPES.map((type) => ({
      type,
      label: TASKS[type].label,
      candidateRole: TASKS[type].candidateRole,
      outcomes: Object.entries(TASKS[type].outcomes).map(([outcome, schema]) => ({
        outcome,
        label: OUTCOME_ZH[outcome] ?? outcome,
        schema: toJsonSchema(schema, target),
      })),
    }));
    cache.set(target, forms);
  }
  return forms;
}

export const taskForm = (type: string) => taskForms().find((f) => f.type === type)!;

/**
 * OpenAPI components: `TaskCompletion_<type>` is oneOf its outcomes, each `{ outcome, data }`; POST /tasks/:id/complete
 * refers to all of them, so Swagger shows what each task takes.
 */
export function completionComponents(): { schemas: Record<string, JsonSchema>; refs: { $ref: string }[] } {
  const schemas: Record<string, JsonSchema> = {};
  for (const f of taskForms('openapi-3.0')) {
    schemas[`TaskCompletion_${f.type}`] = {
      title: `${f.type} ${f.label}`,
      oneOf: f.outcomes.map((o) => ({
        type: 'object',
        title: `${o.outcome} ${o.label}`,
        required: ['outcome'],
        additionalProperties: false,
        properties: {
          outcome: { type: 'string', enum: [o.outcome] },
          data: o.schema,
          comment: { type: 'string', maxLength: 2000 },
        },
      })),
    };
  }
  return { schemas, refs: Object.keys(schemas).map((k) => ({ $ref: `#/components/schemas/${k}` })) };
}
