/**
 * The stored clocks (migration 18, src/cases/stored-clocks.ts) against the pure clock functions:
 * over generated case histories on a real SQLite file, the tally the status summary reads from the
 * store (src/status/clock-tally.ts) is exactly the one summary.ts's tallyClocks computes from every
 * open case: the same counts per unit and clock, the same late cases in the same order. Checked
 * again after more changes (stale cases refreshed), on other days, and after the rules changed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CLOCK_RULES, type ClockRules } from '../../src/cases/clocks';
import { calendarDayIn } from '../../src/cases/clocks';
import { WorkingCalendar } from '../../src/review/calendar';
import Database from 'better-sqlite3';
import { approachingUntil, refreshStoredClocks, StoredClockFailure } from '../../src/cases/stored-clocks';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { storedClockTally } from '../../src/status/clock-tally';
import { StatusService } from '../../src/status/service';
import { tallyClocks, type ClockTally } from '../../src/status/summary';
import { STORED_CLOCK_KINDS } from '../../src/store/cases';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { newReport, sampleOrg } from '../store/contract';
import { prng, step, type Case } from '../support/case-histories';

const TZ = 'Europe/Stockholm';
const UNITS = ['bou', 'vuxen', 'eken'];
const anna = { entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Anna Chef' };
const calendar = new WorkingCalendar({ timeZone: TZ });

/** The tally in a form that compares whole: counts sorted, late cases in their order. */
const comparable = (t: ClockTally) => ({
  counts: [...t.counts].sort((a, b) => `${a.unitId}/${a.clock}`.localeCompare(`${b.unitId}/${b.clock}`)),
  late: t.late,
  lateCount: t.lateCount,
});

