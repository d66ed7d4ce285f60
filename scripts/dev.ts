/**
 * `npm run dev`: the bot plus the Microsoft 365 Agents Playground (a Teams-like client in the
 * browser), no Azure or Teams account needed.
 *
 * 1. starts the bot (`node --import tsx src/main.ts`, PORT default 3978, its logs in this terminal),
 * 2. waits for http://127.0.0.1:<PORT>/healthz (the bot listens on loopback, see HOST),
 * 3. starts the Playground on port 56150 (PLAYGROUND_PORT to change) in front of
 *    http://127.0.0.1:<PORT>/api/messages, with the mock users of .m365agentsplayground.yml,
 * 4. prints the address to open, who you chat as (and their roles in the organisation file), and
 *    whether the demo's fictional history is seeded, as the bot's configuration decides it.
 *    Ctrl-C stops both; if either stops by itself, so does the other.
 *
 * The database, unless SQLITE_PATH is set (scripts/dev-settings.ts): the demo has one of its own
 * (data/lex-sarah-demo.db), so its fictional history never lands in a database that served a real
 * organisation; the demo without history another (data/lex-sarah-empty.db); with a real ORG_FILE
 * the default (data/lex-sarah.db).
 *
 * Options (after `--`, e.g. `npm run dev -- --empty --as "Megan Bowen"`):
 *   --empty       no demo history (DEMO_DATA=off), in a database of its own (data/lex-sarah-empty.db)
 *   --as <user>   chat as another mock user of .m365agentsplayground.yml (name, id or aadObjectId)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEMO_ORG_FILE } from '../src/config/config';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import { loadOrganisationFile } from '../src/org/load';
import type { Organisation } from '../src/org/schema';
import { demoDataLine, devSettings, orgFileOf, rolesOf } from './dev-settings';
import {
  describeExit,
  killGroup,
  onExit,
  PLAYGROUND_CONFIG_FILE,
  REPO_ROOT,
  spawnGroup,
  startPlayground,
  waitForHttp,
  writePlaygroundConfig,
  type Playground,
  type PlaygroundUser,
  UnknownPlaygroundUserError,
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

const USAGE = 'Användning / Usage: npm run dev -- [--empty] [--as "<namn / name>"]';

interface DevOptions {
  empty: boolean;
  as?: string;
}

function parseArgs(argv: readonly string[]): DevOptions {
  const out: DevOptions = { empty: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--empty') out.empty = true;
    else if (a === '--as' && argv[i + 1]) out.as = argv[++i];
    else if (a.startsWith('--as=') && a.length > 5) out.as = a.slice(5);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`Okänt argument / Unknown argument: ${a}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return out;
}

const OPTIONS = parseArgs(process.argv.slice(2));
const PLAYGROUND_COPY = path.join(REPO_ROOT, '.playground-tmp', 'm365agentsplayground.dev.yml');
/** The bot's environment and the configuration it will run with (its database, whether the demo history is seeded). */
const SETTINGS = devSettings({ empty: OPTIONS.empty, port: BOT_PORT }, process.env, path.join(REPO_ROOT, 'env'));

/** The Playground's config (and so its current user): a copy with another current user for --as. */
function playgroundConfig(): { configPath?: string; user: PlaygroundUser } {
  if (OPTIONS.as) return { configPath: PLAYGROUND_COPY, user: writePlaygroundConfig(OPTIONS.as, PLAYGROUND_COPY) };
  const file = process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH || PLAYGROUND_CONFIG_FILE;
  return { user: (parseYaml(readFileSync(file, 'utf8')) as { currentUser: PlaygroundUser }).currentUser };
}

/** The organisation the bot will load; undefined when it is broken (the bot reports that itself, with the line to fix). */
function organisation(): Organisation | undefined {
  try {
    return loadOrganisationFile(orgFileOf(SETTINGS, REPO_ROOT, DEMO_ORG_FILE));
  } catch {
    return undefined;
  }
}

/** An unknown --as: every user it could be, with their roles, so the next try works. */
function unknownUser(err: UnknownPlaygroundUserError): string {
  const org = organisation();
  const width = Math.max(...err.known.map((u) => u.name.length)) + 2;
  const lines = err.known.map((u) => {
    const roles = org ? rolesOf(org, u.aadObjectId) : undefined;
    return `  --as ${`"${u.name}"`.padEnd(width)}  ${roles ?? 'inga roller, finns inte i organisationsfilen / no roles, not in the organisation file'}`;
  });
  return `Ingen Playground-användare heter "${err.who}" / No Playground user "${err.who}". Välj en av / Choose one of:\n${lines.join('\n')}`;
}

/** Who you chat as and what the bot lets them do, in both languages. */
function whoAmI(user: PlaygroundUser): string[] {
  const org = organisation();
  const roles = org ? rolesOf(org, user.aadObjectId) : undefined;
  return [
    `  Du chattar som ${user.name} / You chat as ${user.name} (${user.aadObjectId})`,
    roles
      ? `  Roller / Roles: ${roles}`
      : `  ${user.name} finns inte i organisationsfilen: inga roller. / Not in the organisation file: no roles.`,
    '  Byt användare / Switch user: npm run dev -- --as "Megan Bowen"  (se / see .m365agentsplayground.yml)',
  ];
}

async function main(): Promise<void> {
  let mock: ReturnType<typeof playgroundConfig>;
  try {
    mock = playgroundConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof UnknownPlaygroundUserError ? unknownUser(err) : (err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const bot = spawnGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: SETTINGS.env,
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
      ...(mock.configPath ? { configPath: mock.configPath } : {}),
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
    ...whoAmI(mock.user),
    demoDataLine(SETTINGS),
    `  Playground-logg / Playground log: ${path.relative(REPO_ROOT, PLAYGROUND_LOG)}`,
    '  Stoppa med / Stop with Ctrl-C',
  );
  say(lines.join('\n'));
}

void main();
