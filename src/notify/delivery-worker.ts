/**
 * Delivers the outbox. Every instance runs one worker; they share the rows through leases in the
 * database and the Teams rate limit through SharedRateLimit.
 *
 * - Claims only as many rows as it has free slots, and claims again whenever a slot frees up, so
 *   an interactive row (a new report's routing) enqueued during a fan-out gets the next free slot:
 *   the store hands out interactive rows first, and the rate limit lets them ahead locally.
 * - One attempt per claim. A retry goes back to the outbox with its next-attempt time instead of
 *   sleeping in a slot, so a throttled or slow recipient does not stall everyone behind it, and
 *   another instance may take it over.
 * - The lease runs from the moment of the claim and is renewed while a send is slow; a row whose
 *   lease could not be kept is never sent (another instance may already own it).
 * - stop() stops claiming, abandons token waits, lets sends already at Teams finish and record,
 *   then releases every lease it still holds.
 *
 * What this guarantees: at least once, with a duplicate only if an instance dies (or stop()'s
 * grace runs out) between Teams accepting a card and the outcome being recorded.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AdaptiveCard } from '../cards/render';
import type { Logger } from '../log/logger';
import type { AuditStore } from '../store/audit';
import type { OutboxOutcome, OutboxRow, OutboxStore } from '../store/outbox';
import { decide, DEFAULT_RETRY_POLICY, type Decision, type RetryPolicy, type SendResult } from './delivery-policy';
import type { Sender } from './sender';
import { RateLimitAborted, type SharedRateLimit } from './shared-rate-limit';

/** Why a dropped row was finished without being sent (its lastError). */
export const NO_LONGER_DUE = 'no-longer-due';

/**
 * "Still wanted?" for the rows of one purpose, asked just before each is sent: a reminder can wait
 * hours in the outbox (retries, the next working morning) while its case is decided. Implemented
 * by the capability that enqueues the purpose (src/cases for case reminders) and given to the
 * worker by the app, so that neither imports the other.
 */
export interface StillWanted {
  /** false: the row is dropped (finished as NO_LONGER_DUE, audited, never sent). A throw tries the row again later. */
  wanted(row: OutboxRow, now: Date): Promise<boolean>;
  /** The audit entity the row's entityRef names, e.g. 'report'. */
  entityType: string;
  /** The audit action of a drop, e.g. 'case.reminder-dropped'. */
  droppedAction: string;
}

export interface StillWantedChecks {
  /** Per outbox purpose; rows of other purposes are sent without asking. */
  byPurpose: Readonly<Record<string, StillWanted>>;
  /** Where a dropped row is audited. */
  audit: Pick<AuditStore, 'append'>;
}

export interface DeliveryWorkerDeps<Ref = unknown> {
  outbox: OutboxStore;
  sender: Sender<Ref>;
  rateLimit: Pick<SharedRateLimit, 'acquire'>;
  logger: Logger;
  now?: () => Date;
  /** Names this instance on its leases; unique per process (see defaultOwnerId). */
  owner?: string;
  /** Sends in flight at once (default 8). */
  concurrency?: number;
  /** How long a claim (and each renewal) holds a row (default 60 s). */
  leaseMs?: number;
  /** How often leases of rows still in flight are renewed (default a third of the lease). */
  renewEveryMs?: number;
  /** How often the outbox is looked at when nothing kicks the worker (default 1 s). */
  pollMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How long one send may take before it is given up and tried again later (default 30 s). */
  attemptTimeoutMs?: number;
  /** How long stop() waits for sends already at Teams (default 10 s). */
  stopGraceMs?: number;
  random?: () => number;
  /**
   * Called once a final outcome has been recorded by this worker (not when another instance took
   * the row over): e.g. to record a delivery failure or update a receipt. Errors are logged.
   */
  onFinished?: (row: OutboxRow, outcome: OutboxOutcome) => void | Promise<void>;
  /** Checks that drop rows no longer worth sending (see StillWanted); a dropped row is no delivery, so onFinished is not called. */
  stillWanted?: StillWantedChecks;
}

/** hostname-pid-random: two processes on one host, or a restarted one, never share leases. */
export function defaultOwnerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

type Phase = 'waiting' | 'sending' | 'recording';

interface Flight {
  row: OutboxRow;
  /** When the lease we hold runs out (ms since epoch), as far as we know. */
  leaseUntil: number;
  lost: boolean;
  phase: Phase;
  done: Promise<void>;
}

export interface StopResult {
  /** Leases handed back so other instances need not wait for them to run out. */
  released: number;
  /** Sends still at Teams when the grace ran out: their outcome is unknown (a duplicate is possible). */
  unfinished: number;
}

/** Tries for one outcome write, 0.25 s apart and doubling: about 8 s in all. */
const RECORD_TRIES = 6;
const RECORD_RETRY_BASE_MS = 250;

