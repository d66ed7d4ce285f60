/**
 * The weekly pattern rules (./rules.ts weeklyPatterns, issue #16) over the units' weekly reviews:
 * a unit whose share of overdue casework items stays above the threshold for two reviews in a row,
 * or whose review is not done two weeks in a row. Run by the app's pattern sweep (also with the
 * reminders off), every unit each time; firing is once per run of weeks (checked again by the store
 * in the firing transaction), so a sweep repeated or run by two instances tells nobody twice.
 *
 * - **Missed** means no review recorded for the week by the time it is judged: when the week has
 *   ended and a day has passed since its review fell due (a holiday can move that into the next
 *   week). A review recorded later neither takes an alert back nor splits a run. A unit with no
 *   enhetschef in the organisation file gets no reminders, and no missed-review alert either.
 * - **The overdue share** is the one the review card showed on the week's review day. The register
 *   keeps no yesterday's deadlines, so the first sweep after a week's review fell due (and before
 *   the week is judged) keeps the unit's open and overdue casework counts for that week (a snapshot
 *   in the state store); a week without one (the bot was down) breaks a run rather than guess.
 * - **Weeks before the reviews started counting** for the unit (../review/epoch.ts, as the status
 *   summary and the sammanställning count them), and weeks judged before the weekly rules first
 *   ran, break a run: a new installation, or one upgraded to this version, is not told at once that
 *   every unit missed its reviews.
 * - The latest judged week is read with HISTORY_WEEKS of weeks before it: a run under way when the
 *   bot was down at a week's end is told late, once.
 */
import { DateTime } from 'luxon';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { WorkingCalendar } from '../review/calendar';
import { ensureMoment, reviewRemindersStartedAt, reviewWeekCounts, unitsSeenFrom } from '../review/epoch';
import { DEFAULT_REVIEW_SCHEDULE, reviewDueMemo, reviewWeekOf, type ReviewSchedule } from '../review/schedule';
import type { Store } from '../store/store';
import { DEFAULT_PATTERN_RULES, scopeKey, weeklyPatterns, type PatternFinding, type PatternRuleId, type PatternRules, type ReviewWeek } from './rules';

/** Weeks of history a run is read over (./rules.ts weeklyPatterns: a longer run counts as told if the rule ever fired). */
export const HISTORY_WEEKS = 26;
/** How long after a review fell due its week may be judged, at the earliest (it is also never before the week has ended). */
const JUDGING_GRACE_MS = 24 * 3600_000;
/** When the weekly rules first ran: weeks judged before count for nothing (state key, JSON text of an ISO instant). */
export const WEEKLY_RULES_STARTED_KEY = 'pattern-weekly/started';

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

  /** Keeps the casework counts of every unit whose review is due, then judges the weeks that can be. Returns the alerts fired. */
  async sweep(now: Date): Promise<number> {
    const { store, timeZone, calendar } = this.deps;
    const dir = this.deps.directory();
    const units = dir.allUnits();
    if (!units.length) return 0;
    const unitIds = units.map((u) => u.id);
    const local = DateTime.fromJSDate(now, { zone: timeZone });
    // When the weekly rules first ran, recorded by the first sweep (one wins among instances).
    const rulesStarted = await ensureMoment(store.state, WEEKLY_RULES_STARTED_KEY, now);
    // weekKeys[0] is this week, weekKeys[i] the week i weeks back (enough for a run read from a week or two back).
    const weekKeys = Array.from({ length: HISTORY_WEEKS + 3 }, (_, i) => reviewWeekOf(local.minus({ weeks: i }).toJSDate(), timeZone).key);
    const weekEnds = new Map(weekKeys.map((w, i) => [w, local.startOf('week').minus({ weeks: i - 1 }).toJSDate()]));
    const dueOf = reviewDueMemo(calendar, timeZone);
    const dueAt = (unitId: string, weekKey: string): Date => dueOf(this.deps.scheduleFor?.(unitId) ?? DEFAULT_REVIEW_SCHEDULE, weekKey);
    // A week is judged when it has ended and a day has passed since its review was due: a review a
    // holiday moved into the next week is not missed before it is due.
    const judgedAt = (unitId: string, weekKey: string): Date => new Date(Math.max(weekEnds.get(weekKey)!.getTime(), dueAt(unitId, weekKey).getTime() + JUDGING_GRACE_MS));

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

    // The counts of each week whose review is due and that is not judged yet.
    for (const u of units) {
      for (const w of weekKeys.slice(0, 3)) {
        const key = snapshotKey(u.id, w);
        if (snapshots.has(key) || dueAt(u.id, w) > now || judgedAt(u.id, w) <= now) continue;
        try {
          const s = await this.deps.caseworkNow(u.id);
          await store.state.write([{ key, value: JSON.stringify(s) }]);
          snapshots.set(key, s);
        } catch (err) {
          this.deps.logger.error({ err, event: 'pattern-weekly-snapshot-failed', unitId: u.id, week: w }, "a unit's casework counts for the week could not be kept; the overdue-share rule skips this week");
        }
        // The counts are a unit's review computed: turns waiting meanwhile go first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }

    // Done means recorded before the week was judged: a review recorded later neither takes back an alert nor splits a run.
    const doneAt = new Map(reviews.map((r) => [`${r.unitId}/${r.weekKey}`, r.doneAt]));
    // As the status summary counts a week's review (../review/epoch.ts), and only weeks judged
    // since the weekly rules first ran (no alert burst on the day they start).
    const countsAsReviewWeek = reviewWeekCounts(reviews, started, seen, dueAt);
    const counts = (unitId: string, weekKey: string): boolean => judgedAt(unitId, weekKey) >= rulesStarted && countsAsReviewWeek(unitId, weekKey);
    const reviewWeek = (unitId: string, weekKey: string, hasChef: boolean): ReviewWeek => {
      if (!counts(unitId, weekKey)) return { weekKey, done: true, items: 0, overdue: 0 };
      const s = snapshots.get(snapshotKey(unitId, weekKey));
      const at = doneAt.get(`${unitId}/${weekKey}`);
      // A unit with no enhetschef gets no reminders (src/review/reminders.ts): nobody to miss its review.
      const done = !hasChef || (at !== undefined && at < judgedAt(unitId, weekKey));
      return { weekKey, done, items: s?.items ?? 0, overdue: s?.overdue ?? 0 };
    };

    let fired = 0;
    const rules: PatternRuleId[] = ['forsenade-andel', 'missade-genomgangar'];
    for (const u of units) {
      // The latest week that can be judged (last week, or the one before while last week's review is not yet a day overdue).
      const latest = weekKeys.findIndex((w, i) => i > 0 && judgedAt(u.id, w) <= now);
      if (latest < 0) continue;
      const hasChef = dir.unitChefs(u.id).length > 0;
      const weeks = weekKeys.slice(latest, latest + HISTORY_WEEKS).reverse().map((w) => reviewWeek(u.id, w, hasChef));
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
