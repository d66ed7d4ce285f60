/**
 * The delivery worker on a real SQLite file (two workers = two connections, as two instances
 * would have), with a fake Sender that records every attempt and can be slow or refuse.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/log/logger';
import type { SendResult } from '../../src/notify/delivery-policy';
import { recordDeliveryFailures } from '../../src/notify/delivery-records';
import { DeliveryWorker, type DeliveryWorkerDeps } from '../../src/notify/delivery-worker';
import type { Sender } from '../../src/notify/sender';
import { RateLimitAborted, SharedRateLimit } from '../../src/notify/shared-rate-limit';
import type { OutboxMessage, OutboxOutcome, OutboxPriority } from '../../src/store/outbox';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const CARD = JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Påminnelse' }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(i: number, priority: OutboxPriority = 'bulk', over: Partial<OutboxMessage> = {}): OutboxMessage {
  const now = new Date();
  return {
    key: `test/${priority}/${i}`,
    recipientEntraId: `${priority}-${i}`,
    recipientName: `Person ${i}`,
    purpose: priority === 'interactive' ? 'new-report' : 'review-first',
    entityRef: priority === 'interactive' ? `LS-2026-${String(i).padStart(4, '0')}` : 'unit-1/2026-W49',
    unitId: 'unit-1',
    committeeId: 'c1',
    cardJson: CARD,
    priority,
    notBefore: now,
    createdAt: now,
    ...over,
  };
}

interface Attempt {
  recipient: string;
  at: number;
  worker: string;
}

/** Records each attempt; `script` answers per recipient in order, then `sent`; `delayMs` makes a send slow. */
class FakeSender implements Sender<string> {
  static readonly attempts: Attempt[] = [];
  readonly script = new Map<string, SendResult[]>();
  delayMs = 0;
  delayFor = new Map<string, number>();
  /** While set, every attempt waits for it (a send stuck at Teams). */
  gate: Promise<void> | undefined;
  started = 0;
  active = 0;
  maxActive = 0;
  constructor(
    readonly name: string,
    readonly log: Attempt[] = [],
  ) {}
  async resolve(recipient: string) {
    return recipient.startsWith('nobody') ? undefined : { tenantId: 'tenant-1', ref: recipient };
  }
  async attempt(recipient: string): Promise<SendResult> {
    this.started++;
    this.maxActive = Math.max(this.maxActive, ++this.active);
    this.log.push({ recipient, at: Date.now(), worker: this.name });
    try {
      if (this.gate) await this.gate;
      const delay = this.delayFor.get(recipient) ?? this.delayMs;
      if (delay > 0) await sleep(delay);
      return this.script.get(recipient)?.shift() ?? { kind: 'sent', activityId: `act-${recipient}` };
    } finally {
      this.active--;
    }
  }
}

/** A limiter that never holds anyone up (for tests about leases and order, not rate). */
const noLimit = { acquire: async () => undefined };

