// Money: yuan in the API and the database (NUMERIC(12,2)), integer fen (分) wherever amounts are compared or summed,
// so no float tolerance is ever needed. Pure: imported by workflows, activities and the API.
import { z } from 'zod';

/** Whole fen of a yuan amount (rounds away binary noise such as 0.1 + 0.2). */
export const toFen = (yuan: number): number => Math.round(yuan * 100);

/** Yuan of a whole number of fen. */
export const fenToYuan = (fen: number): number => Math.round(fen) / 100;

/** True when two yuan amounts are the same number of fen. */
export const sameAmount = (a: number, b: number): boolean => toFen(a) === toFen(b);

/** The sum of yuan amounts, added in fen. */
export const sumYuan = (amounts: Iterable<number>): number => {
  let fen = 0;
  for (const a of amounts) fen += toFen(a);
  return fenToYuan(fen);
};

/**
 * True when `yuan` is a whole number of fen (0.01 yes, 0.001 and 0.000000001 no). Exact: a typed amount with at most
 * two decimals is the double nearest fen / 100, so no tolerance lets a sub-fen amount through to be stored as 0.00.
 */
export const isWholeFen = (yuan: number): boolean => Number.isFinite(yuan) && Math.round(yuan * 100) / 100 === yuan;

/**
 * The largest amount paid or decided at once: one household's month is far below it; a typo with extra zeros is not.
 */
export const MAX_YUAN = 1_000_000;

/**
 * Yuan, non-negative, whole fen: incomes, assets, limits (no upper bound: a rich household is assessed, not refused).
 */
export const yuan = () => z.number().finite().nonnegative().refine(isWholeFen, 'at most 2 decimals (whole fen)');

/** An amount paid or decided: yuan, positive, whole fen, at most MAX_YUAN. */
export const positiveYuan = () =>
  z.number().finite().positive().max(MAX_YUAN).refine(isWholeFen, 'at most 2 decimals (whole fen)');
