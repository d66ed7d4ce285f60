/**
 * Each case's running clock, kept by the store beside the case (migration 18) so that a summary
 * over a municipality counts clocks with an index instead of computing 31,000 of them (issue #14).
 * The store only knows when a case's facts changed (it marks the case stale in the same
 * transaction as the change); what the clock is comes from here, from the same pure functions the
 * reminders and the case card use (./clocks.ts). Whoever reads the stored clocks refreshes the
 * stale ones first, so a count is never older than the facts.
 *
 * A stored clock depends on the clock rules, the working-day calendar and the time zone too: their
 * fingerprint is kept in the state store, and a different one (a changed setting, a new holiday
 * table) marks every open case stale once.
 */
import { codeDigest } from '../code-digest';
import { basisHolds, betweenBatches, HOLIDAY_VERSIONS, refreshBatchSize, refreshUnderBasis } from '../stored-basis';
import type { Logger } from '../log/logger';
import type { WorkingCalendar } from '../review/calendar';
import type { OpenCaseRecord, StoredClock } from '../store/cases';
import type { Store } from '../store/store';
import { addAmount } from '../casework/rules';
import { calendarDayIn, DEFAULT_CLOCK_RULES, runningClock, runningClockDueDay, warningDays, type ClockKind, type ClockRules, type WorkingDays } from './clocks';
import { lexSarahWeight } from './deadline-rank';

const BASIS_KEY = 'stored-clocks/basis';

const NO_CLOCK: StoredClock = { kind: null, dueOn: null, weight: null };

/** Every ClockKind, checked by the type: a new clock cannot be left out of the counts. */
export const CLOCK_KINDS = Object.keys({ bedomning: true, anmalan: true, utredning: true, avslut: true } satisfies Record<ClockKind, true>) as readonly ClockKind[];

/** Each kind's last day that counts as approaching, seen from `today` (a stored clock is approaching when due on or before it). */
export function approachingUntil(today: string, rules: ClockRules = DEFAULT_CLOCK_RULES): Record<ClockKind, string> {
  return Object.fromEntries(CLOCK_KINDS.map((k) => [k, addAmount(today, { days: warningDays(rules, k) })])) as Record<ClockKind, string>;
}

/** The clock a case runs as stored: its kind, last day and weight; none for a closed case. */
export function storedClockOf(c: OpenCaseRecord, calendar: WorkingDays, dayOf: (at: Date) => string, rules: ClockRules = DEFAULT_CLOCK_RULES): StoredClock {
  const run = runningClock(c);
  if (!run) return NO_CLOCK;
  return { kind: run.clock, dueOn: runningClockDueDay(run, calendar, dayOf, rules), weight: lexSarahWeight(run) };
}


/**
 * What the stored clocks were computed under: another value means they must all be computed again.
 * Besides the settings, the holiday tables and their engine, and the code itself. Not Node's tz data: two instances on
 * different Node builds (a base image updated in a rolling restart) would make every summary compute
 * every case twice, and Stockholm's rules have not changed since 1996.
 */
export function clockBasis(rules: ClockRules, calendar: Pick<WorkingCalendar, 'timeZone' | 'deFactoHolidays'>): string {
  return JSON.stringify({
    rules, timeZone: calendar.timeZone, deFactoHolidays: calendar.deFactoHolidays,
    ...HOLIDAY_VERSIONS, code: CLOCK_CODE_DIGEST,
  });
}

/** The code a stored clock is computed by: a fix to it computes every clock again. */
const CLOCK_CODE_DIGEST = codeDigest(__dirname, ['clocks', 'deadline-rank', 'stored-clocks']);

export interface StoredClockDeps {
  store: Store;
  calendar: WorkingCalendar;
  rules?: ClockRules;
  logger?: Logger;
}

/** Cases whose clock could not be computed (a malformed stored date): left stale, each logged; the caller decides what a count without them is worth. */
export class StoredClockFailure extends Error {
  constructor(readonly reportIds: readonly number[]) {
    super(`the lex Sarah clock of ${reportIds.length} case(s) could not be computed (report ids ${reportIds.slice(0, 10).join(', ')}${reportIds.length > 10 ? ', …' : ''}): see the stored-clock-failed log lines`);
    this.name = 'StoredClockFailure';
  }
}

/** Whether the stored clocks were computed under these rules and this calendar (else refreshStoredClocks computes them all again). */
export function storedClocksCurrent(deps: Pick<StoredClockDeps, 'store' | 'calendar' | 'rules'>): Promise<boolean> {
  return basisHolds(deps.store.state, BASIS_KEY, clockBasis(deps.rules ?? DEFAULT_CLOCK_RULES, deps.calendar));
}

/**
 * Computes and stores the clocks of the stale cases of `unitIds` (every unit when undefined), after
 * marking every open case stale if the basis changed. A case changed meanwhile stays stale (the
 * store keeps a clock only for the facts it was computed from) and is left for the next call; the
 * loop ends when a batch stores nothing new. Returns how many clocks were stored. Throws
 * StoredClockFailure after storing the others when a case's clock cannot be computed: a count
 * without it would read as one fewer open clock.
 *
 * Two instances with different rules (a rolling restart that changes a setting) must not leave
 * clocks of the old rules marked fresh under the new basis: ../stored-basis.ts, and the store moves
 * a case's facts version on when it invalidates, so a clock computed from an earlier read is refused.
 */
export async function refreshStoredClocks(deps: StoredClockDeps, unitIds?: readonly string[]): Promise<number> {
  const { store, calendar } = deps;
  const rules = deps.rules ?? DEFAULT_CLOCK_RULES;
  const dayOf = calendarDayIn(calendar.timeZone);
  const failed = new Set<number>();
  const total = await refreshUnderBasis(
    {
      state: store.state, key: BASIS_KEY, basis: clockBasis(rules, calendar), invalidate: () => store.cases.invalidateClocks(),
      ...(deps.logger ? { logger: deps.logger } : {}), event: 'stored-clocks', counted: 'cases',
      say: {
        first: "first start with stored clocks: every open case's clock is computed",
        changed: "the clock rules or calendar changed: every open case's clock is computed again (if this repeats, instances run with different clock settings)",
        moved: 'another instance changed the clock rules or calendar during a refresh: the clocks stored are computed again',
      },
    },
    async () => {
      const batch = refreshBatchSize(store);
      let n = 0;
      for (;;) {
        const stale = await store.cases.staleClockCases(unitIds, batch);
        const computed: { reportId: number; factsVersion: number; clock: StoredClock }[] = [];
        for (const c of stale) {
          try {
            computed.push({ reportId: c.reportId, factsVersion: c.factsVersion, clock: storedClockOf(c, calendar, dayOf, rules) });
          } catch (err) {
            if (!failed.has(c.reportId)) deps.logger?.error({ event: 'stored-clock-failed', reportId: c.reportId, reason: (err as Error).message }, "a case's lex Sarah clock cannot be computed from its stored facts");
            failed.add(c.reportId);
          }
        }
        const stored = computed.length ? await store.cases.storeClocks(computed) : 0;
        n += stored;
        // Nothing stored: every one changed under us (or keeps changing, or fails); the next read tries again.
        if (stored === 0 || stale.length < batch) return n;
        await betweenBatches();
      }
    },
  );
  if (failed.size) throw new StoredClockFailure([...failed]);
  return total;
}
