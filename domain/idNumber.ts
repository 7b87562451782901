// Resident ID numbers (居民身份证号码, GB 11643-1999; docs/policy.md §9).
//
// Pure and deterministic so workflow code can use it. Messages never repeat the number: they end up in API errors
// and logs, where a full ID number is personal data.

import { isIsoDate, type IsoDate } from './calendar';

export type IdNumberProblem = 'LENGTH' | 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_CHARACTER';

export type IdNumberResult =
  | {
      valid: true;
      /** The 6-digit administrative division code of the place of first registration. */
      regionCode: string;
      birthDate: IsoDate;
      sex: 'M' | 'F';
      /** The number as it should be stored and compared: trimmed, check character 'x' upper-cased. */
      normalized: string;
    }
  | { valid: false; problem: IdNumberProblem; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/**
 * Province-level codes of GB/T 2260, plus 83: Taiwan residents' residence permits (港澳台居民居住证, since 2018)
 * carry 830000 although GB/T 2260 lists Taiwan as 71, and rejecting a genuine document would turn a person away.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

const MIN_BIRTH_YEAR = 1900;

/** The check character (0–9 or X) for the first 17 digits. */
export function checkCharacter(first17: string): string {
  if (typeof first17 !== 'string' || !/^\d{17}$/.test(first17)) {
    throw new RangeError('checkCharacter needs exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

function invalid(problem: IdNumberProblem, message: string): IdNumberResult {
  return { valid: false, problem, message };
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function describeChar(c: string): string {
  return c.trim() === '' ? 'whitespace' : `'${c}'`;
}

/**
 * Checks an 18-character resident ID number, in the order length, format, region, birth date, check character,
 * and reports the first problem found. `opts.today` enables the "birth date not in the future" check; without it
 * that check is skipped, because this module may not read the clock.
 */
export function parseIdNumber(raw: string, opts?: { today?: IsoDate }): IdNumberResult {
  if (opts?.today !== undefined && !isIsoDate(opts.today)) {
    throw new RangeError(`today must be a YYYY-MM-DD date, got ${JSON.stringify(opts.today)}`);
  }
  if (typeof raw !== 'string') return invalid('FORMAT', 'ID number must be a string');
  // Pasted numbers often carry surrounding spaces; inner spaces are still a FORMAT problem.
  const id = raw.trim();
  const chars = Array.from(id);

  if (chars.length !== 18) {
    const hint =
      chars.length === 15 && /^\d{15}$/.test(id)
        ? ' (15-digit first-generation numbers are not accepted; use the 18-character number)'
        : '';
    return invalid('LENGTH', `ID number must have 18 characters, got ${chars.length}${hint}`);
  }

  for (let i = 0; i < 17; i++) {
    if (!/^\d$/.test(chars[i])) {
      return invalid('FORMAT', `${ordinal(i + 1)} character must be a digit, got ${describeChar(chars[i])}`);
    }
  }
  if (!/^[\dXx]$/.test(chars[17])) {
    return invalid('FORMAT', `18th character must be a digit or X, got ${describeChar(chars[17])}`);
  }

  const regionCode = id.slice(0, 6);
  const province = id.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return invalid('REGION', `region code starts with ${province}, which is not a province code`);
  }

  const y = id.slice(6, 10);
  const m = id.slice(10, 12);
  const d = id.slice(12, 14);
  const birthDate = `${y}-${m}-${d}`;
  if (!isIsoDate(birthDate)) {
    return invalid('BIRTH_DATE', `birth date ${birthDate} (characters 7–14) is not a real calendar date`);
  }
  if (Number(y) < MIN_BIRTH_YEAR) {
    return invalid('BIRTH_DATE', `birth year ${y} is before ${MIN_BIRTH_YEAR}`);
  }
  if (opts?.today !== undefined && birthDate > opts.today) {
    return invalid('BIRTH_DATE', `birth date ${birthDate} is after today (${opts.today})`);
  }

  const expected = checkCharacter(id.slice(0, 17));
  const actual = chars[17].toUpperCase();
  if (actual !== expected) {
    return invalid('CHECK_CHARACTER', `check character should be ${expected}, got ${actual}`);
  }

  return {
    valid: true,
    regionCode,
    birthDate,
    sex: Number(chars[16]) % 2 === 1 ? 'M' : 'F',
    normalized: id.slice(0, 17) + actual,
  };
}
