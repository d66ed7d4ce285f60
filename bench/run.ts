/**
 * `npm run bench`: speed and memory of the heavy paths, on this machine, against a real SQLite
 * file. Prints one line per benchmark; not part of `npm test` (targets belong here, not in
 * timed unit tests).
 *
 *   casework-import-100k   generate a 100,000-row export, parse and validate it, and write it
 *                          in one transaction; then re-import it unchanged (the nightly case).
 *   status-summary         build a manager's status card over 1,000,000 rapporter and 1,000,000
 *                          casework items (see bench/status-summary.ts; target p95 < 100 ms).
 *   submit                 report submits against a bare teams-ai echo bot, 10 concurrent, real
 *                          processes over HTTP (bench/submit.ts; targets p50 ≤ 3 × echo, ≥ 200/s).
 *   fanout                 5,000 outbox rows drained by two bot processes through a connector with
 *                          100 ms latency and 10 % 429 (bench/fanout.ts; ≤ 1.15 × the 45/s floor,
 *                          0 duplicates, 0 lost, no 1-s window over 50). About two minutes.
 *
 * `npm run bench -- fanout submit` runs only the benchmarks named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCasework } from '../src/casework/import';
import { createLogger } from '../src/log/logger';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { benchFanout } from './fanout';
import { benchStatusSummary } from './status-summary';
import { benchSubmit } from './submit';

const ONLY = new Set(process.argv.slice(2));
const wanted = (name: string) => ONLY.size === 0 || ONLY.has(name);
const print = (l: string) => process.stdout.write(`${l}\n`);

const UNITS = Array.from({ length: 200 }, (_, i) => `enhet-${i}`);

function makeCsv(rows: number): string {
  const header = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen;utredning_inledd;placering_start;beslutsdatum';
  const out = [header];
  for (let i = 0; i < rows; i++) {
    const day = `2026-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const unit = UNITS[i % UNITS.length];
    switch (i % 4) {
      case 0: out.push(`BoU 2026/${i};forhandsbedomning;${unit};h${i % 50}@kommun.example;öppen;${day};;;`); break;
      case 1: out.push(`BoU 2026/${i};barnavardsutredning;${unit};;öppen;;${day};;`); break;
      case 2: out.push(`BoU 2026/${i};overvagande-sol;${unit};;öppen;;;${day};`); break;
      default: out.push(`SN 2026/${i};ej-verkstallt-beslut;${unit};;öppen;;;;${day}`);
    }
  }
  return out.join('\n');
}

interface Sample { ms: number; peakRssMb: number; heapMb: number }

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssMb: peak / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

async function main(): Promise<void> {
  if (wanted('casework-import') || wanted('status-summary')) await benchStore();
  if (wanted('submit')) await benchSubmit(print);
  if (wanted('fanout')) await benchFanout(print);
}

async function benchStore(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-'));
  const store = SqliteStore.open({ filename: path.join(dir, 'bench.db') });
  await store.migrate();
  const deps = { store, unitIds: () => UNITS, now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
  try {
    const rows = 100_000;
    const csv = makeCsv(rows);
    const mb = (Buffer.byteLength(csv) / 2 ** 20).toFixed(1);
    const first = await measure(async () => {
      const out = await importCasework(deps, { source: 'bench', csv, full: true, actor: 'bench' });
      if (!out.ok || out.result.inserted !== rows) throw new Error(`import failed: ${JSON.stringify(out).slice(0, 300)}`);
    });
    const again = await measure(async () => {
      const out = await importCasework(deps, { source: 'bench', csv, full: true, actor: 'bench' });
      if (!out.ok || out.result.unchanged !== rows) throw new Error('re-import did not find every row unchanged');
    });
    const line = (name: string, s: Sample) =>
      `${name.padEnd(34)} ${s.ms.toFixed(0).padStart(7)} ms   ${((rows / s.ms) * 1000).toFixed(0).padStart(7)} rows/s   peak RSS ${s.peakRssMb.toFixed(0)} MB   heap after ${s.heapMb.toFixed(0)} MB`;
    process.stdout.write(`casework import, ${rows} rows (${mb} MB CSV), SQLite file, ${process.version}\n`);
    process.stdout.write(`${line('casework-import-100k (new)', first)}\n`);
    process.stdout.write(`${line('casework-import-100k (unchanged)', again)}\n`);
    const statusStore = SqliteStore.open({ filename: path.join(dir, 'status.db') });
    try {
      await statusStore.migrate();
      await benchStatusSummary(statusStore, (l) => process.stdout.write(`${l}\n`));
    } finally {
      await statusStore.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.message}\n`);
  process.exit(1);
});
