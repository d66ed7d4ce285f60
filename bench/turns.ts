/**
 * Turns over HTTP beside the framework floor: the bare teams-ai echo bot (bench/echo-bot.ts, its
 * own process, same TeamsAdapter and HTTP stack) and a real bot process answer the same number of
 * requests at the same concurrency, in the same run, with deliveryMode expectReplies in a
 * personal chat. Shared by bench/submit.ts, bench/review.ts and bench/status-summary.ts.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../test/delivery/bot-processes.bench-harness';
import { activityFrom, postActivity, runConcurrent, type Person } from '../test/delivery/submits.bench-harness';
import { formatLine, mb, peakRssMb, resetPeakRss, stats, type Stats } from './measure';

export interface EchoBot {
  baseUrl: string;
  pid: number;
  stop(): void;
}

export async function startEcho(): Promise<EchoBot> {
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
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

/** One message to the echo bot from `p`; fails unless the text comes back. */
export function echoTurn(echo: EchoBot, serviceUrl: string, p: Person, i: number): () => Promise<void> {
  return async () => {
    const r = await postActivity(echo.baseUrl, activityFrom(p, serviceUrl, { text: `eko ${i}` }));
    if (r.status !== 200 || !JSON.stringify(r.json).includes(`eko ${i}`)) throw new Error(`echo answered HTTP ${r.status}`);
  };
}

/** One message to a bot process from `p`; the reply's JSON text (for checks and card size). */
export async function botTurn(baseUrl: string, serviceUrl: string, p: Person, text: string): Promise<string> {
  const r = await postActivity(baseUrl, activityFrom(p, serviceUrl, { text }));
  if (r.status !== 200) throw new Error(`"${text}" from ${p.name} answered HTTP ${r.status}`);
  return JSON.stringify(r.json);
}

export interface TurnComparison<T> {
  echo: Stats;
  target: Stats;
  /** Requests per second over the measured requests. */
  echoPerSecond: number;
  targetPerSecond: number;
  /** Measured target turns that failed (no HTTP answer, or a wrong one), with the first reason. */
  failed: number;
  firstFailure?: string;
  /** The target's results; undefined where the turn failed. */
  results: (T | undefined)[];
  echoPeakMb?: number;
  botPeakMb?: number;
}

/**
 * `n` echo turns and `n` target turns at `concurrency`, after `warm` of each. With `blocks` > 1
 * they alternate in that many blocks (echo, target, echo, …) so that a change in the machine's
 * load during the run falls on both; 1 runs all echo turns, then all target turns. Peak RSS is
 * each process's high-water mark over the measured turns.
 */
export async function compareTurns<T>(opts: {
  echo: (i: number) => () => Promise<void>;
  target: (i: number) => () => Promise<T>;
  n: number;
  concurrency: number;
  warm?: number;
  blocks?: number;
  echoPid: number;
  botPid: number;
}): Promise<TurnComparison<T>> {
  const { n, concurrency } = opts;
  const warm = opts.warm ?? 20;
  const blocks = Math.max(1, Math.min(opts.blocks ?? 4, n));
  const echoMs: number[] = [];
  const targetMs: number[] = [];
  const results: (T | undefined)[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  // A failed turn is counted, and its time (until it failed) stays in the percentiles.
  const target = (i: number, measured: boolean) => async (): Promise<T | undefined> => {
    try {
      return await opts.target(i)();
    } catch (err) {
      if (!measured) throw err;
      failed++;
      firstFailure ??= reason(err);
      return undefined;
    }
  };
  let echoElapsed = 0;
  let targetElapsed = 0;
  let started = false;
  for (let b = 0; b < blocks; b++) {
    const from = Math.floor((b * n) / blocks);
    const to = Math.floor(((b + 1) * n) / blocks);
    const ids = Array.from({ length: to - from }, (_, k) => from + k);
    if (!started) {
      // Warm-up jobs get indices past n, so they never collide with measured ones (form ids).
      await runConcurrent(Array.from({ length: warm }, (_, k) => opts.echo(n + k)), concurrency);
      resetPeakRss(opts.echoPid);
    }
    const e = await runConcurrent(ids.map((i) => opts.echo(i)), concurrency);
    if (!started) {
      await runConcurrent(Array.from({ length: warm }, (_, k) => target(n + k, false)), concurrency);
      resetPeakRss(opts.botPid);
      started = true;
    }
    const t = await runConcurrent(ids.map((i) => target(i, true)), concurrency);
    echoMs.push(...e.ms);
    targetMs.push(...t.ms);
    ids.forEach((i, k) => (results[i] = t.results[k]));
    echoElapsed += e.elapsedMs;
    targetElapsed += t.elapsedMs;
  }
  return {
    echo: stats(echoMs),
    target: stats(targetMs),
    echoPerSecond: (n / echoElapsed) * 1000,
    targetPerSecond: (n / targetElapsed) * 1000,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
    results,
    ...optional('echoPeakMb', peakRssMb(opts.echoPid)),
    ...optional('botPeakMb', peakRssMb(opts.botPid)),
  };
}

/** fetch's "fetch failed" says little: the cause (e.g. the server closed the socket) says why. */
function reason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message}: ${e.cause.code ?? ''} ${e.cause.message ?? ''}`.trim() : e.message;
}

const optional = <K extends string>(k: K, v: number | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, number>));

/** The line of a turn beside the echo bot: p50/p95 of both, the p50 ratio and both processes' peak RSS. */
export function turnLine(name: string, c: TurnComparison<unknown>, opts: { maxRatio?: number; targets?: { text: string; met: boolean }[]; note?: string } = {}): string {
  const ratio = c.target.p50 / c.echo.p50;
  return formatLine({
    name,
    figure: { stats: c.target },
    baseline: { name: 'echo bot', figure: { stats: c.echo } },
    ratio: `p50 ratio ${ratio.toFixed(2)}`,
    peakRss: `bot ${mb(c.botPeakMb)}, echo ${mb(c.echoPeakMb)}`,
    targets: [
      ...(opts.maxRatio !== undefined ? [{ text: `p50 ≤ ${opts.maxRatio} × echo`, met: ratio <= opts.maxRatio }] : []),
      ...(opts.targets ?? []),
      ...(c.failed ? [{ text: 'every turn answered', met: false }] : []),
    ],
    ...(c.failed || opts.note ? { note: [c.failed ? `${c.failed} of ${c.target.n} turns FAILED (first: ${c.firstFailure})` : '', opts.note ?? ''].filter(Boolean).join('; ') } : {}),
  });
}
