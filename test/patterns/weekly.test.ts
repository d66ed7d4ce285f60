/**
 * The weekly pattern rules as the app's sweep runs them (src/patterns/weekly.ts), on a real SQLite
 * file with the demo organisation and the real pattern service behind them (stored alerts, cards
 * in the outbox): missed reviews two weeks in a row fire once, at the end of the second week, and
 * again only after a run is broken and formed anew; weeks before the reviews started never count;
 * the overdue share is the one kept on each week's review day; two instances tell nobody twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CardRenderer } from '../../src/cards/render';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { PatternAlerts } from '../../src/patterns/service';
import { WEEKLY_RULES_STARTED_KEY, WeeklyPatterns, type CaseworkSnapshot } from '../../src/patterns/weekly';
import type { ReviewSchedule } from '../../src/review/schedule';
import { WorkingCalendar } from '../../src/review/calendar';
import { ensureReviewEpoch, recordUnitsSeen } from '../../src/review/epoch';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';
const UNIT = 'bou-mottagning';
const CHEF = { entraId: 'x', name: 'Enhetschef' };

/** ISO weeks of 2026 by number ("W47"); the default review is due on Monday 09:00 Stockholm (08:00Z in winter). */
const wk = (n: number) => `2026-W${String(n).padStart(2, '0')}`;
/** Monday of ISO week n of 2026, at `time` UTC. */
const monday = (n: number, time = '08:30') => new Date(Date.parse('2026-01-05T00:00:00Z') + (n - 2) * 7 * 86_400_000 + Date.parse(`1970-01-01T${time}:00Z`));

