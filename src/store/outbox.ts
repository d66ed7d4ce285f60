/**
 * The outbox: every proactive card is a row here before anything is sent, written in the same
 * transaction as the change that causes it (a new report, a reminder coming due). Delivery
 * workers on every instance claim due rows under a lease, send, and record the outcome.
 *
 * The guarantee this makes possible: at least once, with a duplicate only if an instance dies
 * between a send and its record (the lease then runs out and another instance sends again).
 *
 * Plain records only: the card is JSON text, so the store needs nothing from the cards module.
 */
import type { AuditEntry } from './audit';

/** Interactive rows (a new report's routing) are claimed before bulk rows (a weekly fan-out). */
export type OutboxPriority = 'interactive' | 'bulk';

/** `pending` until a final outcome: `sent`, `failed` (terminal, or the retry budget spent) or `no-reference`. */
export type OutboxState = 'pending' | 'sent' | 'failed' | 'no-reference';

export interface OutboxMessage {
  /**
   * What this message is, unique over all time: a second enqueue with the same key is ignored.
   * E.g. `new-report/LS-2026-0001/<entraId>`, `case-reminder/LS-2026-0001/anmalan/due-7/<entraId>`.
   */
  key: string;
  recipientEntraId: string;
  /** Shown to operators and on receipts when the person cannot be reached. */
  recipientName: string;
  /** e.g. 'new-report', 'case-reminder', 'case-escalation', 'review-first', 'review-unreachable'. */
  purpose: string;
  /** The report reference or unit/week the card is about (for receipts, audit and the status summary). */
  entityRef: string;
  unitId?: string;
  committeeId?: string;
  /** The Adaptive Card, as JSON text. */
  cardJson: string;
  priority: OutboxPriority;
  /** Not to be sent before this moment (a snoozed reminder); usually the moment it was enqueued. */
  notBefore: Date;
  createdAt: Date;
  /**
   * When set, the card replaces this earlier message in the recipient's personal chat instead of
   * being sent as a new one (e.g. a receipt updated once every recipient has been told).
   */
  replacesActivityId?: string;
  /** Enqueued (in the same transaction as the final outcome) if this message ends `failed` or `no-reference`. */
  onUndeliverable?: OutboxMessage[];
  /**
   * The pieces of work this message stands for (a digest's cases, or a card's own key): recorded
   * as done work (StateStore.completedLeases) in the same transaction as the row. The row is not
   * written when one of them is done already, or is an outbox row itself: another instance's
   * digest or card has it. Only when the row is there already are they (again) recorded done.
   */
  covers?: readonly string[];
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  state: OutboxState;
  /** Send attempts so far (each claim counts one). */
  attempts: number;
  /** When the row may next be claimed. */
  nextAttemptAt: Date;
  leaseOwner?: string;
  leaseUntil?: Date;
  /** Operator-facing reason for the last failed attempt: an HTTP status or error code, never card text. */
  lastError?: string;
  /** The Teams activity id of the delivered message (to update it later). */
  activityId?: string;
  finishedAt?: Date;
}

export type OutboxOutcome =
  | { state: 'sent'; activityId?: string }
  | { state: 'failed'; error: string }
  | { state: 'no-reference' };

export interface OutboxStore {
  /**
   * Inserts the messages whose keys are new, and for each inserted one the audit entry `audit`
   * gives (if any), in one transaction. Returns the keys inserted.
   */
  enqueue(messages: readonly OutboxMessage[], audit?: (m: OutboxMessage) => AuditEntry | undefined): Promise<string[]>;
  /**
   * Claims up to `limit` due rows for `owner`: pending, `notBefore` and `nextAttemptAt` reached, and
   * no live lease. Interactive before bulk, then oldest first. The lease runs `leaseMs` from `now`,
   * the moment of the claim (not the start of some longer run); `attempts` goes up by one.
   */
  claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]>;
  /** Extends the leases `owner` still holds on these rows; returns how many it still held. */
  renew(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number>;
  /**
   * Records a final outcome, only while `owner` holds the lease (false otherwise: another instance
   * took the row over and its outcome counts). A `failed`/`no-reference` outcome enqueues the row's
   * `onUndeliverable` messages in the same transaction.
   */
  finish(id: number, owner: string, outcome: OutboxOutcome, at: Date): Promise<boolean>;
  /** Gives the row back for a later attempt (throttled, or a passing fault), while `owner` holds the lease. */
  retryLater(id: number, owner: string, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** Releases every lease `owner` holds (on shutdown), so another instance need not wait for them to run out. */
  releaseAll(owner: string): Promise<number>;
  /** The rows about one entity (e.g. a report's routing), oldest first. */
  listByEntity(entityRef: string, purpose?: string): Promise<OutboxRow[]>;
  /** Who each row of one entity and purpose is for and how far it got, oldest first: listByEntity without the cards, for a receipt. */
  deliveryStates(entityRef: string, purpose: string): Promise<Pick<OutboxRow, 'recipientName' | 'state'>[]>;
  /**
   * Entities whose `purpose` rows are all final, the last finished at or after `since`, and that
   * have no `followUp` row: e.g. reports whose routing is done but whose receipt was never updated
   * because the instance died between the outcome and its follow-up. At most `limit`, most recently finished first.
   */
  settledWithoutFollowUp(purpose: string, followUp: string, since: Date, limit: number): Promise<string[]>;
  /**
   * Data minimisation: the cards (and the follow-ups they carried) of rows that finished before
   * `before` are cleared, at most `limit` rows per call. The row itself stays, so its key still
   * stops the same card from being enqueued again, and the outcome stays for the records.
   * Returns how many rows were cleared.
   */
  clearFinishedCards(before: Date, limit: number): Promise<number>;
  get(key: string): Promise<OutboxRow | undefined>;
  /** Pending rows, for health and benchmarks. */
  pendingCount(): Promise<number>;
}

/**
 * A token bucket per key (a tenant), shared by every instance through the database: Teams allows
 * 50 requests per second per app and tenant, counted across all instances and retries.
 */
export interface RateLimitStore {
  /**
   * Takes one token if the bucket has one at `now` (refilled at `ratePerSecond`, holding at most
   * `capacity`). Returns 0 when taken, otherwise the milliseconds until a token will be there.
   * With capacity C and rate R, no one-second window sees more than C + R requests.
   */
  take(key: string, now: Date, ratePerSecond: number, capacity: number): Promise<number>;
}
