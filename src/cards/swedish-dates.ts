/**
 * Dates on cards as Swedish readers write them: "3 dec. 2026" and "3 dec. 2026 08:05", in the
 * municipality's time zone. Intl formats these directly; luxon's toFormat gives the same text
 * (test/cards/swedish-dates.test.ts holds them equal over two years, DST changes included) at
 * three times the cost, and a report submit formats seven dates.
 */
import { DateTime, Info } from 'luxon';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "3 dec. 2026", or with `withTime` "3 dec. 2026 08:05". */
export function swedishDate(d: Date, timeZone: string, withTime = false): string {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter(timeZone, withTime).formatToParts(d)) p[part.type] = part.value;
  const day = `${p.day} ${p.month} ${p.year}`;
  return withTime ? `${day} ${p.hour}:${p.minute}` : day;
}

/** luxon's 'LLL' in Swedish by month ("jan.", "maj", "juni"): taken from luxon once, so the text is its text. */
const SHORT_MONTHS: readonly string[] = Object.freeze(Array.from({ length: 12 }, (_, m) => DateTime.utc(2001, m + 1, 1).setLocale('sv').toFormat('LLL')));

/**
 * Samoa and Tokelau skipped 30 Dec 2011 when they moved across the date line, the last day any
 * time zone skipped; luxon puts a skipped day on the next one (Apia's 2011-12-30 reads "31 dec.
 * 2011"), so days before this year are left to luxon. (Every IANA zone and day from 2012 to 2045
 * was compared with luxon when this was written.)
 */
const FIRST_YEAR_WITHOUT_SKIPPED_DAYS = 2012;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An ISO day ("2026-11-23") in `zone` as 'd LLL yyyy' in Swedish ("23 nov. 2026"): the text of
 * `DateTime.fromISO(day, { zone }).setLocale('sv').toFormat('d LLL yyyy')`, without its cost
 * (a quarter of a review card's rendering went to it). A day is that day in every zone since 2012, so
 * the text is built from the digits; luxon still answers what that does not cover: other ISO
 * forms, days that do not exist ("Invalid DateTime"), invalid zones, and days before 2012.
 */
export function swedishIsoDay(day: string, zone: string): string {
  return plainIsoDay(day, zone) ?? DateTime.fromISO(day, { zone }).setLocale('sv').toFormat('d LLL yyyy');
}

function plainIsoDay(day: string, zone: string): string | undefined {
  const m = ISO_DAY.exec(day);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < FIRST_YEAR_WITHOUT_SKIPPED_DAYS || month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month)) return undefined;
  if (!Info.normalizeZone(zone)?.isValid) return undefined;
  return `${date} ${SHORT_MONTHS[month - 1]} ${m[1]}`;
}
