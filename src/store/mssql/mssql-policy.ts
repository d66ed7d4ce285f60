/**
 * The SQL Server adapter's operating rules as pure functions, so they can be table-tested without
 * a server: which errors are worth another attempt, how long to wait between attempts, how the
 * request timeouts are derived, and whether the database's settings are ones the adapter can run
 * on. No I/O and no SQL texts live here.
 */

/** What a failed request or transaction means for trying again. */
export type ErrorClass =
  /** Chosen as deadlock victim (1205): the server rolled the transaction back; repeat it at once. */
  | 'deadlock'
  /** A fault of the service, not of the work (failover, throttling, a dropped socket): repeat after a pause. */
  | 'transient'
  /** Anything else: repeating would fail the same way (constraint, syntax, permission, request timeout). */
  | 'permanent';

/**
 * SQL Server / Azure SQL error numbers that mean "the service, not the request, failed; the same
 * work can succeed in a moment". The transaction that got one has been rolled back by the server
 * (or its connection is gone, which rolls it back).
 */
export const TRANSIENT_SQL_ERRORS: ReadonlyMap<number, string> = new Map([
  [3961, 'a SNAPSHOT read met an object changed by DDL since it began (a migration by another instance); a new snapshot sees it'],
  [4060, 'cannot open the database (Azure SQL: not yet online, e.g. a serverless database resuming)'],
  [4221, 'login timed out waiting for an availability replica'],
  [10053, 'transport-level error (connection aborted)'],
  [10054, 'transport-level error (connection reset by the server)'],
  [10060, 'network error (connection attempt timed out)'],
  [10928, 'resource limit reached (requests/sessions); Azure SQL throttling'],
  [10929, 'resource limit reached (minimum guarantee); Azure SQL throttling'],
  [40143, 'the service encountered an error processing the request'],
  [40197, 'the service encountered an error processing the request (reconfiguration, failover)'],
  [40501, 'the service is busy (throttling)'],
  [40540, 'the service encountered an error processing the request'],
  [40613, 'database not currently available (reconfiguration, or a serverless database resuming from auto-pause)'],
  [49918, 'not enough resources to process the request'],
  [49919, 'too many create or update operations in progress'],
  [49920, 'too many operations in progress'],
]);

export const DEADLOCK_VICTIM = 1205;

/**
 * "Snapshot isolation transaction failed accessing database … because snapshot isolation is not
 * allowed in this database": ALLOW_SNAPSHOT_ISOLATION was turned off after migrate() found it on.
 */
export const SNAPSHOT_NOT_ALLOWED = 3952;

/**
 * Driver error codes (mssql / tedious / Node sockets) of a lost or unreachable connection. A
 * request timeout (RequestError ETIMEOUT) is deliberately not here: the work itself took too long
 * and would do so again; only a connect timeout (ConnectionError ETIMEOUT) is.
 */
const TRANSIENT_DRIVER_CODES = new Set(['ESOCKET', 'ECONNRESET', 'ECONNCLOSED', 'ECLOSE', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * tedious reports a failed login (ELOGIN) with the server's message but without its number, and
 * marks it transient only while its own few retries last; these are the messages of the transient
 * login errors above (40613, 40501, 40197, 10928/10929, 4060).
 */
const TRANSIENT_LOGIN_MESSAGES = [
  /is not currently available/i,
  /service is currently busy/i,
  /service has encountered an error processing your request/i,
  /limit for the database is \d+ and has been reached/i,
  /cannot open database .* requested by the login/i,
];

interface ErrorFacts {
  numbers: number[];
  codes: string[];
  connectTimeout: boolean;
  transientLogin: boolean;
}

function errorFacts(err: unknown): ErrorFacts {
  const facts: ErrorFacts = { numbers: [], codes: [], connectTimeout: false, transientLogin: false };
  const walk = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 5) return;
    const o = e as {
      name?: unknown; number?: unknown; code?: unknown; message?: unknown; isTransient?: unknown; info?: { number?: unknown }; originalError?: unknown; cause?: unknown; errors?: unknown;
    };
    for (const n of [o.number, o.info?.number]) if (typeof n === 'number') facts.numbers.push(n);
    if (typeof o.code === 'string') {
      facts.codes.push(o.code);
      if (o.code === 'ETIMEOUT' && o.name === 'ConnectionError') facts.connectTimeout = true;
      if (o.code === 'ELOGIN' && (o.isTransient === true || (typeof o.message === 'string' && TRANSIENT_LOGIN_MESSAGES.some((re) => re.test(o.message as string))))) {
        facts.transientLogin = true;
      }
    }
    walk(o.originalError, depth + 1);
    walk(o.cause, depth + 1);
    // An AggregateError (tedious, several addresses tried) carries one error per attempt.
    if (Array.isArray(o.errors)) for (const inner of o.errors.slice(0, 5)) walk(inner, depth + 1);
  };
  walk(err, 0);
  return facts;
}

