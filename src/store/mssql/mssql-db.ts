/**
 * What every part of the SQL Server adapter shares: the pool with its transaction helper, SQL
 * Server error-number tests, length and date checks, and the bulk load into temp tables. No SQL
 * texts live here.
 */
import * as sql from 'mssql';

const DEADLOCK_ATTEMPTS = 3;

/** SQL Server error numbers the adapter reacts to. */
export const SQL_ERROR = {
  /** Transaction was chosen as deadlock victim (already rolled back by the server). */
  deadlockVictim: 1205,
  /** Violation of a PRIMARY KEY or UNIQUE constraint. */
  uniqueConstraint: 2627,
  /** Cannot insert duplicate key row in an object with a unique index. */
  uniqueIndex: 2601,
} as const;

/** The pool plus the transaction helper every part of the adapter shares. */
export class Db {
  constructor(
    readonly pool: sql.ConnectionPool,
    readonly secrets: readonly string[],
    /** How long migrate() waits for another instance's migration; kept inside the request timeout so the wait ends with a clear message. */
    readonly migrationLockTimeoutMs: number,
  ) {}

  /**
   * Runs `work` in one transaction: commit when it resolves, roll back when it throws. A deadlock
   * victim is retried (the server has already rolled it back); other errors are rethrown as they are.
   */
  async inTransaction<T>(work: (tx: sql.Transaction) => Promise<T>, opts: { retryDeadlocks?: boolean } = {}): Promise<T> {
    const attempts = opts.retryDeadlocks ? DEADLOCK_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const tx = new sql.Transaction(this.pool);
      await tx.begin();
      try {
        const result = await work(tx);
        await tx.commit();
        return result;
      } catch (err) {
        // Fails harmlessly when the server already ended the transaction (XACT_ABORT, deadlock victim).
        await tx.rollback().catch(() => undefined);
        if (attempt < attempts && isDeadlockVictim(err)) {
          await sleep(20 * attempt + Math.floor(Math.random() * 30));
          continue;
        }
        throw err;
      }
    }
  }
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
export type BulkValue = string | number | null;

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
