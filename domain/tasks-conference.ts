// What departments and the chair send in a one-case-one-discussion (一事一议) conference (RULES.md §6).
import { z } from 'zod';
import { DEPARTMENTS } from './glossary';

const effectiveOn = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional();
const notes = z.string().trim().min(1).max(4000).optional();

export const CONFERENCE_TASK_SCHEMAS = {
  conferenceOpinion: {
    GIVEN: z.object({ opinion: z.string().trim().min(1).max(4000), effectiveOn }).strict(),
  },
  caseConference: {
    RAISE_AMOUNT: z.object({ raisedAmount: z.number().positive().max(1_000_000), notes, effectiveOn }).strict(),
    DEPARTMENT_TAKES_OVER: z.object({ department: z.enum(DEPARTMENTS), notes, effectiveOn }).strict(),
    NO_CHANGE: z.object({ notes, effectiveOn }).strict(),
  },
} as const;
