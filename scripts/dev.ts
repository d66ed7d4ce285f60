/**
 * `npm run dev`: the bot plus the Microsoft 365 Agents Playground (a Teams-like client in the
 * browser), no Azure or Teams account needed.
 *
 * 1. starts the bot (`node --import tsx src/main.ts`, PORT default 3978, its logs in this terminal),
 * 2. waits for http://127.0.0.1:<PORT>/healthz (the bot listens on loopback, see HOST),
 * 3. starts the Playground on port 56150 (PLAYGROUND_PORT to change) in front of
 *    http://127.0.0.1:<PORT>/api/messages, with the mock users of .m365agentsplayground.yml,
 * 4. prints the address to open. Ctrl-C stops both; if either stops by itself, so does the other.
 */
import path from 'node:path';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import {
  describeExit,
  killGroup,
  onExit,
  REPO_ROOT,
  spawnGroup,
  startPlayground,
  waitForHttp,
  type Playground,
} from './playground';

// PORT and HOST as the bot will see them: the environment over the env/ files.
const ENV = loadEnvFiles(process.env.TEAMSFX_ENV || DEFAULT_ENV_NAME, path.join(REPO_ROOT, 'env'));
const BOT_PORT = ENV.PORT?.trim() || '3978';
// The bot listens on loopback by default (HOST): talk to it by address, not "localhost", which
// may resolve to ::1 first. A wildcard address is reachable on loopback too.
const LISTEN = ENV.HOST?.trim();
const BOT_HOST = !LISTEN || LISTEN === '0.0.0.0' || LISTEN === '::' ? '127.0.0.1' : LISTEN;
const BOT_URL = `http://${BOT_HOST.includes(':') ? `[${BOT_HOST}]` : BOT_HOST}:${BOT_PORT}`;
const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT || 56150);
const PLAYGROUND_LOG = path.join(REPO_ROOT, '.playground-tmp', 'm365agentsplayground.log');

const say = (msg: string) => process.stdout.write(`\n[dev] ${msg}\n`);

async function main(): Promise<void> {
  const bot = spawnGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PORT: BOT_PORT },
  });
  const botExited = onExit(bot);
  let playground: Playground | undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (exitCode: number, why?: string) =>
    (stopping ??= (async () => {
      if (why) say(why);
      // The bot drains requests in flight on SIGTERM (SHUTDOWN_TIMEOUT_MS, 10 s by default).
      await Promise.all([playground?.stop(), killGroup(bot, { graceMs: 12_000 })]);
      process.exit(exitCode);
    })());

  let interrupts = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (++interrupts > 1) {
        say('Tvingar fram stopp / Forcing stop');
        process.exit(130); // the exit hook in playground.ts SIGKILLs the children
      }
      void stopAll(signal === 'SIGINT' ? 130 : 143, 'Stoppar / Stopping…');
    });
  }

  void botExited.then((e) => stopAll(1, `Boten avslutades (${describeExit(e)}) / The bot stopped (${describeExit(e)})`));

  try {
    await waitForHttp(`${BOT_URL}/healthz`, 60_000, {
      status: 200,
      abortIf: () => (bot.exitCode !== null || bot.signalCode !== null ? 'the bot exited' : undefined),
    });
  } catch (err) {
    return stopAll(1, `Boten startade inte / The bot did not start: ${(err as Error).message}`);
  }

  try {
    playground = await startPlayground({
      botEndpoint: `${BOT_URL}/api/messages`,
      port: PLAYGROUND_PORT,
      cwd: REPO_ROOT,
      logFile: PLAYGROUND_LOG,
    });
  } catch (err) {
    return stopAll(1, `Playground startade inte / The Playground did not start:\n${(err as Error).message}`);
  }
  void playground.exited.then((e) =>
    stopAll(1, `Playground avslutades (${describeExit(e)}) / The Playground stopped (${describeExit(e)}); log: ${PLAYGROUND_LOG}`),
  );

  const lines = [
    `Lex Sarah-assistenten körs på / runs on ${BOT_URL}`,
    '',
    `  Öppna ${playground.url} i webbläsaren / Open ${playground.url} in your browser`,
  ];
  if (playground.port !== PLAYGROUND_PORT) {
    lines.push(`  (port ${PLAYGROUND_PORT} var upptagen / was taken; ${playground.port} används / is used)`);
  }
  lines.push(
    '',
    '  Du chattar som Alex Wilber (alla roller). Andra användare: se .m365agentsplayground.yml.',
    '  You chat as Alex Wilber (every role). Other users: see .m365agentsplayground.yml.',
    `  Playground-logg / Playground log: ${path.relative(REPO_ROOT, PLAYGROUND_LOG)}`,
    '  Stoppa med / Stop with Ctrl-C',
  );
  say(lines.join('\n'));
}

void main();
