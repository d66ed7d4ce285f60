/**
 * The local scheduling of SharedRateLimit (against a small in-memory RateLimitStore with a fake
 * clock): interactive before bulk, abandoning a wait, a store that fails. The limit across
 * instances is tested on a real SQLite file in delivery-worker.test.ts.
 */
import assert from 'node:assert/strict';
import { RateLimitAborted, SharedRateLimit } from '../../src/notify/shared-rate-limit';
import type { RateLimitStore } from '../../src/store/outbox';

/** A token bucket per key in memory, on a fake clock that sleep() advances. */
function fakeBuckets() {
  let clock = 0;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const takes: string[] = [];
  let failNext = 0;
  const store: RateLimitStore = {
    async take(key, now, rate, capacity) {
      takes.push(key);
      if (failNext > 0) {
        failNext--;
        throw new Error('database unreachable');
      }
      const t = now.getTime();
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + ((t - b.at) * rate) / 1000);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) * 1000) / rate);
    },
  };
  return {
    store,
    takes,
    now: () => new Date(clock),
    sleep: async (ms: number) => {
      await new Promise((r) => setImmediate(r));
      clock += ms;
    },
    failOnce: () => (failNext = 1),
    get clock() {
      return clock;
    },
  };
}

describe('SharedRateLimit (scheduling)', () => {
  it('paces to the rate after the burst: 15 tokens at 10/s with capacity 5 take about one second', async () => {
    const f = fakeBuckets();
    const limit = new SharedRateLimit(f.store, { ratePerSecond: 10, capacity: 5, now: f.now, sleep: f.sleep });
    await Promise.all(Array.from({ length: 15 }, () => limit.acquire('t1')));
    assert.ok(f.clock >= 990 && f.clock <= 1100, `fake time ${f.clock} ms`);
  });

  it('interactive waiters go ahead of bulk waiters queued earlier', async () => {
    const f = fakeBuckets();
    const limit = new SharedRateLimit(f.store, { ratePerSecond: 10, capacity: 1, now: f.now, sleep: f.sleep });
    const order: string[] = [];
    const waits = [
      ...Array.from({ length: 6 }, (_, i) => limit.acquire('t1', 'bulk').then(() => order.push(`bulk-${i}`))),
      limit.acquire('t1', 'interactive').then(() => order.push('interactive')),
    ];
    await Promise.all(waits);
    // Every waiter queued before the first token was taken: first in line is the interactive one, not the sixth bulk.
    assert.deepEqual(order, ['interactive', 'bulk-0', 'bulk-1', 'bulk-2', 'bulk-3', 'bulk-4', 'bulk-5']);
    assert.equal(order.length, 7);
  });

  it('keys are separate: one tenant waiting does not hold up another', async () => {
    const f = fakeBuckets();
    const limit = new SharedRateLimit(f.store, { ratePerSecond: 1, capacity: 1, now: f.now, sleep: f.sleep });
    await limit.acquire('t1');
    const t1 = limit.acquire('t1');
    await limit.acquire('t2');
    assert.equal(f.clock, 0, 't2 got its token without waiting for t1');
    await t1;
    assert.ok(f.clock >= 1000);
  });

  it('an aborted wait rejects with RateLimitAborted and takes no token', async () => {
    const f = fakeBuckets();
    const limit = new SharedRateLimit(f.store, { ratePerSecond: 1, capacity: 1, now: f.now, sleep: f.sleep });
    await limit.acquire('t1');
    const ac = new AbortController();
    const waiting = limit.acquire('t1', 'bulk', ac.signal);
    ac.abort();
    await assert.rejects(waiting, RateLimitAborted);
    await assert.rejects(limit.acquire('t1', 'bulk', ac.signal), RateLimitAborted);
  });

  it('a failing store fails the waiter at the head only; the others still get tokens', async () => {
    const f = fakeBuckets();
    const limit = new SharedRateLimit(f.store, { ratePerSecond: 10, capacity: 5, now: f.now, sleep: f.sleep });
    f.failOnce();
    const results = await Promise.allSettled([limit.acquire('t1'), limit.acquire('t1'), limit.acquire('t1')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
  });
});
