/**
 * The stored-clock part of the store contract (migration 18; src/store/cases.ts), run against every
 * adapter: test/store/sqlite.test.ts always, test/store/mssql.test.ts with a connection string.
 * The store keeps what it is given and knows only when a case's facts changed; what a clock is comes
 * from src/cases/stored-clocks.ts (test/status/stored-clocks.test.ts holds the two together).
 */
import assert from 'node:assert/strict';
import type { ClockCountQuery, StoredClock } from '../../src/store/cases';
import type { Store } from '../../src/store/store';
import { newReport, sampleOrg } from './contract';

const AT = new Date('2026-11-22T10:00:00.000Z');
const anna = { entraId: 'AAAAAAAA-0000-0000-0000-000000000001', name: 'Anna Chef' };
const AUDIT = { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' };
const clock = (kind: string | null, dueOn: string | null = null, weight: string | null = null): StoredClock => ({ kind, dueOn, weight });
const Q = (unitIds: string[]): ClockCountQuery => ({
  unitIds,
  today: '2026-12-10',
  approachingUntil: { bedomning: '2026-12-11', anmalan: '2026-12-13', utredning: '2026-12-17', avslut: '2026-12-17' },
});

export function runClockContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract (stored case clocks): ${name}`, function () {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.organisation.sync(sampleOrg(), AT);
    });
    afterEach(async () => store.close());

    const file = async (unitId = 'bou') => (await store.reports.create(newReport({ unitId, committeeId: unitId === 'eken' ? 'von' : 'sn' }), AUDIT)).report;
    const decide = (reportId: number, reference: string, from: 'rapporterad' | 'bedomd' = 'rapporterad') =>
      store.cases.recordDecision(
        { reportId, reference, from, to: 'bedomd', actor: anna, at: AT },
        { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
      );

    it('a new report is stale at version 0; a clock stored for that version clears it', async () => {
      const r = await file();
      const stale = await store.cases.staleClockCases(['bou'], 10);
      assert.deepEqual(stale.map((c) => [c.reference, c.factsVersion, c.state, c.createdAt.toISOString()]), [[r.reference, 0, 'rapporterad', r.createdAt.toISOString()]]);
      assert.equal(await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: clock('bedomning', '2026-12-12', 'local-policy') }]), 1);
      assert.deepEqual(await store.cases.staleClockCases(['bou'], 10), []);
      assert.deepEqual(await store.cases.clockCounts(Q(['bou'])), [{ unitId: 'bou', kind: 'bedomning', overdue: 0, approaching: 0, total: 1 }]);
    });

    it('a guarded change makes the case stale at a new version; a clock computed for the old facts is not kept', async () => {
      const r = await file();
      await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: clock('bedomning', '2026-12-12', 'local-policy') }]);
      assert.equal(await decide(r.id, r.reference), true);
      const [c] = await store.cases.staleClockCases(undefined, 10);
      assert.equal(c?.factsVersion, 1);
      assert.ok(c?.anmalanDecidedAt, 'the stale case comes with the facts its clock reads');
      // Computed before the decision (version 0), stored after it: refused, still stale.
      assert.equal(await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: clock('bedomning', '2026-12-01', 'local-policy') }]), 0);
      assert.equal((await store.cases.staleClockCases(['bou'], 10)).length, 1);
      // The stale case keeps counting by its last stored clock meanwhile.
      assert.deepEqual((await store.cases.clockCounts(Q(['bou']))).map((x) => x.kind), ['bedomning']);
      assert.equal(await store.cases.storeClocks([{ reportId: r.id, factsVersion: 1, clock: clock('anmalan', '2026-12-09', 'statutory') }]), 1);
      assert.deepEqual(await store.cases.clockCounts(Q(['bou'])), [{ unitId: 'bou', kind: 'anmalan', overdue: 1, approaching: 0, total: 1 }]);
      // A change the guard refuses changes nothing: no new version, not stale.
      assert.equal(await decide(r.id, r.reference, 'rapporterad'), false);
      assert.deepEqual(await store.cases.staleClockCases(undefined, 10), []);
    });

    it('counts per unit and kind against today and each kind\'s last approaching day; none and closed cases are not counted', async () => {
      const rows: [string, StoredClock][] = [
        ['bou', clock('anmalan', '2026-12-09', 'statutory')], // overdue
        ['bou', clock('anmalan', '2026-12-10', 'statutory')], // due today: approaching
        ['bou', clock('anmalan', '2026-12-13', 'statutory')], // the last approaching day
        ['bou', clock('anmalan', '2026-12-14', 'statutory')], // in time
        ['bou', clock('bedomning', '2026-12-12', 'local-policy')], // in time: the assessment warns one day ahead only
        ['bou', clock(null)], // no clock runs
        ['vuxen', clock('avslut', '2026-11-01', 'local-policy')],
        ['eken', clock('utredning', '2026-12-01', 'local-policy')], // outside the units asked for
      ];
      for (const [unitId, c] of rows) {
        const r = await file(unitId);
        await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: c }]);
      }
      const counts = (await store.cases.clockCounts(Q(['bou', 'vuxen']))).sort((a, b) => `${a.unitId}${a.kind}`.localeCompare(`${b.unitId}${b.kind}`));
      assert.deepEqual(counts, [
        { unitId: 'bou', kind: 'anmalan', overdue: 1, approaching: 2, total: 4 },
        { unitId: 'bou', kind: 'bedomning', overdue: 0, approaching: 0, total: 1 },
        { unitId: 'vuxen', kind: 'avslut', overdue: 1, approaching: 0, total: 1 },
      ]);
      // A kind without a last approaching day is never approaching (only overdue).
      const noUntil = await store.cases.clockCounts({ ...Q(['bou']), approachingUntil: {} });
      assert.equal(noUntil.find((x) => x.kind === 'anmalan')?.approaching, 0);
      assert.equal(noUntil.find((x) => x.kind === 'anmalan')?.overdue, 1);
    });

    it('lists the late ones most pressing first (overdue by law, overdue by local policy, approaching; then day, then reference), closing apart, cut at the limit', async () => {
      const made: { ref: string; c: StoredClock }[] = [];
      const add = async (c: StoredClock, unitId = 'bou') => {
        const r = await file(unitId);
        await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: c }]);
        made.push({ ref: r.reference, c });
        return r.reference;
      };
      const localOld = await add(clock('bedomning', '2026-11-01', 'local-policy'));
      const lawNew = await add(clock('anmalan', '2026-12-09', 'statutory'));
      const lawOld = await add(clock('anmalan', '2026-12-01', 'statutory'));
      const soon = await add(clock('utredning', '2026-12-10', 'local-policy'));
      const lawOld2 = await add(clock('anmalan', '2026-12-01', 'statutory'), 'vuxen');
      await add(clock('anmalan', '2026-12-20', 'statutory')); // in time: not late
      const closingLate = await add(clock('avslut', '2026-11-15', 'local-policy'));
      const closingSoon = await add(clock('avslut', '2026-12-12', 'local-policy'));
      const late = await store.cases.lateClocks({ ...Q(['bou', 'vuxen']), closing: false, limit: 10 });
      assert.deepEqual(late.map((l) => l.reference), [lawOld, lawOld2, lawNew, localOld, soon]);
      assert.deepEqual(late.map((l) => l.overdue), [true, true, true, true, false]);
      assert.deepEqual(late[0], { reference: lawOld, unitId: 'bou', kind: 'anmalan', dueOn: '2026-12-01', weight: 'statutory', overdue: true });
      assert.deepEqual((await store.cases.lateClocks({ ...Q(['bou', 'vuxen']), closing: false, limit: 2 })).map((l) => l.reference), [lawOld, lawOld2]);
      assert.deepEqual((await store.cases.lateClocks({ ...Q(['bou']), closing: true, limit: 10 })).map((l) => l.reference), [closingLate, closingSoon]);
      assert.deepEqual((await store.cases.lateClocks({ ...Q(['vuxen']), closing: false, limit: 10 })).map((l) => l.reference), [lawOld2]);
      assert.equal(made.length, 8);
    });

    it('counts a unit\'s open cases per (rank, due day) for the review and reads them by due day, oldest first', async () => {
      const put = async (c: StoredClock, unitId = 'bou') => {
        const r = await file(unitId);
        await store.cases.storeClocks([{ reportId: r.id, factsVersion: 0, clock: c }]);
        return r.reference;
      };
      const a = await put(clock('anmalan', '2026-12-09', 'statutory')); // overdue by law: 1
      const b = await put(clock('avslut', '2026-12-01', 'local-policy')); // overdue by local policy: 3
      const c = await put(clock('anmalan', '2026-12-13', 'statutory')); // its own last approaching day: 4
      const d = await put(clock('bedomning', '2026-12-13', 'local-policy')); // past the assessment's window: 5
      const e = await put(clock(null)); // no clock: 6
      const f = await put(clock('anmalan', '2026-12-09', 'statutory'));
      await put(clock('anmalan', '2026-12-09', 'statutory'), 'vuxen');
      const { unitIds: _u, ...q } = Q(['bou']);
      const ALL = [0, 1, 3, 4, 5, 6];
      assert.deepEqual(await store.cases.clockGroups('bou', q, ALL), [
        { rank: 1, due: '2026-12-09', n: 2 }, { rank: 3, due: '2026-12-01', n: 1 }, { rank: 4, due: '2026-12-13', n: 1 }, { rank: 5, due: '2026-12-13', n: 1 }, { rank: 6, due: '', n: 1 },
      ]);
      assert.deepEqual(await store.cases.clockRankCounts('bou', q), [1, 3, 4, 5, 6].map((rank) => ({ rank, due: '', n: rank === 1 ? 2 : 1 })));
      assert.deepEqual(await store.cases.clockGroups('bou', q, [4, 6]), [{ rank: 4, due: '2026-12-13', n: 1 }, { rank: 6, due: '', n: 1 }], 'only the ranks asked for');
      assert.deepEqual(await store.cases.clockGroups('bou', q, [0]), []);
      // Each kind's own last approaching day, and a kind the query names none for: never approaching.
      assert.deepEqual(await store.cases.clockRankCounts('bou', { ...q, approachingUntil: { anmalan: '2026-12-12' } }), [1, 3, 5, 6].map((rank) => ({ rank, due: '', n: rank === 1 || rank === 5 ? 2 : 1 })));
      assert.deepEqual(await store.cases.clockGroups('bou', { ...q, approachingUntil: { anmalan: '2026-12-12' } }, [5]), [{ rank: 5, due: '2026-12-13', n: 2 }]);
      // A consequence weighs first once overdue; the day before, approaching.
      const g = await put(clock('anmalan', '2026-12-10', 'consequence'));
      assert.deepEqual((await store.cases.clockRankCounts('bou', { ...q, today: '2026-12-11' })).find((r) => r.rank === 0), { rank: 0, due: '', n: 1 });
      assert.deepEqual(await store.cases.clockGroups('bou', { ...q, today: '2026-12-11' }, [0]), [{ rank: 0, due: '2026-12-10', n: 1 }]);
      assert.deepEqual((await store.cases.openCasesByClockDue('bou', ['2026-12-10'])).map((x) => x.reference), [g]);
      assert.deepEqual((await store.cases.openCasesByClockDue('bou', ['2026-12-09', ''])).map((x) => x.reference), [a, e, f]);
      assert.deepEqual((await store.cases.openCasesByClockDue('bou', ['2026-12-13'])).map((x) => x.reference), [c, d]);
      assert.deepEqual((await store.cases.openCasesByClockDue('bou', ['2026-12-01'])).map((x) => [x.reference, x.state]), [[b, 'rapporterad']]);
      assert.deepEqual(await store.cases.openCasesByClockDue('bou', []), []);
      assert.deepEqual(await store.cases.clockGroups('eken', q, ALL), []);
      assert.deepEqual(await store.cases.clockRankCounts('eken', q), []);
      // A new report's clock is not computed yet: said as stale.
      await file();
      assert.deepEqual((await store.cases.clockRankCounts('bou', q))[0], { rank: -1, due: '', n: 1 }, 'ordered first');
    });

    it('invalidating marks every open case stale and no closed one; a closed case stale from its closing is listed with its state', async () => {
      const a = await file();
      const b = await file('vuxen');
      await store.cases.storeClocks([a, b].map((r) => ({ reportId: r.id, factsVersion: 0, clock: clock('bedomning', '2026-12-12', 'local-policy') })));
      assert.equal(await store.cases.invalidateClocks(), 2);
      assert.deepEqual((await store.cases.staleClockCases(undefined, 10)).map((c) => [c.reference, c.factsVersion]), [[a.reference, 1], [b.reference, 1]]);
      assert.deepEqual((await store.cases.staleClockCases(['vuxen'], 10)).map((c) => c.reference), [b.reference]);
      assert.deepEqual((await store.cases.staleClockCases(undefined, 1)).map((c) => c.reference), [a.reference]);
      // A refresh that read the cases before the invalidation (under the old rules) cannot store them as fresh.
      assert.equal(await store.cases.storeClocks([a, b].map((r) => ({ reportId: r.id, factsVersion: 0, clock: clock('bedomning', '2026-12-12', 'local-policy') }))), 0);
      assert.equal((await store.cases.staleClockCases(undefined, 10)).length, 2);
      assert.equal(await store.cases.storeClocks([a, b].map((r) => ({ reportId: r.id, factsVersion: 1, clock: clock('bedomning', '2026-12-12', 'local-policy') }))), 2);
      assert.equal(await store.cases.close({ reportId: a.id, reference: a.reference, from: 'rapporterad', to: 'avslutad', actor: anna, at: AT }, { decisionText: 'Avslutat.' }), true);
      const [closed] = await store.cases.staleClockCases(undefined, 10);
      assert.deepEqual([closed?.reference, closed?.state, closed?.factsVersion], [a.reference, 'avslutad', 2]);
      await store.cases.storeClocks([{ reportId: a.id, factsVersion: 2, clock: clock(null) }]);
      assert.equal(await store.cases.invalidateClocks(), 1, 'the closed case is not made stale again');
      assert.deepEqual(await store.cases.clockCounts(Q(['bou'])), []);
    });
  });
}
