/**
 * The bench municipality, shared by bench/status-summary.ts, bench/review.ts and (its export
 * generator) bench/casework-import.ts: 10 nämnder × 20 units, 1,000,000 rapporter over five years
 * and 1,000,000 casework items, with one unit (REVIEW_UNIT) that holds ~1,000 open lex Sarah cases
 * and 5,000 open casework items for the weekly review. "Now" is 2026-11-25 11:00 in Stockholm; the
 * bot processes run on a test clock that starts there.
 *
 * The bulk is written with SQL (recursive CTEs), so seeding takes seconds rather than hours, into
 * a database at schema version SEED_SCHEMA_VERSION (the version this SQL was written for); then
 * the current migrations run over it, as over a production database being upgraded, followed by
 * the start-up work the bot does on such a database (the casework deadline backfill). The review
 * unit's casework goes through the real import. So later schema changes (stored deadlines, new
 * columns) apply to the bench data as they would to real data, without editing this file, as long
 * as the migrations and the start-up backfills carry existing rows along.
 *
 * The spread is deliberately harsh: 3 % of all rapporter still open, many of them years old (about
 * 3,400 open cases per nämnd, far more than in life), 5 % anmälda to IVO, 70 % of the casework
 * open with deadlines from 60 days ago to 340 days ahead (15 % overdue). The review unit is the
 * realistic exception: its open cases are from the last six months, in every state, and its
 * casework clocks are spread so that about one in seven is overdue.
 */
import { writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { backfillCaseworkDeadlines, importCasework } from '../src/casework/import';
import { calendarDayOf } from '../src/casework/rules';
import { refreshReviewRanks } from '../src/casework/stored-ranks';
import { createLogger } from '../src/log/logger';
import type { Organisation } from '../src/org/schema';
import { sqliteMigrations } from '../src/store/sqlite/migrations';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
// Type only: the harness loads the whole app, which the in-process status summary must not carry.
import type { Person } from '../test/delivery/submits.bench-harness';
import { DAY_MS, HANDLAGGARE_IN_EXPORT, makeCaseworkCsv, type CsvType } from './casework-csv';

export const NOW = new Date('2026-11-25T10:00:00.000Z');
export const TIME_ZONE = 'Europe/Stockholm';
export const COMMITTEES = 10;
export const UNITS_PER_COMMITTEE = 20;
export const MUNICIPALITY_ROWS = 1_000_000;
/** The unit whose `genomgång` bench/review.ts measures (nämnd 0, the chef's). */
export const REVIEW_UNIT = 'enhet-0-0';
export const REVIEW_OPEN_CASES = 1_000;
export const REVIEW_CASEWORK = 5_000;
/** The schema the seeding SQL below was written for; later migrations run over the seeded data. */
export const SEED_SCHEMA_VERSION = 13;


// --- People ----------------------------------------------------------------------------------

const guid = (group: string, n: number) => `${group}-0000-0000-0000-${String(n).padStart(12, '0')}`;
const teams = (entraId: string, name: string, tag: string): Person => ({ id: `29:bench-${tag}`, aadObjectId: entraId, name });

/** The people the benchmarks act as (Teams ids for the HTTP turns; conversations differ by the id's last two digits). */
export const BENCH_PEOPLE = {
  /** Chef of nämnd 0: `status` is one nämnd of 20 units. */
  chef: teams('bbbbbbbb-0000-0000-0000-000000000001', 'Chef Ett', 'chef'),
  /** Samordnare of every nämnd: `status` is the whole municipality. */
  samordnare: teams('bbbbbbbb-0000-0000-0000-000000000002', 'Samordnare Alla', 'samordnare'),
  /** The review unit's two enhetschefer. */
  enhetschefA: teams('bbbbbbbb-0000-0000-0000-000000000003', 'Enhetschef Ett', 'enhetschef-a'),
  enhetschefB: teams('bbbbbbbb-0000-0000-0000-000000000004', 'Enhetschef Två', 'enhetschef-b'),
} as const;

/** Handläggare of the review unit: 40 in the organisation file, of the 50 addresses the export uses (the rest have left). */
const HANDLAGGARE_LISTED = 40;
const handlaggareEmail = (n: number) => `h${n}@kommun.example`;
const handlaggareId = (n: number) => guid('cccccccc', n);
const handlaggareName = (n: number) => `Handläggare ${n}`;

export function benchOrganisation(): Organisation {
  const { chef, samordnare, enhetschefA, enhetschefB } = BENCH_PEOPLE;
  return {
    municipality: 'Benchby kommun',
    committees: Array.from({ length: COMMITTEES }, (_, c) => ({
      id: `namnd-${c}`,
      name: `Nämnd ${c}`,
      units: Array.from({ length: UNITS_PER_COMMITTEE }, (_, u) => ({ id: `enhet-${c}-${u}`, name: `Enhet ${c}-${u}`, area: 'barn-och-unga' as const })),
    })),
    people: [
      { entraId: chef.aadObjectId, name: chef.name, roles: [{ role: 'chef' as const, committee: 'namnd-0' }] },
      { entraId: samordnare.aadObjectId, name: samordnare.name, roles: Array.from({ length: COMMITTEES }, (_, c) => ({ role: 'samordnare' as const, committee: `namnd-${c}` })) },
      { entraId: enhetschefA.aadObjectId, name: enhetschefA.name, roles: [{ role: 'enhetschef' as const, unit: REVIEW_UNIT }] },
      { entraId: enhetschefB.aadObjectId, name: enhetschefB.name, roles: [{ role: 'enhetschef' as const, unit: REVIEW_UNIT }] },
      ...Array.from({ length: HANDLAGGARE_LISTED }, (_, n) => ({
        entraId: handlaggareId(n), name: handlaggareName(n), email: handlaggareEmail(n), roles: [{ role: 'medarbetare' as const, unit: REVIEW_UNIT }],
      })),
    ],
  };
}

/** The organisation as a file for ORG_FILE (YAML, as the bot reads it). */
export function writeOrganisationFile(file: string): void {
  writeFileSync(file, stringify(benchOrganisation()));
}

// --- The case system's export ------------------------------------------------------------------

/**
 * The review unit's register: every row open, every row with a handläggare (a fifth of them no
 * longer in the organisation file), each type's start dates spread over its clock plus a little
 * more, so that about one in seven is overdue and a few are close.
 */
function reviewUnitCsv(): string {
  // Clock length + ~15 % past it: 14 days, 4 months, 6 months, 3 months.
  const span: Record<CsvType, number> = { forhandsbedomning: 17, barnavardsutredning: 140, 'overvagande-sol': 210, 'ej-verkstallt-beslut': 105 };
  const today = Date.UTC(2026, 10, 25);
  const csv = makeCaseworkCsv(REVIEW_CASEWORK, { units: [REVIEW_UNIT], days: (t) => ({ first: today - span[t] * DAY_MS, span: span[t] }) });
  // Every type with a handläggare (the generator names one for förhandsbedömningar only).
  return csv.replace(/^([^;]+;[^;]+;[^;]+);;/gm, (_, head: string) => `${head};h${hash(head) % HANDLAGGARE_IN_EXPORT}@kommun.example;`);
}

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

// --- Seeding ---------------------------------------------------------------------------------

export interface SeededMunicipality {
  file: string;
  reports: number;
  casework: number;
  reviewUnit: { openCases: number; casework: number };
  /** The SQL bulk, at SEED_SCHEMA_VERSION. */
  sqlMs: number;
  /** The migrations since, the organisation sync, the review unit's import and the deadline backfill. */
  upgradeMs: number;
  backfilled: number;
  /**
   * The casework review ranks computed for today (as a municipality that has run a day has them),
   * and how long that took: the one-time work the first weekly sweep after the upgrade does in the
   * bot (between its turns), left out of the turns measured.
   */
  ranked: number;
  rankMs: number;
}

/** The bot's local limit for court judgments (CASEWORK_JUDGMENT_DAYS' default): part of the ranks' basis, so the bot keeps what the seed stored. */
const BOT_JUDGMENT_DAYS = 14;

/** Ranks every open casework item of the municipality for NOW's day, as the bot's weekly sweep would. */
async function rankAll(store: SqliteStore): Promise<Pick<SeededMunicipality, 'ranked' | 'rankMs'>> {
  const started = Date.now();
  const today = calendarDayOf(NOW, TIME_ZONE);
  let ranked = 0;
  // Unit by unit, as the sweep asks (caseworkNow): each batch then reads one unit's stale rows, not the municipality's.
  for (const c of benchOrganisation().committees) {
    for (const u of c.units) ranked += await refreshReviewRanks({ store, timeZone: TIME_ZONE, judgmentDays: BOT_JUDGMENT_DAYS }, [u.id], today);
  }
  return { ranked, rankMs: Date.now() - started };
}

type Db = Database.Database;
const dbOf = (store: SqliteStore) => (store as unknown as { db: Db }).db;

/** Seeds a new SQLite file with the bench municipality (see the top of this file). */
export async function seedMunicipality(file: string, rows = Number(process.env.STATUS_BENCH_ROWS ?? MUNICIPALITY_ROWS)): Promise<SeededMunicipality> {
  const started = Date.now();
  const old = SqliteStore.open({ filename: file, migrations: sqliteMigrations.filter((m) => m.version <= SEED_SCHEMA_VERSION) });
  try {
    await old.migrate();
    seedSql(dbOf(old), rows);
  } finally {
    await old.close();
  }
  const sqlMs = Date.now() - started;

  const store = SqliteStore.open({ filename: file });
  try {
    await store.migrate();
    const org = benchOrganisation();
    await store.organisation.sync(org, new Date('2026-11-01T00:00:00Z'));
    const logger = createLogger('silent');
    const out = await importCasework(
      { store, unitIds: () => org.committees.flatMap((c) => c.units.map((u) => u.id)), now: () => NOW, timeZone: TIME_ZONE, closeMissing: false, logger },
      { source: 'bench-enhet', csv: reviewUnitCsv(), full: false, actor: 'bench' },
    );
    if (!out.ok) throw new Error(`bench: the review unit's casework did not import: ${JSON.stringify(out.errors.slice(0, 3))}`);
    // What the bot does at start-up on an upgraded database, before anyone asks for a summary.
    const backfilled = await backfillCaseworkDeadlines({ store, timeZone: TIME_ZONE, logger });
    const upgradeMs = Date.now() - started - sqlMs;
    const ranks = await rankAll(store);
    const db = dbOf(store);
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ...describe(db, file), sqlMs, upgradeMs, backfilled, ...ranks };
  } finally {
    await store.close();
  }
}

