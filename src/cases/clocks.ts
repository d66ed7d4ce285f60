/**
 * The lex Sarah clocks as pure calendar arithmetic (see docs: "The process and its clocks").
 *
 * - Bedömning: a report "ska genast dokumenteras och utredas" (SoL 27 kap. 5 §), so an unassessed
 *   report is itself a running clock from receipt. The law gives no number; the working days
 *   (`assessmentWorkingDays`, fewer for a BRÅDSKANDE report) are *local policy*.
 * - Anmälan till IVO: "snarast" once the decision says the missförhållande is serious. The law
 *   gives no number of days; `anmalanSlaDays` is the municipality's *local policy*.
 * - Utredningen till IVO: the law says the investigation "ska bifogas anmälan"; a "two months
 *   after the anmälan" rule for sending it later has no verified source, so it is *local policy /
 *   praxis* too.
 * - Avslut: once the decision needs no anmälan, or the investigation is at IVO, the case must still
 *   be investigated to the end and closed ("genast … utredas samt avhjälpas", SoL 27 kap. 5 §, no
 *   number of days): without a clock a case judged "ej allvarligt" could sit open for a year with
 *   no card turning red. `closingDays` is *local policy*.
 * The numbers live in an effective-dated list, never as literals in the callers.
 *
 * Every deadline is the end of a calendar day in the given zone (Europe/Stockholm), DST included.
 */
import { DateTime } from 'luxon';
import { plural } from '../cards/plural';
import { addAmount, daysBetween } from '../casework/rules';

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

