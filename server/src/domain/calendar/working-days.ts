// England and Wales working-day arithmetic on calendar dates (YYYY-MM-DD), for statutory periods such
// as a letter of concern's 15-working-day compliance window. Dates carry no time zone: a date is a
// day number since 1970-01-01 and all arithmetic is done in UTC, so clock changes cannot shift a day.

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// The early May bank holiday was first observed in 1978; before that the regular pattern differs
// (and 1977 had a one-off jubilee), so earlier years are refused rather than answered wrongly.
const FIRST_MODELLED_YEAR = 1978;

type OneOffChange = {
  /** Regular holidays that the proclamation moved away; each must be one the rules produce. */
  readonly removed: readonly string[];
  readonly added: readonly string[];
  readonly reason: string;
};

// Changes proclaimed for a single year under the Banking and Financial Dealings Act 1971. The rules
// cannot predict these, so each new proclamation has to be added here.
const ONE_OFF_CHANGES: ReadonlyMap<number, readonly OneOffChange[]> = new Map([
  [1981, [{ removed: [], added: ['1981-07-29'], reason: 'wedding of the Prince of Wales' }]],
  [1995, [{ removed: ['1995-05-01'], added: ['1995-05-08'], reason: 'early May moved for VE Day 50' }]],
  [1999, [{ removed: [], added: ['1999-12-31'], reason: 'millennium' }]],
  [
    2002,
    [
      {
        removed: ['2002-05-27'],
        added: ['2002-06-03', '2002-06-04'],
        reason: 'Golden Jubilee; spring holiday moved to 4 June',
      },
    ],
  ],
  [2011, [{ removed: [], added: ['2011-04-29'], reason: 'royal wedding' }]],
  [
    2012,
    [
      {
        removed: ['2012-05-28'],
        added: ['2012-06-04', '2012-06-05'],
        reason: 'Diamond Jubilee; spring holiday moved to 4 June',
      },
    ],
  ],
  [2020, [{ removed: ['2020-05-04'], added: ['2020-05-08'], reason: 'early May moved for VE Day 75' }]],
  [
    2022,
    [
      {
        removed: ['2022-05-30'],
        added: ['2022-06-02', '2022-06-03'],
        reason: 'Platinum Jubilee; spring holiday moved to 2 June',
      },
      { removed: [], added: ['2022-09-19'], reason: 'State Funeral of Queen Elizabeth II' },
    ],
  ],
  [2023, [{ removed: [], added: ['2023-05-08'], reason: 'coronation of King Charles III' }]],
]);

const dayNumber = (year: number, month: number, day: number): number => {
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes them as they are.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime() / MS_PER_DAY;
};

const toDayNumber = (date: string): number => {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const n = dayNumber(y, m, d);
    // Date.UTC rolls 2025-02-30 over into March; refuse it instead of silently moving the date.
    if (toIsoDate(n) === date) return n;
  }
  throw new RangeError(`not a calendar date in YYYY-MM-DD form: ${JSON.stringify(date)}`);
};

const toIsoDate = (n: number): string => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

/** 0 = Sunday … 6 = Saturday; 1970-01-01, day 0, was a Thursday. */
const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;

const isWeekend = (n: number): boolean => {
  const w = weekday(n);
  return w === 0 || w === 6;
};

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), as a day number. */
const easterSunday = (year: number): number => {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
};

const firstMonday = (year: number, month: number): number => {
  const first = dayNumber(year, month, 1);
  return first + ((8 - weekday(first)) % 7);
};

const lastMonday = (year: number, month: number): number => {
  const last = dayNumber(year, month + 1, 0);
  return last - ((weekday(last) + 6) % 7);
};

/** The next weekday on or after `n`: a holiday on a weekend is observed on the following Monday. */
const onOrAfterWeekend = (n: number): number => {
  const w = weekday(n);
  return w === 6 ? n + 2 : w === 0 ? n + 1 : n;
};

