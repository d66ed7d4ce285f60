/**
 * What every part of the SQL Server adapter shares: the pool with its transaction helper, SQL
 * Server error-number tests, length and date checks, and the bulk load into temp tables. No SQL
 * texts live here.
 */
import * as sql from 'mssql';
import {
  backoffMs, classifySqlError, deadlockPauseMs, SNAPSHOT_NOT_ALLOWED, snapshotFallbackMessage, snapshotRefused, TRANSACTION_ATTEMPTS, TRANSACTION_BACKOFF, type MssqlTimeouts,
} from './mssql-policy';

/** SQL Server error numbers the adapter reacts to. */
export const SQL_ERROR = {
  /** Transaction was chosen as deadlock victim (already rolled back by the server). */
  deadlockVictim: 1205,
  /** Violation of a PRIMARY KEY or UNIQUE constraint. */
  uniqueConstraint: 2627,
  /** Cannot insert duplicate key row in an object with a unique index. */
  uniqueIndex: 2601,
} as const;

export interface TransactionOptions {
  /**
   * The work may run again from the start: on a deadlock (the server rolled it back) and on a
   * transient fault (failover, throttling, a dropped connection) before COMMIT was sent. Only for
   * work whose every effect is inside the transaction. A fault while COMMIT is under way is never
   * retried: whether it committed is unknown, and repeating could apply it twice.
   */
  retryDeadlocks?: boolean;
  /**
   * Long work (organisation sync, casework import and bulk loads): runs on the bulk pool, whose
   * connections have the long request timeout. tedious' bulk load honours only the connection's
   * timeout, not a per-request one, hence a pool of its own.
   */
  long?: boolean;
  /**
   * 'snapshot': one consistent view without locks, on the snapshot pool (read committed where the
   * Db has none); the caller checks Db.snapshotAllowed first. If
   * the database refuses it (3952: ALLOW_SNAPSHOT_ISOLATION turned off since migrate()), the work
   * runs once more as read committed and snapshotAllowed is cleared; the work is told which
   * isolation it got, so it can take the locks read committed needs.
   */
  isolation?: 'snapshot';
}

/** The isolation a transaction's work actually runs under. */
export type RunIsolation = 'snapshot' | 'read committed';

/**
 * Where the adapter reports what an operator should act on. The application's pino logger fits as
 * it is; declared here because src/store imports nothing from the rest of src/.
 */
export interface StoreLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The logger, and seams for tests of the retry loop (no server on the build machines). */
export interface DbDeps {
  logger?: StoreLogger;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  newTransaction?: (pool: sql.ConnectionPool) => sql.Transaction;
}

/** The pools plus the transaction helper every part of the adapter shares. */
export class Db {
  /** Set by migrate() from the database's settings: whether SNAPSHOT transactions are allowed; cleared when the server refuses one (3952). */
  snapshotAllowed = false;
  /** The database's name, as migrate() read it; for operator messages. */
  database: string | undefined;

  constructor(
    /** Interactive requests, with the short request timeout; single statements outside a transaction run here. */
    readonly pool: sql.ConnectionPool,
    readonly secrets: readonly string[],
    readonly timeouts: MssqlTimeouts,
    /** Long work, with the long request timeout on every connection (bulk loads honour nothing else). */
    readonly bulkPool: sql.ConnectionPool = pool,
    private readonly deps: DbDeps = {},
    /**
     * SNAPSHOT transactions only. The isolation level a transaction sets outlives it in the
     * session, and a reset after the work cannot be relied on: when the server rolls a transaction
     * back (XACT_ABORT ON: a timeout, a deadlock, 3952, 3960, 3961), mssql hands the connection
     * back to its pool at once, and a reset sent afterwards fails (EABORT) before it reaches the
     * server. A single statement that later got that connection would run as SNAPSHOT (3952 once
     * snapshot isolation is off, 3960 update conflicts otherwise). Connections of this pool serve
     * nothing but transactions that begin as SNAPSHOT, and every transaction names its level when
     * it begins (TM_BEGIN_XACT), so the level left behind never matters. Without it, work that asks
     * for SNAPSHOT runs as read committed: SNAPSHOT is never begun on a pool single statements use.
     */
    private readonly snapshotPool?: sql.ConnectionPool,
  ) {}

  /** Closes every pool this Db holds (each once). */
  async close(): Promise<void> {
    const pools = [...new Set([this.pool, this.bulkPool, this.snapshotPool].filter((p): p is sql.ConnectionPool => p !== undefined))];
    await Promise.all(pools.map((p) => p.close()));
  }

  /** How long migrate() waits for another instance's migration; kept inside the long request timeout so the wait ends with a clear message. */
  get migrationLockTimeoutMs(): number {
    return this.timeouts.lockMs;
  }

