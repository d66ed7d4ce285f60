/**
 * `npm run import -- <file.csv> [--source <name>] [--partial]`
 * Imports a case system export into the casework register of the configured database. A full
 * import (the default) closes open items of the same source that the file no longer contains,
 * unless IMPORT_CLOSE_MISSING=false. The file may be UTF-8, UTF-16 with a BOM or Windows-1252
 * (src/casework/decode.ts). Exit code 0 when imported, 1 when the file was refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeCsvBytes } from '../src/casework/decode';
import { formatImportErrors, importCasework } from '../src/casework/import';
import { parseConfig, resolveConfigPaths } from '../src/config/config';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import { createLogger } from '../src/log/logger';
import { loadOrganisationFile } from '../src/org/load';
import { projectRoot } from '../src/paths';
import { openStore } from '../src/store/open-store';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { source: { type: 'string', default: 'verksamhetssystem' }, partial: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('Användning: npm run import -- <fil.csv> [--source <namn>] [--partial]\n');
    return 2;
  }
  // The same decoding as the HTTP push: UTF-8, UTF-16 with BOM or Windows-1252, else refused.
  const decoded = decodeCsvBytes(readFileSync(path.resolve(file)));
  if (!decoded.ok) {
    process.stderr.write(`Filen importerades inte (inget ändrades):\n  ${formatImportErrors([decoded])[0]}\n`);
    return 1;
  }
  const root = projectRoot();
  const config = resolveConfigPaths(parseConfig(loadEnvFiles(process.env.TEAMSFX_ENV || DEFAULT_ENV_NAME, path.join(root, 'env'))), root);
  const org = loadOrganisationFile(config.orgFile);
  const store = await openStore(config.store);
  try {
    const out = await importCasework(
      {
        store,
        unitIds: () => org.committees.flatMap((c) => c.units.map((u) => u.id)),
        now: () => new Date(),
        timeZone: config.timeZone,
        closeMissing: config.casework.closeMissing,
        judgmentDays: config.casework.judgmentDays,
        logger: createLogger('error'),
      },
      { source: values.source!, csv: decoded.text, full: !values.partial, actor: 'cli' },
    );
    if (!out.ok) {
      process.stderr.write(`Filen importerades inte (inget ändrades):\n${formatImportErrors(out.errors).map((l) => `  ${l}`).join('\n')}\n`);
      return 1;
    }
    const r = out.result;
    process.stdout.write(`Importerat ${out.rows} rader från "${values.source}": ${r.inserted} nya, ${r.updated} ändrade, ${r.unchanged} oförändrade, ${r.closed} avslutade.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`Importen misslyckades: ${err.message}\n`);
    process.exit(1);
  },
);
