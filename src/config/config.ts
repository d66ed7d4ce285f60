/**
 * All runtime settings, validated once at start-up. An invalid setting stops the process with a
 * message that names the variable, so an operator can fix it without reading code.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The SQLite file when SQLITE_PATH is not set (`npm run dev` gives the demo one of its own, scripts/dev-settings.ts). */
export const DEFAULT_SQLITE_PATH = './data/lex-sarah.db';
/** The bot's SQLite page cache in MB when SQLITE_CACHE_MB is not set (the in-process benches open their file with it too). */
export const DEFAULT_SQLITE_CACHE_MB = 64;

const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
/** A DNS name: dot-separated labels of letters, digits and inner hyphens. */
const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** Text that is not written as a plain number (e.g. "0x1e", "3e1", "20%") as NaN: refused, not read as another number. */
const plainNumber = (v: unknown, shape: RegExp): unknown => (typeof v === 'string' && !shape.test(v.trim()) ? Number.NaN : v);

/** A whole number setting from `min` to `max`, `fallback` when unset; the message says what it counts. */
const wholeNumber = (what: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => plainNumber(emptyToUndefined(v), /^\d+$/),
    z.coerce
      .number({ invalid_type_error: `must be written as a whole number (${what})` })
      .int(`must be a whole number (${what})`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const rawSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
  TEAMSFX_ENV: z.preprocess(emptyToUndefined, z.string().default('local')),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').min(0).max(65535).default(3978),
  ),
  HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((h) => isIP(h) !== 0 || hostName.test(h), 'must be an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0 (no scheme, port or brackets)')
      .optional(),
  ),
  BOT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'must be the bot\'s Microsoft App ID (a GUID)').optional()),
  SECRET_BOT_PASSWORD: optionalString,
  BOT_TYPE: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  BOT_TENANT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'must be a tenant id (GUID)').optional()),
  ALLOWED_TENANT_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean) : []))
      .refine((ids) => ids.every((id) => guid.test(id)), 'must be a comma-separated list of tenant ids (GUIDs)'),
  ),
  STORE: z.preprocess(emptyToUndefined, z.enum(['sqlite', 'mssql']).default('sqlite')),
  SQLITE_PATH: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_SQLITE_PATH)),
  // The bot's SQLite page cache; `npm run import` keeps the driver's 16 MB (a batch job reads each page once).
  SQLITE_CACHE_MB: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of megabytes' }).int().min(2).max(4096).default(DEFAULT_SQLITE_CACHE_MB)),
  MSSQL_CONNECTION_STRING: optionalString,
  MSSQL_SCHEMA: z.preprocess(
    emptyToUndefined,
    z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be a plain schema name (letters, digits, _), e.g. lexsarah or dbo').default('dbo'),
  ),
  MSSQL_REQUEST_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of milliseconds' }).int().min(1000).max(600_000).optional()),
  MSSQL_LONG_REQUEST_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'must be a number of milliseconds' })
      .int()
      .refine((n) => n === 0 || (n >= 10_000 && n <= 24 * 3600_000), 'must be 0 (no limit) or between 10000 and 86400000 milliseconds')
      .default(15 * 60_000),
  ),
  MSSQL_LONG_POOL_MAX: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'must be a whole number of connections from 1 to 50' })
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= 50, 'must be a whole number of connections from 1 to 50')
      .optional(),
  ),
  MSSQL_CONNECT_RETRY_MS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of milliseconds' }).int().min(0).max(3600_000).default(120_000)),
  TIME_ZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('Europe/Stockholm')
      .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Europe/Stockholm'),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
  ORG_FILE: optionalString,
  MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024)),
  REMINDER_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(24 * 3600_000).default(10 * 60_000)),
  DELIVERY_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(600_000).default(60_000)),
  ANMALAN_SLA_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of days' }).int().min(1).max(90).default(14)),
  ASSESSMENT_WORKING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of working days' }).int().min(0).max(20).default(3)),
  ASSESSMENT_WORKING_DAYS_URGENT: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of working days' }).int().min(0).max(20).default(1)),
  INVESTIGATION_TO_IVO_MONTHS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of months' }).int().min(1).max(12).default(2)),
  CASE_CLOSING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of days' }).int().min(1).max(365).default(30)),
  PUBLIC_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('must be the address Teams users reach the bot at, e.g. https://lexsarah.kommun.se')
      .refine((u) => /^https?:\/\//.test(u), 'must start with https:// (or http:// for local use)')
      .optional(),
  ),
  SECRET_IMPORT_API_KEY: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters (generate one, e.g. openssl rand -hex 32)').optional()),
  IMPORT_MAX_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(64 * 1024 * 1024)),
  IMPORT_CLOSE_MISSING: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) }).default('true')),
  CASEWORK_WARN_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of days' }).int().min(0).max(60).default(7)),
  // Local policy, not law: a court judgment applies at once; this is when an unexecuted one shows as late.
  CASEWORK_JUDGMENT_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of days' }).int().min(0).max(90).default(14)),
  REVIEW_ESCALATION_WORKING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'must be a number of working days' }).int().min(1).max(20).default(3)),
  DEFACTO_HOLIDAYS: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) }).default('true')),
  // The pattern alerts' thresholds (issue #16): local policy, none of them law. The defaults are
  // src/patterns/rules.ts DEFAULT_PATTERN_RULES (test/config.test.ts holds them equal).
  PATTERN_UNIT_REPORTS_COUNT: wholeNumber('a number of rapporter', 2, 1000, 3),
  PATTERN_UNIT_REPORTS_DAYS: wholeNumber('a number of days', 1, 366, 30),
  PATTERN_CATEGORY_REPORTS_COUNT: wholeNumber('a number of rapporter', 2, 1000, 3),
  PATTERN_CATEGORY_REPORTS_DAYS: wholeNumber('a number of days', 1, 366, 30),
  PATTERN_REPEATED_COUNT: wholeNumber('a number of rapporter', 2, 1000, 2),
  PATTERN_REPEATED_DAYS: wholeNumber('a number of days', 1, 366, 90),
  PATTERN_OVERDUE_SHARE: z.preprocess(
    (v) => plainNumber(emptyToUndefined(v), /^\d*\.?\d+$/),
    z.coerce.number({ invalid_type_error: 'must be a fraction such as 0.2 (a fifth)' }).min(0, 'must be a fraction from 0 up to (not including) 1').lt(1, 'must be a fraction from 0 up to (not including) 1, e.g. 0.2').default(0.2),
  ),
  PATTERN_OVERDUE_MIN_ITEMS: wholeNumber('a number of casework items', 1, 100_000, 5),
  // Shorter than the 26 weeks the weekly rules read (src/patterns/weekly.ts HISTORY_WEEKS): a run
  // as long as the history could never be told apart from the one told before it.
  PATTERN_OVERDUE_WEEKS: wholeNumber('a number of weeks', 1, 25, 2),
  PATTERN_MISSED_REVIEWS_WEEKS: wholeNumber('a number of weeks', 1, 25, 2),
  TEST_CLOCK_START: z.preprocess(
    emptyToUndefined,
    z.string().datetime({ offset: true, message: 'must be an ISO instant such as 2026-11-23T07:59:30Z' }).optional(),
  ),
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(60_000).default(10_000)),
  REPORT_UNKNOWN_PERSON: z.preprocess(emptyToUndefined, z.enum(['refuse', 'allow'], { errorMap: () => ({ message: 'must be refuse or allow' }) }).default('refuse')),
  DEMO_DATA: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], { errorMap: () => ({ message: 'must be on or off' }) }).optional()),
});

