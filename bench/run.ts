/**
 * `npm run bench`: speed and memory of the heavy paths, on this machine, against real SQLite
 * files. Every line prints its figure beside a baseline measured in the same run, and peak RSS,
 * in one format (bench/measure.ts). Not part of `npm test` (targets belong here, not in timed
 * unit tests); prints, never fails on a missed target.
 *
 *   casework-import   a 100,000-row export into an empty register and again unchanged, five
 *                     rounds, each import in a new process, beside csv-parse alone on the same
 *                     bytes (bench/casework-import.ts; targets ≤ 3 s, ≤ 2 s unchanged, ≤ 300 MB).
 *   review            `genomgång` for a unit with ~1,000 open lex Sarah cases and 5,000 casework
 *                     items, over HTTP against a real bot process, alone and at 10 concurrent,
 *                     beside a bare teams-ai echo bot (bench/review.ts; target p50 ≤ 3 × echo).
 *   status-summary    the status card over 1,000,000 rapporter and 1,000,000 casework items in
 *                     process, for one nämnd and the whole municipality, beside its SQL floor;
 *                     and the `status` turn over HTTP beside the echo bot (bench/status-summary.ts;
 *                     targets p95 ≤ 100 ms municipality, ≤ 30 ms one nämnd "i år").
 *   submit            report submits against the echo bot, 10 concurrent, real processes over
 *                     HTTP (bench/submit.ts; targets p50 ≤ 3 × echo, ≥ 200 submits/s).
 *   fanout            5,000 outbox rows drained by two bot processes through a connector with
 *                     100 ms latency and 10 % 429 (bench/fanout.ts; ≤ 1.15 × the 45/s floor,
 *                     0 duplicates, 0 lost, no 1-s window over 50). About two minutes.
 *
 *   compilation        the nämnd's sammanställning for a year over the same municipality, beside an
 *                      indexed COUNT of its rapporter (bench/compilation.ts; target < 1 s, #16).
 *
 * review, status-summary and compilation share one seeded municipality (bench/municipality.ts, about a minute
 * to generate) and one bot process on it. `npm run bench -- review status-summary` runs only the
 * benchmarks named. BENCH_MUNICIPALITY_DB=<file> keeps the seeded file there (and reuses it on
 * the next run) for profiling.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchCaseworkImport } from './casework-import';
import { benchCompilation } from './compilation';
import { benchFanout } from './fanout';
import { heading } from './measure';
import { reuseMunicipality, SEED_SCHEMA_VERSION, seedMunicipality } from './municipality';
import { startMunicipalityBots } from './municipality-bots';
import { benchReview } from './review';
import { benchStatusSummary } from './status-summary';
import { benchStatusTurn } from './status-turn';
import { benchSubmit } from './submit';

const NAMES = ['casework-import', 'review', 'status-summary', 'compilation', 'submit', 'fanout'];
const ONLY = new Set(process.argv.slice(2));
const wanted = (name: string) => ONLY.size === 0 || ONLY.has(name);
const print = (l: string) => process.stdout.write(`${l}\n`);

async function main(): Promise<void> {
  const unknown = [...ONLY].filter((n) => !NAMES.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')} (known: ${NAMES.join(', ')})`);
  if (wanted('casework-import')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-'));
    try {
      await benchCaseworkImport(dir, print);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (wanted('review') || wanted('status-summary') || wanted('compilation')) await benchMunicipality();
  if (wanted('submit')) await benchSubmit(print);
  if (wanted('fanout')) await benchFanout(print);
}

async function benchMunicipality(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-'));
  const kept = process.env.BENCH_MUNICIPALITY_DB;
  try {
    const file = kept ?? path.join(dir, 'municipality.db');
    const m = kept && existsSync(kept) ? await reuseMunicipality(kept) : await seedMunicipality(file);
    print(
      heading(
        `bench municipality: ${m.reports} rapporter, ${m.casework} casework items, 200 units; ` +
          (m.sqlMs || m.upgradeMs
            ? `generated in ${((m.sqlMs + m.upgradeMs + m.rankMs) / 1000).toFixed(1)} s (SQL at schema ${SEED_SCHEMA_VERSION} ${(m.sqlMs / 1000).toFixed(1)} s; migrations, the review unit's import and the deadline backfill of ${m.backfilled} items ${(m.upgradeMs / 1000).toFixed(1)} s; ` +
              `the review ranks of ${m.ranked} casework items ${(m.rankMs / 1000).toFixed(1)} s, the one-time work of the first weekly sweep after the upgrade)`
            : `reused from ${kept}${m.ranked ? ` (${m.ranked} review ranks computed for today in ${(m.rankMs / 1000).toFixed(1)} s)` : ''}`),
      ),
    );
    if (wanted('compilation')) await benchCompilation(m, print);
    if (!wanted('review') && !wanted('status-summary')) return;
    const bots = await startMunicipalityBots(m, dir);
    try {
      print(`   bot process started on it in ${(bots.startMs / 1000).toFixed(1)} s`);
      if (wanted('review')) await benchReview(m, bots, print);
      if (wanted('status-summary')) await benchStatusTurn(bots, print);
    } finally {
      await bots.stop();
    }
    if (wanted('status-summary')) await benchStatusSummary(m, print);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
