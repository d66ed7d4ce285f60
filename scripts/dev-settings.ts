/**
 * What `npm run dev` (scripts/dev.ts) starts the bot with, and what it tells the developer about
 * it. The decisions are the bot's own (src/config/config.ts parses the same env/ files and
 * environment the bot will see); this only picks a database and puts them into words.
 */
import path from 'node:path';
import { DEFAULT_SQLITE_PATH, parseConfig, type Config } from '../src/config/config';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import type { Organisation } from '../src/org/schema';

/** The demo with its fictional history: a database of its own, so it never lands in one that served a real organisation. */
export const DEMO_DB = './data/lex-sarah-demo.db';
/** The demo organisation without the history (--empty, DEMO_DATA=off): its own too, so a seeded one does not show through. */
export const EMPTY_DB = './data/lex-sarah-empty.db';

export interface DevSettings {
  /** The bot's environment (over the env/ files, which the bot reads itself). */
  env: NodeJS.ProcessEnv;
  /** The configuration the bot will run with; undefined when it will refuse to start (it says why). */
  config?: Config;
}

/**
 * The bot's environment and configuration for `npm run dev`. The SQLite file: the one the
 * developer chose (SQLITE_PATH in the environment or env/.env.<name>.user), else the demo's own,
 * the empty demo's own, or (with a real ORG_FILE) the default one.
 */
export function devSettings(opts: { empty: boolean; port: string }, processEnv: NodeJS.ProcessEnv, envDir: string): DevSettings {
  const envName = processEnv.TEAMSFX_ENV || DEFAULT_ENV_NAME;
  const env: NodeJS.ProcessEnv = { ...processEnv, PORT: opts.port };
  if (opts.empty) env.DEMO_DATA = 'off';
  let config: Config;
  try {
    config = parseConfig(loadEnvFiles(envName, envDir, env));
  } catch {
    return { env };
  }
  // The committed env/.env.local names the default file: only another value counts as chosen.
  const fromFiles = loadEnvFiles(envName, envDir, {}).SQLITE_PATH?.trim();
  const chosen = processEnv.SQLITE_PATH?.trim() || (fromFiles && fromFiles !== DEFAULT_SQLITE_PATH ? fromFiles : undefined);
  if (config.store.kind === 'sqlite' && !chosen) {
    const d = config.demoDataDecision;
    const database = d.on ? DEMO_DB : d.because === 'org-file' ? undefined : EMPTY_DB;
    if (database) {
      env.SQLITE_PATH = database;
      config = { ...config, store: { ...config.store, path: database } };
    }
  }
  return { env, config };
}

/** Whether the demo history will be there, as the bot's configuration decides it (the bot logs what it did). */
export function demoDataLine(s: DevSettings): string {
  const c = s.config;
  if (!c) return '  Demodata / Demo data: boten kan inte starta med den här konfigurationen / the bot cannot start with this configuration';
  const db = c.store.kind === 'sqlite' ? ` (databas / database ${c.store.path})` : '';
  const d = c.demoDataDecision;
  if (d.on) {
    return (
      `  Demodata / Demo data: fiktiv historik i Exempelby kommun läggs in vid första start${db}; tom start med / empty start with: npm run dev -- --empty\n` +
      '                       a fictional history is seeded on the first start, never into a database used with your own ORG_FILE'
    );
  }
  const why: Record<typeof d.because, string> = {
    'org-file': 'av, ORG_FILE är satt / off, ORG_FILE is set',
    production: 'av, NODE_ENV=production / off, NODE_ENV=production',
    'demo-data-off': 'av / off (DEMO_DATA=off eller / or --empty)',
    'off-outside-development': `av, NODE_ENV=${c.nodeEnv} (DEMO_DATA=on slår på den / turns it on) / off, NODE_ENV=${c.nodeEnv}`,
  };
  return `  Demodata / Demo data: ${why[d.because]}${db}`;
}

const ROLE_NAMES = { medarbetare: 'medarbetare', enhetschef: 'enhetschef', samordnare: 'lex Sarah-samordnare', chef: 'chef', admin: 'admin' } as const;

/** "enhetschef (Familjehemsenheten), chef (Socialnämnden)": the person's roles as the bot will see them. */
export function rolesOf(org: Organisation, entraId: string): string | undefined {
  const person = org.people.find((p) => p.entraId.toLowerCase() === entraId.toLowerCase());
  if (!person) return undefined;
  const unitName = (id: string) => org.committees.flatMap((c) => c.units).find((u) => u.id === id)?.name ?? id;
  const committeeName = (id: string) => org.committees.find((c) => c.id === id)?.name ?? id;
  return person.roles
    .map((r) => `${ROLE_NAMES[r.role]}${'unit' in r ? ` (${unitName(r.unit)})` : 'committee' in r ? ` (${committeeName(r.committee)})` : ''}`)
    .join(', ');
}

/** The organisation file the bot will load, from the project folder. */
export const orgFileOf = (s: DevSettings, repoRoot: string, fallback: string): string => path.resolve(repoRoot, s.config?.orgFile ?? fallback);
