/**
 * The outbox and shared rate-limit part of the store contract (called from ./contract.ts).
 * `peer` opens a second instance on the same database as the current store (another process, as
 * far as the database can tell), for the tests of what two instances do together.
 */
import assert from 'node:assert/strict';
import type { OutboxMessage } from '../../src/store/outbox';
import type { Store } from '../../src/store/store';
import { newReport, sampleOrg } from './contract';

const T0 = new Date('2026-11-23T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

export const message = (key: string, over: Partial<OutboxMessage> = {}): OutboxMessage => ({
  key,
  recipientEntraId: 'aaaaaaaa-0000-0000-0000-000000000001',
  recipientName: 'Anna Chef',
  purpose: 'new-report',
  entityRef: 'LS-2026-0001',
  unitId: 'bou',
  committeeId: 'sn',
  cardJson: '{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"Åäö ✓"}]}',
  priority: 'interactive',
  notBefore: T0,
  createdAt: T0,
  ...over,
});

export function runOutboxContract(current: () => Store, peer: (() => Promise<Store>) | undefined): void {
  describe('outbox', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('enqueues once per key, returns the keys inserted and audits only those', async () => {
      const audit = (m: OutboxMessage) => ({ at: m.createdAt, actorEntraId: 'system', action: 'outbox.enqueue', entityType: 'outbox', entityRef: m.entityRef, detail: m.key });
      assert.deepEqual(await store.outbox.enqueue([message('a'), message('b'), message('a', { recipientName: 'Dubblett' })], audit), ['a', 'b']);
      assert.deepEqual(await store.outbox.enqueue([message('b'), message('c')], audit), ['c']);
      assert.deepEqual((await store.audit.list({ entityRef: 'LS-2026-0001' })).map((e) => e.detail), ['a', 'b', 'c']);
      assert.equal(await store.outbox.pendingCount(), 3);
      assert.equal((await store.outbox.get('a'))?.recipientName, 'Anna Chef');
    });

    it('covers: the work a row stands for is done with it; a row that has some of it already is not written, and the same row again only marks it', async () => {
      const done = async (keys: string[]) => [...(await store.state.completedLeases(keys))].sort();
      assert.deepEqual(await store.outbox.enqueue([message('digest/1', { covers: ['w/a', 'w/b'] })]), ['digest/1']);
      assert.deepEqual(await done(['w/a', 'w/b', 'w/c']), ['w/a', 'w/b']);
      // Another digest overlapping it (an instance that saw more late work): not written, and its other work not marked.
      assert.deepEqual(await store.outbox.enqueue([message('digest/2', { covers: ['w/b', 'w/c'] })]), []);
      assert.deepEqual(await done(['w/c']), []);
      // A card of its own whose work a digest has: not written.
      assert.deepEqual(await store.outbox.enqueue([message('w/a', { covers: ['w/a'] })]), []);
      // A digest whose work is a card in the outbox already (enqueued alone, without covers): not written.
      await store.outbox.enqueue([message('w/h')]);
      assert.deepEqual(await store.outbox.enqueue([message('digest/3', { covers: ['w/h', 'w/i'] })]), []);
      assert.deepEqual(await done(['w/h', 'w/i']), []);
      // The same row again (another instance, or a row of the version that marked after writing): only marked.
      await store.outbox.enqueue([message('digest/4')]);
      assert.deepEqual(await store.outbox.enqueue([message('digest/4', { covers: ['w/e', 'w/f'] })]), []);
      assert.deepEqual(await done(['w/e', 'w/f']), ['w/e', 'w/f']);
      // The row there already while some of its work is done: the rest is marked (the row is never skipped for its own work).
      await store.outbox.enqueue([message('digest/6')]);
      assert.deepEqual(await store.outbox.enqueue([message('digest/6', { covers: ['w/a', 'w/j'] })]), []);
      assert.deepEqual(await done(['w/a', 'w/j']), ['w/a', 'w/j']);
      // Work under a live lease (not done): marked done by the row.
      assert.equal(await store.state.claimLease('w/g', T0, 60_000), true);
      assert.deepEqual(await store.outbox.enqueue([message('digest/5', { covers: ['w/g'] })]), ['digest/5']);
      assert.deepEqual(await done(['w/g']), ['w/g']);
      assert.equal(await store.state.claimLease('w/g', at(120_000), 60_000), false, 'done work is never claimed again');
    });

    it('round-trips every field, including the messages to enqueue when undeliverable', async () => {
      const { unitId: _none, ...fallback } = message('fallback', { recipientName: 'Chef för nämnden', purpose: 'new-report-unreachable', priority: 'bulk' });
      const m = message('full', {
        recipientEntraId: 'AAAAAAAA-0000-0000-0000-000000000001',
        replacesActivityId: '1:activity',
        notBefore: at(5000),
        onUndeliverable: [fallback],
      });
      await store.outbox.enqueue([m]);
      const row = await store.outbox.get('full');
      assert.ok(row);
      const { id, state, attempts, nextAttemptAt, ...fields } = row;
      assert.deepEqual(fields, { ...m, recipientEntraId: m.recipientEntraId.toLowerCase() });
      assert.ok(id > 0);
      assert.deepEqual([state, attempts, nextAttemptAt.toISOString()], ['pending', 0, at(5000).toISOString()]);
      const { unitId: _u, committeeId: _c, ...plain } = message('plain');
      await store.outbox.enqueue([plain]);
      const back = await store.outbox.get('plain');
      assert.equal('unitId' in back!, false);
      assert.equal('onUndeliverable' in back!, false);
      assert.equal('leaseOwner' in back!, false);
      assert.equal(await store.outbox.get('missing'), undefined);
    });

    it('claims interactive before bulk, then oldest first, at most the limit, with the lease from the claim', async () => {
      await store.outbox.enqueue([
        message('bulk-old', { priority: 'bulk', notBefore: at(-3000) }),
        message('int-new', { notBefore: at(-1000) }),
        message('int-old', { notBefore: at(-2000) }),
        message('bulk-new', { priority: 'bulk', notBefore: at(-500) }),
      ]);
      const first = await store.outbox.claim('w1', at(0), 30_000, 3);
      assert.deepEqual(first.map((r) => r.key), ['int-old', 'int-new', 'bulk-old']);
      for (const r of first) {
        assert.equal(r.leaseOwner, 'w1');
        assert.equal(r.leaseUntil?.toISOString(), at(30_000).toISOString());
        assert.equal(r.attempts, 1);
      }
      // A claim long after (a slow tick) leases from its own moment, not from the first.
      const later = await store.outbox.claim('w1', at(400_000), 30_000, 10);
      assert.deepEqual(later.map((r) => r.key), ['int-old', 'int-new', 'bulk-old', 'bulk-new']);
      assert.equal(later[3]!.leaseUntil?.toISOString(), at(430_000).toISOString());
      assert.equal(later[0]!.attempts, 2);
      assert.deepEqual(await store.outbox.claim('w1', at(400_000), 30_000, 0), []);
    });

    it('respects notBefore and nextAttemptAt', async () => {
      await store.outbox.enqueue([message('snoozed', { notBefore: at(60_000) })]);
      assert.deepEqual(await store.outbox.claim('w1', at(59_999), 1000, 10), []);
      const [row] = await store.outbox.claim('w1', at(60_000), 1000, 10);
      assert.equal(row?.key, 'snoozed');
      assert.equal(await store.outbox.retryLater(row!.id, 'w1', at(120_000), 'http-429'), true);
      const retried = await store.outbox.get('snoozed');
      assert.deepEqual([retried?.nextAttemptAt.toISOString(), retried?.lastError, retried?.leaseOwner], [at(120_000).toISOString(), 'http-429', undefined]);
      assert.deepEqual(await store.outbox.claim('w1', at(119_999), 1000, 10), []);
      assert.equal((await store.outbox.claim('w2', at(120_000), 1000, 10))[0]?.attempts, 2);
      assert.equal(await store.outbox.retryLater(row!.id, 'w1', at(200_000), 'x'), false, 'w1 no longer holds it');
    });

    it('a live lease blocks a second claimer; a run-out lease is taken over and the first owner can no longer finish', async () => {
      await store.outbox.enqueue([message('m')]);
      const [row] = await store.outbox.claim('w1', at(0), 10_000, 10);
      assert.ok(row);
      assert.deepEqual(await store.outbox.claim('w2', at(9_999), 10_000, 10), []);
      const taken = await store.outbox.claim('w2', at(10_000), 10_000, 10);
      assert.deepEqual(taken.map((r) => [r.key, r.leaseOwner, r.attempts]), [['m', 'w2', 2]]);
      assert.equal(await store.outbox.finish(row.id, 'w1', { state: 'sent', activityId: 'late' }, at(10_001)), false);
      assert.equal(await store.outbox.renew([row.id], 'w1', at(10_001), 10_000), 0);
      assert.equal(await store.outbox.finish(row.id, 'w2', { state: 'sent', activityId: '1:abc' }, at(10_002)), true);
      const done = await store.outbox.get('m');
      assert.deepEqual([done?.state, done?.activityId, done?.finishedAt?.toISOString()], ['sent', '1:abc', at(10_002).toISOString()]);
      assert.equal(await store.outbox.finish(row.id, 'w2', { state: 'failed', error: 'again' }, at(10_003)), false, 'a final outcome is final');
      assert.deepEqual(await store.outbox.claim('w3', at(1_000_000), 10_000, 10), []);
      assert.equal(await store.outbox.pendingCount(), 0);
    });

    it('renews only the leases the owner still holds, from the renewal moment', async () => {
      await store.outbox.enqueue([message('a'), message('b')]);
      const rows = await store.outbox.claim('w1', at(0), 10_000, 10);
      assert.equal(rows.length, 2);
      assert.equal(await store.outbox.renew(rows.map((r) => r.id), 'w1', at(8_000), 10_000), 2);
      assert.equal((await store.outbox.get('a'))?.leaseUntil?.toISOString(), at(18_000).toISOString());
      assert.deepEqual(await store.outbox.claim('w2', at(12_000), 10_000, 10), [], 'renewed leases still block');
      assert.equal(await store.outbox.renew(rows.map((r) => r.id), 'w2', at(12_000), 10_000), 0);
      await store.outbox.finish(rows[0]!.id, 'w1', { state: 'sent' }, at(13_000));
      assert.equal(await store.outbox.renew(rows.map((r) => r.id), 'w1', at(14_000), 10_000), 1, 'a finished row is not renewed');
    });

    it('finish failed or no-reference enqueues the undeliverable messages once; sent enqueues nothing', async () => {
      const notice = (k: string) => message(k, { purpose: 'new-report-unreachable', recipientName: 'Nämndens chef', priority: 'bulk' });
      await store.outbox.enqueue([
        message('fails', { onUndeliverable: [notice('notice-1')] }),
        message('no-ref', { onUndeliverable: [notice('notice-2'), notice('notice-1')] }),
        message('sent', { onUndeliverable: [notice('notice-3')] }),
      ]);
      const rows = await store.outbox.claim('w1', at(0), 10_000, 10);
      const id = (k: string) => rows.find((r) => r.key === k)!.id;
      assert.equal(await store.outbox.finish(id('fails'), 'w1', { state: 'failed', error: 'http-403' }, at(1)), true);
      assert.equal(await store.outbox.finish(id('no-ref'), 'w1', { state: 'no-reference' }, at(2)), true);
      assert.equal(await store.outbox.finish(id('sent'), 'w1', { state: 'sent', activityId: 'x' }, at(3)), true);
      const failed = await store.outbox.get('fails');
      assert.deepEqual([failed?.state, failed?.lastError], ['failed', 'http-403']);
      assert.equal((await store.outbox.get('no-ref'))?.state, 'no-reference');
      assert.deepEqual((await store.outbox.listByEntity('LS-2026-0001', 'new-report-unreachable')).map((r) => [r.key, r.state, r.priority]), [
        ['notice-1', 'pending', 'bulk'],
        ['notice-2', 'pending', 'bulk'],
      ]);
      assert.equal(await store.outbox.get('notice-3'), undefined);
      assert.equal(await store.outbox.pendingCount(), 2);
    });

    it('releases every lease of an owner on shutdown, so another instance claims at once', async () => {
      await store.outbox.enqueue([message('a'), message('b'), message('c')]);
      const mine = await store.outbox.claim('w1', at(0), 60_000, 2);
      await store.outbox.claim('w2', at(0), 60_000, 1);
      assert.equal(await store.outbox.releaseAll('w1'), 2);
      assert.equal(await store.outbox.releaseAll('w1'), 0);
      const next = await store.outbox.claim('w3', at(1), 60_000, 10);
      assert.deepEqual(next.map((r) => r.key).sort(), mine.map((r) => r.key).sort());
      assert.equal(await store.outbox.finish(mine[0]!.id, 'w1', { state: 'sent' }, at(2)), false);
    });

    it('lists the rows about one entity, oldest first, optionally of one purpose', async () => {
      await store.outbox.enqueue([
        message('r1', { entityRef: 'LS-2026-0002', recipientName: 'Mottagare r1' }),
        message('x', { entityRef: 'LS-2026-0003' }),
        message('r2', { entityRef: 'LS-2026-0002', purpose: 'case-reminder' }),
        message('r3', { entityRef: 'LS-2026-0002', recipientName: 'Mottagare r3' }),
      ]);
      assert.deepEqual((await store.outbox.listByEntity('LS-2026-0002')).map((r) => r.key), ['r1', 'r2', 'r3']);
      assert.deepEqual((await store.outbox.listByEntity('LS-2026-0002', 'new-report')).map((r) => r.key), ['r1', 'r3']);
      assert.deepEqual(await store.outbox.listByEntity('LS-2026-9999'), []);
      assert.deepEqual(await store.outbox.deliveryStates('LS-2026-0002', 'new-report'), [
        { recipientName: 'Mottagare r1', state: 'pending' },
        { recipientName: 'Mottagare r3', state: 'pending' },
      ]);
      assert.deepEqual(await store.outbox.deliveryStates('LS-2026-0002', 'nothing'), []);
    });

    it('finds entities whose rows are all final and that have no follow-up yet, most recently finished first', async () => {
      await store.outbox.enqueue([
        message('a1', { entityRef: 'LS-A' }),
        message('a2', { entityRef: 'LS-A' }),
        message('b1', { entityRef: 'LS-B' }),
        message('c1', { entityRef: 'LS-C' }),
        message('d1', { entityRef: 'LS-D' }),
        message('old', { entityRef: 'LS-OLD' }),
      ]);
      const rows = await store.outbox.claim('w1', at(0), 60_000, 10);
      const id = (k: string) => rows.find((r) => r.key === k)!.id;
      await store.outbox.finish(id('old'), 'w1', { state: 'sent' }, at(1_000));
      await store.outbox.finish(id('a1'), 'w1', { state: 'sent' }, at(5_000));
      await store.outbox.finish(id('b1'), 'w1', { state: 'failed', error: 'http-403' }, at(7_000));
      await store.outbox.finish(id('c1'), 'w1', { state: 'no-reference' }, at(6_000));
      await store.outbox.finish(id('d1'), 'w1', { state: 'sent' }, at(8_000));
      // LS-D's receipt was updated already.
      await store.outbox.enqueue([message('d-follow', { entityRef: 'LS-D', purpose: 'receipt-update' })]);
      const since = at(2_000);
      // LS-A still has a2 pending; LS-OLD finished before `since`.
      assert.deepEqual(await store.outbox.settledWithoutFollowUp('new-report', 'receipt-update', since, 10), ['LS-B', 'LS-C']);
      assert.deepEqual(await store.outbox.settledWithoutFollowUp('new-report', 'receipt-update', since, 1), ['LS-B']);
      await store.outbox.finish(id('a2'), 'w1', { state: 'sent' }, at(9_000));
      assert.deepEqual(await store.outbox.settledWithoutFollowUp('new-report', 'receipt-update', since, 10), ['LS-A', 'LS-B', 'LS-C']);
      assert.deepEqual(await store.outbox.settledWithoutFollowUp('new-report', 'receipt-update', at(0), 10), ['LS-A', 'LS-B', 'LS-C', 'LS-OLD']);
      assert.deepEqual(await store.outbox.settledWithoutFollowUp('case-reminder', 'receipt-update', at(0), 10), []);
    });

    it('clears the cards of rows finished before a time, keeping the row, its key and its outcome', async () => {
      const fallback = message('fb', { recipientName: 'Chef', purpose: 'new-report-unreachable' });
      await store.outbox.enqueue([message('old'), message('new'), message('open'), message('old2', { onUndeliverable: [fallback] })]);
      const rows = await store.outbox.claim('w1', at(0), 60_000, 10);
      const id = (k: string) => rows.find((r) => r.key === k)!.id;
      await store.outbox.finish(id('old'), 'w1', { state: 'sent', activityId: 'a1' }, at(1_000));
      await store.outbox.finish(id('old2'), 'w1', { state: 'sent' }, at(1_500));
      await store.outbox.finish(id('new'), 'w1', { state: 'sent' }, at(9_000));
      assert.equal(await store.outbox.clearFinishedCards(at(5_000), 1), 1, 'at most the limit');
      assert.equal(await store.outbox.clearFinishedCards(at(5_000), 10), 1);
      assert.equal(await store.outbox.clearFinishedCards(at(5_000), 10), 0, 'nothing left to clear');
      const old = (await store.outbox.get('old'))!;
      assert.deepEqual([old.cardJson, old.state, old.activityId, old.recipientName], ['', 'sent', 'a1', 'Anna Chef']);
      assert.equal((await store.outbox.get('old2'))!.onUndeliverable, undefined);
      assert.notEqual((await store.outbox.get('new'))!.cardJson, '', 'finished after the time');
      assert.notEqual((await store.outbox.get('open'))!.cardJson, '', 'a pending row is never cleared');
      assert.deepEqual(await store.outbox.enqueue([message('old')]), [], 'the key still holds');
    });

    // SQL Server ignores trailing spaces in = and in unique keys; SQLite does not. Both refuse them.
    it('refuses message keys that end in whitespace, nested ones too, writing nothing, and never finds one for the key without it', async () => {
      assert.deepEqual(await store.outbox.enqueue([message('k')]), ['k']);
      await assert.rejects(store.outbox.enqueue([message('fresh'), message('k ')]), /outbox message key "k " ends in whitespace/);
      await assert.rejects(store.outbox.enqueue([message('nested', { onUndeliverable: [message('fallback\t')] })]), /outbox message key "fallback\\t" ends in whitespace/);
      assert.equal(await store.outbox.get('fresh'), undefined, 'nothing of a refused batch is written');
      assert.equal(await store.outbox.get('nested'), undefined);
      assert.equal(await store.outbox.get('k '), undefined, '"k " is not "k"');
      assert.equal((await store.outbox.get('k'))?.key, 'k');
      assert.equal(await store.outbox.pendingCount(), 1);
    });

    describe('report create with routing', () => {
      const actor = { actorEntraId: 'aaaaaaaa-0000-0000-0000-000000000002', action: 'report.create', entityType: 'report' };
      beforeEach(async () => {
        await store.organisation.sync(sampleOrg(), new Date('2026-11-01T00:00:00.000Z'));
      });
      const routing = (r: { reference: string; createdAt: Date }) => [
        message(`new-report/${r.reference}/a`, { entityRef: r.reference, createdAt: r.createdAt, notBefore: r.createdAt }),
        message(`new-report/${r.reference}/b`, { entityRef: r.reference, recipientEntraId: 'b', recipientName: 'Bea', createdAt: r.createdAt, notBefore: r.createdAt }),
      ];

      it('enqueues the routing with the report, knowing its reference; a resubmit enqueues nothing', async () => {
        const input = newReport();
        let calls = 0;
        const first = await store.reports.create(input, actor, (r) => (calls++, routing(r)));
        assert.equal(first.created, true);
        assert.deepEqual((await store.outbox.listByEntity(first.report.reference)).map((r) => r.key), [
          `new-report/${first.report.reference}/a`,
          `new-report/${first.report.reference}/b`,
        ]);
        const again = await store.reports.create(input, actor, (r) => (calls++, [message(`other/${r.reference}`, { entityRef: r.reference })]));
        assert.equal(again.created, false);
        assert.equal(calls, 1);
        assert.equal((await store.outbox.listByEntity(first.report.reference)).length, 2);
        assert.equal(await store.outbox.pendingCount(), 2);
      });

      it('writes neither report nor routing when the routing fails', async () => {
        const input = newReport();
        await assert.rejects(store.reports.create(input, actor, () => { throw new Error('no directory'); }), /no directory/);
        assert.equal((await store.reports.listByReporter(input.reporterEntraId, 10)).length, 0);
        assert.equal(await store.outbox.pendingCount(), 0);
        const ok = await store.reports.create(input, actor, routing);
        assert.equal(ok.report.reference, 'LS-2026-0001', 'the rolled-back number is reused');
      });

      it('rolls the report back when its routing cannot be stored', async () => {
        const input = newReport();
        // Two messages under one key are fine (the second is ignored); an unusable one is not.
        const bad = (r: { reference: string }) => [message(`k/${r.reference}`, { entityRef: r.reference, cardJson: null as unknown as string })];
        await assert.rejects(store.reports.create(input, actor, bad));
        assert.equal(await store.reports.getByReference('LS-2026-0001'), undefined);
        assert.equal((await store.audit.list({ entityRef: 'LS-2026-0001' })).length, 0);
      });
    });

    (peer ? describe : describe.skip)('two instances on one database', () => {
      let other: Store;
      beforeEach(async () => {
        other = await peer!();
      });
      afterEach(async () => {
        await other.close();
      });

      it('never hands one row to both, however the claims interleave', async () => {
        const n = 300;
        await store.outbox.enqueue(Array.from({ length: n }, (_, i) => message(`m${i}`, { priority: i % 3 === 0 ? 'interactive' : 'bulk' })));
        const seen: string[] = [];
        const worker = async (s: Store, owner: string) => {
          for (;;) {
            const rows = await s.outbox.claim(owner, at(1000), 60_000, 7);
            if (rows.length === 0) return;
            for (const r of rows) {
              seen.push(r.key);
              assert.equal(await s.outbox.finish(r.id, owner, { state: 'sent' }, at(1001)), true, `${owner} lost ${r.key}`);
            }
          }
        };
        await Promise.all([worker(store, 'a1'), worker(other, 'b1'), worker(store, 'a2'), worker(other, 'b2')]);
        assert.equal(seen.length, n);
        assert.equal(new Set(seen).size, n);
        assert.equal(await other.outbox.pendingCount(), 0);
      });

      it('shares one token bucket: over 2 s no more than capacity + 2 × rate tokens, and no 1-s window over capacity + rate', async () => {
        const rate = 45;
        const capacity = 5;
        const granted: number[] = [];
        for (let ms = 0; ms <= 2000; ms += 4) {
          const waits = await Promise.all([store, other, store, other].map((s) => s.rateLimits.take('tenant-1', at(ms), rate, capacity)));
          for (const w of waits) if (w === 0) granted.push(ms);
        }
        assert.ok(granted.length <= capacity + 2 * rate, `${granted.length} tokens granted`);
        assert.ok(granted.length >= capacity + 2 * rate - 2, `only ${granted.length} tokens granted: the bucket does not refill`);
        for (const start of granted) {
          const inWindow = granted.filter((t) => t >= start && t < start + 1000).length;
          assert.ok(inWindow <= capacity + rate, `${inWindow} in the second from ${start} ms`);
        }
      });
    });
  });

  describe('shared rate limit', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('gives the capacity at once, then refills at the rate, and says how long to wait', async () => {
      const take = (ms: number) => store.rateLimits.take('tenant-1', at(ms), 45, 5);
      for (let i = 0; i < 5; i++) assert.equal(await take(0), 0, `token ${i + 1}`);
      assert.equal(await take(0), 23, 'one token takes 1000/45 ms');
      assert.equal(await take(10), 13);
      assert.equal(await take(23), 0);
      assert.equal(await take(23), 22, '0.035 of a token left');
      assert.equal(await store.rateLimits.take('tenant-2', at(23), 45, 5), 0, 'buckets are per key');
      // Idle for a long time: the bucket holds at most its capacity.
      for (let i = 0; i < 5; i++) assert.equal(await take(60_000), 0);
      assert.ok((await take(60_000)) > 0);
    });

    it('refuses bucket keys that end in whitespace (SQL Server would share the bucket of the key without it)', async () => {
      await assert.rejects(store.rateLimits.take('tenant-1 ', at(0), 45, 5), /rate-limit key "tenant-1 " ends in whitespace/);
      for (let i = 0; i < 5; i++) assert.equal(await store.rateLimits.take('tenant-1', at(0), 45, 5), 0, `token ${i + 1}: the refused take took none`);
      assert.ok((await store.rateLimits.take('tenant-1', at(0), 45, 5)) > 0);
    });

    it('refills nothing for a clock behind the last writer', async () => {
      for (let i = 0; i < 5; i++) await store.rateLimits.take('t', at(1000), 10, 5);
      assert.equal(await store.rateLimits.take('t', at(500), 10, 5), 600, 'wait for the last writer\'s moment, then one token');
    });
  });
}
