import { ageOn } from '../../domain/dates';
import { checkCharacter, parseIdNumber, type IdNumberResult } from '../../domain/idNumber';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A well-formed number for the given first 17 digits. */
function withCheck(first17: string): string {
  return first17 + checkCharacter(first17);
}

function problemOf(r: IdNumberResult): string | undefined {
  return r.valid ? undefined : r.problem;
}

describe('checkCharacter', () => {
  it('gives X for the GB 11643 example', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it('gives 1 for a Xinxiang County number worked by hand (sum 187, 187 mod 11 = 0)', () => {
    expect(checkCharacter('41072119800101123')).toBe('1');
  });

  it.each([
    // S = 181 + 2 × last digit, worked by hand; the table maps S mod 11 = 0..10 to 1 0 X 9 8 7 6 5 4 3 2.
    ['41072119800101120', '7'], // S 181, mod 5
    ['41072119800101121', '5'], // S 183, mod 7
    ['41072119800101122', '3'], // S 185, mod 9
    ['41072119800101123', '1'], // S 187, mod 0
    ['41072119800101124', 'X'], // S 189, mod 2
    ['41072119800101125', '8'], // S 191, mod 4
    ['41072119800101126', '6'], // S 193, mod 6
    ['41072119800101127', '4'], // S 195, mod 8
    ['41072119800101128', '2'], // S 197, mod 10
    ['41072119800101129', '0'], // S 199, mod 1
  ])('%s → %s', (first17, expected) => {
    expect(checkCharacter(first17)).toBe(expected);
  });

  it('produces every check character across S mod 11 = 0..10', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(checkCharacter(`4107211980010${String(seq).padStart(4, '0')}`));
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('satisfies ISO 7064 MOD 11-2: weighted sum of all 18 characters ≡ 1 (mod 11)', () => {
    // A small deterministic LCG stands in for random digits so failures reproduce.
    let seed = 20260930;
    const nextDigit = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 10;
    };
    for (let i = 0; i < 500; i++) {
      const digits = Array.from({ length: 17 }, nextDigit);
      const c = checkCharacter(digits.join(''));
      const value = c === 'X' ? 10 : Number(c);
      const sum = digits.reduce((acc, d, k) => acc + d * WEIGHTS[k], 0) + value;
      expect(sum % 11).toBe(1);
    }
  });

  it.each([
    '',
    '1101051949123100',
    '110105194912310021',
    '1101051949123100X',
    '11010519491231 02',
    '１1010519491231002',
  ])('throws for %j', (bad) => {
    expect(() => checkCharacter(bad)).toThrow(RangeError);
  });
});

describe('parseIdNumber: valid numbers', () => {
  it('accepts the GB 11643 example 11010519491231002X (female, born 1949-12-31)', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({
      valid: true,
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'F',
      normalized: '11010519491231002X',
    });
  });

  it('accepts a lowercase x and normalises it', () => {
    expect(parseIdNumber('11010519491231002x')).toEqual({
      valid: true,
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'F',
      normalized: '11010519491231002X',
    });
  });

  it('accepts a Xinxiang County (410721) number, male for an odd sequence digit', () => {
    const id = withCheck('41072119800101123');
    expect(id).toBe('410721198001011231');
    expect(parseIdNumber(id)).toEqual({
      valid: true,
      regionCode: '410721',
      birthDate: '1980-01-01',
      sex: 'M',
      normalized: id,
    });
  });

  it.each([
    ['0', 'F'],
    ['1', 'M'],
    ['2', 'F'],
    ['3', 'M'],
    ['4', 'F'],
    ['5', 'M'],
    ['6', 'F'],
    ['7', 'M'],
    ['8', 'F'],
    ['9', 'M'],
  ])('17th digit %s → sex %s', (digit, sex) => {
    const r = parseIdNumber(withCheck(`4107212010063012${digit}`));
    expect(r).toMatchObject({ valid: true, sex });
  });

  it('trims surrounding whitespace from pasted input', () => {
    expect(parseIdNumber('  11010519491231002X\n')).toMatchObject({ valid: true, normalized: '11010519491231002X' });
  });

  it.each(['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82', '83'])(
    'accepts province prefix %s',
    (province) => {
      expect(parseIdNumber(withCheck(`${province}0102198001011230`.slice(0, 17)))).toMatchObject({ valid: true });
    },
  );

  it('accepts a birth date of 1900-01-01, a 29 February in a leap year, and a birth date equal to today', () => {
    expect(parseIdNumber(withCheck('41072119000101123'))).toMatchObject({ valid: true, birthDate: '1900-01-01' });
    expect(parseIdNumber(withCheck('41072120000229123'))).toMatchObject({ valid: true, birthDate: '2000-02-29' });
    expect(parseIdNumber(withCheck('41072120260930123'), { today: '2026-09-30' })).toMatchObject({ valid: true });
  });

  it('skips the future-birth check when today is not given (this module cannot read the clock)', () => {
    expect(parseIdNumber(withCheck('41072120990101123'))).toMatchObject({ valid: true, birthDate: '2099-01-01' });
  });
});