function describe(db: Db, file: string): Pick<SeededMunicipality, 'file' | 'reports' | 'casework' | 'reviewUnit'> {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    file,
    reports: n('SELECT COUNT(*) AS n FROM reports'),
    casework: n('SELECT COUNT(*) AS n FROM casework_items'),
    reviewUnit: {
      openCases: n(`SELECT COUNT(*) AS n FROM reports WHERE unit_id = '${REVIEW_UNIT}' AND state <> 'avslutad'`),
      casework: n(`SELECT COUNT(*) AS n FROM casework_items WHERE unit_id = '${REVIEW_UNIT}' AND status = 'oppen'`),
    },
  };
}

/**
 * A municipality seeded by an earlier run (BENCH_MUNICIPALITY_DB, for profiling and repeated
 * runs while working on the code): migrated to the current schema, not seeded again.
 */
export async function reuseMunicipality(file: string): Promise<SeededMunicipality> {
  const store = SqliteStore.open({ filename: file });
  try {
    await store.migrate();
    const backfilled = await backfillCaseworkDeadlines({ store, timeZone: TIME_ZONE, logger: createLogger('silent') });
    return { ...describe(dbOf(store), file), sqlMs: 0, upgradeMs: 0, backfilled, ...(await rankAll(store)) };
  } finally {
    await store.close();
  }
}

