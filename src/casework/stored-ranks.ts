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
import { createRequire } from 'node:module';
import { version as holidaysVersion } from 'date-holidays/package.json';
import { codeDigest } from '../code-digest';
import type { Logger } from '../log/logger';
import type { WorkingCalendar } from '../review/calendar';
import type { Store } from '../store/store';
import { caseworkItemOf } from './persisted';
import { caseworkReviewRank } from './review-rank';
import { CASEWORK_RULES, statutoryCalendar } from './rules';

/** Raise when what a stored rank holds, or how it is computed, changes: every rank is then computed again. */
const RANK_ALGORITHM = 1;
const BASIS_KEY = 'casework-ranks/basis';
const REFRESH_BATCH = 2000;

const holidaysParserVersion = ((): string => {
  try {
    return (createRequire(require.resolve('date-holidays'))('date-holidays-parser/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/**
 * The rules' data and the code that reads them, as a digest: a change of a period, a consequence,
 * a date or of how a deadline is computed computes every rank again (a fixed deadline bug must not
 * stay in ranks that hold for ever).
 */
const rulesDigest = codeDigest(__dirname, ['rules', 'review-rank'], JSON.stringify(CASEWORK_RULES));

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
  return JSON.stringify({ algorithm: RANK_ALGORITHM, rules: rulesDigest, timeZone: deps.timeZone, judgmentDays: deps.judgmentDays ?? null, holidays: holidaysVersion, holidaysParser: holidaysParserVersion });
}

/**
 * Computes and stores the ranks of the units' open items that do not hold on `today`, after
 * forgetting every rank if the basis changed (invalidated, the basis written, invalidated again;
 * and again when the basis moved during the refresh, as refreshStoredClocks does). A row written
 * meanwhile keeps its stale rank and is left for the next call. Returns how many were stored.
 */
export async function refreshReviewRanks(deps: StoredRankDeps, unitIds: readonly string[], today: string): Promise<number> {
  const { store } = deps;
  const basis = rankBasis(deps);
  const storedBasis = async () => (await store.state.read([BASIS_KEY])).get(BASIS_KEY)?.value;
  const before = await storedBasis();
  if (before !== basis) {
    const items = await store.casework.invalidateReviewRanks();
    await store.state.write([{ key: BASIS_KEY, value: basis }]);
    await store.casework.invalidateReviewRanks();
    const fields = { event: 'casework-ranks-invalidated', items, first: before === undefined };
    if (before === undefined) deps.logger?.info(fields, "first start with stored casework ranks: every open item's rank is computed when its unit is reviewed");
    else deps.logger?.warn(fields, 'the casework rules or calendar changed: every rank is computed again (if this repeats, instances run with different settings)');
  }
  const calendar = deps.calendar ?? statutoryCalendar(deps.timeZone);
  const opts = { timeZone: deps.timeZone, calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) };
  let total = 0;
  for (;;) {
    const stale = await store.casework.staleReviewRanks(unitIds, today, REFRESH_BATCH);
    if (!stale.length) break;
    const n = await store.casework.storeReviewRanks(stale.map((w) => ({ id: w.id, version: w.version, rank: caseworkReviewRank(caseworkItemOf(w), today, opts) })));
    total += n;
    // Nothing stored: every one was written under us; the next read tries again.
    if (n === 0 || stale.length < REFRESH_BATCH) break;
  }
  if ((await storedBasis()) !== basis) {
    await store.casework.invalidateReviewRanks();
    deps.logger?.warn({ event: 'casework-ranks-basis-moved', stored: total }, 'another instance changed the casework rules or calendar during a refresh: the ranks are computed again');
  }
  return total;
}
