// What a caseworker sends when completing a check of a recipient household (docs/policy.md §4), and the termination
// notice.
import { z } from 'zod';
import { ASSISTANCE_CATEGORIES, HOUSEHOLD_TYPES } from '../../domain/glossary';
import { MAX_YUAN, positiveYuan, yuan } from '../../domain/money';
import { effectiveOn as effectiveOnSchema, isoDate, text } from '../../domain/schemas';

const effectiveOn = effectiveOnSchema();

/** Fields every check outcome may carry: what was found, a reclassification of the household, the paper date. */
const common = {
  findings: text(5000).optional(),
  /** Reclassifies the household for the periodic check frequency from now on. */
  householdType: z.enum(HOUSEHOLD_TYPES).optional(),
  effectiveOn,
};

/** Outcomes of a check: the same for the annual recheck, a periodic check and a reported change. */
const CHECK_OUTCOME_SCHEMAS = {
  KEEP: z.object(common).strict(),
  // The new amount applies from the month after the decision (no proration).
  ADJUST: z.object({ ...common, newMonthlyAmount: positiveYuan(), reason: text(2000) }).strict(),
  CHANGE_CATEGORY: z
    .object({
      ...common,
      category: z.enum(ASSISTANCE_CATEGORIES),
      newMonthlyAmount: yuan().max(MAX_YUAN),
      reason: text(2000),
    })
    .strict(),
  // Reasons go into the written termination notice (plan 一(二)): at least one.
  TERMINATE: z.object({ ...common, reasons: z.array(text(500)).min(1).max(20) }).strict(),
} as const;

export const RECIPIENT_TASK_SCHEMAS = {
  annualRecheck: CHECK_OUTCOME_SCHEMAS,
  periodicCheck: CHECK_OUTCOME_SCHEMAS,
  changeReport: CHECK_OUTCOME_SCHEMAS,
  terminate: { ISSUED: z.object({ effectiveOn }).strict() },
} as const;

/** A change in the household reported through the API (caseworker, village assistant or an integrated system). */
export const ChangeReportSchema = z
  .object({
    description: text(5000),
    /** When the change happened, if known. */
    occurredOn: isoDate().optional(),
    /** The integrated system's own reference, for its records. */
    externalRef: text(200).optional(),
  })
  .strict();
export type ChangeReport = z.infer<typeof ChangeReportSchema>;
