/**
 * The weekly pattern rules in the running app (src/app.ts's pattern-weekly job) with the reminder
 * jobs off (REMINDER_INTERVAL_MS=0): the sweep still runs, and on a register whose reviews have
 * counted for weeks without one being done, every demo unit's missed reviews reach its nämnd's
 * samordnare and chef through the outbox (units with an enhetschef only).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { WEEKLY_RULES_STARTED_KEY } from '../../src/patterns/weekly';
import { ensureReviewEpoch } from '../../src/review/epoch';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

describe('weekly pattern rules in the app, reminders off', function () {
  this.timeout(20_000);
  let dir: string;
  let app: RunningApp | undefined;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-weekly-app-'))));
  after(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires the missed-review alert for every unit once the reviews have counted two weeks, and once only after a restart', async () => {
    const dbFile = path.join(dir, 'app.db');
    const seeded = SqliteStore.open({ filename: dbFile });
    await seeded.migrate();
    await ensureReviewEpoch(seeded.state, new Date('2026-10-01T00:00:00Z'));
    // An installation where the weekly rules have run since then too (a first start would count from now).
    await seeded.state.write([{ key: WEEKLY_RULES_STARTED_KEY, value: JSON.stringify('2026-10-01T00:00:00.000Z') }]);
    await seeded.close();
    const config = parseConfig({ PORT: '0', SQLITE_PATH: dbFile, LOG_LEVEL: 'silent', NODE_ENV: 'test', REMINDER_INTERVAL_MS: '0', TEST_CLOCK_START: '2026-12-02T10:00:00.000Z' });
    const start = () => startApp({ config, logger: createLogger('silent'), host: '127.0.0.1' });
    app = await start();
    const alerts = async () => (await app!.store.patterns.list(['socialnamnden', 'vard-och-omsorg'], new Date(0), new Date('2100-01-01'), 1000)).filter((a) => a.rule === 'missade-genomgangar');
    const deadline = Date.now() + 10_000;
    let fired = await alerts();
    while (fired.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      fired = await alerts();
    }
    assert.ok(fired.length > 0, 'the weekly job ran with the reminders off');
    await new Promise((r) => setTimeout(r, 300));
    fired = await alerts();
    // Week 48 (23–29 Nov) has ended; every week from 41 (due 5 Oct, after the epoch) was missed.
    assert.deepEqual([...new Set(fired.map((a) => `${a.period} ${a.count} ${a.references[0]}`))], ['2026-W48 8 2026-W41']);
    assert.equal(new Set(fired.map((a) => a.unitId)).size, fired.length, 'one alert per unit');
    assert.ok(fired.every((a) => a.unitId === 'bou-mottagning' || a.unitId === 'bou-familjehem'), 'only units with an enhetschef');
    const cards = await app.store.outbox.listByEntity(`monster/${fired[0]!.id}`, 'pattern-alert');
    assert.ok(cards.length >= 1, 'told through the outbox');
    const n = fired.length;
    await app.stop();
    app = await start();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await alerts()).length, n, 'a restart tells nobody again');
  });
});
