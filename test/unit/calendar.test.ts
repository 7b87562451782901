import {
  addCalendarDays,
  calendarFingerprint,
  calendarWarnings,
  endOfDayShanghai,
  isIsoDate,
  SEED_CALENDAR_YEARS,
  shanghaiDate,
  startOfDayShanghai,
  validateCalendarYear,
  WorkingDayCalendar,
  type CalendarYear,
} from '../../domain/calendar';

const cal = WorkingDayCalendar.seeded();

// A made-up 2027 schedule for tests only: the real one is published in November 2026.
const HYPOTHETICAL_2027: CalendarYear = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
  makeupWorkdays: [],
};

describe('SEED_CALENDAR_YEARS', () => {
  it('holds 2025 and 2026', () => {
    expect(SEED_CALENDAR_YEARS.map((y) => y.year)).toEqual([2025, 2026]);
  });

  it('expands the 2025 ranges of docs/policy.md §1 to every date', () => {
    const y = SEED_CALENDAR_YEARS[0];
    expect(y.holidays).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    expect(y.holidays).toEqual(
      expect.arrayContaining([
        '2025-01-01',
        '2025-01-28',
        '2025-01-31',
        '2025-02-01',
        '2025-02-04',
        '2025-04-04',
        '2025-04-06',
        '2025-05-01',
        '2025-05-05',
        '2025-05-31',
        '2025-06-01',
        '2025-06-02',
        '2025-10-01',
        '2025-10-08',
      ]),
    );
    expect(y.holidays).not.toContain('2025-01-27');
    expect(y.holidays).not.toContain('2025-02-05');
    expect(y.holidays).not.toContain('2025-10-09');
    expect(y.makeupWorkdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });

  it('expands the 2026 ranges of docs/policy.md §1 to every date', () => {
    const y = SEED_CALENDAR_YEARS[1];
    expect(y.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(y.holidays).toEqual(
      expect.arrayContaining([
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
        '2026-02-15',
        '2026-02-19',
        '2026-02-23',
        '2026-04-04',
        '2026-04-06',
        '2026-05-01',
        '2026-05-05',
        '2026-06-19',
        '2026-06-21',
        '2026-09-25',
        '2026-09-27',
        '2026-10-01',
        '2026-10-07',
      ]),
    );
    expect(y.holidays).not.toContain('2026-02-14');
    expect(y.holidays).not.toContain('2026-02-24');
    expect(y.holidays).not.toContain('2026-10-08');
    expect(y.makeupWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it.each(SEED_CALENDAR_YEARS.map((y) => [y.year, y] as const))('%i passes validateCalendarYear', (_year, y) => {
    expect(validateCalendarYear(y)).toEqual([]);
  });

  it('lists each date once, in order', () => {
    for (const y of SEED_CALENDAR_YEARS) {
      expect([...y.holidays].sort()).toEqual(y.holidays);
      expect(new Set(y.holidays).size).toBe(y.holidays.length);
    }
  });

  it('is frozen, so no caller can move every deadline by accident', () => {
    expect(() => SEED_CALENDAR_YEARS[1].holidays.push('2026-12-25')).toThrow(TypeError);
    expect(() => SEED_CALENDAR_YEARS.push(HYPOTHETICAL_2027)).toThrow(TypeError);
    expect(() => {
      (SEED_CALENDAR_YEARS[0] as { year: number }).year = 1999;
    }).toThrow(TypeError);
    expect(cal.addWorkingDays('2026-09-30', 3).due).toBe('2026-10-10');
  });

  it('is JSON-serialisable and round-trips into an equal calendar', () => {
    const copy = JSON.parse(JSON.stringify(SEED_CALENDAR_YEARS)) as CalendarYear[];
    expect(copy).toEqual(SEED_CALENDAR_YEARS);
    const other = new WorkingDayCalendar(copy);
    expect(other.addWorkingDays('2026-02-10', 10)).toEqual(cal.addWorkingDays('2026-02-10', 10));
  });
});

describe('WorkingDayCalendar construction', () => {
  it('reports the loaded years, sorted', () => {
    expect(cal.loadedYears()).toEqual([2025, 2026]);
    const c = new WorkingDayCalendar([HYPOTHETICAL_2027, ...SEED_CALENDAR_YEARS]);
    expect(c.loadedYears()).toEqual([2025, 2026, 2027]);
  });

  it.each([
    [2025, true],
    [2026, true],
    [2024, false],
    [2027, false],
  ])('isLoaded(%i) is %s', (year, loaded) => {
    expect(cal.isLoaded(year)).toBe(loaded);
  });

  it('an empty calendar loads nothing and treats every day as provisional', () => {
    const c = new WorkingDayCalendar([]);
    expect(c.loadedYears()).toEqual([]);
    expect(c.isWorkingDay('2026-10-01')).toEqual({ working: true, provisional: true });
  });

  it('rejects a malformed year, naming the problem', () => {
    expect(() => new WorkingDayCalendar([{ year: 2027, holidays: ['2027-02-30'], makeupWorkdays: [] }])).toThrow(
      /invalid calendar year 2027: holidays: "2027-02-30" is not a real YYYY-MM-DD date/,
    );
  });

  it('rejects the same year given twice', () => {
    expect(() => new WorkingDayCalendar([...SEED_CALENDAR_YEARS, SEED_CALENDAR_YEARS[1]])).toThrow(RangeError);
    expect(() => new WorkingDayCalendar([...SEED_CALENDAR_YEARS, SEED_CALENDAR_YEARS[1]])).toThrow(
      /2026 is given more than once/,
    );
  });

  it('copies its input, so later edits to the data do not change it', () => {
    const data: CalendarYear = { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [] };
    const c = new WorkingDayCalendar([data]);
    data.holidays.push('2027-01-04');
    data.makeupWorkdays.push('2027-01-02');
    expect(c.isWorkingDay('2027-01-04').working).toBe(true);
    expect(c.isWorkingDay('2027-01-02').working).toBe(false);
  });
});

describe('isWorkingDay', () => {
  it.each([
    // [date, working, provisional, why]
    ['2026-10-01', false, false, 'National Day'],
    ['2026-10-07', false, false, 'last day of National Day'],
    ['2026-10-08', true, false, 'Thursday after National Day'],
    ['2026-10-09', true, false, 'Friday'],
    ['2026-10-10', true, false, 'make-up Saturday'],
    ['2026-10-11', false, false, 'ordinary Sunday'],
    ['2026-09-20', true, false, 'make-up Sunday'],
    ['2026-09-25', false, false, 'Mid-Autumn Friday'],
    ['2026-09-28', true, false, 'ordinary Monday'],
    ['2026-01-01', false, false, "New Year's Day"],
    ['2026-01-03', false, false, 'New Year Saturday'],
    ['2026-01-04', true, false, 'make-up Sunday'],
    ['2026-02-14', true, false, 'make-up Saturday before Spring Festival'],
    ['2026-02-15', false, false, 'first day of Spring Festival'],
    ['2026-02-23', false, false, 'Monday inside Spring Festival'],
    ['2026-02-24', true, false, 'first Tuesday after Spring Festival'],
    ['2026-02-28', true, false, 'make-up Saturday after Spring Festival'],
    ['2026-03-01', false, false, 'ordinary Sunday'],
    ['2026-04-06', false, false, 'Qingming Monday'],
    ['2026-05-05', false, false, 'Labour Day Tuesday'],
    ['2026-05-09', true, false, 'make-up Saturday'],
    ['2026-06-19', false, false, 'Dragon Boat Friday'],
    ['2025-01-26', true, false, 'make-up Sunday'],
    ['2025-01-28', false, false, 'Spring Festival Eve'],
    ['2025-02-04', false, false, 'Tuesday inside Spring Festival'],
    ['2025-02-08', true, false, 'make-up Saturday'],
    ['2025-04-27', true, false, 'make-up Sunday'],
    ['2025-06-02', false, false, 'Dragon Boat Monday'],
    ['2025-09-28', true, false, 'make-up Sunday'],
    ['2025-10-08', false, false, 'last day of National Day 2025'],
    ['2025-10-11', true, false, 'make-up Saturday'],
    ['2025-12-31', true, false, 'ordinary Wednesday'],
    ['2027-01-01', true, true, 'Friday of an unloaded year: weekday rule'],
    ['2027-01-02', false, true, 'Saturday of an unloaded year'],
    ['2024-10-01', true, true, 'a holiday in reality, but 2024 is not loaded'],
  ])('%s → working=%s provisional=%s (%s)', (date, working, provisional) => {
    expect(cal.isWorkingDay(date)).toEqual({ working, provisional });
  });

  it('the whole of October 2026', () => {
    const working = [];
    for (let d = '2026-10-01'; d <= '2026-10-31'; d = addCalendarDays(d, 1)) {
      if (cal.isWorkingDay(d).working) working.push(Number(d.slice(8)));
    }
    expect(working).toEqual([8, 9, 10, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30]);
  });

  it.each(['2026-02-29', '2026/10/01', '', 'tomorrow'])('throws on %j', (bad) => {
    expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('refusal decided 2026-09-30: notice due 3 working days later on the make-up Saturday 2026-10-10', () => {
    expect(cal.addWorkingDays('2026-09-30', 3)).toEqual({
      due: '2026-10-10',
      dueAt: '2026-10-10T15:59:59.999Z',
      provisional: false,
    });
    expect(cal.addWorkingDays('2026-09-30', 1).due).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 2).due).toBe('2026-10-09');
  });

  it.each([
    // [from, n, due, why]
    ['2026-02-13', 1, '2026-02-14', 'Friday → make-up Saturday'],
    ['2026-02-14', 1, '2026-02-24', 'across the whole Spring Festival'],
    ['2026-02-27', 1, '2026-02-28', 'Friday → make-up Saturday'],
    ['2026-02-28', 1, '2026-03-02', 'make-up Saturday → Monday'],
    ['2025-12-31', 1, '2026-01-04', 'New Year 2026 → make-up Sunday'],
    ['2026-01-04', 1, '2026-01-05', 'make-up Sunday → Monday'],
    ['2025-09-26', 1, '2025-09-28', 'Friday → make-up Sunday'],
    ['2025-09-30', 1, '2025-10-09', 'across National Day 2025'],
    ['2025-09-30', 3, '2025-10-11', 'to the make-up Saturday'],
    ['2025-05-30', 1, '2025-06-03', 'across Dragon Boat 2025'],
    ['2025-04-03', 1, '2025-04-07', 'across Qingming 2025'],
    ['2026-09-18', 1, '2026-09-20', 'Friday → make-up Sunday'],
    ['2026-09-24', 1, '2026-09-28', 'across Mid-Autumn 2026'],
    ['2026-03-06', 1, '2026-03-09', 'ordinary weekend'],
    ['2026-03-07', 1, '2026-03-09', 'from a Saturday'],
    ['2026-03-08', 5, '2026-03-13', 'from a Sunday'],
  ])('%s + %i → %s (%s)', (from, n, due) => {
    const r = cal.addWorkingDays(from, n);
    expect(r.due).toBe(due);
    expect(r.provisional).toBe(false);
  });

  it.each([
    // 10 working days: the first-review opinion and confirmation limits (docs/policy.md §2)
    ['2026-09-30', '2026-10-20'],
    ['2026-02-10', '2026-03-02'],
    ['2026-04-30', '2026-05-18'],
    ['2026-06-15', '2026-06-30'],
    ['2026-09-14', '2026-09-28'],
    ['2025-01-24', '2025-02-13'],
    ['2025-04-25', '2025-05-13'],
    ['2026-03-02', '2026-03-16'],
  ])('%s + 10 → %s', (from, due) => {
    expect(cal.addWorkingDays(from, 10)).toEqual({
      due,
      dueAt: endOfDayShanghai(due).toISOString(),
      provisional: false,
    });
  });

  it('30 working days for the whole case, +15 when extended', () => {
    expect(cal.addWorkingDays('2026-09-01', 30).due).toBe('2026-10-19');
    expect(cal.addWorkingDays(cal.addWorkingDays('2026-09-01', 30).due, 15).due).toBe('2026-11-09');
    expect(cal.addWorkingDays('2026-09-01', 45).due).toBe('2026-11-09');
  });

  describe('n = 0', () => {
    it.each([
      ['2026-09-30', false],
      ['2026-10-01', false],
      ['2026-10-10', false],
      ['2026-12-31', false],
      ['2027-03-01', true],
      ['2024-12-31', true],
    ])('%s + 0 is that date itself, provisional=%s', (from, provisional) => {
      expect(cal.addWorkingDays(from, 0)).toEqual({
        due: from,
        dueAt: endOfDayShanghai(from).toISOString(),
        provisional,
      });
    });
  });

  describe('years without a loaded schedule', () => {
    it('a deadline running into 2027 is provisional', () => {
      expect(cal.addWorkingDays('2026-12-28', 10)).toEqual({
        due: '2027-01-11',
        dueAt: '2027-01-11T15:59:59.999Z',
        provisional: true,
      });
    });

    it('a deadline that stays inside 2026 is not', () => {
      expect(cal.addWorkingDays('2026-12-01', 3)).toEqual({
        due: '2026-12-04',
        dueAt: '2026-12-04T15:59:59.999Z',
        provisional: false,
      });
      expect(cal.addWorkingDays('2026-12-28', 3)).toMatchObject({ due: '2026-12-31', provisional: false });
    });

    it('becomes provisional as soon as one examined day is in 2027, even a weekend', () => {
      expect(cal.addWorkingDays('2026-12-28', 4)).toMatchObject({ due: '2027-01-01', provisional: true });
      // From 2026-12-31 the only examined days are 2027-01-01 (Fri): provisional.
      expect(cal.addWorkingDays('2026-12-31', 1)).toMatchObject({ due: '2027-01-01', provisional: true });
    });

    it('is recomputed, no longer provisional and possibly different, once 2027 is loaded', () => {
      const with2027 = new WorkingDayCalendar([...SEED_CALENDAR_YEARS, HYPOTHETICAL_2027]);
      expect(with2027.addWorkingDays('2026-12-28', 10)).toEqual({
        due: '2027-01-13',
        dueAt: '2027-01-13T15:59:59.999Z',
        provisional: false,
      });
      expect(with2027.addWorkingDays('2026-12-01', 3)).toEqual(cal.addWorkingDays('2026-12-01', 3));
    });

    it('a start in an unloaded year does not matter when every examined day is loaded', () => {
      // 2024 is not loaded, but the days examined (2025-01-01 holiday, 2025-01-02) are.
      expect(cal.addWorkingDays('2024-12-31', 1)).toMatchObject({ due: '2025-01-02', provisional: false });
      expect(cal.addWorkingDays('2024-12-30', 1)).toMatchObject({ due: '2024-12-31', provisional: true });
    });

    it('far in the future uses the weekday rule', () => {
      expect(cal.addWorkingDays('2030-01-04', 1)).toMatchObject({ due: '2030-01-07', provisional: true });
    });
  });

  it.each([
    ['2026-09-30', -1],
    ['2026-09-30', 1.5],
    ['2026-09-30', Number.NaN],
    ['2026-09-30', Number.POSITIVE_INFINITY],
    ['2026-02-30', 1],
    ['2026-9-30', 1],
    ['', 1],
    ['2026-09-30T00:00:00Z', 1],
  ])('throws RangeError for from=%j n=%p', (from, n) => {
    expect(() => cal.addWorkingDays(from, n)).toThrow(RangeError);
  });

  it('the due date is always a working day, and every day between is not (all of 2025–2026)', () => {
    for (let d = '2024-12-31'; d <= '2026-12-20'; d = addCalendarDays(d, 1)) {
      const { due, provisional } = cal.addWorkingDays(d, 1);
      expect(provisional).toBe(false);
      expect(cal.isWorkingDay(due).working).toBe(true);
      for (let between = addCalendarDays(d, 1); between < due; between = addCalendarDays(between, 1)) {
        expect(cal.isWorkingDay(between).working).toBe(false);
      }
    }
  });

  it('adding n is adding 1 n times', () => {
    for (const from of ['2025-01-20', '2025-09-25', '2026-02-10', '2026-09-17', '2026-12-20']) {
      let stepwise = from;
      for (let n = 1; n <= 20; n++) {
        stepwise = cal.addWorkingDays(stepwise, 1).due;
        expect(cal.addWorkingDays(from, n).due).toBe(stepwise);
      }
    }
  });
});

describe('workingDaysBetween', () => {
  it.each([
    // [from, to, count]: working days in (from, to]
    ['2026-09-30', '2026-10-10', 3],
    ['2026-09-30', '2026-10-07', 0],
    ['2026-09-30', '2026-09-30', 0],
    ['2026-09-29', '2026-09-30', 1],
    ['2026-02-13', '2026-02-24', 2],
    ['2026-02-14', '2026-02-23', 0],
    ['2025-12-31', '2026-01-04', 1],
    ['2025-09-26', '2025-10-11', 6],
    ['2026-12-28', '2027-01-11', 10],
  ])('(%s, %s] has %i', (from, to, count) => {
    expect(cal.workingDaysBetween(from, to)).toBe(count);
  });

  it('is negative when `to` is before `from` (days overdue)', () => {
    expect(cal.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(-3);
    expect(cal.workingDaysBetween('2026-10-20', '2026-09-30')).toBe(-10);
  });

  it('counts 248 working days in each of 2025 and 2026', () => {
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });

  it('inverts addWorkingDays', () => {
    for (let from = '2025-01-01'; from <= '2026-11-30'; from = addCalendarDays(from, 13)) {
      for (const n of [0, 1, 2, 3, 5, 10, 15, 30]) {
        expect(cal.workingDaysBetween(from, cal.addWorkingDays(from, n).due)).toBe(n);
      }
    }
  });

  it.each([
    ['2026-02-30', '2026-03-01'],
    ['2026-03-01', 'x'],
  ])('throws on invalid dates (%j, %j)', (a, b) => {
    expect(() => cal.workingDaysBetween(a, b)).toThrow(RangeError);
  });
});

describe('shanghaiDate', () => {
  it.each([
    ['2026-09-30T16:00:00Z', '2026-10-01'],
    ['2026-09-30T16:00:00.000Z', '2026-10-01'],
    ['2026-09-30T15:59:59.999Z', '2026-09-30'],
    ['2026-09-30T00:00:00Z', '2026-09-30'],
    ['2026-10-01T00:00:00+08:00', '2026-10-01'],
    ['2026-09-30T23:59:59.999+08:00', '2026-09-30'],
    ['2026-09-30T23:30:00-01:00', '2026-10-01'],
    ['2026-09-30T16:00Z', '2026-10-01'],
    ['2026-12-31T16:00:00Z', '2027-01-01'],
    ['2024-02-28T16:00:00Z', '2024-02-29'],
    ['2026-10-01', '2026-10-01'],
  ])('%s → %s', (instant, date) => {
    expect(shanghaiDate(instant)).toBe(date);
  });

  it('accepts Date objects and epoch milliseconds', () => {
    expect(shanghaiDate(new Date(Date.UTC(2026, 8, 30, 16)))).toBe('2026-10-01');
    expect(shanghaiDate(Date.UTC(2026, 8, 30, 15, 59, 59, 999))).toBe('2026-09-30');
    expect(shanghaiDate(0)).toBe('1970-01-01');
    expect(shanghaiDate(-8 * 3_600_000 - 1)).toBe('1969-12-31');
  });

  it.each([
    ['a zone-less date-time, which JS would read in host time', '2026-09-30T16:00:00'],
    ['a non-ISO string', 'Wed Sep 30 2026'],
    ['garbage', 'yesterday'],
    ['an impossible date', '2026-02-30T00:00:00Z'],
  ])('rejects %s', (_why, s) => {
    expect(() => shanghaiDate(s)).toThrow(RangeError);
  });

  it('rejects invalid Dates and numbers', () => {
    expect(() => shanghaiDate(new Date('nope'))).toThrow(RangeError);
    expect(() => shanghaiDate(Number.NaN)).toThrow(RangeError);
    expect(() => shanghaiDate(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('startOfDayShanghai / endOfDayShanghai', () => {
  it('bound a Shanghai day', () => {
    expect(startOfDayShanghai('2026-10-10').toISOString()).toBe('2026-10-09T16:00:00.000Z');
    expect(endOfDayShanghai('2026-10-10').toISOString()).toBe('2026-10-10T15:59:59.999Z');
    expect(endOfDayShanghai('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(startOfDayShanghai('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('round-trip through shanghaiDate', () => {
    for (let d = '2025-12-25'; d <= '2026-01-05'; d = addCalendarDays(d, 1)) {
      const start = startOfDayShanghai(d);
      const end = endOfDayShanghai(d);
      expect(shanghaiDate(start)).toBe(d);
      expect(shanghaiDate(end)).toBe(d);
      expect(shanghaiDate(start.getTime() - 1)).toBe(addCalendarDays(d, -1));
      expect(shanghaiDate(end.getTime() + 1)).toBe(addCalendarDays(d, 1));
      expect(end.getTime() - start.getTime()).toBe(86_400_000 - 1);
    }
  });

  it.each(['2026-02-29', '2026-10-1', ''])('throw on %j', (bad) => {
    expect(() => startOfDayShanghai(bad)).toThrow(RangeError);
    expect(() => endOfDayShanghai(bad)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2026-09-30', 0, '2026-09-30'],
    ['2026-03-01', -1, '2026-02-28'],
    ['0050-12-31', 1, '0051-01-01'],
    ['1969-12-31', 1, '1970-01-01'],
  ])('%s + (%i) → %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
  });

  it('agrees with Date.UTC day by day from 1950 to 2100', () => {
    const mismatches: string[] = [];
    let d = '1950-01-01';
    for (let ms = Date.UTC(1950, 0, 1); ms <= Date.UTC(2100, 0, 1); ms += 86_400_000) {
      const expected = new Date(ms).toISOString().slice(0, 10);
      if (d !== expected) mismatches.push(`${d} != ${expected}`);
      d = addCalendarDays(d, 1);
    }
    expect(mismatches).toEqual([]);
    expect(d).toBe('2100-01-02');
  });

  it('throws on a non-integer count or an invalid date', () => {
    expect(() => addCalendarDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-13-01', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('isIsoDate', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '1900-01-01', '2026-04-30'])('%s is valid', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-1-01',
    '2026-01-1',
    '20260101',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '2026-01-01 ',
    '',
    '２０２６-01-01',
    '+02026-01-01',
  ])('%j is not', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });

  it('is false for non-strings that slip past the type checker', () => {
    expect(isIsoDate(undefined as unknown as string)).toBe(false);
    expect(isIsoDate(20260101 as unknown as string)).toBe(false);
  });
});

describe('validateCalendarYear', () => {
  const ok: CalendarYear = { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: ['2027-01-02'] };

  it('returns [] for a sound year, and for an empty one', () => {
    expect(validateCalendarYear(ok)).toEqual([]);
    expect(validateCalendarYear({ year: 2027, holidays: [], makeupWorkdays: [] })).toEqual([]);
  });

  it.each([
    ['a holiday outside the year', { ...ok, holidays: ['2026-12-31'] }, ['holidays: 2026-12-31 is outside 2027']],
    [
      'a make-up day outside the year',
      { ...ok, makeupWorkdays: ['2028-01-01'] },
      ['makeupWorkdays: 2028-01-01 is outside 2027'],
    ],
    [
      'a date both holiday and make-up',
      { ...ok, holidays: ['2027-01-01', '2027-01-02'] },
      ['2027-01-02 is listed both as a holiday and as a make-up workday'],
    ],
    [
      'a make-up day on a weekday',
      { ...ok, makeupWorkdays: ['2027-01-04'] },
      ['makeupWorkdays: 2027-01-04 is not a Saturday or Sunday, so it cannot be a make-up workday'],
    ],
    [
      'a duplicate holiday',
      { ...ok, holidays: ['2027-01-01', '2027-01-01'] },
      ['holidays: 2027-01-01 is listed more than once'],
    ],
    [
      'a duplicate make-up day',
      { ...ok, makeupWorkdays: ['2027-01-02', '2027-01-02'] },
      ['makeupWorkdays: 2027-01-02 is listed more than once'],
    ],
    ['a malformed holiday', { ...ok, holidays: ['2027-1-1'] }, ['holidays: "2027-1-1" is not a real YYYY-MM-DD date']],
    [
      'an impossible date',
      { ...ok, holidays: ['2027-02-29'] },
      ['holidays: "2027-02-29" is not a real YYYY-MM-DD date'],
    ],
    ['a non-integer year', { ...ok, year: 2027.5 }, ['year must be an integer between 1 and 9999, got 2027.5']],
    [
      'holidays that are not an array',
      { ...ok, holidays: '2027-01-01' as unknown as string[] },
      ['holidays must be an array of YYYY-MM-DD dates'],
    ],
  ])('reports %s', (_why, year, problems) => {
    expect(validateCalendarYear(year as CalendarYear)).toEqual(problems);
  });

  it('reports every problem at once', () => {
    const problems = validateCalendarYear({
      year: 2027,
      holidays: ['2026-10-01', 'bad', '2027-01-02', '2027-01-02'],
      makeupWorkdays: ['2027-01-02', '2027-01-05'],
    });
    expect(problems).toHaveLength(5);
  });

  it('rejects a non-object', () => {
    expect(validateCalendarYear(null as unknown as CalendarYear)).toEqual(['calendar year must be an object']);
  });
});

describe('issue 10, item 5: one calendar for every running case', () => {
  it('warns from 1 December when next year is not loaded, and whenever this year is not', () => {
    expect(calendarWarnings('2026-11-30', [2025, 2026])).toEqual([]);
    expect(calendarWarnings('2026-12-01', [2025, 2026])).toEqual([
      { year: 2027, message: expect.stringContaining('2027 is not loaded') },
    ]);
    expect(calendarWarnings('2026-12-02', [2025, 2026, 2027])).toEqual([]);
    expect(calendarWarnings('2027-01-04', [2025, 2026]).map((w) => w.year)).toEqual([2027]);
  });

  it('the fingerprint changes when a year is loaded or corrected, not with the order', () => {
    const base = calendarFingerprint(SEED_CALENDAR_YEARS);
    expect(calendarFingerprint([...SEED_CALENDAR_YEARS].reverse())).toBe(base);
    const y2027 = { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [] };
    expect(calendarFingerprint([...SEED_CALENDAR_YEARS, y2027])).not.toBe(base);
    const corrected = { ...y2027, holidays: ['2027-01-01', '2027-01-02'] };
    expect(calendarFingerprint([...SEED_CALENDAR_YEARS, corrected])).not.toBe(
      calendarFingerprint([...SEED_CALENDAR_YEARS, y2027]),
    );
  });
});
