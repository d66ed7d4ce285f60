/**
 * From when weekly reviews count (src/review/epoch.ts), on a real SQLite file, and what the status
 * summary makes of it: recorded at start-up even with the reminder job off, and per unit, so a
 * unit added later is not missing weeks before it existed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UnitInfo } from '../../src/org/directory';
import { WorkingCalendar } from '../../src/review/calendar';
import { ensureReviewEpoch, recordUnitsSeen, reviewRemindersStartedAt, unitsSeenFrom } from '../../src/review/epoch';
import { summarise } from '../../src/status/summary';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { startTestApp } from '../support/app-fixture';

const at = (iso: string) => new Date(iso);

describe('review epoch: from when weeks count', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-epoch-'));
    store = SqliteStore.open({ filename: path.join(dir, 'e.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first caller records the moment; later ones (and concurrent ones) get the same', async () => {
    const [a, b] = await Promise.all([ensureReviewEpoch(store.state, at('2026-06-01T08:00:00Z')), ensureReviewEpoch(store.state, at('2026-06-01T08:00:01Z'))]);
    assert.equal(a.getTime(), b.getTime());
    assert.equal((await ensureReviewEpoch(store.state, at('2027-01-01T00:00:00Z'))).getTime(), a.getTime());
    assert.equal((await reviewRemindersStartedAt(store.state))?.getTime(), a.getTime());
  });

  it('units seen on an upgraded installation count from the epoch; a unit added later from its first start', async () => {
    await ensureReviewEpoch(store.state, at('2026-01-05T08:00:00Z'));
    await recordUnitsSeen(store.state, ['old'], at('2026-11-01T08:00:00Z'));
    await recordUnitsSeen(store.state, ['old', 'new'], at('2026-11-20T08:00:00Z'));
    const seen = await unitsSeenFrom(store.state, ['old', 'new', 'never']);
    assert.equal(seen.get('old')?.toISOString(), '2026-01-05T08:00:00.000Z');
    assert.equal(seen.get('new')?.toISOString(), '2026-11-20T08:00:00.000Z');
    assert.equal(seen.has('never'), false);
  });

  it('the app records the epoch at start-up even when the reminder job is off (REMINDER_INTERVAL_MS=0)', async () => {
    const t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    try {
      assert.ok(await reviewRemindersStartedAt(t.app.store.state));
      assert.equal((await unitsSeenFrom(t.app.store.state, ['bou-mottagning'])).size, 1);
    } finally {
      await t.stop();
    }
  });

  describe('what the status summary counts', () => {
    const NOW = at('2026-11-25T10:00:00.000Z');
    const WEEKS = { current: '2026-W48', before: ['2026-W47', '2026-W46', '2026-W45', '2026-W44'] };
    const DUE: Record<string, string> = { '2026-W44': '2026-10-26T08:00:00Z', '2026-W45': '2026-11-02T08:00:00Z', '2026-W46': '2026-11-09T08:00:00Z', '2026-W47': '2026-11-16T08:00:00Z', '2026-W48': '2026-11-23T08:00:00Z' };
    const unit = (id: string): UnitInfo => ({ id, name: id, area: 'annat', committeeId: 'sn', committeeName: 'Socialnämnden' });
    const summary = (started: string, seen: Record<string, string>) =>
      summarise({
        units: [unit('old'), unit('new')],
        counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
        clockCases: [],
        calendar: new WorkingCalendar(),
        reviews: [],
        reviewWeeks: WEEKS,
        reviewDueAt: (_u, w) => at(DUE[w]!),
        remindersStartedAt: at(started),
        unitsSeenFrom: new Map(Object.entries(seen).map(([u, d]) => [u, at(d)])),
        unreachable: { people: [], total: 0 },
        now: NOW,
        timeZone: 'Europe/Stockholm',
      });

    it('a unit that never reviews is "inte klar" and its missed weeks count, reminders or not', () => {
      const s = summary('2026-06-01T00:00:00Z', { old: '2026-06-01T00:00:00Z', new: '2026-06-01T00:00:00Z' });
      const old = s.units.find((u) => u.unitId === 'old')!;
      assert.equal(old.review.thisWeek, 'ej-klar');
      assert.equal(old.review.countedBefore, 4);
      assert.equal(old.review.doneBefore, 0);
    });

    it('a unit added on 10 November counts only the weeks due after it: one of the four before', () => {
      const s = summary('2026-06-01T00:00:00Z', { old: '2026-06-01T00:00:00Z', new: '2026-11-10T00:00:00Z' });
      assert.equal(s.units.find((u) => u.unitId === 'new')!.review.countedBefore, 1);
      assert.equal(s.units.find((u) => u.unitId === 'old')!.review.countedBefore, 4);
    });
  });
});
