// What a caseworker may send when completing each human step, and the rules the workflow's Update validator applies.
import { z } from 'zod';
import { TASK_OUTCOMES, ASSISTANCE_CATEGORIES, TaskType } from './glossary';
import { HouseholdSchema } from './household';
import { CONFERENCE_TASK_SCHEMAS } from './tasks-conference';
import { EMERGENCY_TASK_SCHEMAS } from './tasks-emergency';
import { RECIPIENT_TASK_SCHEMAS } from './tasks-recipient';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * `effectiveOn`: the date the act was done on paper, for offices that enter paper work afterwards; defaults to today.
 * It drives the policy deadlines that start from the act (acceptance, publicity posting, decision). Audited either way.
 */
const effectiveOn = isoDate.optional();

export const APPLICATION_TASK_SCHEMAS = {
  accept: {
    ACCEPTED: z.object({ effectiveOn }).strict(),
    // 一次性告知: everything missing is listed at once, so the list may not be empty.
    RETURNED: z.object({ missingDocuments: z.array(z.string().min(1)).min(1), effectiveOn }).strict(),
  },
  // The investigation may correct the household's economic data; the assessment then uses the verified version.
  homeVisit: { DONE: z.object({ findings: z.string().optional(), household: HouseholdSchema.optional(), effectiveOn }).strict() },
  economicCheck: { DONE: z.object({ findings: z.string().optional(), household: HouseholdSchema.optional(), effectiveOn }).strict() },
  firstReview: {
    // effectiveOn of the first review is the day the opinion is posted for publicity.
    RECOMMEND_APPROVAL: z.object({ opinion: z.string().optional(), effectiveOn }).strict(),
    RECOMMEND_REFUSAL: z.object({ opinion: z.string().optional(), effectiveOn }).strict(),
  },
  confirm: {
    APPROVED: z.object({
      category: z.enum(ASSISTANCE_CATEGORIES),
      monthlyAmount: z.number().nonnegative().max(1_000_000),
      effectiveOn,
      deviationReason: z.string().min(1).optional(),
    }).strict(),
    REFUSED: z.object({ reasons: z.array(z.string().min(1)).min(1), effectiveOn }).strict(),
  },
  refusalNotice: { ISSUED: z.object({ effectiveOn }).strict() },
} as const;

/**
 * The data schema of every task type and outcome. Each process adds its own map here (recipient, emergency, conference
 * tasks); the `satisfies` keeps the registry complete against the outcome names of the glossary.
 */
export const TASK_DATA_SCHEMAS: { [T in TaskType]: Record<(typeof TASK_OUTCOMES)[T][number], z.ZodTypeAny> } = {
  ...APPLICATION_TASK_SCHEMAS,
  ...RECIPIENT_TASK_SCHEMAS,
  ...CONFERENCE_TASK_SCHEMAS,
  ...EMERGENCY_TASK_SCHEMAS,
};

export type TaskCompletionProblem = { code: 'UNKNOWN_OUTCOME' | 'INVALID_DATA'; message: string; details?: unknown };

/** Pure check of an outcome and its data for a task type; undefined when acceptable. */
export function checkCompletion(type: TaskType, outcome: string, data: unknown): TaskCompletionProblem | undefined {
  const allowed = TASK_OUTCOMES[type] as readonly string[];
  if (!allowed.includes(outcome)) {
    return { code: 'UNKNOWN_OUTCOME', message: `outcome ${outcome} is not allowed for ${type}; allowed: ${allowed.join(', ')}` };
  }
  const schema = (TASK_DATA_SCHEMAS[type] as Record<string, z.ZodTypeAny>)[outcome];
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    return { code: 'INVALID_DATA', message: `data for ${type} ${outcome} is invalid`, details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  return undefined;
}
