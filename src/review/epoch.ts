/**
 * When the weekly review reminders started for this database: the first reminder run records the
 * moment (src/review/reminders.ts), and weeks due before it are never reminded about. The status
 * summary reads it too, so that it counts reviews only from weeks the bot could have asked for.
 */
import type { StateStore } from '../store/store';

/** The state-store key the moment is kept under (JSON text of an ISO instant). */
export const REVIEW_REMINDERS_EPOCH_KEY = 'review-reminders/epoch';

/** The stored moment, or undefined when the reminders never ran (or the value is unreadable). */
export async function reviewRemindersStartedAt(state: Pick<StateStore, 'read'>): Promise<Date | undefined> {
  const stored = (await state.read([REVIEW_REMINDERS_EPOCH_KEY])).get(REVIEW_REMINDERS_EPOCH_KEY);
  if (!stored) return undefined;
  try {
    const at = new Date(JSON.parse(stored.value) as string);
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}
