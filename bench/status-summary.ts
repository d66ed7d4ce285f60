/**
 * status-summary: the time to build a manager's status card (every query, the aggregation and
 * the rendered card) on a SQLite file holding 1,000,000 rapporter and 1,000,000 casework items.
 * Target (issue #7): p95 under 100 ms.
 *
 * The data is generated with SQL (recursive CTEs) so that seeding takes seconds, spread like a
 * large municipality's history: 10 nämnder × 20 units, five years of reports of which 3 % are
 * still open (far more than in life: a worst case for the lex Sarah clocks), 5 % anmälda to IVO,
 * 70 % of the casework open with deadlines from 60 days ago to 340 days ahead (15 % overdue).
 */
import { CardRenderer } from '../src/cards/render';
import { createLogger } from '../src/log/logger';
import { Directory } from '../src/org/directory';
import type { Organisation } from '../src/org/schema';
import { WorkingCalendar } from '../src/review/calendar';
import { statusAccess } from '../src/status/access';
import { statusCardData } from '../src/cards/status-cards';
import { parseStatusQuestion } from '../src/status/question';
import { StatusService } from '../src/status/service';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store';

const COMMITTEES = 10;
const UNITS_PER_COMMITTEE = 20;
export const STATUS_BENCH_ROWS = 1_000_000;

function organisation(): Organisation {
  return {
    municipality: 'Benchby kommun',
    committees: Array.from({ length: COMMITTEES }, (_, c) => ({
      id: `namnd-${c}`,
      name: `Nämnd ${c}`,
      units: Array.from({ length: UNITS_PER_COMMITTEE }, (_, u) => ({ id: `enhet-${c}-${u}`, name: `Enhet ${c}-${u}`, area: 'barn-och-unga' as const })),
    })),
    people: [
      { entraId: 'bbbbbbbb-0000-0000-0000-000000000001', name: 'Chef Ett', roles: [{ role: 'chef' as const, committee: 'namnd-0' }] },
      {
        entraId: 'bbbbbbbb-0000-0000-0000-000000000002',
        name: 'Samordnare Alla',
        roles: Array.from({ length: COMMITTEES }, (_, c) => ({ role: 'samordnare' as const, committee: `namnd-${c}` })),
      },
    ],
  };
}

