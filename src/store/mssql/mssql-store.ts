/**
 * The production store: SQL Server (or Azure SQL Database) through the `mssql` package (tedious).
 *
 * Behaviour mirrors ../sqlite/sqlite-store.ts, which is the reference; both must pass
 * test/store/contract.ts. Every SQL text this adapter runs, apart from the migrations, is in
 * MSSQL_SQL below, in MSSQL_REPORT_SQL (./mssql-report-sql.ts: reports, notifications, audit log), in
 * MSSQL_CASE_SQL (./mssql-cases.ts: the lex Sarah case after the report), in MSSQL_CASEWORK_SQL
 * (./mssql-casework.ts: the casework deadline register), in MSSQL_STATUS_SQL (./mssql-status.ts:
 * the status summary's counts and the delivery-failure log) or in MSSQL_OUTBOX_SQL
 * (./mssql-outbox.ts: the outbox and the shared rate limit), so that
 * test/store/mssql-sql.test.ts can parse-check it. All values travel as typed parameters; no SQL
 * text is ever built from values.
 *
 * Concurrency, in short:
 * - migrate(): each migration in its own transaction, serialised across processes with a
 *   transaction-owned sp_getapplock, and re-checked under that lock.
 * - state.write(): one transaction; every key is first locked with UPDLOCK + SERIALIZABLE (a key-range
 *   lock when the row does not exist yet), in sorted key order so that two writers of overlapping
 *   key sets cannot deadlock each other; then the etags are checked and rows updated or inserted.
 * - Upserts use UPDATE … WITH (UPDLOCK, SERIALIZABLE), then INSERT when no row was updated, inside
 *   one transaction (no MERGE).
 * - state.claimOnce(): one INSERT … SELECT … WHERE NOT EXISTS, the existence check holding UPDLOCK +
 *   HOLDLOCK on the key's range so that concurrent claims queue; a primary-key violation also means
 *   "already claimed".
 * - state.claimLease(): one transaction; UPDATE … WITH (UPDLOCK, SERIALIZABLE) takes over an expired
 *   lease on work not done (and key-range locks the key when there is no row yet); when it changed no
 *   row, an INSERT … WHERE NOT EXISTS like claimOnce's creates the lease. A primary-key violation
 *   means another instance holds it.
 * - reports.create(): see ./mssql-reports.ts.
 * - cases (guarded state changes): see ./mssql-cases.ts.
 * - casework.importItems(): see ./mssql-casework.ts (bulk load into a temp table, set-based upsert).
 * - outbox and rateLimits: see ./mssql-outbox.ts (claims skip rows other claimers hold locked).
 * - status.counts(): see ./mssql-status.ts (one SNAPSHOT transaction where the database allows it, no lock hints).
 * - SNAPSHOT transactions (status counts, cases.get()) run on a pool of their own: the isolation
 *   level outlives a transaction in its session, and after a server-side rollback (XACT_ABORT)
 *   mssql returns the connection to its pool before any reset can be sent, so a connection that
 *   began SNAPSHOT never serves single statements or other work (Db's snapshotPool). At most
 *   poolMax + longPoolMax + poolMax connections in all; each pool keeps none open when idle.
 * - organisation.sync(): one transaction; the directory is bulk-loaded into session temp tables
 *   (no 2100-parameter limit, one round trip per table) and applied with set-based statements.
 *   The org_meta row is locked first and serves as the directory's mutex, which also gives
 *   organisation.load() a consistent view.
 * - JSON lists (OPENJSON) are read WITH a column of the compared key's exact type and binary
 *   collation, never OPENJSON's `value` (NVARCHAR(MAX), database collation: error 468 against a
 *   binary-collated key, and no seek); test/store/mssql-sql.test.ts checks every text.
 * - A transaction chosen as a deadlock victim (error 1205), or hit by a transient fault before its
 *   COMMIT (Azure SQL failover and throttling, a dropped connection: classifySqlError in
 *   ./mssql-policy.ts), is retried a few times with backoff when it is marked retryDeadlocks: all
 *   its effects are inside the transaction, so repeating it is safe. Not retried: a fault during
 *   COMMIT (the outcome is unknown; repeating could apply the work twice), single statements
 *   outside a transaction (markConversationInactive, recordDeliveryFailure: a lost answer leaves
 *   the outcome unknown, and a repeated insert would be counted twice), and load() (a read the
 *   caller can simply repeat).
 * - Timeouts: interactive requests keep the short request timeout; migration statements get the
 *   long one per request, and the organisation sync, casework import and setDeadlines run on a
 *   pool of their own (longPoolMax connections, default 2) whose connections have the long timeout
 *   (tedious' bulk load honours only the connection's). The migration applock
 *   waits a little less than the long timeout, so a wait ends with a clear message; an applock
 *   request chosen as deadlock victim (sp_getapplock -3) is retried like a 1205.
 * - Connecting: each of the three pools is connected with the same retry on transient faults.
 * - migrate() first checks the database's settings (compatibility level, READ_COMMITTED_SNAPSHOT,
 *   default schema, a foreign schema_migrations) and stops with one message naming every fix.
 * - Row counts: wherever a decision depends on how many rows a statement changed (guards, claims,
 *   leases, once markers, upserts), and for the casework import's counts, the statement is
 *   followed by SELECT @@ROWCOUNT in the same batch and read with rowsChanged(), never from the
 *   driver's rowsAffected: that sums every DONE token, so a DBA's trigger without SET NOCOUNT ON
 *   adds its counts, and NOCOUNT (server user options, a logon trigger) removes them. NOCOUNT is
 *   therefore not refused at start.
 */
