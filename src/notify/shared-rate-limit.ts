/**
 * The Teams rate limit, shared by every instance: a token bucket per tenant kept in the database
 * (RateLimitStore), 45 requests/s with a burst of 2, so no one-second window of token grants
 * sees more than 47: Teams counts arrivals, and a token taken now may reach Teams later than one
 * taken after it (a new connection, a slow first turn), which bunches arrivals. Measured at a
 * local connector, a burst of 5 let 51–56 arrive in the first second of a fan-out, and a burst of
 * 1 lost tokens whenever every sender slept past one; with 2 the busiest second measured 47–48,
 * under Teams' 50 per app and tenant, however many instances send and however many
 * retries there are. Every attempt takes a token, retries included.
 *
 * Within one process the waiters for a tenant queue locally, interactive before bulk, and only
 * the head of the queue asks the database: a report's routing does not wait behind a fan-out's
 * cards, and the database sees one poller per tenant and instance instead of one per send.
 */
import type { OutboxPriority, RateLimitStore } from '../store/outbox';

export interface SharedRateLimitOptions {
  ratePerSecond?: number;
  capacity?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Thrown from acquire() when its signal is aborted (the worker is stopping). */
export class RateLimitAborted extends Error {
  constructor() {
    super('waiting for a rate-limit token was abandoned');
    this.name = 'RateLimitAborted';
  }
}

interface Waiter {
  priority: OutboxPriority;
  resolve: () => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class SharedRateLimit {
  readonly ratePerSecond: number;
  readonly capacity: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly queues = new Map<string, Waiter[]>();
  private readonly pumping = new Set<string>();

  constructor(
    private readonly store: RateLimitStore,
    options: SharedRateLimitOptions = {},
  ) {
    this.ratePerSecond = options.ratePerSecond ?? 45;
    this.capacity = options.capacity ?? 2;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Resolves once a token for this tenant has been taken; rejects with RateLimitAborted if `signal` aborts first. */
  acquire(tenantId: string, priority: OutboxPriority = 'bulk', signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new RateLimitAborted());
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(tenantId) ?? [];
      this.queues.set(tenantId, queue);
      const waiter: Waiter = { priority, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(new RateLimitAborted());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      // Interactive waiters go ahead of every bulk waiter, behind earlier interactive ones.
      const at = priority === 'interactive' ? queue.findIndex((w) => w.priority === 'bulk') : -1;
      if (at >= 0) queue.splice(at, 0, waiter);
      else queue.push(waiter);
      void this.pump(tenantId);
    });
  }

  private async pump(tenantId: string): Promise<void> {
    if (this.pumping.has(tenantId)) return;
    this.pumping.add(tenantId);
    try {
      const queue = this.queues.get(tenantId)!;
      while (queue.length > 0) {
        let wait: number;
        try {
          wait = await this.store.take(tenantId, this.now(), this.ratePerSecond, this.capacity);
        } catch (err) {
          // The database is unreachable: nobody may send without a token, so the head waiter fails
          // (its row goes back to the outbox) and the rest try again.
          const head = queue.shift();
          if (head) this.settle(head, err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        if (wait <= 0) {
          const head = queue.shift();
          // Every waiter may have been abandoned while we asked: the token is then spent unused,
          // which errs on the safe side of the limit.
          if (head) this.settle(head);
          continue;
        }
        // A little past the moment the bucket has a token, so the next take finds it.
        await this.sleep(Math.max(1, Math.ceil(wait)));
      }
    } finally {
      this.pumping.delete(tenantId);
      if (this.queues.get(tenantId)?.length === 0) this.queues.delete(tenantId);
    }
  }

  private settle(w: Waiter, err?: Error): void {
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    if (err) w.reject(err);
    else w.resolve();
  }
}