export interface ClockRules {
  /** *Local policy*, not law: working days from receipt to the seriousness assessment (the law says "genast"). */
  assessmentWorkingDays: number;
  /** *Local policy*: the same for a BRÅDSKANDE report (someone hurt, ongoing risk, a child or vulnerable person, a crime). */
  assessmentWorkingDaysUrgent: number;
  /** *Local policy*, not law: calendar days from the decision to file the anmälan ("snarast"). */
  anmalanSlaDays: number;
  /**
   * *Local policy / praxis*, not law: calendar months from the anmälan to send an investigation
   * that was not attached (the law says it "ska bifogas anmälan"; the two months are unverified).
   */
  investigationToIvoMonths: number;
  /**
   * *Local policy*, not law: calendar days to finish the investigation and close the case, counted
   * from the decision that no anmälan is needed, or from the day the investigation reached IVO
   * (the law says "genast" and gives no number).
   */
  closingDays: number;
  /**
   * The day (ISO, Europe/Stockholm) the closing clock came into force: it never counts from an
   * earlier day. A case decided (or whose investigation reached IVO) before it sat open as the
   * product then allowed; counting it from its old decision would turn every such case red, and
   * escalate each to the chefer, on the first tick after the upgrade. Unset: no such day (a rules
   * object built for a test of the clock itself).
   */
  closingClockFrom?: string;
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

/** The day the closing clock came into force in this product (see ClockRules.closingClockFrom). */
export const CLOSING_CLOCK_FROM = '2026-12-02';

/**
 * The rules over time, oldest first. Add an entry (never edit an old one) when the law or the
 * local policy changes; a deadline is computed with the rules in force on its trigger date.
 */
export const CLOCK_RULES_HISTORY: readonly EffectiveClockRules[] = [
  {
    // SOSFS 2011:5 (lex Sarah) in force since 1 July 2011.
    validFrom: '2011-07-01',
    rules: {
      assessmentWorkingDays: 3, // local policy: the law says "genast" (SoL 27 kap. 5 §; earlier "utan dröjsmål")
      assessmentWorkingDaysUrgent: 1, // local policy, BRÅDSKANDE reports
      anmalanSlaDays: 14, // local policy: the law only says "snarast"
      investigationToIvoMonths: 2, // local policy / praxis: no verified source for "two months"
      closingDays: 30, // local policy: the law says "genast" and gives no number of days
      // The closing clock came with the version of 2 December 2026: it counts from that day at the earliest.
      closingClockFrom: CLOSING_CLOCK_FROM,
      remindBeforeDays: [7, 2], // local policy
    },
    source:
      'Lokal rutin: bedömning inom 3 arbetsdagar (1 om brådskande), anmälan inom 14 dagar, utredningen till IVO inom två månader (praxis, ej lag), ' +
      'avslut inom 30 dagar efter beslut utan anmälan eller efter att utredningen kommit till IVO (lokal rutin, ej lag), påminnelser',
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
  if (!whole(rules.assessmentWorkingDays)) problems.push('assessmentWorkingDays must be a whole number ≥ 0');
  if (!whole(rules.assessmentWorkingDaysUrgent)) problems.push('assessmentWorkingDaysUrgent must be a whole number ≥ 0');
  if (whole(rules.assessmentWorkingDays) && whole(rules.assessmentWorkingDaysUrgent) && rules.assessmentWorkingDaysUrgent > rules.assessmentWorkingDays) {
    problems.push('assessmentWorkingDaysUrgent must not exceed assessmentWorkingDays (an urgent report is never given longer)');
  }
  if (!whole(rules.anmalanSlaDays)) problems.push('anmalanSlaDays must be a whole number ≥ 0');
  if (!whole(rules.investigationToIvoMonths) || rules.investigationToIvoMonths === 0) {
    problems.push('investigationToIvoMonths must be a whole number ≥ 1');
  }
  if (!whole(rules.closingDays)) problems.push('closingDays must be a whole number ≥ 0');
  if (rules.closingClockFrom !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(rules.closingClockFrom) && DateTime.fromISO(rules.closingClockFrom).isValid)) {
    problems.push('closingClockFrom must be an ISO calendar day (YYYY-MM-DD)');
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

/**
 * When the case is to be closed: the day it counts from (the decision needing no anmälan, or the
 * day the investigation reached IVO, an ISO date; never before rules.closingClockFrom) +
 * closingDays calendar days, at the end of that day.
 */
export function closingDue(from: DayInput, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): Date {
  const day = calendarDay(from, tz);
  const start = rules.closingClockFrom !== undefined && day.toISODate()! < rules.closingClockFrom ? calendarDay(rules.closingClockFrom, tz) : day;
  return start.plus({ days: rules.closingDays }).endOf('day').toJSDate();
}

/** The day the closing clock counts from: `fromDay`, or the day the clock came into force when that is later. */
export function closingStartDay(fromDay: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return rules.closingClockFrom !== undefined && fromDay < rules.closingClockFrom ? rules.closingClockFrom : fromDay;
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

/** Which lex Sarah clock: the assessment from receipt, the anmälan, the investigation at IVO, or the closing. */
export type ClockKind = 'bedomning' | 'anmalan' | 'utredning' | 'avslut';

/**
 * Calendar days before the due day that count as "närmar sig". The assessment clock is only a
 * few working days long: a week-long window would make every report yellow from receipt, so it
 * warns from the day before its due day.
 */
export const ASSESSMENT_WARN_DAYS = 1;

/**
 * The widest warning a clock of a fixed number of calendar days may have: a day less than the
 * clock itself, so that a short local policy (CASE_CLOSING_DAYS or ANMALAN_SLA_DAYS of 7 or less)
 * neither reminds at the moment of the decision nor shows yellow from its first day. Undefined for
 * the clocks of months or working days, which are longer than any warning.
 */
function warningCap(rules: ClockRules, clock: ClockKind): number | undefined {
  const length = clock === 'anmalan' ? rules.anmalanSlaDays : clock === 'avslut' ? rules.closingDays : undefined;
  return length === undefined ? undefined : Math.max(0, length - 1);
}

/** The calendar days before its due day from which a clock counts as "närmar sig" (the due day itself is day 0). */
export function warningDays(rules: ClockRules, clock: ClockKind = 'anmalan'): number {
  if (clock === 'bedomning') return ASSESSMENT_WARN_DAYS;
  const widest = rules.remindBeforeDays.length > 0 ? Math.max(...rules.remindBeforeDays) : 0;
  const cap = warningCap(rules, clock);
  return cap === undefined ? widest : Math.min(widest, cap);
}

/**
 * Where a clock stands: 'forsenad' once `now` is past `due`; 'narmar-sig' within
 * max(remindBeforeDays) calendar days of the due day (the due day itself included; for the
 * anmälan and the closing at most a day less than the clock's own days); else 'i-tid'.
 * `due` is expected to be an end of day (as anmalanDue/investigationDue return), so "past due"
 * and "negative days left" coincide.
 */
export function clockStatus(due: Date, now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE, clock: ClockKind = 'anmalan'): ClockStatus {
  const daysLeft = calendarDaysLeft(due, now, tz);
  if (now.getTime() > due.getTime()) return { state: 'forsenad', daysLeft };
  return { state: daysLeft <= warningDays(rules, clock) ? 'narmar-sig' : 'i-tid', daysLeft };
}

export type ReminderKind = `before-${number}` | 'overdue';

/**
 * The reminders due now for one deadline: 'before-n' for each n in remindBeforeDays once today is
 * on or after (due day − n) and the deadline has not passed; 'overdue' once it has. Largest n
 * first. For the anmälan and the closing, an n that reaches back to the clock's first day (n ≥ its
 * number of days) is left out: a reminder in the minute of the decision tells nobody anything.
 * The caller sends each (case, kind) once; this only computes.
 */
export function remindersDue(due: Date, now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE, clock?: ClockKind): ReminderKind[] {
  if (now.getTime() > due.getTime()) return ['overdue'];
  const daysLeft = calendarDaysLeft(due, now, tz);
  const cap = clock && warningCap(rules, clock);
  return [...new Set(rules.remindBeforeDays)]
    .sort((a, b) => b - a)
    .filter((n) => cap === undefined || n <= cap)
    .filter((n) => daysLeft <= n)
    .map((n): ReminderKind => `before-${n}`);
}

// --- The same clocks by calendar day, for summaries over many cases -------------------------
// luxon costs ~0.1 ms per deadline; a status summary may hold thousands of running clocks. These
// work on 'YYYY-MM-DD' strings and agree with the functions above (test/cases/clocks.test.ts).

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MEMO_MAX = 4096;

/**
 * A function giving the calendar day ('YYYY-MM-DD') of an instant in `tz`; make one per batch.
 * A batch's instants mostly share a few days, so it remembers the day of each UTC quarter hour in
 * which the day does not change: today's zones change offset and date on a quarter hour, but some
 * did not (St John's changed at 00:01 until 2010; offsets of whole seconds before 1972), so a
 * quarter is remembered only when its first and last millisecond give the same day, and
 * otherwise every instant in it is formatted (test/cases/clocks.test.ts).
 */
export function calendarDayIn(tz: string = DEFAULT_TIME_ZONE): (at: Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const memo = new Map<number, string | null>();
  return (at) => {
    const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
    const known = memo.get(quarter);
    if (known) return known;
    // An invalid date throws here, every time (as Intl does): NaN is never remembered.
    const day = fmt.format(at);
    if (known === null) return day;
    const first = fmt.format(quarter * QUARTER_HOUR_MS);
    const last = fmt.format((quarter + 1) * QUARTER_HOUR_MS - 1);
    if (memo.size >= DAY_MEMO_MAX) memo.clear();
    memo.set(quarter, first === last ? day : null);
    return day;
  };
}

/** The anmälan's last day: the decision's calendar day + anmalanSlaDays (as `anmalanDue`). */
export function anmalanDueDay(decidedDay: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return addAmount(decidedDay, { days: rules.anmalanSlaDays });
}

/** The investigation's last day at IVO: the anmälan's day + investigationToIvoMonths (as `investigationDue`). */
export function investigationDueDay(filedOn: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return addAmount(filedOn, { months: rules.investigationToIvoMonths });
}

/** The case's last day to be closed: the day the closing clock counts from (closingStartDay) + closingDays (as `closingDue`). */
export function closingDueDay(fromDay: string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return addAmount(closingStartDay(fromDay, rules), { days: rules.closingDays });
}

/** `clockStatus` for a due day and today's day: the deadline is the end of the due day. */
export function dayClockStatus(dueDay: string, today: string, rules: ClockRules = DEFAULT_CLOCK_RULES, clock: ClockKind = 'anmalan'): ClockStatus {
  const daysLeft = daysBetween(today, dueDay);
  return { state: daysLeft < 0 ? 'forsenad' : daysLeft <= warningDays(rules, clock) ? 'narmar-sig' : 'i-tid', daysLeft };
}

/** Working-day arithmetic (review/calendar.ts's WorkingCalendar: Swedish public holidays, date-holidays SE). */
export interface WorkingDays {
  /** The n-th working day after `isoDate` (n > 0), before it (n < 0), or the next working day from it (n = 0). */
  addWorkingDays(isoDate: string, n: number): string;
}

/** Working days the assessment of a report may take under the local policy. */
export function assessmentWorkingDays(urgent: boolean, rules: ClockRules = DEFAULT_CLOCK_RULES): number {
  return urgent ? rules.assessmentWorkingDaysUrgent : rules.assessmentWorkingDays;
}

/**
 * The assessment's last day: the n-th working day after the day of receipt (n from the local
 * policy, fewer when urgent). A report received on a weekend or holiday counts from that day, so
 * its first working day is the next one; n = 0 means the day of receipt (or the next working day).
 */
export function assessmentDueDay(receivedDay: string, urgent: boolean, calendar: WorkingDays, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  return calendar.addWorkingDays(receivedDay, assessmentWorkingDays(urgent, rules));
}

/** `assessmentDueDay` as an instant: the end of that day in `tz`. */
export function assessmentDue(receivedAt: Date, urgent: boolean, calendar: WorkingDays, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): Date {
  const day = assessmentDueDay(calendarDay(receivedAt, tz).toISODate()!, urgent, calendar, rules);
  return calendarDay(day, tz).endOf('day').toJSDate();
}

/** The assessment clock's one reminder before its deadline: on the last working day before the due day. */
export const ASSESSMENT_REMINDER: ReminderKind = 'before-1';
/** Its place when the working day before is the day of receipt (a BRÅDSKANDE report): the due day's morning. */
export const ASSESSMENT_DUE_DAY_REMINDER: ReminderKind = 'before-0';

/**
 * The reminders due now for an unassessed report (the assessment clock, `due` from assessmentDue):
 * ASSESSMENT_REMINDER from the start of the last working day before the due day, until the
 * deadline; 'overdue' once it has passed. Working days, not calendar days: the clock is a few
 * working days long, and a reminder on a Sunday for a Monday deadline reaches nobody in time.
 * When that working day is not after the day of receipt (the report's own routing card reached the
 * same people that day; always so for a BRÅDSKANDE report under the default policy), the one
 * reminder is ASSESSMENT_DUE_DAY_REMINDER from the start of the due day instead (sent from the
 * morning: reminderSendFrom), so the first signal after the routing card is never the escalation.
 * A due day that is the day of receipt (a policy of 0 working days) has no reminder before it.
 */
export function assessmentRemindersDue(receivedAt: Date, due: Date, now: Date, calendar: WorkingDays, tz: string = DEFAULT_TIME_ZONE): ReminderKind[] {
  if (now.getTime() > due.getTime()) return ['overdue'];
  const dueDay = calendarDay(due, tz).toISODate()!;
  const received = calendarDay(receivedAt, tz).toISODate()!;
  const today = calendarDay(now, tz).toISODate()!;
  const dayBefore = calendar.addWorkingDays(dueDay, -1);
  if (dayBefore > received) return today >= dayBefore ? [ASSESSMENT_REMINDER] : [];
  return dueDay > received && today >= dueDay ? [ASSESSMENT_DUE_DAY_REMINDER] : [];
}

/** Working hours for reminders and escalations (local time, working days): [from, until), and the morning they wait for. */
export const REMINDER_HOURS = { from: 7, until: 18, morning: 8 } as const;

/**
 * When a reminder or escalation enqueued at `at` may be sent: `at` itself within working hours
 * (REMINDER_HOURS on a working day of `calendar`, in `tz`), else the next working day's morning
 * (08:00; the same day when `at` is before 07:00 on a working day). A deadline passing at midnight
 * on a Friday must not wake a chef on Saturday, and nobody acts on it before Monday anyway. Pure.
 */
export function reminderSendFrom(at: Date, calendar: WorkingDays, tz: string = DEFAULT_TIME_ZONE): Date {
  const local = DateTime.fromJSDate(at, { zone: tz });
  if (!local.isValid) throw new RangeError(`clocks: invalid date or time zone (${String(at)}, ${tz})`);
  const day = local.toISODate()!;
  const working = calendar.addWorkingDays(day, 0) === day;
  if (working && local.hour >= REMINDER_HOURS.from && local.hour < REMINDER_HOURS.until) return at;
  const sendDay = working && local.hour < REMINDER_HOURS.from ? day : calendar.addWorkingDays(day, working ? 1 : 0);
  return DateTime.fromISO(sendDay, { zone: tz }).set({ hour: REMINDER_HOURS.morning }).toJSDate();
}

/**
 * When the anmälan's "snarast" counts from, given a case's decisions (oldest first): the first
 * decision of the unbroken run of decisions requiring an anmälan that ends with the newest;
 * undefined when the newest requires none. A re-assessment that keeps it serious ("Ny bedömning")
 * does not restart the clock; taking it back (which needs a motivation) ends the run, and a later
 * serious decision starts a new one. The store lists compute the same (test/store/contract.ts).
 */
export function anmalanRunStart(decisions: readonly { requiresAnmalan: boolean; decidedAt: Date }[]): Date | undefined {
  return runStart(decisions, true);
}

/**
 * When the closing clock counts from, given a case's decisions (oldest first): the earliest
 * decision requiring no anmälan, whenever it was, if the newest requires none; undefined when the
 * newest requires one (or there is none). The duty to investigate to the end ("genast … utredas",
 * SoL 27 kap. 5 §) runs from the first time the case was judged to need no anmälan: neither a
 * re-assessment with the same outcome nor a flip to serious and back (an hour apart) buys a fresh
 * period (JO and IVO criticise restarting clocks). A serious decision taken back counts from the
 * decision taking it back only when no earlier decision needed no anmälan. The store lists compute
 * the same (test/store/contract.ts).
 */
export function noAnmalanRunStart(decisions: readonly { requiresAnmalan: boolean; decidedAt: Date }[]): Date | undefined {
  if (!decisions.length || decisions.at(-1)!.requiresAnmalan) return undefined;
  // The earliest time, as the stores' MIN(decided_at).
  return new Date(Math.min(...decisions.filter((d) => !d.requiresAnmalan).map((d) => d.decidedAt.getTime())));
}

/** The start of the run of decisions requiring an anmälan that ends with the newest, if the newest requires one. */
function runStart(decisions: readonly { requiresAnmalan: boolean; decidedAt: Date }[], requiresAnmalan: true): Date | undefined {
  const newest = decisions.at(-1);
  if (!newest || newest.requiresAnmalan !== requiresAnmalan) return undefined;
  let first = decisions.length - 1;
  while (first > 0 && decisions[first - 1]!.requiresAnmalan === requiresAnmalan) first--;
  // The earliest time, as the stores' MIN(decided_at).
  return new Date(Math.min(...decisions.slice(first).map((d) => d.decidedAt.getTime())));
}

/** The lex Sarah clock running for a case, if any. */
export type RunningClock =
  | { clock: 'bedomning'; receivedAt: Date; urgent: boolean }
  | { clock: 'anmalan'; decidedAt: Date }
  | { clock: 'utredning'; filedOn: string }
  | ClosingClock;

/** The case is to be investigated to the end and closed: since the decision that needs no anmälan, or since the investigation reached IVO. */
export type ClosingClock =
  | { clock: 'avslut'; since: 'beslut'; decidedAt: Date }
  /** `atIvoOn`: the anmälan's day when the investigation was attached to it, else the day it was sent (ISO). */
  | { clock: 'avslut'; since: 'utredning-hos-ivo'; atIvoOn: string };

/** What the clocks depend on: what the store lists about an open case. */
export interface ClockFacts {
  /** With `createdAt`: a case still without a decision (rapporterad, under utredning) runs the assessment clock. */
  state?: string;
  createdAt?: Date;
  urgent?: boolean;
  anmalanDecidedAt?: Date;
  /** Set when the decision in force requires no anmälan: the case's earliest such decision (noAnmalanRunStart). */
  noAnmalanDecidedAt?: Date;
  filedOn?: string;
  investigationAttached?: boolean;
  investigationSentOn?: string;
}

/** The states in which no decision on the seriousness has been recorded yet. */
export const UNASSESSED_STATES: readonly string[] = ['rapporterad', 'under-utredning'];

/** The state in which no clock runs any more. */
const CLOSED_STATE = 'avslutad';

/**
 * Which clock runs: the assessment from receipt until a decision is recorded; the anmälan once a
 * decision requires one, until it is filed; then, when the investigation was not attached, the
 * investigation until it has been sent; and the closing (avslut) from the day the investigation
 * is at IVO, or from a decision needing no anmälan, until the case is closed. At most one at a
 * time; none once the state is avslutad. The assessment clock needs the case's state and receipt
 * (`createdAt`); without them only the later ones can be told.
 */
export function runningClock(c: ClockFacts & { state: string; createdAt: Date }): RunningClock | undefined;
export function runningClock(c: ClockFacts & { createdAt?: undefined }): Exclude<RunningClock, { clock: 'bedomning' }> | undefined;
export function runningClock(c: ClockFacts): RunningClock | undefined;
export function runningClock(c: ClockFacts): RunningClock | undefined {
  if (c.state === CLOSED_STATE) return undefined;
  if (c.createdAt && c.state && UNASSESSED_STATES.includes(c.state)) return { clock: 'bedomning', receivedAt: c.createdAt, urgent: !!c.urgent };
  if (c.anmalanDecidedAt && !c.filedOn) return { clock: 'anmalan', decidedAt: c.anmalanDecidedAt };
  if (c.filedOn) {
    // The stores record an attached investigation as sent on the anmälan's day; either fact will do.
    const atIvoOn = c.investigationSentOn ?? (c.investigationAttached ? c.filedOn : undefined);
    return atIvoOn ? { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn } : { clock: 'utredning', filedOn: c.filedOn };
  }
  if (c.noAnmalanDecidedAt) return { clock: 'avslut', since: 'beslut', decidedAt: c.noAnmalanDecidedAt };
  return undefined;
}

/**
 * The clock running for one case as loaded (its report and its details), the same rule the store's
 * lists give the review card, the status summary and the reminders: nothing once it is closed; the
 * anmälan from the start of its serious run (anmalanRunStart), the closing from the case's earliest
 * decision needing no anmälan (noAnmalanRunStart).
 */
export function caseRunningClock(
  report: { state: string; createdAt: Date; urgent: boolean },
  details: { decisions: readonly { requiresAnmalan: boolean; decidedAt: Date }[]; filing?: { filedOn: string; investigationAttached: boolean; investigationSentOn?: string } },
): RunningClock | undefined {
  if (report.state === CLOSED_STATE) return undefined;
  const anmalanFrom = anmalanRunStart(details.decisions);
  const closingFrom = noAnmalanRunStart(details.decisions);
  const f = details.filing;
  return runningClock({
    state: report.state,
    createdAt: report.createdAt,
    urgent: report.urgent,
    ...(anmalanFrom ? { anmalanDecidedAt: anmalanFrom } : {}),
    ...(closingFrom ? { noAnmalanDecidedAt: closingFrom } : {}),
    ...(f ? { filedOn: f.filedOn, investigationAttached: f.investigationAttached } : {}),
    ...(f?.investigationSentOn ? { investigationSentOn: f.investigationSentOn } : {}),
  });
}

/** When a running clock's deadline falls (the end of its due day in `tz`). */
export function runningClockDue(run: RunningClock, calendar: WorkingDays, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): Date {
  switch (run.clock) {
    case 'bedomning':
      return assessmentDue(run.receivedAt, run.urgent, calendar, rules, tz);
    case 'anmalan':
      return anmalanDue(run.decidedAt, rules, tz);
    case 'utredning':
      return investigationDue(run.filedOn, rules, tz);
    case 'avslut':
      return closingDue(run.since === 'beslut' ? run.decidedAt : run.atIvoOn, rules, tz);
  }
}

/** A running clock's due day by calendar day (the summary's fast path); `dayOf` from `calendarDayIn`. */
export function runningClockDueDay(run: RunningClock, calendar: WorkingDays, dayOf: (at: Date) => string, rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  switch (run.clock) {
    case 'bedomning':
      return assessmentDueDay(dayOf(run.receivedAt), run.urgent, calendar, rules);
    case 'anmalan':
      return anmalanDueDay(dayOf(run.decidedAt), rules);
    case 'utredning':
      return investigationDueDay(run.filedOn, rules);
    case 'avslut':
      return closingDueDay(run.since === 'beslut' ? dayOf(run.decidedAt) : run.atIvoOn, rules);
  }
}

/** The clock's label and its local-policy note, for cards (the same words everywhere). */
export function clockLabel(run: RunningClock, rules: ClockRules = DEFAULT_CLOCK_RULES): { label: string; note: string } {
  switch (run.clock) {
    case 'bedomning': {
      const n = assessmentWorkingDays(run.urgent, rules);
      return {
        label: run.urgent ? 'Bedömning (brådskande)' : 'Bedömning',
        note: `Lokal rutin: bedömning inom ${plural(n, 'arbetsdag', 'arbetsdagar')} från rapporten${run.urgent ? ' när den är brådskande' : ''} (lagen säger att den ska utredas "genast").`,
      };
    }
    case 'anmalan':
      return { label: 'Anmälan till IVO snarast', note: `Lokal rutin: inom ${plural(rules.anmalanSlaDays, 'dag', 'dagar')} (lagen säger "snarast").` };
    case 'utredning':
      return { label: 'Utredningen till IVO', note: investigationClockNote(rules) };
    case 'avslut':
      // What is due, not an order: the card's button of that name is "Avsluta ärendet".
      return { label: 'Ärendet ska avslutas', note: closingClockNote(run, rules) };
  }
}

/** The closing clock is local policy: the law says "genast" and gives no number of days. */
export function closingClockNote(run: ClosingClock, rules: ClockRules = DEFAULT_CLOCK_RULES, tz: string = DEFAULT_TIME_ZONE): string {
  const days = plural(rules.closingDays, 'dag', 'dagar');
  const note =
    run.since === 'beslut'
      ? `Lokal rutin: utredningen klar och ärendet avslutat inom ${days} efter beslutet att ingen anmälan behövs (lagen säger "genast" och anger inget antal dagar).`
      : `Lokal rutin: ärendet avslutat inom ${days} efter att utredningen kom till IVO (lagen anger inget antal dagar).`;
  // A case from before the clock existed: its deadline is not its decision + the days, and the card says why.
  const from = run.since === 'beslut' ? calendarDay(run.decidedAt, tz).toISODate()! : run.atIvoOn;
  const start = closingStartDay(from, rules);
  return start === from ? note : `${note} Fristen räknas från ${DateTime.fromISO(start).setLocale('sv').toFormat('d LLLL yyyy')}, då den infördes.`;
}

/** The two-month clock is local policy / praxis, not law: every card that shows it says so. */
export function investigationClockNote(rules: ClockRules = DEFAULT_CLOCK_RULES): string {
  const m = rules.investigationToIvoMonths;
  const months = m === 2 ? 'två månader' : plural(m, 'månad', 'månader');
  return `Lokal rutin/praxis: inom ${months} efter anmälan (lagen säger att utredningen ska bifogas anmälan).`;
}
