/**
 * The stored review rank (src/casework/review-rank.ts) against computeClock, day by day: for
 * generated items of every type (the sample export's rows with their dates moved and some stop
 * dates left out), a rank computed on one day gives, on every later day it says it holds, the due
 * day, the weight and the state computeClock gives that day; "none" where computeClock gives no
 * clock and "kan inte bedömas" where it throws. Where the rank says it no longer holds, it is
 * computed again, as the store does. A fixed seed, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { caseworkWeight } from '../../src/cases/deadline-rank';
import { parseCaseworkCsv } from '../../src/casework/csv';
import { toRecord } from '../../src/casework/import';
import { caseworkItemOf } from '../../src/casework/persisted';
import { caseworkReviewRank, rankHoldsOn, rankStateOn, type CaseworkReviewRank } from '../../src/casework/review-rank';
import { addAmount, computeClock, DATE_FIELDS, statutoryCalendar, type CaseworkItem } from '../../src/casework/rules';
import { prng } from '../support/random';

const TZ = 'Europe/Stockholm';
const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');
const UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];

/** What the review makes of an item on `today`: computeClock's answer in the rank's terms. */
function reference(item: CaseworkItem, today: string, warnDays: number, calendar: ReturnType<typeof statutoryCalendar>, judgmentDays?: number) {
  let clock;
  try {
    clock = computeClock(item, { today, warnDays, timeZone: TZ, calendar, ...(judgmentDays !== undefined ? { judgmentDays } : {}) });
  } catch {
    return { kind: 'unjudgeable' as const };
  }
  if (!clock) return { kind: 'none' as const };
  return { kind: 'running' as const, due: clock.due, weight: caseworkWeight(clock), state: clock.state };
}

function fromRank(rank: CaseworkReviewRank, today: string, warnDays: number) {
  if (rank.kind !== 'running') return { kind: rank.kind };
  return { kind: 'running' as const, due: rank.dueOn, weight: rank.weight, state: rankStateOn(rank, today, warnDays) };
}

describe('casework review rank: the stored rank against computeClock, day by day', function () {
  this.timeout(60_000);
  const parsed = parseCaseworkCsv(SAMPLE, { source: 's', unitIds: UNITS });
  assert.ok(parsed.ok);
  const templates = parsed.items.map((i) => caseworkItemOf(toRecord(i, TZ)));

  it('the sample holds items of every kind of clock, or the comparison proves little', () => {
    assert.ok(new Set(templates.map((t) => t.type)).size >= 12, `types: ${[...new Set(templates.map((t) => t.type))].join(', ')}`);
  });

  for (const { warnDays, judgmentDays, seed } of [{ warnDays: 7, judgmentDays: undefined, seed: 14 }, { warnDays: 0, judgmentDays: 30, seed: 15 }, { warnDays: 21, judgmentDays: 3, seed: 16 }]) {
    it(`gives computeClock's due day, weight and state on every day (warnDays ${warnDays}, judgmentDays ${judgmentDays ?? 'default'})`, () => {
      const rnd = prng(seed);
      const calendar = statutoryCalendar(TZ);
      const opts = { timeZone: TZ, calendar, ...(judgmentDays !== undefined ? { judgmentDays } : {}) };
      const seen = { running: 0, none: 0, unjudgeable: 0, recomputed: 0, states: new Set<string>(), weights: new Set<string>() };
      for (let n = 0; n < 400; n++) {
        const t = templates[n % templates.length]!;
        const shift = Math.floor(rnd() * 500) - 420;
        const item = { ...t } as Record<string, unknown>;
        for (const f of DATE_FIELDS) {
          const v = item[f];
          if (typeof v !== 'string') continue;
          // Some dates left out (a stop not yet recorded, or a start missing: "kan inte bedömas"); the others moved together.
          if (rnd() < 0.15) delete item[f];
          else item[f] = addAmount(v, { days: shift + (rnd() < 0.1 ? Math.floor(rnd() * 60) - 30 : 0) });
        }
        const it = item as unknown as CaseworkItem;
        let day = addAmount('2026-01-01', { days: shift + Math.floor(rnd() * 200) });
        let rank = caseworkReviewRank(it, day, opts);
        for (let d = 0; d < 160; d++, day = addAmount(day, { days: 1 })) {
          if (!rankHoldsOn(rank, day)) {
            rank = caseworkReviewRank(it, day, opts);
            seen.recomputed++;
          }
          const want = reference(it, day, warnDays, calendar, judgmentDays);
          assert.deepEqual(fromRank(rank, day, warnDays), want, `${it.type} ${it.caseReference} on ${day}: rank ${JSON.stringify(rank)}`);
          seen[want.kind]++;
          if (want.kind === 'running') {
            seen.states.add(want.state);
            seen.weights.add(want.weight);
          }
        }
      }
      // The generator must reach every branch, or agreeing proves nothing.
      assert.ok(seen.running > 10_000 && seen.none > 500 && seen.unjudgeable > 500, JSON.stringify(seen));
      assert.ok(seen.recomputed > 20, `a rank ran out ${seen.recomputed} times`);
      assert.deepEqual([...seen.states].sort(), ['forsenad', 'i-tid', 'narmar-sig']);
      // The casework rules' local-policy periods (a dom's days) all carry a consequence, so weigh as one.
      assert.deepEqual([...seen.weights].sort(), ['consequence', 'statutory']);
    });
  }

  it('a rank computed later than the day asked does not hold on it (a clock set back is computed again)', () => {
    const rank = caseworkReviewRank(templates[0]!, '2026-11-20', { timeZone: TZ });
    assert.equal(rankHoldsOn(rank, '2026-11-19'), false);
    assert.equal(rankHoldsOn(rank, '2026-11-20'), true);
  });
});
