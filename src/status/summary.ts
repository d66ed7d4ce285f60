/**
 * The status summary as numbers: pure aggregation of what the store counted, plus the lex Sarah
 * clocks computed here with the same rules the reminders use (cases/clocks.ts), so the summary
 * and the reminders never disagree. No I/O, no clock: the caller passes `now`.
 */
import { calendarDayIn, dayClockStatus, DEFAULT_CLOCK_RULES, runningClock, runningClockDueDay, type ClockFacts, type ClockKind, type ClockRules, type WorkingDays } from '../cases/clocks';
import { ITEM_TYPE_TITLES, rulesAt, type CaseworkItemType } from '../casework/rules';
import type { ReviewRecord } from '../cases/case';
import { compareDeadlines, lexSarahWeight, type DeadlineWeight } from '../cases/deadline-rank';
import type { StatusCounts, UnitCount, UnreachablePerson } from '../store/status';
import type { ReportState } from '../reports/report';
import type { UnitInfo } from '../org/directory';
import { reviewWeekCounts } from '../review/epoch';

export type OpenState = Exclude<ReportState, 'avslutad'>;
export const OPEN_STATES: readonly OpenState[] = ['rapporterad', 'under-utredning', 'bedomd', 'anmald'];

/**
 * How a unit's weekly review of the reference week stands. `ej-startad`: it fell due before the
 * unit's reviews started (see SummaryInput.remindersStartedAt) and was not done: not counted as missed.
 */
export type ReviewState = 'klar' | 'ej-klar' | 'ej-aktuell' | 'ej-startad';

export interface UnitStatus {
  unitId: string;
  unitName: string;
  /** Reports created in the period. */
  newReports: number;
  /** Reports not closed, now, by state. */
  byState: Record<OpenState, number>;
  openTotal: number;
  /** Open cases without a decision on the seriousness yet (rapporterad + under utredning). */
  assessmentsPending: number;
  /** Of those, the ones past the local deadline for the assessment (counted from receipt, in working days). */
  assessmentsOverdue: number;
  /** Decided serious, anmälan not yet filed, local deadline not passed. */
  anmalanDue: number;
  /** Decided serious, anmälan not filed, local deadline passed. */
  anmalanOverdue: number;
  /** Anmälningar filed with IVO on a day of the period. */
  filed: number;
  /** Anmäld, investigation not attached and not sent, two-month deadline not passed. */
  investigationsDue: number;
  /** Anmäld, investigation not at IVO two months after the anmälan. */
  investigationsOverdue: number;
  /**
   * To be investigated to the end and closed (the decision needs no anmälan, or the investigation
   * is at IVO), the local deadline not passed.
   */
  closingDue: number;
  /** The same, past the local deadline for closing (local policy: the law gives no number). */
  closingOverdue: number;
  /** Lex Sarah clocks within the reminder window (not passed). */
  lexSarahApproaching: number;
  caseworkOverdue: number;
  caseworkApproaching: number;
  /** Open casework items whose deadline cannot be computed from the export: counted, never left out. */
  caseworkUnjudgeable: number;
  /**
   * The reference week, and the earlier weeks: `countedBefore` of them (the most recent ones) are
   * since the unit's reviews started, `doneBefore` of those were done.
   */
  review: { thisWeek: ReviewState; doneBefore: number; countedBefore: number };
  /** Everything past a deadline: assessment, anmälan, investigation, closing and casework. */
  overdue: number;
  /** Everything within its warning window. */
  approaching: number;
}

export interface LateCase {
  reference: string;
  unitId: string;
  clock: ClockKind;
  state: 'forsenad' | 'narmar-sig';
  /** Calendar days to the deadline (negative when passed). */
  daysLeft: number;
  /** The deadline's day (ISO). */
  due: string;
  /** What hangs on it: an overdue anmälan outranks an overdue local-policy closing (src/cases/deadline-rank.ts). */
  weight: DeadlineWeight;
}

