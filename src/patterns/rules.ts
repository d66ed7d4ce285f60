/**
 * Pattern alerts as pure rules (issue #16). Municipalities must look at lex Sarah reports
 * together, not one by one (SOSFS 2011:9, ledningssystem: sammanställa och analysera); in the seed
 * cases the pattern was visible weeks before anyone acted (Båstad: several reports from one Barn
 * och unga unit within weeks; Älmhult: 49 delayed investigations in one unit).
 *
 * The thresholds are data (PatternRules), with defaults a lex Sarah-samordnare would accept; none
 * of them is law. Every function here works on calendar days ('YYYY-MM-DD', Europe/Stockholm) and
 * plain facts, so the same rule gives the same answer in a test table, the service and a backfill.
 *
 * "Once per pattern and period": a report rule fires when its count is reached and has not fired
 * for the same scope within its window (the fourth report of a cluster adds to the pattern, it
 * is not a new one); a weekly rule fires on the week its run of weeks reaches the length, once per
 * unbroken run.
 */
import { addAmount, daysBetween } from '../casework/rules';

/** Which rule fired. The codes are stored; never rename one. */
export type PatternRuleId = 'enhet-rapporter' | 'kategori-rapporter' | 'hant-forut' | 'forsenade-andel' | 'missade-genomgangar';

export interface CountWindow {
  /** Reports needed, this one included. */
  count: number;
  /** Calendar days, today included: 30 means today and the 29 days before. */
  windowDays: number;
}

export interface PatternRules {
  /** Several rapporter in one unit. */
  unitReports: CountWindow;
  /** Several rapporter in one category across a nämnd. */
  categoryReports: CountWindow;
  /** Several rapporter in one unit answered "Har det hänt förut? Ja". */
  repeatedBefore: CountWindow;
  /** The unit's share of overdue casework items above `share` for `weeks` weekly reviews in a row. */
  overdueShare: { share: number; minItems: number; weeks: number };
  /** Weekly reviews missed `weeks` weeks in a row. */
  missedReviews: { weeks: number };
}

/** Defaults (local policy, configurable): issue #16's "3 within 30 days", and two weeks in a row. */
export const DEFAULT_PATTERN_RULES: PatternRules = {
  unitReports: { count: 3, windowDays: 30 },
  categoryReports: { count: 3, windowDays: 30 },
  repeatedBefore: { count: 2, windowDays: 90 },
  // Above a fifth overdue, with at least five items: one late item of three is not yet a pattern.
  overdueShare: { share: 0.2, minItems: 5, weeks: 2 },
  missedReviews: { weeks: 2 },
};

/** Problems with a rules object (empty when usable), named so an operator can fix the setting. */
export function patternRulesProblems(rules: PatternRules): string[] {
  const problems: string[] = [];
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  for (const [name, w] of [['unitReports', rules.unitReports], ['categoryReports', rules.categoryReports], ['repeatedBefore', rules.repeatedBefore]] as const) {
    // One report is no pattern: a count of 1 would alert on every report.
    if (!whole(w.count, 2)) problems.push(`${name}.count must be a whole number ≥ 2`);
    if (!whole(w.windowDays, 1)) problems.push(`${name}.windowDays must be a whole number ≥ 1`);
  }
  const s = rules.overdueShare;
  if (!(Number.isFinite(s.share) && s.share >= 0 && s.share < 1)) problems.push('overdueShare.share must be a fraction from 0 up to (not including) 1');
  if (!whole(s.minItems, 1)) problems.push('overdueShare.minItems must be a whole number ≥ 1');
  if (!whole(s.weeks, 1)) problems.push('overdueShare.weeks must be a whole number ≥ 1');
  if (!whole(rules.missedReviews.weeks, 1)) problems.push('missedReviews.weeks must be a whole number ≥ 1');
  return problems;
}