  /** A request of `tx` with the long per-request timeout (migration statements, set-based import statements). */
  longRequest(tx: sql.Transaction): sql.Request {
    // mssql 12.5+ takes per-request overrides; @types/mssql 12.3 does not declare the argument yet.
    const withOverrides = tx as unknown as { request(overrides: { requestTimeout: number }): sql.Request };
    return withOverrides.request({ requestTimeout: this.timeouts.longRequestMs });
  }

  /**
   * Runs `work` in one transaction: commit when it resolves, roll back when it throws. SNAPSHOT
   * work runs on the snapshot pool (see its constructor parameter), everything else on the
   * interactive pool or, with `long`, the bulk pool. With
   * `retryDeadlocks`, a deadlock victim or a transient fault before COMMIT starts the work again
   * (after a pause with backoff); other errors are rethrown as they are. A SNAPSHOT transaction the
   * database refuses (3952) runs once more as read committed, whatever `retryDeadlocks` says: the
   * refusal comes at its first read, before anything was written.
   */
  async inTransaction<T>(work: (tx: sql.Transaction, isolation: RunIsolation) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const attempts = opts.retryDeadlocks ? TRANSACTION_ATTEMPTS : 1;
    let snapshot = opts.isolation === 'snapshot' && this.snapshotPool !== undefined;
    for (let attempt = 1; ; attempt++) {
      const pool = snapshot ? this.snapshotPool! : opts.long ? this.bulkPool : this.pool;
      const tx = this.deps.newTransaction ? this.deps.newTransaction(pool) : new sql.Transaction(pool);
      const random = this.deps.random ?? Math.random;
      let committing = false;
      try {
        await tx.begin(snapshot ? sql.ISOLATION_LEVEL.SNAPSHOT : undefined);
        try {
          const result = await work(tx, snapshot ? 'snapshot' : 'read committed');
          committing = true;
          await tx.commit();
          return result;
        } catch (err) {
          // Fails harmlessly when the server already ended the transaction (XACT_ABORT, deadlock victim).
          if (!committing) await tx.rollback().catch(() => undefined);
          throw err;
        }
      } catch (err) {
        if (snapshot && !committing && snapshotRefused(err)) {
          // Snapshot isolation was turned off since migrate(): read committed from now on (until
          // the next start checks again), and this work once more without losing an attempt.
          // Told once: reads that began in SNAPSHOT at the same moment find the flag cleared.
          if (this.snapshotAllowed) {
            this.deps.logger?.warn({ event: 'mssql-snapshot-fallback', sqlError: SNAPSHOT_NOT_ALLOWED, database: this.database }, snapshotFallbackMessage(this.database));
          }
          this.snapshotAllowed = false;
          snapshot = false;
          attempt--;
          continue;
        }
        const kind = classifySqlError(err);
        if (attempt < attempts && !committing && kind !== 'permanent') {
          const pause = kind === 'deadlock' ? deadlockPauseMs(attempt, random()) : backoffMs(attempt, TRANSACTION_BACKOFF, random());
          await (this.deps.sleep ?? sleep)(pause);
          continue;
        }
        throw err;
      }
    }
  }
}

/** How every statement whose row count decides what happens next ends (read by rowsChanged). */
export const ROWCOUNT_TAIL = 'SELECT @@ROWCOUNT AS n';

/**
 * Runs `text`, a statement followed in the same batch by "; SELECT @@ROWCOUNT AS n", and returns
 * how many rows the statement changed. Not the driver's rowsAffected: that sums DONE tokens, so a
 * trigger without SET NOCOUNT ON adds its own counts, and SET NOCOUNT ON (a logon trigger, the
 * server's user options) leaves none. @@ROWCOUNT is the statement's own count either way.
 */
export async function rowsChanged(req: sql.Request, text: string): Promise<number> {
  const r = await req.query<{ n: number }>(text);
  const sets = (r.recordsets ?? []) as unknown as { n?: unknown }[][];
  const n = sets[sets.length - 1]?.[0]?.n;
  if (typeof n !== 'number') {
    throw new Error(`A SQL Server statement whose row count decides what happens next does not end with "${ROWCOUNT_TAIL}"; this is a bug in the adapter.`);
  }
  return n;
}

/** The largest TOP value (INT); also what a negative limit means, as SQLite's LIMIT -1 does. */
const NO_LIMIT = 2_147_483_647;

/** A TOP value for a LIMIT-like number: negative means no limit (as in SQLite), fractions are cut. */
export function topOf(limit: number): number {
  if (!Number.isFinite(limit)) return limit > 0 ? NO_LIMIT : 0;
  if (limit < 0) return NO_LIMIT;
  return Math.min(Math.floor(limit), NO_LIMIT);
}

