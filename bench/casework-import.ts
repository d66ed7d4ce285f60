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
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { importCasework, type ImportDeps } from '../src/casework/import';
import { createLogger } from '../src/log/logger';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';

export const IMPORT_UNITS = Array.from({ length: 200 }, (_, i) => `enhet-${i}`);

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 10, 1);

/** A case system export of `rows` rows: four clock types, dates over two years before 2026-11-22. */
export function makeCaseworkCsv(rows: number): string {
  const header = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen;utredning_inledd;placering_start;beslutsdatum';
  const out = [header];
  for (let i = 0; i < rows; i++) {
    // 7919 is prime: consecutive rows land on scattered days of the 730.
    const day = new Date(FIRST_DAY + ((i * 7919) % 730) * DAY_MS).toISOString().slice(0, 10);
    const unit = IMPORT_UNITS[i % IMPORT_UNITS.length];
    switch (i % 4) {
      case 0: out.push(`BoU 2026/${i};forhandsbedomning;${unit};h${i % 50}@kommun.example;öppen;${day};;;`); break;
      case 1: out.push(`BoU 2026/${i};barnavardsutredning;${unit};;öppen;;${day};;`); break;
      case 2: out.push(`BoU 2026/${i};overvagande-sol;${unit};;öppen;;;${day};`); break;
      default: out.push(`SN 2026/${i};ej-verkstallt-beslut;${unit};;öppen;;;;${day}`);
    }
  }
  return out.join('\n');
}

interface Sample {
  ms: number;
  /** The process's peak RSS during the sample, MB. */
  peakMb: number;
  /** How far that peak is above the RSS just before the sample, MB. */
  growthMb: number;
}

function highWaterMb(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function resetHighWater(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: the lifetime peak is reported instead.
  }
}

async function sample(fn: () => unknown): Promise<Sample> {
  resetHighWater();
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMb = highWaterMb() ?? process.resourceUsage().maxRSS / 1024;
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
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
  const p50 = (s: Sample[]) => percentile([...s.map((x) => x.ms)].sort((a, b) => a - b), 50);
  const p95 = (s: Sample[]) => percentile([...s.map((x) => x.ms)].sort((a, b) => a - b), 95);
  const peak = (s: Sample[]) => Math.max(...s.map((x) => x.peakMb));
  const growth = (s: Sample[]) => Math.max(...s.map((x) => x.growthMb));
  const floor = p50(all('parse'));
  const mb = (Buffer.byteLength(makeCaseworkCsv(rows)) / 2 ** 20).toFixed(1);
  print(`casework import, ${rows} rows (${mb} MB CSV), SQLite file, ${process.version}, ${rounds} rounds, each import in a new process (p95 of ${rounds} is the slowest)`);
  const line = (name: string, s: Sample[], target?: { ms: number; mb: number }) => {
    const met = target ? (p50(s) <= target.ms && peak(s) <= target.mb ? 'target met' : 'TARGET MISSED') : '';
    const goal = target ? `target ≤ ${target.ms / 1000} s, ≤ ${target.mb} MB: ${met}` : 'baseline';
    print(
      `  ${name.padEnd(32)} p50 ${p50(s).toFixed(0).padStart(5)} ms  p95 ${p95(s).toFixed(0).padStart(5)} ms  ${((rows / p50(s)) * 1000).toFixed(0).padStart(7)} rows/s  ` +
        `${(p50(s) / floor).toFixed(1).padStart(4)} × parse  peak RSS ${peak(s).toFixed(0).padStart(4)} MB (+${growth(s).toFixed(0)})  ${goal}`,
    );
  };
  line('csv-parse alone (baseline)', all('parse'));
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