/** The first calendar day of a window of `windowDays` days ending on `today` (both included). */
export function windowStart(today: string, windowDays: number): string {
  return addAmount(today, { days: -(windowDays - 1) });
}

/** Whether `day` lies in the window of `windowDays` days ending on `today`. */
export function inWindow(day: string, today: string, windowDays: number): boolean {
  const back = daysBetween(day, today);
  return back >= 0 && back < windowDays;
}

/** A report as the report rules see it: no text, only where, what and when. */
export interface ReportFact {
  reference: string;
  unitId: string;
  /** The unit's nämnd. */
  committeeId: string;
  category: string;
  /** The calendar day the report was received (its createdAt in Europe/Stockholm): the day it became known. */
  receivedOn: string;
  /** "Har det hänt förut?" answered Ja. */
  happenedBefore: boolean;
}

/** Where a pattern was seen: a unit, or a category across a nämnd. */
export type PatternScope = { kind: 'enhet'; unitId: string } | { kind: 'kategori'; committeeId: string; category: string };

/** One scope's key, stored with the alert: the same scope always gives the same key. */
export function scopeKey(scope: PatternScope): string {
  return scope.kind === 'enhet' ? `enhet:${scope.unitId}` : `kategori:${scope.committeeId}:${scope.category}`;
}

/** A rule that fired: what the card and the stored alert need, references and counts only. */
export interface PatternFinding {
  rule: PatternRuleId;
  scope: PatternScope;
  /** The period the finding belongs to: the day it fired (report rules) or the week (weekly rules). */
  period: string;
  /** How many reports or weeks make the pattern. */
  count: number;
  /** The reports in the window (oldest first) or the weeks of the run. */
  references: string[];
  /**
   * Weekly rules: an alert of the same rule and scope in a period from this one on means the run
   * was already told (the store checks it in the same transaction as the firing). '' for any alert.
   */
  toldSince?: string;
}

/** The last time each (rule, scope) fired: the day, or the week key. */
export type LastFired = (rule: PatternRuleId, scope: PatternScope) => string | undefined;

/**
 * The report rules that fire when `report` arrives, given the other reports of its nämnd received
 * within the longest window (any order; `report` itself may be among them or not). A rule fires
 * when the window ending on the report's day holds `count` matching reports and the same rule has
 * not fired for the same scope within that window, so a cluster alerts once, on its count-th report.
 * The category rule counts only rapporter of units that do not reach the unit rule themselves, from
 * two units or more: a cluster in one unit is the unit's alert, never a second one for the nämnd.
 */
export function reportPatterns(report: ReportFact, recent: readonly ReportFact[], lastFired: LastFired, rules: PatternRules = DEFAULT_PATTERN_RULES): PatternFinding[] {
  const today = report.receivedOn;
  const others = recent.filter((r) => r.reference !== report.reference);
  const all = [...others, report].sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.reference.localeCompare(b.reference));
  // A window is its first day, compared as ISO text: this runs on every report filed, over every
  // report of the nämnd in the longest window, so no date is parsed per report (was quadratic).
  const unitFrom = windowStart(today, rules.unitReports.windowDays);
  const perUnit = new Map<string, number>();
  for (const r of all) if (r.receivedOn <= today && r.receivedOn >= unitFrom) perUnit.set(r.unitId, (perUnit.get(r.unitId) ?? 0) + 1);
  // Units whose own rapporter reach the unit rule: their pattern is the unit's, already told there.
  const unitCluster = (unitId: string) => (perUnit.get(unitId) ?? 0) >= rules.unitReports.count;
  const out: PatternFinding[] = [];
  const check = (rule: PatternRuleId, scope: PatternScope, w: CountWindow, matches: (r: ReportFact) => boolean, spread = false) => {
    if (!matches(report)) return;
    const from = windowStart(today, w.windowDays);
    const within = all.filter((r) => matches(r) && r.receivedOn <= today && r.receivedOn >= from);
    // The nämnd-wide rule counts only what no unit rule covers, from two units or more: one
    // cluster never makes two alerts.
    const hits = spread ? within.filter((r) => !unitCluster(r.unitId)) : within;
    if (hits.length < w.count) return;
    if (spread && new Set(hits.map((r) => r.unitId)).size < 2) return;
    const last = lastFired(rule, scope);
    if (last !== undefined && inWindow(last, today, w.windowDays)) return;
    out.push({ rule, scope, period: today, count: hits.length, references: hits.map((r) => r.reference) });
  };
  const unit: PatternScope = { kind: 'enhet', unitId: report.unitId };
  check('enhet-rapporter', unit, rules.unitReports, (r) => r.unitId === report.unitId);
  check('kategori-rapporter', { kind: 'kategori', committeeId: report.committeeId, category: report.category }, rules.categoryReports, (r) => r.committeeId === report.committeeId && r.category === report.category, true);
  check('hant-forut', unit, rules.repeatedBefore, (r) => r.unitId === report.unitId && r.happenedBefore);
  return out;
}