export function fits(value: string, max: number): boolean {
  return value.length <= max;
}

export function need(value: string, max: number, what: string): void {
  if (value.length > max) {
    throw new Error(`The ${what} is ${value.length} characters long; the SQL Server store keeps at most ${max}.`);
  }
}

/** True when `err` (or an error it wraps) carries one of the SQL Server error `numbers`. */
export function hasSqlErrorNumber(err: unknown, ...wanted: number[]): boolean {
  const numbers = (e: unknown, depth: number): unknown[] => {
    if (!e || typeof e !== 'object' || depth > 5) return [];
    const o = e as { number?: unknown; info?: { number?: unknown }; originalError?: unknown; cause?: unknown };
    return [o.number, o.info?.number, ...numbers(o.originalError, depth + 1), ...numbers(o.cause, depth + 1)];
  };
  const found = numbers(err, 0);
  return wanted.some((n) => found.includes(n));
}

/** sp_getapplock's return code when the lock request was chosen as deadlock victim. */
export const APPLOCK_DEADLOCK_VICTIM = -3;

/**
 * sp_getapplock answered -3: the lock request was chosen as deadlock victim. The procedure says so
 * through its return code where a statement raises error 1205; this error carries 1205, so the
 * transaction helper repeats work marked retryDeadlocks as it does after any deadlock.
 */
export class ApplockDeadlockError extends Error {
  readonly number = SQL_ERROR.deadlockVictim;
  constructor(resource: string) {
    super(`The application lock "${resource}" was not granted: sp_getapplock chose this request as deadlock victim (-3).`);
    this.name = 'ApplockDeadlockError';
  }
}

/**
 * Goes on only when sp_getapplock's return code says the lock is held (0 granted, 1 granted after
 * a wait). -3 throws ApplockDeadlockError (retried like 1205); every other answer (-1 timed out,
 * -2 cancelled, -999 a call error, no answer) throws what `refused` makes of it.
 */
export function needApplock(code: unknown, resource: string, refused: (code: unknown) => Error): void {
  if (typeof code === 'number' && code >= 0) return;
  if (code === APPLOCK_DEADLOCK_VICTIM) throw new ApplockDeadlockError(resource);
  throw refused(code);
}

export function isDeadlockVictim(err: unknown): boolean {
  return hasSqlErrorNumber(err, SQL_ERROR.deadlockVictim);
}

/** A PRIMARY KEY or UNIQUE violation (2627 for a constraint, 2601 for a unique index). */
export function isUniqueViolation(err: unknown): boolean {
  return hasSqlErrorNumber(err, SQL_ERROR.uniqueConstraint, SQL_ERROR.uniqueIndex);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Refuses anything but a real calendar date written 'YYYY-MM-DD', which is all a DATE column takes back unchanged. */
export function needIsoDate(value: string, what: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ok =
    m !== null &&
    Number(m[1]) >= 1 &&
    (() => {
      const d = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3])));
      d.setUTCFullYear(Number(m[1]));
      return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    })();
  if (!ok) throw new Error(`The ${what} "${value}" is not a calendar date written YYYY-MM-DD; the SQL Server store keeps dates as DATE.`);
}

export type BulkColumn = [name: string, type: sql.ISqlType, nullable: boolean];
export type BulkValue = string | number | Date | null;

/**
 * Loads rows into a temp table of the transaction's session with one TDS bulk load (no parameter
 * limit, one round trip). Columns are matched by name.
 */
export async function bulkLoad(tx: sql.Transaction, table: string, columns: readonly BulkColumn[], rows: readonly BulkValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const t = new sql.Table(table);
  t.create = false;
  for (const [name, type, nullable] of columns) t.columns.add(name, type, { nullable });
  for (const row of rows) t.rows.add(...row);
  await new sql.Request(tx).bulk(t);
}

/**
 * Binds a list of due days as @dues (a JSON list of dates) and @withNone: '' in the list stands for
 * no due day (NULL), which a DATE list cannot hold. The texts read them as
 * "day IN (SELECT v FROM OPENJSON(@dues) WITH (v DATE '$')) OR (@withNone = 1 AND day IS NULL)".
 */
export function bindDueDays(req: sql.Request, dues: readonly string[], what: string): sql.Request {
  const days = dues.filter((d) => d !== '');
  for (const d of days) needIsoDate(d, what);
  return req.input('dues', sql.NVarChar(sql.MAX), JSON.stringify(days)).input('withNone', sql.Bit(), days.length < dues.length ? 1 : 0);
}
