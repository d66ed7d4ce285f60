/**
 * The outbox and rate_limits row shapes and their mapping, shared by both adapters, plus the token
 * bucket rule both adapters apply inside their transaction (so the arithmetic is one pure function).
 */
import type { OutboxMessage, OutboxOutcome, OutboxPriority, OutboxRow, OutboxState } from './outbox';
import { asDate, type DbDate } from './report-rows';

/** Stored as a small integer so that ORDER BY priority puts interactive rows first. */
export const PRIORITY_CODE: Record<OutboxPriority, number> = { interactive: 0, bulk: 1 };
const PRIORITY_OF: Record<number, OutboxPriority> = { 0: 'interactive', 1: 'bulk' };

export interface OutboxDbRow {
  id: number;
  message_key: string;
  recipient_entra_id: string;
  recipient_name: string;
  purpose: string;
  entity_ref: string;
  unit_id: string | null;
  committee_id: string | null;
  card_json: string;
  priority: number;
  not_before: DbDate;
  created_at: DbDate;
  replaces_activity_id: string | null;
  on_undeliverable: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: DbDate;
  lease_owner: string | null;
  lease_until: DbDate | null;
  last_error: string | null;
  activity_id: string | null;
  finished_at: DbDate | null;
}

/** The columns every adapter reads, in table order. */
export const OUTBOX_COLUMNS =
  'id, message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json, priority, ' +
  'not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at, lease_owner, lease_until, ' +
  'last_error, activity_id, finished_at';

/** Entra ids are stored lower-case, as everywhere else in the store. */
export function normaliseMessage(m: OutboxMessage): OutboxMessage {
  return { ...m, recipientEntraId: m.recipientEntraId.toLowerCase() };
}

/** The JSON text of on_undeliverable, or null when there is nothing to enqueue. */
export function encodeUndeliverable(ms: readonly OutboxMessage[] | undefined): string | null {
  return ms && ms.length > 0 ? JSON.stringify(ms) : null;
}

export function decodeUndeliverable(text: string | null): OutboxMessage[] | undefined {
  if (text === null) return undefined;
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error('The stored on_undeliverable of an outbox row is not a JSON list.');
  return parsed.map(reviveMessage);
}

function reviveMessage(v: unknown): OutboxMessage {
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || typeof o.key !== 'string') throw new Error('A stored on_undeliverable message has no key.');
  const m = { ...(o as unknown as OutboxMessage), notBefore: new Date(o.notBefore as string), createdAt: new Date(o.createdAt as string) };
  if (Array.isArray(o.onUndeliverable)) m.onUndeliverable = o.onUndeliverable.map(reviveMessage);
  return m;
}

/** Why a claimed row could not be read back; it is failed under this error so it never blocks claims again. */
export const UNREADABLE_ROW_ERROR = 'unreadable-row';

/**
 * The row, or undefined when it cannot be read (damaged JSON, a priority from a newer version):
 * such a row would otherwise fail every claim on every instance, and come first again each time.
 */
export function readableOutboxRow(r: OutboxDbRow): OutboxRow | undefined {
  try {
    return outboxFromRow(r);
  } catch {
    return undefined;
  }
}

export function outboxFromRow(r: OutboxDbRow): OutboxRow {
  const priority = PRIORITY_OF[Number(r.priority)];
  if (!priority) throw new Error(`Outbox row ${r.id} has an unknown priority ${String(r.priority)}.`);
  const onUndeliverable = decodeUndeliverable(r.on_undeliverable);
  return {
    id: r.id,
    key: r.message_key,
    recipientEntraId: r.recipient_entra_id,
    recipientName: r.recipient_name,
    purpose: r.purpose,
    entityRef: r.entity_ref,
    ...(r.unit_id !== null ? { unitId: r.unit_id } : {}),
    ...(r.committee_id !== null ? { committeeId: r.committee_id } : {}),
    cardJson: r.card_json,
    priority,
    notBefore: asDate(r.not_before),
    createdAt: asDate(r.created_at),
    ...(r.replaces_activity_id !== null ? { replacesActivityId: r.replaces_activity_id } : {}),
    ...(onUndeliverable ? { onUndeliverable } : {}),
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: asDate(r.next_attempt_at),
    ...(r.lease_owner !== null ? { leaseOwner: r.lease_owner } : {}),
    ...(r.lease_until !== null ? { leaseUntil: asDate(r.lease_until) } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.activity_id !== null ? { activityId: r.activity_id } : {}),
    ...(r.finished_at !== null ? { finishedAt: asDate(r.finished_at) } : {}),
  };
}

/** What a final outcome writes: the new state, the activity id (sent) and the error (failed). */
export function outcomeColumns(o: OutboxOutcome): { state: OutboxState; activityId: string | null; error: string | null } {
  switch (o.state) {
    case 'sent':
      return { state: 'sent', activityId: o.activityId ?? null, error: null };
    case 'failed':
      return { state: 'failed', activityId: null, error: o.error };
    case 'no-reference':
      return { state: 'no-reference', activityId: null, error: null };
  }
}

export interface Bucket {
  tokens: number;
  updatedAt: Date;
}

/**
 * One take from a token bucket: refilled by the time elapsed since it was last written (never
 * backwards: a clock behind the last writer's refills nothing), holding at most `capacity`.
 * Returns the bucket to write back and 0 when a token was taken, else the milliseconds until one will be there.
 */
export function takeToken(
  stored: Bucket | undefined,
  now: Date,
  ratePerSecond: number,
  capacity: number,
): { bucket: Bucket; waitMs: number } {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new Error(`A rate limit needs a positive rate per second (got ${String(ratePerSecond)}).`);
  if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new Error(`A rate limit needs a capacity of at least 1 (got ${String(capacity)}).`);
  const last = stored?.updatedAt ?? now;
  const at = now.getTime() > last.getTime() ? now : last;
  const elapsedMs = at.getTime() - last.getTime();
  const tokens = Math.min(capacity, stored ? stored.tokens + (elapsedMs * ratePerSecond) / 1000 : capacity);
  // A hair of tolerance, so that floating-point refills (0.9999999…) do not cost a needless 1 ms wait.
  if (tokens >= 1 - 1e-9) return { bucket: { tokens: Math.max(0, tokens - 1), updatedAt: at }, waitMs: 0 };
  const behindMs = at.getTime() - now.getTime();
  return { bucket: { tokens, updatedAt: at }, waitMs: behindMs + Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSecond)) };
}
