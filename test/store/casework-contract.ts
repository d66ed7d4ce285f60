/**
 * The casework register's part of the store contract added for #17 (the columns the rules were
 * waiting for, several ej verkställda beslut under one reference, corrected opening days). Every
 * adapter must pass it; called from sqlite.test.ts (always) and mssql.test.ts (when
 * MSSQL_TEST_CONNECTION_STRING is set), beside runStoreContract (./contract.ts).
 */
import assert from 'node:assert/strict';
import { STALE_RANK, type CaseworkImportHistory, type CaseworkRankRecord, type CaseworkRecord } from '../../src/store/casework';
import type { Store } from '../../src/store/store';

export function runCaseworkContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}: casework register (#17)`, function () {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    const at = new Date('2026-11-22T02:00:00.000Z');
    const opts = { closeMissing: false, at, actor: 'import' };
    const full = { closeMissing: true, at, actor: 'import' };
    const rec = (ref: string, over: Partial<CaseworkRecord> = {}): CaseworkRecord => ({
      source: 'procapita',
      caseReference: ref,
      type: 'forhandsbedomning',
      unitId: 'bou',
      status: 'oppen',
      dates: { orosanmalanMottagen: '2026-11-10' },
      ...over,
    });
    const inv = (ref: string, opened: string, over: Partial<CaseworkRecord> = {}) =>
      rec(ref, { type: 'barnavardsutredning', dates: { utredningInledd: opened }, openingKey: opened, ...over });
    const decision = (ref: string, day: string, over: Partial<CaseworkRecord> = {}) =>
      rec(ref, { type: 'ej-verkstallt-beslut', unitId: 'vuxen', dates: { beslutsdatum: day }, openingKey: day, ...over });
    /** The open items: [reference, type, opening key, the opening or decision day]. */
    const rows = async () => {
      const open = await store.casework.listOpen();
      return open.map((i) => [i.caseReference, i.type, i.openingKey, i.dates.utredningInledd ?? i.dates.beslutsdatum]);
    };

    describe('the new columns', () => {
      const chain = inv('BoU 3', '2026-06-01', {
        dates: { utredningInledd: '2026-06-01', forlangningBeslutad: '2026-11-10', forlangdTill: '2026-12-18', tidigareForlangdTill: '2026-11-13', tidigareForlangningBeslutad: '2026-09-28', rattadFran: '2026-05-30' },
        noEarlierExtension: false,
      });
      const lvu6 = rec('BoU 4', {
        type: 'omedelbart-omhandertagande',
        dates: { lvuBeslut: '2026-10-12', omhandertagandeVerkstallt: '2026-10-12', understalltDatum: '2026-10-13', forlangningBegard: '2026-11-05', ansokanForlangdTill: '2026-12-04' },
      });
      const notified = decision('VE 5', '2026-05-04', {
        dates: { beslutsdatum: '2026-05-04', rapporteradIvo: '2026-08-04', verkstalltDatum: '2026-09-15', verkstalltAnmaltIvo: '2026-09-21' },
        insats: 'LSS 9 § 2 (personlig assistans)',
        openingKey: '2026-05-04 lss 9 § 2 (personlig assistans)',
      });
      const first = inv('BoU 6', '2026-06-10', { dates: { utredningInledd: '2026-06-10', forlangningBeslutad: '2026-10-20', forlangdTill: '2026-12-31' }, noEarlierExtension: true });

      it('stores and reads back the extension chain, the LVU 8 § dates, the notice to IVO, the flag and the insats', async () => {
        assert.deepEqual(await store.casework.importItems('procapita', [chain, lvu6, notified, first], opts), { inserted: 4, updated: 0, unchanged: 0, closed: 0 });
        const open = new Map((await store.casework.listOpen()).map((i) => [i.caseReference, i]));
        assert.deepEqual(open.get('BoU 3')!.dates, chain.dates);
        assert.equal(open.get('BoU 3')!.noEarlierExtension, undefined);
        assert.deepEqual(open.get('BoU 4')!.dates, lvu6.dates);
        assert.deepEqual(open.get('VE 5')!.dates, notified.dates);
        assert.deepEqual([open.get('VE 5')!.insats, open.get('VE 5')!.openingKey], ['LSS 9 § 2 (personlig assistans)', '2026-05-04 lss 9 § 2 (personlig assistans)']);
        assert.equal(open.get('BoU 6')!.noEarlierExtension, true);
        assert.equal(open.get('BoU 6')!.insats, undefined);
        assert.deepEqual(await store.casework.importItems('procapita', [chain, lvu6, notified, first], opts), { inserted: 0, updated: 0, unchanged: 4, closed: 0 });
      });

      it('compares each of them: a change in one alone is an update, and only that row is written', async () => {
        const base = [chain, lvu6, notified, first];
        await store.casework.importItems('procapita', base, opts);
        const changes: [string, CaseworkRecord][] = [
          ['tidigare_förlängd_till', { ...chain, dates: { ...chain.dates, tidigareForlangdTill: '2026-11-12' } }],
          ['tidigare_förlängning_beslutad (migration 16)', { ...chain, dates: { ...chain.dates, tidigareForlangningBeslutad: '2026-09-29' } }],
          ['the replaced opening day (migration 16) removed', { ...chain, dates: { ...chain.dates, rattadFran: undefined } }],
          ['förlängning_begärd', { ...lvu6, dates: { ...lvu6.dates, forlangningBegard: '2026-11-06' } }],
          ['ansökan_förlängd_till removed', { ...lvu6, dates: { ...lvu6.dates, ansokanForlangdTill: undefined } }],
          ['verkställt_anmält_ivo', { ...notified, dates: { ...notified.dates, verkstalltAnmaltIvo: '2026-09-22' } }],
          ['insats in another case (same key)', { ...notified, insats: 'LSS 9 § 2 (Personlig Assistans)' }],
          ['insats removed', { ...notified, insats: undefined }],
          ['the flag', { ...first, noEarlierExtension: false }],
        ];
        for (const [what, changed] of changes) {
          const file = base.map((r) => (r.caseReference === changed.caseReference ? changed : r));
          assert.deepEqual(await store.casework.importItems('procapita', file, opts), { inserted: 0, updated: 1, unchanged: 3, closed: 0 }, what);
          assert.deepEqual(await store.casework.importItems('procapita', base, opts), { inserted: 0, updated: 1, unchanged: 3, closed: 0 }, `${what}, back`);
        }
        // The same value on every row of the file (a column the adapter may compare once).
        const allFlagged = base.map((r) => ({ ...r, noEarlierExtension: true, insats: 'hemtjänst' }));
        assert.deepEqual(await store.casework.importItems('procapita', allFlagged, opts), { inserted: 0, updated: 4, unchanged: 0, closed: 0 });
        assert.deepEqual(await store.casework.importItems('procapita', allFlagged, opts), { inserted: 0, updated: 0, unchanged: 4, closed: 0 });
      });
    });

    describe('the weekly review\'s ranks (migrations 20 and 21, #14)', () => {
      const rank = (over: Partial<CaseworkRankRecord> = {}): CaseworkRankRecord => ({ kind: 'running', dueOn: '2026-11-25', weight: 'statutory', fromStart: false, validFrom: '2026-11-01', validUntil: null, ...over });
      const store3 = async () => {
        await store.casework.importItems('procapita', [rec('A'), rec('B'), rec('C'), rec('D'), rec('E'), rec('F'), rec('G', { unitId: 'vuxen' }), rec('H', { status: 'avslutad' })], opts);
        const stale = await store.casework.staleReviewRanks(['bou'], '2026-11-22', 100);
        return new Map(stale.map((i) => [i.caseReference, i]));
      };

      it('lists every open item of the units as stale until a rank is stored for the row as read, and counts and pages by rank', async () => {
        const items = await store3();
        assert.deepEqual([...items.keys()], ['A', 'B', 'C', 'D', 'E', 'F'], 'open items of bou, by id; none of vuxen, no closed one');
        assert.equal((await store.casework.staleReviewRanks(['bou'], '2026-11-22', 2)).length, 2);
        const put = (ref: string, r: CaseworkRankRecord) => ({ id: items.get(ref)!.id, version: items.get(ref)!.version, rank: r });
        assert.equal(await store.casework.storeReviewRanks([
          put('A', rank({ dueOn: '2026-11-20', weight: 'consequence' })), // overdue, consequence: 0
          put('B', rank({ dueOn: '2026-11-21' })), // overdue by law: 1
          put('C', rank({ kind: 'unjudgeable', dueOn: null, weight: null })), // 2
          put('D', rank({ dueOn: '2026-11-25' })), // approaching (warn until 11-29): 4
          put('E', rank({ dueOn: '2026-12-20', fromStart: true })), // never i tid: 4
          put('F', rank({ kind: 'none', dueOn: null, weight: null })), // no clock: left out
        ]), 6);
        assert.deepEqual(await store.casework.staleReviewRanks(['bou'], '2026-11-22', 100), []);
        const ALL = [0, 1, 2, 3, 4, 5];
        assert.deepEqual(await store.casework.reviewGroups('bou', '2026-11-22', '2026-11-29', ALL), [
          { rank: 0, due: '2026-11-20', n: 1 }, { rank: 1, due: '2026-11-21', n: 1 }, { rank: 2, due: '', n: 1 }, { rank: 4, due: '2026-11-25', n: 1 }, { rank: 4, due: '2026-12-20', n: 1 },
        ]);
        assert.deepEqual(await store.casework.reviewRankCounts('bou', '2026-11-22', '2026-11-29'), [
          { rank: 0, due: '', n: 1 }, { rank: 1, due: '', n: 1 }, { rank: 2, due: '', n: 1 }, { rank: 4, due: '', n: 2 },
        ]);
        assert.deepEqual(await store.casework.reviewGroups('bou', '2026-11-22', '2026-11-29', [4, 2]), [{ rank: 2, due: '', n: 1 }, { rank: 4, due: '2026-11-25', n: 1 }, { rank: 4, due: '2026-12-20', n: 1 }], 'only the ranks asked for');
        assert.deepEqual(await store.casework.reviewGroups('bou', '2026-11-22', '2026-11-29', [5, 3]), []);
        // A later day: D is in time then, A and B stay overdue, and local-policy weighs 3.
        await store.casework.storeReviewRanks([put('B', rank({ dueOn: '2026-11-21', weight: 'local-policy' }))]);
        assert.deepEqual(await store.casework.reviewGroups('bou', '2026-11-15', '2026-11-20', ALL), [
          { rank: 2, due: '', n: 1 }, { rank: 4, due: '2026-11-20', n: 1 }, { rank: 4, due: '2026-12-20', n: 1 }, { rank: 5, due: '2026-11-21', n: 1 }, { rank: 5, due: '2026-11-25', n: 1 },
        ]);
        assert.deepEqual(await store.casework.reviewRankCounts('bou', '2026-11-15', '2026-11-20'), [{ rank: 2, due: '', n: 1 }, { rank: 4, due: '', n: 2 }, { rank: 5, due: '', n: 2 }]);
        // On the 22nd B (local policy) is overdue: rank 3; the edges of each bucket on the day.
        assert.deepEqual(await store.casework.reviewRankCounts('bou', '2026-11-21', '2026-11-25'), [{ rank: 0, due: '', n: 1 }, { rank: 2, due: '', n: 1 }, { rank: 4, due: '', n: 3 }]);
        assert.deepEqual(await store.casework.reviewRankCounts('bou', '2026-11-22', '2026-11-24'), [{ rank: 0, due: '', n: 1 }, { rank: 2, due: '', n: 1 }, { rank: 3, due: '', n: 1 }, { rank: 4, due: '', n: 1 }, { rank: 5, due: '', n: 1 }]);
        assert.deepEqual((await store.casework.openByReviewDue('bou', [{ rank: 4, due: '2026-11-20' }, { rank: 2, due: '' }])).map((i) => i.caseReference), ['A', 'C']);
        assert.deepEqual((await store.casework.openByReviewDue('bou', [{ rank: 4, due: '2026-12-20' }])).map((i) => i.caseReference), ['E']);
        assert.deepEqual((await store.casework.openByReviewDue('bou', [{ rank: 5, due: '2026-11-21' }])).map((i) => i.caseReference), ['B']);
        assert.deepEqual(await store.casework.openByReviewDue('bou', []), []);
        assert.deepEqual(await store.casework.reviewRankCounts('vuxen', '2026-11-22', '2026-11-29'), [{ rank: STALE_RANK, due: '', n: 1 }], 'G has no rank yet: counted, as stale');
      });

      it('a rank whose days ran out, or computed for a later day, or for a row written since, is stale again; invalidating forgets them all', async () => {
        const items = await store3();
        const a = items.get('A')!;
        assert.equal(await store.casework.storeReviewRanks([{ id: a.id, version: a.version, rank: rank({ validFrom: '2026-11-22', validUntil: '2026-11-30' }) }]), 1);
        const stale = async (today: string) => (await store.casework.staleReviewRanks(['bou'], today, 100)).some((i) => i.caseReference === 'A');
        assert.deepEqual([await stale('2026-11-21'), await stale('2026-11-22'), await stale('2026-11-29'), await stale('2026-11-30')], [true, false, false, true]);
        // Written since (a new export changed it): the old version no longer stores, and the row is stale.
        await store.casework.importItems('procapita', [rec('A', { dates: { orosanmalanMottagen: '2026-11-11' } })], { ...opts, at: new Date('2026-11-23T02:00:00.000Z') });
        assert.equal(await stale('2026-11-22'), true);
        assert.equal(await store.casework.storeReviewRanks([{ id: a.id, version: a.version, rank: rank() }]), 0, 'computed from the row as it was');
        const again = (await store.casework.staleReviewRanks(['bou'], '2026-11-22', 100)).find((i) => i.caseReference === 'A')!;
        assert.equal(await store.casework.storeReviewRanks([{ id: again.id, version: again.version, rank: rank() }]), 1);
        assert.equal(await stale('2026-11-22'), false);
        assert.equal(await store.casework.invalidateReviewRanks(), 1);
        assert.equal(await stale('2026-11-22'), true);
        // Forgotten, still counted: as stale, never left out.
        const counts = await store.casework.reviewRankCounts('bou', '2026-11-22', '2026-11-29');
        assert.deepEqual(counts.find((g) => g.rank === STALE_RANK), { rank: STALE_RANK, due: '', n: 6 }, 'A and the five never ranked');
      });

      it('counts a rank out of its days, or computed for a later day, as stale', async () => {
        const items = await store3();
        const a = items.get('A')!;
        assert.equal(await store.casework.storeReviewRanks([{ id: a.id, version: a.version, rank: rank({ validFrom: '2026-11-22', validUntil: '2026-11-30' }) }]), 1);
        const staleIn = async (today: string) => (await store.casework.reviewRankCounts('bou', today, '2026-12-31')).find((g) => g.rank === STALE_RANK)?.n;
        // B … F never ranked: five stale on every day; A only outside [22nd, 30th).
        assert.deepEqual([await staleIn('2026-11-21'), await staleIn('2026-11-22'), await staleIn('2026-11-29'), await staleIn('2026-11-30')], [6, 5, 5, 6]);
      });
    });

    describe('several ej verkställda beslut under one reference', () => {
      it('keeps one item per decision (day and insats), matched by its whole key', async () => {
        const items = [
          decision('VE 1', '2026-07-01', { insats: 'kontaktperson', openingKey: '2026-07-01 kontaktperson' }),
          decision('VE 1', '2026-07-01', { insats: 'korttidsvistelse', openingKey: '2026-07-01 korttidsvistelse' }),
          decision('VE 1', '2026-09-01'),
        ];
        assert.deepEqual(await store.casework.importItems('procapita', items, full), { inserted: 3, updated: 0, unchanged: 0, closed: 0 });
        const carriedOut = items.map((r, i) => (i === 1 ? { ...r, dates: { ...r.dates, verkstalltDatum: '2026-09-20' }, stopsOn: '2026-09-20' } : r));
        assert.deepEqual(await store.casework.importItems('procapita', carriedOut, full), { inserted: 0, updated: 1, unchanged: 2, closed: 0 });
        assert.deepEqual(await store.casework.importItems('procapita', [items[0]!, items[2]!], full), { inserted: 0, updated: 0, unchanged: 2, closed: 1 });
        assert.deepEqual(await rows(), [
          ['VE 1', 'ej-verkstallt-beslut', '2026-07-01 kontaktperson', '2026-07-01'],
          ['VE 1', 'ej-verkstallt-beslut', '2026-09-01', '2026-09-01'],
        ]);
        assert.equal(await store.casework.count(), 3);
      });

      it('takes an opening key of 80 characters', async () => {
        const key = `2026-07-01 ${'x'.repeat(69)}`;
        assert.equal(key.length, 80);
        await store.casework.importItems('procapita', [decision('VE 2', '2026-07-01', { insats: 'x'.repeat(60), openingKey: key })], opts);
        assert.deepEqual((await store.casework.listOpen()).map((i) => i.openingKey), [key]);
      });
    });

    describe('a corrected opening day (replacesOpeningKey)', () => {
      it('moves the stored open row to the new key: same id, counted as updated, nothing inserted, a full import closes nothing', async () => {
        await store.casework.importItems('procapita', [inv('BoU 1', '2026-10-01'), rec('BoU 2')], full);
        const [before] = (await store.casework.listOpen()).filter((i) => i.caseReference === 'BoU 1');
        const corrected = inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' });
        assert.deepEqual(await store.casework.importItems('procapita', [corrected, rec('BoU 2')], full), { inserted: 0, updated: 1, unchanged: 1, closed: 0 });
        const [after] = (await store.casework.listOpen()).filter((i) => i.caseReference === 'BoU 1');
        assert.deepEqual([after!.id, after!.openingKey, after!.dates], [before!.id, '2026-10-10', { utredningInledd: '2026-10-10' }]);
        assert.equal(await store.casework.count(), 2);
        // The same file again: the key is stored now, nothing to correct.
        assert.deepEqual(await store.casework.importItems('procapita', [corrected, rec('BoU 2')], full), { inserted: 0, updated: 0, unchanged: 2, closed: 0 });
      });

      // [what, stored first, the file (imported partially), expected open rows of the source, rows in the register]
      const X = (opened: string, ref = 'BoU 1') => [ref, 'barnavardsutredning', opened, opened];
      const table: [string, CaseworkRecord[], CaseworkRecord[], unknown[][], number][] = [
        ['a closed stored opening is not moved: the record is a new row', [inv('BoU 1', '2026-10-01', { status: 'avslutad' })], [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-10')], 2],
        ['no stored row with that key: the record is a new row', [], [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-10')], 1],
        ['the new key is stored already: that row is updated, the old one stays', [inv('BoU 1', '2026-10-01'), inv('BoU 1', '2026-10-10')], [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01', handlaggare: 'h@k.se' })],
          [X('2026-10-01'), X('2026-10-10')], 2],
        ['the file still lists the old opening: no correction', [inv('BoU 1', '2026-10-01')], [inv('BoU 1', '2026-10-01'), inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-01'), X('2026-10-10')], 2],
        ['two records name the same stored opening: the first moves it, the second is a new row', [inv('BoU 1', '2026-10-01')],
          [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' }), inv('BoU 1', '2026-10-12', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-10'), X('2026-10-12')], 2],
        ['another source\'s row with that key is not touched', [inv('BoU 1', '2026-10-01', { source: 'lifecare' })], [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-10')], 2],
        ['a reference spelled otherwise is another row (references are matched exactly here)', [inv('BoU 1', '2026-10-01')], [inv('BOU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' })],
          [X('2026-10-10', 'BOU 1'), X('2026-10-01')], 2],
        ['a key twice in the file (applied row by row): moved once, then updated', [inv('BoU 1', '2026-10-01')],
          [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01' }), inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01', handlaggare: 'h@k.se' })],
          [X('2026-10-10')], 1],
      ];
      for (const [what, first, file, expected, count] of table) {
        it(what, async () => {
          for (const source of ['procapita', 'lifecare']) {
            const own = first.filter((r) => r.source === source);
            if (own.length) await store.casework.importItems(source, own, opts);
          }
          await store.casework.importItems('procapita', file, opts);
          const open = (await store.casework.listOpen()).filter((i) => i.source === 'procapita');
          assert.deepEqual(open.map((i) => [i.caseReference, i.type, i.openingKey, i.dates.utredningInledd]), expected);
          assert.equal(await store.casework.count(), count);
        });
      }

      it('refuses a replaced key that ends in whitespace, writing nothing', async () => {
        await store.casework.importItems('procapita', [inv('BoU 1', '2026-10-01')], opts);
        await assert.rejects(
          store.casework.importItems('procapita', [inv('BoU 1', '2026-10-10', { replacesOpeningKey: '2026-10-01 ' })], full),
          /replaced opening key of case "BoU 1" .*ends in whitespace/,
        );
        assert.deepEqual(await rows(), [['BoU 1', 'barnavardsutredning', '2026-10-01', '2026-10-01']]);
      });
    });

    describe('open investigations (what a correction may replace)', () => {
      it('lists the source\'s open barnavårdsutredningar by reference key, with the reference as stored', async () => {
        await store.casework.importItems(
          'procapita',
          [inv('BoU  7', '2026-01-05'), inv('BoU  7', '2025-06-01', { status: 'avslutad' }), inv('ÅSA 8', '2026-02-01'), inv('Other 9', '2026-03-01'), rec('BoU 7', { type: 'omedelbart-omhandertagande', dates: { lvuBeslut: '2026-10-01' } })],
          opts,
        );
        await store.casework.importItems('lifecare', [inv('BoU 7', '2026-04-01', { source: 'lifecare' })], opts);
        const found = await store.casework.openInvestigations('procapita', ['bou 7', 'åsa  8', 'Nothing 1']);
        assert.deepEqual([...found].sort(([a], [b]) => (a < b ? -1 : 1)), [
          ['bou 7', [{ caseReference: 'BoU  7', opened: '2026-01-05', firstImportedAt: at }]],
          ['åsa 8', [{ caseReference: 'ÅSA 8', opened: '2026-02-01', firstImportedAt: at }]],
        ]);
        assert.equal((await store.casework.openInvestigations('procapita ', ['BoU 7'])).size, 0);
        assert.equal((await store.casework.openInvestigations('procapita', [])).size, 0);
      });
    });

    describe('an import planned on the history it reads inside its own transaction (review of #17)', () => {
      const sorted = <T>(m: Map<string, T[]>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
      /** A plan that records the history it was given and writes `records`. */
      const planned = (references: string[], records: CaseworkRecord[], seen: CaseworkImportHistory[]) => ({
        references,
        build: (history: CaseworkImportHistory) => {
          seen.push(history);
          return records;
        },
      });

      it('gives the build the stored openings, the open investigations (deadline, first import) and the open decisions under the references', async () => {
        const first = new Date('2026-11-01T02:00:00.000Z');
        await store.casework.importItems('procapita', [
          inv('BoU 1', '2026-03-02', { status: 'avslutad' }),
          inv('BoU 1', '2026-07-01', { dueOn: '2026-07-02', dates: { utredningInledd: '2026-07-01', rattadFran: '2026-06-30' } }),
          inv('BoU 2', '2026-10-01', { newInvestigation: true, dueOn: '2027-02-01' }),
          decision('VE 1', '2026-07-01', { insats: 'ledsagning', openingKey: '2026-07-01 ledsagning' }),
          decision('VE 1', '2026-05-01', { status: 'avslutad' }),
          rec('BoU 3'),
        ], { ...opts, at: first });
        await store.casework.importItems('lifecare', [inv('BoU 1', '2026-08-01', { source: 'lifecare' })], opts);
        const seen: CaseworkImportHistory[] = [];
        assert.deepEqual(await store.casework.importItems('procapita', planned(['bou 1', 'BoU 2', 've 1', 'BoU 3'], [], seen), opts), { inserted: 0, updated: 0, unchanged: 0, closed: 0 });
        const [h] = seen;
        assert.deepEqual(sorted(h!.openings).map(([k, o]) => [k, [...o].sort((a, b) => a.opened.localeCompare(b.opened))]), [
          ['bou 1', [{ opened: '2026-03-02', newInvestigation: false }, { opened: '2026-07-01', newInvestigation: false, correctedFrom: '2026-06-30' }]],
          ['bou 2', [{ opened: '2026-10-01', newInvestigation: true }]],
        ]);
        assert.deepEqual(sorted(h!.openInvestigations), [
          ['bou 1', [{ caseReference: 'BoU 1', opened: '2026-07-01', dueOn: '2026-07-02', firstImportedAt: first }]],
          ['bou 2', [{ caseReference: 'BoU 2', opened: '2026-10-01', dueOn: '2027-02-01', firstImportedAt: first }]],
        ]);
        assert.deepEqual(sorted(h!.openDecisions), [['ve 1', [{ caseReference: 'VE 1', openingKey: '2026-07-01 ledsagning' }]]]);
      });

      it('keeps the first import\'s time through updates and a corrected opening', async () => {
        const first = new Date('2026-11-01T02:00:00.000Z');
        await store.casework.importItems('procapita', [inv('BoU 1', '2026-10-30')], { ...opts, at: first });
        await store.casework.importItems('procapita', [inv('BoU 1', '2026-10-30', { handlaggare: 'h@k.se' })], opts);
        await store.casework.importItems('procapita', [inv('BoU 1', '2026-10-31', { replacesOpeningKey: '2026-10-30' })], opts);
        const seen: CaseworkImportHistory[] = [];
        await store.casework.importItems('procapita', planned(['BoU 1'], [], seen), opts);
        assert.deepEqual(seen[0]!.openInvestigations.get('bou 1'), [{ caseReference: 'BoU 1', opened: '2026-10-31', firstImportedAt: first }]);
      });

      it('writes what the build returns, as a plain import would (new, changed, unchanged, closed)', async () => {
        await store.casework.importItems('procapita', [rec('BoU 1'), rec('BoU 2')], full);
        const seen: CaseworkImportHistory[] = [];
        const result = await store.casework.importItems('procapita', planned(['BoU 1'], [rec('BoU 1', { handlaggare: 'h@k.se' }), rec('BoU 4')], seen), full);
        assert.deepEqual(result, { inserted: 1, updated: 1, unchanged: 0, closed: 1 });
        assert.equal(seen.length > 0, true);
      });

      it('a build whose records the store refuses writes nothing (a full import closes nothing either)', async () => {
        await store.casework.importItems('procapita', [rec('BoU 1')], full);
        await assert.rejects(store.casework.importItems('procapita', planned(['BoU 2'], [rec('BoU 2 ')], []), full), /case reference "BoU 2 " ends in whitespace/);
        assert.deepEqual(await rows(), [['BoU 1', 'forhandsbedomning', '', undefined]]);
      });

      it('two imports of one source at once: the later build sees what the earlier one wrote', async () => {
        const seen: CaseworkImportHistory[][] = [[], []];
        const a = store.casework.importItems('procapita', planned(['BoU 1'], [inv('BoU 1', '2026-03-02')], seen[0]!), opts);
        const b = store.casework.importItems('procapita', planned(['BoU 1'], [inv('BoU 1', '2026-07-01')], seen[1]!), opts);
        await Promise.all([a, b]);
        // Each build ran once per attempt; the last attempt of one of them saw the other's opening.
        const last = seen.map((s) => s.at(-1)!.openings.get('bou 1')?.map((o) => o.opened) ?? []);
        assert.ok(
          (last[0]!.length === 0 && last[1]!.includes('2026-03-02')) || (last[1]!.length === 0 && last[0]!.includes('2026-07-01')),
          JSON.stringify(last),
        );
        assert.equal(await store.casework.count(), 2);
      });
    });

    describe('an ej verkställt beslut whose key gains its insats (review of #17)', () => {
      it('moves the stored open row keyed on the day alone to the day and insats: same id, counted as updated', async () => {
        await store.casework.importItems('procapita', [decision('VE 1', '2026-07-01')], opts);
        const [before] = await store.casework.listOpen();
        const renamed = decision('VE 1', '2026-07-01', { insats: 'Kontaktperson', openingKey: '2026-07-01 kontaktperson', replacesOpeningKey: '2026-07-01' });
        assert.deepEqual(await store.casework.importItems('procapita', [renamed], full), { inserted: 0, updated: 1, unchanged: 0, closed: 0 });
        const [after] = await store.casework.listOpen();
        assert.deepEqual([after!.id, after!.openingKey, after!.insats], [before!.id, '2026-07-01 kontaktperson', 'Kontaktperson']);
        assert.equal(await store.casework.count(), 1);
      });
    });
  });
}
