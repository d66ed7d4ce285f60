/**
 * Profiling aid, not a benchmark: the review's items() and the municipality's status summary,
 * in process, on a municipality kept by an earlier run (BENCH_MUNICIPALITY_DB), timed per step.
 * Run with `node --import tsx --cpu-prof bench/profile-review.ts` to see where the time goes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/log/logger';
import { Directory } from '../src/org/directory';
import { loadOrganisationFile } from '../src/org/load';
import { WorkingCalendar } from '../src/review/calendar';
import { ReviewService } from '../src/review/service';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { NOW, REVIEW_UNIT, writeOrganisationFile } from './municipality';

async function main(): Promise<void> {
  const file = process.env.BENCH_MUNICIPALITY_DB;
  if (!file) throw new Error('set BENCH_MUNICIPALITY_DB to a municipality kept by `npm run bench`');
  const orgFile = path.join(mkdtempSync(path.join(tmpdir(), 'lexsarah-prof-')), 'org.yaml');
  writeOrganisationFile(orgFile);
  const directory = new Directory(loadOrganisationFile(orgFile));
  const store = SqliteStore.open({ filename: file });
  const reviews = new ReviewService({
    store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => NOW, warnDays: 7, calendar: new WorkingCalendar({ timeZone: 'Europe/Stockholm' }),
  });
  const unit = directory.unit(REVIEW_UNIT)!;
  const runs = Number(process.env.PROFILE_RUNS ?? 10);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const openCases = await store.cases.listOpenCases([unit.id]);
    const t1 = performance.now();
    const open = await store.casework.listOpen([unit.id]);
    const t2 = performance.now();
    const view = await reviews.view(unit, '2026-W48', 0, '', false);
    const t3 = performance.now();
    process.stdout.write(`run ${i}: listOpenCases ${openCases.length} ${(t1 - t0).toFixed(0)} ms; casework.listOpen ${open.length} ${(t2 - t1).toFixed(0)} ms; view (total ${view.total}) ${(t3 - t2).toFixed(0)} ms\n`);
  }
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
