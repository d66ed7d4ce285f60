/**
 * The Swedish working-day calendar for review schedules and reminders (see docs: "Working days").
 *
 * - Saturdays and Sundays are not working days.
 * - Public holidays come from `date-holidays` (country SE), holidays of type `public` only. That
 *   leaves out e.g. annandag pingst (a public holiday until 2005, now an observance), skärtorsdagen
 *   and trettondagsafton: those are working days.
 * - Julafton (24 Dec), midsommarafton (the Friday before midsommardagen) and nyårsafton (31 Dec)
 *   are not public holidays in law, but municipal offices are closed: with `deFactoHolidays`
 *   (the default) they are not working days either. Set it to false for the strict legal view.
 *
 * Days are ISO calendar dates (`YYYY-MM-DD`) in the calendar's zone, so nothing here depends on
 * the machine's zone or on DST; `dateOf` turns an instant into such a date. Each instance keeps
 * its own per-year cache: there is no module-level state.
 */
import Holidays from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

export interface WorkingCalendarOptions {
  /** IANA zone the calendar's dates are local to. Default Europe/Stockholm. */
  timeZone?: string;
  /** Treat julafton, midsommarafton and nyårsafton as non-working days. Default true. */
  deFactoHolidays?: boolean;
}

/** How far the day-by-day search may go before giving up: no real calendar gets near it. */
const MAX_STEPS = 366;

/** Entries kept by each of the calendar's memos: ten years of days for a handful of clock lengths. */
const MEMO_MAX = 20_000;

