/**
 * SQLite query plans of the reads that span a whole municipality (issue #14): each seeks its
 * index instead of walking every rapport or casework item of the units. The database has no
 * statistics (the app never runs ANALYZE), so the plan on an empty file is the plan on a full one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_OPEN_CASES_SQL } from '../../src/store/sqlite/sqlite-cases';
import { SQLITE_REOPENED_OPEN_COUNTS_SQL } from '../../src/store/sqlite/sqlite-casework';
import { SQLITE_COMPILATION_CASEWORK_SQL } from '../../src/store/sqlite/sqlite-compilation';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

describe('SQLite query plans of municipality-wide reads', () => {
  let dir: string;
  let db: Database.Database;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-plans-'));
    const file = path.join(dir, 'plans.db');
    const store = SqliteStore.open({ filename: file });
    await store.migrate();
    await store.close();
    db = new Database(file, { readonly: true });
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('["enhet-1","enhet-2"]') as { detail: string }[]).map((r) => r.detail);

  it('the open cases are read from the partial index of open cases, not from every rapport of the units', () => {
    const p = plan(SQLITE_OPEN_CASES_SQL);
    assert.ok(p.some((d) => /^SEARCH r USING (COVERING )?INDEX ix_reports_open_unit \(unit_id=\?\)/.test(d)), p.join(' | '));
    assert.ok(!p.some((d) => /SCAN r\b|ix_reports_unit\b|ix_reports_state_unit/.test(d)), p.join(' | '));
  });

  it('the reopened counts seek the reopened flag, not every open item of the units', () => {
    const p = plan(SQLITE_REOPENED_OPEN_COUNTS_SQL);
    assert.ok(p.some((d) => /^SEARCH casework_items USING COVERING INDEX ix_casework_reopened \(reopened=\? AND status=\? AND unit_id=\?\)/.test(d)), p.join(' | '));
  });

  it("the sammanställning's casework counts seek each unit's open items, not every open item of the municipality", () => {
    const p = (db.prepare(`EXPLAIN QUERY PLAN ${SQLITE_COMPILATION_CASEWORK_SQL}`).all({ units: '["enhet-1","enhet-2"]', today: '2026-11-22' }) as { detail: string }[]).map((r) => r.detail);
    assert.ok(p.some((d) => /^SEARCH casework_items USING COVERING INDEX ix_casework_open_due \(status=\? AND unit_id=\?\)/.test(d)), p.join(' | '));
  });
});
