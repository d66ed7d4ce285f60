import assert from 'node:assert/strict';
import { mssqlMigrations } from '../../src/store/mssql/migrations';
import { sqliteMigrations } from '../../src/store/sqlite/migrations';

describe('store migrations', () => {
  it('SQLite and SQL Server have the same versions and names, in order', () => {
    const shape = (ms: typeof sqliteMigrations) => ms.map((m) => `${m.version}:${m.name}`);
    assert.deepEqual(shape(mssqlMigrations), shape(sqliteMigrations));
  });

  it('versions are 1, 2, 3 … without gaps', () => {
    sqliteMigrations.forEach((m, i) => assert.equal(m.version, i + 1));
  });
});
