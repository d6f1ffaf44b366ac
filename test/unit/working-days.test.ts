// England and Wales working days: the holiday lists published on gov.uk, the substitution rules, and
// the compliance periods built on them. Random cases come from fast-check; a failure prints the seed
// to replay it with WORKING_DAYS_SEED=<seed> (WORKING_DAYS_RUNS=<n> changes how many run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  englandAndWalesBankHolidays,
  isWorkingDay,
  workingDaysBetween,
} from '@ccx/server/testing';

const SEED = Number(process.env.WORKING_DAYS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.WORKING_DAYS_RUNS ?? 500);

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Easter Sunday read back from the holiday list: Good Friday is two days before it. */
const easterFrom = (year: number): string => {
  const goodFriday = englandAndWalesBankHolidays(year).find(
    (d) => d >= `${year}-03-20` && d <= `${year}-04-23` && new Date(`${d}T00:00:00Z`).getUTCDay() === 5,
  );
  if (!goodFriday) throw new Error(`no Good Friday in ${year}`);
  return addDays(goodFriday, 2);
};

describe('englandAndWalesBankHolidays', () => {
  // The lists published at gov.uk/bank-holidays for England and Wales.
  it.each([
    [
      2023,
      [
        '2023-01-02', // New Year's Day was a Sunday
        '2023-04-07',
        '2023-04-10',
        '2023-05-01',
        '2023-05-08', // coronation
        '2023-05-29',
        '2023-08-28',
        '2023-12-25',
        '2023-12-26',
      ],
    ],
    [
      2024,
      [
        '2024-01-01',
        '2024-03-29',
        '2024-04-01',
        '2024-05-06',
        '2024-05-27',
        '2024-08-26',
        '2024-12-25',
        '2024-12-26',
      ],
    ],
    [
      2025,
      [
        '2025-01-01',
        '2025-04-18',
        '2025-04-21',
        '2025-05-05',
        '2025-05-26',
        '2025-08-25',
        '2025-12-25',
        '2025-12-26',
      ],
    ],
    [
      2026,
      [
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28', // Boxing Day is a Saturday
      ],
    ],
  ])('matches the published list for %i', (year, expected) => {
    expect(englandAndWalesBankHolidays(year)).toEqual(expected);
  });

  it('substitutes both Christmas holidays when Christmas Day is a Saturday', () => {
    expect(englandAndWalesBankHolidays(2021).slice(-2)).toEqual(['2021-12-27', '2021-12-28']);
    expect(englandAndWalesBankHolidays(2027).slice(-2)).toEqual(['2027-12-27', '2027-12-28']);
    expect(englandAndWalesBankHolidays(2010).slice(-2)).toEqual(['2010-12-27', '2010-12-28']);
  });

  it('gives Boxing Day the Monday and Christmas the Tuesday when Christmas Day is a Sunday', () => {
    expect(englandAndWalesBankHolidays(2016).slice(-2)).toEqual(['2016-12-26', '2016-12-27']);
    expect(englandAndWalesBankHolidays(2033).slice(-2)).toEqual(['2033-12-26', '2033-12-27']);
  });

  it('moves Boxing Day to Monday 28th when it is a Saturday', () => {
    expect(englandAndWalesBankHolidays(2020).slice(-2)).toEqual(['2020-12-25', '2020-12-28']);
  });

  it('moves New Year’s Day to the Monday when it falls on a weekend', () => {
    expect(englandAndWalesBankHolidays(2022)[0]).toBe('2022-01-03'); // Saturday
    expect(englandAndWalesBankHolidays(2023)[0]).toBe('2023-01-02'); // Sunday
    expect(englandAndWalesBankHolidays(2028)[0]).toBe('2028-01-03'); // Saturday
  });

  it('applies every 2022 change: substitutes, Platinum Jubilee and the State Funeral', () => {
    expect(englandAndWalesBankHolidays(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02', // spring holiday moved from Monday 30 May
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ]);
  });

  it.each([
    [1981, ['1981-07-29'], []],
    [1995, ['1995-05-08'], ['1995-05-01']],
    [1999, ['1999-12-31'], []],
    [2002, ['2002-06-03', '2002-06-04'], ['2002-05-27']],
    [2011, ['2011-04-29'], []],
    [2012, ['2012-06-04', '2012-06-05'], ['2012-05-28']],
    [2020, ['2020-05-08'], ['2020-05-04']],
  ])('applies the one-off changes proclaimed for %i', (year, present, absent) => {
    const holidays = englandAndWalesBankHolidays(year);
    for (const date of present) expect(holidays).toContain(date);
    for (const date of absent) expect(holidays).not.toContain(date);
  });

  it('gives the full 2012 list, with the Diamond Jubilee replacing the late May holiday', () => {
    expect(englandAndWalesBankHolidays(2012)).toEqual([
      '2012-01-02',
      '2012-04-06',
      '2012-04-09',
      '2012-05-07',
      '2012-06-04',
      '2012-06-05',
      '2012-08-27',
      '2012-12-25',
      '2012-12-26',
    ]);
  });

  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2038, '2038-04-25'], // the latest possible date
    [2008, '2008-03-23'],
    [2285, '2285-03-22'], // the earliest possible date
  ])('places Easter %i on %s', (year, easter) => {
    expect(easterFrom(year)).toBe(easter);
    expect(englandAndWalesBankHolidays(year)).toContain(addDays(easter, 1));
  });

  it('returns sorted, unique weekdays for every year, eight of them without a proclamation', () => {
    for (let year = 1978; year <= 2100; year += 1) {
      const holidays = englandAndWalesBankHolidays(year);
      expect([...holidays].sort()).toEqual(holidays);
      expect(new Set(holidays).size).toBe(holidays.length);
      for (const d of holidays) {
        expect(d.startsWith(`${year}-`)).toBe(true);
        expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
      }
      if (![1981, 1999, 2002, 2011, 2012, 2022, 2023].includes(year)) expect(holidays).toHaveLength(8);
    }
  });

  it('hands out a copy, so a caller cannot corrupt the cached list', () => {
    const first = englandAndWalesBankHolidays(2025);
    first.push('2025-07-01');
    first.length = 0;
    expect(englandAndWalesBankHolidays(2025)).toHaveLength(8);
    expect(isWorkingDay('2025-07-01')).toBe(true);
  });

  it('refuses years it does not model', () => {
    expect(() => englandAndWalesBankHolidays(1977)).toThrow(RangeError);
    expect(() => englandAndWalesBankHolidays(2025.5)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it('is false at weekends and on bank holidays, true on other weekdays', () => {
    expect(isWorkingDay('2025-06-13')).toBe(true); // Friday
    expect(isWorkingDay('2025-06-14')).toBe(false); // Saturday
    expect(isWorkingDay('2025-06-15')).toBe(false); // Sunday
    expect(isWorkingDay('2025-06-16')).toBe(true); // Monday
    expect(isWorkingDay('2025-12-25')).toBe(false);
    expect(isWorkingDay('2022-09-19')).toBe(false);
    expect(isWorkingDay('2022-05-30')).toBe(true); // the spring holiday moved to 2 June that year
    expect(isWorkingDay('2026-12-26')).toBe(false); // Saturday Boxing Day
    expect(isWorkingDay('2026-12-28')).toBe(false); // its substitute
  });

  it('refuses dates that are not YYYY-MM-DD calendar dates', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-6-1', '2025-06-01T00:00:00Z', '', '20250601']) {
      expect(() => isWorkingDay(bad)).toThrow(RangeError);
    }
    expect(isWorkingDay('2024-02-29')).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('ends a 15-working-day period begun Friday 18 December 2026 on Wednesday 13 January 2027', () => {
    // Counted by hand, skipping weekends, 25 and 28 December (Boxing Day is a Saturday) and 1 January:
    //  1 Mon 21 Dec   2 Tue 22   3 Wed 23   4 Thu 24   5 Tue 29   6 Wed 30   7 Thu 31
    //  8 Mon 4 Jan    9 Tue 5   10 Wed 6   11 Thu 7   12 Fri 8   13 Mon 11  14 Tue 12  15 Wed 13
    expect(addWorkingDays('2026-12-18', 15)).toBe('2027-01-13');
    expect(addWorkingDays('2026-12-18', 4)).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-18', 5)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-18', 8)).toBe('2027-01-04');
  });

  it('ends a 15-working-day period begun Friday 27 March 2026 on Tuesday 21 April 2026, across Easter', () => {
    // Skipping Good Friday 3 April and Easter Monday 6 April:
    //  1 Mon 30 Mar   2 Tue 31   3 Wed 1 Apr   4 Thu 2   5 Tue 7   6 Wed 8   7 Thu 9   8 Fri 10
    //  9 Mon 13  10 Tue 14  11 Wed 15  12 Thu 16  13 Fri 17  14 Mon 20  15 Tue 21
    expect(addWorkingDays('2026-03-27', 15)).toBe('2026-04-21');
    expect(addWorkingDays('2026-03-27', 4)).toBe('2026-04-02');
    expect(addWorkingDays('2026-03-27', 5)).toBe('2026-04-07');
  });

  it('starts counting on the Monday when the period begins on a Saturday', () => {
    // Three clear weeks with no holiday: 16-20 June, 23-27 June, 30 June-4 July.
    expect(addWorkingDays('2025-06-14', 1)).toBe('2025-06-16');
    expect(addWorkingDays('2025-06-14', 15)).toBe('2025-07-04');
    expect(addWorkingDays('2025-06-15', 15)).toBe('2025-07-04');
    expect(addWorkingDays('2025-06-13', 15)).toBe('2025-07-04'); // from the Friday too
  });

  it('skips a bank holiday Monday after a weekend', () => {
    expect(addWorkingDays('2025-08-22', 1)).toBe('2025-08-26'); // Fri → Tue, Monday 25 August
    expect(addWorkingDays('2022-05-31', 2)).toBe('2022-06-06'); // Wed 1 June, then Mon 6 over the jubilee
  });

  it('returns the start date unchanged for n = 0, even when it is not a working day', () => {
    expect(addWorkingDays('2025-06-13', 0)).toBe('2025-06-13');
    expect(addWorkingDays('2025-06-14', 0)).toBe('2025-06-14');
    expect(addWorkingDays('2025-12-25', 0)).toBe('2025-12-25');
  });

  it('refuses a negative or fractional number of days', () => {
    for (const n of [-1, -15, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addWorkingDays('2025-06-13', n)).toThrow(RangeError);
    }
  });

  it('spans many years', () => {
    // 2024 has 262 weekdays and 2025 has 261, each less 8 bank holidays.
    expect(addWorkingDays('2023-12-31', 254 + 253)).toBe('2025-12-31');
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after `from`, up to and including `to`', () => {
    expect(workingDaysBetween('2026-12-18', '2027-01-13')).toBe(15);
    expect(workingDaysBetween('2026-03-27', '2026-04-21')).toBe(15);
    expect(workingDaysBetween('2025-06-13', '2025-06-16')).toBe(1); // Fri → Mon
    expect(workingDaysBetween('2025-06-13', '2025-06-15')).toBe(0); // Fri → Sun
    expect(workingDaysBetween('2025-12-24', '2025-12-26')).toBe(0);
    expect(workingDaysBetween('2024-01-01', '2024-12-31')).toBe(254); // 262 weekdays less 8 holidays
    expect(workingDaysBetween('2023-12-31', '2025-12-31')).toBe(254 + 253);
  });

  it('is 0 when `to` is on or before `from`', () => {
    expect(workingDaysBetween('2025-06-16', '2025-06-16')).toBe(0);
    expect(workingDaysBetween('2025-06-17', '2025-06-16')).toBe(0);
    expect(workingDaysBetween('2027-01-13', '2026-12-18')).toBe(0);
  });

  it(`inverts addWorkingDays and agrees with a day-by-day count (seed ${SEED})`, () => {
    const DAY_MS = 86_400_000;
    const start = Date.UTC(1990, 0, 1);
    // Without fast-check's bias to small values: any date of the 45 years is as likely as another.
    const cases = fc.noBias(
      fc.record({
        from: fc
          .integer({ min: 0, max: 365 * 45 })
          .map((d) => new Date(start + d * DAY_MS).toISOString().slice(0, 10)),
        // Mostly a few weeks, one time in ten up to two and a half years.
        n: fc.oneof(
          { weight: 9, arbitrary: fc.nat({ max: 40 }) },
          { weight: 1, arbitrary: fc.nat({ max: 600 }) },
        ),
        span: fc.nat({ max: 120 }),
      }),
    );
    let runs = 0;
    let longest = 0;
    fc.assert(
      fc.property(cases, ({ from, n, span }) => {
        runs += 1;
        longest = Math.max(longest, n);
        const to = addWorkingDays(from, n);
        expect(workingDaysBetween(from, to), `from ${from}, n ${n}`).toBe(n);

        const other = addDays(from, span);
        let counted = 0;
        for (let d = addDays(from, 1); d <= other; d = addDays(d, 1)) if (isWorkingDay(d)) counted += 1;
        expect(workingDaysBetween(from, other), `from ${from} to ${other}`).toBe(counted);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`working days agree: ${runs} cases (periods up to ${longest} working days), seed ${SEED}`);
  });
});
