import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { allArrays, cachePreparedStatements } from '../../src/store/sqlite/statement-cache';

describe('SQLite statement cache', () => {
  it('compiles each SQL text once and hands back the same statement, most recently used kept', () => {
    const db = new Database(':memory:');
    cachePreparedStatements(db, 2);
    const a = db.prepare('SELECT 1 AS x');
    assert.equal(db.prepare('SELECT 1 AS x'), a);
    const b = db.prepare('SELECT 2 AS x');
    assert.equal(db.prepare('SELECT 1 AS x'), a, 'a used again: b is now the oldest');
    db.prepare('SELECT 3 AS x');
    assert.notEqual(db.prepare('SELECT 2 AS x'), b, 'b was dropped at the bound and compiled again');
    assert.equal((a.get() as { x: number }).x, 1);
    db.close();
  });

  it('a cached statement sees schema changes made after it was compiled', () => {
    const db = new Database(':memory:');
    cachePreparedStatements(db);
    db.exec('CREATE TABLE t (a INTEGER)');
    db.prepare('INSERT INTO t (a) VALUES (?)').run(1);
    assert.deepEqual(db.prepare('SELECT * FROM t').get(), { a: 1 });
    db.exec('ALTER TABLE t ADD COLUMN b TEXT');
    assert.deepEqual(db.prepare('SELECT * FROM t').get(), { a: 1, b: null });
    db.close();
  });

  it('allArrays reads rows as arrays and leaves the cached statement in object mode, also when it throws', () => {
    const db = new Database(':memory:');
    cachePreparedStatements(db);
    db.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL)");
    const sql = 'SELECT a, b FROM t WHERE a >= ? ORDER BY a';
    assert.deepEqual(allArrays(db.prepare(sql), 1), [[1, 'x'], [2, null]]);
    assert.deepEqual(db.prepare(sql).all(2), [{ a: 2, b: null }]);
    assert.throws(() => allArrays(db.prepare(sql), 1, 2), RangeError);
    assert.deepEqual(db.prepare(sql).all(1)[0], { a: 1, b: 'x' });
    // Failing part-way through the rows, after the first was read.
    db.exec("INSERT INTO t VALUES (3, '{bad')");
    // No ORDER BY: rows stream out in rowid order, so the error comes with the third row.
    const partWay = 'SELECT a, CASE WHEN a < 3 THEN b ELSE json(b) END AS j FROM t WHERE a >= ?';
    assert.throws(() => allArrays(db.prepare(partWay), 1), /malformed JSON/);
    assert.deepEqual(db.prepare(partWay).get(2), { a: 2, j: null });
    db.close();
  });

  it('no adapter uses a statement in a way that would stick for the next caller or make it busy', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'store', 'sqlite');
    const found: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'statement-cache.ts')) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/\.(iterate|pluck|raw|expand|bind|safeIntegers)\(/g)) found.push(`${f}: .${m[1]}(`);
    }
    assert.deepEqual(found, []);
  });
});