import { randomUUID } from 'node:crypto';
import * as sql from 'mssql';
import { latestVersion, type Migration } from '../migration';
import type { OrganisationRecord } from '../org-records';
import { organisationToRows, rowsToOrganisation, type OrganisationRows } from '../org-rows';
import {
  EtagConflictError,
  type AuditStore,
  type ConversationRef,
  type ConversationRefStore,
  type ConversationRefUpsert,
  type ConversationScope,
  type OrganisationStore,
  type OrganisationSyncResult,
  type ReportStore,
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
import { MssqlCompilationStore } from './mssql-compilation';
import { MssqlPatternStore } from './mssql-patterns';
import type { StatusStore } from '../status';
import { MssqlCaseStore } from './mssql-cases';
import { MssqlCaseworkStore } from './mssql-casework';
import { MssqlStatusStore } from './mssql-status';
import type { OutboxStore, RateLimitStore } from '../outbox';
import { MssqlOutboxStore, MssqlRateLimitStore } from './mssql-outbox';
import { bulkLoad, Db, fits, isUniqueViolation, need, needApplock, rowsChanged, sleep, type StoreLogger } from './mssql-db';
import { MssqlAuditStore, MssqlReportStore } from './mssql-reports';
import { mssqlMigrations } from './migrations';
import {
  checkDatabaseSettings,
  classifySqlError,
  backoffMs,
  CONNECT_BACKOFF,
  DEFAULT_CONNECT_RETRY_MS,
  defaultSchemaChanged,
  mssqlTimeouts,
  settingsFailureMessage,
  type DatabaseFacts,
} from './mssql-policy';
import { refFromRow, type RefRow } from '../conversation-rows';
import { hasTrailingWhitespace, needTrimmedKey, needTrimmedOrganisationKeys } from '../keys';

/** Connections of the long-work pool unless MssqlStoreOptions.longPoolMax says otherwise: long work is rare and each piece holds its connection for its whole length. */
export const DEFAULT_LONG_POOL_MAX = 2;

export interface MssqlStoreOptions {
  /** ADO.NET-style connection string, e.g. "Server=tcp:host,1433;Database=db;User Id=…;Password=…;Encrypt=true". */
  connectionString: string;
  migrations?: readonly Migration[];
  /** Largest number of pooled connections (default: the connection string's Max Pool Size, else 10). */
  poolMax?: number;
  /**
   * Largest number of connections of the long-work pool (organisation sync, casework import,
   * setDeadlines; default 2, at most poolMax). Long work beyond it waits for a free connection.
   */
  longPoolMax?: number;
  /** Interactive request timeout in ms (default: the connection string's Request Timeout, else 15 s). */
  requestTimeoutMs?: number;
  /** Request timeout of long work (migrations, organisation sync, casework import) in ms; 0 means none (default 15 min). */
  longRequestTimeoutMs?: number;
  /** How long open() keeps trying to connect when the failure is transient, in ms; 0 tries once (default 2 min). */
  connectRetryMs?: number;
  /** The schema the bot's objects live in; the database user's default schema must be this one (default dbo). */
  schema?: string;
  /** Where the adapter reports what an operator should act on (e.g. SNAPSHOT refused, read committed from then on). */
  logger?: StoreLogger;
}

/**
 * Every SQL text the adapter runs, other than migrations. Parameters are @named and bound with
 * explicit types. Temp tables (#sync_*) live in the session of the sync transaction only.
 */
export const MSSQL_SQL = {
  // --- migrations ---------------------------------------------------------------------------
  /**
   * @table is the schema-qualified name ([schema].[schema_migrations]). A one-part OBJECT_ID would
   * fall back to dbo.schema_migrations (another tool's, e.g. dbmate's) while the bot's schema has
   * none yet, and the bot would adopt it. CREATE TABLE with a one-part name never falls back: it
   * creates in the default schema, which checkSettings() found to be the configured one.
   */
  migrationsTableCreate: `IF OBJECT_ID(@table, N'U') IS NULL
    CREATE TABLE schema_migrations (
      version INT NOT NULL,
      name NVARCHAR(200) NOT NULL,
      applied_at DATETIME2(3) NOT NULL,
      CONSTRAINT pk_schema_migrations PRIMARY KEY (version)
    )`,
  /**
   * Exclusive application lock owned by the current transaction: released at commit or rollback.
   * sp_getapplock reports failure through its return code (negative: timeout, deadlock, cancelled),
   * not through an error, hence the SELECT.
   */
  migrationLock: `DECLARE @result INT;
    EXEC @result = sys.sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = @timeoutMs;
    SELECT @result AS result`,
  /** What migrate() checks before it changes anything (checkDatabaseSettings in ./mssql-policy.ts). */
  settingsFacts: `SELECT DB_NAME() AS [database], d.compatibility_level AS compatibilityLevel,
      d.is_read_committed_snapshot_on AS readCommittedSnapshot, d.snapshot_isolation_state AS snapshotIsolationState,
      SCHEMA_NAME() AS defaultSchema, SCHEMA_ID(@schema) AS schemaId
    FROM sys.databases AS d WHERE d.database_id = DB_ID()`,
  /** Whether the configured schema already has a schema_migrations table (ours or another application's). */
  migrationsTableId: `SELECT OBJECT_ID(@table, N'U') AS id`,
  migrationsTableColumns: `SELECT c.name AS name, t.name AS type
    FROM sys.columns AS c INNER JOIN sys.types AS t ON t.user_type_id = c.user_type_id
    WHERE c.object_id = OBJECT_ID(@table, N'U')`,
  migrationsApplied: `SELECT version FROM schema_migrations`,
  migrationApplied: `SELECT version FROM schema_migrations WHERE version = @version`,
  migrationRecord: `INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt)`,

  // --- health -------------------------------------------------------------------------------
  /** @table as in migrationsTableCreate; the default schema is checked again, since a DBA may change it while the bot runs. */
  healthMigrationsTable: `SELECT OBJECT_ID(@table, N'U') AS table_id, SCHEMA_NAME() AS defaultSchema`,
  healthSchemaVersion: `SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations`,

  // --- state --------------------------------------------------------------------------------
  stateSelect: `SELECT value, etag FROM bot_state WHERE state_key = @key`,
  /** Many keys in one read (a JSON array): a sweep reads thousands, and one request each would take the pool. (`*`: the column named value would read as OPENJSON's own to the parse check.) */
  stateSelectMany: `SELECT * FROM bot_state
    WHERE state_key IN (SELECT v FROM OPENJSON(@keys) WITH (v NVARCHAR(400) COLLATE Latin1_General_100_BIN2 '$'))`,
  /** Holds an update lock on the row, or a key-range lock where it would be, until the transaction ends. */
  stateLock: `SELECT etag FROM bot_state WITH (UPDLOCK, SERIALIZABLE) WHERE state_key = @key`,
  stateUpdate: `UPDATE bot_state SET value = @value, etag = @etag, updated_at = @updatedAt WHERE state_key = @key`,
  stateInsert: `INSERT INTO bot_state (state_key, value, etag, updated_at) VALUES (@key, @value, @etag, @updatedAt)`,
  stateDelete: `DELETE FROM bot_state WHERE state_key = @key`,
  /**
   * Inserts the marker unless it exists. The existence check holds an update lock on the key's range
   * until the statement ends, so concurrent claims of one key queue and exactly one inserts a row.
   */
  onceClaim: `INSERT INTO once_markers (marker_key, claimed_at)
    SELECT @key, @claimedAt
    WHERE NOT EXISTS (SELECT 1 FROM once_markers WITH (UPDLOCK, HOLDLOCK) WHERE marker_key = @key);
    SELECT @@ROWCOUNT AS n`,
  /**
   * Takes over a lease that has run out on work not done. The update lock (a key-range lock where
   * the row would be) is held until the transaction ends, so leaseInsert that follows is decided
   * under it.
   */
  leaseTakeOver: `UPDATE work_leases WITH (UPDLOCK, SERIALIZABLE)
    SET lease_until = @until, attempts = attempts + 1
    WHERE work_key = @key AND done_at IS NULL AND lease_until <= @now;
    SELECT @@ROWCOUNT AS n`,
  /** Creates the lease unless the work has a row already (live lease, or done). */
  leaseInsert: `INSERT INTO work_leases (work_key, lease_until, attempts, done_at)
    SELECT @key, @until, 1, NULL
    WHERE NOT EXISTS (SELECT 1 FROM work_leases WITH (UPDLOCK, HOLDLOCK) WHERE work_key = @key);
    SELECT @@ROWCOUNT AS n`,
  leaseComplete: `UPDATE work_leases SET done_at = @doneAt WHERE work_key = @key`,
  /**
   * @keys is a JSON array, read WITH a column of work_key's exact type and collation: OPENJSON's
   * own `value` (NVARCHAR(MAX), database collation) would meet the binary-collated key with a
   * collation conflict (error 468) on any database not collated BIN2, and rule out a seek.
   */
  leasesCompleted: `SELECT work_key FROM work_leases WHERE done_at IS NOT NULL AND work_key IN (SELECT v FROM OPENJSON(@keys) WITH (v NVARCHAR(400) COLLATE Latin1_General_100_BIN2 '$'))`,

  // --- conversation references --------------------------------------------------------------
  refUpdate: `UPDATE conversation_refs WITH (UPDLOCK, SERIALIZABLE)
    SET conversation_id = @conversationId, service_url = @serviceUrl, channel_id = @channelId, bot_id = @botId,
      user_id = @userId, user_name = COALESCE(@userName, user_name), active = 1, inactive_reason = NULL, updated_at = @updatedAt
    WHERE tenant_id = @tenantId AND aad_object_id = @aadObjectId AND scope = @scope;
    SELECT @@ROWCOUNT AS n`,
  refInsert: `INSERT INTO conversation_refs
      (tenant_id, aad_object_id, scope, conversation_id, service_url, channel_id, bot_id, user_id, user_name, active, inactive_reason, updated_at)
    VALUES (@tenantId, @aadObjectId, @scope, @conversationId, @serviceUrl, @channelId, @botId, @userId, @userName, 1, NULL, @updatedAt)`,
  refMarkConversationInactive: `UPDATE conversation_refs SET active = 0, inactive_reason = @reason, updated_at = @updatedAt
    WHERE tenant_id = @tenantId AND conversation_id = @conversationId AND active = 1;
    SELECT @@ROWCOUNT AS n`,
  refMarkUserInactive: `UPDATE conversation_refs SET active = 0, inactive_reason = @reason, updated_at = @updatedAt
    WHERE tenant_id = @tenantId AND aad_object_id = @aadObjectId AND scope = @scope AND active = 1;
    SELECT @@ROWCOUNT AS n`,
  refGet: `SELECT tenant_id, aad_object_id, scope, conversation_id, service_url, channel_id, bot_id, user_id, user_name,
      active, inactive_reason, updated_at
    FROM conversation_refs WHERE tenant_id = @tenantId AND aad_object_id = @aadObjectId AND scope = @scope`,
  refListForUser: `SELECT tenant_id, aad_object_id, scope, conversation_id, service_url, channel_id, bot_id, user_id, user_name,
      active, inactive_reason, updated_at
    FROM conversation_refs WHERE aad_object_id = @aadObjectId ORDER BY tenant_id, scope`,

  // --- organisation sync (one transaction) --------------------------------------------------
  /** Run as a plain batch: a temp table created inside sp_executesql would vanish when it returns. */
  syncCreateTempTables: `CREATE TABLE #sync_committees (
      id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
      name NVARCHAR(400) NOT NULL,
      ordinal INT NOT NULL
    );
    CREATE TABLE #sync_units (
      id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
      committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
      name NVARCHAR(400) NOT NULL,
      area NVARCHAR(50) NOT NULL,
      ordinal INT NOT NULL
    );
    CREATE TABLE #sync_people (
      entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
      name NVARCHAR(400) NOT NULL,
      email NVARCHAR(320) NULL,
      ordinal INT NOT NULL
    );
    CREATE TABLE #sync_roles (
      entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
      role NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
      scope_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
      ordinal INT NOT NULL
    )`,
  /** Taken first: the X lock on org_meta serialises concurrent syncs and makes load() wait for a running one. */
  syncMetaUpdate: `UPDATE org_meta WITH (UPDLOCK, SERIALIZABLE) SET municipality = @municipality, synced_at = @syncedAt WHERE id = 1;
    SELECT @@ROWCOUNT AS n`,
  syncMetaInsert: `INSERT INTO org_meta (id, municipality, synced_at) VALUES (1, @municipality, @syncedAt)`,
  syncCommitteesUpdate: `UPDATE c SET name = s.name, ordinal = s.ordinal, active = 1, updated_at = @updatedAt
    FROM committees AS c INNER JOIN #sync_committees AS s ON s.id = c.id`,
  syncCommitteesInsert: `INSERT INTO committees (id, name, ordinal, active, updated_at)
    SELECT s.id, s.name, s.ordinal, 1, @updatedAt FROM #sync_committees AS s
    WHERE NOT EXISTS (SELECT 1 FROM committees AS c WHERE c.id = s.id)`,
  syncUnitsUpdate: `UPDATE u SET committee_id = s.committee_id, name = s.name, area = s.area, ordinal = s.ordinal, active = 1, updated_at = @updatedAt
    FROM units AS u INNER JOIN #sync_units AS s ON s.id = u.id`,
  syncUnitsInsert: `INSERT INTO units (id, committee_id, name, area, ordinal, active, updated_at)
    SELECT s.id, s.committee_id, s.name, s.area, s.ordinal, 1, @updatedAt FROM #sync_units AS s
    WHERE NOT EXISTS (SELECT 1 FROM units AS u WHERE u.id = s.id)`,
  syncPeopleUpdate: `UPDATE p SET name = s.name, email = s.email, ordinal = s.ordinal, active = 1, updated_at = @updatedAt
    FROM people AS p INNER JOIN #sync_people AS s ON s.entra_id = p.entra_id`,
  syncPeopleInsert: `INSERT INTO people (entra_id, name, email, ordinal, active, updated_at)
    SELECT s.entra_id, s.name, s.email, s.ordinal, 1, @updatedAt FROM #sync_people AS s
    WHERE NOT EXISTS (SELECT 1 FROM people AS p WHERE p.entra_id = s.entra_id)`,
  /** Role assignments are configuration, not records: replaced wholesale. */
  syncRolesDelete: `DELETE FROM role_assignments`,
  syncRolesInsert: `INSERT INTO role_assignments (entra_id, role, scope_id, ordinal)
    SELECT s.entra_id, s.role, s.scope_id, s.ordinal FROM #sync_roles AS s`,
  syncCommitteesArchive: `UPDATE committees SET active = 0, updated_at = @updatedAt
    WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM #sync_committees AS s WHERE s.id = committees.id);
    SELECT @@ROWCOUNT AS n`,
  syncUnitsArchive: `UPDATE units SET active = 0, updated_at = @updatedAt
    WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM #sync_units AS s WHERE s.id = units.id);
    SELECT @@ROWCOUNT AS n`,
  syncPeopleArchive: `UPDATE people SET active = 0, updated_at = @updatedAt
    WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM #sync_people AS s WHERE s.entra_id = people.entra_id);
    SELECT @@ROWCOUNT AS n`,
  syncDropTempTables: `DROP TABLE #sync_committees, #sync_units, #sync_people, #sync_roles`,

  // --- organisation load (one transaction, consistent with sync through the org_meta lock) -----
  loadMeta: `SELECT municipality FROM org_meta WITH (SERIALIZABLE) WHERE id = 1`,
  loadCommittees: `SELECT id, name, ordinal FROM committees WHERE active = 1`,
  loadUnits: `SELECT id, committee_id AS committeeId, name, area, ordinal FROM units WHERE active = 1`,
  loadPeople: `SELECT entra_id AS entraId, name, email, ordinal FROM people WHERE active = 1`,
  loadRoles: `SELECT r.entra_id AS entraId, r.role, r.scope_id AS scopeId, r.ordinal
    FROM role_assignments AS r INNER JOIN people AS p ON p.entra_id = r.entra_id WHERE p.active = 1`,

  // --- tests only -----------------------------------------------------------------------------
  /** Empties every table except schema_migrations, children before parents (foreign keys). */
  testDeleteAllData: `DELETE FROM pattern_alerts;
    DELETE FROM outbox;
    DELETE FROM rate_limits;
    DELETE FROM report_forms;
    DELETE FROM delivery_failures;
    DELETE FROM review_snoozes;
    DELETE FROM review_records;
    DELETE FROM casework_imports;
    DELETE FROM casework_items;
    DELETE FROM case_events;
    DELETE FROM case_actions;
    DELETE FROM case_entries;
    DELETE FROM case_closings;
    DELETE FROM case_filings;
    DELETE FROM case_decisions;
    DELETE FROM case_investigations;
    DELETE FROM report_notifications;
    DELETE FROM reports;
    DELETE FROM reference_counters;
    DELETE FROM audit_log;
    DELETE FROM once_markers;
    DELETE FROM work_leases;
    DELETE FROM role_assignments;
    DELETE FROM units;
    DELETE FROM committees;
    DELETE FROM people;
    DELETE FROM org_meta;
    DELETE FROM conversation_refs;
    DELETE FROM bot_state`,
} as const;

/** The temp tables MSSQL_SQL.syncCreateTempTables creates, which sync() bulk-loads by name. */
export const MSSQL_SYNC_TEMP_TABLES = {
  committees: '#sync_committees',
  units: '#sync_units',
  people: '#sync_people',
  roles: '#sync_roles',
} as const;

/**
 * Column lengths (in UTF-16 code units, which is what NVARCHAR(n) counts) as ./migrations.ts
 * declares them. Values are checked against these before they are sent, because SQL Server would
 * otherwise fail with a bare truncation error (or, for a parameter, compare a cut-off value).
 */
export const MSSQL_LIMITS = {
  stateKey: 400,
  markerKey: 400,
  workKey: 400,
  tenantId: 100,
  aadObjectId: 100,
  scope: 20,
  conversationId: 400,
  serviceUrl: 1000,
  channelId: 100,
  botId: 400,
  userId: 400,
  /** Display text: cut to fit rather than refused. */
  userName: 400,
  /** Diagnostic text: cut to fit rather than refused. */
  inactiveReason: 1000,
  orgId: 200,
  orgName: 400,
  area: 50,
  entraId: 100,
  email: 320,
  role: 20,
  migrationName: 200,
} as const;

const MIGRATION_LOCK_RESOURCE = 'lex-sarah-assistenten:schema-migrations';
const HEALTH_TIMEOUT_MS = 10_000;

/** Keys per read of many state keys. */
const STATE_READ_CHUNK = 2000;

const T = {
  key: () => sql.NVarChar(MSSQL_LIMITS.stateKey),
  text: (len: number) => sql.NVarChar(len),
  max: () => sql.NVarChar(sql.MAX),
  etag: () => sql.NVarChar(100),
  at: () => sql.DateTime2(3),
};

export class MssqlStore implements Store {
  readonly kind = 'mssql' as const;
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
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly migrations: readonly Migration[],
    private readonly schema: string,
  ) {
    this.state = new MssqlStateStore(db);
    this.conversations = new MssqlConversationRefStore(db);
    this.organisation = new MssqlOrganisationStore(db);
    this.reports = new MssqlReportStore(db);
    this.audit = new MssqlAuditStore(db);
    this.cases = new MssqlCaseStore(db);
    this.casework = new MssqlCaseworkStore(db);
    this.status = new MssqlStatusStore(db);
    this.outbox = new MssqlOutboxStore(db);
    this.rateLimits = new MssqlRateLimitStore(db);
    this.patterns = new MssqlPatternStore(db);
    this.compilation = new MssqlCompilationStore(db);
  }

  static async open(opts: MssqlStoreOptions): Promise<MssqlStore> {
    const raw = (opts.connectionString ?? '').trim();
    if (!raw) {
      throw new Error(
        'The SQL Server connection string is empty. Set MSSQL_CONNECTION_STRING, e.g. ' +
          '"Server=tcp:myserver.database.windows.net,1433;Database=lexsarah;User Id=…;Password=…;Encrypt=true".',
      );
    }
    const secrets = secretsInConnectionString(raw);
    let config: sql.config;
    try {
      config = sql.ConnectionPool.parseConnectionString(raw);
    } catch (err) {
      throw new Error(
        `The SQL Server connection string could not be read: ${redact(errorMessage(err), secrets)}. ` +
          'Check MSSQL_CONNECTION_STRING: it should be key=value pairs separated by semicolons (Server, Database, User Id, Password, Encrypt).',
      );
    }
    const parsed = config as sql.config & Record<string, unknown>;
    for (const k of ['password', 'clientSecret', 'token', 'msiSecret']) {
      const v = parsed[k];
      if (typeof v === 'string' && v) secrets.push(v);
    }
    if (!config.server) {
      throw new Error('The SQL Server connection string names no server. Add "Server=tcp:<host>,1433" to MSSQL_CONNECTION_STRING.');
    }
    if (opts.poolMax !== undefined && !(Number.isInteger(opts.poolMax) && opts.poolMax >= 1)) {
      throw new Error(`The SQL Server pool size must be a whole number of at least 1 (got ${String(opts.poolMax)}).`);
    }
    if (opts.longPoolMax !== undefined && !(Number.isInteger(opts.longPoolMax) && opts.longPoolMax >= 1)) {
      throw new Error(`The SQL Server long-work pool size must be a whole number of at least 1 (got ${String(opts.longPoolMax)}).`);
    }
    config.pool = { ...config.pool, min: 0, max: opts.poolMax ?? config.pool?.max ?? 10 };
    config.options = {
      ...config.options,
      // An error inside a transaction rolls the whole transaction back on the server (XACT_ABORT ON).
      abortTransactionOnError: config.options?.abortTransactionOnError ?? true,
      // Dates are sent and read as UTC (tedious' default, stated here because the adapter relies on it).
      useUTC: true,
      appName: config.options?.appName ?? 'lex-sarah-assistenten',
    };

    const timeouts = mssqlTimeouts(opts.requestTimeoutMs ?? config.requestTimeout, opts.longRequestTimeoutMs);
    const retryMs = opts.connectRetryMs ?? DEFAULT_CONNECT_RETRY_MS;
    const pool = await connectWithRetry({ ...config, requestTimeout: timeouts.requestMs }, secrets, retryMs);
    const opened: sql.ConnectionPool[] = [pool];
    try {
      // A few connections for long work only (min 0: none is kept open until long work needs one).
      // Connected as the interactive pool is, retrying transient faults: a serverless database may
      // still be resuming, or fail over, between the two connects.
      const longMax = Math.min(opts.longPoolMax ?? DEFAULT_LONG_POOL_MAX, config.pool.max ?? DEFAULT_LONG_POOL_MAX);
      const bulkPool = await connectWithRetry({ ...config, requestTimeout: timeouts.longRequestMs, pool: { ...config.pool, min: 0, max: longMax } }, secrets, retryMs);
      opened.push(bulkPool);
      // SNAPSHOT transactions only (Db's snapshotPool says why), as large as the interactive pool
      // since the reads it serves would otherwise have used that one; min 0 as well.
      const snapshotPool = await connectWithRetry({ ...config, requestTimeout: timeouts.requestMs }, secrets, retryMs);
      opened.push(snapshotPool);
      return new MssqlStore(
        new Db(pool, secrets, timeouts, bulkPool, opts.logger ? { logger: opts.logger } : {}, snapshotPool),
        opts.migrations ?? mssqlMigrations,
        opts.schema ?? 'dbo',
      );
    } catch (err) {
      await Promise.all(opened.map((p) => p.close().catch(() => undefined)));
      throw err;
    }
  }

  /**
   * Reads the database's settings and stops, with one message naming every fix, when the adapter
   * cannot run on them (see checkDatabaseSettings). Also learns whether SNAPSHOT reads are allowed.
   */
  private async checkSettings(): Promise<void> {
    const facts = await this.db.pool
      .request()
      .input('schema', sql.NVarChar(128), this.schema)
      .query<Omit<DatabaseFacts, 'schemaExists' | 'readCommittedSnapshot' | 'migrationsTableColumns'> & { schemaId: number | null; readCommittedSnapshot: boolean | number }>(
        MSSQL_SQL.settingsFacts,
      );
    const row = facts.recordset[0];
    if (!row) throw new Error('SQL Server did not report the database settings (sys.databases has no row for DB_ID()); check that the login may read its own database\'s metadata.');
    const columns = await this.db.pool
      .request()
      .input('table', sql.NVarChar(300), this.migrationsTable)
      .query<{ name: string; type: string }>(MSSQL_SQL.migrationsTableColumns);
    const tableExists = await this.db.pool
      .request()
      .input('table', sql.NVarChar(300), this.migrationsTable)
      .query<{ id: number | null }>(MSSQL_SQL.migrationsTableId);
    const verdict = checkDatabaseSettings(
      {
        database: row.database,
        compatibilityLevel: Number(row.compatibilityLevel),
        readCommittedSnapshot: Boolean(row.readCommittedSnapshot),
        snapshotIsolationState: Number(row.snapshotIsolationState),
        defaultSchema: row.defaultSchema,
        schemaExists: row.schemaId != null,
        ...(tableExists.recordset[0]?.id != null ? { migrationsTableColumns: columns.recordset } : {}),
      },
      this.schema,
    );
    if (verdict.problems.length) throw new Error(settingsFailureMessage(row.database, verdict.problems));
    this.db.database = row.database;
    this.db.snapshotAllowed = verdict.snapshotAllowed;
  }

  async migrate(): Promise<number[]> {
    await this.checkSettings();
    // Each transaction is safe to repeat (retryDeadlocks): it re-checks under the lock whether its
    // migration ran, and SQL Server's DDL is transactional, so a rolled-back attempt left nothing.
    await this.db.inTransaction(
      async (tx) => {
        await takeMigrationLock(this.db, tx);
        await this.db.longRequest(tx).input('table', sql.NVarChar(300), this.migrationsTable).query(MSSQL_SQL.migrationsTableCreate);
      },
      { retryDeadlocks: true },
    );
    const done = await this.db.pool.request().query<{ version: number }>(MSSQL_SQL.migrationsApplied);
    const already = new Set(done.recordset.map((r) => r.version));

    const applied: number[] = [];
    for (const m of [...this.migrations].sort((a, b) => a.version - b.version)) {
      if (already.has(m.version)) continue;
      const ran = await this.db.inTransaction(async (tx) => {
        // Another instance may have applied it while we waited for the lock: check again under it.
        await takeMigrationLock(this.db, tx);
        const check = await new sql.Request(tx).input('version', sql.Int, m.version).query(MSSQL_SQL.migrationApplied);
        if (check.recordset.length > 0) return false;
        for (const [i, statement] of m.statements.entries()) {
          try {
            await this.db.longRequest(tx).batch(statement);
          } catch (err) {
            throw new Error(
              `Migration ${m.version} (${m.name}) failed at statement ${i + 1} of ${m.statements.length}: ${errorMessage(err)}`,
              { cause: err },
            );
          }
        }
        await new sql.Request(tx)
          .input('version', sql.Int, m.version)
          .input('name', T.text(MSSQL_LIMITS.migrationName), m.name.slice(0, MSSQL_LIMITS.migrationName))
          .input('appliedAt', T.at(), new Date())
          .query(MSSQL_SQL.migrationRecord);
        return true;
      }, { retryDeadlocks: true });
      if (ran) applied.push(m.version);
    }
    return applied;
  }

  async health(): Promise<StoreHealth> {
    const expectedVersion = latestVersion(this.migrations);
    if (this.closed) return { reachable: false, schemaVersion: 0, expectedVersion, error: 'the SQL Server connection pool is closed' };
    try {
      const probe = await withTimeout(this.schemaVersion(), HEALTH_TIMEOUT_MS, 'no answer from SQL Server');
      // Version 0 (not ready): the one-part names would now resolve to whatever the new default schema, or dbo, holds.
      if (probe.schemaMoved !== undefined) return { reachable: true, schemaVersion: 0, expectedVersion, error: probe.schemaMoved };
      return { reachable: true, schemaVersion: probe.version, expectedVersion };
    } catch (err) {
      return {
        reachable: false,
        schemaVersion: 0,
        expectedVersion,
        error:
          `SQL Server query failed: ${redact(errorMessage(err), this.db.secrets)}. ` +
          'Check that the server is reachable from this host (network, firewall rules), that it is running, and that the login in MSSQL_CONNECTION_STRING is still valid.',
      };
    }
  }

  /**
   * Deletes every row of every table (the schema stays), so that each contract test starts empty.
   * For test suites against a scratch database only (test/store/mssql.test.ts); nothing else calls it.
   */
  async dropAllDataForTests(): Promise<void> {
    await this.db.inTransaction(async (tx) => {
      await new sql.Request(tx).batch(MSSQL_SQL.testDeleteAllData);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  /** [schema].[schema_migrations], for OBJECT_ID: bound as a parameter, never spliced into SQL. */
  private get migrationsTable(): string {
    return `${quoteName(this.schema)}.[schema_migrations]`;
  }

  private async schemaVersion(): Promise<{ version: number; schemaMoved?: string }> {
    const table = await this.db.pool
      .request()
      .input('table', sql.NVarChar(300), this.migrationsTable)
      .query<{ table_id: number | null; defaultSchema: string | null }>(MSSQL_SQL.healthMigrationsTable);
    const schemaMoved = defaultSchemaChanged(table.recordset[0]?.defaultSchema ?? null, this.schema);
    if (schemaMoved !== undefined) return { version: 0, schemaMoved };
    if (table.recordset[0]?.table_id == null) return { version: 0 };
    // One-part name: the default schema was just seen to be ours, and ours has the table.
    const row = await this.db.pool.request().query<{ version: number }>(MSSQL_SQL.healthSchemaVersion);
    return { version: row.recordset[0]?.version ?? 0 };
  }
}

/** [name] as QUOTENAME gives it, for a two-part name bound as a parameter (never spliced into SQL). */
function quoteName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/**
 * Connects, and keeps trying with backoff while the failure is transient (a serverless database
 * resuming from auto-pause answers 40613 for up to a minute; a failover drops the socket) until
 * `retryMs` have passed. A wrong password or server name fails at once.
 */
async function connectWithRetry(config: sql.config, secrets: readonly string[], retryMs: number): Promise<sql.ConnectionPool> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const pool = new sql.ConnectionPool(config);
    // Without a listener, a connection error emitted outside a request would crash the process.
    pool.on('error', () => undefined);
    try {
      await pool.connect();
      return pool;
    } catch (err) {
      await pool.close().catch(() => undefined);
      const pause = backoffMs(attempt, CONNECT_BACKOFF, Math.random());
      if (classifySqlError(err) === 'permanent' || Date.now() - started + pause > retryMs) {
        const tried = attempt > 1 ? ` (${attempt} attempts over ${Math.round((Date.now() - started) / 1000)} s)` : '';
        throw new Error(connectFailureMessage(config, err, secrets) + tried);
      }
      await sleep(pause);
    }
  }
}

/** The wait runs in a long request: the applock times out (with a clear message) before the request does. */
async function takeMigrationLock(db: Db, tx: sql.Transaction): Promise<void> {
  const timeoutMs = db.migrationLockTimeoutMs;
  const r = await db
    .longRequest(tx)
    .input('resource', sql.NVarChar(255), MIGRATION_LOCK_RESOURCE)
    .input('timeoutMs', sql.Int, timeoutMs)
    .query<{ result: number }>(MSSQL_SQL.migrationLock);
  // -3 (deadlock victim) is retried as a deadlock: migrate() runs each transaction with retryDeadlocks.
  needApplock(r.recordset[0]?.result, MIGRATION_LOCK_RESOURCE, (code) => {
    const why = code === -1 ? `timed out after ${timeoutMs} ms` : `sp_getapplock returned ${String(code)}`;
    return new Error(
      `Could not take the schema migration lock (${why}). Another bot instance is probably migrating the same database; try again when it has finished.`,
    );
  });
}

class MssqlStateStore implements StateStore {
  constructor(private readonly db: Db) {}

  async read(keys: readonly string[]): Promise<Map<string, StateRecord>> {
    const out = new Map<string, StateRecord>();
    // A key longer than the column, or ending in whitespace (SQL Server would match it to the key without), cannot have been stored.
    const wanted = [...new Set(keys)].filter((k) => k.length <= MSSQL_LIMITS.stateKey && !hasTrailingWhitespace(k));
    if (wanted.length === 1) {
      const row = (await this.db.pool.request().input('key', T.key(), wanted[0]!).query<{ value: string; etag: string }>(MSSQL_SQL.stateSelect)).recordset[0];
      if (row) out.set(wanted[0]!, { value: row.value, etag: row.etag });
      return out;
    }
    // In chunks: one request per chunk, in turn, not one per key at once (a sweep reads thousands).
    for (let i = 0; i < wanted.length; i += STATE_READ_CHUNK) {
      const r = await this.db.pool
        .request()
        .input('keys', T.max(), JSON.stringify(wanted.slice(i, i + STATE_READ_CHUNK)))
        .query<{ state_key: string; value: string; etag: string }>(MSSQL_SQL.stateSelectMany);
      for (const row of r.recordset) out.set(row.state_key, { value: row.value, etag: row.etag });
    }
    return out;
  }

  async write(items: readonly StateWrite[]): Promise<Map<string, string>> {
    if (items.length === 0) return new Map();
    for (const item of items) {
      need(item.key, MSSQL_LIMITS.stateKey, 'state key');
      needTrimmedKey(item.key, 'state key');
    }
    return this.db.inTransaction(
      async (tx) => {
        // Lock every key first, in one global order, then decide: a conflict throws before anything is written,
        // and the rollback leaves every key unchanged.
        const current = new Map<string, string | undefined>();
        for (const key of [...new Set(items.map((i) => i.key))].sort()) {
          const r = await new sql.Request(tx).input('key', T.key(), key).query<{ etag: string }>(MSSQL_SQL.stateLock);
          current.set(key, r.recordset[0]?.etag);
        }
        const now = new Date();
        const etags = new Map<string, string>();
        for (const item of items) {
          const stored = current.get(item.key);
          const unconditional = item.expectedEtag === undefined || item.expectedEtag === '*' || item.expectedEtag === '';
          if (stored !== undefined && !unconditional && stored !== item.expectedEtag) throw new EtagConflictError(item.key);
          const etag = randomUUID();
          await new sql.Request(tx)
            .input('key', T.key(), item.key)
            .input('value', T.max(), item.value)
            .input('etag', T.etag(), etag)
            .input('updatedAt', T.at(), now)
            .query(stored === undefined ? MSSQL_SQL.stateInsert : MSSQL_SQL.stateUpdate);
          current.set(item.key, etag);
          etags.set(item.key, etag);
        }
        return etags;
      },
      { retryDeadlocks: true },
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    const wanted = [...new Set(keys)].filter((k) => k.length <= MSSQL_LIMITS.stateKey && !hasTrailingWhitespace(k)).sort();
    if (wanted.length === 0) return;
    await this.db.inTransaction(
      async (tx) => {
        for (const key of wanted) await new sql.Request(tx).input('key', T.key(), key).query(MSSQL_SQL.stateDelete);
      },
      { retryDeadlocks: true },
    );
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    need(key, MSSQL_LIMITS.markerKey, 'once-marker key');
    needTrimmedKey(key, 'once-marker key');
    try {
      // A single statement; the transaction only lends it the deadlock-victim retry.
      return await this.db.inTransaction(
        async (tx) => {
          const claimed = await rowsChanged(
            new sql.Request(tx).input('key', sql.NVarChar(MSSQL_LIMITS.markerKey), key).input('claimedAt', T.at(), at),
            MSSQL_SQL.onceClaim,
          );
          return claimed === 1;
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      // Someone else's insert of the same key won: that is the "already claimed" answer, not a failure.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async claimLease(key: string, now: Date, leaseMs: number): Promise<boolean> {
    need(key, MSSQL_LIMITS.workKey, 'work-lease key');
    needTrimmedKey(key, 'work-lease key');
    const until = new Date(now.getTime() + leaseMs);
    const bind = (req: sql.Request) =>
      req.input('key', sql.NVarChar(MSSQL_LIMITS.workKey), key).input('now', T.at(), now).input('until', T.at(), until);
    try {
      return await this.db.inTransaction(
        async (tx) => {
          if ((await rowsChanged(bind(new sql.Request(tx)), MSSQL_SQL.leaseTakeOver)) === 1) return true;
          return (await rowsChanged(bind(new sql.Request(tx)), MSSQL_SQL.leaseInsert)) === 1;
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      // Another instance's insert of the same key won: it holds the lease.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async completedLeases(keys: readonly string[]): Promise<Set<string>> {
    const wanted = keys.filter((k) => fits(k, MSSQL_LIMITS.workKey) && !hasTrailingWhitespace(k));
    if (!wanted.length) return new Set();
    const r = await this.db.pool.request().input('keys', sql.NVarChar(sql.MAX), JSON.stringify(wanted)).query<{ work_key: string }>(MSSQL_SQL.leasesCompleted);
    return new Set(r.recordset.map((x) => x.work_key));
  }

  async completeLease(key: string, at: Date): Promise<void> {
    // A key longer than the column, or ending in whitespace, cannot have been leased.
    if (!fits(key, MSSQL_LIMITS.workKey) || hasTrailingWhitespace(key)) return;
    await this.db.inTransaction(
      async (tx) => {
        await new sql.Request(tx).input('key', sql.NVarChar(MSSQL_LIMITS.workKey), key).input('doneAt', T.at(), at).query(MSSQL_SQL.leaseComplete);
      },
      { retryDeadlocks: true },
    );
  }
}


class MssqlConversationRefStore implements ConversationRefStore {
  constructor(private readonly db: Db) {}

  async upsert(ref: ConversationRefUpsert, at: Date): Promise<void> {
    const L = MSSQL_LIMITS;
    const aadObjectId = ref.aadObjectId.toLowerCase();
    need(ref.tenantId, L.tenantId, 'tenant id');
    need(aadObjectId, L.aadObjectId, 'AAD object id');
    need(ref.scope, L.scope, 'conversation scope');
    need(ref.conversationId, L.conversationId, 'conversation id');
    need(ref.serviceUrl, L.serviceUrl, 'service URL');
    need(ref.channelId, L.channelId, 'channel id');
    need(ref.botId, L.botId, 'bot id');
    need(ref.userId, L.userId, 'user id');
    const bind = (req: sql.Request) =>
      req
        .input('tenantId', T.text(L.tenantId), ref.tenantId)
        .input('aadObjectId', T.text(L.aadObjectId), aadObjectId)
        .input('scope', T.text(L.scope), ref.scope)
        .input('conversationId', T.text(L.conversationId), ref.conversationId)
        .input('serviceUrl', T.text(L.serviceUrl), ref.serviceUrl)
        .input('channelId', T.text(L.channelId), ref.channelId)
        .input('botId', T.text(L.botId), ref.botId)
        .input('userId', T.text(L.userId), ref.userId)
        .input('userName', T.text(L.userName), ref.userName === undefined ? null : ref.userName.slice(0, L.userName))
        .input('updatedAt', T.at(), at);
    await this.db.inTransaction(
      async (tx) => {
        const updated = await rowsChanged(bind(new sql.Request(tx)), MSSQL_SQL.refUpdate);
        if (updated === 0) await bind(new sql.Request(tx)).query(MSSQL_SQL.refInsert);
      },
      { retryDeadlocks: true },
    );
  }

  async markConversationInactive(tenantId: string, conversationId: string, reason: string, at: Date): Promise<number> {
    const L = MSSQL_LIMITS;
    if (!fits(tenantId, L.tenantId) || !fits(conversationId, L.conversationId)) return 0;
    return rowsChanged(
      this.db.pool
        .request()
        .input('reason', T.text(L.inactiveReason), reason.slice(0, L.inactiveReason))
        .input('updatedAt', T.at(), at)
        .input('tenantId', T.text(L.tenantId), tenantId)
        .input('conversationId', T.text(L.conversationId), conversationId),
      MSSQL_SQL.refMarkConversationInactive,
    );
  }

  async markUserInactive(tenantId: string, aadObjectId: string, scope: ConversationScope, reason: string, at: Date): Promise<number> {
    const L = MSSQL_LIMITS;
    const aad = aadObjectId.toLowerCase();
    if (!fits(tenantId, L.tenantId) || !fits(aad, L.aadObjectId) || !fits(scope, L.scope)) return 0;
    return rowsChanged(
      this.db.pool
        .request()
        .input('reason', T.text(L.inactiveReason), reason.slice(0, L.inactiveReason))
        .input('updatedAt', T.at(), at)
        .input('tenantId', T.text(L.tenantId), tenantId)
        .input('aadObjectId', T.text(L.aadObjectId), aad)
        .input('scope', T.text(L.scope), scope),
      MSSQL_SQL.refMarkUserInactive,
    );
  }

  async get(tenantId: string, aadObjectId: string, scope: ConversationScope): Promise<ConversationRef | undefined> {
    const L = MSSQL_LIMITS;
    const aad = aadObjectId.toLowerCase();
    if (!fits(tenantId, L.tenantId) || !fits(aad, L.aadObjectId) || !fits(scope, L.scope)) return undefined;
    const r = await this.db.pool
      .request()
      .input('tenantId', T.text(L.tenantId), tenantId)
      .input('aadObjectId', T.text(L.aadObjectId), aad)
      .input('scope', T.text(L.scope), scope)
      .query<RefRow>(MSSQL_SQL.refGet);
    const row = r.recordset[0];
    return row ? refFromRow(row) : undefined;
  }

  async listForUser(aadObjectId: string): Promise<ConversationRef[]> {
    const aad = aadObjectId.toLowerCase();
    if (!fits(aad, MSSQL_LIMITS.aadObjectId)) return [];
    const r = await this.db.pool
      .request()
      .input('aadObjectId', T.text(MSSQL_LIMITS.aadObjectId), aad)
      .query<RefRow>(MSSQL_SQL.refListForUser);
    return r.recordset.map(refFromRow);
  }
}

class MssqlOrganisationStore implements OrganisationStore {
  constructor(private readonly db: Db) {}

  async sync(org: OrganisationRecord, at: Date): Promise<OrganisationSyncResult> {
    const rows = organisationToRows(org);
    checkOrganisationRows(rows);
    needTrimmedOrganisationKeys(rows);
    const L = MSSQL_LIMITS;
    return this.db.inTransaction(
      async (tx) => {
        await new sql.Request(tx).batch(MSSQL_SQL.syncCreateTempTables);
        await bulkLoad(
          tx,
          MSSQL_SYNC_TEMP_TABLES.committees,
          [
            ['id', T.text(L.orgId), false],
            ['name', T.text(L.orgName), false],
            ['ordinal', sql.Int(), false],
          ],
          rows.committees.map((c) => [c.id, c.name, c.ordinal]),
        );
        await bulkLoad(
          tx,
          MSSQL_SYNC_TEMP_TABLES.units,
          [
            ['id', T.text(L.orgId), false],
            ['committee_id', T.text(L.orgId), false],
            ['name', T.text(L.orgName), false],
            ['area', T.text(L.area), false],
            ['ordinal', sql.Int(), false],
          ],
          rows.units.map((u) => [u.id, u.committeeId, u.name, u.area, u.ordinal]),
        );
        await bulkLoad(
          tx,
          MSSQL_SYNC_TEMP_TABLES.people,
          [
            ['entra_id', T.text(L.entraId), false],
            ['name', T.text(L.orgName), false],
            ['email', T.text(L.email), true],
            ['ordinal', sql.Int(), false],
          ],
          rows.people.map((p) => [p.entraId, p.name, p.email, p.ordinal]),
        );
        await bulkLoad(
          tx,
          MSSQL_SYNC_TEMP_TABLES.roles,
          [
            ['entra_id', T.text(L.entraId), false],
            ['role', T.text(L.role), false],
            ['scope_id', T.text(L.orgId), false],
            ['ordinal', sql.Int(), false],
          ],
          rows.roles.map((r) => [r.entraId, r.role, r.scopeId, r.ordinal]),
        );

        const meta = (req: sql.Request) =>
          req.input('municipality', T.text(L.orgName), rows.municipality).input('syncedAt', T.at(), at);
        const updatedMeta = await rowsChanged(meta(new sql.Request(tx)), MSSQL_SQL.syncMetaUpdate);
        if (updatedMeta === 0) await meta(new sql.Request(tx)).query(MSSQL_SQL.syncMetaInsert);

        const run = (text: string) => new sql.Request(tx).input('updatedAt', T.at(), at).query(text);
        const updatedAt = () => new sql.Request(tx).input('updatedAt', T.at(), at);
        await run(MSSQL_SQL.syncCommitteesUpdate);
        await run(MSSQL_SQL.syncCommitteesInsert);
        await run(MSSQL_SQL.syncUnitsUpdate);
        await run(MSSQL_SQL.syncUnitsInsert);
        await run(MSSQL_SQL.syncPeopleUpdate);
        await run(MSSQL_SQL.syncPeopleInsert);

        await new sql.Request(tx).query(MSSQL_SQL.syncRolesDelete);
        await new sql.Request(tx).query(MSSQL_SQL.syncRolesInsert);

        let archived = 0;
        archived += await rowsChanged(updatedAt(), MSSQL_SQL.syncCommitteesArchive);
        archived += await rowsChanged(updatedAt(), MSSQL_SQL.syncUnitsArchive);
        archived += await rowsChanged(updatedAt(), MSSQL_SQL.syncPeopleArchive);

        await new sql.Request(tx).batch(MSSQL_SQL.syncDropTempTables);
        return { committees: rows.committees.length, units: rows.units.length, people: rows.people.length, archived };
      },
      { retryDeadlocks: true, long: true },
    );
  }

  async load(): Promise<OrganisationRecord | undefined> {
    return this.db.inTransaction(async (tx) => {
      // The shared lock on org_meta, held to the end, keeps a sync from committing half-way through this read.
      const meta = await new sql.Request(tx).query<{ municipality: string }>(MSSQL_SQL.loadMeta);
      const municipality = meta.recordset[0]?.municipality;
      if (municipality === undefined) return undefined;
      const committees = await new sql.Request(tx).query<OrganisationRows['committees'][number]>(MSSQL_SQL.loadCommittees);
      const units = await new sql.Request(tx).query<OrganisationRows['units'][number]>(MSSQL_SQL.loadUnits);
      const people = await new sql.Request(tx).query<OrganisationRows['people'][number]>(MSSQL_SQL.loadPeople);
      const roles = await new sql.Request(tx).query<OrganisationRows['roles'][number]>(MSSQL_SQL.loadRoles);
      return rowsToOrganisation({
        municipality,
        committees: [...committees.recordset],
        units: [...units.recordset],
        people: [...people.recordset],
        roles: [...roles.recordset],
      });
    });
  }
}

function checkOrganisationRows(rows: OrganisationRows): void {
  const L = MSSQL_LIMITS;
  need(rows.municipality, L.orgName, 'municipality name');
  for (const c of rows.committees) {
    need(c.id, L.orgId, 'nämnd id');
    need(c.name, L.orgName, `name of nämnd "${c.id}"`);
  }
  for (const u of rows.units) {
    need(u.id, L.orgId, 'unit id');
    need(u.name, L.orgName, `name of unit "${u.id}"`);
    need(u.area, L.area, `area of unit "${u.id}"`);
  }
  for (const p of rows.people) {
    need(p.entraId, L.entraId, 'Entra id');
    need(p.name, L.orgName, `name of person "${p.entraId}"`);
    if (p.email !== null) need(p.email, L.email, `email of person "${p.entraId}"`);
  }
  for (const r of rows.roles) {
    need(r.role, L.role, 'role');
    need(r.scopeId, L.orgId, `role scope of person "${r.entraId}"`);
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const original = (err as { originalError?: unknown }).originalError;
    const inner = original instanceof Error && original.message && !err.message.includes(original.message) ? ` (${original.message})` : '';
    return (err.message || err.name) + inner;
  }
  return String(err);
}

/** Values of secret keys in an ADO.NET-style connection string, best effort, before it is parsed. */
function secretsInConnectionString(raw: string): string[] {
  const out: string[] = [];
  const re = /(?:^|;)\s*(?:password|pwd|client secret|token|msi secret)\s*=\s*("(?:[^"]|"")*"|'(?:[^']|'')*'|\{(?:[^}]|\}\})*\}|[^;]*)/gi;
  for (const m of raw.matchAll(re)) {
    const v = (m[1] ?? '').trim();
    if (!v) continue;
    out.push(v);
    if (v.length > 2) out.push(v.slice(1, -1)); // without its quotes or braces
  }
  return out;
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  // Longest first, so that a quoted secret is replaced before its unquoted form; very short
  // "secrets" are skipped to avoid mangling ordinary words.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length >= 3) out = out.split(s).join('***');
  }
  return out;
}

function connectFailureMessage(config: sql.config, err: unknown, secrets: readonly string[]): string {
  const where = `${config.server}${config.port ? `:${config.port}` : ''}`;
  const db = config.database ? `, database "${config.database}"` : '';
  const user = config.user ? ` as "${config.user}"` : '';
  const message = redact(errorMessage(err), secrets);
  const hints = [
    'that MSSQL_CONNECTION_STRING names the right server, port and database',
    'that the server is reachable from this host (DNS, VPN, and firewall rules — for Azure SQL, the server firewall must allow this machine\'s address)',
    'that the user name and password (or other credentials) are valid and the login may use that database',
  ];
  if (/certificate|self[- ]signed|ssl|tls/i.test(message)) {
    hints.push('the TLS settings: a server with a self-signed certificate needs "TrustServerCertificate=true" (development only)');
  }
  return `Cannot connect to SQL Server at ${where}${db}${user}: ${message}. Check ${hints.join('; ')}.`;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // the loser of the race must not become an unhandled rejection
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
