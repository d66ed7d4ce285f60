/**
 * The weekly pattern rules (./rules.ts weeklyPatterns, issue #16) over the units' weekly reviews:
 * a unit whose share of overdue casework items stays above the threshold for two reviews in a row,
 * or whose review is not done two weeks in a row. Run by the app's pattern sweep (also with the
 * reminders off), every unit each time; firing is once per run of weeks (checked again by the store
 * in the firing transaction), so a sweep repeated or run by two instances tells nobody twice.
 *
 * - **Missed** means no review recorded for the week by the end of that week: a week is judged
 *   only once it has ended, and a review recorded later does not take an alert back.
 * - **The overdue share** is the one the review card showed on the week's review day. The register
 *   keeps no yesterday's deadlines, so the first sweep after a week's review was due keeps the
 *   unit's open and overdue casework counts for that week (a snapshot in the state store); a week
 *   without one (the bot was down all week) breaks a run rather than guess.
 * - **Weeks before the reviews started counting** for the unit (../review/epoch.ts, as the status
 *   summary and the sammanställning count them) break a run: a new installation is not told that
 *   every unit missed its reviews.
 * - The latest ended week is judged with HISTORY_WEEKS of weeks before it: a run already under way
 *   when the rules were switched on, or when the bot was down at a week's end, is told late, once.
 */
import { DateTime } from 'luxon';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { WorkingCalendar } from '../review/calendar';
import { reviewRemindersStartedAt, unitsSeenFrom } from '../review/epoch';
import { DEFAULT_REVIEW_SCHEDULE, reviewDueAt, reviewWeekOf, type ReviewSchedule } from '../review/schedule';
import type { Store } from '../store/store';
import { DEFAULT_PATTERN_RULES, scopeKey, weeklyPatterns, type PatternFinding, type PatternRuleId, type PatternRules, type ReviewWeek } from './rules';

/** Weeks of history a run is read over (./rules.ts weeklyPatterns: a longer run counts as told if the rule ever fired). */
export const HISTORY_WEEKS = 26;
const SNAPSHOT_PREFIX = 'pattern-weekly/casework/';
const snapshotKey = (unitId: string, weekKey: string) => `${SNAPSHOT_PREFIX}${unitId}/${weekKey}`;

/** A unit's open casework items as its review card showed them, and how many were overdue. */
export interface CaseworkSnapshot {
  items: number;
  overdue: number;
}

export interface WeeklyPatternDeps {
  store: Store;
  directory: () => Directory;
  calendar: WorkingCalendar;
  timeZone: string;
  logger: Logger;
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
  rules?: PatternRules;
  /** The unit's open casework items and the overdue ones, as the review card counts them now. */
  caseworkNow: (unitId: string) => Promise<CaseworkSnapshot>;
  /** Fires one finding for the unit (the pattern service: stored alert and cards in one transaction); undefined when already told. */
  fire: (finding: PatternFinding, unit: { id: string; committeeId: string }) => Promise<unknown>;
}

function parseSnapshot(value: string | undefined): CaseworkSnapshot | undefined {
  if (value === undefined) return undefined;
  try {
    const s = JSON.parse(value) as Partial<CaseworkSnapshot>;
    return Number.isSafeInteger(s.items) && Number.isSafeInteger(s.overdue) ? { items: s.items!, overdue: s.overdue! } : undefined;
  } catch {
    return undefined;
  }
}

export class WeeklyPatterns {
  private readonly rules: PatternRules;

  constructor(private readonly deps: WeeklyPatternDeps) {
    this.rules = deps.rules ?? DEFAULT_PATTERN_RULES;
  }

