// Rules on a household's members that workflow code needs (engine/workflow/case-context.ts), in a module of their own:
// domain/household.ts builds the household's zod schemas when it loads, which each new workflow would pay for.
// Pure: no Node built-ins, no clock.

/**
 * Members born after `on`: a household recorded on a date cannot hold them (the assessment counts ages on that date),
 * so every edge that records a household refuses them.
 */
export function membersBornAfter(h: { members: readonly { memberId: string; birthDate: string }[] }, on: string) {
  return h.members.filter((m) => m.birthDate > on).map((m) => m.memberId);
}
