/**
 * `npm run package`: builds build/appPackage.<env>.zip for sideloading into Teams.
 *
 * The environment comes from TEAMSFX_ENV (default "local"); placeholder values come from
 * env/.env.<env> and env/.env.<env>.user, with the process environment winning. Exits 1 with
 * a list of problems if a variable is missing, the manifest does not validate against its
 * JSON schema, or an icon breaks Teams' rules.
 */
import path from 'node:path';
import { DEFAULT_ENV_NAME, loadEnvFiles } from '../src/config/env-files';
import { REPO_ROOT, buildPackage } from './manifest';

async function main(): Promise<void> {
  const envName = process.env.TEAMSFX_ENV?.trim() || DEFAULT_ENV_NAME;
  try {
    const vars = loadEnvFiles(envName, path.join(REPO_ROOT, 'env'));
    const zipPath = await buildPackage({ envName, outDir: path.join(REPO_ROOT, 'build'), vars });
    const shown = path.relative(process.cwd(), zipPath);
    console.log(`Teams app package for "${envName}" written to ${shown.startsWith('..') ? zipPath : shown}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`npm run package failed (TEAMSFX_ENV=${envName}).\n${message}`);
    process.exitCode = 1;
  }
}

void main();
