/**
 * The SQL Server adapter's operating rules, without a server: error classification, backoff,
 * timeouts, the database-settings check migrate() runs first, and the transaction retry loop
 * (driven through fake transactions).
 */
import assert from 'node:assert/strict';
import * as sql from 'mssql';
import { createLogger } from '../../src/log/logger';
import { ApplockDeadlockError, Db, needApplock, rowsChanged, type RunIsolation, type StoreLogger } from '../../src/store/mssql/mssql-db';
import {
  backoffMs,
  checkDatabaseSettings,
  classifySqlError,
  CONNECT_BACKOFF,
  mssqlTimeouts,
  settingsFailureMessage,
  snapshotRefused,
  TRANSACTION_ATTEMPTS,
  type DatabaseFacts,
  type ErrorClass,
} from '../../src/store/mssql/mssql-policy';

const sqlError = (number: number, name = 'RequestError') => Object.assign(new Error(`error ${number}`), { name, number });
const driverError = (code: string, name: string) => Object.assign(new Error(code), { name, code });

describe('SQL Server error classification', () => {
  const cases: [what: string, err: unknown, expected: ErrorClass][] = [
    ['deadlock victim 1205', sqlError(1205), 'deadlock'],
    ['sp_getapplock chose the lock request as deadlock victim (-3)', new ApplockDeadlockError('lex-sarah:casework-import:procapita'), 'deadlock'],
    ['1205 wrapped in a TransactionError', { name: 'TransactionError', originalError: sqlError(1205) }, 'deadlock'],
    ['40613 database not available (serverless resuming)', sqlError(40613, 'ConnectionError'), 'transient'],
    ['40197 reconfiguration', sqlError(40197), 'transient'],
    ['40501 service busy', sqlError(40501), 'transient'],
    ['49918 not enough resources', sqlError(49918), 'transient'],
    ['49919', sqlError(49919), 'transient'],
    ['49920', sqlError(49920), 'transient'],
    ['4060 cannot open database', sqlError(4060, 'ConnectionError'), 'transient'],
    ['10928 resource limit', sqlError(10928), 'transient'],
    ['10929 resource limit', sqlError(10929), 'transient'],
    ['3961 snapshot read across a concurrent migration', sqlError(3961), 'transient'],
    ['number in info (tedious)', { name: 'RequestError', info: { number: 40501 } }, 'transient'],
    ['number in cause', new Error('wrapped', { cause: sqlError(40613) }), 'transient'],
    ['socket error', driverError('ESOCKET', 'ConnectionError'), 'transient'],
    ['connection closed mid-request', driverError('ECONNCLOSED', 'RequestError'), 'transient'],
    ['connection reset', driverError('ECONNRESET', 'ConnectionError'), 'transient'],
    ['connect timeout', driverError('ETIMEOUT', 'ConnectionError'), 'transient'],
    ['aggregate of socket errors', { name: 'ConnectionError', errors: [driverError('ECONNREFUSED', 'Error')] }, 'transient'],
    [
      'login error 40613 as tedious gives it (message, no number), wrapped by mssql',
      { name: 'ConnectionError', code: 'ELOGIN', originalError: Object.assign(new Error("Database 'lexsarah' on server 'x' is not currently available.  Please retry the connection later."), { name: 'ConnectionError', code: 'ELOGIN' }) },
      'transient',
    ],
    ['login error tedious marked transient', Object.assign(new Error('whatever'), { name: 'ConnectionError', code: 'ELOGIN', isTransient: true }), 'transient'],
    ['login error: the service is busy (40501)', Object.assign(new Error('The service is currently busy. Retry the request after 10 seconds.'), { name: 'ConnectionError', code: 'ELOGIN' }), 'transient'],
    ["login failed for user 'bot' (wrong password)", Object.assign(new Error("Login failed for user 'bot'."), { name: 'ConnectionError', code: 'ELOGIN' }), 'permanent'],
    ['request timeout: the work itself is too slow', driverError('ETIMEOUT', 'RequestError'), 'permanent'],
    ['login failed 18456', sqlError(18456, 'ConnectionError'), 'permanent'],
    ['unique violation 2627', sqlError(2627), 'permanent'],
    ['syntax error 102', sqlError(102), 'permanent'],
    ['plain Error', new Error('boom'), 'permanent'],
    ['not an error', 'boom', 'permanent'],
  ];
  for (const [what, err, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(classifySqlError(err), expected));
  }
});

