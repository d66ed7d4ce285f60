/**
 * The adapters' encodings of the weekly review's ranks (src/store/review-classes.ts for casework,
 * src/store/clock-ranks.ts for the lex Sarah clocks), against the rule the review's SQL applied per
 * row before (written out here once more, from src/cases/deadline-rank.ts): for every class or
 * clock and every due day around today and the warning day, the rank a row is given, the ranges it
 * is read from for its rank and no other, and the counts per rank.
 */
import assert from 'node:assert/strict';
import { clockRankCounts, clockRankOn, inKindRange, kindRangesOfRanks, type KindCount } from '../../src/store/clock-ranks';
import { isoDayFrom } from '../../src/store/iso-days';
import { classesOfRanks, COUNTED_CLASSES, NO_CLOCK_CLASS, rangesOfRanks, rankCounts, rankOfClassOn, reviewClassOf, UNJUDGEABLE_CLASS } from '../../src/store/review-classes';

const TODAY = '2026-03-01';
const WARN_UNTIL = '2026-03-08';
const days = Array.from({ length: 40 }, (_, i) => isoDayFrom('2026-02-10', i));

/** The casework rank as migration 20's SQL computed it per row. */
function referenceRank(r: { kind: string; weight: string | null; fromStart: boolean; dueOn: string | null }, today: string, warnUntil: string): number | undefined {
  if (r.kind === 'none') return undefined;
  if (r.kind === 'unjudgeable') return 2;
  if (r.dueOn! < today) return r.weight === 'consequence' ? 0 : r.weight === 'local-policy' ? 3 : 1;
  return r.dueOn! <= warnUntil || r.fromStart ? 4 : 5;
}

describe('the stored review classes of casework ranks (migration 21)', () => {
  it('packs kind, weight and "never i tid" into one class; any other weight counts as the law\'s', () => {
    const table: [Parameters<typeof reviewClassOf>[0], number][] = [
      [{ kind: 'running', weight: 'consequence', fromStart: false }, 0],
      [{ kind: 'running', weight: 'consequence', fromStart: true }, 1],
      [{ kind: 'running', weight: 'statutory', fromStart: false }, 10],
      [{ kind: 'running', weight: 'statutory', fromStart: true }, 11],
      [{ kind: 'running', weight: null, fromStart: false }, 10],
      [{ kind: 'running', weight: 'something new', fromStart: true }, 11],
      [{ kind: 'running', weight: 'local-policy', fromStart: false }, 30],
      [{ kind: 'running', weight: 'local-policy', fromStart: true }, 31],
      [{ kind: 'unjudgeable', weight: null, fromStart: false }, UNJUDGEABLE_CLASS],
      [{ kind: 'none', weight: null, fromStart: false }, NO_CLOCK_CLASS],
    ];
    for (const [rank, cls] of table) assert.equal(reviewClassOf(rank), cls, JSON.stringify(rank));
    assert.deepEqual([...new Set(table.map(([r]) => reviewClassOf(r)))].filter((c) => c !== NO_CLOCK_CLASS).sort((a, b) => a - b), [...COUNTED_CLASSES].sort((a, b) => a - b));
  });

  it('gives every class on every day the rank the per-row rule gives, and reads it from its own rank\'s ranges only', () => {
    for (const weight of ['consequence', 'statutory', 'local-policy']) {
      for (const fromStart of [false, true]) {
        const cls = reviewClassOf({ kind: 'running', weight, fromStart });
        for (const due of days) {
          const expected = referenceRank({ kind: 'running', weight, fromStart, dueOn: due }, TODAY, WARN_UNTIL)!;
          assert.equal(rankOfClassOn(cls, due, TODAY, WARN_UNTIL), expected, `${cls} ${due}`);
          for (const rank of [0, 1, 3, 4, 5]) {
            const covered = rangesOfRanks([rank], TODAY, WARN_UNTIL).some((r) => r.cls === cls && r.from <= due && due <= r.to);
            assert.equal(covered, rank === expected, `class ${cls} due ${due} in the ranges of rank ${rank}`);
          }
          assert.equal(classesOfRanks([expected]).includes(cls), true);
        }
      }
    }
    assert.deepEqual(rangesOfRanks([2], TODAY, WARN_UNTIL), [], 'the unjudgeable have no due day: counted, not ranged');
    assert.deepEqual(classesOfRanks([2]), [UNJUDGEABLE_CLASS]);
  });

  it('sums the buckets per rank, and refuses counts the encoding cannot give', () => {
    const zero = { overdue: 0, near: 0, later: 0, undated: 0 };
    assert.deepEqual(
      [...rankCounts([{ cls: 0, ...zero, overdue: 2, near: 1, later: 4 }, { cls: 1, ...zero, later: 3 }, { cls: 30, ...zero, overdue: 5 }, { cls: UNJUDGEABLE_CLASS, ...zero, undated: 7 }, { cls: 10, ...zero }])!].sort((a, b) => a[0] - b[0]),
      [[0, 2], [2, 7], [3, 5], [4, 4], [5, 4]],
    );
    assert.equal(rankCounts([{ cls: 10, ...zero, undated: 1 }]), undefined, 'a running rank without a due day');
    assert.equal(rankCounts([{ cls: UNJUDGEABLE_CLASS, ...zero, near: 1 }]), undefined, 'an unjudgeable one with one');
  });
});

