/** The pure rules of one delivery attempt: classification, Retry-After, backoff, and what is recorded. */
import assert from 'node:assert/strict';
import { classifyFailure, decide, parseRetryAfter, retryDelayMs, type FailureFacts, type RetryPolicy, type SendResult } from '../../src/notify/delivery-policy';
import { deliveryFailureOf, deliveryPurposeOf } from '../../src/notify/delivery-records';
import type { OutboxRow } from '../../src/store/outbox';

const NOW = Date.parse('2026-12-01T09:00:00Z');
const POLICY: RetryPolicy = { maxAttempts: 4, retryWindowMs: { interactive: 0, bulk: 0 }, baseMs: 1000, capMs: 8000, maxRetryAfterMs: 30_000 };

describe('delivery policy', () => {
  describe('classifyFailure', () => {
    const cases: [string, FailureFacts, SendResult][] = [
      ['429 with Retry-After seconds', { statusCode: 429, code: 'Throttled', retryAfter: '2' }, { kind: 'retry', retryAfterMs: 2000, error: 'HTTP 429 Throttled' }],
      ['429 with an HTTP-date Retry-After', { statusCode: 429, retryAfter: new Date(NOW + 5000).toUTCString() }, { kind: 'retry', retryAfterMs: 5000, error: 'HTTP 429' }],
      ['429 without Retry-After', { statusCode: 429 }, { kind: 'retry', error: 'HTTP 429' }],
      ['503 with Retry-After', { statusCode: 503, retryAfter: '1' }, { kind: 'retry', retryAfterMs: 1000, error: 'HTTP 503' }],
      ['412', { statusCode: 412, code: 'PreconditionFailed' }, { kind: 'retry', error: 'HTTP 412 PreconditionFailed' }],
      ['502', { statusCode: 502 }, { kind: 'retry', error: 'HTTP 502' }],
      ['504', { statusCode: 504 }, { kind: 'retry', error: 'HTTP 504' }],
      ['401', { statusCode: 401 }, { kind: 'terminal', error: 'HTTP 401' }],
      ['403 blocked', { statusCode: 403, code: 'ConversationBlockedByUser' }, { kind: 'terminal', error: 'HTTP 403 ConversationBlockedByUser' }],
      ['404 gone', { statusCode: 404, code: 'ConversationNotFound' }, { kind: 'terminal', error: 'HTTP 404 ConversationNotFound' }],
      ['400 a card Teams will not take', { statusCode: 400, code: 'BadArgument' }, { kind: 'terminal', error: 'HTTP 400 BadArgument' }],
      ['a reset connection', { code: 'ECONNRESET', name: 'RestError' }, { kind: 'retry', error: 'ECONNRESET' }],
      ['a send error from the pipeline', { code: 'REQUEST_SEND_ERROR' }, { kind: 'retry', error: 'REQUEST_SEND_ERROR' }],
      ['a timeout', { name: 'TimeoutError' }, { kind: 'retry', error: 'TimeoutError' }],
      ['nothing known', {}, { kind: 'retry', error: 'error' }],
    ];
    for (const [name, facts, expected] of cases) {
      it(name, () => assert.deepEqual(classifyFailure(facts, NOW), expected));
    }

    it('never puts free text from an error into the recorded reason', () => {
      const out = classifyFailure({ statusCode: 400, code: 'Card text: Anna Andersson 19121212-1212', name: 'Some long message' }, NOW);
      assert.deepEqual(out, { kind: 'terminal', error: 'HTTP 400' });
    });
  });

  describe('parseRetryAfter', () => {
    const cases: [string | null | undefined, number | undefined][] = [
      ['0', 0],
      ['3', 3000],
      ['1.5', 1500],
      ['-1', undefined],
      ['soon', undefined],
      ['', undefined],
      [null, undefined],
      [undefined, undefined],
      [new Date(NOW + 10_000).toUTCString(), 10_000],
      [new Date(NOW - 10_000).toUTCString(), 0],
    ];
    for (const [header, expected] of cases) it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(parseRetryAfter(header, NOW), expected));
  });

  describe('retryDelayMs', () => {
    it('honours Retry-After, with at most 250 ms of jitter', () => {
      assert.equal(retryDelayMs(1, 2000, POLICY, () => 0), 2000);
      assert.equal(retryDelayMs(1, 2000, POLICY, () => 1), 2250);
    });
    it('bounds Retry-After by maxRetryAfterMs', () => assert.equal(retryDelayMs(1, 600_000, POLICY, () => 0), 30_000));
    const backoff: [number, number, number][] = [
      // attempt, lowest (random 0), highest (random 1)
      [1, 500, 1000],
      [2, 1000, 2000],
      [3, 2000, 4000],
      [4, 4000, 8000],
      [9, 4000, 8000],
    ];
    for (const [attempt, lo, hi] of backoff) {
      it(`backs off exponentially with equal jitter, capped: attempt ${attempt} waits ${lo}–${hi} ms`, () => {
        assert.equal(retryDelayMs(attempt, undefined, POLICY, () => 0), lo);
        assert.equal(retryDelayMs(attempt, undefined, POLICY, () => 1), hi);
      });
    }
  });

  describe('decide', () => {
    const at = new Date(NOW);
    const row = (attempts: number, priority: 'interactive' | 'bulk' = 'bulk', dueMsAgo = 0) => ({ attempts, priority, notBefore: new Date(NOW - dueMsAgo) });
    it('sent keeps the activity id', () => assert.deepEqual(decide(row(1), { kind: 'sent', activityId: 'a1' }, at, POLICY), { action: 'finish', outcome: { state: 'sent', activityId: 'a1' } }));
    it('no reference ends no-reference', () => assert.deepEqual(decide(row(1), { kind: 'no-reference' }, at, POLICY), { action: 'finish', outcome: { state: 'no-reference' } }));
    it('terminal ends failed at once, whatever the attempts left', () =>
      assert.deepEqual(decide(row(1), { kind: 'terminal', error: 'HTTP 403' }, at, POLICY), { action: 'finish', outcome: { state: 'failed', error: 'HTTP 403' } }));
    it('a retry before the last attempt goes back with its next time (Retry-After honoured)', () =>
      assert.deepEqual(decide(row(3), { kind: 'retry', retryAfterMs: 1000, error: 'HTTP 429' }, at, POLICY, () => 0), {
        action: 'retry',
        at: new Date(NOW + 1000),
        error: 'HTTP 429',
      }));
    const window: RetryPolicy = { ...POLICY, retryWindowMs: { interactive: 15 * 60_000, bulk: 12 * 3600_000 } };
    const outage: [string, ReturnType<typeof row>, 'retry' | 'finish'][] = [
      ['an interactive row 6 s into a 429 storm, attempts spent: still tried', row(7, 'interactive', 6_000), 'retry'],
      ['an interactive row 31 s into a 503 outage: still tried', row(6, 'interactive', 31_000), 'retry'],
      ['an interactive row after its 15 minutes, attempts spent: given up', row(6, 'interactive', 15 * 60_000), 'finish'],
      ['an interactive row after 15 minutes but attempts left: still tried', row(3, 'interactive', 20 * 60_000), 'retry'],
      ['a reminder 2 hours into an outage: still tried', row(30, 'bulk', 2 * 3600_000), 'retry'],
      ['a reminder after its 12 hours, attempts spent: given up', row(30, 'bulk', 12 * 3600_000), 'finish'],
    ];
    for (const [name, r, action] of outage) {
      it(`retry window: ${name}`, () => assert.equal(decide(r, { kind: 'retry', retryAfterMs: 1000, error: 'HTTP 429' }, at, window, () => 0).action, action));
    }
    it('a retry after the last attempt ends failed, saying how many', () =>
      assert.deepEqual(decide(row(4), { kind: 'retry', error: 'HTTP 503' }, at, POLICY), { action: 'finish', outcome: { state: 'failed', error: 'HTTP 503 (after 4 attempts)' } }));
  });

  describe('delivery failures for the status summary', () => {
    const row = {
      id: 1,
      key: 'k',
      recipientEntraId: 'u1',
      recipientName: 'Anna',
      purpose: 'review-first',
      entityRef: 'unit-1/2026-W49',
      unitId: 'unit-1',
      committeeId: 'c1',
      cardJson: '{}',
      priority: 'bulk',
      notBefore: new Date(NOW),
      createdAt: new Date(NOW),
      state: 'pending',
      attempts: 2,
      nextAttemptAt: new Date(NOW),
    } satisfies OutboxRow;
    const purposes: [string, string | undefined][] = [
      ['new-report', 'new-report'],
      ['case-reminder', 'case-reminder'],
      ['case-escalation', 'case-reminder'],
      ['review-first', 'review-reminder'],
      ['review-unreachable', 'review-reminder'],
      ['receipt-update', undefined],
    ];
    for (const [p, expected] of purposes) it(`${p} → ${expected}`, () => assert.equal(deliveryPurposeOf(p), expected));
    it('a failure is recorded with its reason, a delivered card is not', () => {
      assert.equal(deliveryFailureOf(row, { state: 'sent' }, new Date(NOW)), undefined);
      assert.deepEqual(deliveryFailureOf(row, { state: 'failed', error: 'HTTP 403' }, new Date(NOW)), {
        at: new Date(NOW),
        recipientEntraId: 'u1',
        recipientName: 'Anna',
        unitId: 'unit-1',
        committeeId: 'c1',
        purpose: 'review-reminder',
        entityRef: 'unit-1/2026-W49',
        status: 'failed',
        error: 'HTTP 403',
      });
      assert.equal(deliveryFailureOf(row, { state: 'no-reference' }, new Date(NOW))?.status, 'no-reference');
    });
  });
});
