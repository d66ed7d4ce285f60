/**
 * What a graceful stop achieved, and the exit code that tells the platform (and the operator
 * reading its restart history) whether anything had to be given up.
 */

export interface StopResult {
  /** Requests running when the stop began that finished before the deadline. */
  finishedTurns: number;
  /**
   * Requests still running at the deadline: answered 503 (or closed, if their answer had begun)
   * while their turn went on. What such a turn had committed stays; what it had not yet done is lost.
   */
  cutTurns: number;
  /** Requests that arrived during the stop, answered 503 with Retry-After without being processed. */
  refusedRequests: number;
  /**
   * Cards already at Teams when the delivery worker stopped: whether they arrived is unknown. Their
   * rows stay in the outbox and are sent again after the lease, possibly a second time.
   */
  unfinishedSends: number;
  /** Outbox leases handed back, so another instance can deliver those rows at once. */
  releasedLeases: number;
  /** Background jobs that failed to stop, or were still running when the time ran out. */
  failedJobs: string[];
  /** The database closed without an error. */
  databaseClosed: boolean;
}

/** Exit code of a stop that gave something up: a cut turn, a send of unknown outcome, a job or database that did not stop. */
export const EXIT_STOP_INCOMPLETE = 1;

export function stopWasClean(r: StopResult): boolean {
  return r.cutTurns === 0 && r.unfinishedSends === 0 && r.failedJobs.length === 0 && r.databaseClosed;
}

export function exitCodeFor(r: StopResult): number {
  return stopWasClean(r) ? 0 : EXIT_STOP_INCOMPLETE;
}
