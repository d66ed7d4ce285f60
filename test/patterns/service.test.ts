/**
 * The pattern service on a real SQLite file: evaluation after a rapport, the sweep that catches up
 * what a crash left unevaluated, the category rule across units, and the card under Teams' limit
 * with the worst case.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { patternAlertCard, REFERENCES_SHOWN } from '../../src/cards/pattern-cards';
import { cardBytes, CardRenderer, MAX_CARD_BYTES } from '../../src/cards/render';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { PatternAlerts } from '../../src/patterns/service';
import { WorkingCalendar } from '../../src/review/calendar';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { newReport } from '../store/contract';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';

describe('pattern service (real SQLite)', () => {
  let dir: string;
  let store: SqliteStore;
  let patterns: PatternAlerts;
  const cards = new CardRenderer();
  const directory = new Directory(ORG);
  /** A working-day morning, so the cards are due at once. */
  const REAL_NOW = new Date('2026-12-01T09:00:00.000Z');

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-patterns-'));
    store = SqliteStore.open({ filename: path.join(dir, 'p.db') });
    await store.migrate();
    await store.organisation.sync(ORG, REAL_NOW);
    patterns = new PatternAlerts({ store, directory: () => directory, cards, logger: createLogger('silent'), timeZone: TZ, calendar: new WorkingCalendar({ timeZone: TZ }), realNow: () => REAL_NOW });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Files a rapport straight into the store: as if the process died before evaluating it. */
  const file = async (createdAt: string, over: Parameters<typeof newReport>[0] = {}) =>
    (await store.reports.create(newReport({ createdAt: new Date(createdAt), unitId: 'bou-mottagning', committeeId: 'socialnamnden', category: 'bemotande', ...over }), { actorEntraId: 'x', action: 'report.create', entityType: 'report' })).report.reference;

  it('the sweep evaluates rapporter nobody evaluated, fires once, and a second sweep finds nothing to do', async () => {
    await file('2026-11-20T09:00:00.000Z');
    await file('2026-11-25T09:00:00.000Z');
    const third = await file('2026-11-30T09:00:00.000Z');
    const since = new Date('2026-11-29T00:00:00.000Z');
    assert.equal(await patterns.sweep(since, REAL_NOW), 1);
    assert.equal(await patterns.sweep(since, REAL_NOW), 0);
    // And the request's own evaluation, had it come late, finds it done.
    assert.deepEqual(await patterns.afterReport(third), []);
    const [a] = await store.patterns.list(['socialnamnden'], new Date(0), new Date('2027-01-01'), 10);
    assert.equal(a?.period, '2026-11-30');
    assert.equal(a?.count, 3);
  });

  it('evaluation counts by the day of receipt in Stockholm: 23:30 UTC on the 30th is 1 December', async () => {
    await file('2026-11-01T23:30:00.000Z'); // 2 Nov in Stockholm: 29 days before 1 Dec, inside
    await file('2026-11-15T09:00:00.000Z');
    const last = await file('2026-11-30T23:30:00.000Z');
    const fired = await patterns.afterReport(last);
    assert.deepEqual(fired.map((f) => [f.rule, f.period]), [['enhet-rapporter', '2026-12-01']]);
  });

  it('one category in two units of the nämnd fires the category rule, to the nämnd', async () => {
    await file('2026-11-20T09:00:00.000Z', { category: 'fysiska', unitId: 'vuxenenheten' });
    await file('2026-11-25T09:00:00.000Z', { category: 'fysiska' });
    const fired = await patterns.afterReport(await file('2026-11-30T09:00:00.000Z', { category: 'fysiska', unitId: 'bou-familjehem' }));
    assert.deepEqual(fired.map((f) => f.rule), ['kategori-rapporter']);
    const rows = await store.outbox.listByEntity(`monster/${fired[0]!.id}`, 'pattern-alert');
    assert.match(rows[0]!.cardJson, /3 rapporter om fysiska övergrepp i Socialnämnden på 30 dagar/);
  });

  it('a card outside working hours waits for the next working morning', async () => {
    const late = new PatternAlerts({ store, directory: () => directory, cards, logger: createLogger('silent'), timeZone: TZ, calendar: new WorkingCalendar({ timeZone: TZ }), realNow: () => new Date('2026-12-04T20:00:00.000Z') });
    for (const d of ['2026-12-02', '2026-12-03']) await file(`${d}T09:00:00.000Z`);
    const [a] = await late.afterReport(await file('2026-12-04T19:00:00.000Z'));
    const [row] = await store.outbox.listByEntity(`monster/${a!.id}`, 'pattern-alert');
    assert.equal(row?.notBefore.toISOString(), '2026-12-07T07:00:00.000Z', 'Monday 08:00 in Stockholm');
  });

  it('says the overdue share the rule compares with, never rounded past it', () => {
    const base = {
      id: 1, rule: 'forsenade-andel' as const, count: 2, scopeName: 'Enhet', committeeName: 'Nämnd', categoryLabel: '', references: [], firedAt: REAL_NOW,
      error: '', values: { outcome: '', motivation: '' }, timeZone: TZ, refreshUserIds: [],
    };
    for (const [share, text] of [[0.2, 'mer än 20 %'], [0.125, 'mer än 12,5 %'], [0.999, 'mer än 99,9 %'], [0, 'mer än 0 %'], [0.07, 'mer än 7 %']] as const) {
      const card = JSON.stringify(patternAlertCard(cards, { ...base, threshold: { count: 2, weeks: 2, share } }));
      assert.ok(card.includes(text), `${share}: ${text}`);
    }
  });

  it('the card stays under Teams\' limit with every reference and the longest names, naming at most REFERENCES_SHOWN', () => {
    const long = 'Å'.repeat(200);
    const refs = Array.from({ length: 5_000 }, (_, i) => `LS-2026-${String(i + 1).padStart(4, '0')}`);
    const card = patternAlertCard(cards, {
      id: 1, rule: 'kategori-rapporter', threshold: { count: 3, windowDays: 30 }, count: refs.length, scopeName: long, committeeName: long, categoryLabel: long,
      references: refs, firedAt: REAL_NOW, decision: { outcome: 'analys-paborjad', motivation: 'M'.repeat(2000), by: long, at: REAL_NOW }, error: 'E'.repeat(500), values: { outcome: '', motivation: '' }, timeZone: TZ,
      // Teams' most: 60 copies refreshing, each with a long Teams id.
      refreshUserIds: Array.from({ length: 60 }, (_, i) => `29:${'x'.repeat(100)}${i}`),
    });
    assert.ok(cardBytes(card) < MAX_CARD_BYTES, `${cardBytes(card)} bytes`);
    const text = JSON.stringify(card);
    assert.ok(text.includes(refs[REFERENCES_SHOWN - 1]!) && !text.includes(refs[REFERENCES_SHOWN]!));
    assert.match(text, /och 4960 rapporter till/);
  });
});
