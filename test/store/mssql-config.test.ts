/** The SQL Server settings of src/config/config.ts: defaults, and bad values named so an operator can fix them. */
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../src/config/config';

const base = { STORE: 'mssql', MSSQL_CONNECTION_STRING: 'Server=db;Database=lexsarah;User Id=u;Password=p;Encrypt=true' };

describe('configuration: SQL Server settings', () => {
  it('defaults to the dbo schema, a 15-minute timeout for long work and two minutes of connect retries', () => {
    const c = parseConfig(base);
    assert.deepEqual(c.store, { kind: 'mssql', connectionString: base.MSSQL_CONNECTION_STRING, schema: 'dbo', longRequestTimeoutMs: 900_000, connectRetryMs: 120_000 });
  });

  it('reads a dedicated schema and the timeouts', () => {
    const c = parseConfig({ ...base, MSSQL_SCHEMA: 'lexsarah', MSSQL_REQUEST_TIMEOUT_MS: '5000', MSSQL_LONG_REQUEST_TIMEOUT_MS: '0', MSSQL_CONNECT_RETRY_MS: '0' });
    assert.deepEqual(c.store, { kind: 'mssql', connectionString: base.MSSQL_CONNECTION_STRING, schema: 'lexsarah', requestTimeoutMs: 5000, longRequestTimeoutMs: 0, connectRetryMs: 0 });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['a schema name with a bracket', { MSSQL_SCHEMA: 'lex]sarah' }, /MSSQL_SCHEMA: must be a plain schema name/],
    ['a two-part schema name', { MSSQL_SCHEMA: 'db.lexsarah' }, /MSSQL_SCHEMA/],
    ['an interactive timeout under a second', { MSSQL_REQUEST_TIMEOUT_MS: '500' }, /MSSQL_REQUEST_TIMEOUT_MS/],
    ['a long timeout shorter than ten seconds', { MSSQL_LONG_REQUEST_TIMEOUT_MS: '5000' }, /MSSQL_LONG_REQUEST_TIMEOUT_MS: must be 0 \(no limit\) or between/],
    ['a connect retry that is not a number', { MSSQL_CONNECT_RETRY_MS: 'soon' }, /MSSQL_CONNECT_RETRY_MS: must be a number of milliseconds/],
  ];
  for (const [what, env, re] of bad) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseConfig({ ...base, ...env }), (e: unknown) => e instanceof ConfigError && re.test(e.message));
    });
  }
});
