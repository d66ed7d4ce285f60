/**
 * The nightly casework import (issue #14): 100,000 rows into a SQLite file, new and then again
 * unchanged, a few rounds, each against a fresh file. Targets: ≤ 3 s new, ≤ 2 s unchanged, peak
 * RSS ≤ 300 MB.
 *
 * Baseline, measured in every round of the same run: csv-parse alone on the same bytes, with the
 * import's options (no validation, no storage). Any import that reads the file with the library
 * costs at least that, so "× parse" says how much the import adds on top of reading the file, and
 * it moves with the machine: on the shared 2-core development machine absolute times vary by a
 * third between runs, the ratio much less. The figures of the implementation before #14 (zod per
 * row, a SELECT per row) are in the README, measured on the same machine.
 *
 * The file has the same columns as the bench always had, but its dates spread over two years (as
 * a real register's do) instead of 27 days, so that the import's per-day caches are not flattered.
 *
 * Peak RSS is the process's high-water mark during each import (reset before it through
 * /proc/self/clear_refs; elsewhere the process's lifetime peak, which can only overstate it), in
 * a new process per round (see benchCaseworkImport).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { importCasework, type ImportDeps } from '../src/casework/import';
import { createLogger } from '../src/log/logger';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { formatLine, heading, mb, peakRssMb, percentile, resetPeakRss } from './measure';
import { IMPORT_UNITS, makeCaseworkCsv } from './casework-csv';

interface Sample {
  ms: number;
  /** The process's peak RSS during the sample, MB. */
  peakMb: number;
  /** How far that peak is above the RSS just before the sample, MB. */
  growthMb: number;
}

async function sample(fn: () => unknown): Promise<Sample> {
  resetPeakRss();
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMb = peakRssMb()!;
  return { ms, peakMb, growthMb: peakMb - before };
}

interface Round {
  fresh: Sample;
  unchanged: Sample;
  parse: Sample;
}

type Step = 'new' | 'unchanged';

/**
 * One step of a round, in a process of its own (see benchCaseworkImport): the import into a new
 * SQLite file, or the same import again into that file followed by the baseline. The export is
 * made before anything is measured.
 */
async function step(which: Step, file: string, rows: number): Promise<Partial<Round>> {
  const csv = makeCaseworkCsv(rows);
  const store = SqliteStore.open({ filename: file });
  try {
    await store.migrate();
    const deps: ImportDeps = { store, unitIds: () => IMPORT_UNITS, now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
    const measured = await sample(async () => {
      const out = await importCasework(deps, { source: 'bench', csv, full: true, actor: 'bench' });
      if (which === 'new' && (!out.ok || out.result.inserted !== rows)) throw new Error(`import failed: ${JSON.stringify(out).slice(0, 300)}`);
      if (which === 'unchanged' && (!out.ok || out.result.unchanged !== rows)) throw new Error('re-import did not find every row unchanged');
    });
    if (which === 'new') return { fresh: measured };
    const bytes = Buffer.from(csv);
    const parsed = await sample(() => parse(bytes, { delimiter: ';', relax_column_count: true, skip_empty_lines: true, trim: true }));
    return { unchanged: measured, parse: parsed };
  } finally {
    await store.close();
  }
}

/**
 * Each import of a round runs in a new Node process, as `npm run import` does each night: a
 * process's RSS does not shrink right after a large import (V8 keeps its heap until idle), so a
 * second import in the same process would report the first one's memory too. The (+N) is what
 * the import adds to the process it runs in, as it would to the bot answering the HTTP push.
 */
export async function benchCaseworkImport(dir: string, print: (line: string) => void, opts: { rows?: number; rounds?: number } = {}): Promise<void> {
  const rows = opts.rows ?? 100_000;
  const rounds = opts.rounds ?? Number(process.env.BENCH_IMPORT_ROUNDS ?? 5);
  const results: Round[] = [];
  const run = (which: Step, file: string): Partial<Round> => {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, CHILD, which, file, String(rows)], { encoding: 'utf8', maxBuffer: 2 ** 20 });
    if (child.status !== 0) throw new Error(`casework import (${which}) failed: ${child.stderr.slice(-500)}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Partial<Round>;
  };
  for (let n = 0; n < rounds; n++) {
    const file = path.join(dir, `import-${n}.db`);
    try {
      results.push({ ...run('new', file), ...run('unchanged', file) } as Round);
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  }
  const all = (k: keyof Round) => results.map((r) => r[k]);
  const times = (s: Sample[]) => s.map((x) => x.ms);
  const p50 = (s: Sample[]) => percentile(times(s), 50);
  const peak = (s: Sample[]) => Math.max(...s.map((x) => x.peakMb));
  const growth = (s: Sample[]) => Math.max(...s.map((x) => x.growthMb));
  const floor = all('parse');
  const size = (Buffer.byteLength(makeCaseworkCsv(rows)) / 2 ** 20).toFixed(1);
  print(heading(`casework import: ${rows} rows (${size} MB CSV), SQLite file, ${rounds} rounds, each import in a new process (p95 of ${rounds} is the slowest)`));
  const line = (name: string, s: Sample[], target: { ms: number; mb: number }) =>
    print(
      formatLine({
        name,
        figure: { stats: { n: s.length, p50: p50(s), p95: percentile(times(s), 95) } },
        baseline: { name: 'csv-parse alone', figure: { stats: { n: floor.length, p50: p50(floor), p95: percentile(times(floor), 95) } } },
        ratio: `p50 ratio ${(p50(s) / p50(floor)).toFixed(1)}`,
        peakRss: `${mb(peak(s))} (+${growth(s).toFixed(0)} MB; csv-parse ${mb(peak(floor))})`,
        targets: [
          { text: `p50 ≤ ${target.ms / 1000} s`, met: p50(s) <= target.ms },
          { text: `peak RSS ≤ ${target.mb} MB`, met: peak(s) <= target.mb },
        ],
        note: `${((rows / p50(s)) * 1000).toFixed(0)} rows/s`,
      }),
    );
  line('casework-import-100k (new)', all('fresh'), { ms: 3000, mb: 300 });
  line('casework-import-100k (unchanged)', all('unchanged'), { ms: 2000, mb: 300 });
}

const CHILD = '--casework-import-round';

if (process.argv[2] === CHILD) {
  step(process.argv[3] as Step, process.argv[4]!, Number(process.argv[5])).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
