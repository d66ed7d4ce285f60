/**
 * When the weekly review of open investigations is due, and what should have been sent when it
 * has not been done. Pure functions: the caller passes the instant ("now") and a WorkingCalendar.
 *
 * A review belongs to an ISO week (week-year + week number, key `2026-W48`, shown to users as
 * "Veckogenomgång v.48"). All times are local to Europe/Stockholm (DST included); every instant
 * is computed with luxon from the local date and time, never with a fixed offset, so 09:00 is
 * 08:00Z in winter (CET) and 07:00Z in summer (CEST).
 *
 * The timeline of one review (D = the due day, "schedule time" = the unit's `time`, e.g. 09:00):
 * - **due** (`reviewDueAt`): the schedule's weekday of that ISO week at the schedule time; if that
 *   day is not a working day, the next working day at the same local time. (A day moved past
 *   Sunday lands in the following ISO week but still belongs to, and is named after, its own week.)
 * - **second reminder** (`secondReminderAt`): the review is still not done by the end of the next
 *   working day after D. The reminder goes out when the working day after that one starts, taken
 *   as the schedule time: `addWorkingDays(D, 2)` at the schedule time. Never at night, at a
 *   weekend or on a holiday. Example: due Monday 09:00 → next working day Tuesday → reminder
 *   Wednesday 09:00.
 * - **escalation** (`escalationAt`, to the nämnd's chef): still not done by the end of the N-th
 *   working day after D (N = `escalationWorkingDays`, default 3, local policy). It goes out at the
 *   schedule time of the following working day: `addWorkingDays(D, N + 1)` at the schedule time.
 *   Example: due Monday 09:00, N = 3 → end of Thursday → escalation Friday 09:00. With N = 1 it
 *   coincides with the second reminder and the escalation wins.
 *
 * Schedule times are meant for office hours. A local time that does not exist on the day (the
 * spring-forward hour) is moved forward by luxon; that can only happen on a Sunday in Sweden,
 * which is never a working day.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, type WorkingCalendar } from './calendar';

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ReviewSchedule {
  /** ISO weekday, 1 = måndag … 7 = söndag. */
  weekday: IsoWeekday;
  /** Local time, 'HH:mm' (24-hour). */
  time: string;
}

export const DEFAULT_REVIEW_SCHEDULE: Readonly<ReviewSchedule> = Object.freeze({ weekday: 1, time: '09:00' });

/** *Local policy*: working days after the due day before the nämnd's chef is told. */
export const DEFAULT_ESCALATION_WORKING_DAYS = 3;

/** Swedish weekday names, index + 1 = ISO weekday. */
export const WEEKDAY_NAMES = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'] as const;

/** Name → ISO weekday, with the names also accepted without å/ö (e.g. "lordag"). */
const WEEKDAY_BY_NAME = new Map<string, IsoWeekday>(
  WEEKDAY_NAMES.flatMap((name, i) => {
    const weekday = (i + 1) as IsoWeekday;
    const plain = name.replace('å', 'a').replace('ö', 'o');
    return [
      [name, weekday],
      [plain, weekday],
    ] as [string, IsoWeekday][];
  }),
);

