/**
 * The same contract against a real SQL Server. It needs a server, so it runs only when
 * MSSQL_TEST_CONNECTION_STRING points at a scratch database (see README, "SQL Server").
 */
import assert from 'node:assert/strict';
import { runCaseworkContract } from './casework-contract';
import { runCompilationContract } from './compilation-contract';
import { runPatternContract } from './patterns-contract';
import { runClockContract } from './clock-contract';
import { runStoreContract } from './contract';

const connectionString = process.env.MSSQL_TEST_CONNECTION_STRING;
/** The schema the test user's default schema is (see README, "SQL Server"); default dbo. */
const schema = process.env.MSSQL_TEST_SCHEMA || undefined;

if (connectionString) {
  // Each test starts from empty tables; the contract expects that.
  runStoreContract(
    'mssql',
    async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      const store = await MssqlStore.open({ connectionString, ...(schema ? { schema } : {}) });
      await store.migrate();
      await store.dropAllDataForTests();
      return store;
    },
    // A second pool on the same database, as another instance would have; its data stays.
    async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      return MssqlStore.open({ connectionString, ...(schema ? { schema } : {}) });
    },
  );
  runCaseworkContract('mssql', async () => {
    const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
    const store = await MssqlStore.open({ connectionString, ...(schema ? { schema } : {}) });
    await store.migrate();
    await store.dropAllDataForTests();
    return store;
  });
  for (const run of [runPatternContract, runCompilationContract, runClockContract]) {
    run('mssql', async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      const store = await MssqlStore.open({ connectionString, ...(schema ? { schema } : {}) });
      await store.migrate();
      await store.dropAllDataForTests();
      return store;
    });
  }
  describe('SQL Server only', () => {
    it('leaves a pooled connection at READ COMMITTED after the SNAPSHOT status reads', async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      // One connection, so the next request runs on the session the snapshot transaction used.
      const store = await MssqlStore.open({ connectionString, poolMax: 1, ...(schema ? { schema } : {}) });
      try {
        await store.migrate();
        await store.status.counts({ unitIds: ['u'], from: new Date(0), to: new Date(), fromDay: '2026-01-01', toDay: '2026-02-01', today: '2026-01-15', approachingUntil: '2026-01-22' });
        const pool = (store as unknown as { db: { pool: import('mssql').ConnectionPool } }).db.pool;
        const r = await pool.request().query<{ level: number }>('SELECT transaction_isolation_level AS level FROM sys.dm_exec_sessions WHERE session_id = @@SPID');
        assert.equal(r.recordset[0]?.level, 2, '2 is READ COMMITTED; 5 would be SNAPSHOT left behind');
      } finally {
        await store.close();
      }
    });

    it('decides claims on the statement\'s own row count, whatever a trigger without NOCOUNT or a session with NOCOUNT does', async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      const store = await MssqlStore.open({ connectionString, poolMax: 1, ...(schema ? { schema } : {}) });
      const pool = (store as unknown as { db: { pool: import('mssql').ConnectionPool } }).db.pool;
      try {
        await store.migrate();
        await store.dropAllDataForTests();
        // A DBA's audit trigger without SET NOCOUNT ON: its own DONE count (3) reaches the driver too.
        await pool.request().batch('CREATE TRIGGER trg_test_once_markers_audit ON once_markers AFTER INSERT AS BEGIN DECLARE @t TABLE (x INT); INSERT INTO @t (x) VALUES (1), (2), (3); END');
        const at = new Date('2026-01-01T00:00:00Z');
        assert.equal(await store.state.claimOnce('trigger/1', at), true);
        assert.equal(await store.state.claimOnce('trigger/1', at), false);
        // NOCOUNT set after start on the one pooled session (as a logon trigger would at connect).
        await pool.request().batch('SET NOCOUNT ON');
        const options = await pool.request().query<{ nocount: number }>('SELECT @@OPTIONS & 512 AS nocount');
        assert.equal(options.recordset[0]?.nocount, 512, 'the session should have NOCOUNT on for this test to mean anything');
        assert.equal(await store.state.claimOnce('nocount/1', at), true);
        assert.equal(await store.state.claimOnce('nocount/1', at), false);
      } finally {
        await pool.request().batch('SET NOCOUNT OFF').catch(() => undefined);
        await pool.request().batch("IF OBJECT_ID(N'trg_test_once_markers_audit', N'TR') IS NOT NULL DROP TRIGGER trg_test_once_markers_audit").catch(() => undefined);
        await store.close();
      }
    });

    it('falls back to read committed when snapshot isolation is turned off after start (3952)', async function () {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      const store = await MssqlStore.open({ connectionString, ...(schema ? { schema } : {}) });
      const db = (store as unknown as { db: { pool: import('mssql').ConnectionPool; snapshotAllowed: boolean } }).db;
      try {
        await store.migrate();
        if (!db.snapshotAllowed) this.skip();
        // Needs ALTER DATABASE rights on the scratch database.
        await db.pool.request().batch('ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION OFF');
        try {
          await store.status.counts({ unitIds: ['u'], from: new Date(0), to: new Date(), fromDay: '2026-01-01', toDay: '2026-02-01', today: '2026-01-15', approachingUntil: '2026-01-22' });
          assert.equal(db.snapshotAllowed, false);
        } finally {
          await db.pool.request().batch('ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON');
        }
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe('store contract: mssql', () => {
    it('runs only when MSSQL_TEST_CONNECTION_STRING is set (no SQL Server on this machine)');
  });
}
