/**
 * Each open casework item's review rank (./review-rank.ts), kept by the store beside the item
 * (migration 20) so that the weekly review sorts, counts and pages a unit's 5,000 items with an
 * index instead of computing every clock to show 12 (issue #14). The store knows when a row was
 * written (its updated_at) and for which days a rank holds; whoever reads the ranks refreshes the
 * stale ones of the unit first, for today.
 *
 * A rank also depends on the casework rules, the calendar and the local settings: their fingerprint
 * is kept in the state store, and another one forgets every rank once (as ../cases/stored-clocks.ts
 * does for the lex Sarah clocks, with the same care for an instance on other settings).
 */
import { codeDigest } from '../code-digest';
import { basisHolds, betweenBatches, HOLIDAY_VERSIONS, refreshBatchSize, refreshUnderBasis } from '../stored-basis';
import type { Logger } from '../log/logger';
import type { WorkingCalendar } from '../review/calendar';
import type { Store } from '../store/store';
import { caseworkItemOf } from './persisted';
import { caseworkReviewRank } from './review-rank';
import { CASEWORK_RULES, statutoryCalendar } from './rules';

const BASIS_KEY = 'casework-ranks/basis';

/**
 * The rules' data and the code that reads them, as a digest: a change of a period, a consequence,
 * a date or of how a deadline is computed computes every rank again (a fixed deadline bug must not
 * stay in ranks that hold for ever); so does a change of how the store encodes a rank as its class.
 */
const rulesDigest = codeDigest(__dirname, ['rules', 'review-rank', 'persisted', 'stored-ranks', '../store/review-classes'], JSON.stringify(CASEWORK_RULES));

export interface StoredRankDeps {
  store: Store;
  timeZone: string;
  /** Lagen (1930:173)'s calendar (statutoryCalendar); pass the caller's, whose memo lasts. */
  calendar?: WorkingCalendar;
  /** Local policy for court judgments (the rules' default when undefined). */
  judgmentDays?: number;
  logger?: Logger;
}

/** What the stored ranks were computed under. */
export function rankBasis(deps: Pick<StoredRankDeps, 'timeZone' | 'judgmentDays'>): string {
  return JSON.stringify({ rules: rulesDigest, timeZone: deps.timeZone, judgmentDays: deps.judgmentDays ?? null, ...HOLIDAY_VERSIONS });
}

/** Whether the stored ranks were computed under these settings (else refreshReviewRanks computes them all again). */
export function reviewRanksCurrent(deps: Pick<StoredRankDeps, 'store' | 'timeZone' | 'judgmentDays'>): Promise<boolean> {
  return basisHolds(deps.store.state, BASIS_KEY, rankBasis(deps));
}

/**
 * Computes and stores the ranks of the units' open items that do not hold on `today`, after
 * forgetting every rank if the basis changed (invalidated, the basis written, invalidated again;
 * and again when the basis moved during the refresh, as refreshStoredClocks does). A row written
 * meanwhile keeps its stale rank and is left for the next call. Returns how many were stored.
 */
export async function refreshReviewRanks(deps: StoredRankDeps, unitIds: readonly string[], today: string): Promise<number> {
  const { store } = deps;
  const calendar = deps.calendar ?? statutoryCalendar(deps.timeZone);
  const opts = { timeZone: deps.timeZone, calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) };
  return refreshUnderBasis(
    {
      state: store.state, key: BASIS_KEY, basis: rankBasis(deps), invalidate: () => store.casework.invalidateReviewRanks(),
      ...(deps.logger ? { logger: deps.logger } : {}), event: 'casework-ranks', counted: 'items',
      say: {
        first: "first start with stored casework ranks: every open item's rank is computed when its unit is reviewed",
        changed: 'the casework rules or calendar changed: every rank is computed again (if this repeats, instances run with different settings)',
        moved: 'another instance changed the casework rules or calendar during a refresh: the ranks are computed again',
      },
    },
    async () => {
      const batch = refreshBatchSize(store);
      let n = 0;
      for (;;) {
        const stale = await store.casework.staleReviewRanks(unitIds, today, batch);
        if (!stale.length) return n;
        const stored = await store.casework.storeReviewRanks(stale.map((w) => ({ id: w.id, version: w.version, rank: caseworkReviewRank(caseworkItemOf(w), today, opts) })));
        n += stored;
        // Nothing stored: every one was written under us; the next read tries again.
        if (stored === 0 || stale.length < batch) return n;
        await betweenBatches();
      }
    },
  );
}
