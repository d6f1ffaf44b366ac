// Calendar arithmetic on YYYY-MM-DD dates, and the instant a day ends in England.
import { AppError } from './errors.js';

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in England, as YYYY-MM-DD: declarations and allocations are dated in local time. */
export const londonDate = (now: Date): string => LONDON_DATE.format(now);

/** `date` moved by `days`; a VALIDATION error when that leaves the years the database holds (1 to 9999). */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999)
    throw new AppError(
      'VALIDATION',
      `${date} and ${days} days on falls outside the calendar (years 1 to 9999)`,
    );
  return d.toISOString().slice(0, 10);
};

/** The first instant of the day after `date` in Europe/London: when a grant "until `date`" expires. */
export const endOfLondonDay = (date: string): Date => {
  const next = addDays(date, 1);
  // London is UTC+0 or UTC+1: midnight there is 00:00 or 23:00 UTC.
  for (const hoursBehind of [0, 1]) {
    const candidate = new Date(new Date(`${next}T00:00:00Z`).getTime() - hoursBehind * 3_600_000);
    if (londonDate(candidate) === next && londonDate(new Date(candidate.getTime() - 1)) === date)
      return candidate;
  }
  return new Date(`${next}T00:00:00Z`);
};

const DATE_IN_WORDS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** A YYYY-MM-DD date as people write it: "13 January 2027". */
export const dateInWords = (date: string): string => DATE_IN_WORDS.format(new Date(`${date}T00:00:00Z`));
