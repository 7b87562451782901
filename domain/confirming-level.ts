// Who confirms an application (docs/policy.md §2.1), in a module of its own: the application workflow needs it, and
// domain/policy.ts builds the policy's zod schemas when it loads, which each new workflow would pay for.

export const CONFIRMING_LEVELS = ['TOWNSHIP', 'COUNTY'] as const;
export type ConfirmingLevel = (typeof CONFIRMING_LEVELS)[number];
/** The role that completes the confirm task at each level. */
export const CONFIRMING_ROLE: Record<ConfirmingLevel, 'reviewer' | 'county_officer'> = {
  TOWNSHIP: 'reviewer',
  COUNTY: 'county_officer',
};
