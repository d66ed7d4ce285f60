/**
 * The weekly review's ranks of the stored lex Sarah clocks (migration 18), shared by both adapters:
 * a unit's open cases counted per rank from index range counts of (kind, due day), and only the
 * page's ranks read per due day. The rule is the one the review's SQL applied per row before
 * (src/cases/deadline-rank.ts numbers the ranks): 6 no clock; overdue, by weight (0 consequence, 3
 * local policy, any other 1); due up to the kind's last approaching day, 4; later, 5.
 */
import { STORED_CLOCK_KINDS, type ClockCountQuery } from './cases';
import { FIRST_DAY, isoDayFrom, LAST_DAY } from './iso-days';

export const NO_CLOCK_RANK = 6;

/** One kind's open clocks of a unit by due day against today and the kind's last approaching day. */
export interface KindCount {
  kind: string;
  consequence: number;
  localPolicy: number;
  overdue: number;
  near: number;
  later: number;
  undated: number;
}

/** A kind's last approaching day; '' (before every day) when the query names none: never approaching. */
export const untilOf = (q: Pick<ClockCountQuery, 'approachingUntil'>, kind: string): string => (q.approachingUntil as Record<string, string | undefined>)[kind] ?? '';

/**
 * The cases per rank, from each kind's counts, the cases without a clock and all cases with one;
 * undefined when they do not add up (a kind the list does not know, a clock without a due day): the
 * caller then ranks the unit the full way rather than guess.
 */
export function clockRankCounts(kinds: readonly KindCount[], noClock: number, withClock: number): Map<number, number> | undefined {
  const byRank = new Map<number, number>();
  const add = (rank: number, n: number) => n > 0 && byRank.set(rank, (byRank.get(rank) ?? 0) + n);
  let counted = 0;
  for (const k of kinds) {
    if (k.undated > 0) return undefined;
    add(0, k.consequence);
    add(3, k.localPolicy);
    add(1, k.overdue - k.consequence - k.localPolicy);
    add(4, k.near);
    add(5, k.later);
    counted += k.overdue + k.near + k.later;
  }
  if (counted !== withClock) return undefined;
  add(NO_CLOCK_RANK, noClock);
  return byRank;
}

/**
 * A kind and its due days (both inclusive) holding rows of the wanted ranks; for overdue days, the
 * weight too ('other' for any but the two named; none: any), so that the page's first rank does
 * not read every overdue case of the unit.
 */
export interface KindRange {
  kind: string;
  from: string;
  to: string;
  weight?: WeightClass;
}

type WeightClass = 'consequence' | 'local-policy' | 'other';

/** Where a unit's cases of `ranks` are, per kind and due days (rank 6 has none: counted by clockRankCounts). */
export function kindRangesOfRanks(ranks: readonly number[], q: Pick<ClockCountQuery, 'today' | 'approachingUntil'>): KindRange[] {
  const wanted = new Set(ranks);
  const weights = ([[0, 'consequence'], [3, 'local-policy'], [1, 'other']] as const).filter(([r]) => wanted.has(r)).map(([, w]) => w);
  const out: KindRange[] = [];
  for (const kind of STORED_CLOCK_KINDS) {
    const until = untilOf(q, kind);
    const overdue = { kind, from: FIRST_DAY, to: isoDayFrom(q.today, -1) };
    if (weights.length === 3) out.push(overdue);
    else for (const weight of weights) out.push({ ...overdue, weight });
    // Approaching from today to the kind's last day (none when it is before today), in time after.
    const near = wanted.has(4) && until >= q.today;
    const laterFrom = until >= q.today ? isoDayFrom(until, 1) : q.today;
    if (near && wanted.has(5)) out.push({ kind, from: q.today, to: LAST_DAY });
    else if (near) out.push({ kind, from: q.today, to: until });
    else if (wanted.has(5)) out.push({ kind, from: laterFrom, to: LAST_DAY });
  }
  return out;
}

/** A stored weight as KindRange.weights names it. */
export const weightClass = (weight: string | null): WeightClass => (weight === 'consequence' || weight === 'local-policy' ? weight : 'other');

/** Whether a row of `weight` due on `due` lies in range `r`. */
export const inKindRange = (r: KindRange, kind: string, due: string, weight: string | null): boolean =>
  r.kind === kind && r.from <= due && due <= r.to && (r.weight === undefined || r.weight === weightClass(weight));

/** The rank of a kind's clocks due on `due` with `weight`. */
export function clockRankOn(kind: string, due: string, weight: string | null, q: Pick<ClockCountQuery, 'today' | 'approachingUntil'>): number {
  if (due < q.today) return weightClass(weight) === 'consequence' ? 0 : weightClass(weight) === 'local-policy' ? 3 : 1;
  return due <= untilOf(q, kind) ? 4 : 5;
}
