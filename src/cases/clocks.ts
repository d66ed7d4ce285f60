/**
 * The lex Sarah clocks as pure calendar arithmetic (see docs: "The process and its clocks").
 *
 * - Anmälan till IVO: "snarast" once the decision says the missförhållande is serious. The law
 *   gives no number of days; `anmalanSlaDays` is the municipality's *local policy*.
 * - Utredningen till IVO: at the latest 2 months after the anmälan when it was not attached
 *   (SOSFS 2011:5). That is law, but laws change: the numbers live in an effective-dated list,
 *   never as literals in the callers.
 *
 * Every deadline is the end of a calendar day in the given zone (Europe/Stockholm), DST included.
 */
import { DateTime } from 'luxon';
import { addAmount, daysBetween } from '../casework/rules';

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

export interface ClockRules {
  /** *Local policy*, not law: calendar days from the decision to file the anmälan ("snarast"). */
  anmalanSlaDays: number;
  /** Law (SOSFS 2011:5): calendar months from the anmälan to send the investigation to IVO. */
  investigationToIvoMonths: number;
  /** Reminders this many calendar days before a deadline; the largest also starts "närmar sig". */
  remindBeforeDays: readonly number[];
}

export interface EffectiveClockRules {
  /** First calendar day (ISO, Europe/Stockholm) the rules apply to. */
  validFrom: string;
  rules: ClockRules;
  /** Where the numbers come from. */
  source: string;
}

/**
 * The rules over time, oldest first. Add an entry (never edit an old one) when the law or the
 * local policy changes; a deadline is computed with the rules in force on its trigger date.
 */
export const CLOCK_RULES_HISTORY: readonly EffectiveClockRules[] = [
  {
    // SOSFS 2011:5 (lex Sarah) in force since 1 July 2011.
    validFrom: '2011-07-01',
    rules: {
      anmalanSlaDays: 14, // local policy: the law only says "snarast"
      investigationToIvoMonths: 2, // SOSFS 2011:5: at the latest two months after the anmälan
      remindBeforeDays: [7, 2], // local policy
    },
    source: 'SOSFS 2011:5 (utredningen till IVO); anmälan inom 14 dagar och påminnelser: lokal rutin',
  },
];

/** The rules in force today (the newest entry). */
export const DEFAULT_CLOCK_RULES: ClockRules = newest(CLOCK_RULES_HISTORY).rules;

function newest(history: readonly EffectiveClockRules[]): EffectiveClockRules {
  const last = [...history].sort((a, b) => a.validFrom.localeCompare(b.validFrom)).at(-1);
  if (!last) throw new RangeError('clock rules: the history is empty');
  return last;
}

/** Problems with a rules object (empty when it is usable). */
export function clockRulesProblems(rules: ClockRules): string[] {
  const problems: string[] = [];
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  if (!whole(rules.anmalanSlaDays)) problems.push('anmalanSlaDays must be a whole number ≥ 0');
  if (!whole(rules.investigationToIvoMonths) || rules.investigationToIvoMonths === 0) {
    problems.push('investigationToIvoMonths must be a whole number ≥ 1');
  }
  if (!rules.remindBeforeDays.every(whole)) problems.push('remindBeforeDays must be whole numbers ≥ 0');
  return problems;
}

/**
 * The rules valid on the calendar day (in `tz`) of `date`: the entry with the latest `validFrom`
 * on or before that day. Throws when the date is before the first entry or an entry is unusable.
 */
export function clockRulesAt(
  date: Date,
  history: readonly EffectiveClockRules[] = CLOCK_RULES_HISTORY,
  tz: string = DEFAULT_TIME_ZONE,
): ClockRules {
  const day = calendarDay(date, tz).toISODate()!;
  const inForce = [...history]
    .filter((e) => e.validFrom <= day)
    .sort((a, b) => a.validFrom.localeCompare(b.validFrom))
    .at(-1);
  if (!inForce) throw new RangeError(`clock rules: none in force on ${day}`);
  const problems = clockRulesProblems(inForce.rules);
  if (problems.length > 0) throw new RangeError(`clock rules from ${inForce.validFrom}: ${problems.join('; ')}`);
  return inForce.rules;
}

/** A moment, or an ISO calendar date (read as that day in `tz`). */
export type DayInput = Date | string;