const regularHolidays = (year: number): number[] => {
  const easter = easterSunday(year);
  const christmas = dayNumber(year, 12, 25);
  // Christmas and Boxing Day substitute in turn: whichever falls on a weekend takes the next weekday
  // not already taken, giving Mon 27 + Tue 28 (Sat 25), Mon 26 + Tue 27 (Sun 25), Fri 25 + Mon 28.
  const christmasObserved = onOrAfterWeekend(christmas);
  let boxingObserved = onOrAfterWeekend(christmas + 1);
  if (boxingObserved <= christmasObserved) boxingObserved = christmasObserved + 1;
  return [
    onOrAfterWeekend(dayNumber(year, 1, 1)),
    easter - 2,
    easter + 1,
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    christmasObserved,
    boxingObserved,
  ];
};

const holidayCache = new Map<
  number,
  { readonly list: readonly string[]; readonly days: ReadonlySet<number> }
>();

// Working-day loops ask about the same year many times; computing Easter once per year keeps them cheap.
const holidaysOf = (year: number) => {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  if (!Number.isInteger(year) || year < FIRST_MODELLED_YEAR || year > 9999)
    throw new RangeError(`bank holidays are modelled for years ${FIRST_MODELLED_YEAR} to 9999, not ${year}`);

  const dates = new Set(regularHolidays(year).map(toIsoDate));
  for (const change of ONE_OFF_CHANGES.get(year) ?? []) {
    for (const date of change.removed) {
      // A removal that the rules did not produce means the rules or the table are wrong.
      if (!dates.delete(date))
        throw new Error(`one-off change (${change.reason}) removes ${date}, not a holiday`);
    }
    for (const date of change.added) dates.add(date);
  }
  // ISO dates sort as strings in calendar order.
  const list = Object.freeze([...dates].sort());
  const entry = { list, days: new Set(list.map(toDayNumber)) };
  holidayCache.set(year, entry);
  return entry;
};

const yearOf = (n: number): number => new Date(n * MS_PER_DAY).getUTCFullYear();

const isWorkingDayNumber = (n: number): boolean => !isWeekend(n) && !holidaysOf(yearOf(n)).days.has(n);

/** England and Wales bank holidays observed in `year`, sorted, each once, as YYYY-MM-DD. */
export const englandAndWalesBankHolidays = (year: number): string[] => [...holidaysOf(year).list];

/** Whether `date` is a weekday that is not an England and Wales bank holiday. */
export const isWorkingDay = (date: string): boolean => isWorkingDayNumber(toDayNumber(date));

/**
 * The date `n` working days after `date`. Counting starts the day after `date`, so `date` itself
 * never counts, whether or not it is a working day: from Friday, 1 working day is the next Monday
 * (bank holidays aside), and from a Saturday it is also that Monday. `n = 0` returns `date` unchanged,
 * even when `date` is not a working day. `n` must be a non-negative integer.
 */
export const addWorkingDays = (date: string, n: number): string => {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days to add must be a non-negative integer, not ${n}`);
  let day = toDayNumber(date);
  for (let remaining = n; remaining > 0;) {
    day += 1;
    if (isWorkingDayNumber(day)) remaining -= 1;
  }
  return toIsoDate(day);
};

/**
 * The number of working days d with from < d ≤ to, so that
 * workingDaysBetween(d, addWorkingDays(d, n)) === n. 0 when `to` is on or before `from`.
 */
export const workingDaysBetween = (from: string, to: string): number => {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  if (end <= start) return 0;

  // Every run of 7 consecutive days holds exactly 5 weekdays; only the remainder needs walking.
  const span = end - start;
  let weekdays = Math.floor(span / 7) * 5;
  for (let day = end - (span % 7) + 1; day <= end; day += 1) if (!isWeekend(day)) weekdays += 1;

  let holidays = 0;
  for (let year = yearOf(start + 1); year <= yearOf(end); year += 1) {
    for (const day of holidaysOf(year).days) {
      if (day > start && day <= end && !isWeekend(day)) holidays += 1;
    }
  }
  return weekdays - holidays;
};