/** The lex Sarah rank as migration 18's review SQL computed it per row. */
function referenceClockRank(kind: string | null, due: string, weight: string | null, today: string, until: Record<string, string | undefined>): number {
  if (kind === null) return 6;
  if (due < today) return weight === 'consequence' ? 0 : weight === 'local-policy' ? 3 : 1;
  const u = until[kind];
  return u !== undefined && due <= u ? 4 : 5;
}

describe('the review ranks of the stored lex Sarah clocks', () => {
  const untils: Record<string, string | undefined>[] = [
    { bedomning: '2026-03-03', anmalan: '2026-03-08', utredning: '2026-03-15', avslut: '2026-03-15' },
    { anmalan: '2026-03-08' },
    { bedomning: '2026-02-20', anmalan: TODAY },
  ];
  it('gives every clock on every day the rank the per-row rule gives, and reads it from its own rank\'s ranges only', () => {
    for (const approachingUntil of untils) {
      const q = { today: TODAY, approachingUntil };
      for (const kind of ['bedomning', 'anmalan', 'utredning', 'avslut']) {
        for (const weight of ['consequence', 'statutory', 'local-policy']) {
          for (const due of days) {
            const expected = referenceClockRank(kind, due, weight, TODAY, approachingUntil);
            assert.equal(clockRankOn(kind, due, weight, q), expected, `${kind} ${weight} ${due} ${JSON.stringify(approachingUntil)}`);
            for (const rank of [0, 1, 3, 4, 5]) {
              const covered = kindRangesOfRanks([rank], q).some((r) => inKindRange(r, kind, due, weight));
              assert.equal(covered, rank === expected, `${kind} ${weight} ${due} in the ranges of rank ${rank} (${JSON.stringify(approachingUntil)})`);
            }
            assert.equal(kindRangesOfRanks([0, 1, 3, 4, 5], q).filter((r) => inKindRange(r, kind, due, weight)).length, 1, 'in exactly one range of all ranks');
          }
        }
      }
    }
  });

  it('sums the kinds and weights per rank, and refuses counts that do not add up', () => {
    const k = (over: Partial<KindCount>): KindCount => ({ kind: 'anmalan', weight: 'statutory', overdue: 0, near: 0, later: 0, undated: 0, ...over });
    const kinds = [k({ weight: 'consequence', overdue: 1 }), k({ weight: 'local-policy', overdue: 2, later: 1 }), k({ overdue: 2, near: 1, later: 1 }), k({ kind: 'avslut', weight: 'local-policy', later: 3 })];
    assert.deepEqual([...clockRankCounts(kinds, 4, 11)!].sort((a, b) => a[0] - b[0]), [[0, 1], [1, 2], [3, 2], [4, 1], [5, 5], [6, 4]]);
    assert.equal(clockRankCounts(kinds, 4, 12), undefined, 'a clock of a kind or weight not counted');
    assert.equal(clockRankCounts([k({ undated: 1 })], 0, 1), undefined, 'a clock without a due day');
    assert.equal(clockRankCounts([k({ weight: null, overdue: 1 })], 0, 1), undefined, 'a clock without a weight');
    assert.equal(clockRankCounts([k({ weight: 'new', near: 1 })], 0, 1), undefined, 'a weight the list does not know');
    assert.deepEqual([...clockRankCounts([k({ weight: 'new' })], 0, 0)!], [], 'a weight with nothing counted is no problem');
  });
});
