/**
 * The status summary's lex Sarah clocks read from the clocks the store keeps (src/cases/stored-clocks.ts):
 * counted per unit and kind with an index, and only the late cases a summary lists read row by row.
 * The same tally as summary.ts's tallyClocks over every open case, which the tests hold it to.
 */
import { daysBetween } from '../casework/rules';
import type { ClockKind } from '../cases/clocks';
import type { DeadlineWeight } from '../cases/deadline-rank';
import { approachingUntil, CLOCK_KINDS, refreshStoredClocks, type StoredClockDeps } from '../cases/stored-clocks';
import type { ClockCountQuery, LateClockRow } from '../store/cases';
import { compareLate, LATE_CASES_LISTED, type ClockTally, type LateCase } from './summary';

const isKind = (k: string): k is ClockKind => (CLOCK_KINDS as readonly string[]).includes(k);

function lateCase(r: LateClockRow, today: string): LateCase | undefined {
  if (!isKind(r.kind)) return undefined;
  return {
    reference: r.reference,
    unitId: r.unitId,
    clock: r.kind,
    state: r.overdue ? 'forsenad' : 'narmar-sig',
    daysLeft: daysBetween(today, r.dueOn),
    due: r.dueOn,
    weight: r.weight as DeadlineWeight,
  };
}

/** The tally of the units' stored clocks on `today`, after refreshing the stale ones. */
export async function storedClockTally(deps: StoredClockDeps, unitIds: readonly string[], today: string, limit = LATE_CASES_LISTED): Promise<ClockTally> {
  const { store } = deps;
  await refreshStoredClocks(deps, unitIds);
  const q: ClockCountQuery = { unitIds, today, approachingUntil: approachingUntil(today, deps.rules) };
  const [rows, others, closing] = await Promise.all([
    store.cases.clockCounts(q),
    store.cases.lateClocks({ ...q, closing: false, limit }),
    store.cases.lateClocks({ ...q, closing: true, limit }),
  ]);
  const counts = rows.flatMap((r) => (isKind(r.kind) ? [{ unitId: r.unitId, clock: r.kind, overdue: r.overdue, approaching: r.approaching, total: r.total }] : []));
  const late = [...others, ...closing].flatMap((r) => lateCase(r, today) ?? []).sort(compareLate);
  const lateOf = (c: (typeof counts)[number]) => c.overdue + c.approaching;
  return {
    counts,
    late,
    lateCount: { all: counts.reduce((n, c) => n + lateOf(c), 0), closing: counts.filter((c) => c.clock === 'avslut').reduce((n, c) => n + lateOf(c), 0) },
  };
}
