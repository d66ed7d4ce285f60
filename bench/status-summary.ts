/**
 * status-summary: a manager's status card over the bench municipality (bench/municipality.ts:
 * 1,000,000 rapporter and 1,000,000 casework items over 10 nämnder × 20 units).
 *
 * In process, for each scope (one nämnd of 20 units; the whole municipality) and period (denna
 * vecka, senaste 30 dagarna, i år): the time to build the whole card (every query, the
 * aggregation and the rendered card), beside its SQL floor measured in turn with it: two indexed
 * COUNTs over the same scope (the scope's new rapporter in the period, and its overdue open
 * casework), which any implementation must at least read. Targets (issue #14): the whole
 * municipality p95 ≤ 100 ms, one nämnd "i år" p95 ≤ 30 ms.
 *
 * The `status` turn over HTTP is bench/status-turn.ts.
 */
import type Database from 'better-sqlite3';
import { CardRenderer } from '../src/cards/render';
import { statusCardData } from '../src/cards/status-cards';
import { createLogger } from '../src/log/logger';
import { Directory } from '../src/org/directory';
import { WorkingCalendar } from '../src/review/calendar';
import { statusAccess } from '../src/status/access';
import { parseStatusQuestion } from '../src/status/question';
import { StatusService } from '../src/status/service';
import { DEFAULT_SQLITE_CACHE_MB } from '../src/config/config';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { runInChild } from './child';
import { formatLine, heading, mb, ms, peakRssMb, resetPeakRss, stats } from './measure';
import { benchOrganisation, BENCH_PEOPLE, NOW, TIME_ZONE, type SeededMunicipality } from './municipality';

/** At least MIN samples after WARM, then more until BUDGET_MS or MAX (a slow summary must not take the run's hour). */
const WARM = 3;
const MIN = 10;
const MAX = 60;
const BUDGET_MS = Number(process.env.BENCH_STATUS_BUDGET_MS ?? 20_000);

/**
 * In a Node process of its own, so that its peak RSS is the summaries' (the seeding process keeps
 * its heap long after). Its lines are printed as they come.
 */
export async function benchStatusSummary(m: SeededMunicipality, out: (line: string) => void): Promise<void> {
  await runInChild(__filename, CHILD, m, out, 'status summary');
}

async function childMain(m: SeededMunicipality): Promise<void> {
  // The bot's page cache (SQLITE_CACHE_MB's default), as the bot answering `status` has it.
  const store = SqliteStore.open({ filename: m.file, cacheMb: DEFAULT_SQLITE_CACHE_MB });
  try {
    await inProcess(store, m, (l) => process.stdout.write(`${l}\n`));
  } finally {
    await store.close();
  }
}

const CHILD = '--status-summary-child';

async function inProcess(store: SqliteStore, m: SeededMunicipality, out: (line: string) => void): Promise<void> {
  const db = (store as unknown as { db: Database.Database }).db;
  out(heading(`status summary, in a Node process of its own (no HTTP), SQLite file: ${m.reports} rapporter, ${m.casework} casework items; ${WARM} warm-up runs, then ${MIN}–${MAX} (${BUDGET_MS / 1000} s budget)`));
  const now = NOW;
  const directory = new Directory(benchOrganisation());
  const cards = new CardRenderer();
  const service = new StatusService({
    store, directory: () => directory, logger: createLogger('silent'), timeZone: TIME_ZONE, now: () => now, warnDays: 7, calendar: new WorkingCalendar(),
  });
  const floorNew = db.prepare(`SELECT COUNT(*) AS n FROM reports WHERE unit_id IN (SELECT value FROM json_each(?)) AND created_at >= ? AND created_at < ?`);
  const floorOverdue = db.prepare(`SELECT COUNT(*) AS n FROM casework_items WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(?)) AND due_on < ?`);
  const scopes = [
    { who: BENCH_PEOPLE.chef.aadObjectId, label: 'one nämnd (20 units)', target: (period: string) => (period === 'i år' ? 30 : undefined) },
    { who: BENCH_PEOPLE.samordnare.aadObjectId, label: 'whole municipality (200 units)', target: () => 100 },
  ];
  for (const { who, label, target } of scopes) {
    const scope = statusAccess(directory, who).defaultScope!;
    const units = JSON.stringify(scope.units.map((u) => u.id));
    for (const phrase of ['', 'senaste 30 dagarna', 'i år']) {
      const q = parseStatusQuestion(phrase, { now, timeZone: TIME_ZONE, scopes: [] });
      if (!q.ok) throw new Error(`bench: "${phrase}" did not parse`);
      const card = async () => {
        const summary = await service.summary(scope, q.period);
        const rendered = cards.render('status', statusCardData({ scope, period: q.period, live: true, summary, now, timeZone: TIME_ZONE }));
        return `${summary.totals.newReports} new, ${summary.totals.openTotal} open, ${summary.totals.caseworkOverdue} casework overdue, card ${(Buffer.byteLength(JSON.stringify(rendered)) / 1024).toFixed(1)} KB`;
      };
      const floor = () => {
        floorNew.get(units, q.period.from.toISOString(), q.period.to.toISOString());
        floorOverdue.get(units, '2026-11-25');
      };
      const times: number[] = [];
      const floors: number[] = [];
      let last = '';
      let first = 0;
      const started = Date.now();
      resetPeakRss();
      for (let i = 0; i < WARM + MAX; i++) {
        if (i >= WARM + MIN && Date.now() - started > BUDGET_MS) break;
        let t = process.hrtime.bigint();
        floor();
        const floorMs = Number(process.hrtime.bigint() - t) / 1e6;
        t = process.hrtime.bigint();
        last = await card();
        const cardMs = Number(process.hrtime.bigint() - t) / 1e6;
        if (i === 0) first = cardMs;
        // The first runs warm SQLite's page cache and V8; the rest are what a manager waits for.
        if (i >= WARM) {
          times.push(cardMs);
          floors.push(floorMs);
        }
      }
      const s = stats(times);
      const limit = target(q.period.label);
      out(
        formatLine({
          name: `status-summary ${label}, ${q.period.label}`,
          figure: { stats: s },
          baseline: { name: 'SQL floor', figure: { stats: stats(floors) } },
          ratio: `p50 ratio ${(s.p50 / stats(floors).p50).toFixed(1)}`,
          peakRss: `summary process ${mb(peakRssMb())}`,
          ...(limit !== undefined ? { targets: [{ text: `p95 ≤ ${limit} ms`, met: s.p95 <= limit }] } : {}),
          note: `first ${ms(first)}; ${last}`,
        }),
      );
    }
  }
}

if (process.argv[2] === CHILD) {
  childMain(JSON.parse(process.argv[3]!) as SeededMunicipality).catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