/** Start of the calendar day of `input` in `tz`. */
function calendarDay(input: DayInput, tz: string): DateTime {
  const dt =
    typeof input === 'string'
      ? DateTime.fromISO(input, { zone: tz })
      : DateTime.fromJSDate(input, { zone: tz });
  if (!dt.isValid) throw new RangeError(`clocks: invalid date or time zone (${String(input)}, ${tz}): ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.startOf('day');
}

/**
 * The local "snarast" deadline for the anmälan: the decision's calendar day + anmalanSlaDays
 * calendar days, at the end of that day (23:59:59.999 local time).
 */
export function anmalanDue(decidedAt: DayInput, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): Date {
  return calendarDay(decidedAt, tz).plus({ days: rules.anmalanSlaDays }).endOf('day').toJSDate();
}

/**
 * When the investigation must be at IVO: the anmälan's calendar day + investigationToIvoMonths
 * calendar months, at the end of that day. A day the target month lacks falls back to its last
 * day (31 Dec → 28/29 Feb; 31 Jan → 31 Mar; 30 Nov → 30 Jan).
 */
export function investigationDue(filedAt: DayInput, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): Date {
  return calendarDay(filedAt, tz).plus({ months: rules.investigationToIvoMonths }).endOf('day').toJSDate();
}

export type ClockState = 'i-tid' | 'narmar-sig' | 'forsenad';

export interface ClockStatus {
  state: ClockState;
  /** Calendar days from today to the due day (0 on the due day, negative when overdue). */
  daysLeft: number;
}

/** Calendar days from `now`'s day to `due`'s day in `tz`. */
export function calendarDaysLeft(due: Date, now: Date, tz: string = DEFAULT_TIME_ZONE): number {
  const a = calendarDay(now, tz);
  const b = calendarDay(due, tz);
  // Compare the calendar dates, not elapsed hours: a DST day is 23 or 25 hours long.
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

function warningDays(rules: ClockRules): number {
  return rules.remindBeforeDays.length > 0 ? Math.max(...rules.remindBeforeDays) : 0;
}

/**
 * Where a clock stands: 'forsenad' once `now` is past `due`; 'narmar-sig' within
 * max(remindBeforeDays) calendar days of the due day (the due day itself included); else 'i-tid'.
 * `due` is expected to be an end of day (as anmalanDue/investigationDue return), so "past due"
 * and "negative days left" coincide.
 */
export function clockStatus(due: Date, now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): ClockStatus {
  const daysLeft = calendarDaysLeft(due, now, tz);
  if (now.getTime() > due.getTime()) return { state: 'forsenad', daysLeft };
  return { state: daysLeft <= warningDays(rules) ? 'narmar-sig' : 'i-tid', daysLeft };
}

export type ReminderKind = `before-${number}` | 'overdue';

/**
 * The reminders due now for one deadline: 'before-n' for each n in remindBeforeDays once today is
 * on or after (due day − n) and the deadline has not passed; 'overdue' once it has. Largest n
 * first. The caller sends each (case, kind) once; this only computes.
 */
export function remindersDue(due: Date, now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): ReminderKind[] {
  if (now.getTime() > due.getTime()) return ['overdue'];
  const daysLeft = calendarDaysLeft(due, now, tz);
  return [...new Set(rules.remindBeforeDays)]
    .sort((a, b) => b - a)
    .filter((n) => daysLeft <= n)
    .map((n): ReminderKind => `before-${n}`);
}

// --- The same clocks by calendar day, for summaries over many cases -------------------------
// luxon costs ~0.1 ms per deadline; a status summary may hold thousands of running clocks. These
// work on 'YYYY-MM-DD' strings and agree with the functions above (test/cases/clocks.test.ts).

/** A function giving the calendar day ('YYYY-MM-DD') of an instant in `tz`; make one per batch. */
export function calendarDayIn(tz: string = DEFAULT_TIME_ZONE): (at: Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (at) => fmt.format(at);
}

/** The anmälan's last day: the decision's calendar day + anmalanSlaDays (as `anmalanDue`). */
export function anmalanDueDay(decidedDay: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return addAmount(decidedDay, { days: rules.anmalanSlaDays });
}

/** The investigation's last day at IVO: the anmälan's day + investigationToIvoMonths (as `investigationDue`). */
export function investigationDueDay(filedOn: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return addAmount(filedOn, { months: rules.investigationToIvoMonths });
}

/** `clockStatus` for a due day and today's day: the deadline is the end of the due day. */
export function dayClockStatus(dueDay: string, today: string, rules: ClockRules = DEFAULT_CLOCK_RULES): ClockStatus {
  const daysLeft = daysBetween(today, dueDay);
  return { state: daysLeft < 0 ? 'forsenad' : daysLeft <= warningDays(rules) ? 'narmar-sig' : 'i-tid', daysLeft };
}

/** The lex Sarah clock running for a case, if any: the anmälan, then the investigation at IVO. */
export type RunningClock = { clock: 'anmalan'; decidedAt: Date } | { clock: 'utredning'; filedOn: string };

/**
 * Which clock runs: the anmälan once a decision requires one, until it is filed; then, when the
 * investigation was not attached, the investigation until it has been sent. At most one at a time.
 */
export function runningClock(c: { anmalanDecidedAt?: Date; filedOn?: string; investigationAttached?: boolean; investigationSentOn?: string }): RunningClock | undefined {
  if (c.anmalanDecidedAt && !c.filedOn) return { clock: 'anmalan', decidedAt: c.anmalanDecidedAt };
  if (c.filedOn && !c.investigationAttached && !c.investigationSentOn) return { clock: 'utredning', filedOn: c.filedOn };
  return undefined;
}
