/**
 * A casework item's clock as the weekly review ranks it (issue #14), in a form the store can keep
 * beside the item and the review can sort and page in SQL: which obligation is the item's clock
 * (its due day, what hangs on it, whether it is never "i tid"), and the days over which that stays
 * so. `computeClock` picks the obligation from today (those not yet stopped; an overdue one with a
 * legal consequence before the earliest), so the choice can only change on a day an obligation
 * stops, or the day after one with a consequence fell due; between those days only the state moves
 * (overdue, approaching, in time), and that is read from the due day at query time. Held equal to
 * computeClock, day by day, by test/casework/review-rank.test.ts. Pure.
 */
import type { DeadlineWeight } from '../cases/deadline-rank';
import { addAmount, caseworkDeadline, CASEWORK_TIME_ZONE, type CaseworkClockOptions, type CaseworkItem } from './rules';

/**
 * 'running': the clock of `dueOn`. 'none': no clock runs (every obligation stopped); the review
 * leaves the item out. 'unjudgeable': the rules cannot compute a deadline from the item's dates
 * (shown as "kan inte bedömas").
 */
export type CaseworkRankKind = 'running' | 'none' | 'unjudgeable';

export interface CaseworkReviewRank {
  kind: CaseworkRankKind;
  dueOn: string | null;
  weight: DeadlineWeight | null;
  /** The rule counts the item as approaching from its first day (never "i tid"). */
  fromStart: boolean;
  /** The first day this holds: the day it was computed for. */
  validFrom: string;
  /** The first day it may no longer hold; null: for every later day. */
  validUntil: string | null;
}

export type CaseworkRankOptions = Omit<CaseworkClockOptions, 'today' | 'warnDays'>;

/** The item's review rank from `day` (an ISO calendar day) on. */
export function caseworkReviewRank(item: CaseworkItem, day: string, opts: CaseworkRankOptions = {}): CaseworkReviewRank {
  const fixed = (kind: CaseworkRankKind): CaseworkReviewRank => ({ kind, dueOn: null, weight: null, fromStart: false, validFrom: day, validUntil: null });
  if (item.status === 'avslutad') return fixed('none');
  let obligations;
  try {
    obligations = caseworkDeadline(item, { ...opts, timeZone: opts.timeZone ?? CASEWORK_TIME_ZONE }).obligations;
  } catch {
    // As computeClock throws: the item's dates do not give a deadline (the review says what to correct).
    return fixed('unjudgeable');
  }
  // As computeClock chooses on `day`.
  const running = obligations.filter((o) => !(o.stopsOn && o.stopsOn <= day)).sort((a, b) => a.due.localeCompare(b.due));
  const o = running.find((r) => r.due < day && r.consequence) ?? running[0];
  // The days the choice can change: a running obligation stops, or one with a consequence becomes overdue.
  let until: string | null = null;
  const event = (d: string) => {
    if (d > day && (until === null || d < until)) until = d;
  };
  for (const r of running) {
    if (r.stopsOn) event(r.stopsOn);
    if (r.consequence) event(addAmount(r.due, { days: 1 }));
  }
  if (!o) return { ...fixed('none'), validUntil: null };
  return {
    kind: 'running',
    dueOn: o.due,
    weight: o.consequence ? 'consequence' : o.rule.localPolicy ? 'local-policy' : 'statutory',
    fromStart: Boolean(o.rule.urgentFromStart),
    validFrom: day,
    validUntil: until,
  };
}

/** Whether a rank computed earlier still holds on `today`. */
export function rankHoldsOn(rank: Pick<CaseworkReviewRank, 'validFrom' | 'validUntil'>, today: string): boolean {
  return rank.validFrom <= today && (rank.validUntil === null || today < rank.validUntil);
}

/** How a running rank stands on `today` (the review's SQL computes the same from the stored columns). */
export function rankStateOn(rank: Pick<CaseworkReviewRank, 'dueOn' | 'fromStart'>, today: string, warnDays: number): 'forsenad' | 'narmar-sig' | 'i-tid' {
  const due = rank.dueOn!;
  if (due < today) return 'forsenad';
  return due <= addAmount(today, { days: warnDays }) || rank.fromStart ? 'narmar-sig' : 'i-tid';
}