export interface StatusSummary {
  units: UnitStatus[];
  totals: Omit<UnitStatus, 'unitId' | 'unitName' | 'review'> & {
    reviewsDone: number;
    reviewsNotDone: number;
    reviewsNotYetDue: number;
    /** Units whose reference week fell due before their reviews started (and was not done). */
    reviewsBeforeStart: number;
    reviewsDoneBefore: number;
    /** Unit-weeks before the reference week that count (the rest were before the start). */
    reviewsCountedBefore: number;
  };
  /** Casework items overdue/approaching per type, over the scope (types with neither are left out). */
  caseworkByType: { type: string; title: string; basis: string; overdue: number; approaching: number }[];
  /** Open investigations that were closed and reopened under the same reference (JO and IVO criticise restarting the clock). */
  caseworkReopened: number;
  /**
   * Lex Sarah cases past or near a deadline, most pressing first (compareDeadlines: overdue by law
   * before overdue by local policy, then the approaching; each by due day). References only. At
   * most LATE_CASES_LISTED of the closing clock and as many of the others: lateCount counts them all.
   */
  lateCases: LateCase[];
  /** Every late case, and of those the closing clock's (counted on their own row, listed last on the card). */
  lateCount: { all: number; closing: number };
  /** The reference week and the earlier weeks counted for the reviews. */
  reviewWeeks: { current: string; before: readonly string[] };
  unreachable: { people: UnreachablePerson[]; total: number };
  /** Pattern alerts of the scope (src/patterns): fired in the period, and waiting for a decision (whenever fired). */
  patternAlerts?: { inPeriod: number; undecided: number };
}

/** Late cases a summary lists, of the closing clock and of the others each: more than a card shows (LATE_CASES_SHOWN). */
export const LATE_CASES_LISTED = 20;

/**
 * The scope's lex Sarah clocks, counted: per unit and running clock, and the late cases most
 * pressing first (cut as StatusSummary.lateCases). Either computed here from the open cases
 * (tallyClocks, the reference) or read from the clocks the store keeps (src/status/service.ts).
 */
export interface ClockTally {
  counts: readonly { unitId: string; clock: ClockKind; overdue: number; approaching: number; total: number }[];
  late: readonly LateCase[];
  lateCount: { all: number; closing: number };
}

/** The order of StatusSummary.lateCases. */
export function compareLate(a: LateCase, b: LateCase): number {
  return compareDeadlines({ ...a, urgency: a.state }, { ...b, urgency: b.state }) || a.reference.localeCompare(b.reference);
}

/** The tally of the open cases' clocks as the pure clock functions give it: what the stored clocks must agree with. */
export function tallyClocks(
  clockCases: readonly (ClockFacts & { reference: string; unitId: string })[],
  opts: { calendar: WorkingDays; now: Date; timeZone: string; clockRules?: ClockRules },
  limit = LATE_CASES_LISTED,
): ClockTally {
  const rules = opts.clockRules ?? DEFAULT_CLOCK_RULES;
  // By calendar day: the same answers as runningClockDue + clockStatus, fast enough for thousands of cases.
  const dayOf = calendarDayIn(opts.timeZone);
  const today = dayOf(opts.now);
  const counts = new Map<string, { unitId: string; clock: ClockKind; overdue: number; approaching: number; total: number }>();
  const late: LateCase[] = [];
  for (const c of clockCases) {
    const run = runningClock(c);
    if (!run) continue;
    const dueDay = runningClockDueDay(run, opts.calendar, dayOf, rules);
    const st = dayClockStatus(dueDay, today, rules, run.clock);
    const key = `${c.unitId}\u0000${run.clock}`;
    const n = counts.get(key) ?? { unitId: c.unitId, clock: run.clock, overdue: 0, approaching: 0, total: 0 };
    n.total++;
    if (st.state === 'forsenad') n.overdue++;
    if (st.state === 'narmar-sig') n.approaching++;
    counts.set(key, n);
    if (st.state !== 'i-tid') late.push({ reference: c.reference, unitId: c.unitId, clock: run.clock, state: st.state, daysLeft: st.daysLeft, due: dueDay, weight: lexSarahWeight(run) });
  }
  late.sort(compareLate);
  const closing = late.filter((c) => c.clock === 'avslut');
  const others = late.filter((c) => c.clock !== 'avslut');
  return {
    counts: [...counts.values()],
    late: [...others.slice(0, limit), ...closing.slice(0, limit)].sort(compareLate),
    lateCount: { all: late.length, closing: closing.length },
  };
}