describe('parseIdNumber: problems', () => {
  const good = '410721198001011231';

  it.each([
    // [problem, input, message]
    ['LENGTH', '', 'ID number must have 18 characters, got 0'],
    ['LENGTH', good.slice(0, 17), 'ID number must have 18 characters, got 17'],
    ['LENGTH', good + '0', 'ID number must have 18 characters, got 19'],
    [
      'LENGTH',
      '410721800101123',
      'ID number must have 18 characters, got 15 (15-digit first-generation numbers are not accepted; use the ' +
        '18-character number)',
    ],
    ['FORMAT', '4107A1198001011231', "5th character must be a digit, got 'A'"],
    ['FORMAT', 'X10721198001011231', "1st character must be a digit, got 'X'"],
    ['FORMAT', '4X0721198001011231', "2nd character must be a digit, got 'X'"],
    ['FORMAT', '41X721198001011231', "3rd character must be a digit, got 'X'"],
    ['FORMAT', '410X21198001011231', "4th character must be a digit, got 'X'"],
    ['FORMAT', '41072119800101X231', "15th character must be a digit, got 'X'"],
    ['FORMAT', '4107211980 1011231', '11th character must be a digit, got whitespace'],
    ['FORMAT', '41072119800101123Y', "18th character must be a digit or X, got 'Y'"],
    ['FORMAT', '４10721198001011231', "1st character must be a digit, got '４'"],
    ['REGION', withCheck('99072119800101123'), 'region code starts with 99, which is not a province code'],
    ['REGION', withCheck('91072119800101123'), 'region code starts with 91, which is not a province code'],
    ['REGION', withCheck('00072119800101123'), 'region code starts with 00, which is not a province code'],
    ['REGION', withCheck('16072119800101123'), 'region code starts with 16, which is not a province code'],
    ['REGION', withCheck('47072119800101123'), 'region code starts with 47, which is not a province code'],
    [
      'BIRTH_DATE',
      withCheck('41072119490231123'),
      'birth date 1949-02-31 (characters 7–14) is not a real calendar date',
    ],
    [
      'BIRTH_DATE',
      withCheck('41072119001329123'),
      'birth date 1900-13-29 (characters 7–14) is not a real calendar date',
    ],
    [
      'BIRTH_DATE',
      withCheck('41072120010229123'),
      'birth date 2001-02-29 (characters 7–14) is not a real calendar date',
    ],
    [
      'BIRTH_DATE',
      withCheck('41072119800000123'),
      'birth date 1980-00-00 (characters 7–14) is not a real calendar date',
    ],
    ['BIRTH_DATE', withCheck('41072118991231123'), 'birth year 1899 is before 1900'],
    ['CHECK_CHARACTER', '110105194912310023', 'check character should be X, got 3'],
    ['CHECK_CHARACTER', '410721198001011232', 'check character should be 1, got 2'],
    ['CHECK_CHARACTER', '41072119800101123X', 'check character should be 1, got X'],
    ['CHECK_CHARACTER', '41072119800101123x', 'check character should be 1, got X'],
  ])('%s: %j', (problem, input, message) => {
    expect(parseIdNumber(input)).toEqual({ valid: false, problem, message });
  });

  it('rejects a birth date after today when today is given', () => {
    expect(parseIdNumber(withCheck('41072120261001123'), { today: '2026-09-30' })).toEqual({
      valid: false,
      problem: 'BIRTH_DATE',
      message: 'birth date 2026-10-01 is after today (2026-09-30)',
    });
  });

  it('reports the first problem in the order length, format, region, birth date, check character', () => {
    expect(problemOf(parseIdNumber('99072119490231002'))).toBe('LENGTH');
    expect(problemOf(parseIdNumber('9907211949023100AY'))).toBe('FORMAT');
    expect(problemOf(parseIdNumber('990721194902310020'))).toBe('REGION');
    expect(problemOf(parseIdNumber('410721194902310020'))).toBe('BIRTH_DATE');
    expect(problemOf(parseIdNumber('410721194901310020'))).toBe('CHECK_CHARACTER');
  });

  it('never repeats the number (or its first 17 digits) in a message', () => {
    const inputs = [
      '110105194912310023',
      withCheck('99072119800101123'),
      withCheck('41072119490231123'),
      withCheck('41072118991231123'),
      '41072119800101123Y',
      '4107211980010112311',
    ];
    for (const input of inputs) {
      const r = parseIdNumber(input);
      expect(r.valid).toBe(false);
      if (!r.valid) {
        expect(r.message).not.toContain(input);
        expect(r.message).not.toContain(input.slice(0, 17));
        expect(r.message).not.toContain(input.slice(0, 14));
      }
    }
  });

  it('reports FORMAT for a non-string that slips past the type checker', () => {
    expect(parseIdNumber(undefined as unknown as string)).toEqual({
      valid: false,
      problem: 'FORMAT',
      message: 'ID number must be a string',
    });
    expect(problemOf(parseIdNumber(11010519491231 as unknown as string))).toBe('FORMAT');
  });

  it('throws on a malformed today, which is a programming error rather than bad input', () => {
    expect(() => parseIdNumber('11010519491231002X', { today: '2026-9-30' })).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it.each([
    ['1949-12-31', '2026-12-30', 76],
    ['1949-12-31', '2026-12-31', 77],
    ['1966-05-10', '2026-05-09', 59],
    ['1966-05-10', '2026-05-10', 60],
    ['2010-06-30', '2026-06-29', 15],
    ['2010-06-30', '2026-06-30', 16],
    ['2008-01-01', '2025-12-31', 17],
    ['2008-01-01', '2026-01-01', 18],
    ['2026-09-30', '2026-09-30', 0],
    ['2025-09-30', '2026-09-29', 0],
    // 29 February: the year completes on 1 March in common years, on 29 February in leap years.
    ['2000-02-29', '2001-02-28', 0],
    ['2000-02-29', '2001-03-01', 1],
    ['2000-02-29', '2004-02-28', 3],
    ['2000-02-29', '2004-02-29', 4],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('throws when `on` is before the birth date or a date is malformed', () => {
    expect(() => ageOn('2026-09-30', '2026-09-29')).toThrow(RangeError);
    expect(() => ageOn('2026-02-30', '2026-09-29')).toThrow(RangeError);
    expect(() => ageOn('2020-01-01', '2026-9-29')).toThrow(RangeError);
  });

  it('works with a parsed birth date', () => {
    const r = parseIdNumber('11010519491231002X');
    if (!r.valid) throw new Error('example must be valid');
    expect(ageOn(r.birthDate, '2026-09-30')).toBe(76);
  });
});
