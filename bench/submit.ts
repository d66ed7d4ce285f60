/**
 * Report submit benchmark (issue #12), side by side with the framework floor: a bare teams-ai
 * echo bot (bench/echo-bot.ts, its own process, same TeamsAdapter and HTTP stack) and our bot's
 * report.submit (its own process, a fresh SQLite file), each at 10 concurrent requests, with
 * deliveryMode expectReplies in a personal chat. Every submit uses its own form id, issued by
 * "rapportera" before the clock starts. The recipients' chats point at a local connector with
 * 100 ms latency, as Teams has. Targets: submit p50 ≤ 3 × echo p50, ≥ 200 submits/s. Prints only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAllBots, ROOT, startBotProcess } from '../test/delivery/bot-processes.bench-harness';
import { activityFrom, ADELE, ALEX, issueFormId, LEE, MEGAN, openApp, percentile, postActivity, runConcurrent, submitReport } from '../test/delivery/submits.bench-harness';
import { startSlowConnector } from '../test/support/slow-connector';

const CONCURRENCY = 10;

async function startEcho(): Promise<{ baseUrl: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'echo-bot.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PORT: '0', NODE_NO_WARNINGS: '1' } });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`echo bot exited with ${code}`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);

export async function benchSubmit(print: (line: string) => void, n = Number(process.env.BENCH_SUBMIT_N ?? 400)): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-bench-submit-'));
  const connector = await startSlowConnector({ latencyMs: 100, throttleShare: 0, seed: 3 });
  const echo = await startEcho();
  try {
    const bot = startBotProcess(path.join(dir, 'submit.db'), { LOG_LEVEL: 'info' });
    const baseUrl = `http://127.0.0.1:${await bot.port}`;
    await openApp(baseUrl, connector.url, [ALEX, MEGAN, ADELE, LEE]);
    const reporters = [MEGAN, ALEX];
    const warm = 20;
    const forms = await runConcurrent(
      Array.from({ length: n + warm }, (_, i) => () => issueFormId(baseUrl, connector.url, reporters[i % 2]!)),
      CONCURRENCY,
    );
    const formIds = forms.results;

    // Echo: the same number of messages, after a warm-up.
    const echoJob = (i: number) => async () => {
      const r = await postActivity(echo.baseUrl, activityFrom(MEGAN, connector.url, { text: `eko ${i}` }));
      if (r.status !== 200 || !JSON.stringify(r.json).includes(`eko ${i}`)) throw new Error(`echo answered HTTP ${r.status}`);
    };
    await runConcurrent(Array.from({ length: warm }, (_, i) => echoJob(-i - 1)), CONCURRENCY);
    const e = await runConcurrent(Array.from({ length: n }, (_, i) => echoJob(i)), CONCURRENCY);

    const submitJob = (i: number) => () => submitReport(baseUrl, connector.url, reporters[i % 2]!, formIds[i]!);
    await runConcurrent(Array.from({ length: warm }, (_, i) => submitJob(n + i)), CONCURRENCY);
    const s = await runConcurrent(Array.from({ length: n }, (_, i) => submitJob(i)), CONCURRENCY);
    const receipts = s.results.filter(Boolean).length;

    const ep50 = percentile(e.ms, 50);
    const sp50 = percentile(s.ms, 50);
    const perSecond = (n / s.elapsedMs) * 1000;
    print(`submit bench: ${n} requests each at ${CONCURRENCY} concurrent, connector latency 100 ms, ${process.version}`);
    print(`echo-bot (teams-ai floor)          p50 ${fmt(ep50)} ms   p95 ${fmt(percentile(e.ms, 95))} ms   ${((n / e.elapsedMs) * 1000).toFixed(0)} req/s`);
    print(`report-submit                      p50 ${fmt(sp50)} ms   p95 ${fmt(percentile(s.ms, 95))} ms   ${perSecond.toFixed(0)} submits/s   ${receipts}/${n} receipts`);
    print(`submit/echo p50 ratio ${(sp50 / ep50).toFixed(2)} (target ≤ 3); ${perSecond.toFixed(0)} submits/s (target ≥ 200); ${connector.delivered.length} notification cards at the connector by then (the outbox delivers the rest at 45/s)`);
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