describe('DeliveryWorker on SQLite', () => {
  let dir: string;
  let n = 0;
  let file: string;
  const stores: SqliteStore[] = [];
  const workers: DeliveryWorker<string>[] = [];

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-delivery-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    file = path.join(dir, `worker-${++n}.db`);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop(0)));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  async function open(): Promise<SqliteStore> {
    const s = SqliteStore.open({ filename: file, busyTimeoutMs: 30_000 });
    await s.migrate();
    stores.push(s);
    return s;
  }
  function worker(store: SqliteStore, sender: FakeSender, over: Partial<DeliveryWorkerDeps<string>> = {}): DeliveryWorker<string> {
    const w = new DeliveryWorker<string>({
      outbox: store.outbox,
      sender,
      rateLimit: noLimit,
      logger: createLogger('silent'),
      owner: sender.name,
      pollMs: 20,
      ...over,
    });
    workers.push(w);
    return w;
  }
  async function until(cond: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await sleep(10);
    }
  }

  it('sends every due row once and records sent with the activity id; onFinished hears each outcome', async () => {
    const store = await open();
    await store.outbox.enqueue([1, 2, 3].map((i) => message(i)));
    const sender = new FakeSender('a');
    const finished: [string, OutboxOutcome][] = [];
    const w = worker(store, sender, { onFinished: (row, outcome) => void finished.push([row.key, outcome]) });
    assert.equal(await w.drainOnce(), 3);
    assert.deepEqual(sender.log.map((a) => a.recipient).sort(), ['bulk-1', 'bulk-2', 'bulk-3']);
    const row = await store.outbox.get('test/bulk/2');
    assert.equal(row?.state, 'sent');
    assert.equal(row?.activityId, 'act-bulk-2');
    assert.equal(row?.leaseUntil, undefined, 'no lease left on a finished row');
    assert.equal(finished.length, 3);
    assert.equal(await w.drainOnce(), 0, 'nothing left to claim');
  });

  // Review #13: a reminder waits in the outbox (retries, the next working morning) while its case is decided.
  describe('"still wanted?" per purpose, just before sending', () => {
    // [what the check answers, sent?, final state and error, audited?, onFinished heard it?]
    const table: [string, () => Promise<boolean>, boolean, string, string | undefined, boolean, boolean][] = [
      ['wanted', async () => true, true, 'sent', undefined, false, true],
      ['no longer wanted', async () => false, false, 'failed', 'no-longer-due', true, false],
      ['the check fails', async () => { throw new Error('database down'); }, false, 'pending', 'still-wanted-check-failed', false, false],
    ];
    for (const [what, answer, sent, state, error, audited, heard] of table) {
      it(`${what}: ${sent ? 'sent' : 'not sent'}, ${state}${error ? ` (${error})` : ''}`, async () => {
        const store = await open();
        await store.outbox.enqueue([message(1, 'bulk', { key: 'case-reminder/x/1', purpose: 'case-reminder', entityRef: 'LS-2026-0001' }), message(2)]);
        const sender = new FakeSender('a');
        const asked: string[] = [];
        const finished: string[] = [];
        const w = worker(store, sender, {
          onFinished: (row) => void finished.push(row.key),
          stillWanted: {
            byPurpose: { 'case-reminder': { entityType: 'report', droppedAction: 'case.reminder-dropped', wanted: (row) => (asked.push(row.key), answer()) } },
            audit: store.audit,
          },
        });
        assert.equal(await w.drainOnce(), 2);
        assert.deepEqual(asked, ['case-reminder/x/1'], 'only the purpose with a check is asked');
        assert.deepEqual(sender.log.map((a) => a.recipient).sort(), sent ? ['bulk-1', 'bulk-2'] : ['bulk-2']);
        const row = await store.outbox.get('case-reminder/x/1');
        assert.equal(row?.state, state);
        assert.equal(row?.lastError, error);
        const trail = await store.audit.list({ entityRef: 'LS-2026-0001' });
        assert.deepEqual(trail.map((e) => [e.action, e.entityType, e.detail]), audited ? [['case.reminder-dropped', 'report', 'purpose=case-reminder to=bulk-1 reason=no-longer-due']] : []);
        assert.equal(finished.includes('case-reminder/x/1'), heard, 'a drop is no delivery outcome');
        assert.ok(finished.includes('test/bulk/2'));
        if (state === 'pending') assert.equal(row?.attempts, 1);
      });
    }

    it('a dropped reminder is no delivery failure in the status summary', async () => {
      const store = await open();
      await store.outbox.enqueue([message(1, 'bulk', { key: 'case-reminder/x/1', purpose: 'case-reminder', entityRef: 'LS-2026-0001' })]);
      const record = recordDeliveryFailures(store.status);
      const w = worker(store, new FakeSender('a'), {
        onFinished: record,
        stillWanted: { byPurpose: { 'case-reminder': { entityType: 'report', droppedAction: 'case.reminder-dropped', wanted: async () => false } }, audit: store.audit },
      });
      await w.drainOnce();
      const row = (await store.outbox.get('case-reminder/x/1'))!;
      // Even were a hook told: the status summary records no failure for it.
      await record(row, { state: 'failed', error: 'no-longer-due' });
      const { people } = await store.status.unreachable({ unitIds: ['unit-1'], from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000), limit: 10 });
      assert.deepEqual(people, []);
    });
  });

  it('a retryable answer goes back with Retry-After honoured; the retry budget spent ends failed and is recorded as a delivery failure', async () => {
    const store = await open();
    await store.outbox.enqueue([message(1)]);
    const sender = new FakeSender('a');
    sender.script.set('bulk-1', [
      { kind: 'retry', retryAfterMs: 1000, error: 'HTTP 429' },
      { kind: 'retry', error: 'HTTP 503' },
    ]);
    let now = Date.parse('2026-12-01T09:00:00Z');
    const w = worker(store, sender, {
      now: () => new Date(now),
      retry: { maxAttempts: 2, retryWindowMs: { interactive: 0, bulk: 0 } },
      random: () => 0,
      onFinished: recordDeliveryFailures(store.status, () => new Date(now)),
    });
    // notBefore is real time: start the fake clock after it.
    now = Date.now() + 1;
    assert.equal(await w.drainOnce(), 1);
    let row = await store.outbox.get('test/bulk/1');
    assert.equal(row?.state, 'pending');
    assert.equal(row?.lastError, 'HTTP 429');
    assert.equal(row?.nextAttemptAt.getTime(), now + 1000);
    assert.equal(await w.drainOnce(), 0, 'not before Retry-After has passed');
    now += 1000;
    assert.equal(await w.drainOnce(), 1);
    row = await store.outbox.get('test/bulk/1');
    assert.equal(row?.state, 'failed');
    assert.equal(row?.lastError, 'HTTP 503 (after 2 attempts)');
    assert.equal(sender.log.length, 2);
    const { people } = await store.status.unreachable({ unitIds: ['unit-1'], from: new Date(now - 60_000), to: new Date(now + 60_000), limit: 10 });
    assert.deepEqual(
      people.map((p) => [p.entraId, p.lastStatus]),
      [['bulk-1', 'failed']],
    );
  });

  it('a database fault while recording an outcome Teams already has is tried again in place: the card is not sent twice', async function () {
    this.timeout(15_000);
    const store = await open();
    await store.outbox.enqueue([message(1)]);
    let faults = 2; // a busy file or a failover, right after Teams said yes
    const outbox = Object.create(store.outbox) as typeof store.outbox;
    outbox.finish = async (...args) => {
      if (faults-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return store.outbox.finish(...args);
    };
    const sender = new FakeSender('a');
    const w = worker(store, sender, { outbox, leaseMs: 1000 });
    w.start();
    await until(async () => (await store.outbox.get('test/bulk/1'))?.state === 'sent');
    // Well past the lease: nothing is sent again.
    await sleep(1500);
    assert.equal(sender.log.length, 1);
    assert.equal(faults, -1, 'both faults were met and the third write went through');
  });

  it('a send starts only with the lease it may need left: when renewals fail during a long wait for a token, the row is left to the next holder, never sent by both', async function () {
    this.timeout(15_000);
    const a = await open();
    const b = await open();
    await a.outbox.enqueue([message(1)]);
    // The database goes away for A right after its claim: renewals fail, and so does any later claim.
    const flaky = Object.create(a.outbox) as typeof a.outbox;
    let claims = 0;
    flaky.claim = async (...args) => (claims++ === 0 ? a.outbox.claim(...args) : Promise.reject(new Error('connection reset')));
    flaky.renew = async () => Promise.reject(new Error('connection reset'));
    const log: Attempt[] = [];
    const slow = new FakeSender('a', log);
    slow.delayMs = 2000;
    const wa = worker(a, slow, { outbox: flaky, leaseMs: 3000, rateLimit: { acquire: async () => void (await sleep(2500)) } });
    wa.start();
    await sleep(200);
    const wb = worker(b, new FakeSender('b', log), { leaseMs: 3000 });
    wb.start();
    await until(async () => (await b.outbox.get('test/bulk/1'))?.state === 'sent');
    await sleep(2500);
    assert.deepEqual(log.map((x) => x.worker), ['b']);
  });

  it('a database fault before Teams is asked never spends the retry budget: the row stays pending, nobody is told "kunde inte nås"', async () => {
    const store = await open();
    await store.outbox.enqueue([message(1)]);
    const sender = new FakeSender('a');
    let now = Date.now() + 1;
    const broken = { acquire: async () => Promise.reject(new Error('SQLITE_BUSY: database is locked')) };
    const w = worker(store, sender, { now: () => new Date(now), rateLimit: broken, retry: { maxAttempts: 2 }, random: () => 0 });
    for (let i = 0; i < 6; i++) {
      await w.drainOnce();
      now += 60_000;
    }
    const row = await store.outbox.get('test/bulk/1');
    assert.equal(row?.state, 'pending', 'still to be delivered');
    assert.equal(row?.lastError, 'rate-limit-unavailable');
    assert.equal(sender.log.length, 0, 'Teams was never asked');
  });

  it('a send that never answers is given up after attemptTimeoutMs and tried again, freeing its slot', async () => {
    const store = await open();
    await store.outbox.enqueue([message(1), message(2)]);
    const sender = new FakeSender('a');
    sender.delayFor.set('bulk-1', 60_000); // a connection dropped without a word
    const w = worker(store, sender, { concurrency: 1, attemptTimeoutMs: 200 });
    const started = Date.now();
    await w.drainOnce();
    await until(async () => (await store.outbox.get('test/bulk/1'))?.lastError === 'timeout', 5000);
    assert.ok(Date.now() - started < 3000);
    assert.equal((await store.outbox.get('test/bulk/1'))?.state, 'pending');
  });

  it('a terminal refusal ends failed after one attempt; no conversation reference ends no-reference without a send', async () => {
    const store = await open();
    await store.outbox.enqueue([message(1), message(2, 'bulk', { recipientEntraId: 'nobody-2' })]);
    const sender = new FakeSender('a');
    sender.script.set('bulk-1', [{ kind: 'terminal', error: 'HTTP 403 ConversationBlockedByUser' }]);
    const w = worker(store, sender);
    await w.drainOnce();
    assert.equal((await store.outbox.get('test/bulk/1'))?.state, 'failed');
    assert.equal((await store.outbox.get('test/bulk/1'))?.attempts, 1);
    assert.equal((await store.outbox.get('test/bulk/2'))?.state, 'no-reference');
    assert.deepEqual(sender.log.map((a) => a.recipient), ['bulk-1']);
  });

  it('renews the lease of a send slower than the lease, so a second worker on the same file never sends it again', async () => {
    const storeA = await open();
    const storeB = await open();
    await storeA.outbox.enqueue([1, 2].map((i) => message(i)));
    const log: Attempt[] = [];
    const a = new FakeSender('a', log);
    a.delayMs = 1200; // four leases long
    const b = new FakeSender('b', log);
    const wa = worker(storeA, a, { leaseMs: 300, concurrency: 2 });
    const wb = worker(storeB, b, { leaseMs: 300, concurrency: 2 });
    wa.start();
    await until(() => a.started === 2);
    wb.start();
    await until(async () => (await storeA.outbox.pendingCount()) === 0);
    assert.deepEqual(log.map((x) => `${x.worker}:${x.recipient}`).sort(), ['a:bulk-1', 'a:bulk-2']);
    assert.equal((await storeA.outbox.get('test/bulk/1'))?.state, 'sent');
  });

  it('never sends a row whose lease ran out while it waited for a token (another worker may own it by then)', async () => {
    const storeA = await open();
    const storeB = await open();
    await storeA.outbox.enqueue([message(1)]);
    let now = Date.now() + 1;
    const a = new FakeSender('a');
    const b = new FakeSender('b');
    // The wait outlasts the lease (a stalled process, a database that did not answer renewals).
    const slow = { acquire: async () => void (now += 120_000) };
    const wa = worker(storeA, a, { now: () => new Date(now), leaseMs: 60_000, rateLimit: slow });
    const wb = worker(storeB, b, { now: () => new Date(now) });
    await wa.drainOnce();
    assert.equal(a.started, 0, 'not sent without a live lease');
    assert.equal(await wb.drainOnce(), 1);
    assert.deepEqual(b.log.map((x) => x.recipient), ['bulk-1']);
    assert.equal((await storeA.outbox.get('test/bulk/1'))?.state, 'sent');
  });

  it('interactive rows overtake a bulk backlog', async () => {
    const store = await open();
    await store.outbox.enqueue(Array.from({ length: 60 }, (_, i) => message(i)));
    const sender = new FakeSender('a');
    sender.delayMs = 15;
    const w = worker(store, sender, { concurrency: 3 });
    w.start();
    await until(() => sender.log.length >= 6);
    await store.outbox.enqueue([message(1, 'interactive'), message(2, 'interactive')]);
    const enqueuedAfter = sender.log.length;
    w.kick();
    await until(async () => (await store.outbox.pendingCount()) === 0);
    const pos = (r: string) => sender.log.findIndex((a) => a.recipient === r);
    // At most the sends already in flight (one per slot) go before them.
    for (const r of ['interactive-1', 'interactive-2']) {
      assert.ok(pos(r) <= enqueuedAfter + 3 + 1, `${r} was send number ${pos(r)} of ${sender.log.length} (enqueued after ${enqueuedAfter})`);
      assert.ok(sender.log.length - pos(r) > 40, `${r} went before most of the backlog`);
    }
    assert.equal(sender.log.length, 62);
    assert.equal(sender.maxActive, 3, 'never more sends at once than the concurrency');
  });

  it('stop() gives back rows waiting for a token (never sent) and rows stuck at Teams once the grace is out; another worker takes them at once', async () => {
    const storeA = await open();
    const storeB = await open();
    await storeA.outbox.enqueue([1, 2, 3, 4].map((i) => message(i)));
    const a = new FakeSender('a');
    let release!: () => void;
    a.gate = new Promise<void>((r) => (release = r));
    // Two rows get a token and hang at Teams; the other two wait for a token that never comes.
    let tokens = 2;
    const stingy = {
      acquire: (_tenant: string, _p?: OutboxPriority, signal?: AbortSignal) =>
        tokens-- > 0 ? Promise.resolve() : new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(new RateLimitAborted()))),
    };
    const wa = worker(storeA, a, { concurrency: 4, leaseMs: 60_000, rateLimit: stingy });
    wa.start();
    await until(() => a.started === 2 && wa.inFlightCount === 4);
    const result = await wa.stop(100);
    assert.deepEqual(result, { released: 4, unfinished: 2 });
    release();
    assert.equal(a.started, 2, 'the rows waiting for a token were never sent');

    const b = new FakeSender('b');
    const wb = worker(storeB, b);
    assert.equal(await wb.drainOnce(), 4, 'no lease left to run out');
  });

  it('stop() lets a send already at Teams finish and record before releasing', async () => {
    const store = await open();
    await store.outbox.enqueue([message(1)]);
    const a = new FakeSender('a');
    a.delayMs = 200;
    const w = worker(store, a);
    w.start();
    await until(() => a.started === 1);
    assert.deepEqual(await w.stop(5_000), { released: 0, unfinished: 0 });
    assert.equal((await store.outbox.get('test/bulk/1'))?.state, 'sent');
  });

  it('two workers with the real SharedRateLimit: every row once, retries included, never more than 50 attempts in any 1-second window', async function () {
    this.timeout(30_000);
    const storeA = await open();
    const storeB = await open();
    const N = 140;
    await storeA.outbox.enqueue(Array.from({ length: N }, (_, i) => message(i)));
    const log: Attempt[] = [];
    const a = new FakeSender('a', log);
    const b = new FakeSender('b', log);
    // Every tenth recipient is throttled once: its retry must take a token too.
    for (let i = 0; i < N; i += 10) {
      a.script.set(`bulk-${i}`, [{ kind: 'retry', retryAfterMs: 0, error: 'HTTP 429' }]);
      b.script.set(`bulk-${i}`, [{ kind: 'retry', retryAfterMs: 0, error: 'HTTP 429' }]);
    }
    a.delayMs = b.delayMs = 5;
    const wa = worker(storeA, a, { rateLimit: new SharedRateLimit(storeA.rateLimits), concurrency: 8 });
    const wb = worker(storeB, b, { rateLimit: new SharedRateLimit(storeB.rateLimits), concurrency: 8 });
    wa.start();
    wb.start();
    await until(async () => (await storeA.outbox.pendingCount()) === 0, 25_000);

    const sent = new Map<string, number>();
    for (const x of log) sent.set(x.recipient, (sent.get(x.recipient) ?? 0) + 1);
    assert.equal(sent.size, N, 'every row attempted');
    const states = await Promise.all(Array.from({ length: N }, (_, i) => storeA.outbox.get(`test/bulk/${i}`)));
    assert.ok(states.every((r) => r?.state === 'sent'), 'every row sent');
    assert.ok(log.length >= N + 2, `retries happened (${log.length} attempts)`);
    assert.ok(new Set(log.map((x) => x.worker)).size === 2, 'both workers sent');

    const times = log.map((x) => x.at).sort((p, q) => p - q);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j]! <= times[i]! - 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    assert.ok(worst <= 50, `${worst} attempts in one second`);
    // And the limit is not far below the rate: 45/s after a burst of 5.
    const spanS = (times.at(-1)! - times[0]!) / 1000;
    assert.ok(spanS >= (log.length - 5) / 45 - 0.2, `${log.length} attempts in ${spanS.toFixed(2)} s is faster than 45/s`);
    assert.ok(worst >= 30, `the limit was used (${worst} in the busiest second)`);
  });
});
