/**
 * Fan-out benchmark (issue #12): 5,000 enhetschefer, 5,000 bulk outbox rows, two real bot
 * processes on one SQLite file draining them to a local connector with 100 ms latency and 10 %
 * 429 (Retry-After: 1). Prints total time against the floor (5,000 / 45 s, Teams' rate), the
 * duplicates, lost rows and the busiest 1-second window at the connector. Prints, never fails on
 * a missed target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fanoutFigures, killAllBots, outboxCounts, seedFanout, startBotProcess, waitFor } from '../test/delivery/bot-processes.bench-harness';
import { startSlowConnector } from '../test/support/slow-connector';
import { formatLine, heading, mb, peakRssMb } from './measure';

export async function benchFanout(print: (line: string) => void, n = Number(process.env.BENCH_FANOUT_N ?? 5000)): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-fanout-'));
  const dbFile = path.join(dir, 'fanout.db');
  const connector = await startSlowConnector({ latencyMs: 100, throttleShare: 0.1, seed: 1 });
  try {
    await seedFanout(dbFile, connector.url, n);
    const started = Date.now();
    const bots = [startBotProcess(dbFile, { LOG_LEVEL: 'warn' }), startBotProcess(dbFile, { LOG_LEVEL: 'warn' })];
    // LOG_LEVEL=warn hides "started": wait for the outbox instead of the port.
    await waitFor('the outbox to drain', () => outboxCounts(dbFile).pending === 0, Math.max(120_000, (n / 45) * 3000), 250);
    const wall = Date.now() - started;
    // The processes' lifetime peaks: they did nothing but this.
    const peaks = bots.map((b) => mb(peakRssMb(b.pid)));
    const f = fanoutFigures(connector, n);
    const counts = outboxCounts(dbFile);
    print(heading(`fanout: ${n} outbox rows, ${bots.length} bot processes on one SQLite file, connector latency 100 ms, 10 % answered 429 (Retry-After: 1)`));
    print(
      formatLine({
        name: `fanout-${n} (2 instances, 100 ms, 10 % 429)`,
        figure: { value: `total ${(f.totalMs / 1000).toFixed(1)} s` },
        baseline: { name: 'floor', figure: { value: `${(f.floorMs / 1000).toFixed(1)} s (${n} / 45 per s)` } },
        ratio: `ratio ${f.ratio.toFixed(3)}`,
        peakRss: `bots ${peaks.join(', ')}`,
        targets: [
          { text: 'ratio ≤ 1.15', met: f.ratio <= 1.15 },
          { text: 'no duplicates', met: f.duplicates === 0 },
          { text: 'none lost', met: f.lost === 0 },
          { text: 'busiest 1-s window ≤ 50', met: f.maxPerSecond <= 50 },
        ],
        note:
          `${f.duplicates} duplicates, ${f.lost} lost, busiest 1-s window ${f.maxPerSecond} requests (at +${(f.busiestAtMs / 1000).toFixed(1)} s); ${f.requests} requests, ${f.throttled} answered 429; outbox ${counts.sent} sent, ` +
          `${counts.failed} failed, ${counts.noReference} no-reference; wall time incl. process start ${(wall / 1000).toFixed(1)} s`,
      }),
    );
  } finally {
    await killAllBots();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchFanout((l) => process.stdout.write(`${l}\n`)).catch((err: Error) => {
    process.stderr.write(`fan-out benchmark failed: ${err.message}\n`);
    process.exit(1);
  });
}