const weekdaySchema = z.union(
  [
    z
      .number()
      .int()
      .min(1)
      .max(7)
      .transform((n) => n as IsoWeekday),
    z.string().transform((s, ctx) => {
      const text = s.trim().toLowerCase();
      const weekday = WEEKDAY_BY_NAME.get(text) ?? (/^[1-7]$/.test(text) ? (Number(text) as IsoWeekday) : undefined);
      if (weekday === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a weekday: ${WEEKDAY_NAMES.join(', ')} or 1–7` });
        return z.NEVER;
      }
      return weekday;
    }),
  ],
  { errorMap: () => ({ message: `must be a weekday: ${WEEKDAY_NAMES.join(', ')} or 1–7 (1 = måndag)` }) },
);

const timeSchema = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:mm, e.g. "09:00" (quote it in YAML)')
  .transform((s) => s.padStart(5, '0'));

/**
 * The per-unit override in the organisation file, e.g. `review: { weekday: tisdag, time: "13:00" }`.
 * Both fields are optional; what is left out comes from the default (see `resolveReviewSchedule`).
 */
export const reviewScheduleOverrideSchema = z
  .object({
    weekday: weekdaySchema.optional(),
    time: timeSchema.optional(),
  })
  .strict();
export type ReviewScheduleOverride = z.infer<typeof reviewScheduleOverrideSchema>;

/** A unit's schedule: its override on top of the default (Monday 09:00). */
export function resolveReviewSchedule(
  override: ReviewScheduleOverride | undefined,
  base: ReviewSchedule = DEFAULT_REVIEW_SCHEDULE,
): ReviewSchedule {
  return { weekday: override?.weekday ?? base.weekday, time: override?.time ?? base.time };
}

export interface ReviewWeek {
  weekYear: number;
  week: number;
  /** e.g. '2026-W48' */
  key: string;
}

/** The ISO week an instant falls in, by the local calendar of `tz` (Europe/Stockholm). */
export function reviewWeekOf(instant: Date, tz: string = DEFAULT_TIME_ZONE): ReviewWeek {
  const local = DateTime.fromJSDate(instant, { zone: checkZone(tz) });
  if (!local.isValid) throw new RangeError('review week: invalid instant');
  return week(local.weekYear, local.weekNumber);
}

/** Parses '2026-W48'; refuses weeks the year does not have (e.g. '2027-W53'). */
export function parseWeekKey(key: string): ReviewWeek {
  const match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (match) {
    const weekYear = Number(match[1]);
    const weekNumber = Number(match[2]);
    const monday = DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: 'utc' });
    if (monday.isValid && monday.weekYear === weekYear && monday.weekNumber === weekNumber) {
      return week(weekYear, weekNumber);
    }
  }
  throw new RangeError(`review week: "${key}" is not an ISO week (YYYY-Www) that exists`);
}

/** The title users see: "Veckogenomgång v.48". */
export function reviewTitle(weekKey: string): string {
  return `Veckogenomgång v.${parseWeekKey(weekKey).week}`;
}

export interface ReviewTimeline {
  week: ReviewWeek;
  /** The local date (YYYY-MM-DD) the review is due, after moving past non-working days. */
  dueDate: string;
  dueAt: Date;
  secondReminderAt: Date;
  escalationAt: Date;
}

export interface ReviewTimingOptions {
  /** Working days after the due day before escalation; default 3 (local policy). */
  escalationWorkingDays?: number;
  /** Zone of the schedule; default the calendar's zone. */
  timeZone?: string;
}

/** The whole timeline of one week's review (see the module comment for each instant). */
export function reviewTimeline(
  weekKey: string,
  schedule: ReviewSchedule,
  calendar: WorkingCalendar,
  options: ReviewTimingOptions = {},
): ReviewTimeline {
  const tz = checkZone(options.timeZone ?? calendar.timeZone);
  const escalationDays = options.escalationWorkingDays ?? DEFAULT_ESCALATION_WORKING_DAYS;
  if (!Number.isInteger(escalationDays) || escalationDays < 1) {
    throw new RangeError(`review schedule: escalation needs a whole number of working days ≥ 1, not ${escalationDays}`);
  }
  const { weekday, time } = checkSchedule(schedule);
  const reviewWeek = parseWeekKey(weekKey);
  const scheduledDay = DateTime.fromObject(
    { weekYear: reviewWeek.weekYear, weekNumber: reviewWeek.week, weekday },
    { zone: 'utc' },
  ).toFormat('yyyy-MM-dd');
  const dueDate = calendar.nextWorkingDay(scheduledDay);
  return {
    week: reviewWeek,
    dueDate,
    dueAt: localInstant(dueDate, time, tz),
    secondReminderAt: localInstant(calendar.addWorkingDays(dueDate, 2), time, tz),
    escalationAt: localInstant(calendar.addWorkingDays(dueDate, escalationDays + 1), time, tz),
  };
}

/** When the review of the ISO week is due (moved to the next working day when needed). */
export function reviewDueAt(weekKey: string, schedule: ReviewSchedule, calendar: WorkingCalendar, tz?: string): Date {
  return reviewTimeline(weekKey, schedule, calendar, zoneOption(tz)).dueAt;
}

/**
 * reviewDueAt, remembered per (schedule, week) for one pass over many units (a summary, a sweep),
 * or for a service's lifetime with `max` (forgotten all at once past that many weeks remembered):
 * units share a handful of schedules, each its own object, so they are told apart by value.
 */
export function reviewDueMemo(calendar: WorkingCalendar, tz?: string, max = Infinity): (schedule: ReviewSchedule, weekKey: string) => Date {
  const dues = new Map<string, Map<string, Date>>();
  let size = 0;
  const weeksOf = (id: string) => dues.get(id) ?? dues.set(id, new Map()).get(id)!;
  return (schedule, weekKey) => {
    const id = JSON.stringify(schedule);
    const known = dues.get(id)?.get(weekKey);
    if (known) return known;
    const at = reviewDueAt(weekKey, schedule, calendar, tz);
    if (size >= max) {
      dues.clear();
      size = 0;
    }
    weeksOf(id).set(weekKey, at);
    size++;
    return at;
  };
}

/** The second reminder: the schedule time of the second working day after the due day. */
export function secondReminderAt(
  weekKey: string,
  schedule: ReviewSchedule,
  calendar: WorkingCalendar,
  tz?: string,
): Date {
  return reviewTimeline(weekKey, schedule, calendar, zoneOption(tz)).secondReminderAt;
}

/** The escalation: the schedule time of the (N + 1)-th working day after the due day. */
export function escalationAt(
  weekKey: string,
  schedule: ReviewSchedule,
  calendar: WorkingCalendar,
  workingDays: number = DEFAULT_ESCALATION_WORKING_DAYS,
  tz?: string,
): Date {
  return reviewTimeline(weekKey, schedule, calendar, { ...zoneOption(tz), escalationWorkingDays: workingDays }).escalationAt;
}

export type ReviewStage = 'not-yet' | 'due' | 'second-reminder' | 'escalate';

/**
 * What should have been sent by `now` for a review that is not done: nothing yet, the first
 * reminder ('due'), the second reminder, or the escalation. Each instant is inclusive.
 */
export function reviewStage(
  weekKey: string,
  now: Date,
  schedule: ReviewSchedule,
  calendar: WorkingCalendar,
  options: ReviewTimingOptions = {},
): ReviewStage {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('review stage: invalid instant');
  const timeline = reviewTimeline(weekKey, schedule, calendar, options);
  if (t >= timeline.escalationAt.getTime()) return 'escalate';
  if (t >= timeline.secondReminderAt.getTime()) return 'second-reminder';
  if (t >= timeline.dueAt.getTime()) return 'due';
  return 'not-yet';
}

function week(weekYear: number, weekNumber: number): ReviewWeek {
  return { weekYear, week: weekNumber, key: `${weekYear}-W${String(weekNumber).padStart(2, '0')}` };
}

function localInstant(isoDate: string, time: string, tz: string): Date {
  const local = DateTime.fromISO(`${isoDate}T${time}`, { zone: tz });
  if (!local.isValid) throw new RangeError(`review schedule: ${isoDate} ${time} is not a local time in ${tz}`);
  return local.toJSDate();
}

function checkSchedule(schedule: ReviewSchedule): ReviewSchedule {
  if (!Number.isInteger(schedule.weekday) || schedule.weekday < 1 || schedule.weekday > 7) {
    throw new RangeError(`review schedule: weekday must be 1–7, not ${schedule.weekday}`);
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(schedule.time)) {
    throw new RangeError(`review schedule: time must be HH:mm, not "${schedule.time}"`);
  }
  return schedule;
}

function checkZone(tz: string): string {
  if (!IANAZone.isValidZone(tz)) throw new RangeError(`review schedule: unknown time zone "${tz}"`);
  return tz;
}

function zoneOption(tz: string | undefined): ReviewTimingOptions {
  return tz === undefined ? {} : { timeZone: tz };
}