/** The demo organisation a newcomer gets when no ORG_FILE is set outside production. */
export const DEMO_ORG_FILE = 'env/organisation.demo.yaml';

/**
 * Whether the environment allows the demo history, and if not why: the one place this is decided
 * (the start checks the database too, src/app.ts; scripts/dev.ts says what was decided here).
 */
export type DemoDataDecision = { on: true } | { on: false; because: 'org-file' | 'production' | 'demo-data-off' | 'off-outside-development' };

export function demoDataDecision(r: { ORG_FILE?: string | undefined; NODE_ENV: Config['nodeEnv']; DEMO_DATA?: 'on' | 'off' | undefined }): DemoDataDecision {
  if (r.ORG_FILE) return { on: false, because: 'org-file' };
  if (r.NODE_ENV === 'production') return { on: false, because: 'production' };
  if (r.DEMO_DATA === 'off') return { on: false, because: 'demo-data-off' };
  if (!r.DEMO_DATA && r.NODE_ENV !== 'development') return { on: false, because: 'off-outside-development' };
  return { on: true };
}

export interface BotIdentity {
  appId: string;
  password?: string;
  type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  /**
   * Seed the demo organisation's fictional history on first start (src/demo). On by default in
   * development with the demo organisation; never with a real ORG_FILE or in production.
   */
  demoData: boolean;
  /** Why demoData is what it is (for the dev runner's message). */
  demoDataDecision: DemoDataDecision;
  /**
   * A person missing from the organisation file: 'refuse' explains why they cannot report here;
   * 'allow' lets them choose any unit, the report routed to that nämnd's samordnare.
   */
  reportUnknownPerson: 'refuse' | 'allow';
  envName: string;
  port: number;
  /**
   * The address to listen on. Loopback outside production, so a developer's bot (which then does
   * not authenticate requests) is not reachable from the network; every interface in production.
   */
  host: string;
  /** Undefined in local development: requests are then not authenticated (Agents Playground). */
  bot?: BotIdentity;
  allowedTenantIds: string[];
  store:
    | { kind: 'sqlite'; path: string; cacheMb: number }
    | {
        kind: 'mssql';
        connectionString: string;
        /** The schema of the bot's objects; the database user's default schema must be this one (checked at start). */
        schema: string;
        /** Interactive requests; unset: the connection string's Request Timeout, else 15 s. */
        requestTimeoutMs?: number;
        /** Migrations, organisation sync, casework import; 0 means none. */
        longRequestTimeoutMs: number;
        /** Connections of the long-work pool (never more than the main pool's Max Pool Size); unset: the adapter's default, 2. */
        longPoolMax?: number;
        /** How long start-up keeps retrying a transient connect failure (a serverless database resuming). */
        connectRetryMs: number;
      };
  timeZone: string;
  logLevel: (typeof LOG_LEVELS)[number];
  orgFile: string;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  /** How often the case reminder job runs; 0 turns it off. */
  reminderIntervalMs: number;
  /** How long a delivery worker holds an outbox row per claim (renewed while a send is slow); after a crash its rows wait this long. */
  deliveryLeaseMs: number;
  /** Local policy for "snarast": days from a decision that requires an anmälan to the filing. */
  anmalanSlaDays: number;
  /** Local policy for "genast" (SoL 27 kap. 5 §): working days from receipt to the seriousness assessment. */
  assessmentWorkingDays: number;
  /** The same for a BRÅDSKANDE report; never more than assessmentWorkingDays. */
  assessmentWorkingDaysUrgent: number;
  /** Local policy, not law: calendar days from a decision needing no anmälan (or the investigation at IVO) to closing the case. */
  caseClosingDays: number;
  /** Where users' browsers reach the bot (download links); undefined: http://localhost:<port>. */
  publicBaseUrl?: string;
  /** Local policy / praxis, not law: months from the anmälan to send an investigation that was not attached. */
  investigationToIvoMonths: number;
  /** The pattern alerts' thresholds (src/patterns/rules.ts PatternRules): local policy. */
  patternRules: {
    unitReports: { count: number; windowDays: number };
    categoryReports: { count: number; windowDays: number };
    repeatedBefore: { count: number; windowDays: number };
    overdueShare: { share: number; minItems: number; weeks: number };
    missedReviews: { weeks: number };
  };
  review: {
    /** Working days after the due day before the nämnd's chefer are told (local policy). */
    escalationWorkingDays: number;
    /** Treat julafton, midsommarafton and nyårsafton as non-working days. */
    deFactoHolidays: boolean;
  };
  /** For tests and demos: the bot's clock starts at this instant and runs from there. */
  testClockStart?: Date;
  casework: {
    /** The push endpoint exists only when a key is set. */
    importApiKey?: string;
    importMaxBytes: number;
    /** Whether a full import closes open items it no longer contains. */
    closeMissing: boolean;
    /** Days before a due date an item counts as "närmar sig". */
    warnDays: number;
    /** Local policy (not law): days to carry out a court judgment before it shows as late. */
    judgmentDays: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = rawSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  const r = parsed.data;
  const problems: string[] = [];
  if (r.NODE_ENV === 'production' && !r.BOT_ID) {
    problems.push('BOT_ID: must be set when NODE_ENV=production (without it, requests are not authenticated)');
  }
  if (r.BOT_ID && r.BOT_TYPE !== 'UserAssignedMSI' && !r.SECRET_BOT_PASSWORD) {
    problems.push(`SECRET_BOT_PASSWORD: must be set when BOT_ID is set and BOT_TYPE is ${r.BOT_TYPE}`);
  }
  if (r.BOT_ID && r.BOT_TYPE !== 'MultiTenant' && !r.BOT_TENANT_ID) {
    problems.push(`BOT_TENANT_ID: must be set when BOT_TYPE is ${r.BOT_TYPE}`);
  }
  if (r.STORE === 'mssql' && !r.MSSQL_CONNECTION_STRING) {
    problems.push('MSSQL_CONNECTION_STRING: must be set when STORE=mssql');
  }
  if (r.NODE_ENV === 'production' && r.ALLOWED_TENANT_IDS.length === 0) {
    // A Bot Framework registration answers any tenant that installs the app: the municipality's own
    // tenant must be named, or staff of any organisation could file reports and read the directory.
    problems.push("ALLOWED_TENANT_IDS: must be set when NODE_ENV=production (the municipality's Entra tenant id, or several separated by commas)");
  }
  if (r.NODE_ENV === 'production' && !r.ORG_FILE) {
    problems.push('ORG_FILE: must be set when NODE_ENV=production (the demo organisation is for local use only)');
  }
  if (r.NODE_ENV === 'production' && r.TEST_CLOCK_START) {
    problems.push('TEST_CLOCK_START: must not be set when NODE_ENV=production (it moves the bot\'s clock, for tests and demos only)');
  }
  if (r.DEMO_DATA === 'on' && (r.NODE_ENV === 'production' || r.ORG_FILE)) {
    // The fictional history belongs to the demo organisation only: never mixed into real data.
    problems.push('DEMO_DATA: must not be on when NODE_ENV=production or ORG_FILE is set (the demo history is for the demo organisation only)');
  }
  if (r.ASSESSMENT_WORKING_DAYS_URGENT > r.ASSESSMENT_WORKING_DAYS) {
    problems.push(`ASSESSMENT_WORKING_DAYS_URGENT: must not be more than ASSESSMENT_WORKING_DAYS (${r.ASSESSMENT_WORKING_DAYS}): an urgent report is never given longer`);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    nodeEnv: r.NODE_ENV,
    envName: r.TEAMSFX_ENV,
    port: r.PORT,
    host: r.HOST ?? (r.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    ...(r.BOT_ID
      ? {
          bot: {
            appId: r.BOT_ID,
            type: r.BOT_TYPE,
            ...(r.SECRET_BOT_PASSWORD ? { password: r.SECRET_BOT_PASSWORD } : {}),
            ...(r.BOT_TENANT_ID ? { tenantId: r.BOT_TENANT_ID } : {}),
          },
        }
      : {}),
    allowedTenantIds: r.ALLOWED_TENANT_IDS,
    store:
      r.STORE === 'mssql'
        ? {
            kind: 'mssql',
            connectionString: r.MSSQL_CONNECTION_STRING!,
            schema: r.MSSQL_SCHEMA,
            ...(r.MSSQL_REQUEST_TIMEOUT_MS !== undefined ? { requestTimeoutMs: r.MSSQL_REQUEST_TIMEOUT_MS } : {}),
            longRequestTimeoutMs: r.MSSQL_LONG_REQUEST_TIMEOUT_MS,
            ...(r.MSSQL_LONG_POOL_MAX !== undefined ? { longPoolMax: r.MSSQL_LONG_POOL_MAX } : {}),
            connectRetryMs: r.MSSQL_CONNECT_RETRY_MS,
          }
        : { kind: 'sqlite', path: r.SQLITE_PATH, cacheMb: r.SQLITE_CACHE_MB },
    timeZone: r.TIME_ZONE,
    logLevel: r.LOG_LEVEL,
    orgFile: r.ORG_FILE ?? DEMO_ORG_FILE,
    maxBodyBytes: r.MAX_BODY_BYTES,
    shutdownTimeoutMs: r.SHUTDOWN_TIMEOUT_MS,
    reportUnknownPerson: r.REPORT_UNKNOWN_PERSON,
    demoData: demoDataDecision(r).on,
    demoDataDecision: demoDataDecision(r),
    reminderIntervalMs: r.REMINDER_INTERVAL_MS,
    deliveryLeaseMs: r.DELIVERY_LEASE_MS,
    anmalanSlaDays: r.ANMALAN_SLA_DAYS,
    assessmentWorkingDays: r.ASSESSMENT_WORKING_DAYS,
    assessmentWorkingDaysUrgent: r.ASSESSMENT_WORKING_DAYS_URGENT,
    investigationToIvoMonths: r.INVESTIGATION_TO_IVO_MONTHS,
    caseClosingDays: r.CASE_CLOSING_DAYS,
    ...(r.PUBLIC_BASE_URL ? { publicBaseUrl: r.PUBLIC_BASE_URL } : {}),
    ...(r.TEST_CLOCK_START ? { testClockStart: new Date(r.TEST_CLOCK_START) } : {}),
    review: { escalationWorkingDays: r.REVIEW_ESCALATION_WORKING_DAYS, deFactoHolidays: r.DEFACTO_HOLIDAYS === 'true' },
    patternRules: {
      unitReports: { count: r.PATTERN_UNIT_REPORTS_COUNT, windowDays: r.PATTERN_UNIT_REPORTS_DAYS },
      categoryReports: { count: r.PATTERN_CATEGORY_REPORTS_COUNT, windowDays: r.PATTERN_CATEGORY_REPORTS_DAYS },
      repeatedBefore: { count: r.PATTERN_REPEATED_COUNT, windowDays: r.PATTERN_REPEATED_DAYS },
      overdueShare: { share: r.PATTERN_OVERDUE_SHARE, minItems: r.PATTERN_OVERDUE_MIN_ITEMS, weeks: r.PATTERN_OVERDUE_WEEKS },
      missedReviews: { weeks: r.PATTERN_MISSED_REVIEWS_WEEKS },
    },
    casework: {
      ...(r.SECRET_IMPORT_API_KEY ? { importApiKey: r.SECRET_IMPORT_API_KEY } : {}),
      importMaxBytes: r.IMPORT_MAX_BYTES,
      closeMissing: r.IMPORT_CLOSE_MISSING === 'true',
      warnDays: r.CASEWORK_WARN_DAYS,
      judgmentDays: r.CASEWORK_JUDGMENT_DAYS,
    },
  };
}

/**
 * Relative paths in settings (ORG_FILE, SQLITE_PATH) are taken from the project folder, so the bot
 * finds its files whatever folder it is started from.
 */
export function resolveConfigPaths(config: Config, baseDir: string): Config {
  const abs = (p: string) => (p === ':memory:' ? p : path.resolve(baseDir, p));
  return {
    ...config,
    orgFile: abs(config.orgFile),
    store: config.store.kind === 'sqlite' ? { ...config.store, path: abs(config.store.path) } : config.store,
  };
}

/** The clock the app runs on: real time, or a test clock that starts at TEST_CLOCK_START and runs on. */
export function clockFor(config: Pick<Config, 'testClockStart'>, real: () => number = Date.now): () => Date {
  const start = config.testClockStart;
  if (!start) return () => new Date(real());
  const offset = start.getTime() - real();
  return () => new Date(real() + offset);
}
