/** The sammanställning's pure figures (src/compilation/figures.ts). */
import assert from 'node:assert/strict';
import { compilationFigures, histogramStats } from '../../src/compilation/figures';
import type { CompilationRecord } from '../../src/store/compilation';

describe('sammanställning: median and worst from histograms', () => {
  const table: { name: string; bins: [number, number][]; expected: { n: number; median: number; max: number } | undefined }[] = [
    { name: 'empty', bins: [], expected: undefined },
    { name: 'only empty bins', bins: [[3, 0]], expected: undefined },
    { name: 'one value', bins: [[5, 1]], expected: { n: 1, median: 5, max: 5 } },
    { name: 'odd count: the middle one', bins: [[1, 1], [2, 1], [9, 1]], expected: { n: 3, median: 2, max: 9 } },
    { name: 'even count: the mean of the two middle', bins: [[1, 1], [2, 1], [4, 1], [9, 1]], expected: { n: 4, median: 3, max: 9 } },
    { name: 'a heavy bin holds the median', bins: [[0, 10], [48, 1], [700, 1]], expected: { n: 12, median: 0, max: 700 } },
    { name: 'bins in any order', bins: [[9, 2], [1, 2]], expected: { n: 4, median: 5, max: 9 } },
  ];
  for (const t of table) {
    it(t.name, () => assert.deepEqual(histogramStats(t.bins.map(([value, count]) => ({ value, count }))), t.expected));
  }
  it('agrees with sorting the expanded list, on random histograms', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 200; round++) {
      const bins = Array.from({ length: 1 + rnd(6) }, () => ({ value: rnd(50), count: 1 + rnd(4) }));
      const all = bins.flatMap((b) => Array<number>(b.count).fill(b.value)).sort((a, b) => a - b);
      const mid = all.length % 2 ? all[(all.length - 1) / 2]! : (all[all.length / 2 - 1]! + all[all.length / 2]!) / 2;
      assert.deepEqual(histogramStats(bins), { n: all.length, median: mid, max: all.at(-1) });
    }
  });
});

describe('sammanställning: figures from the stored aggregates', () => {
  const record: CompilationRecord = {
    reports: [
      { unitId: 'a', category: 'fysiska', count: 3, urgent: 2 },
      { unitId: 'a', category: 'bemotande', count: 1, urgent: 0 },
      { unitId: 'b', category: 'fysiska', count: 2, urgent: 1 },
    ],
    decisions: [
      { decidedOutcome: 'allvarligt', recommendedOutcome: 'allvarligt', requiresAnmalan: true, count: 2 },
      { decidedOutcome: 'ej-allvarligt', recommendedOutcome: 'allvarligt', requiresAnmalan: false, count: 1 },
      { decidedOutcome: 'ej-allvarligt', recommendedOutcome: 'ej-allvarligt', requiresAnmalan: false, count: 3 },
    ],
    filings: [{ unitId: 'a', count: 2 }],
    toDecisionHours: [{ value: 20, count: 4 }, { value: 70, count: 2 }],
    // Decided 00:30 on 10 March in Stockholm (23:30 UTC the day before), filed 13 March: 3 days; and 2 + 1 days.
    anmalanRuns: [{ filedOn: '2026-03-13', runStart: new Date('2026-03-09T23:30:00.000Z') }, { filedOn: '2026-03-13', runStart: new Date('2026-03-10T08:00:00.000Z') }],
    toInvestigationDays: [],
    actions: { done: 4, open: 2, openOverdue: 1 },
    reviews: [{ unitId: 'a', weekKey: '2026-W10' }, { unitId: 'a', weekKey: '2026-W11' }, { unitId: 'a', weekKey: '2026-W12' }, { unitId: 'a', weekKey: '2026-W14' }, { unitId: 'z', weekKey: '2026-W10' }],
    casework: [{ type: 'barnavardsutredning', open: 10, overdue: 4 }],
  };
  const weeks = (...w: number[]) => new Set(w.map((n) => `2026-W${n}`));
  const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(at);
  const f = compilationFigures(record, ['a', 'b'], (u) => (u === 'a' ? weeks(10, 11, 12, 13) : weeks(10, 11)), dayOf);

  it('counts rapporter by category and unit', () => {
    assert.equal(f.reports.total, 6);
    assert.equal(f.reports.urgent, 3);
    assert.deepEqual([...f.reports.byCategory], [['fysiska', 5], ['bemotande', 1]]);
    assert.deepEqual(f.reports.byUnit.get('b'), { count: 2, urgent: 1 });
  });
  it('counts decisions by outcome and the departures from the recommendation', () => {
    assert.equal(f.decisions.total, 6);
    assert.equal(f.decisions.departed, 1);
    assert.equal(f.decisions.requiringAnmalan, 2);
    assert.deepEqual([...f.decisions.byOutcome], [['allvarligt', 2], ['ej-allvarligt', 4]]);
  });
  it('times, anmälningar, åtgärder and casework pass through; an empty time is absent', () => {
    assert.deepEqual(f.toDecisionHours, { n: 6, median: 20, max: 70 });
    assert.deepEqual(f.toAnmalanDays, { n: 2, median: 3, max: 3 }, 'the decision at 00:30 counts from its Stockholm day');
    assert.equal(f.toInvestigationDays, undefined);
    assert.equal(f.anmalningar, 2);
    assert.deepEqual(f.actions, { done: 4, open: 2, openOverdue: 1 });
  });
  it('review compliance per unit of the scope: done of the due weeks only (a week reviewed but not due never makes up for a missed one)', () => {
    // a: W10–W12 done, W13 missed; W14's review (early, not due yet) does not count.
    assert.deepEqual(f.reviews, [{ unitId: 'a', done: 3, due: 4 }, { unitId: 'b', done: 0, due: 2 }]);
    const g = compilationFigures(record, ['a'], () => weeks(13), dayOf);
    assert.deepEqual(g.reviews, [{ unitId: 'a', done: 0, due: 1 }]);
  });
});
