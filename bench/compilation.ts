/**
 * compilation: the nämnd's lex Sarah sammanställning (issue #16: "a year over the bench data in
 * under a second") over the bench municipality (bench/municipality.ts), in a Node process of its
 * own like status-summary: one nämnd of 20 units, "2026" and "första halvåret", and the whole
 * municipality (ten nämnder, one card each) for "2026". Each beside its SQL floor measured in turn
 * with it: one indexed COUNT of the nämnd's rapporter in the period, which any sammanställning must
 * read. The card is rendered; the Excel file is timed once per scope.
 */
import type Database from 'better-sqlite3';
import { compilationCard } from '../src/cards/compilation-cards';
import { CardRenderer } from '../src/cards/render';
import { compilationXlsx } from '../src/compilation/xlsx';
import { CompilationService } from '../src/compilation/service';
import { createLogger } from '../src/log/logger';
import { Directory } from '../src/org/directory';
import { WorkingCalendar } from '../src/review/calendar';
import { DEFAULT_SQLITE_CACHE_MB } from '../src/config/config';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { runInChild } from './child';
import { formatLine, heading, mb, ms, peakRssMb, resetPeakRss, stats } from './measure';
import { benchOrganisation, BENCH_PEOPLE, NOW, TIME_ZONE, type SeededMunicipality } from './municipality';

const WARM = 2;
const MIN = 8;
const MAX = 40;
const BUDGET_MS = Number(process.env.BENCH_COMPILATION_BUDGET_MS ?? 20_000);
const CHILD = '--compilation-child';
/** Issue #16's target for a year. */
const TARGET_MS = 1_000;

export async function benchCompilation(m: SeededMunicipality, out: (line: string) => void): Promise<void> {
  await runInChild(__filename, CHILD, m, out, 'compilation');
}

async function childMain(m: SeededMunicipality): Promise<void> {
  // The bot's page cache (SQLITE_CACHE_MB's default), as the bot answering the question has it.
  const store = SqliteStore.open({ filename: m.file, cacheMb: DEFAULT_SQLITE_CACHE_MB });
  const out = (l: string) => process.stdout.write(`${l}\n`);
  try {
    const db = (store as unknown as { db: Database.Database }).db;
    out(heading(`sammanställning, in a Node process of its own (no HTTP): ${m.reports} rapporter; ${WARM} warm-up runs, then ${MIN}–${MAX} (${BUDGET_MS / 1000} s budget)`));
    const directory = new Directory(benchOrganisation());
    const cards = new CardRenderer();
    // A new service per scope: its first run is the first question after a start (nothing remembered), reported beside the others.
    const newService = () => new CompilationService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: TIME_ZONE, now: () => NOW, calendar: new WorkingCalendar() });
    const floorQuery = db.prepare(`SELECT COUNT(*) AS n FROM reports WHERE committee_id = ? AND created_at >= ? AND created_at < ?`);
    const cases = [
      { who: BENCH_PEOPLE.chef, label: 'one nämnd (20 units)', question: '2026' },
      { who: BENCH_PEOPLE.chef, label: 'one nämnd (20 units)', question: 'första halvåret' },
      { who: BENCH_PEOPLE.samordnare, label: 'every nämnd (10 cards)', question: '2026' },
    ];
    for (const c of cases) {
      const service = newService();
      const actor = { entraId: c.who.aadObjectId, name: c.who.name };
      const committees = service.committeesOf(actor);
      const run = async () => {
        const r = await service.ask(actor, c.question);
        if (r.kind !== 'compilations') throw new Error(`bench: "${c.question}" gave ${r.kind}`);
        const bytes = r.views.map((v) => Buffer.byteLength(JSON.stringify(compilationCard(cards, v))));
        return { views: r.views, note: `${r.views.reduce((n, v) => n + v.figures.reports.total, 0)} rapporter, ${r.views.length} card(s) ≤ ${(Math.max(...bytes) / 1024).toFixed(1)} KB` };
      };
      const floor = (from: Date, to: Date) => {
        for (const cm of committees) floorQuery.get(cm.id, from.toISOString(), to.toISOString());
      };
      const times: number[] = [];
      const floors: number[] = [];
      let note = '';
      let views: Awaited<ReturnType<typeof run>>['views'] = [];
      let firstMs = 0;
      const started = Date.now();
      resetPeakRss();
      for (let i = 0; i < WARM + MAX; i++) {
        if (i >= WARM + MIN && Date.now() - started > BUDGET_MS) break;
        let t = process.hrtime.bigint();
        const got = await run();
        const runMs = Number(process.hrtime.bigint() - t) / 1e6;
        if (i === 0) firstMs = runMs;
        views = got.views;
        note = got.note;
        const p = views[0]!.period;
        t = process.hrtime.bigint();
        floor(p.from, p.to);
        const floorMs = Number(process.hrtime.bigint() - t) / 1e6;
        if (i >= WARM) {
          times.push(runMs);
          floors.push(floorMs);
        }
      }
      let t = process.hrtime.bigint();
      await compilationXlsx(views[0]!);
      const fileMs = Number(process.hrtime.bigint() - t) / 1e6;
      const s = stats(times);
      const f = stats(floors);
      out(
        formatLine({
          name: `sammanställning ${c.label}, ${views[0]!.period.label}`,
          figure: { stats: s },
          baseline: { name: 'SQL floor', figure: { stats: f } },
          ratio: `p50 ratio ${(s.p50 / Math.max(f.p50, 0.001)).toFixed(1)}`,
          peakRss: `process ${mb(peakRssMb())}`,
          ...(c.question === '2026' ? { targets: [{ text: `p95 < ${TARGET_MS} ms`, met: s.p95 < TARGET_MS }] } : {}),
          note: `first run of a new service ${ms(firstMs)}; ${note}; Excel file ${ms(fileMs)}`,
        }),
      );
    }
  } finally {
    await store.close();
  }
}

if (process.argv[2] === CHILD) {
  childMain(JSON.parse(process.argv[3]!) as SeededMunicipality).catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
