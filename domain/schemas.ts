// Schema pieces every input shares, so a date or a free text is checked the same way at every edge.
// Pure: imported by workflow code (task data schemas) as well as the API.
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
    );

/**
 * `effectiveOn`: the date the act was done on paper, for offices that enter paper work afterwards; defaults to today.
 * It drives the policy deadlines that start from the act (acceptance, publicity posting, decision). Audited either way.
 */
export const effectiveOn = () => isoDate().optional();
