/**
 * better-sqlite3 compiles SQL on every `prepare` (about 10 µs a statement here, several per
 * turn), while the adapters run a fixed set of SQL strings. Each connection keeps its compiled
 * statements and hands the same one back for the same text. Bounded, because a few statements are
 * built with as many placeholders as a list has items.
 *
 * Safe because no adapter iterates a statement (an iterating statement is busy and cannot be
 * reused) or switches one's mode (pluck/raw/expand would then stick for the next caller):
 * test/store/statement-cache.test.ts fails if either appears in src/store/sqlite outside this
 * module. allArrays below is the one mode switch, and it switches back before it returns.
 */
import type Database from 'better-sqlite3';

export function cachePreparedStatements(db: Database.Database, max = 500): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      // Most recently used last, so the oldest is the first key.
      cache.delete(sql);
      cache.set(sql, stmt);
      return stmt;
    }
    stmt = compile(sql);
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return stmt;
  }) as Database.Database['prepare'];
}

/**
 * Every row as an array of its values in column order. For the large reads of an import: an array
 * per row costs better-sqlite3 about 40 % less than an object keyed by column name (100,000 rows of
 * 14 columns: 165 against 265 ms here). Takes a statement in object mode (as every cached one
 * is), and leaves it in object mode when it returns or throws, so that the next caller of the
 * cached statement gets what it expects.
 */
export function allArrays<T extends unknown[]>(stmt: Database.Statement, ...params: unknown[]): T[] {
  stmt.raw(true);
  try {
    return stmt.all(...params) as T[];
  } finally {
    stmt.raw(false);
  }
}