export interface SummaryInput {
  units: readonly UnitInfo[];
  counts: StatusCounts;
  /**
   * The open cases (all of them: an unassessed report runs the assessment clock from receipt,
   * so a list of only the decided ones would under-count). Their clocks are tallied here
   * (tallyClocks) unless `clockTally` is given.
   */
  clockCases?: readonly (ClockFacts & { reference: string; unitId: string })[];
  /** The clocks already tallied (from the store's stored clocks): `clockCases` is then not read. */
  clockTally?: ClockTally;
  /** Working days for the assessment clock (review/calendar.ts). */
  calendar: WorkingDays;
  /** The reviews recorded for the units in the reference week and the weeks before it. */
  reviews: readonly ReviewRecord[];
  reviewWeeks: { current: string; before: readonly string[] };
  /** When the unit's review of the week falls due. */
  reviewDueAt: (unitId: string, weekKey: string) => Date;
  /**
   * When the review reminders started for this database (src/review/epoch.ts), undefined if they
   * never ran. A week counts from the earlier of the first week they could ask for (due at or after
   * this moment: the rule the reminders use) and the unit's first review listed: a new installation
   * is not "0 av 4" for weeks before it existed, while an earlier (or seeded) history still counts.
   */
  remindersStartedAt: Date | undefined;
  /** Each unit's first day in the organisation file (src/review/epoch.ts): its weeks before that never count. */
  unitsSeenFrom?: ReadonlyMap<string, Date>;
  unreachable: { people: UnreachablePerson[]; total: number };
  now: Date;
  timeZone: string;
  clockRules?: ClockRules;
  /** Open reopened investigations (återöppnade) per unit. */
  reopened?: readonly { unitId: string; count: number }[];
  /** Open casework items per unit whose deadline could not be computed (none stored). */
  caseworkUnjudgeable?: readonly UnitCount[];
}

const zeroStates = (): Record<OpenState, number> => ({ rapporterad: 0, 'under-utredning': 0, bedomd: 0, anmald: 0 });