/** `memo`'s answer for `key`, computed once; a full memo is cleared (a thrown error is not kept). */
function remembered(memo: Map<string, string>, key: string, compute: () => string): string {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, value);
  return value;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class WorkingCalendar {
  readonly timeZone: string;
  readonly deFactoHolidays: boolean;
  private readonly holidays: Holidays;
  /** year → (ISO date → Swedish name) of the days that are holidays in this calendar. */
  private readonly byYear = new Map<number, ReadonlyMap<string, string>>();
  /**
   * "day|n" → addWorkingDays(day, n). A status summary asks it for every unassessed case (31,000
   * in the bench municipality) and the walk costs luxon work per day, but the cases share a few
   * hundred receipt days. Bounded: cleared when full, as a long-running process meets new days.
   */
  private readonly added = new Map<string, string>();
  /** day → nextWorkingDay(day), for the same reason and bounded the same way. */
  private readonly nextOf = new Map<string, string>();

  constructor(options: WorkingCalendarOptions = {}) {
    const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`working calendar: unknown time zone "${timeZone}"`);
    this.timeZone = timeZone;
    this.deFactoHolidays = options.deFactoHolidays ?? true;
    this.holidays = new Holidays('SE', { languages: ['sv'], timezone: timeZone });
  }

  /** False on Saturdays, Sundays, public holidays and (when enabled) the de facto holidays. */
  isWorkingDay(isoDate: string): boolean {
    const day = parseDate(isoDate);
    if (day.weekday >= 6) return false;
    return !this.holidaysOf(day.year).has(isoDate);
  }

  /** The holiday that makes the day non-working, in Swedish (e.g. "annandag påsk"), or undefined. */
  holidayName(isoDate: string): string | undefined {
    const day = parseDate(isoDate);
    return this.holidaysOf(day.year).get(isoDate);
  }

  /** The day itself when it is a working day, otherwise the first working day after it. */
  nextWorkingDay(isoDate: string): string {
    return remembered(this.nextOf, isoDate, () => this.walkToWorkingDay(isoDate));
  }

  private walkToWorkingDay(isoDate: string): string {
    let day = parseDate(isoDate);
    for (let step = 0; step <= MAX_STEPS; step++) {
      const iso = toIso(day);
      if (this.isWorkingDay(iso)) return iso;
      day = day.plus({ days: 1 });
    }
    throw new RangeError(`working calendar: no working day within ${MAX_STEPS} days of ${isoDate}`);
  }

  /**
   * The n-th working day after `isoDate` (n > 0), counting only days strictly after it; the n-th
   * working day before it for n < 0. n = 0 gives `nextWorkingDay(isoDate)`.
   * Example: addWorkingDays('2026-04-02', 1) is Tuesday 2026-04-07 (Easter lies between).
   */
  addWorkingDays(isoDate: string, n: number): string {
    return remembered(this.added, `${isoDate}|${n}`, () => this.walkWorkingDays(isoDate, n));
  }

  private walkWorkingDays(isoDate: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`working calendar: ${n} is not a whole number of working days`);
    if (n === 0) return this.nextWorkingDay(isoDate);
    const direction = n > 0 ? 1 : -1;
    let left = Math.abs(n);
    let day = parseDate(isoDate);
    for (let step = 0; step <= MAX_STEPS * Math.max(1, left); step++) {
      day = day.plus({ days: direction });
      const iso = toIso(day);
      if (this.isWorkingDay(iso) && --left === 0) return iso;
    }
    throw new RangeError(`working calendar: cannot add ${n} working days to ${isoDate}`);
  }

  /** The local calendar date (in this calendar's zone) of an instant. */
  dateOf(instant: Date): string {
    const local = DateTime.fromJSDate(instant, { zone: this.timeZone });
    if (!local.isValid) throw new RangeError('working calendar: invalid instant');
    return toIso(local);
  }

  private holidaysOf(year: number): ReadonlyMap<string, string> {
    const cached = this.byYear.get(year);
    if (cached) return cached;
    const all = this.holidays.getHolidays(year, 'sv');
    const days = new Map<string, string>();
    const add = (date: string, name: string) => {
      const existing = days.get(date);
      if (existing === undefined) days.set(date, name);
      else if (!existing.split(' / ').includes(name)) days.set(date, `${existing} / ${name}`);
    };
    for (const holiday of all) {
      if (holiday.type === 'public') add(holiday.date.slice(0, 10), holiday.name);
    }
    if (this.deFactoHolidays) {
      const listedName = (date: string, fallback: string) =>
        all.find((h) => h.date.slice(0, 10) === date)?.name ?? fallback;
      const christmasEve = `${year}-12-24`;
      add(christmasEve, listedName(christmasEve, 'julafton'));
      const midsummerEve = midsummerEveOf(year, all);
      add(midsummerEve, listedName(midsummerEve, 'midsommarafton'));
      const newYearsEve = `${year}-12-31`;
      add(newYearsEve, listedName(newYearsEve, 'nyårsafton'));
    }
    this.byYear.set(year, days);
    return days;
  }
}

/**
 * Midsommarafton: as date-holidays lists it (any type), else the day before its midsommardagen,
 * else computed: the Friday between 19 and 25 June (midsommardagen is the Saturday 20–26 June).
 */
function midsummerEveOf(year: number, all: readonly { date: string; name: string }[]): string {
  const named = (name: string) => all.find((h) => h.name.toLowerCase() === name)?.date.slice(0, 10);
  const eve = named('midsommarafton');
  if (eve) return eve;
  const day = named('midsommardagen');
  if (day) return toIso(parseDate(day).minus({ days: 1 }));
  return computeMidsummerEve(year);
}

/** Midsommarafton by the rule: the Friday between 19 and 25 June. */
export function computeMidsummerEve(year: number): string {
  const june19 = DateTime.fromObject({ year, month: 6, day: 19 }, { zone: 'utc' });
  return toIso(june19.plus({ days: (5 - june19.weekday + 7) % 7 }));
}

/** A calendar date as a zone-free (UTC) luxon value, so day arithmetic never meets DST. */
function parseDate(isoDate: string): DateTime {
  const match = ISO_DATE.exec(isoDate);
  const day = match ? DateTime.fromISO(isoDate, { zone: 'utc' }) : undefined;
  if (!day?.isValid) throw new RangeError(`working calendar: "${isoDate}" is not a date (YYYY-MM-DD)`);
  return day;
}

function toIso(day: DateTime): string {
  return day.toFormat('yyyy-MM-dd');
}
