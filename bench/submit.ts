/**
 * Report submit benchmark (issue #12), side by side with the framework floor: a bare teams-ai
 * echo bot (bench/echo-bot.ts, its own process, same TeamsAdapter and HTTP stack) and our bot's
 * report.submit (its own process, a fresh SQLite file), each at 10 concurrent requests, with
 * deliveryMode expectReplies in a personal chat: all echo turns first, then all submits
 * (bench/turns.ts, one block). Every submit uses its own form id, issued by "rapportera" before
 * the clock starts. The recipients' chats point at a local connector with 100 ms latency, as
 * Teams has. Targets: submit p50 ≤ 3 × echo p50, ≥ 200 submits/s. Prints only.
 *
 * A new report's pattern rules run after its answer and wait while turns are running
 * (src/patterns/evaluations.ts), so the line also says how long after the last submit the last
 * evaluation was done. PROFILE_DIR=dir writes the bot's CPU profile there (a profiling aid).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAllBots, patternEvaluations, startBotProcess, waitFor } from '../test/delivery/bot-processes.bench-harness';
import { ADELE, ALEX, issueFormId, LEE, MEGAN, openApp, runConcurrent, submitReport } from '../test/delivery/submits.bench-harness';
import { startSlowConnector } from '../test/support/slow-connector';
import { heading } from './measure';
import { compareTurns, echoTurn, startEcho, turnLine } from './turns';

const CONCURRENCY = 10;
const MIN_RATE = 200;

export async function benchSubmit(print: (line: string) => void, n = Number(process.env.BENCH_SUBMIT_N ?? 400)): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-submit-'));
  const connector = await startSlowConnector({ latencyMs: 100, throttleShare: 0, seed: 3 });
  const echo = await startEcho();
  try {
    const dbFile = path.join(dir, 'submit.db');
    const bot = startBotProcess(dbFile, { LOG_LEVEL: 'info', ...(process.env.PROFILE_DIR ? { PROFILE_DIR: process.env.PROFILE_DIR } : {}) });
    const baseUrl = `http://127.0.0.1:${await bot.port}`;
    await openApp(baseUrl, connector.url, [ALEX, MEGAN, ADELE, LEE]);
    const reporters = [MEGAN, ALEX];
    const warm = 20;
    const forms = await runConcurrent(
      Array.from({ length: n + warm }, (_, i) => () => issueFormId(baseUrl, connector.url, reporters[i % 2]!)),
      CONCURRENCY,
    );
    const formIds = forms.results;
    const c = await compareTurns({
      echo: (i) => echoTurn(echo, connector.url, MEGAN, i),
      // Warm-up submits get indices n…n+warm-1: their own form ids.
      target: (i) => () => submitReport(baseUrl, connector.url, reporters[i % 2]!, formIds[i]!),
      n,
      concurrency: CONCURRENCY,
      warm,
      blocks: 1,
      echoPid: echo.pid,
      botPid: bot.pid,
    });
    const receipts = c.results.filter(Boolean).length;
    const lastSubmit = performance.now();
    let filed = 0;
    await waitFor('every filed report\'s pattern evaluation', () => {
      const p = patternEvaluations(dbFile);
      filed = p.reports;
      return p.evaluated >= p.reports;
    }, 120_000, 20);
    const evaluatedAfterS = (performance.now() - lastSubmit) / 1000;
    if (process.env.PROFILE_DIR) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    print(heading(`submit: ${n} requests each at ${CONCURRENCY} concurrent, connector latency 100 ms`));
    print(
      turnLine(`report-submit, ${CONCURRENCY} concurrent`, c, {
        maxRatio: 3,
        targets: [{ text: `≥ ${MIN_RATE} submits/s`, met: c.targetPerSecond >= MIN_RATE }],
        note:
          `${c.targetPerSecond.toFixed(0)} submits/s, echo ${c.echoPerSecond.toFixed(0)} req/s; ${receipts}/${n} receipts; ` +
          `${connector.delivered.length} notification cards at the connector by then (the outbox delivers the rest at 45/s); ` +
          `pattern rules of all ${filed} reports evaluated ${evaluatedAfterS.toFixed(1)} s after the last submit`,
      }),
    );
  } finally {
    echo.stop();
    await killAllBots();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchSubmit((l) => process.stdout.write(`${l}\n`)).catch((err: Error) => {
    process.stderr.write(`submit benchmark failed: ${err.message}\n`);
    process.exit(1);
  });
}
