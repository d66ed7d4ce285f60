/**
 * Starts and stops the Microsoft 365 Agents Playground (npm `@microsoft/m365agentsplayground`), the
 * Teams-like local client, as a child process. Used by `npm run dev` (scripts/dev.ts) and by the
 * end-to-end tests (test/e2e/harness.ts). Also holds the small process helpers both of them share.
 *
 * Facts about the Playground CLI (0.2.x) this module relies on, read from its bundled code:
 * - `start -e <endpoint> -c msteams --dt -p <port>`: `--dt` turns telemetry off, which is then the
 *   only thing that would reach out to the network; the web client itself loads only fonts and
 *   an animation from a Microsoft CDN, and works without them.
 * - It opens a desktop browser unless `TEAMSAPPTESTER_BROWSER=none`; we always set that.
 * - If the port is taken it silently picks a random free one, so the real port is read from the
 *   `Listening on <port>` line it prints on stdout (it prints that line only when stdout is not a
 *   terminal, which is why stdout is always piped here).
 * - With stdout not a terminal, all its other output goes only to its log file:
 *   `M365_AGENTS_PLAYGROUND_LOGFILE`, else `<cwd>/devTools/m365agentsplayground.log`. The file is
 *   emptied at every start.
 * - Mock users/tenant/team come from `<cwd>/.m365agentsplayground.yml`, or from the file named by
 *   `M365_AGENTS_PLAYGROUND_CONFIG_PATH`; with neither it uses a built-in default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PLAYGROUND_CONFIG_FILE = path.join(REPO_ROOT, '.m365agentsplayground.yml');

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages */
  botEndpoint: string;
  /** Port for the web client; if it is taken the Playground picks another one (see `url`). */
  port: number;
  /** Working directory; `.m365agentsplayground.yml` is read from here. Default: the repository root. */
  cwd?: string;
  /** Where the Playground writes its log. Default: `<cwd>/.playground-tmp/m365agentsplayground.log`. */
  logFile?: string;
  /** A config file to use instead of `<cwd>/.m365agentsplayground.yml` (see `writePlaygroundConfig`). */
  configPath?: string;
  /**
   * The time zone the Playground puts in every activity (`localTimezone` and the clientInfo
   * entity's `timezone`); it takes it from its own process, so it is passed as TZ. Default
   * Europe/Stockholm, as for this bot's users. (The locale cannot be set: the Playground always
   * sends "en-US".)
   */
  timeZone?: string;
  /** Extra environment variables for the Playground process. */
  env?: Record<string, string>;
  /** How long to wait for the Playground to answer HTTP. Default 60 s. */
  startTimeoutMs?: number;
}

export interface Playground {
  /** The web client's address, with the port the Playground really listens on. */
  url: string;
  port: number;
  pid: number;
  logFile: string;
  /** Resolves when the Playground process has exited (with its exit code or signal). */
  exited: Promise<ExitInfo>;
  /** Stops the Playground and everything it started. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Absolute path of the Playground's cli.js in node_modules. */
export function resolvePlaygroundCli(): string {
  const pkgJson = require.resolve('@microsoft/m365agentsplayground/package.json', { paths: [REPO_ROOT] });
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.agentsplayground ?? 'cli.js');
  return path.join(path.dirname(pkgJson), bin);
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const cwd = opts.cwd ?? REPO_ROOT;
  const logFile = opts.logFile ?? path.join(cwd, '.playground-tmp', 'm365agentsplayground.log');
  mkdirSync(path.dirname(logFile), { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TZ: opts.timeZone ?? 'Europe/Stockholm',
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    ...(opts.configPath ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: opts.configPath } : {}),
    ...opts.env,
  };
  // Variables that would change what the Playground does behind our back.
  for (const k of ['TEAMSAPPTESTER_PORT', 'M365_AGENTS_PLAYGROUND_SERVICE_URL', 'M365_AGENTS_PLAYGROUND_DELIVERY_MODE']) {
    if (!opts.env?.[k]) delete env[k];
  }