export class DeliveryWorker<Ref = unknown> {
  readonly owner: string;
  private readonly outbox: OutboxStore;
  private readonly sender: Sender<Ref>;
  private readonly rateLimit: Pick<SharedRateLimit, 'acquire'>;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly renewEveryMs: number;
  private readonly pollMs: number;
  private readonly policy: RetryPolicy;
  private readonly stopGraceMs: number;
  private readonly random: () => number;
  private readonly onFinished: DeliveryWorkerDeps<Ref>['onFinished'];
  private readonly stillWanted: StillWantedChecks | undefined;

  private readonly inFlight = new Map<number, Flight>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private stopping = false;
  private stopped: Promise<StopResult> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(deps: DeliveryWorkerDeps<Ref>) {
    this.outbox = deps.outbox;
    this.sender = deps.sender;
    this.rateLimit = deps.rateLimit;
    this.logger = deps.logger;
    this.now = deps.now ?? (() => new Date());
    this.owner = deps.owner ?? defaultOwnerId();
    this.concurrency = Math.max(1, deps.concurrency ?? 8);
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.attemptTimeoutMs = deps.attemptTimeoutMs ?? 30_000;
    this.renewEveryMs = deps.renewEveryMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.pollMs = deps.pollMs ?? 1000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
    this.stopGraceMs = deps.stopGraceMs ?? 10_000;
    this.random = deps.random ?? Math.random;
    this.onFinished = deps.onFinished;
    this.stillWanted = deps.stillWanted;
  }

