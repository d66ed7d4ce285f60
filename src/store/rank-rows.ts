/**
 * A unit's review counts per rank as both stores return them (CaseworkStore.reviewRankCounts,
 * CaseStore.clockRankCounts): one row a rank (due ''), and the stale rows as one row of STALE_RANK.
 */
import { STALE_RANK, type ReviewGroupRow } from './casework';

/**
 * The rows of `byRank`, with `stale` rows said as STALE_RANK; counts the encoding could not place
 * (undefined) are said as stale too (at least one), so the caller ranks the unit the full way.
 */
export function rankRows(byRank: ReadonlyMap<number, number> | undefined, stale: number): ReviewGroupRow[] {
  if (!byRank) return [{ rank: STALE_RANK, due: '', n: Math.max(1, stale) }];
  const rows = [...byRank].map(([rank, n]) => ({ rank, due: '', n }));
  if (stale > 0) rows.push({ rank: STALE_RANK, due: '', n: stale });
  return rows.sort((a, b) => a.rank - b.rank);
}

/** Rows per (rank, due day) summed, those of a rank not in `ranks` (and empty ones) left out, in rank then due order. */
export function groupRows(rows: Iterable<ReviewGroupRow>, ranks: readonly number[]): ReviewGroupRow[] {
  const groups = new Map<string, ReviewGroupRow>();
  for (const { rank, due, n } of rows) {
    if (!ranks.includes(rank) || n === 0) continue;
    const key = `${rank}|${due}`;
    (groups.get(key) ?? groups.set(key, { rank, due, n: 0 }).get(key)!).n += n;
  }
  return [...groups.values()].sort((a, b) => a.rank - b.rank || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}
