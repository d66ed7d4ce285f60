/**
 * The pattern-alert part of the store contract (src/store/patterns.ts), run against every adapter:
 * test/store/sqlite.test.ts always, test/store/mssql.test.ts with a connection string.
 */
import assert from 'node:assert/strict';
import type { OutboxMessage } from '../../src/store/outbox';
import type { NewPatternAlertRecord } from '../../src/store/patterns';
import type { Store } from '../../src/store/store';
import { newReport, sampleOrg } from './contract';

const AT = new Date('2026-12-01T10:00:00.000Z');
const alert = (over: Partial<NewPatternAlertRecord> = {}): NewPatternAlertRecord => ({
  rule: 'enhet-rapporter',
  scopeKey: 'enhet:bou',
  period: '2026-12-01',
  committeeId: 'sn',
  unitId: 'bou',
  count: 3,
  references: ['LS-2026-0001', 'LS-2026-0002', 'LS-2026-0003'],
  firedAt: AT,
  ...over,
});
const cardFor = (id: number, who: string): OutboxMessage => ({
  key: `pattern-alert/${id}/${who}`,
  recipientEntraId: who,
  recipientName: who,
  purpose: 'pattern-alert',
  entityRef: `monster/${id}`,
  committeeId: 'sn',
  cardJson: '{"type":"AdaptiveCard","version":"1.5"}',
  priority: 'bulk',
  notBefore: AT,
  createdAt: AT,
});
const AUDIT = { actorEntraId: 'system', action: 'pattern.fire', entityType: 'pattern-alert' };

