/** The pattern rules at their boundaries (src/patterns/rules.ts). */
import assert from 'node:assert/strict';
import {
  DEFAULT_PATTERN_RULES,
  inWindow,
  patternRulesProblems,
  reportPatterns,
  scopeKey,
  weeklyPatterns,
  windowStart,
  type LastFired,
  type PatternRules,
  type ReportFact,
  type ReviewWeek,
} from '../../src/patterns/rules';

let seq = 0;
const report = (receivedOn: string, over: Partial<ReportFact> = {}): ReportFact => ({
  reference: `LS-2026-${String(++seq).padStart(4, '0')}`,
  unitId: 'bou',
  committeeId: 'sn',
  category: 'bemotande',
  receivedOn,
  happenedBefore: false,
  ...over,
});
const never: LastFired = () => undefined;
const rulesFired = (r: ReportFact, recent: ReportFact[], last: LastFired = never, rules?: PatternRules) => reportPatterns(r, recent, last, rules).map((f) => f.rule);

describe('pattern rules: windows are calendar days, today included', () => {
  const table: [string, string, number, boolean][] = [
    ['2026-11-02', '2026-12-01', 30, true], // 29 days back: the window's first day
    ['2026-11-01', '2026-12-01', 30, false], // 30 days back: outside
    ['2026-12-01', '2026-12-01', 30, true],
    ['2026-12-02', '2026-12-01', 30, false], // the future is not in the window
    ['2026-12-01', '2026-12-01', 1, true],
    ['2026-11-30', '2026-12-01', 1, false],
    ['2026-02-28', '2026-03-29', 30, true], // across February (28 days)
    ['2026-02-27', '2026-03-29', 30, false],
  ];
  for (const [day, today, w, expected] of table) {
    it(`${day} in the ${w}-day window ending ${today}: ${expected}`, () => {
      assert.equal(inWindow(day, today, w), expected);
      if (expected && day <= today) assert.ok(day >= windowStart(today, w));
    });
  }
  it('a window across the DST change counts calendar days, not hours', () => {
    assert.equal(windowStart('2026-10-26', 2), '2026-10-25');
    assert.equal(windowStart('2026-03-30', 2), '2026-03-29');
  });
});

describe('pattern rules: rapporter in one unit (default 3 within 30 days)', () => {
  const table: { name: string; days: string[]; fires: boolean }[] = [
    { name: 'two reports are not a pattern', days: ['2026-11-20', '2026-12-01'], fires: false },
    { name: 'the third within 30 days fires', days: ['2026-11-02', '2026-11-20', '2026-12-01'], fires: true },
    { name: 'the first one 30 days back is outside', days: ['2026-11-01', '2026-11-20', '2026-12-01'], fires: false },
    { name: 'three on the same day fire', days: ['2026-12-01', '2026-12-01', '2026-12-01'], fires: true },
  ];
  for (const t of table) {
    it(t.name, () => {
      const rs = t.days.map((d) => report(d));
      const fired = rulesFired(rs.at(-1)!, rs.slice(0, -1));
      assert.equal(fired.includes('enhet-rapporter'), t.fires);
    });
  }

  it('the finding lists the references in the window, oldest first, and counts them', () => {
    const old = report('2026-10-01');
    const rs = [report('2026-11-10'), report('2026-11-02'), report('2026-12-01')];
    const [f] = reportPatterns(rs[2]!, [old, rs[0]!, rs[1]!], never).filter((x) => x.rule === 'enhet-rapporter');
    assert.ok(f);
    assert.equal(f.count, 3);
    assert.deepEqual(f.references, [rs[1]!.reference, rs[0]!.reference, rs[2]!.reference]);
    assert.equal(f.period, '2026-12-01');
    assert.equal(scopeKey(f.scope), 'enhet:bou');
  });

  it('reports of other units do not count toward this unit', () => {
    const rs = [report('2026-11-20', { unitId: 'vuxen' }), report('2026-11-25', { unitId: 'vuxen' })];
    assert.ok(!rulesFired(report('2026-12-01'), rs).includes('enhet-rapporter'));
  });

  it('the fourth in the same window does not fire again; a cluster after the window does', () => {
    const last: LastFired = (rule, scope) => (rule === 'enhet-rapporter' && scopeKey(scope) === 'enhet:bou' ? '2026-11-10' : undefined);
    const before = [report('2026-11-01'), report('2026-11-05'), report('2026-11-10')];
    assert.ok(!rulesFired(report('2026-12-09'), before, last).includes('enhet-rapporter'), 'fired 29 days ago: the same pattern');
    const later = [report('2026-12-01'), report('2026-12-05')];
    assert.ok(rulesFired(report('2026-12-10'), later, last).includes('enhet-rapporter'), 'fired 30 days ago: a new period');
  });

  it('a report passed again among the recent ones is counted once', () => {
    const r = report('2026-12-01');
    assert.ok(!rulesFired(r, [report('2026-11-30'), r]).includes('enhet-rapporter'));
  });
});

