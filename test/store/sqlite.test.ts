import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { runStoreContract, sampleOrg } from './contract';

describe('SQLite store', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-sqlite-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  // A real file per test (not :memory:) so WAL, locking and persistence are exercised.
  runStoreContract('sqlite', async () => SqliteStore.open({ filename: path.join(dir, `contract-${++n}.db`) }));

  it('keeps data across close and reopen (a restart)', async () => {
    const file = path.join(dir, 'restart.db');
    const a = SqliteStore.open({ filename: file });
    await a.migrate();
    await a.organisation.sync(sampleOrg(), new Date());
    await a.state.write([{ key: 'k', value: '"v"' }]);
    await a.close();
    const b = SqliteStore.open({ filename: file });
    assert.deepEqual(await b.migrate(), []);
    assert.deepEqual(await b.organisation.load(), sampleOrg());
    assert.equal((await b.state.read(['k'])).get('k')?.value, '"v"');
    await b.close();
  });

  it('reports a schema behind the code as not migrated', async () => {
    const s = SqliteStore.open({ filename: path.join(dir, 'behind.db') });
    const h = await s.health();
    assert.equal(h.reachable, true);
    assert.equal(h.schemaVersion, 0);
    assert.ok(h.expectedVersion > 0);
    await s.close();
  });

  it('says which path failed when the file cannot be opened', () => {
    const notADir = path.join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const bad = path.join(notADir, 'x.db');
    assert.throws(() => SqliteStore.open({ filename: bad }), (err: Error) => err.message.includes(bad));
  });

  it('rolls back a migration that fails halfway and records nothing', async () => {
    const s = SqliteStore.open({
      filename: path.join(dir, 'bad-migration.db'),
      migrations: [{ version: 1, name: 'broken', statements: ['CREATE TABLE ok_table (id INTEGER)', 'THIS IS NOT SQL'] }],
    });
    await assert.rejects(s.migrate());
    const h = await s.health();
    assert.equal(h.schemaVersion, 0);
    await s.close();
    // Had the first statement survived, creating the same table again would fail.
    const again = SqliteStore.open({
      filename: path.join(dir, 'bad-migration.db'),
      migrations: [{ version: 1, name: 'fixed', statements: ['CREATE TABLE ok_table (id INTEGER)'] }],
    });
    assert.deepEqual(await again.migrate(), [1]);
    await again.close();
  });
});