describe('SQL Server snapshot refusal (ALLOW_SNAPSHOT_ISOLATION turned off after start)', () => {
  const cases: [what: string, err: unknown, expected: boolean][] = [
    ['3952 snapshot isolation not allowed', sqlError(3952), true],
    ['3952 wrapped in a TransactionError', { name: 'TransactionError', originalError: sqlError(3952) }, true],
    ['3960 snapshot update conflict: another error', sqlError(3960), false],
    ['1205 deadlock', sqlError(1205), false],
    ['no number', new Error('boom'), false],
    ['not an error', undefined, false],
  ];
  for (const [what, err, expected] of cases) {
    it(`${what} → ${expected ? 'refused' : 'not a refusal'}`, () => assert.equal(snapshotRefused(err), expected));
  }
  it('stays a permanent error for the retry loop (repeating in SNAPSHOT would fail the same way)', () => assert.equal(classifySqlError(sqlError(3952)), 'permanent'));
});

describe('SQL Server backoff and timeouts', () => {
  const cases: [attempt: number, random: number, expected: number][] = [
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [5, 1, 15_000], // capped at maxMs
    [30, 0, 7500],
  ];
  for (const [attempt, random, expected] of cases) {
    it(`connect attempt ${attempt} with random ${random} pauses ${expected} ms`, () => assert.equal(backoffMs(attempt, CONNECT_BACKOFF, random), expected));
  }

  it('keeps interactive requests short and gives long work, and the applock inside it, a long timeout', () => {
    assert.deepEqual(mssqlTimeouts(undefined, undefined), { requestMs: 15_000, longRequestMs: 900_000, lockMs: 895_000 });
    assert.deepEqual(mssqlTimeouts(5000, 60_000), { requestMs: 5000, longRequestMs: 60_000, lockMs: 55_000 });
    assert.deepEqual(mssqlTimeouts(5000, 10_000), { requestMs: 5000, longRequestMs: 10_000, lockMs: 9000 });
    assert.deepEqual(mssqlTimeouts(5000, 0), { requestMs: 5000, longRequestMs: 0, lockMs: 600_000 });
  });

  it('gives requests of long work the long per-request timeout (mssql 12.5+ overrides)', () => {
    const pool = new sql.ConnectionPool({ server: 'unused.invalid', options: { trustServerCertificate: true } });
    const db = new Db(pool, [], mssqlTimeouts(15_000, 600_000));
    const request = db.longRequest(new sql.Transaction(pool)) as unknown as { overrides: { requestTimeout?: number } };
    assert.equal(request.overrides.requestTimeout, 600_000);
  });
});