describe('stored case clocks against the pure clock functions', function () {
  this.timeout(60_000);
  let dir: string;
  let store: SqliteStore;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'stored-clocks-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let file: string;
  beforeEach(async () => {
    file = path.join(dir, `clocks-${Date.now()}-${Math.random()}.db`);
    store = SqliteStore.open({ filename: file });
    await store.migrate();
    await store.organisation.sync(sampleOrg(), new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(async () => store.close());

  const expected = async (now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, limit?: number) =>
    comparable(tallyClocks(await store.cases.listOpenCases(UNITS), { calendar, now, timeZone: TZ, clockRules: rules }, limit));
  const stored = async (now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, limit?: number) =>
    comparable(await storedClockTally({ store, calendar, rules }, UNITS, calendarDayIn(TZ)(now), limit));

  it('the store counts every clock kind there is (each is a parameter of its SQL)', () => {
    assert.deepEqual(Object.keys(approachingUntil('2026-12-01')).sort(), [...STORED_CLOCK_KINDS].sort());
  });

  it('gives the same counts and late cases over 400 generated histories, after further changes, on other days and under other rules', async () => {
    const rnd = prng(14);
    const cases: Case[] = [];
    const start = Date.parse('2026-06-01T08:00:00Z');
    for (let i = 0; i < 400; i++) {
      const unitId = UNITS[i % 3]!;
      const createdAt = new Date(start + Math.floor(rnd() * 180 * 86_400_000));
      const { report } = await store.reports.create(
        newReport({ unitId, committeeId: unitId === 'eken' ? 'von' : 'sn', urgent: rnd() < 0.3, createdAt }),
        { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' },
      );
      const c: Case = { id: report.id, reference: report.reference, state: 'rapporterad', at: createdAt.getTime() };
      cases.push(c);
      for (let s = Math.floor(rnd() * 5); s > 0; s--) await step(store, c, rnd);
    }
    const states = new Set(cases.map((c) => c.state));
    assert.deepEqual([...states].sort(), ['anmald', 'avslutad', 'bedomd', 'rapporterad', 'under-utredning'], 'the histories reach every state');

    const now = new Date('2026-12-02T12:00:00Z');
    const first = await expected(now);
    assert.ok(first.lateCount.all > 40 && first.late.length > 0, `too few late cases to compare (${first.lateCount.all})`);
    assert.ok(first.counts.length >= 10, 'every unit runs several kinds of clock');
    assert.deepEqual(await stored(now), first);

    // More changes: the changed cases are stale and refreshed on the next read.
    for (const c of cases.filter((_, i) => i % 4 === 0)) await step(store, c, rnd);
    assert.ok((await store.cases.staleClockCases(undefined, 1000)).length > 0);
    assert.deepEqual(await stored(now), await expected(now));
    assert.deepEqual(await store.cases.staleClockCases(undefined, 1000), [], 'a read leaves nothing stale');

    // Other days: the stored due days do not depend on today; the counts do.
    for (const day of ['2026-07-15T09:00:00Z', '2026-11-30T23:30:00Z', '2027-03-01T06:00:00Z']) {
      assert.deepEqual(await stored(new Date(day)), await expected(new Date(day)), day);
    }
    // A short cut: the same first cases of each part, the same totals.
    assert.deepEqual(await stored(now, DEFAULT_CLOCK_RULES, 3), await expected(now, DEFAULT_CLOCK_RULES, 3));

    // Other rules: every open case is computed again under them (the basis changed), and back.
    const other: ClockRules = { ...DEFAULT_CLOCK_RULES, anmalanSlaDays: 3, assessmentWorkingDays: 1, closingDays: 20, remindBeforeDays: [5] };
    const before = await expected(now);
    assert.notDeepEqual(await expected(now, other), before, 'the other rules must change the tally, or this checks nothing');
    assert.deepEqual(await stored(now, other), await expected(now, other));
    assert.deepEqual(await stored(now), before);
  });
  /** `n` new reports in the units, each with a history of up to four steps. */
  async function history(n: number, seed: number): Promise<Case[]> {
    const rnd = prng(seed);
    const cases: Case[] = [];
    for (let i = 0; i < n; i++) {
      const unitId = UNITS[i % 3]!;
      const createdAt = new Date(Date.parse('2026-09-01T08:00:00Z') + Math.floor(rnd() * 90 * 86_400_000));
      const { report } = await store.reports.create(newReport({ unitId, committeeId: unitId === 'eken' ? 'von' : 'sn', urgent: rnd() < 0.3, createdAt }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' });
      const c: Case = { id: report.id, reference: report.reference, state: 'rapporterad', at: createdAt.getTime() };
      for (let s = Math.floor(rnd() * 5); s > 0; s--) await step(store, c, rnd);
      cases.push(c);
    }
    return cases;
  }

  /** The store, with `hook` run once, right after the named case-store call returns (another instance acting meanwhile). */
  function interleaved(method: 'staleClockCases' | 'storeClocks' | 'invalidateClocks', hook: () => Promise<void>): Store {
    let fired = false;
    const cases = new Proxy(store.cases, {
      get(target, prop) {
        const original = Reflect.get(target, prop, target) as unknown;
        if (typeof original !== 'function') return original;
        if (prop !== method) return original.bind(target);
        return async (...args: unknown[]) => {
          const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (!fired) {
            fired = true;
            await hook();
          }
          return result;
        };
      },
    });
    return { ...store, state: store.state, cases } as unknown as Store;
  }

  it('an instance with other rules changing the basis while a refresh runs leaves no clock of the old rules counted as fresh', async () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const other: ClockRules = { ...DEFAULT_CLOCK_RULES, anmalanSlaDays: 3, assessmentWorkingDays: 1, closingDays: 20 };
    const cases = await history(120, 7);
    assert.notDeepEqual(await expected(now, other), await expected(now), 'the other rules must change the tally, or this checks nothing');
    const today = calendarDayIn(TZ)(now);
    // (a) The other instance changes the basis between this refresh's read and its store.
    await refreshStoredClocks({ store, calendar });
    for (const c of cases.filter((_, i) => i % 3 === 0)) await step(store, c, prng(c.id));
    await refreshStoredClocks({ store: interleaved('staleClockCases', async () => void (await refreshStoredClocks({ store, calendar, rules: other }))), calendar });
    assert.deepEqual(comparable(await storedClockTally({ store, calendar, rules: other }, UNITS, today)), await expected(now, other), 'read between');
    // (b) The other instance changes the basis after this refresh checked it and before it read the stale cases.
    await refreshStoredClocks({ store, calendar });
    for (const c of cases.filter((_, i) => i % 3 === 1)) await step(store, c, prng(c.id + 1));
    await history(10, 8); // new reports: stale
    const basisRead = new Proxy(store.state, {
      get(target, prop) {
        const original = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
        if (prop !== 'read') return typeof original === 'function' ? original.bind(target) : original;
        let n = 0;
        return async (...args: unknown[]) => {
          const result = await original.apply(target, args);
          if (n++ === 0) {
            await refreshStoredClocks({ store, calendar, rules: other });
            await history(10, 9); // and reports come in under the new basis, before this refresh reads them
          }
          return result;
        };
      },
    });
    await refreshStoredClocks({ store: { ...store, cases: store.cases, state: basisRead } as unknown as Store, calendar });
    assert.deepEqual(comparable(await storedClockTally({ store, calendar, rules: other }, UNITS, today)), await expected(now, other), 'basis checked before');
    // (c) This refresh runs whole between the other instance's first invalidation and its writing the new basis.
    await refreshStoredClocks({ store, calendar });
    for (const c of cases.filter((_, i) => i % 3 === 2)) await step(store, c, prng(c.id + 2));
    await refreshStoredClocks({ store: interleaved('invalidateClocks', async () => void (await refreshStoredClocks({ store, calendar }))), calendar, rules: other });
    assert.deepEqual(comparable(await storedClockTally({ store, calendar, rules: other }, UNITS, today)), await expected(now, other), 'whole refresh in between');
  });

  it('a case whose clock cannot be computed is logged and left stale, the others are stored, and the status summary says why it cannot be shown', async () => {
    await history(30, 11);
    const raw = new Database(file);
    const bad = raw.prepare("SELECT id FROM reports WHERE state = 'rapporterad' AND unit_id IN ('bou', 'vuxen') ORDER BY id LIMIT 1").get() as { id: number };
    raw.prepare("UPDATE reports SET created_at = 'inte ett datum', clock_stale = 1 WHERE id = ?").run(bad.id);
    raw.close();
    const lines: { event?: string; reportId?: number }[] = [];
    const logger = createLogger('error', { write: (l: string) => void lines.push(JSON.parse(l)) });
    await assert.rejects(refreshStoredClocks({ store, calendar, logger }), (err: unknown) => err instanceof StoredClockFailure && err.reportIds.join() === String(bad.id));
    assert.deepEqual((await store.cases.staleClockCases(undefined, 100)).map((c) => c.reportId), [bad.id], 'only the failing case stays stale');
    assert.deepEqual(lines.filter((l) => l.event === 'stored-clock-failed').map((l) => l.reportId), [bad.id]);

    const directory = new Directory(sampleOrg());
    const service = new StatusService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: TZ, warnDays: 7, calendar, now: () => new Date('2026-12-02T12:00:00Z') });
    const r = await service.ask(anna, ''); // chef of the nämnd of the case's unit
    assert.equal(r.kind, 'refused');
    assert.match((r as { reason: string }).reason, /^Lägesbilden kan inte visas just nu: tidsfristerna för 1 lex Sarah-ärende kan inte beräknas/);
  });
});