describe('pattern rules: one category across a nämnd', () => {
  it('three reports of one category in three units of the nämnd fire once, for the category', () => {
    const rs = [report('2026-11-20', { unitId: 'a', category: 'fysiska' }), report('2026-11-25', { unitId: 'b', category: 'fysiska' })];
    const f = reportPatterns(report('2026-12-01', { unitId: 'c', category: 'fysiska' }), rs, never);
    assert.deepEqual(f.map((x) => x.rule), ['kategori-rapporter']);
    assert.equal(scopeKey(f[0]!.scope), 'kategori:sn:fysiska');
  });
  it('three of one category in one unit are the unit\'s pattern, not a second alert for the nämnd', () => {
    const rs = [report('2026-11-20', { category: 'fysiska' }), report('2026-11-25', { category: 'fysiska' })];
    assert.deepEqual(rulesFired(report('2026-12-01', { category: 'fysiska' }), rs), ['enhet-rapporter']);
  });
  it('two in one unit and one in another: the category fires (spread), the unit does not', () => {
    const rs = [report('2026-11-20', { unitId: 'a', category: 'fysiska' }), report('2026-11-25', { unitId: 'a', category: 'fysiska' })];
    assert.deepEqual(rulesFired(report('2026-12-01', { unitId: 'b', category: 'fysiska' }), rs), ['kategori-rapporter']);
  });
  it('a unit\'s cluster plus one rapport elsewhere: the unit alert only, never a second one for the same rapporter', () => {
    const rs = [report('2026-11-20', { unitId: 'a', category: 'fysiska' }), report('2026-11-22', { unitId: 'a', category: 'fysiska' }), report('2026-11-25', { unitId: 'a', category: 'fysiska' })];
    assert.deepEqual(rulesFired(report('2026-12-01', { unitId: 'b', category: 'fysiska' }), rs), []);
    assert.deepEqual(rulesFired(report('2026-12-01', { unitId: 'a', category: 'fysiska' }), [report('2026-11-20', { unitId: 'b', category: 'fysiska' }), ...rs.slice(0, 2)]), ['enhet-rapporter']);
  });
  it('the category rule counts what the unit clusters leave: three more from two other units fire it', () => {
    const cluster = [report('2026-11-20', { unitId: 'a', category: 'fysiska' }), report('2026-11-21', { unitId: 'a', category: 'fysiska' }), report('2026-11-22', { unitId: 'a', category: 'fysiska' })];
    const others = [report('2026-11-23', { unitId: 'b', category: 'fysiska' }), report('2026-11-24', { unitId: 'c', category: 'fysiska' })];
    assert.deepEqual(rulesFired(report('2026-12-01', { unitId: 'd', category: 'fysiska' }), [...cluster, ...others]), ['kategori-rapporter']);
  });
  it('another nämnd or another category does not count', () => {
    const rs = [report('2026-11-20', { unitId: 'a', category: 'fysiska', committeeId: 'on' }), report('2026-11-25', { unitId: 'b', category: 'sexuella' })];
    assert.deepEqual(rulesFired(report('2026-12-01', { unitId: 'c', category: 'fysiska' }), rs), []);
  });
});

describe('pattern rules: "har det hänt förut: ja" (default 2 within 90 days in one unit)', () => {
  const table: { name: string; days: [string, boolean][]; fires: boolean }[] = [
    { name: 'two answered ja within 90 days fire', days: [['2026-09-03', true], ['2026-12-01', true]], fires: true },
    { name: 'the first 90 days back is outside', days: [['2026-09-02', true], ['2026-12-01', true]], fires: false },
    { name: 'a nej does not count', days: [['2026-11-30', false], ['2026-12-01', true]], fires: false },
    { name: 'the new report answered nej fires nothing', days: [['2026-11-30', true], ['2026-12-01', false]], fires: false },
  ];
  for (const t of table) {
    it(t.name, () => {
      const rs = t.days.map(([d, b]) => report(d, { happenedBefore: b }));
      assert.equal(rulesFired(rs.at(-1)!, rs.slice(0, -1)).includes('hant-forut'), t.fires);
    });
  }
});

