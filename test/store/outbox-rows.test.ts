import assert from 'node:assert/strict';
import { decodeUndeliverable, encodeUndeliverable, takeToken, type Bucket } from '../../src/store/outbox-rows';
import { message } from './outbox-contract';

const t = (ms: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, 0, 0) + ms);

describe('token bucket rule (takeToken)', () => {
  const cases: { name: string; stored: Bucket | undefined; now: number; rate: number; capacity: number; tokens: number; waitMs: number; at: number }[] = [
    { name: 'a new bucket starts full', stored: undefined, now: 0, rate: 45, capacity: 5, tokens: 4, waitMs: 0, at: 0 },
    { name: 'an empty bucket says how long one token takes', stored: { tokens: 0, updatedAt: t(0) }, now: 0, rate: 45, capacity: 5, tokens: 0, waitMs: 23, at: 0 },
    { name: 'a part token shortens the wait', stored: { tokens: 0.5, updatedAt: t(0) }, now: 0, rate: 10, capacity: 5, tokens: 0.5, waitMs: 50, at: 0 },
    { name: 'refills by the time elapsed', stored: { tokens: 0, updatedAt: t(0) }, now: 100, rate: 10, capacity: 5, tokens: 0, waitMs: 0, at: 100 },
    { name: 'holds at most its capacity', stored: { tokens: 0, updatedAt: t(0) }, now: 3_600_000, rate: 45, capacity: 5, tokens: 4, waitMs: 0, at: 3_600_000 },
    { name: 'a clock behind the last writer refills nothing and waits for it', stored: { tokens: 0, updatedAt: t(1000) }, now: 500, rate: 10, capacity: 5, tokens: 0, waitMs: 600, at: 1000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = takeToken(c.stored, t(c.now), c.rate, c.capacity);
      assert.equal(got.waitMs, c.waitMs);
      assert.ok(Math.abs(got.bucket.tokens - c.tokens) < 1e-9, `tokens ${got.bucket.tokens}`);
      assert.equal(got.bucket.updatedAt.getTime(), t(c.at).getTime());
    });
  }

  it('refuses a rate or capacity that could never grant a token', () => {
    assert.throws(() => takeToken(undefined, t(0), 0, 5), /positive rate/);
    assert.throws(() => takeToken(undefined, t(0), 45, 0.5), /capacity of at least 1/);
    assert.throws(() => takeToken(undefined, t(0), Number.NaN, 5), /positive rate/);
  });
});

describe('undeliverable messages (JSON text)', () => {
  it('round-trips nested messages with their dates', () => {
    const inner = message('inner', { notBefore: t(5), createdAt: t(1) });
    const list = [message('outer', { onUndeliverable: [inner] })];
    assert.deepEqual(decodeUndeliverable(encodeUndeliverable(list)), list);
    assert.equal(encodeUndeliverable([]), null);
    assert.equal(decodeUndeliverable(null), undefined);
    assert.throws(() => decodeUndeliverable('{"key":"x"}'), /not a JSON list/);
  });
});