  /** Keeps this week's casework counts of every unit whose review is due, then judges the ended weeks. Returns the alerts fired. */
  async sweep(now: Date): Promise<number> {
    const { store, timeZone, calendar } = this.deps;
    const units = this.deps.directory().allUnits();
    if (!units.length) return 0;
    const unitIds = units.map((u) => u.id);
    const local = DateTime.fromJSDate(now, { zone: timeZone });
    // weekKeys[0] is this week, weekKeys[i] the week i weeks back; the latest ended week is weekKeys[1].
    const weekKeys = Array.from({ length: HISTORY_WEEKS + 1 }, (_, i) => reviewWeekOf(local.minus({ weeks: i }).toJSDate(), timeZone).key);
    const dues = new Map<ReviewSchedule, Map<string, Date>>();
    const dueAt = (unitId: string, weekKey: string): Date => {
      const schedule = this.deps.scheduleFor?.(unitId) ?? DEFAULT_REVIEW_SCHEDULE;
      const weeks = dues.get(schedule) ?? dues.set(schedule, new Map()).get(schedule)!;
      let at = weeks.get(weekKey);
      if (!at) weeks.set(weekKey, (at = reviewDueAt(weekKey, schedule, calendar, timeZone)));
      return at;
    };

    const keys = unitIds.flatMap((u) => weekKeys.map((w) => snapshotKey(u, w)));
    const [stored, reviews, started, seen] = await Promise.all([
      store.state.read(keys),
      store.cases.listReviews(unitIds, weekKeys),
      reviewRemindersStartedAt(store.state),
      unitsSeenFrom(store.state, unitIds),
    ]);
    const snapshots = new Map<string, CaseworkSnapshot>();
    for (const [key, v] of stored) {
      const s = parseSnapshot(v.value);
      if (s) snapshots.set(key, s);
    }

    // This week's counts, once its review is due.
    const current = weekKeys[0]!;
    for (const u of units) {
      const key = snapshotKey(u.id, current);
      if (snapshots.has(key) || dueAt(u.id, current) > now) continue;
      try {
        const s = await this.deps.caseworkNow(u.id);
        await store.state.write([{ key, value: JSON.stringify(s) }]);
        snapshots.set(key, s);
      } catch (err) {
        this.deps.logger.error({ err, event: 'pattern-weekly-snapshot-failed', unitId: u.id, week: current }, "a unit's casework counts for the week could not be kept; the overdue-share rule skips this week");
      }
    }

    const done = new Set(reviews.map((r) => `${r.unitId}/${r.weekKey}`));
    const firstReview = new Map<string, string>();
    for (const r of reviews) {
      const first = firstReview.get(r.unitId);
      if (first === undefined || r.weekKey < first) firstReview.set(r.unitId, r.weekKey);
    }
    // As the status summary counts a week's review: from the unit's first recorded review, or when
    // it was due after the reviews started and after the unit came into the organisation file.
    const counts = (unitId: string, weekKey: string): boolean => {
      const first = firstReview.get(unitId);
      if (first !== undefined && first <= weekKey) return true;
      if (started === undefined) return false;
      const due = dueAt(unitId, weekKey);
      const since = seen.get(unitId);
      return due >= started && (since === undefined || due >= since);
    };
    const reviewWeek = (unitId: string, weekKey: string): ReviewWeek => {
      if (!counts(unitId, weekKey)) return { weekKey, done: true, items: 0, overdue: 0 };
      const s = snapshots.get(snapshotKey(unitId, weekKey));
      return { weekKey, done: done.has(`${unitId}/${weekKey}`), items: s?.items ?? 0, overdue: s?.overdue ?? 0 };
    };

    let fired = 0;
    const rules: PatternRuleId[] = ['forsenade-andel', 'missade-genomgangar'];
    for (const u of units) {
      const weeks = weekKeys.slice(1).reverse().map((w) => reviewWeek(u.id, w));
      const scope = scopeKey({ kind: 'enhet', unitId: u.id });
      const last = new Map<PatternRuleId, string | undefined>();
      for (const rule of rules) last.set(rule, await store.patterns.lastFired(rule, scope));
      for (const f of weeklyPatterns(u.id, weeks, this.rules, (rule) => last.get(rule))) {
        try {
          if (await this.deps.fire(f, { id: u.id, committeeId: u.committeeId })) fired++;
        } catch (err) {
          this.deps.logger.error({ err, event: 'pattern-weekly-fire-failed', unitId: u.id, rule: f.rule, week: f.period }, 'a weekly pattern alert could not be stored; tried again on the next sweep');
        }
      }
    }
    return fired;
  }
}
