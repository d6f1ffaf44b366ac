// Dates and instants of the synthetic world, relative to its as-of day. Everything that happens,
// happens before the as-of day starts in England, so on that day "active", "expired", "lifted" and
// "current" mean what they say. Date arithmetic is the hub's own.
import { addDays, endOfLondonDay, londonDate } from '@ccx/server/testing';
import type { Rng } from './random.js';

export { addDays, londonDate };
export { addMonths } from '@ccx/server/testing';
export { addWorkingDays } from '@ccx/server/testing';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** How far back the world's history reaches. */
export const HISTORY_DAYS = 3 * 365;

export type Clock = {
  asOf: string;
  /** The last full day before as-of: the latest date anything happened on. */
  lastDay: string;
  /** The first instant of the as-of day in England: everything happened before it. */
  asOfStart: number;
  /** The first day of the world's history (three years back). */
  firstDay: string;
};

export const clockFor = (asOf: string): Clock => {
  const lastDay = addDays(asOf, -1);
  return {
    asOf,
    lastDay,
    asOfStart: endOfLondonDay(lastDay).getTime(),
    firstDay: addDays(asOf, -HISTORY_DAYS),
  };
};

export const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const daysBetween = (from: string, to: string): number =>
  Math.round((dayMs(to) - dayMs(from)) / DAY_MS);

// England changes its clocks on the hour (01:00 UTC), so the date there is constant within a UTC
// hour: the hub's own conversion, once per hour seen.
const londonDays = new Map<number, string>();

/** The date in England at an instant (milliseconds since the epoch). */
export const londonDay = (ms: number): string => {
  const hour = Math.floor(ms / HOUR_MS);
  let day = londonDays.get(hour);
  if (day === undefined) {
    day = londonDate(new Date(hour * HOUR_MS));
    londonDays.set(hour, day);
  }
  return day;
};

/** A date uniformly between two dates, both included. */
export const dateBetween = (rng: Rng, from: string, to: string): string =>
  addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))));

/**
 * An instant in office hours on `date` (08:00–17:00 UTC, which is the same date in England in winter
 * and summer alike), to the millisecond.
 */
export const officeInstant = (rng: Rng, date: string): number =>
  dayMs(date) + 8 * HOUR_MS + Math.floor(rng.next() * 9 * HOUR_MS);
