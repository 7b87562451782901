// What the township sends when it has verified a warning (预警核实), and what a department sends back on a warning
// pushed to it (docs/policy.md §7.3; docs/monitoring.md). The outcome of the verification is the handling.
import { z } from 'zod';
import { ASSISTANCE_KINDS } from '../../domain/assistance';
import { DEPARTMENTS } from '../../domain/glossary';
import { positiveYuan } from '../../domain/money';
import { effectiveOn as effectiveOnSchema } from '../../domain/schemas';

const effectiveOn = effectiveOnSchema();
const reason = z.string().trim().min(1).max(2000);

export const WARNING_TASK_SCHEMAS = {
  warningVerification: {
    // Why it was no warning after all: kept on the warning (a dismissal records why).
    FALSE_ALARM: z.object({ reason, effectiveOn }).strict(),
    // Civil affairs delivered what was missing itself.
    IMPLEMENTED: z.object({ reason, effectiveOn }).strict(),
    // One-door acceptance (一门受理、协同办理): the competent department does it and reports back.
    TRANSFERRED: z.object({ department: z.enum(DEPARTMENTS), reason, effectiveOn }).strict(),
    // Referral by hardship type (转办推送): each department named reports back.
    PUSHED: z
      .object({ departments: z.array(z.enum(DEPARTMENTS)).min(1).max(6), reason, effectiveOn })
      .strict()
      .refine((d) => new Set(d.departments).size === d.departments.length, 'a department is named twice'),
    // Sent by POST /warnings/:id/application once the DATA_MATCH application exists.
    APPLICATION_STARTED: z.object({ applicationCaseId: z.string().uuid(), reason, effectiveOn }).strict(),
    CASE_CONFERENCE: z
      .object({
        reason,
        proposal: z.string().trim().min(1).max(2000).optional(),
        departments: z.array(z.enum(DEPARTMENTS)).min(1).max(12),
        effectiveOn,
      })
      .strict(),
    // Sent by POST /warnings/:id/recipient-check once the recipient's check is open.
    RECIPIENT_CHECK: z
      .object({ recipientId: z.string().uuid(), checkId: z.string().min(1).max(200), reason, effectiveOn })
      .strict(),
  },
  departmentFeedback: {
    // The department assisted: the assistance enters the chain (assistance_records) like any department report.
    ASSISTED: z
      .object({
        feedback: z.string().trim().min(1).max(4000),
        assistanceKind: z.enum(ASSISTANCE_KINDS),
        amount: positiveYuan().optional(),
        effectiveOn,
      })
      .strict(),
    NOT_APPLICABLE: z.object({ feedback: z.string().trim().min(1).max(4000), effectiveOn }).strict(),
  },
} as const;

/** Outcomes only the routes that first open the linked case may send (api/routes/tasks.ts refuses them). */
export const LINKED_CASE_OUTCOMES: Record<string, string> = {
  APPLICATION_STARTED: 'POST /api/v1/warnings/:id/application',
  RECIPIENT_CHECK: 'POST /api/v1/warnings/:id/recipient-check',
};