export function runPatternContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract (pattern alerts): ${name}`, function () {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.organisation.sync(sampleOrg(), AT);
    });
    afterEach(async () => store.close());

    it('stores an alert, its audit entry and its cards in one go, and reads it back', async () => {
      const a = await store.patterns.fire(alert(), '2026-11-02', (s) => [cardFor(s.id, 'x'), cardFor(s.id, 'y')], AUDIT);
      assert.ok(a);
      assert.deepEqual({ ...a, id: 0 }, { ...alert(), id: 0 });
      assert.deepEqual(await store.patterns.get(a.id), a);
      assert.equal((await store.outbox.listByEntity(`monster/${a.id}`, 'pattern-alert')).length, 2);
      assert.equal((await store.audit.list({ entityRef: `monster/${a.id}` }))[0]?.action, 'pattern.fire');
      assert.equal(await store.patterns.lastFired('enhet-rapporter', 'enhet:bou'), '2026-12-01');
      assert.equal(await store.patterns.lastFired('enhet-rapporter', 'enhet:vuxen'), undefined);
    });

    it('fires once per pattern: the same period, or any period since the window start, stores and sends nothing more', async () => {
      assert.ok(await store.patterns.fire(alert(), '2026-11-02', (s) => [cardFor(s.id, 'x')], AUDIT));
      assert.equal(await store.patterns.fire(alert(), '2026-11-02', (s) => [cardFor(s.id, 'x2')], AUDIT), undefined);
      assert.equal(await store.patterns.fire(alert({ period: '2026-12-05' }), '2026-11-06', (s) => [cardFor(s.id, 'x3')], AUDIT), undefined);
      // Another scope, or after the window: a new alert.
      assert.ok(await store.patterns.fire(alert({ scopeKey: 'enhet:vuxen', unitId: 'vuxen' }), '2026-11-02', (s) => [cardFor(s.id, 'v')], AUDIT));
      assert.ok(await store.patterns.fire(alert({ period: '2026-12-31' }), '2026-12-02', (s) => [cardFor(s.id, 'x4')], AUDIT));
      const all = await store.patterns.list(['sn'], new Date('2026-01-01'), new Date('2027-01-01'), 10);
      assert.deepEqual(all.map((x) => `${x.scopeKey} ${x.period}`), ['enhet:bou 2026-12-01', 'enhet:vuxen 2026-12-01', 'enhet:bou 2026-12-31']);
    });

    it('two firings of the same alert at once store and enqueue it once', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.patterns.fire(alert(), '2026-11-02', (s) => [cardFor(s.id, `p${i}`)], AUDIT)));
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      const id = results.find((r) => r)!.id;
      assert.equal((await store.outbox.listByEntity(`monster/${id}`, 'pattern-alert')).length, 1);
    });

    it('a card that cannot be enqueued leaves no alert behind (one transaction)', async () => {
      await assert.rejects(store.patterns.fire(alert(), '2026-11-02', () => [{ ...cardFor(1, 'x'), key: 'trailing ' }], AUDIT));
      assert.equal(await store.patterns.lastFired('enhet-rapporter', 'enhet:bou'), undefined);
    });

    it('records a decision once, audited; a second is refused with the first shown', async () => {
      const a = (await store.patterns.fire(alert(), '2026-11-02', () => [], AUDIT))!;
      const d = { outcome: 'analys-paborjad' as const, motivation: 'Vi gör en samlad analys.', decidedByEntraId: 'AAAA-1', decidedByName: 'Anna Chef', decidedAt: new Date('2026-12-02T08:00:00.000Z') };
      const first = await store.patterns.decide(a.id, d, { actorEntraId: 'AAAA-1', action: 'pattern.decide', entityType: 'pattern-alert' });
      assert.equal(first.kind, 'ok');
      assert.deepEqual(first.kind === 'ok' && first.alert.decision, { ...d, decidedByEntraId: 'aaaa-1' });
      const second = await store.patterns.decide(a.id, { ...d, outcome: 'bedoms-inte-behovas' }, { actorEntraId: 'AAAA-1', action: 'pattern.decide', entityType: 'pattern-alert' });
      assert.equal(second.kind, 'already-decided');
      assert.equal(second.kind === 'already-decided' && second.alert.decision?.outcome, 'analys-paborjad');
      assert.equal((await store.patterns.decide(999_999, d, { actorEntraId: 'x', action: 'pattern.decide', entityType: 'pattern-alert' })).kind, 'not-found');
      assert.deepEqual((await store.audit.list({ entityRef: `monster/${a.id}` })).map((e) => e.action), ['pattern.fire', 'pattern.decide']);
    });

    it('counts the alerts of a scope fired in a period, and those still waiting for a decision', async () => {
      const at = (iso: string) => new Date(iso);
      const fire = async (over: Partial<NewPatternAlertRecord>) => (await store.patterns.fire(alert(over), over.period ?? '2026-01-01', () => [], AUDIT))!;
      const a = await fire({ period: '2026-11-10', firedAt: at('2026-11-10T08:00:00Z') }); // bou, before the period, undecided
      await fire({ period: '2026-11-20', scopeKey: 'enhet:bou2', firedAt: at('2026-11-20T08:00:00Z') }); // bou, in the period
      const c = await fire({ period: '2026-11-21', scopeKey: 'enhet:vuxen', unitId: 'vuxen', firedAt: at('2026-11-21T08:00:00Z') }); // vuxen, in the period
      await fire({ period: '2026-11-22', scopeKey: 'kategori:sn:bemotande', unitId: undefined, category: 'bemotande', firedAt: at('2026-11-22T08:00:00Z') }); // the nämnd's category alert
      await fire({ period: '2026-11-23', scopeKey: 'enhet:eken', committeeId: 'von', unitId: 'eken', firedAt: at('2026-11-23T08:00:00Z') }); // another nämnd
      await fire({ period: '2026-12-05', scopeKey: 'enhet:bou3', firedAt: at('2026-12-05T08:00:00Z') }); // after the period
      await store.patterns.decide(c.id, { outcome: 'analys-paborjad', motivation: 'Vi gör en analys.', decidedByEntraId: 'x', decidedByName: 'X', decidedAt: AT }, { actorEntraId: 'x', action: 'pattern.decide', entityType: 'pattern-alert' });
      const q = { from: at('2026-11-15T00:00:00Z'), to: at('2026-12-01T00:00:00Z') };
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: ['bou', 'vuxen'], wholeCommitteeIds: ['sn'] }), { inPeriod: 3, undecided: 3 });
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: ['bou'], wholeCommitteeIds: [] }), { inPeriod: 1, undecided: 2 });
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: ['vuxen'], wholeCommitteeIds: [] }), { inPeriod: 1, undecided: 0 });
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: ['eken', 'bou', 'vuxen'], wholeCommitteeIds: ['sn', 'von'] }), { inPeriod: 4, undecided: 4 });
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: [], wholeCommitteeIds: [] }), { inPeriod: 0, undecided: 0 });
      await store.patterns.decide(a.id, { outcome: 'bedoms-inte-behovas', motivation: 'Inget samband mellan händelserna.', decidedByEntraId: 'x', decidedByName: 'X', decidedAt: AT }, { actorEntraId: 'x', action: 'pattern.decide', entityType: 'pattern-alert' });
      assert.deepEqual(await store.patterns.counts({ ...q, unitIds: ['bou'], wholeCommitteeIds: [] }), { inPeriod: 1, undecided: 1 });
    });

    it('lists a nämnd\'s reports by receipt for the rules, with the "hänt förut" answer and no text', async () => {
      const make = (createdAt: string, before: 'ja' | 'nej', unitId = 'bou', committeeId = 'sn') =>
        store.reports.create(newReport({ createdAt: new Date(createdAt), unitId, committeeId, risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before } }), { actorEntraId: 'x', action: 'report.create', entityType: 'report' });
      await make('2026-11-01T09:00:00.000Z', 'ja');
      const b = await make('2026-11-15T09:00:00.000Z', 'nej', 'vuxen');
      await make('2026-11-20T09:00:00.000Z', 'ja', 'eken', 'von');
      const c = await make('2026-11-30T22:59:59.999Z', 'ja');
      const facts = await store.patterns.reportFacts('sn', new Date('2026-11-02T00:00:00.000Z'), new Date('2026-11-30T23:00:00.000Z'));
      assert.deepEqual(facts, [
        { reference: b.report.reference, unitId: 'vuxen', committeeId: 'sn', category: 'insatser', createdAt: new Date('2026-11-15T09:00:00.000Z'), before: 'nej' },
        { reference: c.report.reference, unitId: 'bou', committeeId: 'sn', category: 'insatser', createdAt: new Date('2026-11-30T22:59:59.999Z'), before: 'ja' },
      ]);
    });
  });
}
