/**
 * The rules of one delivery attempt, as pure functions: how Teams' answer is classified, how long
 * to wait before the next attempt, and what the outbox row records. No I/O and no botbuilder, so
 * every rule has a table-driven test.
 */
import type { OutboxOutcome, OutboxRow } from '../store/outbox';

/** What one attempt at Teams came to (the transport classifies its answer into this). */
export type SendResult =
  | { kind: 'sent'; activityId?: string }
  /** Throttled, or a passing fault: the same message may go through later. */
  | { kind: 'retry'; retryAfterMs?: number; error: string }
  /**
   * Our side failed before Teams was asked (the database behind the rate limit or the references
   * was unavailable): tried again, and never counted against the retry budget, so a database
   * brownout cannot turn into "kunde inte nås" for people Teams never heard about.
   */
  | { kind: 'local-retry'; error: string }
  /** Refused for good (uninstalled, blocked, conversation gone, a card Teams will not take). */
  | { kind: 'terminal'; error: string }
  /** The person has no personal chat with the bot (never opened the app, or it was uninstalled). */
  | { kind: 'no-reference' };

/**
 * Whether a terminal answer means writing to the same conversation is pointless (the reference
 * is then marked inactive): 403 (blocked, uninstalled) and 404 (conversation gone). Not 401: that
 * is our own credentials, and marking every person inactive would hide a configuration mistake
 * behind "har inte appen". Not a 404 on updating a message: the message is gone, the chat is not.
 */
export function marksReferenceInactive(statusCode: number | undefined, updatingMessage: boolean): boolean {
  return statusCode === 403 || (statusCode === 404 && !updatingMessage);
}
/** Throttled or a passing fault at Teams (Teams documents 412, 429, 502, 503 and 504). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 412, 429, 500, 502, 503, 504]);
/** Node and core-rest-pipeline codes for a request that never got an answer: worth another try. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'REQUEST_SEND_ERROR',
]);

/** What a transport error told us, reduced to what the rules need. */
export interface FailureFacts {
  statusCode?: number;
  /** An error code (Node's `ECONNRESET`, Teams' `ConversationBlockedByUser`, …). */
  code?: string;
  /** The error's name, e.g. `AbortError`, `TimeoutError`, `RestError`. */
  name?: string;
  /** The Retry-After header, if Teams sent one. */
  retryAfter?: string | null;
}

/** Seconds or an HTTP date in Retry-After, as milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const s = Number(header);
  if (Number.isFinite(s)) return s >= 0 ? Math.round(s * 1000) : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** An operator-facing reason: the HTTP status and an error code, never message or card text. */
export function errorLabel(f: FailureFacts): string {
  const code = f.code && /^[A-Za-z0-9_.-]{1,64}$/.test(f.code) ? f.code : undefined;
  return [f.statusCode ? `HTTP ${f.statusCode}` : undefined, code ?? (f.name && /^[A-Za-z]{1,40}$/.test(f.name) ? f.name : undefined)].filter(Boolean).join(' ') || 'error';
}

/** Classifies a failed attempt. An answer we do not recognise without a status is treated as a passing fault. */
export function classifyFailure(f: FailureFacts, nowMs: number): Exclude<SendResult, { kind: 'sent' } | { kind: 'no-reference' }> {
  const error = errorLabel(f);
  const status = f.statusCode;
  if (status !== undefined && status > 0) {
    if (RETRYABLE_STATUSES.has(status)) {
      const hinted = parseRetryAfter(f.retryAfter, nowMs);
      return hinted === undefined ? { kind: 'retry', error } : { kind: 'retry', retryAfterMs: hinted, error };
    }
    return { kind: 'terminal', error };
  }
  if (f.code && NETWORK_CODES.has(f.code)) return { kind: 'retry', error };
  if (f.name === 'AbortError' || f.name === 'TimeoutError') return { kind: 'retry', error };
  // No status and no known code: most likely a fault on the way (DNS, TLS, a proxy); another try is cheap.
  return { kind: 'retry', error };
}

export interface RetryPolicy {
  /**
   * Attempts in all, the first included, once the retry window has also passed: a row ends
   * `failed` only when both are spent, so that a short outage (a Teams incident, a proxy restart,
   * a burst of 429s for one chat) cannot make "kunde inte nås" out of a card that would have
   * arrived a minute later.
   */
  maxAttempts: number;
  /**
   * How long from when a row was due it is tried before it may be given up. A new report's
   * routing is interactive: after 15 minutes the nämnd's chef must hear that someone was not
   * reached. A reminder can wait out a longer outage.
   */
  retryWindowMs: Record<OutboxRow['priority'], number>;
  /** First backoff (before jitter). */
  baseMs: number;
  /** Longest backoff (before jitter). */
  capMs: number;
  /** Longest Retry-After honoured: Teams has asked for minutes, a receipt should not wait that long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  retryWindowMs: { interactive: 15 * 60_000, bulk: 12 * 60 * 60_000 },
  baseMs: 1000,
  capMs: 60_000,
  maxRetryAfterMs: 120_000,
};

/**
 * The wait before the next attempt after `attempt` attempts. Retry-After is honoured (bounded)
 * plus a little jitter so instances do not come back in the same millisecond: Teams says when it
 * will take the card, and waiting longer only slows a fan-out. Otherwise exponential backoff with
 * "equal jitter" (between half and all of the step, never zero). A chat that keeps answering 429
 * "in 1 s" cannot spend its retries in seconds: the retry window (decide) keeps it going.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs) + Math.round(random() * 250);
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** What to record for a row after one attempt. */
export type Decision = { action: 'finish'; outcome: OutboxOutcome } | { action: 'retry'; at: Date; error: string };

/** `row.attempts` already counts this attempt (the claim counted it). */
export function decide(row: Pick<OutboxRow, 'attempts' | 'priority' | 'notBefore'>, result: SendResult, now: Date, policy: RetryPolicy, random: () => number = Math.random): Decision {
  switch (result.kind) {
    case 'sent':
      return { action: 'finish', outcome: result.activityId ? { state: 'sent', activityId: result.activityId } : { state: 'sent' } };
    case 'no-reference':
      return { action: 'finish', outcome: { state: 'no-reference' } };
    case 'terminal':
      return { action: 'finish', outcome: { state: 'failed', error: result.error } };
    case 'local-retry':
      return { action: 'retry', at: new Date(now.getTime() + retryDelayMs(Math.min(row.attempts, 4), undefined, policy, random)), error: result.error };
    case 'retry':
      if (row.attempts >= policy.maxAttempts && now.getTime() - row.notBefore.getTime() >= policy.retryWindowMs[row.priority]) {
        return { action: 'finish', outcome: { state: 'failed', error: `${result.error} (after ${row.attempts} attempts)` } };
      }
      return { action: 'retry', at: new Date(now.getTime() + retryDelayMs(row.attempts, result.retryAfterMs, policy, random)), error: result.error };
  }
}
