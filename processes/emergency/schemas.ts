// What a caseworker sends with the after-the-fact justification, and a reviewer with each stage review (docs/policy.md
// §5).
import { z } from 'zod';
import { StagePlanSchema } from '../../domain/emergency';
import { DEPARTMENTS } from '../../domain/glossary';
import { HouseholdSchema } from '../../domain/household';
import { positiveYuan } from '../../domain/money';
import { effectiveOn as effectiveOnSchema, text } from '../../domain/schemas';

const effectiveOn = effectiveOnSchema();

/**
 * Evidence is uploaded with POST /emergencies/:id/justification, which stores the files and passes only this metadata
 * on: file contents stay out of workflow history.
 */
export const EvidenceRefSchema = z
  .object({
    attachmentId: z.string().uuid(),
    fileName: text(200),
    contentType: z.string().min(1).max(100),
    sizeBytes: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

const justification = {
  facts: text(5000),
  /** Must equal the advance recorded (the workflow checks it against its own record). */
  amountPaid: positiveYuan(),
  evidence: z.array(EvidenceRefSchema).max(10).optional(),
  effectiveOn,
};

export const ConferenceRequestSchema = z
  .object({
    reason: text(2000),
    proposal: text(2000).optional(),
    departments: z.array(z.enum(DEPARTMENTS)).min(1),
  })
  .strict();

export const EMERGENCY_TASK_SCHEMAS = {
  justification: {
    NO_FURTHER_HELP: z.object(justification).strict(),
    // The household's economic model for the regular review; without it the review starts with none (see workflow).
    REGULAR_ASSISTANCE: z.object({ ...justification, household: HouseholdSchema.optional() }).strict(),
    STAGED_ASSISTANCE: z.object({ ...justification, stages: StagePlanSchema }).strict(),
    CASE_CONFERENCE: z.object({ ...justification, conference: ConferenceRequestSchema }).strict(),
  },
  stagedAssistance: {
    CONTINUE: z.object({ note: text(2000).optional(), effectiveOn }).strict(),
    CHANGE_AMOUNT: z.object({ newAmount: positiveYuan(), reason: text(2000), effectiveOn }).strict(),
    STOP: z.object({ reason: text(2000), effectiveOn }).strict(),
  },
} as const;
