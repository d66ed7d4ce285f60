import assert from 'node:assert/strict';
import { importCasework } from '../../src/casework/import';
import { refreshReviewRanks } from '../../src/casework/stored-ranks';
import { createLogger } from '../../src/log/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { turnsDuring } from '../support/event-loop';

describe('stored casework ranks: a large refresh', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
  });
  afterEach(() => store.close());

  it('lets waiting turns run between its batches, and still ranks every item', async () => {
    const rows = Array.from({ length: 1600 }, (_, i) => `BoU ${i};forhandsbedomning;u1;2026-11-${String(1 + (i % 20)).padStart(2, '0')}`);
    const out = await importCasework(
      { store, unitIds: () => ['u1'], now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: false, logger: createLogger('silent') },
      { source: 'pc', csv: `ärendereferens;typ;enhet;orosanmälan_mottagen\n${rows.join('\n')}\n`, full: true, actor: 't' },
    );
    assert.ok(out.ok);
    const { result: n, turns: ranDuring } = await turnsDuring(() => refreshReviewRanks({ store, timeZone: 'Europe/Stockholm' }, ['u1'], '2026-11-22'));
    assert.equal(n, 1600);
    // SQLite answers synchronously: without a pause between batches the turn would not run until the end.
    assert.ok(ranDuring >= 2, `the waiting turn ran ${ranDuring} time(s) during the refresh`);
    assert.deepEqual(await store.casework.staleReviewRanks(['u1'], '2026-11-22', 10), []);
  });
});
