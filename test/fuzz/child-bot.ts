/**
 * The real bot (src/main.ts) as a child process for the fuzz suite, so that a crash shows as an
 * exit and everything the process prints can be judged afterwards: its stdout is pino JSON, and
 * anything on stderr, or any stdout line that is not JSON, is output nobody structured.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeExit, onExit, spawnGroup, killGroup, type ExitInfo } from '../../scripts/playground';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface LogLine {
  level: number;
  msg?: string;
  event?: string;
  err?: { type?: string; message?: string; stack?: string };
  activityId?: string;
  [key: string]: unknown;
}

export interface ChildBot {
  baseUrl: string;
  pid: number;
  dataDir: string;
  /** Parsed pino lines, in order. */
  logs: LogLine[];
  /** stdout lines that were not JSON (unstructured output). */
  unstructured: string[];
  /** Everything written to stderr. */
  stderr(): string;
  /** The exit, once it happened; undefined while the process runs. */
  exit(): ExitInfo | undefined;
  /** Resident memory of the child in kB (from /proc), or undefined where /proc is missing. */
  rssKb(): number | undefined;
  /** SIGTERM, SIGKILL after a grace period; removes the data dir unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface ChildBotOptions {
  /** Reuse this data dir (a restart after a crash keeps the database). */
  dataDir?: string;
  readyTimeoutMs?: number;
  /** Run this instead of src/main.ts (the suite's own tests use a stand-in that crashes on cue). */
  command?: string[];
}

export async function startChildBot(env: Record<string, string>, opts: ChildBotOptions = {}): Promise<ChildBot> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'lex-sarah-fuzz-'));
  const [command, ...args] = opts.command ?? [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawnGroup(command!, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // No env/.env.<name> file exists for this name: only the variables below apply.
      TEAMSFX_ENV: 'fuzz-none',
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'info',
      SQLITE_PATH: path.join(dataDir, 'lex-sarah.db'),
      REMINDER_INTERVAL_MS: '0',
      ...env,
    },
  });
  const logs: LogLine[] = [];
  const unstructured: string[] = [];
  let stderr = '';
  let partial = '';
  let exitInfo: ExitInfo | undefined;
  const exited = onExit(child).then((e) => (exitInfo = e));
  let onStarted: ((port: number) => void) | undefined;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as LogLine;
        logs.push(parsed);
        if (parsed.event === 'started' && typeof parsed.port === 'number') onStarted?.(parsed.port);
      } catch {
        unstructured.push(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));

  const stop = async (o: { keepData?: boolean } = {}) => {
    await killGroup(child, { graceMs: 8000 });
    await exited;
    if (!o.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      onStarted = resolve;
      timer = setTimeout(() => reject(new Error(`the bot did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      void exited.then((e) => reject(new Error(`the bot exited during start-up (${describeExit(e)})`)));
    });
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      dataDir,
      logs,
      unstructured,
      stderr: () => stderr,
      exit: () => exitInfo,
      rssKb() {
        try {
          const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          return m ? Number(m[1]) : undefined;
        } catch {
          return undefined;
        }
      },
      stop,
    };
  } catch (err) {
    await stop({ keepData: !!opts.dataDir });
    throw new Error(`${(err as Error).message}\n--- stderr ---\n${stderr}\n--- stdout (last lines) ---\n${logs.slice(-20).map((l) => JSON.stringify(l)).join('\n')}`);
  } finally {
    clearTimeout(timer);
  }
}
