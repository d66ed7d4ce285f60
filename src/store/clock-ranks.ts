/**
 * The weekly review's ranks of the stored lex Sarah clocks (migration 18), shared by both adapters:
 * a unit's open cases counted per rank from index range counts of (kind, weight, due day) (the
 * index of migration 23), and only the page's ranks read per due day. The rule is the one the
 * review's SQL applied per row before (src/cases/deadline-rank.ts numbers the ranks): 6 no clock;
 * overdue, by weight (0 consequence, 3 local policy, 1 the law's); due up to the kind's last
 * approaching day, 4; later, 5. A kind or weight the lists below do not know is never guessed at:
 * the counts then do not add up, and the caller ranks the unit the full way.
 */
import { STORED_CLOCK_KINDS, type ClockCountQuery } from './cases';
import { FIRST_DAY, isoDayFrom, LAST_DAY } from './iso-days';

export const NO_CLOCK_RANK = 6;

/** The weights src/cases/deadline-rank.ts gives a lex Sarah clock, with the rank of each once overdue. */
const OVERDUE_RANK: Readonly<Record<string, number>> = { consequence: 0, statutory: 1, 'local-policy': 3 };
export const CLOCK_WEIGHTS: readonly string[] = Object.keys(OVERDUE_RANK);

/** One kind and weight's open clocks of a unit by due day against today and the kind's last approaching day. */
export interface KindCount {
  kind: string;
  weight: string | null;
  overdue: number;
  near: number;
  later: number;
  undated: number;
}

/** A kind's last approaching day; '' (before every day) when the query names none: never approaching. */
export const untilOf = (q: Pick<ClockCountQuery, 'approachingUntil'>, kind: string): string => (q.approachingUntil as Record<string, string | undefined>)[kind] ?? '';

/**
 * The cases per rank, from the counts per kind and weight, the cases without a clock and all cases
 * with one; undefined when they do not add up (a kind or weight the lists do not know, a clock
 * without a due day).
 */
export function clockRankCounts(kinds: readonly KindCount[], noClock: number, withClock: number): Map<number, number> | undefined {
  const byRank = new Map<number, number>();
  const add = (rank: number, n: number) => n > 0 && byRank.set(rank, (byRank.get(rank) ?? 0) + n);
  let counted = 0;
  for (const k of kinds) {
    const overdueRank = OVERDUE_RANK[k.weight ?? ''];
    if (k.undated > 0 || (overdueRank === undefined && k.overdue + k.near + k.later > 0)) return undefined;
    add(overdueRank ?? 1, k.overdue);
    add(4, k.near);
    add(5, k.later);
    counted += k.overdue + k.near + k.later;
  }
  if (counted !== withClock) return undefined;
  add(NO_CLOCK_RANK, noClock);
  return byRank;
}

/** A kind, a weight and its due days (both inclusive) holding rows of the wanted ranks. */
export interface KindRange {
  kind: string;
  weight: string;
  from: string;
  to: string;
}

/** Where a unit's cases of `ranks` are, per kind, weight and due days (rank 6 has none: counted by clockRankCounts). */
export function kindRangesOfRanks(ranks: readonly number[], q: Pick<ClockCountQuery, 'today' | 'approachingUntil'>): KindRange[] {
  const wanted = new Set(ranks);
  const out: KindRange[] = [];
  for (const kind of STORED_CLOCK_KINDS) {
    const until = untilOf(q, kind);
    // Approaching from today to the kind's last day (none when it is before today), in time after.
    const near = wanted.has(4) && until >= q.today;
    const laterFrom = until >= q.today ? isoDayFrom(until, 1) : q.today;
    for (const weight of CLOCK_WEIGHTS) {
      if (wanted.has(OVERDUE_RANK[weight]!)) out.push({ kind, weight, from: FIRST_DAY, to: isoDayFrom(q.today, -1) });
      if (near && wanted.has(5)) out.push({ kind, weight, from: q.today, to: LAST_DAY });
      else if (near) out.push({ kind, weight, from: q.today, to: until });
      else if (wanted.has(5)) out.push({ kind, weight, from: laterFrom, to: LAST_DAY });
    }
  }
  return out;
}

/** Whether a row of `kind` and `weight` due on `due` lies in range `r`. */
export const inKindRange = (r: KindRange, kind: string, due: string, weight: string | null): boolean => r.kind === kind && r.weight === weight && r.from <= due && due <= r.to;

/** The rank of a kind's clocks due on `due` with `weight` (a known weight: see clockRankCounts). */
export function clockRankOn(kind: string, due: string, weight: string | null, q: Pick<ClockCountQuery, 'today' | 'approachingUntil'>): number {
  if (due < q.today) return OVERDUE_RANK[weight ?? ''] ?? 1;
  return due <= untilOf(q, kind) ? 4 : 5;
}
