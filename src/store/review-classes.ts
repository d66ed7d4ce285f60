/**
 * The stored review class of a ranked casework item (migration 21), shared by both adapters.
 *
 * The weekly review counts a unit's items per rank. Ranking each row in SQL (a CASE over the kind,
 * weight, flag and due day, and a freshness test, for 5,000 rows) cost more than the rest of the
 * turn together; so each row also keeps its rank's inputs except the day as one small integer,
 * indexed before the due day, and every rank is a few index range counts: class c with the due
 * day before today, up to the warning day, or after it. The classes are the store's encoding of
 * CaseworkRankRecord (kind, weight, fromStart); which rank a class has on a day is the same rule
 * the review's SQL applied before (src/cases/deadline-rank.ts numbers the ranks).
 */

import { FIRST_DAY, isoDayFrom, LAST_DAY } from './iso-days';

/** The weight part of a running class: the rank its rows have once overdue, times ten. */
const OVERDUE_RANK_OF_WEIGHT: Readonly<Record<string, number>> = { consequence: 0, 'local-policy': 3 };
/** Any other weight is counted as the law's (rank 1), as the SQL's ELSE did. */
const STATUTORY_OVERDUE_RANK = 1;

export const UNJUDGEABLE_CLASS = 20;
/** Items that run no clock: kept, never counted. */
export const NO_CLOCK_CLASS = 90;

/** The classes a unit's counted items can have: running (overdue rank × 10 + never "i tid"), and unjudgeable. */
export const COUNTED_CLASSES: readonly number[] = [0, 1, 10, 11, 30, 31, UNJUDGEABLE_CLASS];

export function reviewClassOf(rank: { kind: string; weight: string | null; fromStart: boolean }): number {
  if (rank.kind === 'unjudgeable') return UNJUDGEABLE_CLASS;
  if (rank.kind !== 'running') return NO_CLOCK_CLASS;
  return (OVERDUE_RANK_OF_WEIGHT[rank.weight ?? ''] ?? STATUTORY_OVERDUE_RANK) * 10 + (rank.fromStart ? 1 : 0);
}

/** A class's rows by their due day against today and the warning day, as one range count each. */
export interface ClassCount {
  cls: number;
  overdue: number;
  near: number;
  later: number;
  /** Without a due day: the unjudgeable ones (a running one without one is not what the ranker writes). */
  undated: number;
}

/** The rank (0 … 5) of a class's rows in each bucket. */
function rankOf(cls: number, bucket: 'overdue' | 'near' | 'later'): number {
  if (cls === UNJUDGEABLE_CLASS) return 2;
  if (bucket === 'overdue') return Math.floor(cls / 10);
  return bucket === 'near' || cls % 10 === 1 ? 4 : 5;
}

/**
 * The items per rank from the class counts; undefined when a count does not fit the encoding (a
 * running row without a due day, an unjudgeable one with one): the caller then ranks the unit the
 * full way rather than guess.
 */
export function rankCounts(counts: readonly ClassCount[]): Map<number, number> | undefined {
  const byRank = new Map<number, number>();
  const add = (rank: number, n: number) => n > 0 && byRank.set(rank, (byRank.get(rank) ?? 0) + n);
  for (const c of counts) {
    if (c.cls === UNJUDGEABLE_CLASS) {
      if (c.overdue + c.near + c.later > 0) return undefined;
      add(2, c.undated);
      continue;
    }
    if (c.undated > 0) return undefined;
    add(rankOf(c.cls, 'overdue'), c.overdue);
    add(rankOf(c.cls, 'near'), c.near);
    add(rankOf(c.cls, 'later'), c.later);
  }
  return byRank;
}

/** A class and the due days (both inclusive; '0001-01-01', SQL Server's first DATE, and '9999-12-31' for open ends) whose rows have one of the wanted ranks. */
export interface ClassRange {
  cls: number;
  from: string;
  to: string;
}

/**
 * Where the rows of `ranks` are, as class and due-day ranges: what a unit's page reads per due day.
 * Rank 2 (unjudgeable) has no due day and no range: its one group is counted by rankCounts.
 */
export function rangesOfRanks(ranks: readonly number[], today: string, warnUntil: string): ClassRange[] {
  const wanted = new Set(ranks);
  const yesterday = isoDayFrom(today, -1);
  const dayAfterWarn = isoDayFrom(warnUntil, 1);
  const out: ClassRange[] = [];
  for (const cls of COUNTED_CLASSES) {
    if (cls === UNJUDGEABLE_CLASS) continue;
    if (wanted.has(rankOf(cls, 'overdue'))) out.push({ cls, from: FIRST_DAY, to: yesterday });
    const near = wanted.has(rankOf(cls, 'near'));
    const later = wanted.has(rankOf(cls, 'later'));
    if (near && later) out.push({ cls, from: today, to: LAST_DAY });
    else if (near) out.push({ cls, from: today, to: warnUntil });
    else if (later) out.push({ cls, from: dayAfterWarn, to: LAST_DAY });
  }
  return out;
}


/** The rank of a class's rows due on `due` (an ISO day), for the per-day groups. */
export function rankOfClassOn(cls: number, due: string, today: string, warnUntil: string): number {
  return rankOf(cls, due < today ? 'overdue' : due <= warnUntil ? 'near' : 'later');
}

/** The classes whose rows can have one of `ranks` on some day. */
export function classesOfRanks(ranks: readonly number[]): number[] {
  const wanted = new Set(ranks);
  return COUNTED_CLASSES.filter((cls) => (['overdue', 'near', 'later'] as const).some((b) => wanted.has(rankOf(cls, b))));
}