describe('SQL Server database settings check', () => {
  const good: DatabaseFacts = {
    database: 'lexsarah',
    compatibilityLevel: 150,
    readCommittedSnapshot: true,
    snapshotIsolationState: 1,
    defaultSchema: 'dbo',
    schemaExists: true,
  };
  const ours = [
    { name: 'version', type: 'int' },
    { name: 'name', type: 'nvarchar' },
    { name: 'applied_at', type: 'datetime2' },
  ];
  const cases: [what: string, facts: Partial<DatabaseFacts>, schema: string, problems: RegExp[], snapshot: boolean][] = [
    ['Azure SQL defaults', {}, 'dbo', [], true],
    ['our schema_migrations already there', { migrationsTableColumns: ours }, 'dbo', [], true],
    ['snapshot isolation off: plain reads, not a problem', { snapshotIsolationState: 0 }, 'dbo', [], false],
    ['snapshot isolation turning on', { snapshotIsolationState: 3 }, 'dbo', [], false],
    ['compatibility level 120 (OPENJSON missing)', { compatibilityLevel: 120 }, 'dbo', [/compatibility level is 120.*SET COMPATIBILITY_LEVEL = 150/], true],
    ['compatibility level 130 is enough', { compatibilityLevel: 130 }, 'dbo', [], true],
    ['read committed snapshot off', { readCommittedSnapshot: false }, 'dbo', [/READ_COMMITTED_SNAPSHOT is off.*ALTER DATABASE \[lexsarah\] SET READ_COMMITTED_SNAPSHOT ON/], true],
    ['default schema is not the configured one', { defaultSchema: 'dbo' }, 'lexsarah', [/default schema is \[dbo\], not \[lexsarah\].*ALTER USER .* DEFAULT_SCHEMA = \[lexsarah\]/], true],
    ['no default schema', { defaultSchema: null }, 'dbo', [/default schema is not set/], true],
    ['configured schema missing', { schemaExists: false, defaultSchema: 'lexsarah' }, 'lexsarah', [/schema \[lexsarah\] \(MSSQL_SCHEMA\) does not exist.*CREATE SCHEMA/], true],
    [
      'a foreign schema_migrations',
      { migrationsTableColumns: [{ name: 'MigrationId', type: 'nvarchar' }, { name: 'ProductVersion', type: 'nvarchar' }] },
      'dbo',
      [/\[dbo\]\.schema_migrations exists but is not this bot's \(columns: migrationid, productversion\).*MSSQL_SCHEMA=lexsarah/],
      true,
    ],
    [
      'a schema_migrations with our columns and more: foreign',
      { migrationsTableColumns: [...ours, { name: 'checksum', type: 'nvarchar' }] },
      'dbo',
      [/not this bot's \(columns: version, name, applied_at, checksum\).*sysadmin or as the database owner.*CREATE USER/],
      true,
    ],
    [
      'default schema dbo (sysadmin or database owner): the fix names a dedicated login and user',
      { defaultSchema: 'dbo' },
      'lexsarah',
      [/default schema is \[dbo\].*user dbo, whose default schema is always dbo.*CREATE USER \[lexsarah\] FOR LOGIN \[lexsarah\] WITH DEFAULT_SCHEMA = \[lexsarah\]/],
      true,
    ],
    ['a schema_migrations with our names but other types', { migrationsTableColumns: [...ours.slice(0, 2), { name: 'applied_at', type: 'nvarchar' }] }, 'dbo', [/not this bot's/], true],
    [
      'everything wrong at once: all reported together',
      { compatibilityLevel: 110, readCommittedSnapshot: false, defaultSchema: 'x' },
      'dbo',
      [/compatibility level/, /READ_COMMITTED_SNAPSHOT/, /default schema/],
      true,
    ],
  ];
  for (const [what, over, schema, expected, snapshot] of cases) {
    it(what, () => {
      const verdict = checkDatabaseSettings({ ...good, ...over }, schema);
      assert.equal(verdict.problems.length, expected.length, verdict.problems.join('\n'));
      expected.forEach((re, i) => assert.match(verdict.problems[i]!, re));
      assert.equal(verdict.snapshotAllowed, snapshot);
    });
  }

  it('reports every problem in one message that names the database and the fixes', () => {
    const { problems } = checkDatabaseSettings({ ...good, compatibilityLevel: 100, readCommittedSnapshot: false }, 'dbo');
    const message = settingsFailureMessage('lexsarah', problems);
    assert.match(message, /database "lexsarah" is not set up the way the bot needs \(2 problems\): \(1\) .*COMPATIBILITY_LEVEL.*; \(2\) .*READ_COMMITTED_SNAPSHOT ON/);
  });
});

/**
 * A fake of the mssql Transaction the retry loop drives: records calls and the pool each
 * transaction was made on, fails as told. With `serverRollback`, the work's first request fails as
 * XACT_ABORT makes it fail: the server rolled the transaction back, mssql gave the connection back
 * to its pool at once, and whatever is sent on the transaction afterwards fails with EABORT.
 */
class FakeTx {
  static log: string[] = [];
  /** [pool name, isolation begun] per transaction, in order. */
  static begun: [pool: string, isolation: 'snapshot' | 'default'][] = [];
  private aborted = false;
  constructor(
    private readonly failures: { begin?: unknown; commit?: unknown; serverRollback?: unknown },
    private readonly poolName: string,
  ) {}
  async begin(isolation?: number) {
    const level = isolation === sql.ISOLATION_LEVEL.SNAPSHOT ? 'snapshot' : 'default';
    FakeTx.log.push(`begin ${level}`);
    FakeTx.begun.push([this.poolName, level]);
    if (this.failures.begin) throw this.failures.begin;
  }
  async commit() {
    FakeTx.log.push('commit');
    if (this.aborted) throw driverError('EABORT', 'TransactionError');
    if (this.failures.commit) throw this.failures.commit;
  }
  async rollback() {
    FakeTx.log.push('rollback');
    if (this.aborted) throw driverError('EABORT', 'TransactionError');
  }
  request() {
    return {
      batch: async (text: string) => {
        FakeTx.log.push(text);
        if (this.aborted) throw driverError('EABORT', 'TransactionError');
        if (this.failures.serverRollback) {
          this.aborted = true;
          throw this.failures.serverRollback;
        }
      },
    };
  }
}

describe('SQL Server transaction retry', () => {
  const pool = new sql.ConnectionPool({ server: 'unused.invalid', options: { trustServerCertificate: true } });
  const longPool = new sql.ConnectionPool({ server: 'unused.invalid', options: { trustServerCertificate: true } });
  const snapshotPool = new sql.ConnectionPool({ server: 'unused.invalid', options: { trustServerCertificate: true } });
  const poolName = (p: sql.ConnectionPool) => (p === pool ? 'interactive' : p === longPool ? 'long' : p === snapshotPool ? 'snapshot' : 'unknown');
  const pauses: number[] = [];
  const dbWith = (failures: { begin?: unknown; commit?: unknown; serverRollback?: unknown }[], logger?: StoreLogger, withSnapshotPool = true) => {
    let n = 0;
    const deps = {
      random: () => 0,
      sleep: async (ms: number) => void pauses.push(ms),
      newTransaction: (p: sql.ConnectionPool) => new FakeTx(failures[n++] ?? {}, poolName(p)) as unknown as sql.Transaction,
      ...(logger ? { logger } : {}),
    };
    return new Db(pool, [], mssqlTimeouts(undefined, undefined), longPool, deps, withSnapshotPool ? snapshotPool : undefined);
  };
  /** A StoreLogger that keeps what it was given. */
  const recordingLogger = () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    return { lines, logger: { warn: (obj: Record<string, unknown>, msg: string) => void lines.push({ obj, msg }) } satisfies StoreLogger };
  };
  beforeEach(() => {
    FakeTx.log = [];
    FakeTx.begun = [];
    pauses.length = 0;
  });

  it('repeats work hit by a transient fault, with growing pauses, and stops after the last attempt', async () => {
    const db = dbWith([]);
    let runs = 0;
    await assert.rejects(
      db.inTransaction(async () => {
        runs++;
        throw sqlError(40613);
      }, { retryDeadlocks: true }),
      /error 40613/,
    );
    assert.equal(runs, TRANSACTION_ATTEMPTS);
    assert.deepEqual(pauses, [125, 250, 500]);
  });

  it('succeeds on a later attempt after a transient fault at begin (connection not yet available)', async () => {
    const db = dbWith([{ begin: driverError('ESOCKET', 'ConnectionError') }]);
    assert.equal(await db.inTransaction(async () => 'ok', { retryDeadlocks: true }), 'ok');
    assert.deepEqual(FakeTx.log, ['begin default', 'begin default', 'commit']);
  });

  it('does not repeat a permanent error, nor anything without retryDeadlocks', async () => {
    let runs = 0;
    await assert.rejects(dbWith([]).inTransaction(async () => { runs++; throw sqlError(2627); }, { retryDeadlocks: true }));
    await assert.rejects(dbWith([]).inTransaction(async () => { runs++; throw sqlError(40613); }));
    assert.equal(runs, 2);
  });

  it('never repeats work whose COMMIT failed: whether it committed is unknown', async () => {
    const db = dbWith([{ commit: driverError('ECONNCLOSED', 'TransactionError') }]);
    let runs = 0;
    await assert.rejects(db.inTransaction(async () => { runs++; }, { retryDeadlocks: true }), /ECONNCLOSED/);
    assert.equal(runs, 1);
    assert.ok(!FakeTx.log.includes('rollback'));
  });

  it('runs refused SNAPSHOT work (3952) once more as read committed, and asks for SNAPSHOT no more', async () => {
    for (const retryDeadlocks of [false, true]) {
      FakeTx.log = [];
      const db = dbWith([]);
      db.snapshotAllowed = true;
      const seen: RunIsolation[] = [];
      const result = await db.inTransaction(
        async (_tx, isolation) => {
          seen.push(isolation);
          if (isolation === 'snapshot') throw { name: 'TransactionError', originalError: sqlError(3952) };
          return 'read';
        },
        { isolation: 'snapshot', retryDeadlocks },
      );
      assert.equal(result, 'read');
      assert.deepEqual(seen, ['snapshot', 'read committed']);
      assert.deepEqual(FakeTx.log, ['begin snapshot', 'rollback', 'begin default', 'commit']);
      assert.equal(db.snapshotAllowed, false);
      assert.deepEqual(pauses, []);
    }
  });

  it('warns once, naming the database and the ALTER DATABASE that fixes it, when SNAPSHOT is refused (3952)', async () => {
    const { lines, logger } = recordingLogger();
    const db = dbWith([], logger);
    db.snapshotAllowed = true;
    db.database = 'lex]sarah';
    const refuseSnapshot = async (_tx: sql.Transaction, isolation: RunIsolation) => {
      if (isolation === 'snapshot') throw { name: 'TransactionError', originalError: sqlError(3952) };
      return isolation;
    };
    // Two reads that both began in SNAPSHOT before either was refused, then one more.
    assert.deepEqual(
      await Promise.all([db.inTransaction(refuseSnapshot, { isolation: 'snapshot' }), db.inTransaction(refuseSnapshot, { isolation: 'snapshot' })]),
      ['read committed', 'read committed'],
    );
    await db.inTransaction(refuseSnapshot, { isolation: 'snapshot' });
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.deepEqual(lines[0]!.obj, { event: 'mssql-snapshot-fallback', sqlError: 3952, database: 'lex]sarah' });
    assert.match(lines[0]!.msg, /error 3952/);
    assert.match(lines[0]!.msg, /READ COMMITTED until the bot restarts/);
    assert.match(lines[0]!.msg, /ALTER DATABASE \[lex\]\]sarah\] SET ALLOW_SNAPSHOT_ISOLATION ON;/);
  });

  it('warns again only after migrate() found SNAPSHOT allowed once more, and not for other failures', async () => {
    const { lines, logger } = recordingLogger();
    const db = dbWith([], logger);
    const refused = async (_tx: sql.Transaction, isolation: RunIsolation) => {
      if (isolation === 'snapshot') throw sqlError(3952);
    };
    db.snapshotAllowed = true;
    await db.inTransaction(refused, { isolation: 'snapshot' });
    await assert.rejects(db.inTransaction(async () => { throw sqlError(3960); }, { isolation: 'snapshot' }));
    assert.equal(lines.length, 1);
    db.snapshotAllowed = true; // as the next migrate() sets it
    await db.inTransaction(refused, { isolation: 'snapshot' });
    assert.equal(lines.length, 2);
    // Without a database name (migrate() not run) the fix still names the statement.
    assert.match(lines[1]!.msg, /ALTER DATABASE \[<database>\] SET ALLOW_SNAPSHOT_ISOLATION ON;/);
  });

  it('takes the application logger (pino) as it is', () => {
    const logger: StoreLogger = createLogger('silent');
    assert.equal(typeof logger.warn, 'function');
  });

  it('does not turn other SNAPSHOT failures, or a 3952 outside SNAPSHOT, into a read-committed rerun', async () => {
    const db = dbWith([]);
    db.snapshotAllowed = true;
    let runs = 0;
    await assert.rejects(db.inTransaction(async () => { runs++; throw sqlError(3960); }, { isolation: 'snapshot' }), /error 3960/);
    await assert.rejects(db.inTransaction(async () => { runs++; throw sqlError(3952); }), /error 3952/);
    assert.equal(runs, 2);
    assert.equal(db.snapshotAllowed, true);
  });

  it('begins SNAPSHOT on the snapshot pool only, and sends no reset a server rollback could swallow', async () => {
    await dbWith([]).inTransaction(async () => 1, { isolation: 'snapshot' });
    assert.deepEqual(FakeTx.log, ['begin snapshot', 'commit']);
    FakeTx.log = [];
    await assert.rejects(dbWith([]).inTransaction(async () => { throw new Error('boom'); }, { isolation: 'snapshot' }));
    assert.deepEqual(FakeTx.log, ['begin snapshot', 'rollback']);
    assert.deepEqual(FakeTx.begun, [['snapshot', 'snapshot'], ['snapshot', 'snapshot']]);
  });

  // The isolation level outlives the transaction in the session. When the server rolled SNAPSHOT
  // work back (XACT_ABORT: a timeout, 1205, 3952, 3960, 3961), mssql gives the connection back to
  // its pool at once and a reset sent afterwards fails (EABORT); a single statement that got that
  // connection would run as SNAPSHOT. So no connection that ever began SNAPSHOT serves anything else.
  it('never begins SNAPSHOT on a pool that single statements or other work use, also after the server rolled SNAPSHOT work back', async () => {
    const rolledBack = { name: 'TransactionError', code: 'EABORT', originalError: sqlError(1205) };
    const db = dbWith([{ serverRollback: rolledBack }, {}, { serverRollback: sqlError(3960) }]);
    db.snapshotAllowed = true;
    const read = async (tx: sql.Transaction) => void (await tx.request().batch('SELECT 1'));
    assert.equal(await db.inTransaction(async (tx) => (await read(tx), 'counted'), { isolation: 'snapshot', retryDeadlocks: true }), 'counted');
    await assert.rejects(db.inTransaction(read, { isolation: 'snapshot' }), /error 3960/);
    await db.inTransaction(read);
    await db.inTransaction(read, { long: true });
    await db.inTransaction(read, { retryDeadlocks: true });
    assert.deepEqual(FakeTx.begun, [
      ['snapshot', 'snapshot'], // rolled back by the server (1205) ...
      ['snapshot', 'snapshot'], // ... and run again
      ['snapshot', 'snapshot'], // rolled back by the server (3960)
      ['interactive', 'default'],
      ['long', 'default'],
      ['interactive', 'default'],
    ]);
    assert.ok(!FakeTx.begun.some(([p, level]) => p !== 'snapshot' && level === 'snapshot'), 'SNAPSHOT begun outside the snapshot pool');
    assert.ok(!FakeTx.begun.some(([p, level]) => p === 'snapshot' && level !== 'snapshot'), 'the snapshot pool served other work');
    assert.ok(!FakeTx.log.includes('SET TRANSACTION ISOLATION LEVEL READ COMMITTED'), 'no reset: it cannot be relied on');
  });

  it('runs SNAPSHOT work refused by the server (3952) as read committed on the interactive pool, never on the snapshot one', async () => {
    const db = dbWith([]);
    db.snapshotAllowed = true;
    await db.inTransaction(async (_tx, isolation) => {
      if (isolation === 'snapshot') throw sqlError(3952);
    }, { isolation: 'snapshot' });
    assert.deepEqual(FakeTx.begun, [['snapshot', 'snapshot'], ['interactive', 'default']]);
  });

  it('runs work that asks for SNAPSHOT as read committed when the Db has no snapshot pool', async () => {
    const seen: RunIsolation[] = [];
    await dbWith([], undefined, false).inTransaction(async (_tx, isolation) => void seen.push(isolation), { isolation: 'snapshot' });
    assert.deepEqual(seen, ['read committed']);
    assert.deepEqual(FakeTx.begun, [['interactive', 'default']]);
  });

  it('repeats work whose sp_getapplock was chosen as deadlock victim (-3), as after a 1205, and no other refusal', async () => {
    const codes = [-3, 0];
    let runs = 0;
    const lockThen = async () => {
      runs++;
      needApplock(codes.shift(), 'lex-sarah:casework-import:procapita', (code) => new Error(`refused ${String(code)}`));
      return 'imported';
    };
    assert.equal(await dbWith([]).inTransaction(lockThen, { retryDeadlocks: true, long: true }), 'imported');
    assert.equal(runs, 2);
    assert.equal(pauses.length, 1, 'one short deadlock pause');
    assert.ok(pauses[0]! < 100, `a deadlock pause, not a transient-fault backoff: ${pauses[0]}`);
    assert.deepEqual(FakeTx.log, ['begin default', 'rollback', 'begin default', 'commit']);

    for (const code of [-1, -2, -999, undefined]) {
      runs = 0;
      codes.splice(0, codes.length, code as number);
      await assert.rejects(dbWith([]).inTransaction(lockThen, { retryDeadlocks: true }), new RegExp(`refused ${String(code)}`));
      assert.equal(runs, 1, `sp_getapplock ${String(code)} is not retried`);
    }
    needApplock(1, 'x', () => new Error('granted after a wait is granted'));
  });
});

describe('SQL Server row counts (SELECT @@ROWCOUNT, not DONE tokens)', () => {
  const request = (result: { recordsets: unknown[]; rowsAffected: number[] }) => {
    const texts: string[] = [];
    return { texts, req: { query: async (text: string) => (texts.push(text), result) } as unknown as sql.Request };
  };

  it('reads the count the statement itself reports, whatever DONE tokens a trigger added', async () => {
    // An audit trigger without SET NOCOUNT ON puts its own count first in rowsAffected.
    const { req, texts } = request({ recordsets: [[{ n: 1 }]], rowsAffected: [7, 1, 1] });
    assert.equal(await rowsChanged(req, 'UPDATE t SET a = 1; SELECT @@ROWCOUNT AS n'), 1);
    assert.deepEqual(texts, ['UPDATE t SET a = 1; SELECT @@ROWCOUNT AS n']);
  });

  it('reads 0 when NOCOUNT left no DONE counts at all', async () => {
    assert.equal(await rowsChanged(request({ recordsets: [[{ n: 0 }]], rowsAffected: [] }).req, 'x'), 0);
  });

  it('reads the last result set, after any a statement returns itself', async () => {
    assert.equal(await rowsChanged(request({ recordsets: [[{ id: 9 }], [{ n: 2 }]], rowsAffected: [2, 1] }).req, 'x'), 2);
  });

  it('fails loudly, rather than counting 0, when the statement does not end with SELECT @@ROWCOUNT', async () => {
    await assert.rejects(rowsChanged(request({ recordsets: [], rowsAffected: [1] }).req, 'UPDATE t SET a = 1'), /does not end with "SELECT @@ROWCOUNT AS n"/);
  });
});
