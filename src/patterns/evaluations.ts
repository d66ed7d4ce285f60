/**
 * The pattern rules for each new report, run after the caseworker's submit has been answered:
 * the rules read every report of the nämnd in the longest window, and a submit must not wait on
 * that (issue #12's submit target). One evaluation at a time, in filing order, so a burst of
 * submits never runs ten of them at once, and each waits (briefly) for the turns in flight: a
 * caseworker's turn goes before an alert that is held for working hours anyway. An evaluation lost
 * to a crash is not lost: the app's pattern sweep evaluates every report of the last day that was
 * not evaluated.
 */
import type { Logger } from '../log/logger';

export interface PatternEvaluationsDeps {
  /** Evaluates one report (PatternAlerts.afterReport); its own lease makes a repeat harmless. */
  evaluate: (reference: string) => Promise<unknown>;
  logger: Logger;
  /** Whether turns are in flight now; evaluations wait for a moment without (none when absent). */
  busy?: () => boolean;
  /** The longest one evaluation waits for `busy` to clear (PATTERN_YIELD_MAX_MS). */
  yieldMaxMs?: number;
  /** A report queued this long ago is evaluated without waiting (PATTERN_MAX_LAG_MS). */
  maxLagMs?: number;
}

/** Queued evaluations at most: beyond it (evaluations far slower than submits) the sweep takes the rest. */
export const PATTERN_QUEUE_MAX = 10_000;

/**
 * How long an evaluation waits for the turns in flight before it runs anyway: a steady stream of
 * turns delays the rules, at most this much per report, but never starves them.
 */
export const PATTERN_YIELD_MAX_MS = 250;
/**
 * Under sustained load every report would wait its yield, one after the other, and the queue would
 * fall behind without end: a report queued this long ago runs at once, as do all after it while
 * the queue is behind. Alerts lag the load by about this much, not by the queue's length.
 */
export const PATTERN_MAX_LAG_MS = 5_000;
const YIELD_POLL_MS = 5;

export class PatternEvaluations {
  private readonly queue: { reference: string; queuedAt: number }[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private hurried = false;

  constructor(private readonly deps: PatternEvaluationsDeps) {}

  /** Queues `reference`; returns at once. After stop() nothing is queued (the sweep takes it). */
  push(reference: string): void {
    if (this.stopped || this.queue.length >= PATTERN_QUEUE_MAX) {
      this.deps.logger.warn({ event: 'pattern-evaluation-deferred', reason: this.stopped ? 'stopping' : 'queue-full' }, 'a new report is left to the pattern sweep');
      return;
    }
    this.queue.push({ reference, queuedAt: performance.now() });
    // setImmediate: with SQLite the turn's answer is written before the first evaluation takes the
    // event loop; with SQL Server the turn may still wait on I/O, and the two interleave.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves when every queued evaluation has run (tests, and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** From now on nothing waits for turns (shutdown has begun: the queue must be drained within its budget). */
  hurry(): void {
    this.hurried = true;
  }

  /** Takes no more, and waits for what is queued: alerts it fires are in the outbox before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /**
   * Until no turn is in flight, the yield is used up, the report has waited its longest, or the
   * queue is stopping or hurried (shutdown drains at once). Monotonic time: a clock step cannot stretch it.
   */
  private async quiet(queuedAt: number): Promise<void> {
    const busy = this.deps.busy;
    if (!busy) return;
    const now = performance.now();
    const until = Math.min(now + (this.deps.yieldMaxMs ?? PATTERN_YIELD_MAX_MS), queuedAt + (this.deps.maxLagMs ?? PATTERN_MAX_LAG_MS));
    while (!this.stopped && !this.hurried && busy() && performance.now() < until) await new Promise<void>((resolve) => setTimeout(resolve, YIELD_POLL_MS));
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        await this.quiet(next.queuedAt);
        // Through a promise, so a synchronous throw is caught like a rejection and the queue goes on.
        await Promise.resolve(next.reference).then(this.deps.evaluate).catch((err: unknown) =>
          this.deps.logger.error({ err, event: 'pattern-evaluation-failed' }, 'pattern rules could not be evaluated for a new report; the pattern sweep tries again'),
        );
      }
    } finally {
      this.running = undefined;
    }
  }
}