export function summarise(input: SummaryInput): StatusSummary {
  const byUnit = new Map<string, UnitStatus>();
  for (const u of input.units) {
    byUnit.set(u.id, {
      unitId: u.id,
      unitName: u.name,
      newReports: 0,
      byState: zeroStates(),
      openTotal: 0,
      assessmentsPending: 0,
      assessmentsOverdue: 0,
      anmalanDue: 0,
      anmalanOverdue: 0,
      filed: 0,
      investigationsDue: 0,
      investigationsOverdue: 0,
      closingDue: 0,
      closingOverdue: 0,
      lexSarahApproaching: 0,
      caseworkOverdue: 0,
      caseworkApproaching: 0,
      caseworkUnjudgeable: 0,
      review: { thisWeek: 'ej-aktuell', doneBefore: 0, countedBefore: 0 },
      overdue: 0,
      approaching: 0,
    });
  }
  // Rows for units outside the scope (a store returning too much) are ignored, never counted.
  for (const r of input.counts.newReports) {
    const u = byUnit.get(r.unitId);
    if (u) u.newReports += r.count;
  }
  for (const r of input.counts.openByState) {
    const u = byUnit.get(r.unitId);
    if (u && r.state in u.byState) u.byState[r.state] += r.count;
  }
  for (const r of input.counts.filings) {
    const u = byUnit.get(r.unitId);
    if (u) u.filed += r.count;
  }
  for (const r of input.caseworkUnjudgeable ?? []) {
    const u = byUnit.get(r.unitId);
    if (u) u.caseworkUnjudgeable += r.count;
  }
  const byType = new Map<string, { overdue: number; approaching: number }>();
  for (const r of input.counts.casework) {
    const u = byUnit.get(r.unitId);
    if (!u) continue;
    u.caseworkOverdue += r.overdue;
    u.caseworkApproaching += r.approaching;
    const t = byType.get(r.type) ?? { overdue: 0, approaching: 0 };
    t.overdue += r.overdue;
    t.approaching += r.approaching;
    byType.set(r.type, t);
  }

  // Cases of units outside the scope (a store returning too much) are neither counted nor listed.
  const tally = input.clockTally ?? tallyClocks((input.clockCases ?? []).filter((c) => byUnit.has(c.unitId)), input);
  for (const t of tally.counts) {
    const u = byUnit.get(t.unitId);
    if (!u) continue;
    switch (t.clock) {
      case 'bedomning':
        u.assessmentsOverdue += t.overdue;
        break;
      case 'anmalan':
        u.anmalanOverdue += t.overdue;
        u.anmalanDue += t.total - t.overdue;
        break;
      case 'utredning':
        u.investigationsOverdue += t.overdue;
        u.investigationsDue += t.total - t.overdue;
        break;
      case 'avslut':
        u.closingOverdue += t.overdue;
        u.closingDue += t.total - t.overdue;
        break;
    }
    u.lexSarahApproaching += t.approaching;
  }
  const lateCases = tally.late.filter((c) => byUnit.has(c.unitId));

  const done = new Set(input.reviews.map((r) => `${r.unitId}/${r.weekKey}`));
  const counts = reviewWeekCounts(input.reviews, input.remindersStartedAt, input.unitsSeenFrom, input.reviewDueAt);
  for (const u of byUnit.values()) {
    u.openTotal = OPEN_STATES.reduce((n, s) => n + u.byState[s], 0);
    u.assessmentsPending = u.byState.rapporterad + u.byState['under-utredning'];
    u.overdue = u.assessmentsOverdue + u.anmalanOverdue + u.investigationsOverdue + u.closingOverdue + u.caseworkOverdue;
    u.approaching = u.lexSarahApproaching + u.caseworkApproaching;
    const current = input.reviewWeeks.current;
    u.review = {
      thisWeek: done.has(`${u.unitId}/${current}`)
        ? 'klar'
        : input.reviewDueAt(u.unitId, current) > input.now
          ? 'ej-aktuell'
          : counts(u.unitId, current)
            ? 'ej-klar'
            : 'ej-startad',
      doneBefore: input.reviewWeeks.before.filter((w) => done.has(`${u.unitId}/${w}`)).length,
      // Later weeks count whenever an earlier one does, so the counted ones are the most recent.
      countedBefore: input.reviewWeeks.before.filter((w) => counts(u.unitId, w)).length,
    };
  }

  const units = [...byUnit.values()];
  const sum = (f: (u: UnitStatus) => number) => units.reduce((n, u) => n + f(u), 0);
  const byState = zeroStates();
  for (const s of OPEN_STATES) byState[s] = sum((u) => u.byState[s]);
  return {
    units,
    totals: {
      newReports: sum((u) => u.newReports),
      byState,
      openTotal: sum((u) => u.openTotal),
      assessmentsPending: sum((u) => u.assessmentsPending),
      assessmentsOverdue: sum((u) => u.assessmentsOverdue),
      anmalanDue: sum((u) => u.anmalanDue),
      anmalanOverdue: sum((u) => u.anmalanOverdue),
      filed: sum((u) => u.filed),
      investigationsDue: sum((u) => u.investigationsDue),
      investigationsOverdue: sum((u) => u.investigationsOverdue),
      closingDue: sum((u) => u.closingDue),
      closingOverdue: sum((u) => u.closingOverdue),
      lexSarahApproaching: sum((u) => u.lexSarahApproaching),
      caseworkOverdue: sum((u) => u.caseworkOverdue),
      caseworkApproaching: sum((u) => u.caseworkApproaching),
      caseworkUnjudgeable: sum((u) => u.caseworkUnjudgeable),
      overdue: sum((u) => u.overdue),
      approaching: sum((u) => u.approaching),
      reviewsDone: units.filter((u) => u.review.thisWeek === 'klar').length,
      reviewsNotDone: units.filter((u) => u.review.thisWeek === 'ej-klar').length,
      reviewsNotYetDue: units.filter((u) => u.review.thisWeek === 'ej-aktuell').length,
      reviewsBeforeStart: units.filter((u) => u.review.thisWeek === 'ej-startad').length,
      reviewsDoneBefore: sum((u) => u.review.doneBefore),
      reviewsCountedBefore: sum((u) => u.review.countedBefore),
    },
    caseworkByType: [...byType.entries()]
      .filter(([, t]) => t.overdue + t.approaching > 0)
      .map(([type, t]) => ({ type, title: ITEM_TYPE_TITLES[type as CaseworkItemType] ?? type, basis: basisOn(type, input.now, input.timeZone), ...t }))
      .sort((a, b) => b.overdue - a.overdue || b.approaching - a.approaching || a.title.localeCompare(b.title, 'sv')),
    lateCases,
    lateCount: tally.lateCount,
    reviewWeeks: input.reviewWeeks,
    unreachable: input.unreachable,
    caseworkReopened: (input.reopened ?? []).filter((r) => input.units.some((u) => u.id === r.unitId)).reduce((n, r) => n + r.count, 0),
  };
}

/** The legal basis of a type's clocks in force on the day shown (its obligations joined). */
function basisOn(type: string, now: Date, timeZone: string): string {
  return [...new Set(rulesAt(now, undefined, timeZone).filter((r) => r.type === type).map((r) => r.basis))].join(' · ');
}
