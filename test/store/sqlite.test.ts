import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteMigrations } from '../../src/store/sqlite/migrations';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { typeGaps } from '../../src/store/sqlite/sqlite-status';
import { runCaseworkContract } from './casework-contract';
import { runCompilationContract } from './compilation-contract';
import { runStoreContract, sampleOrg } from './contract';
import { message } from './outbox-contract';
import { runPatternContract } from './patterns-contract';
import { runClockContract } from './clock-contract';

describe('SQLite store', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-sqlite-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  // A real file per test (not :memory:) so WAL, locking and persistence are exercised.
  runStoreContract(
    'sqlite',
    async () => SqliteStore.open({ filename: path.join(dir, `contract-${++n}.db`) }),
    async () => SqliteStore.open({ filename: path.join(dir, `contract-${n}.db`) }),
  );
  runCaseworkContract('sqlite', async () => SqliteStore.open({ filename: path.join(dir, `casework-contract-${++n}.db`) }));
  runPatternContract('sqlite', async () => SqliteStore.open({ filename: path.join(dir, `pattern-contract-${++n}.db`) }));
  runClockContract('sqlite', async () => SqliteStore.open({ filename: path.join(dir, `clock-contract-${++n}.db`) }));
  runCompilationContract('sqlite', async () => SqliteStore.open({ filename: path.join(dir, `compilation-contract-${++n}.db`) }));

  it("keeps the driver's page cache (16 MB in better-sqlite3's build) unless told a size in MB (SQLITE_CACHE_MB)", async () => {
    const cacheOf = (store: SqliteStore) => (store as unknown as { db: import('better-sqlite3').Database }).db.pragma('cache_size', { simple: true });
    const plain = SqliteStore.open({ filename: path.join(dir, `cache-${++n}.db`) });
    const large = SqliteStore.open({ filename: path.join(dir, `cache-${++n}.db`), cacheMb: 64 });
    try {
      assert.equal(cacheOf(plain), -16000);
      assert.equal(cacheOf(large), -65536);
      for (const cacheMb of [0, -1, 1.5, Number.NaN]) assert.throws(() => SqliteStore.open({ filename: path.join(dir, `cache-${++n}.db`), cacheMb }), RangeError, String(cacheMb));
    } finally {
      await plain.close();
      await large.close();
    }
  });

  it('orders the casework type gaps as SQLite orders text, so every unknown type lies inside one', () => {
    // U+FF61 sorts after 😀 in JavaScript (UTF-16 units) and before it in SQLite (UTF-8 bytes).
    const types = ['\uff61', '😀', 'forhandsbedomning', 'a'];
    const gaps = typeGaps(types);
    assert.deepEqual(gaps, [[null, 'a'], ['a', 'forhandsbedomning'], ['forhandsbedomning', '\uff61'], ['\uff61', '😀'], ['😀', null]]);
    const db = new Database(':memory:');
    for (const [lo, hi] of gaps) if (lo !== null && hi !== null) assert.equal((db.prepare('SELECT ? < ? AS lt').get(lo, hi) as { lt: number }).lt, 1, `${lo} < ${hi} in SQLite`);
    db.close();
    assert.deepEqual(typeGaps([]), [[null, null]]);
    assert.deepEqual(typeGaps(['b', 'b']), [[null, 'b'], ['b', null]]);
  });

  it('hands each outbox row to one of four connections claiming truly in parallel (worker threads)', async function () {
    this.timeout(60_000);
    const filename = path.join(dir, 'parallel-claims.db');
    const s = SqliteStore.open({ filename });
    await s.migrate();
    const n = 2000;
    await s.outbox.enqueue(Array.from({ length: n }, (_, i) => message(`m${i}`)));
    const now = new Date('2026-11-23T09:00:00.000Z').toISOString();
    let ready = 0;
    const workers: Worker[] = [];
    const run = (owner: string) =>
      new Promise<string[]>((resolve, reject) => {
        // A plain-JS entry that registers tsx's require hook, then loads the TypeScript worker.
        const entry = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'outbox-claim-worker.ts'))});`;
        const w = new Worker(entry, { eval: true, workerData: { filename, owner, now } });
        workers.push(w);
        w.on('message', (m: { ready?: true; claimed?: string[]; error?: string }) => {
          if (m.ready && ++ready === 4) for (const x of workers) x.postMessage('go');
          else if (m.error !== undefined) reject(new Error(m.error));
          else if (m.claimed) resolve(m.claimed);
        });
        w.once('error', reject);
        w.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker ${owner} exited ${code}`))));
      });
    const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(run));
    const all = results.flat();
    assert.equal(all.length, n, `claimed ${all.length} times for ${n} rows`);
    assert.equal(new Set(all).size, n);
    // SQLite's lock is not fair (a waiting connection sleeps and retries), so only ask for real overlap.
    assert.ok(results.filter((r) => r.length >= n / 10).length >= 2, `the workers did not run side by side: ${results.map((r) => r.length).join(', ')}`);
    assert.equal(await s.outbox.pendingCount(), 0);
    await s.close();
  });

  it('a row that cannot be read back is failed at its claim instead of failing every claim after it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lexsarah-poison-')), 'db.sqlite');
    const store = SqliteStore.open({ filename: file });
    try {
      await store.migrate();
      const at = new Date(Date.now() - 1000);
      await store.outbox.enqueue([message('poison', { notBefore: at, createdAt: at }), message('healthy', { notBefore: at, createdAt: at })]);
      // Damaged the way a bug or a newer version could leave it.
      const raw = new Database(file);
      raw.prepare("UPDATE outbox SET on_undeliverable = '{not json' WHERE message_key = 'poison'").run();
      raw.close();
      const claimed = await store.outbox.claim('w1', new Date(), 60_000, 10);
      assert.deepEqual(claimed.map((r) => r.key), ['healthy']);
      const poison = new Database(file).prepare("SELECT state, last_error FROM outbox WHERE message_key = 'poison'").get() as { state: string; last_error: string };
      assert.deepEqual(poison, { state: 'failed', last_error: 'unreadable-row' });
      assert.deepEqual(await store.outbox.claim('w2', new Date(), 60_000, 10), [], 'and it is never claimed again');
    } finally {
      await store.close();
    }
  });

  it('migration 14 keys the stored ej verkställda beslut on their decision day and has their deadlines computed again', async () => {
    const file = path.join(dir, 'migration-14.db');
    const old = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 13) });
    assert.equal((await old.migrate()).at(-1), 13);
    await old.close();
    const raw = new Database(file);
    const insert = raw.prepare(
      `INSERT INTO casework_items (source, case_reference, item_type, unit_id, status, beslutsdatum, utredning_inledd, opening_key, due_on, stops_on, updated_at)
       VALUES ('pc', ?, ?, 'u', ?, ?, ?, ?, '2026-10-01', NULL, '2026-09-01T00:00:00Z')`,
    );
    insert.run('VE 1', 'ej-verkstallt-beslut', 'oppen', '2026-07-01', null, '');
    insert.run('VE 2', 'ej-verkstallt-beslut', 'avslutad', '2026-05-01', null, '');
    insert.run('VE 3', 'ej-verkstallt-beslut', 'avslutad', null, null, '');
    insert.run('BoU 1', 'barnavardsutredning', 'oppen', null, '2026-06-01', '2026-06-01');
    insert.run('BoU 2', 'forhandsbedomning', 'oppen', null, null, '');
    raw.close();
    const s = SqliteStore.open({ filename: file });
    assert.equal((await s.migrate())[0], 14);
    await s.close();
    const after = new Database(file);
    const rows = after.prepare('SELECT case_reference AS ref, opening_key AS k, due_on AS due, no_earlier_extension AS flag, insats FROM casework_items ORDER BY case_reference').all();
    after.close();
    assert.deepEqual(rows, [
      { ref: 'BoU 1', k: '2026-06-01', due: '2026-10-01', flag: 0, insats: null },
      { ref: 'BoU 2', k: '', due: '2026-10-01', flag: 0, insats: null },
      { ref: 'VE 1', k: '2026-07-01', due: null, flag: 0, insats: null },
      { ref: 'VE 2', k: '2026-05-01', due: '2026-10-01', flag: 0, insats: null },
      { ref: 'VE 3', k: '', due: '2026-10-01', flag: 0, insats: null },
    ]);
  });

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