/** Fills the database with SQL alone; returns how long it took. */
function seed(store: SqliteStore, rows: number): number {
  const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
  const start = Date.now();
  const units = COMMITTEES * UNITS_PER_COMMITTEE;
  // Whole numbers inlined (constants, not input): bound JS numbers would divide as REAL.
  const sql = (text: string) => text.replaceAll('@units', String(units)).replaceAll('@per', String(UNITS_PER_COMMITTEE)).replaceAll('@rows', String(rows));
  db.exec('PRAGMA synchronous = OFF');
  db.transaction(() => {
    // Reports: id n, unit n % units, created over 5 years up to "now" (2026-11-25), newest last.
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
       INSERT INTO reports (id, reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
         occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened, consequences,
         immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before, case_reference, urgent,
         state, created_at, updated_at)
       SELECT i, 'LS-B-' || i, 2026, i, 'form-' || i,
         'enhet-' || ((i % @units) / @per) || '-' || ((i % @units) % @per), 'namnd-' || ((i % @units) / @per),
         'rapportor', 'Rapportör', t, 0, t, 0, 'plats', 'insatser', 'text', 'text', '', 'ja', 'nej', 'nej', 'nej', 'nej', 'nej', NULL, 0,
         CASE WHEN (i / 211) % 100 >= 3 THEN 'avslutad' WHEN i % 4 = 0 THEN 'rapporterad' WHEN i % 4 = 1 THEN 'under-utredning' WHEN i % 4 = 2 THEN 'bedomd' ELSE 'anmald' END,
         t, t
       FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', '2021-11-25', '+' || (i * 157680000 / @rows) || ' seconds') AS t FROM n)`),
    );
    // Decisions for every report that got one (bedomd, anmald and a third of the closed).
    db.exec(
      `INSERT INTO case_decisions (report_id, answers_json, recommended_outcome, recommendation_json, decided_outcome, requires_anmalan,
         decided_by_entra_id, decided_by_name, decided_at)
       SELECT id, '{}', 'x', '{}', 'x', CASE WHEN state IN ('bedomd', 'anmald') OR id % 20 = 0 THEN 1 ELSE 0 END, 'chef', 'Chef',
         strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+2 days')
       FROM reports WHERE state IN ('bedomd', 'anmald') OR (state = 'avslutad' AND id % 3 = 0)`,
    );
    // Filings: the anmälda, and every 20th closed report.
    db.exec(
      `INSERT INTO case_filings (report_id, filed_on, ivo_diarienummer, investigation_attached, investigation_sent_on,
         recorded_by_entra_id, recorded_by_name, recorded_at)
       SELECT id, date(created_at, '+5 days'), 'dnr', id % 2, CASE WHEN state = 'avslutad' AND id % 2 = 0 THEN date(created_at, '+40 days') END,
         'chef', 'Chef', created_at
       FROM reports WHERE state = 'anmald' OR (state = 'avslutad' AND id % 20 = 0)`,
    );
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
       INSERT INTO casework_items (source, case_reference, item_type, unit_id, handlaggare, status, orosanmalan_mottagen,
         updated_at, closed_at, due_on, stops_on)
       SELECT 'bench', 'BoU ' || i,
         CASE i % 4 WHEN 0 THEN 'forhandsbedomning' WHEN 1 THEN 'barnavardsutredning' WHEN 2 THEN 'overvagande-sol' ELSE 'ej-verkstallt-beslut' END,
         'enhet-' || ((i % @units) / @per) || '-' || ((i % @units) % @per), NULL,
         CASE WHEN i % 10 < 7 THEN 'oppen' ELSE 'avslutad' END, '2026-01-01', '2026-11-25T00:00:00Z', NULL,
         date('2026-11-25', ((i * 7919) % 400 - 60) || ' days'),
         CASE WHEN i % 4 = 3 AND i % 8 = 7 THEN date('2026-11-25', ((i * 31) % 60 - 30) || ' days') END
       FROM n`),
    );
    db.exec(
      sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
       INSERT INTO delivery_failures (at, recipient_entra_id, recipient_name, unit_id, committee_id, purpose, entity_ref, status, error)
       SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-11-25', '+' || (i * 1577) || ' seconds'), 'person-' || (i % 300), 'Person ' || (i % 300),
         'enhet-' || ((i % @units) / @per) || '-' || ((i % @units) % @per), 'namnd-' || ((i % @units) / @per), 'review-reminder', 'x', 'failed', '403'
       FROM n`),
    );
    db.exec(
      sql(`WITH RECURSIVE w(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM w WHERE k < 48),
                     u(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM u WHERE j < @units - 1)
       INSERT INTO review_records (unit_id, week_key, done_by_entra_id, done_by_name, done_at)
       SELECT 'enhet-' || (j / @per) || '-' || (j % @per), '2026-W' || printf('%02d', k), 'chef', 'Chef', '2026-11-01T00:00:00Z'
       FROM w, u WHERE (j + k) % 3 <> 0`),
    );
  })();
  db.exec('ANALYZE');
  db.exec('PRAGMA synchronous = NORMAL');
  return Date.now() - start;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchStatusSummary(store: SqliteStore, out: (line: string) => void): Promise<void> {
  const org = organisation();
  await store.organisation.sync(org, new Date('2026-11-01T00:00:00Z'));
  const seedMs = seed(store, Number(process.env.STATUS_BENCH_ROWS ?? STATUS_BENCH_ROWS));
  const counts = store as unknown as { db: import('better-sqlite3').Database };
  const n = (sql: string) => (counts.db.prepare(sql).get() as { n: number }).n;
  if (process.env.STATUS_BENCH_ONLY_SEED) return;
  out(`status summary, SQLite file: ${n('SELECT COUNT(*) AS n FROM reports')} rapporter, ${n('SELECT COUNT(*) AS n FROM casework_items')} casework items (seeded in ${(seedMs / 1000).toFixed(1)} s)`);

  const now = new Date('2026-11-25T10:00:00.000Z');
  const directory = new Directory(org);
  const cards = new CardRenderer();
  const service = new StatusService({
    store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => now, warnDays: 7, calendar: new WorkingCalendar(),
  });
  const scopes = [
    { who: 'bbbbbbbb-0000-0000-0000-000000000001', label: 'one nämnd (20 units)' },
    { who: 'bbbbbbbb-0000-0000-0000-000000000002', label: 'whole municipality (200 units)' },
  ];
  for (const { who, label } of scopes) {
    const scope = statusAccess(directory, who).defaultScope!;
    for (const phrase of ['', 'senaste 30 dagarna', 'i år']) {
      const q = parseStatusQuestion(phrase, { now, timeZone: 'Europe/Stockholm', scopes: [] });
      if (!q.ok) throw new Error(`bench: "${phrase}" did not parse`);
      const times: number[] = [];
      const queries: number[] = [];
      let last = '';
      for (let i = 0; i < 60; i++) {
        const start = process.hrtime.bigint();
        const summary = await service.summary(scope, q.period);
        const counted = process.hrtime.bigint();
        const card = cards.render('status', statusCardData({ scope, period: q.period, live: true, summary, now, timeZone: 'Europe/Stockholm' }));
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        queries.push(Number(counted - start) / 1e6);
        last = `${summary.totals.newReports} new, ${summary.totals.openTotal} open, ${summary.totals.caseworkOverdue} casework overdue, card ${Buffer.byteLength(JSON.stringify(card))} B`;
      }
      // The first runs warm SQLite's page cache and V8; the rest are what a manager waits for.
      const warm = times.slice(10).sort((a, b) => a - b);
      const warmQueries = queries.slice(10).sort((a, b) => a - b);
      out(
        `${`status-summary ${label}, ${q.period.label}`.padEnd(62)} p50 ${percentile(warm, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(warm, 95).toFixed(1).padStart(6)} ms   (queries p95 ${percentile(warmQueries, 95).toFixed(1)} ms; first ${times[0]!.toFixed(1)} ms; ${last})`,
      );
    }
  }
}
