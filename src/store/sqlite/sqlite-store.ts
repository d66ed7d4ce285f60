/**
 * The embedded default store: one SQLite file in WAL mode, so a newcomer needs nothing installed
 * and two bot processes on one machine can share it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, type Migration } from '../migration';
import type { OrganisationRecord } from '../org-records';
import { organisationToRows, rowsToOrganisation, type OrganisationRows } from '../org-rows';
import { needTrimmedKey, needTrimmedOrganisationKeys } from '../keys';
import {
  EtagConflictError,
  type AuditStore,
  type ReportStore,
  type ConversationRef,
  type ConversationRefStore,
  type ConversationRefUpsert,
  type ConversationScope,
  type OrganisationStore,
  type OrganisationSyncResult,
  type StateRecord,
  type StateStore,
  type StateWrite,
  type Store,
  type StoreHealth,
} from '../store';
import type { CaseStore } from '../cases';
import type { CaseworkStore } from '../casework';
import type { CompilationStore } from '../compilation';
import type { PatternStore } from '../patterns';
import { SqliteCompilationStore } from './sqlite-compilation';
import { SqlitePatternStore } from './sqlite-patterns';
import { SqliteCaseworkStore } from './sqlite-casework';
import type { StatusStore } from '../status';
import { SqliteStatusStore } from './sqlite-status';
import { sqliteMigrations } from './migrations';
import { SqliteCaseStore } from './sqlite-cases';
import { SqliteAuditStore } from './sqlite-audit';
import { SqliteReportStore } from './sqlite-reports';
import type { OutboxStore, RateLimitStore } from '../outbox';
import { SqliteOutboxStore, SqliteRateLimitStore } from './sqlite-outbox';
import { refFromRow, type RefRow } from '../conversation-rows';
import { cachePreparedStatements } from './statement-cache';

type Db = Database.Database;

export interface SqliteStoreOptions {
  /** File path, or ':memory:' for throw-away databases in tests. */
  filename: string;
  migrations?: readonly Migration[];
  /** How long a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
  /**
   * The connection's page cache in MB (better-sqlite3 builds SQLite with 16). The bench
   * municipality's file is a gigabyte, and a turn reads a unit's index pages, its cases and the
   * audit table: with 16 MB many are read again from the operating system (SQLITE_CACHE_MB).
   */
  cacheMb?: number;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly state: StateStore;
  readonly conversations: ConversationRefStore;
  readonly organisation: OrganisationStore;
  readonly reports: ReportStore;
  readonly audit: AuditStore;
  readonly cases: CaseStore;
  readonly casework: CaseworkStore;
  readonly status: StatusStore;
  readonly outbox: OutboxStore;
  readonly rateLimits: RateLimitStore;
  readonly patterns: PatternStore;
  readonly compilation: CompilationStore;
  private readonly migrations: readonly Migration[];
  private closed = false;

  private constructor(private readonly db: Db, migrations: readonly Migration[]) {
    this.migrations = migrations;
    this.state = new SqliteStateStore(db);
    this.conversations = new SqliteConversationRefStore(db);
    this.organisation = new SqliteOrganisationStore(db);
    this.reports = new SqliteReportStore(db);
    this.audit = new SqliteAuditStore(db);
    this.cases = new SqliteCaseStore(db);
    this.casework = new SqliteCaseworkStore(db);
    this.status = new SqliteStatusStore(db);
    this.outbox = new SqliteOutboxStore(db);
    this.rateLimits = new SqliteRateLimitStore(db);
    this.patterns = new SqlitePatternStore(db);
    this.compilation = new SqliteCompilationStore(db);
  }

  static open(opts: SqliteStoreOptions): SqliteStore {
    let db: Db;
    try {
      if (opts.filename !== ':memory:') mkdirSync(path.dirname(path.resolve(opts.filename)), { recursive: true });
      db = new Database(opts.filename);
    } catch (err) {
      throw new Error(`Cannot open the SQLite database "${opts.filename}": ${(err as Error).message}. Check SQLITE_PATH and that the folder is writable.`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    if (opts.cacheMb !== undefined) {
      if (!Number.isInteger(opts.cacheMb) || opts.cacheMb < 1) {
        db.close();
        throw new RangeError(`SQLite page cache: a whole number of MB ≥ 1 (SQLITE_CACHE_MB), not ${opts.cacheMb}`);
      }
      // Negative: KiB rather than pages.
      db.pragma(`cache_size = ${-opts.cacheMb * 1024}`);
    }
    cachePreparedStatements(db);
    return new SqliteStore(db, opts.migrations ?? sqliteMigrations);
  }

  async migrate(): Promise<number[]> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied: number[] = [];
    for (const m of [...this.migrations].sort((a, b) => a.version - b.version)) {
      // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a version.
      const ran = this.db
        .transaction(() => {
          const done = this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
          if (done) return false;
          for (const sql of m.statements) this.db.exec(sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, new Date().toISOString());
          return true;
        })
        .immediate();
      if (ran) applied.push(m.version);
    }
    return applied;
  }

  async health(): Promise<StoreHealth> {
    const expectedVersion = latestVersion(this.migrations);
    if (this.closed) return { reachable: false, schemaVersion: 0, expectedVersion, error: 'database is closed' };
    try {
      const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
      if (!table) return { reachable: true, schemaVersion: 0, expectedVersion };
      const row = this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
      return { reachable: true, schemaVersion: row.v, expectedVersion };
    } catch (err) {
      return { reachable: false, schemaVersion: 0, expectedVersion, error: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

class SqliteStateStore implements StateStore {
  constructor(private readonly db: Db) {}

  async read(keys: readonly string[]): Promise<Map<string, StateRecord>> {
    const out = new Map<string, StateRecord>();
    const stmt = this.db.prepare('SELECT value, etag FROM bot_state WHERE state_key = ?');
    for (const key of new Set(keys)) {
      const row = stmt.get(key) as { value: string; etag: string } | undefined;
      if (row) out.set(key, { value: row.value, etag: row.etag });
    }
    return out;
  }

  async write(items: readonly StateWrite[]): Promise<Map<string, string>> {
    for (const item of items) needTrimmedKey(item.key, 'state key');
    const now = new Date().toISOString();
    const select = this.db.prepare('SELECT etag FROM bot_state WHERE state_key = ?');
    const upsert = this.db.prepare(
      `INSERT INTO bot_state (state_key, value, etag, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (state_key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    return this.db
      .transaction(() => {
        const etags = new Map<string, string>();
        for (const item of items) {
          const current = select.get(item.key) as { etag: string } | undefined;
          const unconditional = item.expectedEtag === undefined || item.expectedEtag === '*' || item.expectedEtag === '';
          if (current && !unconditional && current.etag !== item.expectedEtag) throw new EtagConflictError(item.key);
          const etag = randomUUID();
          upsert.run(item.key, item.value, etag, now);
          etags.set(item.key, etag);
        }
        return etags;
      })
      .immediate();
  }

  async delete(keys: readonly string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM bot_state WHERE state_key = ?');
    this.db.transaction(() => keys.forEach((k) => del.run(k))).immediate();
  }

  async claimLease(key: string, now: Date, leaseMs: number): Promise<boolean> {
    needTrimmedKey(key, 'work-lease key');
    const until = new Date(now.getTime() + leaseMs).toISOString();
    // One statement: insert, or take over an expired lease on work not done; atomic under SQLite's write lock.
    return (
      this.db
        .prepare(
          `INSERT INTO work_leases (work_key, lease_until, attempts, done_at) VALUES (?, ?, 1, NULL)
           ON CONFLICT (work_key) DO UPDATE SET lease_until = excluded.lease_until, attempts = work_leases.attempts + 1
           WHERE work_leases.done_at IS NULL AND work_leases.lease_until <= ?`,
        )
        .run(key, until, now.toISOString()).changes === 1
    );
  }

  async completeLease(key: string, at: Date): Promise<void> {
    this.db.prepare('UPDATE work_leases SET done_at = ? WHERE work_key = ?').run(at.toISOString(), key);
  }

  async completedLeases(keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = this.db
      .prepare('SELECT work_key FROM work_leases WHERE done_at IS NOT NULL AND work_key IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(keys)) as { work_key: string }[];
    return new Set(rows.map((r) => r.work_key));
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    needTrimmedKey(key, 'once-marker key');
    return (
      this.db
        .prepare('INSERT INTO once_markers (marker_key, claimed_at) VALUES (?, ?) ON CONFLICT (marker_key) DO NOTHING')
        .run(key, at.toISOString()).changes === 1
    );
  }
}


class SqliteConversationRefStore implements ConversationRefStore {
  constructor(private readonly db: Db) {}

  async upsert(ref: ConversationRefUpsert, at: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO conversation_refs
           (tenant_id, aad_object_id, scope, conversation_id, service_url, channel_id, bot_id, user_id, user_name, active, inactive_reason, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?)
         ON CONFLICT (tenant_id, aad_object_id, scope) DO UPDATE SET
           conversation_id = excluded.conversation_id, service_url = excluded.service_url,
           channel_id = excluded.channel_id, bot_id = excluded.bot_id, user_id = excluded.user_id,
           user_name = COALESCE(excluded.user_name, conversation_refs.user_name),
           active = 1, inactive_reason = NULL, updated_at = excluded.updated_at`,
      )
      .run(
        ref.tenantId,
        ref.aadObjectId.toLowerCase(),
        ref.scope,
        ref.conversationId,
        ref.serviceUrl,
        ref.channelId,
        ref.botId,
        ref.userId,
        ref.userName ?? null,
        at.toISOString(),
      );
  }

  async markConversationInactive(tenantId: string, conversationId: string, reason: string, at: Date): Promise<number> {
    return this.db
      .prepare(
        `UPDATE conversation_refs SET active = 0, inactive_reason = ?, updated_at = ?
         WHERE tenant_id = ? AND conversation_id = ? AND active = 1`,
      )
      .run(reason, at.toISOString(), tenantId, conversationId).changes;
  }

  async markUserInactive(tenantId: string, aadObjectId: string, scope: ConversationScope, reason: string, at: Date): Promise<number> {
    return this.db
      .prepare(
        `UPDATE conversation_refs SET active = 0, inactive_reason = ?, updated_at = ?
         WHERE tenant_id = ? AND aad_object_id = ? AND scope = ? AND active = 1`,
      )
      .run(reason, at.toISOString(), tenantId, aadObjectId.toLowerCase(), scope).changes;
  }

  async get(tenantId: string, aadObjectId: string, scope: ConversationScope): Promise<ConversationRef | undefined> {
    const row = this.db
      .prepare('SELECT * FROM conversation_refs WHERE tenant_id = ? AND aad_object_id = ? AND scope = ?')
      .get(tenantId, aadObjectId.toLowerCase(), scope) as RefRow | undefined;
    return row ? refFromRow(row) : undefined;
  }

  async listForUser(aadObjectId: string): Promise<ConversationRef[]> {
    const rows = this.db
      .prepare('SELECT * FROM conversation_refs WHERE aad_object_id = ? ORDER BY tenant_id, scope')
      .all(aadObjectId.toLowerCase()) as RefRow[];
    return rows.map(refFromRow);
  }
}

class SqliteOrganisationStore implements OrganisationStore {
  constructor(private readonly db: Db) {}

  async sync(org: OrganisationRecord, at: Date): Promise<OrganisationSyncResult> {
    const rows = organisationToRows(org);
    needTrimmedOrganisationKeys(rows);
    const now = at.toISOString();
    const db = this.db;
    return db
      .transaction(() => {
        db.prepare(
          `INSERT INTO org_meta (id, municipality, synced_at) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE SET municipality = excluded.municipality, synced_at = excluded.synced_at`,
        ).run(rows.municipality, now);

        const upC = db.prepare(
          `INSERT INTO committees (id, name, ordinal, active, updated_at) VALUES (?, ?, ?, 1, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, ordinal = excluded.ordinal, active = 1, updated_at = excluded.updated_at`,
        );
        rows.committees.forEach((c) => upC.run(c.id, c.name, c.ordinal, now));
        const upU = db.prepare(
          `INSERT INTO units (id, committee_id, name, area, ordinal, active, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)
           ON CONFLICT (id) DO UPDATE SET committee_id = excluded.committee_id, name = excluded.name, area = excluded.area,
             ordinal = excluded.ordinal, active = 1, updated_at = excluded.updated_at`,
        );
        rows.units.forEach((u) => upU.run(u.id, u.committeeId, u.name, u.area, u.ordinal, now));
        const upP = db.prepare(
          `INSERT INTO people (entra_id, name, email, ordinal, active, updated_at) VALUES (?, ?, ?, ?, 1, ?)
           ON CONFLICT (entra_id) DO UPDATE SET name = excluded.name, email = excluded.email, ordinal = excluded.ordinal,
             active = 1, updated_at = excluded.updated_at`,
        );
        rows.people.forEach((p) => upP.run(p.entraId, p.name, p.email, p.ordinal, now));

        // Role assignments are configuration, not records: replace them wholesale.
        db.prepare('DELETE FROM role_assignments').run();
        const insR = db.prepare('INSERT INTO role_assignments (entra_id, role, scope_id, ordinal) VALUES (?, ?, ?, ?)');
        rows.roles.forEach((r) => insR.run(r.entraId, r.role, r.scopeId, r.ordinal));

        let archived = 0;
        archived += archiveMissing(db, 'committees', 'id', rows.committees.map((c) => c.id), now);
        archived += archiveMissing(db, 'units', 'id', rows.units.map((u) => u.id), now);
        archived += archiveMissing(db, 'people', 'entra_id', rows.people.map((p) => p.entraId), now);
        return { committees: rows.committees.length, units: rows.units.length, people: rows.people.length, archived };
      })
      .immediate();
  }

  async load(): Promise<OrganisationRecord | undefined> {
    const meta = this.db.prepare('SELECT municipality FROM org_meta WHERE id = 1').get() as { municipality: string } | undefined;
    if (!meta) return undefined;
    const rows: OrganisationRows = {
      municipality: meta.municipality,
      committees: this.db.prepare('SELECT id, name, ordinal FROM committees WHERE active = 1').all() as OrganisationRows['committees'],
      units: this.db
        .prepare('SELECT id, committee_id AS committeeId, name, area, ordinal FROM units WHERE active = 1')
        .all() as OrganisationRows['units'],
      people: this.db
        .prepare('SELECT entra_id AS entraId, name, email, ordinal FROM people WHERE active = 1')
        .all() as OrganisationRows['people'],
      roles: this.db
        .prepare(
          `SELECT r.entra_id AS entraId, r.role, r.scope_id AS scopeId, r.ordinal
           FROM role_assignments r JOIN people p ON p.entra_id = r.entra_id WHERE p.active = 1`,
        )
        .all() as OrganisationRows['roles'],
    };
    return rowsToOrganisation(rows);
  }
}

function archiveMissing(db: Db, table: string, idColumn: string, keep: string[], now: string): number {
  // A temp table avoids SQLite's bound-parameter limit for large directories.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS keep_ids (id TEXT PRIMARY KEY)');
  db.exec('DELETE FROM keep_ids');
  const ins = db.prepare('INSERT OR IGNORE INTO keep_ids (id) VALUES (?)');
  keep.forEach((id) => ins.run(id));
  return db
    .prepare(`UPDATE ${table} SET active = 0, updated_at = ? WHERE active = 1 AND ${idColumn} NOT IN (SELECT id FROM keep_ids)`)
    .run(now).changes;
}
