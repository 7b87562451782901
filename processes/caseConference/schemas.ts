// What departments and the chair send in a one-case-one-discussion (一事一议) conference (docs/policy.md §6).
import { z } from 'zod';
import { DEPARTMENTS } from '../../domain/glossary';
import { positiveYuan } from '../../domain/money';
import { effectiveOn as effectiveOnSchema, text } from '../../domain/schemas';

const effectiveOn = effectiveOnSchema();
const notes = text(4000).optional();

export const CONFERENCE_TASK_SCHEMAS = {
  conferenceOpinion: {
    GIVEN: z.object({ opinion: text(4000), effectiveOn }).strict(),
  },
  caseConference: {
    RAISE_AMOUNT: z.object({ raisedAmount: positiveYuan(), notes, effectiveOn }).strict(),
    DEPARTMENT_TAKES_OVER: z.object({ department: z.enum(DEPARTMENTS), notes, effectiveOn }).strict(),
    NO_CHANGE: z.object({ notes, effectiveOn }).strict(),
  },
  departmentTakeover: {
    DONE: z.object({ feedback: text(4000), effectiveOn }).strict(),
  },
} as const;
