// What a caseworker may send when completing each human step, and the rules the workflow's Update validator applies.
import { z } from 'zod';
import { APPLICATION_TASK_OUTCOMES, ASSISTANCE_CATEGORIES, ApplicationTaskType } from './glossary';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * `effectiveOn`: the date the act was done on paper, for offices that enter paper work afterwards; defaults to today.
 * It drives the policy deadlines that start from the act (acceptance, publicity posting, decision). Audited either way.
 */
const effectiveOn = isoDate.optional();

export const TASK_DATA_SCHEMAS = {
  accept: {
    ACCEPTED: z.object({ effectiveOn }).strict(),
    // 一次性告知: everything missing is listed at once, so the list may not be empty.
    RETURNED: z.object({ missingDocuments: z.array(z.string().min(1)).min(1), effectiveOn }).strict(),
  },
  homeVisit: { DONE: z.object({ findings: z.string().optional(), household: z.unknown().optional(), effectiveOn }).strict() },
  economicCheck: { DONE: z.object({ findings: z.string().optional(), household: z.unknown().optional(), effectiveOn }).strict() },
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
} as const satisfies { [T in ApplicationTaskType]: Record<(typeof APPLICATION_TASK_OUTCOMES)[T][number], z.ZodTypeAny> };

export type TaskCompletionProblem = { code: 'UNKNOWN_OUTCOME' | 'INVALID_DATA'; message: string; details?: unknown };

/** Pure check of an outcome and its data for a task type; undefined when acceptable. */
export function checkCompletion(type: ApplicationTaskType, outcome: string, data: unknown): TaskCompletionProblem | undefined {
  const allowed = APPLICATION_TASK_OUTCOMES[type] as readonly string[];
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
