/**
 * `npm run import -- <file.csv> [--source <name>] [--partial]`
 * Imports a case system export into the casework register of the configured database. A full
 * import (the default) closes open items of the same source that the file no longer contains,
 * unless IMPORT_CLOSE_MISSING=false. The file may be UTF-8, UTF-16 with a BOM or Windows-1252
 * (src/casework/decode.ts). Exit code 0 when imported, 1 when the file was refused.
 *
 * On the bot's clock: with TEST_CLOCK_START set (never in production, config.ts refuses it), the
 * import runs on the same test clock as `npm run dev`, so a demo or a test can import rows dated
 * around the day the bot believes it is (no "Datumet ligger i framtiden", and the import stamped
 * with that day).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { plural } from '../src/cards/plural';
import { decodeCsvBytes } from '../src/casework/decode';
import { formatImportErrors, importCasework } from '../src/casework/import';
import { clockFor, parseConfig, resolveConfigPaths } from '../src/config/config';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import { createLogger } from '../src/log/logger';
import { loadOrganisationFile } from '../src/org/load';
import { projectRoot } from '../src/paths';
import { openStore } from '../src/store/open-store';

/** Where the command writes, and what it reads its settings from: the process's, or a test's. */
export interface ImportIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Real time in ms (the test clock runs on from it); default Date.now. */
  realNow?: () => number;
}

const processIo = (): ImportIo => ({ env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });

/** The command with its arguments (without node and the script); resolves to the exit code. */
export async function runImport(args: readonly string[], io: ImportIo = processIo()): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { source: { type: 'string', default: 'verksamhetssystem' }, partial: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) {
    io.stderr('Användning: npm run import -- <fil.csv> [--source <namn>] [--partial]\n');
    return 2;
  }
  // The same decoding as the HTTP push: UTF-8, UTF-16 with BOM or Windows-1252, else refused.
  const decoded = decodeCsvBytes(readFileSync(path.resolve(file)));
  if (!decoded.ok) {
    io.stderr(`Filen importerades inte (inget ändrades):\n  ${formatImportErrors([decoded])[0]}\n`);
    return 1;
  }
  const root = projectRoot();
  const config = resolveConfigPaths(parseConfig(loadEnvFiles(io.env.TEAMSFX_ENV || DEFAULT_ENV_NAME, path.join(root, 'env'), io.env)), root);
  // The bot's clock, as src/main.ts gives it to the app: real time, or the test clock.
  const now = clockFor(config, io.realNow);
  if (config.testClockStart) io.stderr(`Testklocka (TEST_CLOCK_START): importen görs som om klockan vore ${now().toISOString()}.\n`);
  const org = loadOrganisationFile(config.orgFile);
  // The driver's page cache (16 MB): the import reads each page once, and the bot's cache would only add
  // to this process's memory (the import's 300 MB budget, bench/casework-import.ts).
  const store = await openStore(config.store.kind === 'sqlite' ? withoutCache(config.store) : config.store);
  try {
    const out = await importCasework(
      {
        store,
        unitIds: () => org.committees.flatMap((c) => c.units.map((u) => u.id)),
        now,
        timeZone: config.timeZone,
        closeMissing: config.casework.closeMissing,
        judgmentDays: config.casework.judgmentDays,
        logger: createLogger('error'),
      },
      { source: values.source!, csv: decoded.text, full: !values.partial, actor: 'cli' },
    );
    if (!out.ok) {
      io.stderr(`Filen importerades inte (inget ändrades):\n${formatImportErrors(out.errors).map((l) => `  ${l}`).join('\n')}\n`);
      return 1;
    }
    const r = out.result;
    io.stdout(`Importerat ${plural(out.rows, 'rad', 'rader')} från "${values.source}": ${r.inserted} nya, ${r.updated} ändrade, ${r.unchanged} oförändrade, ${r.closed} avslutade.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

// Run as a command only: a test imports runImport without starting an import.
if (require.main === module) {
  runImport(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`Importen misslyckades: ${err.message}\n`);
      process.exit(1);
    },
  );
}

/** The SQLite settings less the bot's page cache. */
function withoutCache<T extends { cacheMb?: number }>(store: T): Omit<T, 'cacheMb'> {
  const { cacheMb: _bots, ...rest } = store;
  return rest;
}
