/**
 * Calendar days as the stores keep them ('YYYY-MM-DD'): what the adapters' day ranges need, as
 * dates (no time zone: a stored day is a date).
 */

/** Before and after every stored day; the first is SQL Server's first DATE. */
export const FIRST_DAY = '0001-01-01';
export const LAST_DAY = '9999-12-31';

/** The day `days` from `day`. Date.UTC reads years 0–99 as 1900–1999: callers pass today's kind of day. */
export function isoDayFrom(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
