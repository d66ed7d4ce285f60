import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { STALE_RANK } from '../../src/store/casework';
import { mssqlMigrations } from '../../src/store/mssql/migrations';
import { sqliteMigrations } from '../../src/store/sqlite/migrations';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

describe('store migrations', () => {
  it('SQLite and SQL Server have the same versions and names, in order', () => {
    const shape = (ms: typeof sqliteMigrations) => ms.map((m) => `${m.version}:${m.name}`);
    assert.deepEqual(shape(mssqlMigrations), shape(sqliteMigrations));
  });

  it('versions are 1, 2, 3 … without gaps', () => {
    sqliteMigrations.forEach((m, i) => assert.equal(m.version, i + 1));
  });

  describe('migration 16: corrected opening days, the earlier extension\'s decision, the first import (review of #17)', () => {
    const added = (ms: typeof sqliteMigrations) =>
      (ms.find((m) => m.version === 16)?.statements ?? []).flatMap((t) => [...t.matchAll(/^ALTER TABLE casework_items ADD (?:COLUMN )?(\w+)/gm)].map((m) => m[1]));

    it('adds the same casework columns in both adapters, in the same order', () => {
      assert.deepEqual(added(sqliteMigrations), ['tidigare_forlangning_beslutad', 'rattad_fran', 'first_imported_at']);
      assert.deepEqual(added(mssqlMigrations), added(sqliteMigrations));
    });

    it('SQL Server: dates as DATE, the first import as DATETIME2(3), all nullable (rows imported before are of unknown age)', () => {
      const text = mssqlMigrations.find((m) => m.version === 16)!.statements.join('\n');
      assert.match(text, /ADD tidigare_forlangning_beslutad DATE NULL/);
      assert.match(text, /ADD rattad_fran DATE NULL/);
      assert.match(text, /ADD first_imported_at DATETIME2\(3\) NULL/);
    });

    it('SQL Server migration 14 names the default of no_earlier_extension (a server-named constraint cannot be dropped by name)', () => {
      const text = mssqlMigrations.find((m) => m.version === 14)!.statements.join('\n');
      assert.match(text, /ADD no_earlier_extension BIT NOT NULL CONSTRAINT df_casework_items_no_earlier_extension DEFAULT 0/);
    });

    describe('on SQLite, a register written at version 15', () => {
      let dir: string;
      before(() => (dir = mkdtempSync(path.join(tmpdir(), 'migration-16-'))));
      after(() => rmSync(dir, { recursive: true, force: true }));

      it('keeps every row, leaves the first import unknown, and has the deadlines of open extension chains computed again', async () => {
        const file = path.join(dir, 'v15.db');
        const old = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 15) });
        assert.equal((await old.migrate()).at(-1), 15);
        await old.close();
        const raw = new Database(file);
        const insert = raw.prepare(
          `INSERT INTO casework_items (source, case_reference, item_type, unit_id, status, utredning_inledd, forlangning_beslutad, forlangd_till, tidigare_forlangd_till, opening_key, due_on, updated_at)
           VALUES ('pc', ?, 'barnavardsutredning', 'u', ?, '2026-01-10', ?, ?, ?, '2026-01-10', ?, '2026-09-01T00:00:00Z')`,
        );
        // A chain the old rule rescued without the earlier decision's day; an open one without a chain; a closed chain.
        insert.run('BoU 1', 'oppen', '2026-06-20', '2026-08-31', '2026-06-30', '2026-08-31');
        insert.run('BoU 2', 'oppen', null, null, null, '2026-05-11');
        insert.run('BoU 3', 'avslutad', '2026-06-20', '2026-08-31', '2026-06-30', '2026-08-31');
        raw.close();
        const s = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 16) });
        assert.deepEqual(await s.migrate(), [16]);
        await s.close();
        const after = new Database(file);
        const rows = after.prepare('SELECT case_reference AS ref, due_on AS due, tidigare_forlangning_beslutad AS td, rattad_fran AS c, first_imported_at AS f FROM casework_items ORDER BY case_reference').all();
        after.close();
        assert.deepEqual(rows, [
          { ref: 'BoU 1', due: null, td: null, c: null, f: null },
          { ref: 'BoU 2', due: '2026-05-11', td: null, c: null, f: null },
          { ref: 'BoU 3', due: '2026-08-31', td: null, c: null, f: null },
        ]);
      });
    });
  });

  describe('migration 18: each case keeps its running clock (issue #14)', () => {
    const added = (ms: typeof sqliteMigrations) =>
      (ms.find((m) => m.version === 18)?.statements ?? []).flatMap((t) => [...t.matchAll(/^ALTER TABLE reports ADD (?:COLUMN )?(\w+)/gm)].map((m) => m[1]));

    it('adds the same report columns in both adapters, in the same order, and the same indexes', () => {
      assert.deepEqual(added(sqliteMigrations), ['facts_version', 'clock_stale', 'clock_kind', 'clock_due_on', 'clock_weight']);
      assert.deepEqual(added(mssqlMigrations), added(sqliteMigrations));
      const indexes = (ms: typeof sqliteMigrations) => (ms.find((m) => m.version === 18)?.statements ?? []).flatMap((t) => [...t.matchAll(/^CREATE INDEX (\w+) ON reports/gm)].map((m) => m[1]));
      assert.deepEqual(indexes(mssqlMigrations), ['ix_reports_clock_stale', 'ix_reports_open_clock']);
      assert.deepEqual(indexes(sqliteMigrations), indexes(mssqlMigrations));
    });

    it('SQL Server names the defaults of its NOT NULL columns (a server-named constraint cannot be dropped by name)', () => {
      const text = mssqlMigrations.find((m) => m.version === 18)!.statements.join('\n');
      assert.match(text, /ADD facts_version INT NOT NULL CONSTRAINT df_reports_facts_version DEFAULT 0/);
      assert.match(text, /ADD clock_stale BIT NOT NULL CONSTRAINT df_reports_clock_stale DEFAULT 1/);
      assert.match(text, /UPDATE reports SET clock_stale = 0 WHERE state = N'avslutad'/);
      assert.match(text, /ADD clock_due_on DATE NULL/);
    });

    describe('on SQLite, a register written at version 17', () => {
      let dir: string;
      before(() => (dir = mkdtempSync(path.join(tmpdir(), 'migration-18-'))));
      after(() => rmSync(dir, { recursive: true, force: true }));

      it('marks the open cases stale (the first summary computes their clocks) and no closed one', async () => {
        const file = path.join(dir, 'v17.db');
        const old = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 17) });
        assert.equal((await old.migrate()).at(-1), 17);
        await old.close();
        const raw = new Database(file);
        raw.pragma('foreign_keys = OFF');
        const insert = raw.prepare(
          `INSERT INTO reports (reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
             occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
             consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
             case_reference, urgent, state, created_at, updated_at)
           VALUES (?, 2026, ?, ?, 'u', 'c', 'e', 'n', '2026-11-01T00:00:00Z', 1, '2026-11-01T00:00:00Z', 1, '', 'insatser', '', '', '', 'inte-annu',
             'nej', 'nej', 'nej', 'nej', 'nej', NULL, 0, ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
        );
        const states = ['rapporterad', 'bedomd', 'avslutad', 'anmald', 'avslutad'];
        states.forEach((state, i) => insert.run(`LS-2026-000${i + 1}`, i + 1, `form-${i}`, state));
        raw.close();
        const s = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 18) });
        assert.deepEqual(await s.migrate(), [18]);
        await s.close();
        const after = new Database(file);
        const rows = after.prepare('SELECT reference, state, facts_version AS v, clock_stale AS stale, clock_kind AS kind FROM reports ORDER BY id').all();
        after.close();
        assert.deepEqual(rows, states.map((state, i) => ({ reference: `LS-2026-000${i + 1}`, state, v: 0, stale: state === 'avslutad' ? 0 : 1, kind: null })));
      });

      it('marks stale a report inserted afterwards by a writer that does not name the clock columns (an older instance in a rolling upgrade)', () => {
        const raw = new Database(path.join(dir, 'v17.db'));
        raw.pragma('foreign_keys = OFF');
        raw
          .prepare(
            `INSERT INTO reports (reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
               occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
               consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
               case_reference, urgent, state, created_at, updated_at)
             VALUES ('LS-2026-0099', 2026, 99, 'form-99', 'u', 'c', 'e', 'n', '2026-11-01T00:00:00Z', 1, '2026-11-01T00:00:00Z', 1, '', 'insatser', '', '', '', 'inte-annu',
               'nej', 'nej', 'nej', 'nej', 'nej', NULL, 0, 'rapporterad', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
          )
          .run();
        const row = raw.prepare("SELECT clock_stale AS stale, clock_kind AS kind FROM reports WHERE reference = 'LS-2026-0099'").get();
        raw.close();
        assert.deepEqual(row, { stale: 1, kind: null });
      });
    });
  });

  describe('migration 20: each casework item keeps its review rank (issue #14)', () => {
    const added = (ms: typeof sqliteMigrations) =>
      (ms.find((m) => m.version === 20)?.statements ?? []).flatMap((t) => [...t.matchAll(/^ALTER TABLE casework_items ADD (?:COLUMN )?(\w+)/gm)].map((m) => m[1]));

    it('adds the same columns in both adapters, in the same order, and the same index', () => {
      assert.deepEqual(added(sqliteMigrations), ['review_kind', 'review_due_on', 'review_weight', 'review_from_start', 'review_valid_from', 'review_valid_until', 'review_of']);
      assert.deepEqual(added(mssqlMigrations), added(sqliteMigrations));
      const indexes = (ms: typeof sqliteMigrations) => (ms.find((m) => m.version === 20)?.statements ?? []).flatMap((t) => [...t.matchAll(/^CREATE INDEX (\w+) ON casework_items/gm)].map((m) => m[1]));
      assert.deepEqual(indexes(mssqlMigrations), ['ix_casework_review']);
      assert.deepEqual(indexes(sqliteMigrations), indexes(mssqlMigrations));
    });

    it('SQL Server names the default of its NOT NULL column; the dates are DATE and review_of the type of updated_at', () => {
      const text = mssqlMigrations.find((m) => m.version === 20)!.statements.join('\n');
      assert.match(text, /ADD review_from_start BIT NOT NULL CONSTRAINT df_casework_items_review_from_start DEFAULT 0/);
      assert.match(text, /ADD review_due_on DATE NULL/);
      assert.match(text, /ADD review_valid_until DATE NULL/);
      assert.match(text, /ADD review_of DATETIME2\(3\) NULL/);
    });
  });
  describe('migration 21: each ranked casework item keeps its class, and the stale ones their own indexes (issue #14)', () => {
    const of = (ms: typeof sqliteMigrations, re: RegExp) => (ms.find((m) => m.version === 21)?.statements ?? []).flatMap((t) => [...t.matchAll(re)].map((m) => m[1]));

    it('adds the class, drops the one review index and creates the same four in both adapters', () => {
      assert.deepEqual(of(sqliteMigrations, /^ALTER TABLE casework_items ADD COLUMN (\w+)/gm), ['review_class']);
      assert.deepEqual(of(mssqlMigrations, /^ALTER TABLE casework_items ADD (\w+) INT NULL/gm), ['review_class']);
      const created = /^CREATE INDEX (\w+) ON casework_items/gm;
      assert.deepEqual(of(mssqlMigrations, created), ['ix_casework_review_rank', 'ix_casework_review_stale', 'ix_casework_review_until', 'ix_casework_review_from']);
      assert.deepEqual(of(sqliteMigrations, created), of(mssqlMigrations, created));
      assert.deepEqual(of(sqliteMigrations, /^DROP INDEX (\w+)/gm), ['ix_casework_review']);
      assert.deepEqual(of(mssqlMigrations, /^DROP INDEX (\w+) ON casework_items/gm), ['ix_casework_review']);
    });

    it('SQL Server: "never ranked or written since" is a persisted computed column, the same test as SQLite\'s partial index (inspected: the grammar has no computed columns)', () => {
      const text = mssqlMigrations.find((m) => m.version === 21)!.statements.join('\n');
      assert.match(text, /ADD review_stale AS CAST\(CASE WHEN review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at THEN 1 ELSE 0 END AS BIT\) PERSISTED/);
      const sqlite = sqliteMigrations.find((m) => m.version === 21)!.statements.join('\n');
      assert.match(sqlite, /WHERE status = 'oppen' AND \(review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at\)/);
    });

    describe('on SQLite, a register ranked at version 20', () => {
      let dir: string;
      before(() => (dir = mkdtempSync(path.join(tmpdir(), 'migration-21-'))));
      after(() => rmSync(dir, { recursive: true, force: true }));

      it('keeps every row and its rank, and counts the rows ranked before as stale until they are ranked again', async () => {
        const file = path.join(dir, 'v20.db');
        const old = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= 20) });
        assert.equal((await old.migrate()).at(-1), 20);
        await old.close();
        const raw = new Database(file);
        raw.prepare(
          `INSERT INTO casework_items (source, case_reference, item_type, unit_id, status, utredning_inledd, opening_key, updated_at,
             review_kind, review_due_on, review_weight, review_valid_from, review_of)
           VALUES ('pc', 'BoU 1', 'barnavardsutredning', 'u', 'oppen', '2026-01-10', '2026-01-10', '2026-09-01T00:00:00Z', 'running', '2026-05-11', 'statutory', '2026-09-01', '2026-09-01T00:00:00Z')`,
        ).run();
        raw.close();
        const s = SqliteStore.open({ filename: file });
        assert.deepEqual(await s.migrate(), sqliteMigrations.filter((m) => m.version > 20).map((m) => m.version));
        assert.deepEqual(await s.casework.reviewRankCounts('u', '2026-09-02', '2026-09-09'), [{ rank: STALE_RANK, due: '', n: 1 }]);
        const [stale] = await s.casework.staleReviewRanks(['u'], '2026-09-02', 10);
        assert.equal(stale?.caseReference, 'BoU 1');
        await s.casework.storeReviewRanks([{ id: stale!.id, version: stale!.version, rank: { kind: 'running', dueOn: '2026-05-11', weight: 'statutory', fromStart: false, validFrom: '2026-09-02', validUntil: null } }]);
        assert.deepEqual(await s.casework.reviewRankCounts('u', '2026-09-02', '2026-09-09'), [{ rank: 1, due: '', n: 1 }]);
        await s.close();
      });
    });
  });
  describe('migration 22: who marked an åtgärd genomförd (issue #16)', () => {
    it('adds the same two columns in both adapters; SQL Server\'s Entra id binary-collated as every other', () => {
      const added = (ms: typeof sqliteMigrations) => (ms.find((m) => m.version === 22)?.statements ?? []).flatMap((t) => [...t.matchAll(/^ALTER TABLE case_actions ADD (?:COLUMN )?(\w+)/gm)].map((m) => m[1]));
      assert.deepEqual(added(sqliteMigrations), ['done_by_entra_id', 'done_by_name']);
      assert.deepEqual(added(mssqlMigrations), added(sqliteMigrations));
      assert.match(mssqlMigrations.find((m) => m.version === 22)!.statements.join('\n'), /ADD done_by_entra_id NVARCHAR\(100\) COLLATE Latin1_General_100_BIN2 NULL/);
    });
  });
  describe('migration 23: the review\'s clock index, the weight before the due day (issue #14)', () => {
    it('creates the same index on the same leading columns in both adapters, partial on the open cases', () => {
      const text = (ms: typeof sqliteMigrations) => ms.find((m) => m.version === 23)!.statements.join('\n');
      const cols = (t: string) => /CREATE INDEX ix_reports_review_clock ON reports \(([^)]*)\)/.exec(t)?.[1]?.split(',').map((c) => c.trim()).slice(0, 4);
      assert.deepEqual(cols(text(sqliteMigrations)), ['unit_id', 'clock_kind', 'clock_weight', 'clock_due_on']);
      assert.deepEqual(cols(text(mssqlMigrations)), cols(text(sqliteMigrations)));
      assert.match(text(sqliteMigrations), /WHERE state <> 'avslutad'$/);
      assert.match(text(mssqlMigrations), /WHERE state <> N'avslutad'$/);
    });
  });
});