/** How a failure should be treated by the retry loops of the adapter. */
export function classifySqlError(err: unknown): ErrorClass {
  const f = errorFacts(err);
  if (f.numbers.includes(DEADLOCK_VICTIM)) return 'deadlock';
  if (f.numbers.some((n) => TRANSIENT_SQL_ERRORS.has(n))) return 'transient';
  if (f.connectTimeout || f.transientLogin || f.codes.some((c) => TRANSIENT_DRIVER_CODES.has(c))) return 'transient';
  return 'permanent';
}

/**
 * Whether a SNAPSHOT transaction failed because the database no longer allows snapshot isolation.
 * Permanent for that transaction, but the same reads succeed at once as read committed, so the
 * transaction helper repeats them that way and stops asking for SNAPSHOT until the next start.
 */
export function snapshotRefused(err: unknown): boolean {
  return errorFacts(err).numbers.includes(SNAPSHOT_NOT_ALLOWED);
}

export interface Backoff {
  /** First pause, in ms. */
  baseMs: number;
  /** Longest pause, in ms. */
  maxMs: number;
}

/** Pauses between attempts of a transaction that hit a transient fault (Azure SQL's guidance: seconds, not milliseconds). */
export const TRANSACTION_BACKOFF: Backoff = { baseMs: 250, maxMs: 4000 };
/** Pauses between connect attempts at start-up; a serverless database takes up to about a minute to resume. */
export const CONNECT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 15_000 };
/** How many times a transaction that is safe to repeat is attempted in all. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * The pause before attempt `attempt + 1` (attempt counts from 1): exponential, capped, with
 * "equal jitter" (between half and all of it) so that instances failed over together do not
 * return together. `random` is in [0, 1).
 */
export function backoffMs(attempt: number, b: Backoff, random: number): number {
  const full = Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (full / 2) * Math.min(Math.max(random, 0), 1));
}

/** The pause after a deadlock: short, since the other transaction is already through. */
export function deadlockPauseMs(attempt: number, random: number): number {
  return 20 * attempt + Math.floor(30 * Math.min(Math.max(random, 0), 1));
}

