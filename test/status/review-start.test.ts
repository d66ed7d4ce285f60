/**
 * Which weeks' reviews the status summary counts (issue #15): from the earlier of the week the
 * review reminders could first ask the unit (due at or after the moment they started, the rule the
 * reminders themselves use) and the unit's first recorded review. A new installation no longer
 * reads "0 av 4" for weeks before the bot existed; a seeded or earlier history still counts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { statusCardData } from '../../src/cards/status-cards';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewReminders } from '../../src/review/reminders';
import { ReviewService } from '../../src/review/service';
import { StatusService } from '../../src/status/service';
import { summarise, type ReviewState } from '../../src/status/summary';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { UnitInfo } from '../../src/org/directory';

const TZ = 'Europe/Stockholm';
/** Wednesday of ISO week 48, 11:00 in Stockholm. */
const NOW = new Date('2026-11-25T10:00:00.000Z');
const WEEKS = { current: '2026-W48', before: ['2026-W47', '2026-W46', '2026-W45', '2026-W44'] };
/** Monday 09:00 Stockholm of each week: when its review falls due. */
const DUE: Record<string, string> = {
  '2026-W44': '2026-10-26T08:00:00.000Z',
  '2026-W45': '2026-11-02T08:00:00.000Z',
  '2026-W46': '2026-11-09T08:00:00.000Z',
  '2026-W47': '2026-11-16T08:00:00.000Z',
  '2026-W48': '2026-11-23T08:00:00.000Z',
};
const UNIT: UnitInfo = { id: 'u1', name: 'Enheten', area: 'annat', committeeId: 'sn', committeeName: 'Socialnämnden' };
const ALEX = { entraId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

function reviewOf(opts: { started?: string; reviewed: string[]; now?: Date; dueThisWeek?: string }) {
  const summary = summarise({
    units: [UNIT],
    counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
    clockCases: [],
    calendar: new WorkingCalendar(),
    reviews: opts.reviewed.map((weekKey) => ({ unitId: UNIT.id, weekKey, doneBy: ALEX, doneAt: NOW })),
    reviewWeeks: WEEKS,
    reviewDueAt: (_u, w) => new Date(w === WEEKS.current && opts.dueThisWeek ? opts.dueThisWeek : DUE[w]!),
    remindersStartedAt: opts.started ? new Date(opts.started) : undefined,
    unreachable: { people: [], total: 0 },
    now: opts.now ?? NOW,
    timeZone: TZ,
  });
  return { unit: summary.units[0]!.review, totals: summary.totals };
}

describe('status: which weeks of reviews count (from the start)', () => {
  const cases: [string, Parameters<typeof reviewOf>[0], { thisWeek: ReviewState; doneBefore: number; countedBefore: number }][] = [
    ['reminders running for months, nothing done', { started: '2026-06-01T00:00:00Z', reviewed: [] }, { thisWeek: 'ej-klar', doneBefore: 0, countedBefore: 4 }],
    ['reminders running for months, two done', { started: '2026-06-01T00:00:00Z', reviewed: ['2026-W47', '2026-W45'] }, { thisWeek: 'ej-klar', doneBefore: 2, countedBefore: 4 }],
    ['reminders never ran and nothing done: nothing counts, this week included', { reviewed: [] }, { thisWeek: 'ej-startad', doneBefore: 0, countedBefore: 0 }],
    ['reminders never ran: counted from the first review', { reviewed: ['2026-W46'] }, { thisWeek: 'ej-klar', doneBefore: 1, countedBefore: 2 }],
    ['started between week 45 and 46 fell due', { started: '2026-11-05T12:00:00Z', reviewed: [] }, { thisWeek: 'ej-klar', doneBefore: 0, countedBefore: 2 }],
    ['started the moment week 46 fell due: week 46 counts (as the reminders ask it)', { started: DUE['2026-W46']!, reviewed: [] }, { thisWeek: 'ej-klar', doneBefore: 0, countedBefore: 2 }],
    ['started a millisecond after week 46 fell due: week 46 does not', { started: '2026-11-09T08:00:00.001Z', reviewed: [] }, { thisWeek: 'ej-klar', doneBefore: 0, countedBefore: 1 }],
    ['installed today, after this week fell due: nothing counts yet', { started: '2026-11-25T09:00:00Z', reviewed: [] }, { thisWeek: 'ej-startad', doneBefore: 0, countedBefore: 0 }],
    ['installed today, but a history from week 45 (the demo seed): from week 45', { started: '2026-11-25T09:00:00Z', reviewed: ['2026-W45', '2026-W47'] }, { thisWeek: 'ej-klar', doneBefore: 2, countedBefore: 3 }],
    ['installed today, and this week reviewed already', { started: '2026-11-25T09:00:00Z', reviewed: ['2026-W48'] }, { thisWeek: 'klar', doneBefore: 0, countedBefore: 0 }],
    ['installed before this week falls due: this week is not due yet', { started: '2026-11-25T09:00:00Z', reviewed: [], dueThisWeek: '2026-11-26T08:00:00Z' }, { thisWeek: 'ej-aktuell', doneBefore: 0, countedBefore: 0 }],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => {
      assert.deepEqual(reviewOf(input).unit, expected);
    });
  }

  it('totals add up what counted, and what was before the start', () => {
    const summary = summarise({
      units: [UNIT, { ...UNIT, id: 'u2' }, { ...UNIT, id: 'u3' }],
      counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
      clockCases: [],
      calendar: new WorkingCalendar(),
      reviews: [
        { unitId: 'u1', weekKey: '2026-W45', doneBy: ALEX, doneAt: NOW },
        { unitId: 'u1', weekKey: '2026-W47', doneBy: ALEX, doneAt: NOW },
        { unitId: 'u2', weekKey: '2026-W48', doneBy: ALEX, doneAt: NOW },
      ],
      reviewWeeks: WEEKS,
      reviewDueAt: (_u, w) => new Date(DUE[w]!),
      remindersStartedAt: new Date('2026-11-25T09:00:00Z'),
      unreachable: { people: [], total: 0 },
      now: NOW,
      timeZone: TZ,
    });
    const t = summary.totals;
    assert.deepEqual(
      { done: t.reviewsDone, notDone: t.reviewsNotDone, notYet: t.reviewsNotYetDue, beforeStart: t.reviewsBeforeStart, doneBefore: t.reviewsDoneBefore, countedBefore: t.reviewsCountedBefore },
      { done: 1, notDone: 1, notYet: 0, beforeStart: 1, doneBefore: 2, countedBefore: 3 },
    );
    const card = statusCardData({
      scope: { kind: 'committee', id: 'sn', title: 'Socialnämnden', units: summary.units.map((u) => ({ ...UNIT, id: u.unitId })) },
      period: { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' },
      live: true,
      summary,
      now: NOW,
      timeZone: TZ,
    });
    assert.deepEqual(card.reviews, [
      { title: 'v.48', value: 'klar 1, inte klar 1, inte dags än 0, före starten 1 (av 3 enheter)' },
      { title: 'v.44–47', value: '2 av 3 gjorda (veckor före starten räknas inte)' },
      { title: 'Före starten', value: 'Veckor innan påminnelserna började och innan enhetens första genomgång räknas inte.' },
    ]);
    assert.deepEqual(card.units.map((u) => u.review), ['v.48: inte klar · v.45–47: 2 av 3 veckor sedan starten', 'v.48: klar', 'v.48: före starten']);
  });

  it('one week since the start reads in the singular; a full window as before', () => {
    const one = summarise({
      units: [UNIT, { ...UNIT, id: 'u2' }],
      counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
      clockCases: [],
      calendar: new WorkingCalendar(),
      reviews: [{ unitId: 'u1', weekKey: '2026-W47', doneBy: ALEX, doneAt: NOW }, { unitId: 'u2', weekKey: '2026-W44', doneBy: ALEX, doneAt: NOW }],
      reviewWeeks: WEEKS,
      reviewDueAt: (_u, w) => new Date(DUE[w]!),
      remindersStartedAt: undefined,
      unreachable: { people: [], total: 0 },
      now: NOW,
      timeZone: TZ,
    });
    const card = statusCardData({
      scope: { kind: 'committee', id: 'sn', title: 'Socialnämnden', units: [UNIT, { ...UNIT, id: 'u2' }] },
      period: { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' },
      live: true,
      summary: one,
      now: NOW,
      timeZone: TZ,
    });
    assert.deepEqual(card.units.map((u) => u.review), ['v.48: inte klar · v.47: 1 av 1 vecka sedan starten', 'v.48: inte klar · v.44–47: 1/4']);
    assert.equal(card.reviews[1]!.value, '2 av 5 gjorda (veckor före starten räknas inte)');
  });

  it('nothing counted before the reference week: says so rather than "0 av 0"', () => {
    const summary = summarise({
      units: [UNIT],
      counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
      clockCases: [],
      calendar: new WorkingCalendar(),
      reviews: [],
      reviewWeeks: WEEKS,
      reviewDueAt: (_u, w) => new Date(DUE[w]!),
      remindersStartedAt: new Date('2026-11-20T10:00:00Z'),
      unreachable: { people: [], total: 0 },
      now: NOW,
      timeZone: TZ,
    });
    const card = statusCardData({
      scope: { kind: 'unit', id: 'u1', title: 'Enheten', units: [UNIT] },
      period: { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' },
      live: true,
      summary,
      now: NOW,
      timeZone: TZ,
    });
    assert.equal(card.reviews[0]!.value, 'klar 0, inte klar 1, inte dags än 0 (av 1 enhet)');
    assert.equal(card.reviews[1]!.value, 'inga veckor sedan starten');
    assert.ok(!JSON.stringify(card).includes('0 av'), JSON.stringify(card.reviews));
  });
});

describe('status on a new installation (real SQLite)', function () {
  this.timeout(20_000);
  const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
  const directory = new Directory(ORG);
  const calendar = new WorkingCalendar();
  const logger = createLogger('silent');
  let dir: string;
  let store: SqliteStore;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-status-start-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const summaryAt = async (now: Date) => {
    const status = new StatusService({ store, directory: () => directory, logger, timeZone: TZ, now: () => now, warnDays: 7, calendar });
    const units = directory.allUnits().filter((u) => u.committeeId === 'socialnamnden');
    return status.summary({ kind: 'committee', id: 'socialnamnden', title: 'Socialnämnden', units }, { from: new Date('2026-11-22T23:00:00Z'), to: now, label: 'denna vecka' });
  };

  it('before the reminders ever ran, no week counts; once they start, from the week they first ask', async () => {
    const fresh = await summaryAt(NOW);
    assert.equal(fresh.totals.reviewsCountedBefore, 0);
    assert.ok(fresh.units.every((u) => u.review.thisWeek === 'ej-startad'), JSON.stringify(fresh.units.map((u) => u.review)));

    // Installed on Wednesday 2 December (week 49), after that week's Monday review fell due.
    const cards = new CardRenderer();
    const deps = { store, directory: () => directory, cards, logger, timeZone: TZ, warnDays: 7, calendar };
    const reminders = new ReviewReminders({ ...deps, reviews: new ReviewService({ ...deps, now: () => new Date('2026-12-02T10:00:00Z') }), escalationWorkingDays: 3 });
    await reminders.tick(new Date('2026-12-02T10:00:00Z'));
    const sameWeek = await summaryAt(new Date('2026-12-03T10:00:00Z'));
    assert.deepEqual([...new Set(sameWeek.units.map((u) => `${u.review.thisWeek} ${u.review.countedBefore}`))], ['ej-startad 0']);

    // Three weeks later: weeks 50 and 51 were asked and count; 49 does not.
    await store.cases.recordReview({ unitId: 'bou-mottagning', weekKey: '2026-W50', doneBy: ALEX, doneAt: new Date('2026-12-07T09:00:00Z') });
    const later = await summaryAt(new Date('2026-12-23T10:00:00Z'));
    const byUnit = Object.fromEntries(later.units.map((u) => [u.unitId, u.review]));
    assert.deepEqual(byUnit['bou-mottagning'], { thisWeek: 'ej-klar', doneBefore: 1, countedBefore: 2 });
    assert.deepEqual(byUnit['vuxenenheten'], { thisWeek: 'ej-klar', doneBefore: 0, countedBefore: 2 });
    assert.equal(later.totals.reviewsCountedBefore, 8);
  });
});