  /** Starts the claim loop (idempotent). */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = this.loop();
  }

  /** Looks at the outbox now, e.g. right after a report's routing was enqueued. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Sends in flight right now (for health and tests). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** For tests and one-shot runs: claims one batch (up to the free slots), delivers it and waits; returns how many rows it claimed. */
  async drainOnce(): Promise<number> {
    const rows = await this.claimBatch();
    const flights = rows.map((r) => this.launch(r));
    await Promise.allSettled(flights.map((f) => f.done));
    return rows.length;
  }

  /**
   * Stops claiming, abandons token waits (those rows were not sent), waits up to the grace for
   * sends already at Teams to finish and be recorded, then releases every lease still held.
   */
  stop(graceMs: number = this.stopGraceMs): Promise<StopResult> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<StopResult> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.running?.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()].map((f) => f.done)),
      new Promise<void>((r) => (timer = setTimeout(r, graceMs))),
    ]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.values()].filter((f) => f.phase !== 'waiting').length;
    this.stopRenewing();
    let released = 0;
    try {
      released = await this.outbox.releaseAll(this.owner);
    } catch (err) {
      this.logger.error({ event: 'outbox-release-failed', owner: this.owner, err }, 'could not release outbox leases; they run out by themselves');
    }
    this.logger.info({ event: 'delivery-worker-stopped', owner: this.owner, released, unfinished }, 'delivery worker stopped');
    return { released, unfinished };
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        let rows: OutboxRow[];
        // Keep claiming while the store fills every free slot: there may be more due.
        do {
          rows = await this.claimBatch();
          rows.forEach((r) => this.launch(r));
        } while (!this.stopping && rows.length > 0 && this.inFlight.size < this.concurrency);
      } catch (err) {
        this.logger.error({ event: 'outbox-claim-failed', owner: this.owner, err }, 'could not claim outbox rows; trying again');
      }
      await this.idle();
    }
  }

  private async claimBatch(): Promise<OutboxRow[]> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0 || this.stopping) return [];
    return this.outbox.claim(this.owner, this.now(), this.leaseMs, free);
  }

  /** Until the poll interval passes, kick() is called or a slot frees up. */
  private idle(): Promise<void> {
    if (this.kicked || this.stopping) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      timer.unref();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = undefined;
        self.kicked = false;
        resolve();
      }
      this.wake = done;
    });
  }

  private launch(row: OutboxRow): Flight {
    const flight: Flight = {
      row,
      leaseUntil: row.leaseUntil?.getTime() ?? this.now().getTime() + this.leaseMs,
      lost: false,
      phase: 'waiting',
      done: Promise.resolve(),
    };
    this.inFlight.set(row.id, flight);
    this.startRenewing();
    flight.done = this.deliver(flight)
      .catch((err: unknown) => this.logger.error({ event: 'outbox-delivery-crashed', id: row.id, err }, 'delivering an outbox row failed unexpectedly; its lease runs out'))
      .finally(() => {
        this.inFlight.delete(row.id);
        if (this.inFlight.size === 0) this.stopRenewing();
        // A free slot: claim the next row now rather than at the next poll.
        this.kick();
      });
    return flight;
  }

  private async deliver(flight: Flight): Promise<void> {
    const { row } = flight;
    // First, so a row no longer wanted costs no lookup and no rate-limit token.
    const check = this.stillWanted && Object.hasOwn(this.stillWanted.byPurpose, row.purpose) ? this.stillWanted.byPurpose[row.purpose] : undefined;
    if (check) {
      let wanted: boolean;
      try {
        wanted = await check.wanted(row, this.now());
      } catch (err) {
        // Never sent unchecked: a reminder of a case decided meanwhile is worse than one a little late.
        this.logger.warn({ event: 'outbox-still-wanted-failed', id: row.id, purpose: row.purpose, err }, 'could not check whether the card is still wanted');
        return this.record(flight, { kind: 'local-retry', error: 'still-wanted-check-failed' });
      }
      if (!wanted) return this.drop(flight, check);
    }
    let dest: Awaited<ReturnType<Sender<Ref>['resolve']>>;
    try {
      dest = await this.sender.resolve(row.recipientEntraId);
    } catch (err) {
      this.logger.warn({ event: 'outbox-resolve-failed', id: row.id, err }, 'could not look up the conversation reference');
      return this.record(flight, { kind: 'local-retry', error: 'reference-lookup-failed' });
    }
    if (!dest) return this.record(flight, { kind: 'no-reference' });

    let card: AdaptiveCard;
    try {
      card = JSON.parse(row.cardJson) as AdaptiveCard;
    } catch {
      return this.record(flight, { kind: 'terminal', error: 'card-json-invalid' });
    }

    // A send starts only with half a lease left at least (renewed now if need be, never once it
    // ran out): renewals keep it while the card is on its way, and if they fail, that half is the
    // time before another instance could take the row over.
    const needMs = Math.floor(this.leaseMs / 2);
    const leaseHeld = async () => this.holds(flight, needMs) || (this.holds(flight) && (await this.renewNow(flight)) && this.holds(flight, needMs));
    const leaseLost = () => this.logger.warn({ event: 'outbox-lease-lost', id: row.id, key: row.key }, 'lease lost or too short before sending: left to whoever holds it next');
    // Renewed before the token is taken, not between token and send: a renewal is a database write
    // that can wait on another instance's lock, and a token taken before such a wait reaches Teams
    // late, bunched with tokens taken after it (a kill -9 run once saw 51 in one second that way).
    if (!(await leaseHeld())) return leaseLost();
    try {
      await this.rateLimit.acquire(dest.tenantId, row.priority, this.abort.signal);
    } catch (err) {
      // Stopping: not sent, and releaseAll hands the row back.
      if (err instanceof RateLimitAborted) return;
      this.logger.warn({ event: 'rate-limit-unavailable', id: row.id, err }, 'could not take a rate-limit token');
      return this.record(flight, { kind: 'local-retry', error: 'rate-limit-unavailable' });
    }
    // Normally no database work here: the lease was just checked; only a long wait for the token renews again.
    if (!(await leaseHeld())) return leaseLost();
    flight.phase = 'sending';
    let result: SendResult;
    try {
      // Bounded: the HTTP client has no timeout of its own, and a silently dropped connection would
      // hold this slot and its renewed lease for good. An attempt given up this way may still have
      // reached Teams, so its retry can be a duplicate (the README says so).
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<SendResult>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'retry', error: 'timeout' }), this.attemptTimeoutMs);
        timer.unref();
      });
      result = await Promise.race([this.sender.attempt(dest.ref, card, row.replacesActivityId), timeout]).finally(() => clearTimeout(timer));
    } catch (err) {
      // The sender classifies its own errors; a throw here is a bug, but the card may not have gone.
      this.logger.error({ event: 'outbox-sender-threw', id: row.id, err }, 'the sender threw');
      result = { kind: 'retry', error: 'sender-error' };
    }
    await this.record(flight, result);
  }

  /** Finishes a row no longer wanted without sending it, and audits that (only when this worker's outcome counted). */
  private async drop(flight: Flight, check: StillWanted): Promise<void> {
    flight.phase = 'recording';
    const { row } = flight;
    const at = this.now();
    const kept = await this.persist(flight, () => this.outbox.finish(row.id, this.owner, { state: 'failed', error: NO_LONGER_DUE }, at));
    if (!kept) {
      this.logger.warn({ event: 'outbox-lease-lost', id: row.id, key: row.key }, 'drop not recorded: another instance holds the row now');
      return;
    }
    this.logger.info({ event: 'outbox-dropped', id: row.id, purpose: row.purpose, entityRef: row.entityRef, reason: NO_LONGER_DUE }, 'a card no longer wanted was dropped unsent');
    try {
      await this.stillWanted!.audit.append({
        at,
        actorEntraId: 'system',
        action: check.droppedAction,
        entityType: check.entityType,
        entityRef: row.entityRef,
        detail: `purpose=${row.purpose} to=${row.recipientEntraId} reason=${NO_LONGER_DUE}`,
      });
    } catch (err) {
      this.logger.error({ event: 'outbox-drop-audit-failed', id: row.id, err }, 'a dropped card could not be audited');
    }
  }

  /** A live lease with at least `needMs` left, plus a margin so a renewal in flight cannot race the send. */
  private holds(flight: Flight, needMs = 0): boolean {
    const margin = Math.min(1000, this.leaseMs / 10);
    return !flight.lost && this.now().getTime() + needMs < flight.leaseUntil - margin;
  }

  /** Renews one row's lease at once; false if it is not ours any more or the database did not answer. */
  private async renewNow(flight: Flight): Promise<boolean> {
    try {
      const at = this.now();
      if ((await this.outbox.renew([flight.row.id], this.owner, at, this.leaseMs)) !== 1) return false;
      flight.leaseUntil = at.getTime() + this.leaseMs;
      return true;
    } catch {
      return false;
    }
  }

  private async record(flight: Flight, result: SendResult): Promise<void> {
    flight.phase = 'recording';
    const { row } = flight;
    const at = this.now();
    const decision: Decision = decide(row, result, at, this.policy, this.random);
    if (decision.action === 'retry') {
      const kept = await this.persist(flight, () => this.outbox.retryLater(row.id, this.owner, decision.at, decision.error));
      this.logger.info(
        { event: 'outbox-retry', id: row.id, purpose: row.purpose, recipient: row.recipientEntraId, attempts: row.attempts, error: decision.error, nextAttemptAt: decision.at.toISOString(), kept },
        'delivery will be tried again',
      );
      return;
    }
    const kept = await this.persist(flight, () => this.outbox.finish(row.id, this.owner, decision.outcome, at));
    if (!kept) {
      this.logger.warn({ event: 'outbox-lease-lost', id: row.id, key: row.key, state: decision.outcome.state }, 'outcome not recorded: another instance holds the row now');
      return;
    }
    if (decision.outcome.state !== 'sent') {
      this.logger.warn(
        { event: 'outbox-undeliverable', id: row.id, purpose: row.purpose, entityRef: row.entityRef, recipient: row.recipientEntraId, state: decision.outcome.state, error: decision.outcome.state === 'failed' ? decision.outcome.error : undefined, attempts: row.attempts },
        'a card could not be delivered',
      );
    }
    if (this.onFinished) {
      try {
        await this.onFinished(row, decision.outcome);
      } catch (err) {
        this.logger.error({ event: 'outbox-on-finished-failed', id: row.id, err }, 'recording what followed a delivery failed');
      }
    }
  }

  /**
   * Writes an outcome, tried again in place while the database hiccups (a busy file, a failover):
   * giving up at the first error would let the lease run out and the card that Teams already has
   * be sent again. The lease is renewed between tries. Both writes are guarded (owner, pending), so
   * repeating one is harmless. Throws only after the last try.
   */
  private async persist(flight: Flight, write: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (attempt >= RECORD_TRIES) throw err;
        this.logger.warn({ event: 'outbox-record-retry', id: flight.row.id, attempt, err }, 'could not record a delivery outcome; trying again');
        await new Promise((r) => setTimeout(r, RECORD_RETRY_BASE_MS * 2 ** (attempt - 1)));
        await this.renewNow(flight);
      }
    }
  }

  private startRenewing(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => void this.renewLeases(), this.renewEveryMs);
    this.renewTimer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }

  /** One call for every row in flight; only if some lease is gone, one call per row to learn which. */
  private async renewLeases(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      const flights = [...this.inFlight.values()].filter((f) => !f.lost && f.phase !== 'recording');
      if (flights.length === 0) return;
      const at = this.now();
      const held = await this.outbox.renew(flights.map((f) => f.row.id), this.owner, at, this.leaseMs);
      if (held === flights.length) {
        flights.forEach((f) => (f.leaseUntil = at.getTime() + this.leaseMs));
        return;
      }
      for (const f of flights) {
        if (f.phase === 'recording') continue;
        const t = this.now();
        if ((await this.outbox.renew([f.row.id], this.owner, t, this.leaseMs)) === 1) f.leaseUntil = t.getTime() + this.leaseMs;
        // The phase may have moved on while we asked.
        else if ((f.phase as Phase) !== 'recording' && this.inFlight.has(f.row.id)) {
          f.lost = true;
          this.logger.warn({ event: 'outbox-lease-lost', id: f.row.id, key: f.row.key, phase: f.phase }, 'an outbox lease could not be renewed');
        }
      }
    } catch (err) {
      this.logger.error({ event: 'outbox-renew-failed', owner: this.owner, err }, 'could not renew outbox leases');
    } finally {
      this.renewing = false;
    }
  }
}