describe('pattern rules: the windows by ISO text agree with the day count they replaced', () => {
  // The rules once asked inWindow (a day count) for every pair of reports; they now compare ISO
  // days with each window's first day. This oracle is the old rule, kept to prove they agree.
  const oracle = (r: ReportFact, recent: readonly ReportFact[], last: LastFired, rules: PatternRules) => {
    const today = r.receivedOn;
    const all = [...recent.filter((x) => x.reference !== r.reference), r].sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.reference.localeCompare(b.reference));
    const unitCluster = (u: string) => all.filter((x) => x.unitId === u && inWindow(x.receivedOn, today, rules.unitReports.windowDays)).length >= rules.unitReports.count;
    const out: ReturnType<typeof reportPatterns> = [];
    const check = (rule: 'enhet-rapporter' | 'kategori-rapporter' | 'hant-forut', scope: Parameters<LastFired>[1], w: { count: number; windowDays: number }, m: (x: ReportFact) => boolean, spread = false) => {
      if (!m(r)) return;
      const inside = all.filter((x) => m(x) && inWindow(x.receivedOn, today, w.windowDays));
      const hits = spread ? inside.filter((x) => !unitCluster(x.unitId)) : inside;
      if (hits.length < w.count || (spread && new Set(hits.map((x) => x.unitId)).size < 2)) return;
      const l = last(rule, scope);
      if (l !== undefined && inWindow(l, today, w.windowDays)) return;
      out.push({ rule, scope, period: today, count: hits.length, references: hits.map((x) => x.reference) });
    };
    check('enhet-rapporter', { kind: 'enhet', unitId: r.unitId }, rules.unitReports, (x) => x.unitId === r.unitId);
    check('kategori-rapporter', { kind: 'kategori', committeeId: r.committeeId, category: r.category }, rules.categoryReports, (x) => x.committeeId === r.committeeId && x.category === r.category, true);
    check('hant-forut', { kind: 'enhet', unitId: r.unitId }, rules.repeatedBefore, (x) => x.unitId === r.unitId && x.happenedBefore);
    return out;
  };

  it('gives the same findings as the day count on 2,000 generated nämnder, across month and year ends', () => {
    let state = 20261202;
    const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
    const days = Array.from({ length: 120 }, (_, i) => windowStart('2027-01-31', 120 - i)); // 2026-10-04 … 2027-01-31
    let fired = 0;
    for (let t = 0; t < 2000; t++) {
      const rules: PatternRules = { ...DEFAULT_PATTERN_RULES, unitReports: { count: 2 + rand(3), windowDays: 1 + rand(40) }, categoryReports: { count: 2 + rand(3), windowDays: 1 + rand(40) }, repeatedBefore: { count: 2 + rand(2), windowDays: 1 + rand(100) } };
      const facts = Array.from({ length: 1 + rand(25) }, () =>
        report(days[rand(days.length)]!, { unitId: `u${rand(4)}`, category: `k${rand(2)}`, happenedBefore: rand(3) === 0 }),
      );
      const self = facts[rand(facts.length)]!;
      const lastDays = new Map(['enhet-rapporter', 'kategori-rapporter', 'hant-forut'].map((rule) => [rule, rand(3) ? undefined : days[rand(days.length)]]));
      const last: LastFired = (rule) => lastDays.get(rule);
      // Whole findings: rule, scope, period, count and the references in order.
      const got = reportPatterns(self, facts, last, rules);
      assert.deepEqual(got, oracle(self, facts, last, rules), `case ${t}`);
      fired += got.length;
    }
    // The generator must reach the rules, or the comparison proves nothing.
    assert.ok(fired > 500, `only ${fired} findings in 2,000 cases`);
  });
});

