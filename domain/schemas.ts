// Schema pieces every input shares, so a date or a free text is checked the same way at every edge: the API's request
// schemas, the task data schemas the workflow's Update validators check, the import rows. Pure: imported by workflow
// code as well as the API.
import { z } from 'zod';
import { isIsoDate } from './calendar';

/** The dates this system handles: births from 1900, acts and deadlines up to 2100. */
export const DATE_RANGE = { from: '1900-01-01', to: '2100-12-31' } as const;

/** A real calendar date 'YYYY-MM-DD' inside DATE_RANGE (2026-11-31 and 0000-01-01 are refused). */
export const isoDate = () =>
  z
    .string()
    .refine(isIsoDate, 'must be a real calendar date YYYY-MM-DD')
    .refine(
      (d) => d >= DATE_RANGE.from && d <= DATE_RANGE.to,
      `must lie between ${DATE_RANGE.from} and ${DATE_RANGE.to}`,
    )
    .meta({ format: 'date' }); // /openapi.json and the console's forms see a date, not any string

/** A year or month prefix of a date inside DATE_RANGE. */
export const inDateRange = (s: string) =>
  s >= DATE_RANGE.from.slice(0, s.length) && s <= DATE_RANGE.to.slice(0, s.length);

/** A month 'YYYY-MM' inside DATE_RANGE (a roster's month, a reporting period). */
export const isoMonth = () =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .refine(inDateRange, `must lie between ${DATE_RANGE.from.slice(0, 7)} and ${DATE_RANGE.to.slice(0, 7)}`);

/** A year 'YYYY' inside DATE_RANGE. */
export const isoYear = () =>
  z
    .string()
    .regex(/^\d{4}$/, 'YYYY')
    .refine(inDateRange, `must lie between ${DATE_RANGE.from.slice(0, 4)} and ${DATE_RANGE.to.slice(0, 4)}`);

/**
 * `effectiveOn`: the date the act was done on paper, for offices that enter paper work afterwards; defaults to today.
 * It drives the policy deadlines that start from the act (acceptance, publicity posting, decision). Audited either way.
 */
export const effectiveOn = () => isoDate().optional();

/** No NUL character: PostgreSQL refuses it in text and jsonb, so it must be refused before anything is stored. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what this refuses
const NUL_FREE = /^[^\u0000]*$/;
export const hasNul = (s: string): boolean => !NUL_FREE.test(s);

/**
 * A free text a person writes (a name, a reason, a finding): trimmed, NUL-free, not blank, at most `max` characters.
 * Optional texts are `text(n).optional()`: absent is fine, blank is not (a name of only spaces says nothing).
 */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be blank').max(max).regex(NUL_FREE, 'must not contain a NUL character');

/** An identifier-like string (a member key, an external reference): NUL-free and not blank, not trimmed. */
export const token = (max: number) => z.string().min(1).max(max).regex(NUL_FREE, 'must not contain a NUL character');
