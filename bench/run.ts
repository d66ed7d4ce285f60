/**
 * `npm run bench`: speed and memory of the heavy paths, on this machine, against a real SQLite
 * file. Prints one line per benchmark; not part of `npm test` (targets belong here, not in
 * timed unit tests).
 *
 *   casework-import        generate a 100,000-row export, parse and validate it, and write it
 *                          in one transaction; then re-import it unchanged (the nightly case).
 *                          Five rounds beside csv-parse alone on the same bytes (the baseline);
 *                          p50/p95, rows/s, peak RSS (bench/casework-import.ts; targets ≤ 3 s,
 *                          ≤ 2 s unchanged, ≤ 300 MB). `npm run bench -- casework-import`.
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
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { benchCaseworkImport } from './casework-import';
import { benchFanout } from './fanout';
import { benchStatusSummary } from './status-summary';
import { benchSubmit } from './submit';

const ONLY = new Set(process.argv.slice(2));
const wanted = (name: string) => ONLY.size === 0 || ONLY.has(name);
const print = (l: string) => process.stdout.write(`${l}\n`);

async function main(): Promise<void> {
  if (wanted('casework-import') || wanted('status-summary')) await benchStore();
  if (wanted('submit')) await benchSubmit(print);
  if (wanted('fanout')) await benchFanout(print);
}

async function benchStore(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-'));
  try {
    if (wanted('casework-import')) await benchCaseworkImport(dir, print);
    if (wanted('status-summary')) {
      const statusStore = SqliteStore.open({ filename: path.join(dir, 'status.db') });
      try {
        await statusStore.migrate();
        await benchStatusSummary(statusStore, print);
      } finally {
        await statusStore.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.message}\n`);
  process.exit(1);
});