describe('pattern rules: weekly (default: overdue share above 20 % with ≥ 5 items, or reviews missed, two weeks in a row)', () => {
  const wk = (n: number, over: Partial<ReviewWeek> = {}): ReviewWeek => ({ weekKey: `2026-W${String(n).padStart(2, '0')}`, done: true, items: 10, overdue: 0, ...over });
  const fired = (weeks: ReviewWeek[], last?: string) => weeklyPatterns('bou', weeks, DEFAULT_PATTERN_RULES, () => last).map((f) => f.rule);
  const table: { name: string; weeks: ReviewWeek[]; last?: string; expected: string[] }[] = [
    { name: 'one week above the share is not yet a pattern', weeks: [wk(45), wk(46, { overdue: 3 })], expected: [] },
    { name: 'two weeks above fire', weeks: [wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], expected: ['forsenade-andel'] },
    { name: 'exactly 20 % is not above', weeks: [wk(45, { overdue: 2 }), wk(46, { overdue: 2 })], expected: [] },
    { name: 'a third week above, told on the second: does not fire again', weeks: [wk(43), wk(44, { overdue: 3 }), wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], last: '2026-W45', expected: [] },
    { name: 'a third week above, never told (the bot was down on the second): fires late', weeks: [wk(43), wk(44, { overdue: 3 }), wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], expected: ['forsenade-andel'] },
    { name: 'a third week above, told only in an earlier run: fires', weeks: [wk(43), wk(44, { overdue: 3 }), wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], last: '2026-W40', expected: ['forsenade-andel'] },
    { name: 'a run filling the whole history, told at any time: does not fire', weeks: [wk(44, { overdue: 3 }), wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], last: '2026-W30', expected: [] },
    { name: 'a run filling the whole history, never told: fires', weeks: [wk(44, { overdue: 3 }), wk(45, { overdue: 3 }), wk(46, { overdue: 3 })], expected: ['forsenade-andel'] },
    { name: 'broken by a good week and formed again: fires again', weeks: [wk(43, { overdue: 3 }), wk(44, { overdue: 3 }), wk(45), wk(46, { overdue: 3 }), wk(47, { overdue: 3 })], last: '2026-W44', expected: ['forsenade-andel'] },
    { name: 'four items, all overdue: too few to mean a share', weeks: [wk(45, { items: 4, overdue: 4 }), wk(46, { items: 4, overdue: 4 })], expected: [] },
    { name: 'five items, two overdue: above', weeks: [wk(45, { items: 5, overdue: 2 }), wk(46, { items: 5, overdue: 2 })], expected: ['forsenade-andel'] },
    { name: 'one review missed is not a pattern', weeks: [wk(45), wk(46, { done: false })], expected: [] },
    { name: 'two missed in a row fire', weeks: [wk(45, { done: false }), wk(46, { done: false })], expected: ['missade-genomgangar'] },
    { name: 'both at once', weeks: [wk(45, { done: false, overdue: 5 }), wk(46, { done: false, overdue: 5 })], expected: ['forsenade-andel', 'missade-genomgangar'] },
    { name: 'no weeks: nothing', weeks: [], expected: [] },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(fired(t.weeks, t.last), t.expected));

  it('the finding names the weeks of the run and the latest week as its period', () => {
    const [f] = weeklyPatterns('bou', [wk(44), wk(45, { done: false }), wk(46, { done: false })]);
    assert.deepEqual(f!.references, ['2026-W45', '2026-W46']);
    assert.equal(f!.period, '2026-W46');
    assert.equal(f!.count, 2);
    assert.equal(f!.toldSince, '2026-W46', 'the store finds an alert of this run from the week it reached its length');
  });

  it('a run told late counts all its weeks and is told since the week it reached its length', () => {
    const [f] = weeklyPatterns('bou', [wk(42), wk(43, { done: false }), wk(44, { done: false }), wk(45, { done: false }), wk(46, { done: false })]);
    assert.deepEqual([f!.count, f!.references, f!.toldSince], [4, ['2026-W43', '2026-W44', '2026-W45', '2026-W46'], '2026-W44']);
    const [filled] = weeklyPatterns('bou', [wk(45, { done: false }), wk(46, { done: false })]);
    assert.equal(filled!.toldSince, '', 'a run filling the history: any alert of the rule for the unit means told');
  });
});

describe('pattern rules: settings are checked', () => {
  it('the defaults are usable', () => assert.deepEqual(patternRulesProblems(DEFAULT_PATTERN_RULES), []));
  it('a count of one, a zero window, a share of 1 and zero weeks are refused by name', () => {
    const bad: PatternRules = {
      unitReports: { count: 1, windowDays: 30 },
      categoryReports: { count: 3, windowDays: 0 },
      repeatedBefore: { count: 2.5, windowDays: 90 },
      overdueShare: { share: 1, minItems: 0, weeks: 0 },
      missedReviews: { weeks: 0 },
    };
    const p = patternRulesProblems(bad);
    for (const name of ['unitReports.count', 'categoryReports.windowDays', 'repeatedBefore.count', 'overdueShare.share', 'overdueShare.minItems', 'overdueShare.weeks', 'missedReviews.weeks']) {
      assert.ok(p.some((x) => x.startsWith(name)), `${name} in ${p.join('; ')}`);
    }
  });
});