/** The bulk, in SQL alone, at SEED_SCHEMA_VERSION. */
function seedSql(db: Db, rows: number): void {
  const units = COMMITTEES * UNITS_PER_COMMITTEE;
  // The review unit's open cases are its own (below); its share of the bulk is closed.
  const base = rows - REVIEW_OPEN_CASES;
  const reviewUnitIndex = 0; // REVIEW_UNIT = 'enhet-' || (0 / per) || '-' || (0 % per)
  const h = (n: string) => `'${handlaggareId(0).slice(0, -12)}' || printf('%012d', ${n})`;
  // Whole numbers inlined (constants, not input): bound JS numbers would divide as REAL.
  const sql = (text: string) =>
    text
      .replaceAll('@units', String(units))
      .replaceAll('@per', String(UNITS_PER_COMMITTEE))
      .replaceAll('@base', String(base))
      .replaceAll('@extra', String(REVIEW_OPEN_CASES))
      .replaceAll('@review', String(reviewUnitIndex))
      .replaceAll('@listed', String(HANDLAGGARE_LISTED))
      .replaceAll('@rows', String(rows));
  const unitOf = (i: string) => `'enhet-' || ((${i} % @units) / @per) || '-' || ((${i} % @units) % @per)`;
  // The units come with the organisation sync after the upgrade.
  db.pragma('foreign_keys = OFF');
  db.exec('PRAGMA synchronous = OFF');
  db.transaction(() => {
    // Reports: id n, unit n % units, created over 5 years up to "now" (2026-11-25), newest last.
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @base)
       INSERT INTO reports (id, reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
         occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened, consequences,
         immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before, case_reference, urgent,
         state, created_at, updated_at)
       SELECT i, 'LS-B-' || i, 2026, i, 'form-' || i, ${unitOf('i')}, 'namnd-' || ((i % @units) / @per),
         'rapportor', 'Rapportör', t, 0, t, 0, 'plats', 'insatser', 'text', 'text', '', 'ja', 'nej', 'nej', 'nej', 'nej', 'nej', NULL, 0,
         CASE WHEN (i / 211) % 100 >= 3 OR i % @units = @review THEN 'avslutad' WHEN i % 4 = 0 THEN 'rapporterad' WHEN i % 4 = 1 THEN 'under-utredning' WHEN i % 4 = 2 THEN 'bedomd' ELSE 'anmald' END,
         t, t
       FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', '2021-11-25', '+' || (i * 157680000 / @base) || ' seconds') AS t FROM n)`),
    );
    // The review unit's open cases: from the last 180 days, newest first (j = 0). Under 14 days
    // old, or every tenth (left unassessed), still rapporterad; then under utredning, bedömd (an
    // anmälan required for a quarter of them) and anmäld in turn; one in seven brådskande.
    db.exec(
      sql(`WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < @extra - 1)
       INSERT INTO reports (id, reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
         occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened, consequences,
         immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before, case_reference, urgent,
         state, created_at, updated_at)
       SELECT @base + 1 + j, 'LS-B-' || (@base + 1 + j), 2026, @base + 1 + j, 'form-' || (@base + 1 + j), ${unitOf('@review')}, 'namnd-0',
         'rapportor', 'Rapportör', t, 0, t, 0, 'plats', 'insatser', 'text', 'text', '', 'ja', CASE WHEN j % 7 = 0 THEN 'ja' ELSE 'nej' END,
         'nej', 'nej', 'nej', 'nej', NULL, CASE WHEN j % 7 = 0 THEN 1 ELSE 0 END,
         CASE WHEN j % 10 = 0 OR j * 180 / @extra < 14 THEN 'rapporterad' WHEN j % 4 IN (0, 1) THEN 'under-utredning' WHEN j % 4 = 2 THEN 'bedomd' ELSE 'anmald' END,
         t, t
       FROM (SELECT j, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-25T10:00:00Z', '-' || (3600 + j * 15552000 / @extra) || ' seconds') AS t FROM k)`),
    );
    // Their utredare: the unit's handläggare (as appointed, by Entra id and name).
    db.exec(
      sql(`INSERT INTO case_investigations (report_id, utredare_entra_id, utredare_name, started_at)
       SELECT id, ${h('id % @listed')}, 'Handläggare ' || (id % @listed), strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 day')
       FROM reports WHERE id > @base AND state <> 'rapporterad'`),
    );
    // Decisions for every report that got one (bedomd, anmald, a third of the closed; the review unit's as above).
    db.exec(
      sql(`INSERT INTO case_decisions (report_id, answers_json, recommended_outcome, recommendation_json, decided_outcome, requires_anmalan,
         decided_by_entra_id, decided_by_name, decided_at)
       SELECT id, '{}', 'x', '{}', 'x',
         CASE WHEN id > @base THEN (state = 'anmald' OR (id - @base - 1) % 16 = 2)
              WHEN state IN ('bedomd', 'anmald') OR id % 20 = 0 THEN 1 ELSE 0 END,
         'chef', 'Chef', strftime('%Y-%m-%dT%H:%M:%fZ', created_at, CASE WHEN id > @base THEN '+10 days' ELSE '+2 days' END)
       FROM reports WHERE state IN ('bedomd', 'anmald') OR (state = 'avslutad' AND id % 3 = 0)`),
    );
    // Filings: the anmälda, and every 20th closed report.
    db.exec(
      sql(`INSERT INTO case_filings (report_id, filed_on, ivo_diarienummer, investigation_attached, investigation_sent_on,
         recorded_by_entra_id, recorded_by_name, recorded_at)
       SELECT id, date(created_at, CASE WHEN id > @base THEN '+12 days' ELSE '+5 days' END), 'dnr', id % 2,
         CASE WHEN state = 'avslutad' AND id % 2 = 0 THEN date(created_at, '+40 days') END, 'chef', 'Chef', created_at
       FROM reports WHERE state = 'anmald' OR (state = 'avslutad' AND id % 20 = 0)`),
    );
    // Casework of every unit but the review unit (imported below): the start day each type's
    // clock runs from, consistent with the stored deadline (which the status counts read).
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
       INSERT INTO casework_items (source, case_reference, item_type, unit_id, handlaggare, status, orosanmalan_mottagen,
         utredning_inledd, placering_start, beslutsdatum, updated_at, closed_at, due_on, stops_on, opening_key)
       SELECT 'bench', 'BoU ' || i, type, ${unitOf('i')}, NULL, status,
         CASE type WHEN 'forhandsbedomning' THEN date(due, '-14 days') END,
         CASE type WHEN 'barnavardsutredning' THEN date(due, '-4 months') END,
         CASE type WHEN 'overvagande-sol' THEN date(due, '-6 months') END,
         CASE type WHEN 'ej-verkstallt-beslut' THEN date(due, '-3 months') END,
         '2026-11-25T00:00:00Z', NULL, due, stops,
         CASE type WHEN 'barnavardsutredning' THEN date(due, '-4 months') ELSE '' END
       FROM (SELECT i,
               CASE i % 4 WHEN 0 THEN 'forhandsbedomning' WHEN 1 THEN 'barnavardsutredning' WHEN 2 THEN 'overvagande-sol' ELSE 'ej-verkstallt-beslut' END AS type,
               CASE WHEN i % 10 < 7 THEN 'oppen' ELSE 'avslutad' END AS status,
               date('2026-11-25', ((i * 7919) % 400 - 60) || ' days') AS due,
               CASE WHEN i % 4 = 3 AND i % 8 = 7 THEN date('2026-11-25', ((i * 31) % 60 - 30) || ' days') END AS stops
             FROM n WHERE i % @units <> @review)`),
    );
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
       INSERT INTO delivery_failures (at, recipient_entra_id, recipient_name, unit_id, committee_id, purpose, entity_ref, status, error)
       SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-11-25', '+' || (i * 1577) || ' seconds'), 'person-' || (i % 300), 'Person ' || (i % 300),
         ${unitOf('i')}, 'namnd-' || ((i % @units) / @per), 'review-reminder', 'x', 'failed', '403'
       FROM n`),
    );
    // Reviews: two weeks in three done, for weeks 1–48 of 2026 (the review unit's week 48 is not).
    db.exec(
      sql(`WITH RECURSIVE w(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM w WHERE k < 48),
                     u(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM u WHERE j < @units - 1)
       INSERT INTO review_records (unit_id, week_key, done_by_entra_id, done_by_name, done_at)
       SELECT 'enhet-' || (j / @per) || '-' || (j % @per), '2026-W' || printf('%02d', k), 'chef', 'Chef', '2026-11-01T00:00:00Z'
       FROM w, u WHERE (j + k) % 3 <> 0`),
    );
  })();
  db.exec('PRAGMA synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}
