// What a caseworker, reviewer or county officer sends when completing each step of an application (docs/policy.md §2).
import { z } from 'zod';
import { ASSISTANCE_CATEGORIES } from '../../domain/glossary';
import { HouseholdSchema } from '../../domain/household';
import { MAX_YUAN, yuan } from '../../domain/money';
import { effectiveOn, text } from '../../domain/schemas';

export const APPLICATION_TASK_SCHEMAS = {
  accept: {
    ACCEPTED: z.object({ effectiveOn: effectiveOn() }).strict(),
    // 一次性告知: everything missing is listed at once, so the list may not be empty.
    RETURNED: z.object({ missingDocuments: z.array(text(500)).min(1).max(50), effectiveOn: effectiveOn() }).strict(),
  },
  // The investigation may correct the household's economic data; the assessment then uses the verified version.
  homeVisit: {
    DONE: z
      .object({ findings: text(5000).optional(), household: HouseholdSchema.optional(), effectiveOn: effectiveOn() })
      .strict(),
  },
  economicCheck: {
    DONE: z
      .object({ findings: text(5000).optional(), household: HouseholdSchema.optional(), effectiveOn: effectiveOn() })
      .strict(),
  },
  firstReview: {
    // effectiveOn of the first review is the day the opinion is posted for publicity.
    RECOMMEND_APPROVAL: z.object({ opinion: text(4000).optional(), effectiveOn: effectiveOn() }).strict(),
    RECOMMEND_REFUSAL: z.object({ opinion: text(4000).optional(), effectiveOn: effectiveOn() }).strict(),
  },
  confirm: {
    APPROVED: z
      .object({
        category: z.enum(ASSISTANCE_CATEGORIES),
        monthlyAmount: yuan().max(MAX_YUAN),
        effectiveOn: effectiveOn(),
        deviationReason: text(2000).optional(),
      })
      .strict(),
    // A refusal of a household assessed eligible departs from the assessment: it needs its deviationReason too.
    REFUSED: z
      .object({
        reasons: z.array(text(500)).min(1).max(20),
        effectiveOn: effectiveOn(),
        deviationReason: text(2000).optional(),
      })
      .strict(),
  },
  refusalNotice: { ISSUED: z.object({ effectiveOn: effectiveOn() }).strict() },
} as const;
