/**
 * From when weekly reviews count for this database, and for each unit. The status summary and the
 * sammanställning count a week's review as missed only if it was due after both: not "0 av 4" on a
 * new installation, and not for weeks before a unit was added to the organisation file.
 *
 * The moment is recorded at start-up (ensureReviewEpoch), whether or not the reminder job runs
 * (REMINDER_INTERVAL_MS=0 is allowed): a unit that never reviews must show as missed, never as
 * "före starten" for ever. The reminder job reads the same moment, so it never reminds about weeks
 * due before it.
 */
import type { StateStore } from '../store/store';

/** The state-store key the moment is kept under (JSON text of an ISO instant). */
export const REVIEW_REMINDERS_EPOCH_KEY = 'review-reminders/epoch';
/** Each unit's first start in the organisation file: `<prefix><unit id>`. */
const UNIT_SEEN_PREFIX = 'review-reminders/unit-seen/';

type EpochState = Pick<StateStore, 'read' | 'write' | 'claimOnce'>;

function parseInstant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  try {
    const at = new Date(JSON.parse(value) as string);
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}

/** A moment kept under `key`, or undefined when none was recorded yet (or the value is unreadable). */
export async function storedMoment(state: Pick<StateStore, 'read'>, key: string): Promise<Date | undefined> {
  return parseInstant((await state.read([key])).get(key)?.value);
}

/** The moment kept under `key`, recorded as `now` by the first caller when there is none (one wins among instances). */
export async function ensureMoment(state: EpochState, key: string, now: Date): Promise<Date> {
  const stored = await storedMoment(state, key);
  if (stored) return stored;
  if (await state.claimOnce(key, now)) await state.write([{ key, value: JSON.stringify(now.toISOString()) }]);
  return (await storedMoment(state, key)) ?? now;
}

/** The stored moment, or undefined when none was recorded yet (or the value is unreadable). */
export async function reviewRemindersStartedAt(state: Pick<StateStore, 'read'>): Promise<Date | undefined> {
  return storedMoment(state, REVIEW_REMINDERS_EPOCH_KEY);
}

/** The stored moment, recorded as `now` by the first caller when there is none (one wins among instances). */
export async function ensureReviewEpoch(state: EpochState, now: Date): Promise<Date> {
  return ensureMoment(state, REVIEW_REMINDERS_EPOCH_KEY, now);
}

/**
 * Records `now` as the first day of every unit of `unitIds` not seen before. Units there before
 * units were tracked at all (an installation upgraded to this version) count from the database's
 * epoch instead, so their earlier weeks keep counting.
 */
export async function recordUnitsSeen(state: EpochState, unitIds: readonly string[], now: Date): Promise<void> {
  const keys = unitIds.map((u) => `${UNIT_SEEN_PREFIX}${u}`);
  const stored = await state.read(keys);
  const missing = keys.filter((k) => !stored.has(k));
  if (!missing.length) return;
  const firstTracking = stored.size === 0 && (await state.claimOnce(`${UNIT_SEEN_PREFIX}(tracking)`, now));
  const from = firstTracking ? ((await reviewRemindersStartedAt(state)) ?? now) : now;
  await state.write(missing.map((key) => ({ key, value: JSON.stringify(from.toISOString()) })));
}

/** Each unit's first day as recorded (absent for a unit never recorded). */
export async function unitsSeenFrom(state: Pick<StateStore, 'read'>, unitIds: readonly string[]): Promise<Map<string, Date>> {
  const stored = await state.read(unitIds.map((u) => `${UNIT_SEEN_PREFIX}${u}`));
  const out = new Map<string, Date>();
  for (const u of unitIds) {
    const at = parseInstant(stored.get(`${UNIT_SEEN_PREFIX}${u}`)?.value);
    if (at) out.set(u, at);
  }
  return out;
}

/**
 * Whether a unit's review of a week counts (as done or as missed): from the unit's first recorded
 * review among `reviews`, or when it fell due after the reviews started and after the unit came
 * into the organisation file. The status summary, the sammanställning and the weekly rules count so.
 */
export function reviewWeekCounts(
  reviews: readonly { unitId: string; weekKey: string }[],
  startedAt: Date | undefined,
  unitsSeen: ReadonlyMap<string, Date> | undefined,
  dueAt: (unitId: string, weekKey: string) => Date,
): (unitId: string, weekKey: string) => boolean {
  // ISO week keys sort in time order: the unit's first review among those listed.
  const firstReview = new Map<string, string>();
  for (const r of reviews) {
    const first = firstReview.get(r.unitId);
    if (first === undefined || r.weekKey < first) firstReview.set(r.unitId, r.weekKey);
  }
  return (unitId, weekKey) => {
    const first = firstReview.get(unitId);
    if (first !== undefined && first <= weekKey) return true;
    if (startedAt === undefined) return false;
    const seen = unitsSeen?.get(unitId);
    const due = dueAt(unitId, weekKey);
    return due >= startedAt && (seen === undefined || due >= seen);
  };
}
