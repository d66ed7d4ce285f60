/**
 * The same contract against a real SQL Server. It needs a server, so it runs only when
 * MSSQL_TEST_CONNECTION_STRING points at a scratch database (see README, "SQL Server").
 */
import assert from 'node:assert/strict';
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
  });
} else {
  describe('store contract: mssql', () => {
    it('runs only when MSSQL_TEST_CONNECTION_STRING is set (no SQL Server on this machine)');
  });
}