describe('weekly pattern rules (real SQLite, the sweep and the pattern service)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  const directory = new Directory(ORG);
  const units = directory.allUnits().map((u) => u.id);
  /** The units with an enhetschef: the others get no reminders and no missed-review alert. */
  const chefed = units.filter((u) => directory.unitChefs(u).length > 0);
  let casework: Map<string, CaseworkSnapshot>;
  let asked: string[];

  let scheduleFor: ((unitId: string) => ReviewSchedule | undefined) | undefined;
  const weekly = () => {
    const calendar = new WorkingCalendar({ timeZone: TZ });
    const patterns = new PatternAlerts({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar, realNow: () => new Date('2026-12-01T09:00:00Z') });
    return new WeeklyPatterns({
      store, directory: () => directory, calendar, timeZone: TZ, logger: createLogger('silent'), ...(scheduleFor ? { scheduleFor } : {}),
      caseworkNow: async (unitId) => (asked.push(unitId), casework.get(unitId) ?? { items: 0, overdue: 0 }),
      fire: (f, unit) => patterns.fireWeekly(f, unit),
    });
  };
  const review = async (unitId: string, ...weeks: number[]) => {
    for (const n of weeks) await store.cases.recordReview({ unitId, weekKey: wk(n), doneBy: CHEF, doneAt: monday(n, '10:00') });
  };
  /** Every unit but `except` reviews weeks from..to. */
  const othersReview = async (from: number, to: number, except = UNIT) => {
    for (const u of units.filter((x) => x !== except)) await review(u, ...Array.from({ length: to - from + 1 }, (_, i) => from + i));
  };
  const alerts = async () =>
    (await store.patterns.list(['socialnamnden', 'vard-och-omsorg'], new Date(0), new Date('2100-01-01'), 1000)).map((a) => `${a.rule} ${a.unitId} ${a.period} [${a.references.join(' ')}]`);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-weekly-'));
    file = path.join(dir, 'w.db');
    store = SqliteStore.open({ filename: file });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-09-01T00:00:00Z'));
    casework = new Map();
    asked = [];
    scheduleFor = undefined;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reviews count from `at`, and the weekly rules have run since `rulesFrom` (default the same). */
  const started = async (at: string, rulesFrom = at) => {
    await ensureReviewEpoch(store.state, new Date(at));
    await recordUnitsSeen(store.state, units, new Date(at));
    await store.state.write([{ key: WEEKLY_RULES_STARTED_KEY, value: JSON.stringify(new Date(rulesFrom).toISOString()) }]);
  };

  it('two missed weeks fire once at the end of the second; a third adds nothing; broken and formed again, it fires again', async () => {
    await started('2026-09-01T00:00:00Z');
    await othersReview(36, 52);
    await review(UNIT, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 49);
    const w = weekly();
    assert.equal(await w.sweep(new Date('2026-11-22T20:00:00Z')), 0, 'week 47 has not ended: not judged yet');
    assert.equal(await w.sweep(monday(48, '00:30')), 1);
    assert.deepEqual(await alerts(), [`missade-genomgangar ${UNIT} ${wk(47)} [${wk(46)} ${wk(47)}]`]);
    assert.equal(await w.sweep(monday(48, '09:00')), 0, 'a repeat sweep');
    assert.equal(await w.sweep(monday(49)), 0, 'a third missed week in the run');
    assert.equal(await w.sweep(monday(51)), 0, 'week 49 done: the run is broken');
    assert.equal(await w.sweep(monday(52)), 1, 'weeks 50 and 51 missed');
    assert.deepEqual((await alerts()).at(-1), `missade-genomgangar ${UNIT} ${wk(51)} [${wk(50)} ${wk(51)}]`);
    // Told to the nämnd's samordnare and chef through the outbox.
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare("SELECT COUNT(*) AS n FROM outbox WHERE purpose = 'pattern-alert'").get() as { n: number };
    raw.close();
    assert.ok(rows.n >= 2, `outbox rows: ${rows.n}`);
  });

  it('weeks due before the reviews started are not missed: a new installation is told nothing until two counted weeks pass', async () => {
    await started('2026-11-18T12:00:00Z'); // a Wednesday of week 47: its review was due before
    assert.equal(await weekly().sweep(monday(49)), 0, 'week 47 does not count, week 48 alone is one');
    assert.deepEqual(await alerts(), []);
    assert.equal(await weekly().sweep(monday(50)), chefed.length, 'weeks 48 and 49 missed at every unit with an enhetschef');
    assert.ok(chefed.length > 0 && chefed.length < units.length, 'the demo has units with and without a chef');
  });

  it('a unit added to the organisation file later counts from its first day', async () => {
    await started('2026-09-01T00:00:00Z');
    await othersReview(30, 52);
    // Its recorded first day is the Tuesday of week 47: that week's review was due the day before and does not count.
    await store.state.write([{ key: `review-reminders/unit-seen/${UNIT}`, value: JSON.stringify('2026-11-17T12:00:00.000Z') }]);
    assert.equal(await weekly().sweep(monday(49)), 0, 'week 48 alone');
    assert.equal(await weekly().sweep(monday(50)), 1);
    assert.deepEqual(await alerts(), [`missade-genomgangar ${UNIT} ${wk(49)} [${wk(48)} ${wk(49)}]`]);
  });

  it('the overdue share: kept on each review day, two weeks above fire once; at the threshold, a week below, or too few items do not', async () => {
    await started('2026-09-01T00:00:00Z');
    await othersReview(30, 52, '');
    const w = weekly();
    casework.set(UNIT, { items: 10, overdue: 3 });
    assert.equal(await w.sweep(monday(46, '07:30')), 0);
    assert.ok(!asked.includes(UNIT), 'nothing kept before the review is due (08:30 Stockholm)');
    await w.sweep(monday(46, '08:30')); // 30 % on week 46's review day
    assert.equal(asked.filter((u) => u === UNIT).length, 1);
    await w.sweep(monday(46, '12:00'));
    assert.equal(asked.filter((u) => u === UNIT).length, 1, 'kept once a week');
    casework.set(UNIT, { items: 10, overdue: 2 }); // exactly 20 %: not above
    await w.sweep(monday(47));
    casework.set(UNIT, { items: 10, overdue: 5 });
    await w.sweep(monday(48));
    casework.set(UNIT, { items: 4, overdue: 4 }); // above, but fewer than minItems
    await w.sweep(monday(49));
    casework.set(UNIT, { items: 8, overdue: 2 }); // 25 %
    await w.sweep(monday(50));
    assert.deepEqual(await alerts(), [], 'no two weeks in a row above the share yet');
    casework.set(UNIT, { items: 5, overdue: 5 });
    assert.equal(await w.sweep(monday(51)), 0, 'week 51 is above too, but it is judged when it has ended');
    assert.equal(await w.sweep(monday(52)), 1);
    assert.deepEqual(await alerts(), [`forsenade-andel ${UNIT} ${wk(51)} [${wk(50)} ${wk(51)}]`]);
  });

  it('two instances sweeping at once tell each pattern once', async () => {
    await started('2026-09-01T00:00:00Z');
    await othersReview(30, 52);
    await review(UNIT, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44);
    const [a, b] = await Promise.all([weekly().sweep(monday(47)), weekly().sweep(monday(47))]);
    assert.equal(a + b, 1);
    assert.deepEqual(await alerts(), [`missade-genomgangar ${UNIT} ${wk(46)} [${wk(45)} ${wk(46)}]`]);
  });
  it('a week is judged a day after its review fell due, even when a holiday moved that into the next week', async () => {
    // Friday reviews; Långfredag 2027 (26 March, week 12) moves week 12's to Tuesday 30 March, in week 13.
    scheduleFor = () => ({ weekday: 5, time: '09:00' });
    await started('2027-02-01T00:00:00Z');
    await othersReview(1, 20);
    for (const u of units.filter((x) => x !== UNIT)) for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) await store.cases.recordReview({ unitId: u, weekKey: `2027-W${String(n).padStart(2, '0')}`, doneBy: CHEF, doneAt: new Date('2027-03-01T00:00:00Z') });
    for (const n of [5, 6, 7, 8, 9, 10]) await store.cases.recordReview({ unitId: UNIT, weekKey: `2027-W${String(n).padStart(2, '0')}`, doneBy: CHEF, doneAt: new Date('2027-02-01T00:00:00Z') });
    // Easter Monday: week 12 has ended, but its review is not due until tomorrow.
    assert.equal(await weekly().sweep(new Date('2027-03-29T10:00:00Z')), 0);
    assert.equal(await weekly().sweep(new Date('2027-03-31T07:30:00Z')), 1, 'judged a day after it fell due');
    assert.deepEqual(await alerts(), [`missade-genomgangar ${UNIT} 2027-W12 [2027-W11 2027-W12]`]);
  });

  it('a review recorded after its week was judged does not count as done', async () => {
    await started('2026-09-01T00:00:00Z');
    await othersReview(30, 52);
    await review(UNIT, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46);
    // Week 47 recorded late, on the Tuesday of week 48; week 48 missed.
    await store.cases.recordReview({ unitId: UNIT, weekKey: wk(47), doneBy: CHEF, doneAt: monday(48, '12:00') });
    assert.equal(await weekly().sweep(monday(49)), 1);
    assert.deepEqual(await alerts(), [`missade-genomgangar ${UNIT} ${wk(48)} [${wk(47)} ${wk(48)}]`]);
  });

  it('no burst when the weekly rules start: weeks judged before count for nothing', async () => {
    // Reviews have counted since September, nothing was ever done, and the weekly rules start now.
    await started('2026-09-01T00:00:00Z', '2026-11-25T12:00:00Z');
    assert.equal(await weekly().sweep(monday(49)), 0, 'week 48 alone counts');
    assert.equal(await weekly().sweep(monday(50)), chefed.length, 'weeks 48 and 49');
  });

  it('the first sweep records when the weekly rules started, once', async () => {
    await ensureReviewEpoch(store.state, new Date('2026-09-01T00:00:00Z'));
    await recordUnitsSeen(store.state, units, new Date('2026-09-01T00:00:00Z'));
    assert.equal(await weekly().sweep(monday(49)), 0);
    assert.equal(await weekly().sweep(monday(49, '12:00')), 0);
    assert.equal((await store.state.read([WEEKLY_RULES_STARTED_KEY])).get(WEEKLY_RULES_STARTED_KEY)?.value, JSON.stringify(monday(49).toISOString()));
  });
});