export interface MssqlTimeouts {
  /** Interactive requests (a submit, a card, a claim): short, so a stuck server surfaces quickly. */
  requestMs: number;
  /** Migrations, organisation sync, casework bulk load and import; 0 means none. */
  longRequestMs: number;
  /** sp_getapplock waits (migration lock, import locks): inside longRequestMs so the wait ends with a clear message, not a driver timeout. */
  lockMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_LONG_REQUEST_TIMEOUT_MS = 15 * 60_000;
/** How long start-up keeps trying to connect (a serverless database resuming from auto-pause). */
export const DEFAULT_CONNECT_RETRY_MS = 120_000;

/** Derives the adapter's timeouts; an applock wait without a request timeout is capped at 10 minutes. */
export function mssqlTimeouts(requestMs: number | undefined, longRequestMs: number | undefined): MssqlTimeouts {
  const request = requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const long = longRequestMs ?? DEFAULT_LONG_REQUEST_TIMEOUT_MS;
  const lockMs = long > 0 ? Math.max(1000, long - Math.min(5000, Math.floor(long / 10))) : 10 * 60_000;
  return { requestMs: request, longRequestMs: long, lockMs };
}

// --- database settings checked by migrate() ------------------------------------------------------

/** What migrate() reads about the database before it changes anything (MSSQL_SQL.settingsFacts and .migrationsTableColumns). */
export interface DatabaseFacts {
  database: string;
  compatibilityLevel: number;
  readCommittedSnapshot: boolean;
  /** sys.databases.snapshot_isolation_state: 0 off, 1 on, 2 turning off, 3 turning on. */
  snapshotIsolationState: number;
  /** SCHEMA_NAME(): the database user's default schema, where every unqualified name lands. */
  defaultSchema: string | null;
  /** Whether the configured schema exists. */
  schemaExists: boolean;
  /** Columns (lower-case name, type name) of schema_migrations in the configured schema; undefined when there is no such table. */
  migrationsTableColumns?: readonly { name: string; type: string }[];
}

export interface SettingsVerdict {
  /** Each one stops migrate(): with it the adapter would misbehave. */
  problems: string[];
  /** Whether status counts can read in one SNAPSHOT transaction (otherwise plain reads). */
  snapshotAllowed: boolean;
}

/** OPENJSON needs it (SQL Server 2016). */
export const MIN_COMPATIBILITY_LEVEL = 130;
/** schema_migrations as MSSQL_SQL.migrationsTableCreate makes it. */
const OUR_MIGRATIONS_COLUMNS: ReadonlyMap<string, string> = new Map([
  ['version', 'int'],
  ['name', 'nvarchar'],
  ['applied_at', 'datetime2'],
]);

const bracket = (name: string) => `[${name.replace(/]/g, ']]')}]`;

/** ALTER USER … WITH DEFAULT_SCHEMA has no effect on dbo, the user every sysadmin login and the database owner are mapped to. */
const dedicatedUserHint = (schema: string) =>
  'If the bot logs in as sysadmin or as the database owner, it is the user dbo, whose default schema is always dbo and cannot be changed: ' +
  `give it a login and database user of its own instead, e.g. CREATE USER [lexsarah] FOR LOGIN [lexsarah] WITH DEFAULT_SCHEMA = ${bracket(schema)};`;

/**
 * Why the bot's SQL names its objects without a schema, and why that is safe with these checks
 * (issue #18, item 7). SQL Server resolves a one-part name in the user's default schema, then in
 * dbo (a name starting sp_ first among the system procedures). Schema-qualified names would depend
 * on neither, but the schema is a setting (MSSQL_SCHEMA) and every SQL text is a literal,
 * parse-checked as written: qualifying would mean splicing the schema into every text at run time,
 * or one fixed schema name for every installation. What qualifying protects against, and how the
 * adapter covers it instead:
 * - Objects in, or read from, another schema: migrate() refuses a default schema other than
 *   MSSQL_SCHEMA, and every health probe checks it again, so one changed while the bot runs makes
 *   /readyz fail with the fix. Meanwhile a statement reaches another table only where the new
 *   default schema, or dbo, has one of the same name; elsewhere it fails ("Invalid object name").
 * - The dbo fallback: it applies only to a name the bot's schema lacks. CREATE never falls back,
 *   and DML names only tables the migrations created there. The one lookup made before they exist,
 *   whether schema_migrations does, takes the qualified name as a parameter, so another tool's
 *   dbo.schema_migrations (dbmate, golang-migrate and Rails use the name) is never adopted; one in
 *   the bot's schema must have exactly our columns.
 * - A synonym or view of the same name: in the bot's schema it cannot sit beside the bot's table
 *   (one namespace per schema), and whoever may create one there could alter the table as well;
 *   in dbo it matters only through the fallback above.
 * - sp_ resolution: sp_getapplock is called as sys.sp_getapplock; the bot creates no procedures.
 * - Plan cache: a plan with implicit name resolution is cached per user and not shared across
 *   users; the bot runs under one.
 * Should MSSQL_SCHEMA give way to one fixed schema, qualify every text in one change (migrations,
 * every MSSQL_*_SQL including the cases'): the default-schema requirement, and the dedicated user
 * that a dbo login needs for it, would then go.
 */
function defaultSchemaProblem(found: string | null, schema: string): string | undefined {
  if (found === schema) return undefined;
  return (
    `the database user's default schema is ${found === null ? 'not set' : bracket(found)}, not ${bracket(schema)} (MSSQL_SCHEMA), ` +
    "and the bot's SQL names its tables without a schema, so they would resolve elsewhere " +
    `(fix: ALTER USER <the bot's user> WITH DEFAULT_SCHEMA = ${bracket(schema)}; or set MSSQL_SCHEMA to the schema the bot's tables are in` +
    `${found === 'dbo' ? `. ${dedicatedUserHint(schema)}` : ''})`
  );
}

/**
 * What health() reports when the default schema no longer is MSSQL_SCHEMA (changed by a DBA, or
 * the login remapped, since migrate() checked it); undefined while it still is.
 */
export function defaultSchemaChanged(found: string | null, schema: string): string | undefined {
  const problem = defaultSchemaProblem(found, schema);
  return problem === undefined ? undefined : `SQL Server, since migrate() checked it at start: ${problem}`;
}

/**
 * Whether the adapter can run on a database with these settings, and what each problem's fix is.
 * The adapter relies on: OPENJSON (compatibility level), readers that do not block behind writers
 * and imports (READ_COMMITTED_SNAPSHOT), and every unqualified object name resolving to the
 * configured schema. NOCOUNT (the server's "user options" 512, a logon trigger) is not checked:
 * every count the adapter uses, decisions and the casework import's figures alike, comes from
 * SELECT @@ROWCOUNT in the statement's own batch, never from DONE tokens.
 */
export function checkDatabaseSettings(f: DatabaseFacts, schema: string): SettingsVerdict {
  const db = bracket(f.database);
  const problems: string[] = [];
  if (f.compatibilityLevel < MIN_COMPATIBILITY_LEVEL) {
    problems.push(
      `the database compatibility level is ${f.compatibilityLevel}; OPENJSON needs ${MIN_COMPATIBILITY_LEVEL} or higher ` +
        `(fix: ALTER DATABASE ${db} SET COMPATIBILITY_LEVEL = 150;)`,
    );
  }
  if (!f.readCommittedSnapshot) {
    problems.push(
      'READ_COMMITTED_SNAPSHOT is off, so reads would block behind (and deadlock with) writes and imports ' +
        `(fix: ALTER DATABASE ${db} SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE; — on by default in Azure SQL Database)`,
    );
  }
  if (!f.schemaExists) {
    problems.push(`the schema ${bracket(schema)} (MSSQL_SCHEMA) does not exist (fix: CREATE SCHEMA ${bracket(schema)} AUTHORIZATION <the bot's user>;)`);
  }
  const schemaProblem = defaultSchemaProblem(f.defaultSchema, schema);
  if (schemaProblem !== undefined) problems.push(schemaProblem);
  if (f.migrationsTableColumns !== undefined) {
    const found = new Map(f.migrationsTableColumns.map((c) => [c.name.toLowerCase(), c.type.toLowerCase()]));
    // Exactly our columns: a foreign table that happens to have ours among others is still foreign.
    const ours = found.size === OUR_MIGRATIONS_COLUMNS.size && [...OUR_MIGRATIONS_COLUMNS].every(([name, type]) => found.get(name) === type);
    if (!ours) {
      problems.push(
        `${bracket(schema)}.schema_migrations exists but is not this bot's (columns: ${[...found.keys()].join(', ') || 'none'}); another application shares the schema ` +
          `(fix: give the bot a schema of its own, e.g. CREATE SCHEMA [lexsarah]; ALTER USER <the bot's user> WITH DEFAULT_SCHEMA = [lexsarah]; and set MSSQL_SCHEMA=lexsarah. ${dedicatedUserHint('lexsarah')})`,
      );
    }
  }
  return { problems, snapshotAllowed: f.snapshotIsolationState === 1 };
}

/**
 * What the operator is told, once, when the server refused a SNAPSHOT transaction (3952) and the
 * adapter went over to read committed: what changed for the reader, and the statement that ends it.
 */
export function snapshotFallbackMessage(database: string | undefined): string {
  const db = database === undefined ? '[<database>]' : bracket(database);
  return (
    'SQL Server refused a SNAPSHOT transaction (error 3952: snapshot isolation is no longer allowed in the database). ' +
    "The reads that used SNAPSHOT (the status counts, a case's details) run as READ COMMITTED until the bot restarts: " +
    'a case read may then wait behind a concurrent change, and the figures of one status card may straddle one. ' +
    `Fix: ALTER DATABASE ${db} SET ALLOW_SNAPSHOT_ISOLATION ON; then restart the bot (or leave it off: the bot works either way).`
  );
}

/** The one message migrate() stops with when the database's settings do not suit the adapter. */
export function settingsFailureMessage(database: string, problems: readonly string[]): string {
  return (
    `The SQL Server database "${database}" is not set up the way the bot needs (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
    problems.map((p, i) => `(${i + 1}) ${p}`).join('; ') +
    '. Ask the database administrator to apply the fixes, then start the bot again (README, "SQL Server").'
  );
}
