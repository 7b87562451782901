import { addMonths, addYears, monthAfter } from '../../domain/dates';
import {
  birthdayOfAge,
  classifyHousehold,
  minorsTurning18,
  periodicDueDates,
  recognitionEndsOn,
  recognitionValidOn,
} from '../../domain/recipient';
import { isWholeFen, positiveYuan, yuan } from '../../domain/money';
import { type Household } from '../../domain/household';

const member = (birthDate: string, over: Partial<Household['members'][number]> = {}): Household['members'][number] => ({
  memberId: birthDate,
  relation: 'CHILD',
  birthDate,
  laborCapacity: 'FULL',
  seriousIllness: false,
  studentLevel: 'NONE',
  employed: false,
  ...over,
});
const household = (members: Household['members']): Household => ({
  residence: 'RURAL',
  members,
  incomes: [],
  assets: { deposits: 0, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
  rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
  legalSupporters: [],
});

describe('recipient dates', () => {
  it('adds months, falling back to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addMonths('2026-08-15', 6)).toBe('2027-02-15');
    expect(addMonths('2026-12-01', -12)).toBe('2025-12-01');
  });

  it('puts periodic checks inside the cycle: half-yearly once, yearly never (the annual recheck is that check)', () => {
    expect(periodicDueDates('2026-03-10', 'UNSTABLE')).toEqual(['2026-09-10']);
    expect(periodicDueDates('2026-03-10', 'STABLE')).toEqual([]);
  });

  it('stops and starts payments the month after a decision', () => {
    expect(monthAfter('2026-12-31')).toBe('2027-01');
    expect(monthAfter('2026-03-01')).toBe('2026-04');
  });
});

describe('household type and minors', () => {
  it('is UNSTABLE with a working-age member able to work and out of school, STABLE otherwise', () => {
    expect(classifyHousehold(household([member('1980-01-01', { laborCapacity: 'PARTIAL' })]), '2026-06-01')).toBe(
      'UNSTABLE',
    );
    expect(classifyHousehold(household([member('1950-01-01'), member('2012-01-01')]), '2026-06-01')).toBe('STABLE');
    expect(classifyHousehold(household([member('2005-01-01', { studentLevel: 'UNDERGRADUATE' })]), '2026-06-01')).toBe(
      'STABLE',
    );
    expect(classifyHousehold(household([member('1980-01-01', { laborCapacity: 'NONE' })]), '2026-06-01')).toBe(
      'STABLE',
    );
  });

  it('lists the 18th birthdays still ahead, in order', () => {
    expect(
      minorsTurning18(household([member('2010-05-01'), member('1950-01-01'), member('2008-09-30')]), '2026-06-01'),
    ).toEqual(['2026-09-30', '2028-05-01']);
  });
});

describe('issue 10, item 11: a 29 February birthday and sub-fen amounts', () => {
  it('a TEKUN minor born on 29 February turns 18 on 1 March in a common year', () => {
    expect(minorsTurning18(household([member('2008-02-29')]), '2020-01-01')).toEqual(['2026-03-01']);
    expect(minorsTurning18(household([member('2006-02-28')]), '2020-01-01')).toEqual(['2024-02-28']);
    // 20th birthday of a 29 February child falls in a leap year: the day itself.
    expect(birthdayOfAge('2004-02-29', 20)).toBe('2024-02-29');
    expect(birthdayOfAge('2010-06-15', 18)).toBe('2028-06-15');
  });

  it('an amount that is not a whole number of fen is refused, never rounded to 0.00', () => {
    for (const v of [0.001, 1e-9, 0.005, 12345.001]) {
      expect(isWholeFen(v)).toBe(false);
      expect(yuan().safeParse(v).success).toBe(false);
      expect(positiveYuan().safeParse(v).success).toBe(false);
    }
    for (const v of [0, 0.01, 0.3, 220, 1234567.89, 999999.99]) expect(isWholeFen(v)).toBe(true);
  });
});

describe('issue 10, item 8: rigid-expenditure recognition lasts 12 months', () => {
  it('ends on the anniversary unless renewed; other categories have no validity', () => {
    expect(recognitionEndsOn('RIGID_EXPENDITURE', '2026-03-15')).toBe('2027-03-15');
    expect(recognitionValidOn('RIGID_EXPENDITURE', '2026-03-15', '2027-03-14')).toBe(true);
    expect(recognitionValidOn('RIGID_EXPENDITURE', '2026-03-15', '2027-03-15')).toBe(false);
    // Renewed on the anniversary: valid another 12 months.
    expect(recognitionValidOn('RIGID_EXPENDITURE', '2027-03-15', '2027-03-15')).toBe(true);
    expect(recognitionEndsOn('DIBAO', '2026-03-15')).toBeUndefined();
    expect(recognitionValidOn('TEKUN', '2020-01-01', '2030-01-01')).toBe(true);
  });
});