  const args = [resolvePlaygroundCli(), 'start', '-e', opts.botEndpoint, '-c', 'msteams', '--dt', '-p', String(opts.port)];
  const child = spawnGroup(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = onExit(child);

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const stop = () => killGroup(child, { graceMs: 3000 });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The Playground did not report a port within ${opts.startTimeoutMs ?? 60_000} ms`)),
        opts.startTimeoutMs ?? 60_000,
      );
      const onData = () => {
        const m = /Listening on (\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      void exited.then((e) => {
        clearTimeout(timer);
        reject(new Error(`The Playground exited during start-up (${describeExit(e)})`));
      });
    });
    const url = `http://localhost:${port}`;
    await waitForHttp(url, opts.startTimeoutMs ?? 60_000, { abortIf: () => (child.exitCode !== null || child.signalCode !== null ? 'the Playground exited' : undefined) });
    return { url, port, pid: child.pid!, logFile, exited, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- Playground output ---\n${output.trim()}\n--- ${logFile} ---\n${tailFile(logFile, 30)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Mock users: a copy of .m365agentsplayground.yml with another current user.

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipleName: string;
  givenName: string;
  surname: string;
  email: string;
}

/** `--as` named nobody in the Playground's users: says so in both languages, with every name that works. */
export class UnknownPlaygroundUserError extends Error {
  override name = 'UnknownPlaygroundUserError';
  constructor(
    readonly who: string,
    readonly known: readonly PlaygroundUser[],
    baseFile: string,
  ) {
    super(
      `Ingen Playground-användare heter "${who}" / No Playground user "${who}" (${path.basename(baseFile)}).\n` +
        `Välj en av / Choose one of: ${known.map((u) => `"${u.name}"`).join(', ')}`,
    );
  }
}

/**
 * Writes a copy of `.m365agentsplayground.yml` (or `baseFile`) to `outFile` in which the user whose
 * name, id or aadObjectId is `who` is the current user; the previous current user takes their place
 * in `users`, so the file stays valid (the Playground requires exactly five other users). Each user
 * gets their own personal chat id. Start the Playground with `configPath: outFile`.
 */
export function writePlaygroundConfig(who: string, outFile: string, baseFile = PLAYGROUND_CONFIG_FILE): PlaygroundUser {
  const doc = parseYaml(readFileSync(baseFile, 'utf8')) as {
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string };
  };
  const match = (u: PlaygroundUser) => [u.name, u.id, u.aadObjectId].some((v) => v.toLowerCase() === who.toLowerCase());
  if (!match(doc.currentUser)) {
    const i = doc.users.findIndex(match);
    if (i < 0) throw new UnknownPlaygroundUserError(who, [doc.currentUser, ...doc.users], baseFile);
    const previous = doc.currentUser;
    doc.currentUser = doc.users[i]!;
    doc.users[i] = previous;
    const chat = doc.personalChat.id;
    doc.personalChat.id = (chat.endsWith(previous.id) ? chat.slice(0, -previous.id.length) : `${chat}-`) + doc.currentUser.id;
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `# Generated from ${path.basename(baseFile)}; current user: ${doc.currentUser.name}\n${stringifyYaml(doc)}`);
  return doc.currentUser;
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by scripts/dev.ts and test/e2e/harness.ts.

/** A TCP port that was free a moment ago on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface WaitForHttpOptions {
  /** The status that counts as up. Default: any status below 500. */
  status?: number;
  /** Polled between attempts: return a reason to give up early (e.g. the process died). */
  abortIf?: () => string | undefined;
  intervalMs?: number;
}

/**
 * Polls `url` with GET until it answers (with `opts.status` if given, else any status < 500).
 * Rejects after `timeoutMs`, or as soon as `opts.abortIf` returns a reason.
 */
export async function waitForHttp(url: string, timeoutMs: number, opts: WaitForHttpOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const reason = opts.abortIf?.();
    if (reason) throw new Error(`Gave up waiting for ${url}: ${reason} (last: ${last})`);
    try {
      const status = await httpStatus(url, Math.min(2000, Math.max(100, deadline - Date.now())));
      if (opts.status !== undefined ? status === opts.status : status < 500) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`${url} did not answer${opts.status ? ` ${opts.status}` : ''} within ${timeoutMs} ms (last: ${last})`);
    await sleep(opts.intervalMs ?? 200);
  }
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Process groups started by `spawnGroup` that have not been seen to exit; killed if we exit. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when our own process ends without stopping its children (an uncaught error,
  // process.exit() from a test runner): 'exit' handlers must be synchronous, so SIGKILL.
  process.on('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

/**
 * `spawn` in a new process group (detached), so that the child and everything it starts can be
 * stopped together with `killGroup`. The group is SIGKILLed if this process exits first.
 */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: Omit<Parameters<typeof spawn>[2], 'detached'>,
): ChildProcess {
  installExitHook();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) {
    const pgid = child.pid;
    liveGroups.add(pgid);
    child.once('exit', () => {
      // The leader is gone; anything left in its group is still killed by killGroup.
      setTimeout(() => {
        if (!groupAlive(pgid)) liveGroups.delete(pgid);
      }, 50).unref();
    });
  }
  return child;
}

/** Resolves once with the child's exit code/signal (also when it failed to spawn). */
export function onExit(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode ?? 1, signal: null }));
  });
}

export function describeExit(e: ExitInfo): string {
  return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
}

/**
 * Stops the child's whole process group: SIGTERM (or `signal`), then SIGKILL to the group if
 * anything in it is still alive after `graceMs`. Resolves when the group is gone.
 */
export async function killGroup(
  child: ChildProcess,
  { graceMs = 5000, signal = 'SIGTERM' as NodeJS.Signals } = {},
): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited = onExit(child);
  if (groupAlive(pgid)) signalGroup(pgid, signal);
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, sleep(graceMs)]);
  // The leader may be gone while others in its group are not: wait for the group, not the leader.
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    const killDeadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(50);
  }
  await Promise.race([exited, sleep(1000)]);
  liveGroups.delete(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tailFile(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return '';
  }
}