/** Whether a rule is judged per week (its period a week key) rather than per rapport (a day). */
export function isWeeklyRule(rule: PatternRuleId): boolean {
  return rule === 'forsenade-andel' || rule === 'missade-genomgangar';
}

/** One unit's weekly review, as the weekly rules see it. */
export interface ReviewWeek {
  weekKey: string;
  /** Whether the review of that week was recorded as done. */
  done: boolean;
  /** Open casework items of the unit on the review's day, and how many of them were overdue. */
  items: number;
  overdue: number;
}

/** Whether a week's overdue share is above the rule (with enough items to mean something). */
export function overdueShareAbove(week: ReviewWeek, rule: PatternRules['overdueShare']): boolean {
  return week.items >= rule.minItems && week.overdue / week.items > rule.share;
}

/** Length of the run of weeks ending with the last one that satisfy `p`. */
function runLength(weeks: readonly ReviewWeek[], p: (w: ReviewWeek) => boolean): number {
  let n = 0;
  for (let i = weeks.length - 1; i >= 0 && p(weeks[i]!); i--) n++;
  return n;
}

/**
 * The weekly rules that fire for one unit after its latest week (`weeks` consecutive, oldest
 * first, the latest last). A rule fires once per run of weeks that reaches its length: on the week
 * it does, or later if that week's alert never went out (the rules were switched on, or the bot was
 * down, while the run was under way). `lastFired` gives the latest week each rule fired for the
 * unit: a run is told when that is on or after the week the run reached its length. A run that
 * fills all of `weeks` began before them: it counts as told if the rule ever fired for the unit (the
 * history given must be longer than any run one wants told twice: the app gives half a year).
 */
export function weeklyPatterns(unitId: string, weeks: readonly ReviewWeek[], rules: PatternRules = DEFAULT_PATTERN_RULES, lastFired: LastFired = () => undefined): PatternFinding[] {
  const latest = weeks.at(-1);
  if (!latest) return [];
  const out: PatternFinding[] = [];
  const scope: PatternScope = { kind: 'enhet', unitId };
  const fire = (rule: PatternRuleId, need: number, p: (w: ReviewWeek) => boolean) => {
    const run = runLength(weeks, p);
    if (run < need) return;
    const filled = run === weeks.length;
    const reached = weeks[weeks.length - run + need - 1]!.weekKey;
    const last = lastFired(rule, scope);
    if (last !== undefined && (filled || last >= reached)) return;
    out.push({ rule, scope, period: latest.weekKey, count: run, references: weeks.slice(-run).map((w) => w.weekKey), toldSince: filled ? '' : reached });
  };
  fire('forsenade-andel', rules.overdueShare.weeks, (w) => overdueShareAbove(w, rules.overdueShare));
  fire('missade-genomgangar', rules.missedReviews.weeks, (w) => !w.done);
  return out;
}
