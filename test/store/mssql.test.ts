/**
 * The same contract against a real SQL Server. It needs a server, so it runs only when
 * MSSQL_TEST_CONNECTION_STRING points at a scratch database (see README, "SQL Server").
 */
import { runStoreContract } from './contract';

const connectionString = process.env.MSSQL_TEST_CONNECTION_STRING;

if (connectionString) {
  // Each test starts from empty tables; the contract expects that.
  runStoreContract(
    'mssql',
    async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      const store = await MssqlStore.open({ connectionString });
      await store.migrate();
      await store.dropAllDataForTests();
      return store;
    },
    // A second pool on the same database, as another instance would have; its data stays.
    async () => {
      const { MssqlStore } = await import('../../src/store/mssql/mssql-store.js');
      return MssqlStore.open({ connectionString });
    },
  );
} else {
  describe('store contract: mssql', () => {
    it('runs only when MSSQL_TEST_CONNECTION_STRING is set (no SQL Server on this machine)');
  });
}
